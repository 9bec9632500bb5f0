"""skactivegan: informative labelled rows for classifiers trained on small data.

ActiveGAN (Kong et al., AAAI-19) as scikit-learn and imbalanced-learn estimators:
:class:`ActiveGANAugmenter` over-samples with labelled rows that an oracle classifier
is uncertain about, :class:`MarginFilter` keeps the informative ones,
:class:`AugmentedClassifier` augments in ``fit``, :class:`DefaultSVC` is the library's
grid-searched, Platt-scaled SVM.  The generators are objects of
:mod:`skactivegan.generators`, the paper's reward estimator is in
:mod:`skactivegan.reward`.
"""

from ._augmenter import ActiveGANAugmenter
from .oracle._default_svm import DefaultSVC
from ._filter import MarginFilter
from ._meta import AugmentedClassifier
from . import generators, reward, uncertainty

__version__ = "1.0.0.dev0"

__all__ = [
    "ActiveGANAugmenter",
    "AugmentedClassifier",
    "DefaultSVC",
    "MarginFilter",
    "generators",
    "reward",
    "uncertainty",
    "__version__",
]
