"""The training loop of Algorithm 1: AC-GAN warm-up, then uncertainty-rewarded updates.

The loss functions are small pure functions of logits (Eq. (4), (5), (9), (10)); the
:class:`ActiveGANTrainer` only wires them to the networks, the optimisers, the feature
buffer, the mixture and the oracle, and records one history entry per iteration.

An iteration does not wait for the device: the oracle's probabilities, margins and
rewards are computed in torch where the batch lives, and the history's values stay
tensors until they are read back in bulk, at every checkpoint (about every 5 % of
training) and at least every ``_SYNC_EVERY`` iterations.  A GPU can therefore run
ahead of the Python loop; on a CPU this saves the conversions.
"""

import math
import warnings
from dataclasses import dataclass
from typing import NamedTuple

import torch
import torch.nn.functional as F
from sklearn.exceptions import ConvergenceWarning

from ..uncertainty import _margin, _reward
from ._adam import Adam

__all__ = [
    "entropy_bonus",
    "label_aware_rewards",
    "ActiveGANTrainer",
    "FeatureBuffer",
    "TrainingConfig",
    "discriminator_loss",
    "generator_adversarial_loss",
    "mode_seeking_term",
    "normalize_log_density",
    "normalize_rewards",
    "pathwise_term",
    "policy_term",
    "uncertainty_term",
]


def discriminator_loss(real_logit, fake_logit, real_class_logits, fake_class_logits,
                       y_real, y_fake):
    """Negative of Eq. (4), to be minimised by the discriminator.

    ``-[log P(real|x) + log P(fake|x_hat) + log P(y|x) + log P(y|x_hat)]``, each term
    averaged over its batch.

    Parameters
    ----------
    real_logit, fake_logit : Tensor of shape (n,)
        Real/fake logits of real and generated samples.
    real_class_logits, fake_class_logits : Tensor of shape (n, K)
        Class logits of real and generated samples.
    y_real, y_fake : Tensor of shape (n,), int64
        True labels and conditioning labels.

    Returns
    -------
    loss : Tensor, scalar
    """
    source = F.binary_cross_entropy_with_logits(
        real_logit, torch.ones_like(real_logit)
    ) + F.binary_cross_entropy_with_logits(fake_logit, torch.zeros_like(fake_logit))
    classes = F.cross_entropy(real_class_logits, y_real) + F.cross_entropy(
        fake_class_logits, y_fake
    )
    return source + classes


def generator_adversarial_loss(fake_logit, fake_class_logits, y_fake):
    """Negative of Eq. (5), non-saturating: ``-[log P(real|x_hat) + log P(y|x_hat)]``.

    Parameters
    ----------
    fake_logit : Tensor of shape (n,)
    fake_class_logits : Tensor of shape (n, K)
    y_fake : Tensor of shape (n,), int64

    Returns
    -------
    loss : Tensor, scalar
    """
    return F.binary_cross_entropy_with_logits(
        fake_logit, torch.ones_like(fake_logit)
    ) + F.cross_entropy(fake_class_logits, y_fake)


def uncertainty_term(rewards, log_density):
    """L_U of Eq. (10): ``mean_i r(x_hat_i) * log P(x_hat_i | Θ)``, maximised by G.

    Parameters
    ----------
    rewards : Tensor of shape (n,)
        Rewards r of Eq. (8); treated as constants.
    log_density : Tensor of shape (n,)
        ``log P(x_hat | Θ)`` of Eq. (9), differentiable with respect to the features.

    Returns
    -------
    L_U : Tensor, scalar
    """
    return (rewards.detach() * log_density).mean()


