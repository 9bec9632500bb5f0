"""MixtureReward: the settings of the paper's estimator, Eq. (9)-(10)."""

from numbers import Integral

from sklearn.base import BaseEstimator

from .._compat import Interval, StrOptions
from ._gaussian_mixture import COVARIANCE_TYPES
from ._terms import LOG_DENSITY_NORMALIZATIONS, REWARD_NORMALIZATIONS

__all__ = ["MixtureReward"]


class MixtureReward(BaseEstimator):
    """The paper's reward estimator: the reward weights a mixture's log-density.

    Eq. (9)-(10): a Gaussian mixture Θ is fitted on the discriminator's features
    h(x̂) of the last ``buffer_batches`` generated batches, re-estimated by
    warm-started EM at every rewarded iteration, and the generator maximises
    ``λ · mean(r(x̂) · log P(x̂ | Θ))`` with the reward r of Eq. (8) a constant.
    Gradients reach the generator through h(x̂), never Θ or the discriminator.

    It steers the free generators (:class:`~skactivegan.generators.MLPGenerator`,
    :class:`~skactivegan.generators.ConvGenerator`, their ``reward`` parameter); the
    composing generator steers its own choices by a policy gradient instead.  Its
    settings are grid-search keys through the generator:
    ``generator__reward__n_components``.

    Parameters
    ----------
    n_components : int, default=10
        K_gmm, the number of mixture components.
    covariance_type : {"diag", "full"}, default="diag"
        Covariance of the components.
    buffer_batches : int, default=10
        M: the mixture is fitted on the features of the last M generated batches.
    em_iter : int, default=1
        EM iterations per rewarded iteration, warm-started from the previous Θ.
    reward_normalization : {"none", "center", "standardize"}, default="standardize"
        What is done to the batch's rewards before they weight the log-density:
        "none" is Eq. (10) as written; "center" subtracts their mean (a baseline);
        "standardize" also divides by their standard deviation.
    log_density_normalization : {"none", "per_dim"}, default="per_dim"
        "per_dim" divides ``log P(x̂ | Θ)`` by the dimension of h(x), so that λ
        does not depend on the discriminator's width; "none" is Eq. (9) as written.

    See Also
    --------
    skactivegan.generators.MLPGenerator : the paper's free generator.

    Notes
    -----
    The two normalisations are not in the paper: with the paper's λ = 10 and neither,
    the generator collapsed onto a few rows per class in our runs
    (docs/efficacy.md).  The paper's configuration is
    ``MixtureReward(reward_normalization="none", log_density_normalization="none")``.

    Examples
    --------
    >>> from skactivegan import ActiveGANAugmenter
    >>> from skactivegan.generators import MLPGenerator
    >>> from skactivegan.reward import MixtureReward
    >>> aug = ActiveGANAugmenter(
    ...     generator=MLPGenerator(reward=MixtureReward(n_components=5)))
    >>> aug.get_params()["generator__reward__n_components"]
    5
    """

    _parameter_constraints = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "covariance_type": [StrOptions(set(COVARIANCE_TYPES))],
        "buffer_batches": [Interval(Integral, 1, None, closed="left")],
        "em_iter": [Interval(Integral, 1, None, closed="left")],
        "reward_normalization": [StrOptions(set(REWARD_NORMALIZATIONS))],
        "log_density_normalization": [StrOptions(set(LOG_DENSITY_NORMALIZATIONS))],
    }

    def __init__(self, n_components=10, covariance_type="diag", buffer_batches=10,
                 em_iter=1, reward_normalization="standardize",
                 log_density_normalization="per_dim"):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.buffer_batches = buffer_batches
        self.em_iter = em_iter
        self.reward_normalization = reward_normalization
        self.log_density_normalization = log_density_normalization
