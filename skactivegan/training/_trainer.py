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
from typing import NamedTuple

import torch
from sklearn.exceptions import ConvergenceWarning

from ..reward._terms import normalize_log_density, normalize_rewards, uncertainty_term
from ..uncertainty import _margin, _reward
from ._adam import Adam
from ._losses import discriminator_loss, generator_adversarial_loss, mode_seeking_term

__all__ = ["ActiveGANTrainer", "FeatureBuffer"]


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

        ``proba(x_hat)``: for a detached (n, d) tensor, the (n, K) tensor of
        probabilities (columns in the order of the class indices) on ``x_hat``'s
        device, computed without gradient.
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
        self.buffer = (FeatureBuffer(config.mixture.buffer_batches)
                       if config.uses_mixture else None)
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

    def query_oracle(self, x_fake):
        """Ask the oracle about a generated batch: probabilities, margins, rewards."""
        proba = self.oracle.proba(x_fake.detach()).to(self.score_dtype)
        margins = _margin(proba)
        rewards = _reward(proba, self.config.alpha, margins)
        return BatchScores(proba, margins, rewards.to(x_fake.dtype))

    def mixture_uncertainty(self, features, scores):
        """L_U of Eq. (10) on a batch: one warm EM step on the buffer, then r · log P."""
        mixture = self.config.mixture
        n_iter = mixture.em_iter if self.density.has_parameters else _INITIAL_EM_ITER
        self.density.fit(self.buffer.tensor(), n_iter=n_iter)
        log_density = normalize_log_density(
            self.density.log_prob(features), features.shape[1],
            mixture.log_density_normalization,
        )
        weights = normalize_rewards(scores.rewards, mixture.reward_normalization)
        return uncertainty_term(weights, log_density)

    def _generate(self, z, y_fake, policy):
        """A generated batch, its discriminator outputs and, for ``policy``, the
        log-probability of the generator's choices (all float32)."""
        log_policy = None
        self.discriminator.requires_grad_(False)
        try:
            with self.autocast():
                if policy:
                    x_fake, log_policy = self.generator.act(z, y_fake)
                else:
                    x_fake = self.generator(z, y_fake)
                fake_logit, fake_class_logits, features = self.discriminator(x_fake)
        finally:
            self.discriminator.requires_grad_(True)
        # Losses, the mixture and the oracle work in float32 (no-ops without autocast).
        return (x_fake.float(), fake_logit.float(), fake_class_logits.float(),
                features.float(), None if log_policy is None else log_policy.float())

    def generator_step(self, z, y_fake, scored, rewarded):
        """One update of G with Eq. (5), plus λ·L_U when ``rewarded``.

        L_U is the policy gradient on the generator's own choices
        (``config.uses_policy``) or Eq. (10) with the mixture
        (:meth:`mixture_uncertainty`).  ``scored`` asks the oracle about the batch
        (``rewarded`` implies it).

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
        x_fake, fake_logit, fake_class_logits, features, log_policy = self._generate(
            z, y_fake, policy)
        loss = generator_adversarial_loss(fake_logit, fake_class_logits, y_fake)
        adversarial = loss.detach()
        if cfg.diversity_weight > 0:
            loss = loss + cfg.diversity_weight * mode_seeking_term(x_fake, z)

        scores, l_u = None, None
        if scored or rewarded:
            scores = self.query_oracle(x_fake)
            if policy:
                weights = normalize_rewards(scores.rewards, "standardize")
                l_u = uncertainty_term(weights, log_policy)
            elif rewarded and cfg.uses_mixture and (
                    len(self.buffer) >= cfg.mixture.n_components):
                l_u = self.mixture_uncertainty(features, scores)
        if l_u is None:
            l_u = self.nan
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
        if self.buffer is not None:
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
        # A module's ``constant_buffers`` (the composer's real rows and their
        # neighbours, the size of the table) do not change in training: cloning
        # them at every checkpoint copied the table 20 times a fit.
        return tuple({key: value.detach().clone() for key, value in
                      module.state_dict().items()
                      if key not in getattr(module, "constant_buffers", ())}
                     for module in (self.generator, self.discriminator))

    def _restore(self, snapshot):
        for module, saved in zip((self.generator, self.discriminator), snapshot):
            module.load_state_dict({**module.state_dict(), **saved})

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