def policy_term(rewards, log_prob):
    """L_U of ``reward_gradient="policy"``: ``mean_i r_i * log pi(action_i)``.

    Not in the paper, but its estimator done on the generator's own choices.
    Eq. (10) weights ``log P(x_hat | Θ)``, the density of a mixture fitted to the
    generated features, by a constant reward; a generator that makes its rows by
    stochastic choices (:class:`~skactivegan.generators._composer.RowComposer`: anchor,
    neighbour, position) has the log-probability of those choices, and the
    REINFORCE gradient of the expected reward is this term's gradient, with r a
    constant.  The formula is :func:`uncertainty_term`'s with that log-probability.

    Parameters
    ----------
    rewards : Tensor of shape (n,)
        Rewards (normalised, see :func:`normalize_rewards`); treated as constants.
    log_prob : Tensor of shape (n,)
        Log-probability of each row's choices under the generator's policy.

    Returns
    -------
    L_U : Tensor, scalar
    """
    return uncertainty_term(rewards, log_prob)


def entropy_bonus(entropy, weight):
    """``β * mean_i H(π_i)``: the policy's mean entropy, weighted, added to L_U.

    Not in the paper.  Rewards are standardised per batch, so a policy gradient
    always has a direction and Adam moves the policy at its learning rate whether
    the reward's differences are signal or noise; unchecked, the composer's
    position policy piles its mass at a segment's ends, and its rows become copies
    of real rows (random over-sampling).  The uniform position is the one of
    largest entropy (SMOTE's), so the bonus is a pull back toward it: maximising
    ``E[r] + β H(π)`` is minimising ``KL(π || exp(r / β) / Z)``, a policy as sharp
    as the reward's differences warrant at temperature β.

    Parameters
    ----------
    entropy : Tensor of shape (n,)
        Entropy of each row's choices (differentiable).
    weight : float
        β.

    Returns
    -------
    bonus : Tensor, scalar
    """
    return weight * entropy.mean()


def pathwise_term(rewards):
    """L_U of ``reward_gradient="pathwise"``: ``mean_i r(x_hat_i)``, maximised by G.

    Not in the paper.  Eq. (10) weights the log-density by a constant reward (a
    score-function estimator); here the reward itself is differentiated, through a
    differentiable oracle, with respect to the generated samples.
    """
    return rewards.mean()


def label_aware_rewards(rewards, proba, y):
    """Eq. (8) for rows on their own class's side; the smallest reward for the others.

    Not in the paper.  The reward of Eq. (8) is largest at the oracle's decision
    boundary whichever side of it a row lies on, so it also rewards rows that cross
    into another class, which the filter's label check then throws away.  Here a row
    that the oracle labels as another class than the one it was generated for gets
    the reward of a confidently classified row, 1 (margin 1, entropy 0), the
    smallest value Eq. (8) takes.

    Parameters
    ----------
    rewards : Tensor of shape (n,)
    proba : Tensor of shape (n, K)
    y : Tensor of shape (n,), int64
        The labels the rows were generated for.

    Returns
    -------
    rewards : Tensor of shape (n,)
    """
    agrees = proba.argmax(dim=1) == y.to(proba.device)
    return torch.where(agrees.to(rewards.device), rewards, torch.ones_like(rewards))


REWARD_GRADIENTS = ("score_function", "pathwise", "policy")
REWARD_TARGETS = ("any", "label")
REWARD_NORMALIZATIONS = ("none", "center", "standardize")
LOG_DENSITY_NORMALIZATIONS = ("none", "per_dim")


def normalize_rewards(rewards, mode):
    """Variance reduction of the policy-gradient weights (not in the paper).

    Parameters
    ----------
    rewards : Tensor of shape (n,)
    mode : {"none", "center", "standardize"}
        "none" keeps r as in Eq. (8); "center" subtracts the batch mean (a
        baseline); "standardize" also divides by the batch standard deviation.

    Returns
    -------
    rewards : Tensor of shape (n,)
    """
    if mode == "none":
        return rewards
    centred = rewards - rewards.mean()
    if mode == "center":
        return centred
    return centred / (rewards.std(unbiased=False) + 1e-8)


