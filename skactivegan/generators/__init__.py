"""The generators of ActiveGAN, as objects that carry their own settings.

Give one to :class:`~skactivegan.ActiveGANAugmenter` as ``generator=``; its settings
are grid-search keys through ``generator__`` (``generator__k_neighbors``).

- :class:`ComposingGenerator` composes real rows, ``a + t (b - a) + r``, steered by
  a policy gradient: the default on tables (``generator="compose"``).
- :class:`MLPGenerator` is the paper's free generator G(z, y) with multilayer
  perceptrons (``generator="mlp"``), steered by the paper's estimator
  (:class:`~skactivegan.reward.MixtureReward`).
- :class:`ConvGenerator` is the free generator for images (convolutional).

The torch modules they build live in ``_composer.py`` and ``_networks.py``.
"""

from ._compose import ComposingGenerator
from ._free import ConvGenerator, MLPGenerator

__all__ = ["ComposingGenerator", "ConvGenerator", "MLPGenerator"]
