"""TrainingConfig: the settings of one run of Algorithm 1."""

from dataclasses import dataclass
from typing import Any

__all__ = ["TrainingConfig"]


@dataclass(kw_only=True, frozen=True)
class TrainingConfig:
    """Hyper-parameters of Algorithm 1, with the paper's symbols.

    Built by :class:`~skactivegan.ActiveGANAugmenter` from its own parameters (α, λ,
    the iterations) and its generator's settings (the rest); every field is
    required except the reward estimator's, exactly one of which is set.

    Attributes
    ----------
    alpha : float
        α of Eq. (8).
    uncertainty_weight : float
        λ of Eq. (10); 0 is plain AC-GAN.
    max_iter : int
        Generator updates, warm-up included.
    warmup_iter : int
        m: the plain AC-GAN iterations at the start, a count.
    discriminator_every : int
        k: the discriminator is updated once every k generator updates.
    batch_size : int
        Size of each real and generated batch.
    latent_dim : int
        Size of the noise vector z.
    learning_rate : float
        Adam learning rate of both networks.
    diversity_weight : float
        Weight of the mode-seeking term in the generator's loss.
    mixed_precision : bool
        Forward passes under ``torch.autocast`` (float16 and gradient scaling on
        CUDA, bfloat16 elsewhere); losses and the mixture stay in float32.
    policy_learning_rate : float or None
        Set for a generator that makes its rows by stochastic choices (one with
        ``act(z, y) -> (x, log_prob)`` and ``policy_parameters()``): the reward
        trains those choices by a policy gradient, at this learning rate.
    mixture : MixtureReward or None
        Set for the paper's estimator, Eq. (9)-(10): the mixture's settings.
    """

    alpha: float
    uncertainty_weight: float
    max_iter: int
    warmup_iter: int
    discriminator_every: int
    batch_size: int
    latent_dim: int
    learning_rate: float
    diversity_weight: float
    mixed_precision: bool
    policy_learning_rate: float | None = None
    mixture: Any = None

    def __post_init__(self):
        if (self.policy_learning_rate is None) == (self.mixture is None):
            raise ValueError(
                "A training configuration steers its generator either by a policy "
                "gradient (policy_learning_rate) or by the mixture (mixture); set "
                "exactly one."
            )

    @property
    def uses_policy(self):
        """Whether the reward trains the generator's choices (λ > 0)."""
        return self.uncertainty_weight > 0 and self.policy_learning_rate is not None

    @property
    def uses_mixture(self):
        """Whether training needs the mixture Θ (Eq. (10) with λ > 0)."""
        return self.uncertainty_weight > 0 and self.mixture is not None