def normalize_log_density(log_density, n_features, mode):
    """Scale of ``log P(x_hat | Θ)`` (not in the paper).

    "per_dim" divides by the feature dimension, so that λ means the same thing
    whatever the width of the discriminator's trunk; "none" is Eq. (9) as written.
    """
    return log_density / n_features if mode == "per_dim" else log_density


def mode_seeking_term(x_fake, z, eps=1e-5):
    """Mode-seeking regulariser (Mao et al., CVPR 2019), to be minimised by G.

    The batch is two halves generated with the same labels and different noise;
    the term is ``1 / (mean|G(z1,y) - G(z2,y)| / mean|z1 - z2| + eps)``, large when
    the generator ignores its noise (intra-class mode collapse).  Not in ActiveGAN.

    Parameters
    ----------
    x_fake : Tensor of shape (2m, d)
        Rows ``i`` and ``m + i`` share a label.
    z : Tensor of shape (2m, latent_dim)

    Returns
    -------
    term : Tensor, scalar
    """
    m = len(x_fake) // 2
    dx = (x_fake[:m] - x_fake[m:2 * m]).abs().mean()
    dz = (z[:m] - z[m:2 * m]).abs().mean()
    return 1.0 / (dx / dz + eps)


class FeatureBuffer:
    """Ring buffer of the discriminator features of the last ``n_batches`` batches.

    Parameters
    ----------
    n_batches : int
        M, the number of batches kept.
    """

    def __init__(self, n_batches):
        self.n_batches = n_batches
        self._batches = []
        self._next = 0

    def __len__(self):
        return sum(len(b) for b in self._batches)

    def push(self, features):
        """Store a detached copy of ``features`` (n, d), evicting the oldest batch."""
        features = features.detach()
        if len(self._batches) < self.n_batches:
            self._batches.append(features)
        else:
            self._batches[self._next] = features
        self._next = (self._next + 1) % self.n_batches

    def tensor(self):
        """All stored features as one (n_rows, d) tensor."""
        return torch.cat(self._batches, dim=0)


@dataclass(kw_only=True)
class TrainingConfig:
    """Hyper-parameters of Algorithm 1, with the paper's symbols.

    Every field is required: the estimator (``ActiveGANAugmenter``) is the one place
    where their defaults live, and it builds the configuration from its parameters.

    Attributes
    ----------
    alpha : float
        α of Eq. (8).
    uncertainty_weight : float
        λ of Eq. (10).
    max_iter : int
        Total number of generator updates, warm-up included.
    warmup_iter : int
        m, the plain AC-GAN iterations at the start: a count, already resolved
        from the estimator's ``warmup_iter`` (which may be a fraction of
        ``max_iter``).
    discriminator_every : int
        k, the discriminator is updated once every k generator updates.
    batch_size : int
        Size of each real and generated batch.
    latent_dim : int
        Size of the noise vector z.
    n_components : int
        K_gmm of Eq. (9).
    buffer_batches : int
        M, the number of generated batches the mixture is fitted on.
    covariance_type : str
        Covariance of the mixture components, ``"diag"`` or ``"full"``.
    em_iter : int
        EM iterations per training iteration (warm-started).
    learning_rate : float
        Adam learning rate of both networks.
    policy_learning_rate : float
        Adam learning rate of the generator's policy parameters (those that its
        ``policy_parameters()`` method names, if it has one), when the reward
        trains them (:attr:`uses_policy`).
    policy_entropy_weight : float
        Weight β of the policy's entropy in the rewarded generator loss,
        ``-λ (L_U + β H(π))`` (:func:`entropy_bonus`); policy gradient only.
    reward_normalization : str
        See :func:`normalize_rewards`.
    log_density_normalization : str
        See :func:`normalize_log_density`.
    diversity_weight : float
        Weight of :func:`mode_seeking_term` in the generator's loss.
    reward_gradient : str
        "score_function" is Eq. (10), ``r * log P(x_hat | Θ)`` with r constant;
        "pathwise" maximises r itself through a differentiable oracle
        (:func:`pathwise_term`) and uses no mixture; "policy" weights the
        log-probability of the generator's own choices (:func:`policy_term`; a
        generator with an ``act(z, y, entropy) -> (x, log_prob, entropy)`` method,
        asked for the entropy only when ``policy_entropy_weight`` is positive).
    reward_target : str
        "any" is Eq. (8) as written; "label" gives the rows that the oracle labels
        as another class than their own the smallest reward (see
        :func:`label_aware_rewards`).
    mixed_precision : bool
        Forward passes under ``torch.autocast`` (float16 and gradient scaling on
        CUDA, bfloat16 elsewhere); losses and the mixture stay in float32.
    """

    alpha: float
    uncertainty_weight: float
    max_iter: int
    warmup_iter: int
    discriminator_every: int
    batch_size: int
    latent_dim: int
    n_components: int
    buffer_batches: int
    covariance_type: str
    em_iter: int
    learning_rate: float
    policy_learning_rate: float
    policy_entropy_weight: float
    reward_normalization: str
    log_density_normalization: str
    diversity_weight: float
    reward_gradient: str
    reward_target: str
    mixed_precision: bool

    @property
    def uses_mixture(self):
        """Whether training needs the mixture Θ (Eq. (10) with λ > 0)."""
        return self.uncertainty_weight > 0 and self.reward_gradient == "score_function"

    @property
    def uses_policy(self):
        """Whether training needs the generator's log-probabilities (λ > 0)."""
        return self.uncertainty_weight > 0 and self.reward_gradient == "policy"

    @property
    def uses_oracle_gradient(self):
        """Whether training differentiates the oracle (the pathwise term with λ > 0)."""
        return self.uncertainty_weight > 0 and self.reward_gradient == "pathwise"


