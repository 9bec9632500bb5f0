"""Generator and discriminator networks of the AC-GAN.

Both return logits / unbounded values; losses apply ``binary_cross_entropy_with_logits``
and ``cross_entropy``.  The discriminator exposes its trunk ``h(x)`` (the features the
Gaussian mixture of Eq. (9) is fitted on) separately from its two heads.

Networks are built on the ``meta`` device and initialised with an explicit
``torch.Generator`` (:func:`build_module`), so that building them never reads or
advances torch's global random state.
"""

import math

import torch
from torch import nn

__all__ = ["Generator", "Discriminator", "build_module"]

_LEAKY_SLOPE = 0.2


def _mlp(sizes, *, negative_slope=_LEAKY_SLOPE, device=None):
    """Linear + LeakyReLU layers for consecutive pairs of ``sizes``."""
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out, device=device), nn.LeakyReLU(negative_slope)]
    return nn.Sequential(*layers)


class Generator(nn.Module):
    """MLP generator ``G(z, y)``: latent noise and a class label to a sample.

    Parameters
    ----------
    latent_dim : int
        Size of the noise vector ``z``.
    n_classes : int
        Number of classes K; the label enters through a learned embedding.
    n_features : int
        Size of a generated sample.
    hidden_layer_sizes : tuple of int
        Widths of the hidden layers.
    """

    def __init__(self, latent_dim, n_classes, n_features, hidden_layer_sizes, device=None):
        super().__init__()
        self.latent_dim = latent_dim
        self.n_classes = n_classes
        self.label_embedding = nn.Embedding(n_classes, latent_dim, device=device)
        self.body = _mlp((2 * latent_dim, *hidden_layer_sizes), device=device)
        self.output = nn.Linear(hidden_layer_sizes[-1], n_features, device=device)

    def forward(self, z, y):
        """Map noise ``z`` of shape (n, latent_dim) and labels ``y`` (n,) to (n, d)."""
        return self.output(self.body(torch.cat([z, self.label_embedding(y)], dim=1)))


class Discriminator(nn.Module):
    """MLP discriminator with a shared trunk ``h`` and two heads.

    Parameters
    ----------
    n_features : int
        Size of an input sample.
    n_classes : int
        Number of classes K of the class head.
    hidden_layer_sizes : tuple of int
        Widths of the trunk's layers; the last one is the size of ``h(x)``.

    Notes
    -----
    ``forward(x)`` returns ``(s, c, h)``: the real/fake logit of shape (n,), the class
    logits (n, K) and the trunk features (n, hidden_layer_sizes[-1]).
    """

    def __init__(self, n_features, n_classes, hidden_layer_sizes, device=None):
        super().__init__()
        self.trunk = _mlp((n_features, *hidden_layer_sizes), device=device)
        self.source_head = nn.Linear(hidden_layer_sizes[-1], 1, device=device)
        self.class_head = nn.Linear(hidden_layer_sizes[-1], n_classes, device=device)

    @property
    def n_features_out(self):
        return self.source_head.in_features

    def features(self, x):
        """Trunk features ``h(x)``."""
        return self.trunk(x)

    def forward(self, x):
        h = self.trunk(x)
        return self.source_head(h).squeeze(1), self.class_head(h), h


@torch.no_grad()
def _reset_parameters(module, generator):
    """Initialise every parameter of ``module`` from ``generator``.

    Linear layers get PyTorch's default (Kaiming-uniform weights, uniform biases),
    embeddings a standard normal, exactly as their own ``reset_parameters`` would,
    but without touching the global random state.
    """
    for layer in module.modules():
        if isinstance(layer, nn.Linear):
            nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=generator)
            if layer.bias is not None:
                bound = 1.0 / math.sqrt(layer.in_features) if layer.in_features else 0.0
                nn.init.uniform_(layer.bias, -bound, bound, generator=generator)
        elif isinstance(layer, nn.Embedding):
            nn.init.normal_(layer.weight, generator=generator)


def build_module(cls, *args, device, generator, **kwargs):
    """Build ``cls(*args, **kwargs)`` on ``device``, initialised from ``generator``.

    The module is first created on the ``meta`` device (no memory, no random draws),
    then materialised on ``device`` and initialised from the explicit ``generator``.
    The generator must live on the CPU; parameters are drawn there and copied.

    Returns
    -------
    module : torch.nn.Module
    """
    module = cls(*args, device="meta", **kwargs).to_empty(device="cpu")
    _reset_parameters(module, generator)
    return module.to(device)
