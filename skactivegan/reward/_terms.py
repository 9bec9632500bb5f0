"""The uncertainty term L_U of the generator's objective, as small pure functions.

Two estimators of the gradient of the expected reward r (Eq. (8), a constant here):

- the paper's score-function form, Eq. (10): ``mean_i r_i * log P(x_hat_i | Θ)``,
  the log-density of a Gaussian mixture fitted on the discriminator's features
  (:class:`~skactivegan.reward.MixtureReward`, the free generators);
- the policy gradient of the composing generator: the same formula with the
  log-probability of the generator's own choices (anchor, neighbour, position) in
  place of the mixture's log-density.

The normalisations are not in the paper; :class:`~skactivegan.reward.MixtureReward`
documents them.
"""

__all__ = [
    "LOG_DENSITY_NORMALIZATIONS",
    "REWARD_NORMALIZATIONS",
    "normalize_log_density",
    "normalize_rewards",
    "uncertainty_term",
]

REWARD_NORMALIZATIONS = ("none", "center", "standardize")
LOG_DENSITY_NORMALIZATIONS = ("none", "per_dim")


def uncertainty_term(rewards, log_prob):
    """L_U of Eq. (10): ``mean_i r_i * log_prob_i``, maximised by the generator.

    With the mixture's log-density ``log P(x_hat | Θ)`` this is the paper's
    score-function estimator; with the log-probability of a generator's own
    stochastic choices it is the REINFORCE policy gradient of the expected reward.

    Parameters
    ----------
    rewards : Tensor of shape (n,)
        Rewards r (possibly normalised, :func:`normalize_rewards`); treated as
        constants.
    log_prob : Tensor of shape (n,)
        Differentiable log-density or log-probability of each row.

    Returns
    -------
    L_U : Tensor, scalar
    """
    return (rewards.detach() * log_prob).mean()


def normalize_rewards(rewards, mode):
    """Variance reduction of the rewards before they weight a log-probability.

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
    """``log P(x_hat | Θ)``, divided by the feature dimension for ``"per_dim"``.

    Parameters
    ----------
    log_density : Tensor of shape (n,)
    n_features : int
        Dimension of the discriminator's features.
    mode : {"none", "per_dim"}

    Returns
    -------
    log_density : Tensor of shape (n,)
    """
    return log_density / n_features if mode == "per_dim" else log_density