_INITIAL_EM_ITER = 10
_MONITOR_EVERY_PLAIN = 10
#: The history is read back from the device at least this often (iterations).
_SYNC_EVERY = 100
#: The history's values, kept as tensors until they are read back.
_RECORD_VALUES = ("loss_d", "loss_g", "uncertainty", "reward", "margin", "agreement")


def _diverged(record):
    """True when a loss of ``record`` is infinite, or the generator's is NaN.

    The discriminator loss and L_U are NaN by design on iterations that skip them.
    """
    if not math.isfinite(record["loss_g"]):
        return True
    return any(math.isinf(record[key]) for key in ("loss_d", "uncertainty"))


_ADAM_BETAS = (0.5, 0.999)


def adam(param_groups):
    """Adam with the betas of the paper's DCGAN-style training.

    :class:`~skactivegan.training._adam.Adam` runs the fused kernel of
    ``torch.optim.Adam(fused=True)`` where the device has one (one kernel for every
    parameter; on small networks the per-tensor implementation spends most of an
    update dispatching its dozen operations per tensor, as measured in
    ``benchmarks/bench_iteration.py``) without building a ``torch.optim``
    optimiser, whose first construction in a process costs more than a fit.
    """
    return Adam(param_groups, betas=_ADAM_BETAS)


def generator_param_groups(generator, config):
    """The generator's parameter groups for Adam, each with its learning rate.

    A generator with a ``policy_parameters()`` method (the composing generator)
    gets ``config.policy_learning_rate`` for those parameters when the reward
    trains them (``config.uses_policy``), and ``config.learning_rate`` for the
    others; any other generator gets ``config.learning_rate`` for all.
    """
    policy = getattr(generator, "policy_parameters", None)
    if not (config.uses_policy and callable(policy)):
        return [{"params": list(generator.parameters()), "lr": config.learning_rate}]
    policy = list(policy())
    ids = {id(p) for p in policy}
    rest = [p for p in generator.parameters() if id(p) not in ids]
    return [{"params": rest, "lr": config.learning_rate},
            {"params": policy, "lr": config.policy_learning_rate}]


