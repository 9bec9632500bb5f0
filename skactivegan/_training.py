"""The training loop of Algorithm 1: AC-GAN warm-up, then uncertainty-rewarded updates.

The loss functions are small pure functions of logits (Eq. (4), (5), (9), (10)); the
:class:`ActiveGANTrainer` only wires them to the networks, the optimisers, the feature
buffer, the mixture and the oracle, and records one :data:`history` entry per iteration.
"""

import copy
import math
import warnings
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.exceptions import ConvergenceWarning

from .uncertainty import _margin, _reward

__all__ = [
    "ActiveGANTrainer",
    "FeatureBuffer",
    "TrainingConfig",
    "differentiable_reward",
    "discriminator_loss",
    "generator_adversarial_loss",
    "mean_pairwise_distance",
    "mode_seeking_term",
    "normalize_log_density",
    "normalize_rewards",
    "pathwise_term",
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


def differentiable_reward(proba, alpha):
    """The reward of Eq. (8) as a differentiable function of the probabilities.

    ``r = alpha * exp(1 - margin) + (1 - alpha) * exp(entropy)``, the same values as
    :func:`skactivegan.uncertainty.reward`; used by ``reward_gradient="pathwise"``,
    where the gradient of r flows through the oracle into the generator.

    Parameters
    ----------
    proba : Tensor of shape (n, K)
    alpha : float

    Returns
    -------
    reward : Tensor of shape (n,)
    """
    top_two = torch.topk(proba, 2, dim=1).values
    margin = (top_two[:, 0] - top_two[:, 1]).clamp(0.0, 1.0)
    # 0 log 0 = 0; the clamp keeps the gradient of p log p finite at p = 0.
    entropy = -(proba * torch.log(proba.clamp_min(torch.finfo(proba.dtype).tiny))).sum(1)
    return alpha * torch.exp(1.0 - margin) + (1.0 - alpha) * torch.exp(entropy.clamp_min(0.0))


def pathwise_term(rewards):
    """L_U of ``reward_gradient="pathwise"``: ``mean_i r(x_hat_i)``, maximised by G.

    Not in the paper.  Eq. (10) weights the log-density by a constant reward (a
    score-function estimator); here the reward itself is differentiated, through a
    differentiable oracle, with respect to the generated samples.
    """
    return rewards.mean()


REWARD_GRADIENTS = ("score_function", "pathwise")
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


def mean_pairwise_distance(x):
    """Mean Euclidean distance between the rows of ``x`` (n, d): batch diversity."""
    if len(x) < 2:
        return float("nan")
    return float(torch.pdist(x.float()).mean())


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


@dataclass
class TrainingConfig:
    """Hyper-parameters of Algorithm 1, with the paper's symbols.

    Attributes
    ----------
    alpha : float
        α of Eq. (8).
    uncertainty_weight : float
        λ of Eq. (10).
    max_iter : int
        Total number of generator updates, warm-up included.
    warmup_iter : int
        m, the plain AC-GAN iterations at the start.
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
    reward_normalization : str
        See :func:`normalize_rewards`.
    log_density_normalization : str
        See :func:`normalize_log_density`.
    diversity_weight : float
        Weight of :func:`mode_seeking_term` in the generator's loss.
    reward_gradient : str
        "score_function" is Eq. (10), ``r * log P(x_hat | Θ)`` with r constant;
        "pathwise" maximises r itself through a differentiable oracle
        (:func:`pathwise_term`) and uses no mixture.
    mixed_precision : bool
        Forward passes under ``torch.autocast`` (float16 and gradient scaling on
        CUDA, bfloat16 elsewhere); losses and the mixture stay in float32.
    """

    alpha: float = 0.5
    uncertainty_weight: float = 10.0
    max_iter: int = 2000
    warmup_iter: int = 1000
    discriminator_every: int = 1
    batch_size: int = 64
    latent_dim: int = 32
    n_components: int = 10
    buffer_batches: int = 10
    covariance_type: str = "diag"
    em_iter: int = 1
    learning_rate: float = 2e-4
    reward_normalization: str = "none"
    log_density_normalization: str = "none"
    diversity_weight: float = 0.0
    reward_gradient: str = "score_function"
    mixed_precision: bool = False

    @property
    def uses_mixture(self):
        """Whether training needs the mixture Θ (Eq. (10) with λ > 0)."""
        return self.uncertainty_weight > 0 and self.reward_gradient == "score_function"

    @property
    def uses_oracle_gradient(self):
        """Whether training differentiates the oracle (the pathwise term with λ > 0)."""
        return self.uncertainty_weight > 0 and self.reward_gradient == "pathwise"


_INITIAL_EM_ITER = 10
_MONITOR_EVERY_PLAIN = 10


def _diverged(record):
    """True when a loss of ``record`` is infinite, or the generator's is NaN.

    The discriminator loss and L_U are NaN by design on iterations that skip them.
    """
    if not math.isfinite(record["loss_g"]):
        return True
    return any(math.isinf(record[key]) for key in ("loss_d", "uncertainty"))


_ADAM_BETAS = (0.5, 0.999)


class BatchScores(NamedTuple):
    """The oracle's view of one generated batch."""

    proba: np.ndarray  # (n, K) probabilities
    margins: np.ndarray  # (n,) margin of Eq. (6)
    rewards: torch.Tensor  # (n,) reward of Eq. (8), on the training device


class ActiveGANTrainer:
    """Runs Algorithm 1 on prepared tensors.

    Parameters
    ----------
    generator, discriminator : torch.nn.Module
        Networks on ``device``.
    density : GaussianMixture or None
        The mixture Θ, refitted on the feature buffer (None when not used).
    oracle_proba : callable
        ``oracle_proba(x_hat)`` maps a detached (n, d) tensor of generated samples in
        the networks' space to an (n, K) NumPy array of probabilities, columns in the
        order of the class indices.  With ``reward_gradient="pathwise"`` it must also
        have a method ``torch_proba(x_hat)`` returning the same probabilities as a
        tensor differentiable with respect to ``x_hat``.
    config : TrainingConfig
    rng : torch.Generator
        CPU generator for noise, labels and batches (drawn on the CPU, then moved, so
        that a run is the same on every device).
    device : torch.device
    callbacks : list of callable, optional
        Each is called as ``callback(record)`` after every iteration; training stops
        when one returns True.
    """

    def __init__(self, generator, discriminator, density, oracle_proba, config, rng,
                 device, callbacks=()):
        self.generator = generator
        self.discriminator = discriminator
        self.density = density
        self.oracle_proba = oracle_proba
        self.config = config
        self.rng = rng
        self.device = device
        self.callbacks = list(callbacks)
        self.optimizer_g = torch.optim.Adam(
            generator.parameters(), lr=config.learning_rate, betas=_ADAM_BETAS
        )
        self.optimizer_d = torch.optim.Adam(
            discriminator.parameters(), lr=config.learning_rate, betas=_ADAM_BETAS
        )
        # Half-precision forward passes: float16 needs its gradients scaled on CUDA.
        self.half_dtype = torch.float16 if device.type == "cuda" else torch.bfloat16
        scaled = config.mixed_precision and self.half_dtype == torch.float16
        self.grad_scaler_g = torch.amp.GradScaler(device.type, enabled=scaled)
        self.grad_scaler_d = torch.amp.GradScaler(device.type, enabled=scaled)
        self.buffer = FeatureBuffer(config.buffer_batches)
        self.history = []
        self.margins = []  # the oracle margins of each scored batch, for the history
        self.stop_reason = None

    # ------------------------------------------------------------------ sampling
    def _draw(self, tensor):
        return tensor.to(self.device)

    def sample_noise(self, n):
        return self._draw(torch.randn(n, self.config.latent_dim, generator=self.rng))

    def sample_labels(self, n, class_prior):
        return self._draw(torch.multinomial(class_prior, n, replacement=True,
                                            generator=self.rng))

    def sample_real(self, X, y):
        idx = torch.randint(len(X), (self.config.batch_size,), generator=self.rng)
        idx = idx.to(X.device)
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

    def score(self, x_fake):
        """Ask the oracle about a generated batch: probabilities, margins, rewards."""
        proba = self.oracle_proba(x_fake.detach())
        margins = _margin(proba)
        rewards = torch.as_tensor(_reward(proba, self.config.alpha, margins),
                                  dtype=x_fake.dtype, device=self.device)
        return BatchScores(proba, margins, rewards)

    def score_function_uncertainty(self, features, scores):
        """L_U of Eq. (10) on a batch: one warm EM step on the buffer, then r · log P."""
        cfg = self.config
        n_iter = cfg.em_iter if self.density.is_fitted else _INITIAL_EM_ITER
        self.density.fit(self.buffer.tensor(), n_iter=n_iter)
        log_density = normalize_log_density(
            self.density.log_prob(features), features.shape[1],
            cfg.log_density_normalization,
        )
        weights = normalize_rewards(scores.rewards, cfg.reward_normalization)
        return uncertainty_term(weights, log_density)

    def pathwise_uncertainty(self, x_fake):
        """The oracle's view of a batch and L_U of ``reward_gradient="pathwise"``."""
        proba = self.oracle_proba.torch_proba(x_fake)
        rewards = differentiable_reward(proba, self.config.alpha)
        proba_np = proba.detach().cpu().numpy().astype(np.float64)
        scores = BatchScores(proba_np, _margin(proba_np), rewards.detach())
        return scores, pathwise_term(rewards)

    def generator_step(self, z, y_fake, scored, rewarded):
        """One update of G with Eq. (5), plus λ·L_U when ``rewarded``.

        L_U is Eq. (10) (:meth:`score_function_uncertainty`) or, with
        ``reward_gradient="pathwise"``, :meth:`pathwise_uncertainty`.

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
        self.discriminator.requires_grad_(False)
        try:
            with self.autocast():
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

        scores, l_u = None, None
        if rewarded and cfg.uses_oracle_gradient:
            scores, l_u = self.pathwise_uncertainty(x_fake)
        elif scored or rewarded:
            scores = self.score(x_fake)
            if rewarded and len(self.buffer) >= cfg.n_components:
                l_u = self.score_function_uncertainty(features, scores)
        if l_u is None:
            l_u = torch.tensor(float("nan"))
        else:
            loss = loss - cfg.uncertainty_weight * l_u

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
        """One iteration of Algorithm 1; returns its history record."""
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
        loss_d = torch.tensor(float("nan"))
        if iteration % cfg.discriminator_every == 0:
            x_real, y_real = self.sample_real(X, y)
            loss_d = self.discriminator_step(x_real, y_real, x_fake, y_fake)
        self.buffer.push(features)
        return self._record(iteration, active, loss_d, loss_g, l_u, scores, y_fake, x_fake)

    def _record(self, iteration, active, loss_d, loss_g, l_u, scores, y_fake, x_fake):
        record = {
            "iteration": iteration + 1,
            "phase": "active" if active else "warmup",
            "loss_d": float(loss_d),
            "loss_g": float(loss_g),
            "uncertainty": float(l_u),
            "reward": float("nan"),
            "margin": float("nan"),
            "agreement": float("nan"),
            "diversity": mean_pairwise_distance(x_fake),
        }
        if scores is not None:
            self.margins.append(scores.margins.astype(np.float32))
            record["reward"] = float(scores.rewards.mean())
            record["margin"] = float(scores.margins.mean())
            record["agreement"] = float(
                np.mean(scores.proba.argmax(axis=1) == y_fake.cpu().numpy())
            )
        return record

    # ---------------------------------------------------------------------- loop
    def _snapshot(self):
        return (copy.deepcopy(self.generator.state_dict()),
                copy.deepcopy(self.discriminator.state_dict()))

    def _restore(self, snapshot):
        self.generator.load_state_dict(snapshot[0])
        self.discriminator.load_state_dict(snapshot[1])

    def fit(self, X, y, class_prior):
        """Run ``config.max_iter`` iterations on real data ``X`` (n, d), ``y`` (n,).

        The networks are checkpointed about every 5 % of training.  If a loss
        becomes infinite or NaN, the last checkpoint is restored, a
        ``ConvergenceWarning`` is issued and training stops: a diverged network is
        never returned.  A callback that returns True also stops training.

        Returns
        -------
        history : list of dict
            One record per iteration run.
        """
        self.generator.train()
        self.discriminator.train()
        every = max(1, self.config.max_iter // 20)
        snapshot, snapshot_iter = self._snapshot(), 0
        for iteration in range(self.config.max_iter):
            record = self.train_step(iteration, X, y, class_prior)
            self.history.append(record)
            if _diverged(record):
                self._restore(snapshot)
                self.stop_reason = (
                    f"diverged at iteration {iteration + 1}; restored the networks of "
                    f"iteration {snapshot_iter}"
                )
                warnings.warn(
                    f"ActiveGAN training {self.stop_reason} and stopped. Try a smaller "
                    "learning_rate or uncertainty_weight.",
                    ConvergenceWarning,
                    stacklevel=2,
                )
                break
            if (iteration + 1) % every == 0:
                snapshot, snapshot_iter = self._snapshot(), iteration + 1
            if any([callback(record) for callback in self.callbacks]):
                self.stop_reason = f"stopped by a callback at iteration {iteration + 1}"
                break
        self.generator.eval()
        self.discriminator.eval()
        return self.history
