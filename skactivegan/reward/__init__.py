"""How the reward of Eq. (8) steers a generator.

:class:`MixtureReward` holds the settings of the paper's estimator (Eq. (9)-(10)),
used by the free generators; the composing generator's policy gradient needs none.
The maths is in small pure functions (``_terms.py``) and a Gaussian mixture in torch
(``_gaussian_mixture.py``).
"""

from ._mixture_reward import MixtureReward

__all__ = ["MixtureReward"]
