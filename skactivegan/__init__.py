"""skactivegan: informative labelled samples for classifiers with too few labels.

ActiveGAN (Kong et al., AAAI-19) as scikit-learn-compatible estimators:
:class:`ActiveGANAugmenter` generates labelled rows that an oracle classifier is
uncertain about, :class:`MarginFilter` keeps the informative ones.
"""

from ._augmenter import ActiveGANAugmenter
from ._filter import MarginFilter
from ._meta import AugmentedClassifier
from . import uncertainty

__version__ = "0.1.0.dev0"

__all__ = [
    "ActiveGANAugmenter",
    "AugmentedClassifier",
    "MarginFilter",
    "uncertainty",
    "__version__",
]