class BatchScores(NamedTuple):
    """The oracle's view of one generated batch, as tensors on the training device."""

    proba: torch.Tensor  # (n, K) probabilities
    margins: torch.Tensor  # (n,) margin of Eq. (6)
    rewards: torch.Tensor  # (n,) reward of Eq. (8), detached


class ActiveGANTrainer:
    """Runs Algorithm 1 on prepared tensors.

    Parameters
    ----------
    generator, discriminator : torch.nn.Module
        Networks on ``device``.
    density : GaussianMixture or None
        The mixture Θ, refitted on the feature buffer (None when not used).
    oracle : object
        The oracle on generated samples in the networks' space, with

        - ``proba(x_hat)``: for a detached (n, d) tensor, the (n, K) tensor of
          probabilities (columns in the order of the class indices) on
          ``x_hat``'s device, computed without gradient;
        - ``differentiable``: bool, whether it also has
        - ``torch_proba(x_hat)``: the same probabilities, differentiable with
          respect to ``x_hat`` (needed by ``reward_gradient="pathwise"``).
    config : TrainingConfig
    rng : torch.Generator
        CPU generator for noise, labels and batches (drawn on the CPU, then moved, so
        that a run is the same on every device).
    device : torch.device
    callbacks : list of callable, optional
        Each is called as ``callback(record)`` after every iteration; training stops
        when one returns True.  In that record, ``"iteration"`` is an int,
        ``"phase"`` a str ("warmup" or "active"), and the other values (``"loss_d"``,
        ``"loss_g"``, ``"uncertainty"``, ``"reward"``, ``"margin"``,
        ``"agreement"``) are 0-dimensional tensors on the training device, so that
        the loop does not wait for the device; ``float(value)`` or a format such as
        ``f"{value:.3f}"`` reads one (and waits).  :attr:`history` holds the same
        records with plain floats.

    Attributes
    ----------
    history : list of dict
        One record of plain floats per iteration, filled in bulk as the values are
        read back from the device (complete after :meth:`fit`).
    margins : list of ndarray of shape (batch_size,), float32
        The oracle margins of each scored batch, on the CPU, in the same bulk.
    stop_reason : str or None
    """

    def __init__(self, generator, discriminator, density, oracle, config, rng,
                 device, callbacks=()):
        self.generator = generator
        self.discriminator = discriminator
        self.density = density
        self.oracle = oracle
        self.config = config
        self.rng = rng
        self.device = device
        self.callbacks = list(callbacks)
        self.optimizer_g = adam(generator_param_groups(generator, config))
        self.optimizer_d = adam(
            [{"params": list(discriminator.parameters()), "lr": config.learning_rate}]
        )
        # Half-precision forward passes: float16 needs its gradients scaled on CUDA.
        self.half_dtype = torch.float16 if device.type == "cuda" else torch.bfloat16
        scaled = config.mixed_precision and self.half_dtype == torch.float16
        self.grad_scaler_g = torch.amp.GradScaler(device.type, enabled=scaled)
        self.grad_scaler_d = torch.amp.GradScaler(device.type, enabled=scaled)
        # Margins and rewards in float64 where the device has it (as scikit-learn
        # would compute them), else in float32.
        self.score_dtype = torch.float64 if device.type in ("cpu", "cuda") else torch.float32
        self.nan = torch.full((), float("nan"), device=device)
        self.buffer = FeatureBuffer(config.buffer_batches)
        self.history = []
        self.margins = []
        self.stop_reason = None
        self._pending = []  # records whose values are still tensors
        self._pending_margins = []

    # ------------------------------------------------------------------ sampling
    def _to_device(self, tensor):
        """Move a tensor drawn on the CPU to the training device without waiting."""
        if self.device.type == "cuda":
            return tensor.pin_memory().to(self.device, non_blocking=True)
        return tensor.to(self.device)

    def sample_noise(self, n):
        return self._to_device(torch.randn(n, self.config.latent_dim, generator=self.rng))

    def sample_labels(self, n, class_prior):
        return self._to_device(torch.multinomial(class_prior, n, replacement=True,
                                                 generator=self.rng))

    def sample_real(self, X, y):
        idx = torch.randint(len(X), (self.config.batch_size,), generator=self.rng)
        idx = self._to_device(idx) if X.device != idx.device else idx
        return X[idx], y[idx]

    # --------------------------------------------------------------------- steps
    def autocast(self):
        """The forward passes' precision context (a no-op without mixed precision)."""
        return torch.autocast(self.device.type, dtype=self.half_dtype,
                              enabled=self.config.mixed_precision)

    @staticmethod
    def update(optimizer, grad_scaler, loss):
        """One optimiser step on ``loss`` (gradients scaled if the scaler is enabled)."""
        optimizer.zero_grad(set_to_none=True)
        grad_scaler.scale(loss).backward()
        grad_scaler.step(optimizer)
        grad_scaler.update()

    def query_oracle(self, x_fake, y_fake):
        """Ask the oracle about a generated batch: probabilities, margins, rewards."""
        proba = self.oracle.proba(x_fake.detach()).to(self.score_dtype)
        margins = _margin(proba)
        rewards = _reward(proba, self.config.alpha, margins)
        if self.config.reward_target == "label":
            rewards = label_aware_rewards(rewards, proba, y_fake)
        return BatchScores(proba, margins, rewards.to(x_fake.dtype))

    def score_function_uncertainty(self, features, scores):
        """L_U of Eq. (10) on a batch: one warm EM step on the buffer, then r · log P."""
        cfg = self.config
        n_iter = cfg.em_iter if self.density.has_parameters else _INITIAL_EM_ITER
        self.density.fit(self.buffer.tensor(), n_iter=n_iter)
        log_density = normalize_log_density(
            self.density.log_prob(features), features.shape[1],
            cfg.log_density_normalization,
        )
        weights = normalize_rewards(scores.rewards, cfg.reward_normalization)
        return uncertainty_term(weights, log_density)

    def pathwise_uncertainty(self, x_fake):
        """The oracle's view of a batch and L_U of ``reward_gradient="pathwise"``."""
        proba = self.oracle.torch_proba(x_fake)
        rewards = _reward(proba, self.config.alpha)
        detached = proba.detach().to(self.score_dtype)
        scores = BatchScores(detached, _margin(detached), rewards.detach())
        return scores, pathwise_term(rewards)

    def generator_step(self, z, y_fake, scored, rewarded):
        """One update of G with Eq. (5), plus λ·L_U when ``rewarded``.

        L_U is Eq. (10) (:meth:`score_function_uncertainty`), with
        ``reward_gradient="pathwise"`` :meth:`pathwise_uncertainty`, or with
        ``reward_gradient="policy"`` the policy gradient on the generator's own
        choices (:func:`policy_term`).

        ``scored`` asks the oracle about the batch (``rewarded`` implies it).

        Returns
        -------
        x_fake, features : Tensor
            The generated batch and its trunk features, detached.
        adversarial, l_u : Tensor
            The Eq. (5) loss and L_U (NaN when not computed), scalars.
        scores : BatchScores or None
            The oracle's view of the batch, when scored.
        """
        cfg = self.config
        policy = rewarded and cfg.uses_policy
        self.discriminator.requires_grad_(False)
        try:
            with self.autocast():
                if policy:
                    x_fake, log_policy, policy_entropy = self.generator.act(
                        z, y_fake, entropy=cfg.policy_entropy_weight > 0)
                else:
                    x_fake = self.generator(z, y_fake)
                fake_logit, fake_class_logits, features = self.discriminator(x_fake)
        finally:
            self.discriminator.requires_grad_(True)
        # Losses, the mixture and the oracle work in float32 (no-ops without autocast).
        x_fake, features = x_fake.float(), features.float()
        fake_logit, fake_class_logits = fake_logit.float(), fake_class_logits.float()
        loss = generator_adversarial_loss(fake_logit, fake_class_logits, y_fake)
        adversarial = loss.detach()
        if cfg.diversity_weight > 0:
            loss = loss + cfg.diversity_weight * mode_seeking_term(x_fake, z)

        scores, l_u, bonus = None, None, 0.0
        if rewarded and cfg.uses_oracle_gradient:
            scores, l_u = self.pathwise_uncertainty(x_fake)
        elif scored or rewarded:
            scores = self.query_oracle(x_fake, y_fake)
            if policy:
                weights = normalize_rewards(scores.rewards, cfg.reward_normalization)
                l_u = policy_term(weights, log_policy.float())
                if policy_entropy is not None:
                    bonus = entropy_bonus(policy_entropy.float(),
                                          cfg.policy_entropy_weight)
            elif rewarded and len(self.buffer) >= cfg.n_components:
                l_u = self.score_function_uncertainty(features, scores)
        if l_u is None:
            l_u = self.nan
        else:
            loss = loss - cfg.uncertainty_weight * (l_u + bonus)

        self.update(self.optimizer_g, self.grad_scaler_g, loss)
        return x_fake.detach(), features.detach(), adversarial, l_u.detach(), scores

    def discriminator_step(self, x_real, y_real, x_fake, y_fake):
        """One update of D with Eq. (4) on a real and a generated batch."""
        with self.autocast():
            real_logit, real_class_logits, _ = self.discriminator(x_real)
            fake_logit, fake_class_logits, _ = self.discriminator(x_fake)
        loss = discriminator_loss(real_logit.float(), fake_logit.float(),
                                  real_class_logits.float(), fake_class_logits.float(),
                                  y_real, y_fake)
        self.update(self.optimizer_d, self.grad_scaler_d, loss)
        return loss.detach()

    def train_step(self, iteration, X, y, class_prior):
        """One iteration of Algorithm 1; returns its record (values as tensors)."""
        cfg = self.config
        active = iteration >= cfg.warmup_iter
        rewarded = active and cfg.uncertainty_weight > 0
        # With λ = 0 the oracle only feeds the history: ask it every few iterations.
        scored = active and (iteration - cfg.warmup_iter) % _MONITOR_EVERY_PLAIN == 0
        z = self.sample_noise(cfg.batch_size)
        if cfg.diversity_weight > 0:  # two halves with the same labels
            half = self.sample_labels((cfg.batch_size + 1) // 2, class_prior)
            y_fake = torch.cat([half, half])[: cfg.batch_size]
        else:
            y_fake = self.sample_labels(cfg.batch_size, class_prior)
        x_fake, features, loss_g, l_u, scores = self.generator_step(
            z, y_fake, scored, rewarded
        )
        loss_d = self.nan
        if iteration % cfg.discriminator_every == 0:
            x_real, y_real = self.sample_real(X, y)
            loss_d = self.discriminator_step(x_real, y_real, x_fake, y_fake)
        self.buffer.push(features)
        return self._record(iteration, active, loss_d, loss_g, l_u, scores, y_fake)

    def _record(self, iteration, active, loss_d, loss_g, l_u, scores, y_fake):
        """The history record of an iteration; its values stay on the device."""
        record = {
            "iteration": iteration + 1,
            "phase": "active" if active else "warmup",
            "loss_d": loss_d,
            "loss_g": loss_g,
            "uncertainty": l_u,
            "reward": self.nan,
            "margin": self.nan,
            "agreement": self.nan,
        }
        if scores is not None:
            self._pending_margins.append(scores.margins)
            record["reward"] = scores.rewards.mean()
            record["margin"] = scores.margins.mean()
            record["agreement"] = (scores.proba.argmax(dim=1) == y_fake).to(
                scores.proba.dtype).mean()
        self._pending.append(record)
        return record

    def _read_back(self):
        """Move the pending records into :attr:`history` as floats (one transfer).

        Returns
        -------
        diverged : int or None
            Index in :attr:`history` of the first record whose losses show that
            training diverged; the history is cut after it.
        """
        pending, self._pending = self._pending, []
        margins, self._pending_margins = self._pending_margins, []
        if margins:
            sizes = [len(m) for m in margins]
            flat = torch.cat(margins).to(torch.float32).cpu().numpy()
            start = 0
            for size in sizes:
                self.margins.append(flat[start:start + size])
                start += size
        if not pending:
            return None
        values = torch.stack([r[key].to(torch.float64)
                              for r in pending for key in _RECORD_VALUES])
        values = values.view(len(pending), len(_RECORD_VALUES)).tolist()
        diverged = None
        for record, row in zip(pending, values):
            record = {**record, **dict(zip(_RECORD_VALUES, row))}
            self.history.append(record)
            if _diverged(record):
                diverged = len(self.history) - 1
                break
        if diverged is not None:
            n_scored = sum(not math.isnan(r["margin"]) for r in self.history)
            del self.margins[n_scored:]
        return diverged

    # ---------------------------------------------------------------------- loop
    def _snapshot(self):
        return tuple({key: value.detach().clone() for key, value in
                      module.state_dict().items()}
                     for module in (self.generator, self.discriminator))

    def _restore(self, snapshot):
        self.generator.load_state_dict(snapshot[0])
        self.discriminator.load_state_dict(snapshot[1])

    def fit(self, X, y, class_prior):
        """Run ``config.max_iter`` iterations on real data ``X`` (n, d), ``y`` (n,).

        The networks are checkpointed about every 5 % of training, after the
        history so far has been read back and checked.  If a loss has become
        infinite or NaN, the last checkpoint is restored, a ``ConvergenceWarning``
        is issued and training stops, the history ending at the first diverged
        iteration (the iterations run after it, before the check, are dropped): a
        diverged network is never returned.  A callback that returns True also
        stops training.

        Returns
        -------
        history : list of dict
            One record of floats per iteration run.
        """
        self.generator.train()
        self.discriminator.train()
        every = max(1, self.config.max_iter // 20)
        snapshot, snapshot_iter = self._snapshot(), 0
        for iteration in range(self.config.max_iter):
            try:
                record = self.train_step(iteration, X, y, class_prior)
            except (ValueError, RuntimeError):
                # An oracle or a solver may refuse the non-finite rows of a network
                # that diverged before the last check: report that, not the symptom.
                if self._read_back() is None:
                    raise
                self._stop_diverged(snapshot, snapshot_iter)
                break
            # A list, not a generator: every callback sees every record.
            stop = any([callback(record) for callback in self.callbacks])  # noqa: C419
            checkpoint = (iteration + 1) % every == 0
            if (checkpoint or stop or iteration + 1 == self.config.max_iter
                    or len(self._pending) >= _SYNC_EVERY):
                if self._read_back() is not None:
                    self._stop_diverged(snapshot, snapshot_iter)
                    break
                if checkpoint:
                    snapshot, snapshot_iter = self._snapshot(), iteration + 1
            if stop:
                self.stop_reason = f"stopped by a callback at iteration {iteration + 1}"
                break
        self.generator.eval()
        self.discriminator.eval()
        return self.history

    def _stop_diverged(self, snapshot, snapshot_iter):
        self._restore(snapshot)
        self.stop_reason = (
            f"diverged at iteration {self.history[-1]['iteration']}; restored the "
            f"networks of iteration {snapshot_iter}"
        )
        warnings.warn(
            f"ActiveGAN training {self.stop_reason} and stopped. Try a smaller "
            "learning_rate or uncertainty_weight.",
            ConvergenceWarning,
            stacklevel=3,
        )
