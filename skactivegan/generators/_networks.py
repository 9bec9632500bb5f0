"""GeneratorMLP and discriminator networks of the AC-GAN.

Both return logits / unbounded values; losses apply ``binary_cross_entropy_with_logits``
and ``cross_entropy``.  The discriminator exposes its trunk ``h(x)`` (the features the
Gaussian mixture of Eq. (9) is fitted on) separately from its two heads.

Networks are built on the ``meta`` device and initialised with an explicit
``torch.Generator`` (:func:`build_module`), so that building them never reads or
advances torch's global random state.

For tables with categorical columns the generator ends in a per-block
straight-through one-hot head (:func:`straight_through_one_hot`): each one-hot block
of its output is the exact one-hot vector of its arg-max, so that the discriminator
sees one-hot rows from the data and from the generator alike.
"""

import itertools
import math

import torch
from torch import nn

__all__ = [
    "DiscriminatorConv",
    "GeneratorConv",
    "DiscriminatorMLP",
    "GeneratorMLP",
    "build_discriminator",
    "build_module",
    "build_user_networks",
    "check_image_shape",
    "check_networks",
    "check_output_blocks",
    "straight_through_one_hot",
]

_LEAKY_SLOPE = 0.2


def _mlp(sizes, *, negative_slope=_LEAKY_SLOPE, device=None):
    """Linear + LeakyReLU layers for consecutive pairs of ``sizes``."""
    layers = []
    for n_in, n_out in itertools.pairwise(sizes):
        layers += [nn.Linear(n_in, n_out, device=device), nn.LeakyReLU(negative_slope)]
    return nn.Sequential(*layers)


def label_embedding(n_classes, dim, *, device=None):
    """An ``nn.Embedding(n_classes, dim)`` whose weights are left for the caller.

    Its storage is allocated empty: ``nn.Embedding``'s own initialisation would draw
    from torch's global generator, and on the ``meta`` device it goes through torch's
    reference implementations, whose first use imports the compiler stack (about
    2.5 s once per process, measured). :func:`build_module` initialises the weights
    from an explicit generator instead.
    """
    weight = torch.empty(n_classes, dim, device=device)
    return nn.Embedding(n_classes, dim, _weight=weight)


def straight_through_one_hot(logits):
    """One-hot rows of the arg-max, with the gradient of the softmax.

    Forward, the exact one-hot vector of each row's arg-max (the first on ties);
    backward, the gradient of ``softmax(logits)`` (the straight-through estimator).
    It is written ``hard + (soft - soft.detach())``: the bracket is exactly zero, so
    the values are exactly 0 and 1, where ``hard - soft.detach() + soft`` can be off
    by a rounding error.  Nothing is sampled: the randomness of a generated row comes
    from its noise ``z`` only.

    Parameters
    ----------
    logits : Tensor of shape (n, k)

    Returns
    -------
    one_hot : Tensor of shape (n, k)
        Same dtype and device as ``logits``.
    """
    soft = torch.softmax(logits, dim=1)
    hard = torch.zeros_like(logits).scatter_(1, logits.argmax(dim=1, keepdim=True), 1.0)
    return hard + (soft - soft.detach())


def check_output_blocks(output_blocks, n_features):
    """Check one-hot blocks ``(start, stop)``: sorted, disjoint, inside ``n_features``.

    Returns
    -------
    blocks : tuple of (int, int)
    """
    blocks = tuple((int(start), int(stop)) for start, stop in output_blocks)
    previous_stop = 0
    for start, stop in blocks:
        if not previous_stop <= start < stop <= n_features:
            raise ValueError(
                f"output_blocks must be sorted, disjoint (start, stop) pairs with "
                f"0 <= start < stop <= n_features ({n_features}); got {list(blocks)}."
            )
        previous_stop = stop
    return blocks


class GeneratorMLP(nn.Module):
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
    output_blocks : sequence of (int, int), default=()
        ``(start, stop)`` of each one-hot block of a generated sample (the encoded
        categorical columns of a table, e.g. ``TableEncoder.output_blocks_``).  Each
        block goes through :func:`straight_through_one_hot`: its values are the exact
        one-hot vector of the block's arg-max, and its gradient is the softmax's.  So
        the discriminator sees one-hot rows from the data and from the generator alike,
        and the module draws no random numbers (unlike ``F.gumbel_softmax``, which
        reads torch's global generator): a row's category comes from its noise ``z``.
        The other outputs are linear, as without blocks.
    """

    def __init__(self, latent_dim, n_classes, n_features, hidden_layer_sizes, device=None,
                 output_blocks=()):
        super().__init__()
        self.latent_dim = latent_dim
        self.n_classes = n_classes
        self.output_blocks = check_output_blocks(output_blocks, n_features)
        self.label_embedding = label_embedding(n_classes, latent_dim, device=device)
        self.body = _mlp((2 * latent_dim, *hidden_layer_sizes), device=device)
        self.output = nn.Linear(hidden_layer_sizes[-1], n_features, device=device)
        self._segments = _segments(self.output_blocks, n_features)

    def forward(self, z, y):
        """Map noise ``z`` of shape (n, latent_dim) and labels ``y`` (n,) to (n, d)."""
        out = self.output(self.body(torch.cat([z, self.label_embedding(y)], dim=1)))
        if not self.output_blocks:
            return out
        return torch.cat([straight_through_one_hot(out[:, start:stop]) if one_hot
                          else out[:, start:stop]
                          for start, stop, one_hot in self._segments], dim=1)


def _segments(blocks, n_features):
    """Split ``range(n_features)`` into ``(start, stop, is_block)`` runs, in order."""
    segments, position = [], 0
    for start, stop in blocks:
        if position < start:
            segments.append((position, start, False))
        segments.append((start, stop, True))
        position = stop
    if position < n_features:
        segments.append((position, n_features, False))
    return tuple(segments)


class DiscriminatorMLP(nn.Module):
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

    def forward(self, x):
        h = self.trunk(x)
        return self.source_head(h).squeeze(1), self.class_head(h), h


def check_image_shape(image_shape):
    """Unpack ``(C, H, W)``; H and W must be multiples of 4 (two 2x resamplings)."""
    channels, height, width = image_shape
    if height % 4 or width % 4:
        raise ValueError(
            f"image_shape height and width must be multiples of 4; got {image_shape}."
        )
    return channels, height, width


class GeneratorConv(nn.Module):
    """DCGAN-style generator ``G(z, y)`` for images, returning flattened pixels.

    The noise and the label embedding are projected to a ``(2c, H/4, W/4)`` map,
    then upsampled twice (nearest neighbour, 3x3 convolution, batch normalisation,
    LeakyReLU) to ``(C, H, W)``.  Batch normalisation, as in DCGAN, uses the batch's
    statistics in training and the running ones once the module is in ``eval()``
    mode, which is how the augmenter generates rows after ``fit``.

    Parameters
    ----------
    latent_dim : int
        Size of the noise vector ``z``.
    n_classes : int
        Number of classes K.
    image_shape : tuple of int
        ``(C, H, W)``, with H and W multiples of 4.
    channels : int
        Width ``c`` of the last hidden feature map.
    """

    def __init__(self, latent_dim, n_classes, image_shape, channels, device=None):
        super().__init__()
        c_out, height, width = check_image_shape(image_shape)
        self.latent_dim = latent_dim
        self.n_classes = n_classes
        self.start_shape = (2 * channels, height // 4, width // 4)
        self.label_embedding = label_embedding(n_classes, latent_dim, device=device)
        self.project = nn.Linear(2 * latent_dim, math.prod(self.start_shape), device=device)
        self.body = nn.Sequential(
            nn.BatchNorm2d(2 * channels, device=device),
            nn.LeakyReLU(_LEAKY_SLOPE),
            nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(2 * channels, channels, 3, padding=1, device=device),
            nn.BatchNorm2d(channels, device=device),
            nn.LeakyReLU(_LEAKY_SLOPE),
            nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(channels, channels, 3, padding=1, device=device),
            nn.BatchNorm2d(channels, device=device),
            nn.LeakyReLU(_LEAKY_SLOPE),
            nn.Conv2d(channels, c_out, 3, padding=1, device=device),
        )

    def forward(self, z, y):
        """Map ``z`` (n, latent_dim) and ``y`` (n,) to flattened images (n, C*H*W)."""
        h = self.project(torch.cat([z, self.label_embedding(y)], dim=1))
        return self.body(h.view(-1, *self.start_shape)).flatten(1)


class DiscriminatorConv(nn.Module):
    """Convolutional discriminator with a shared trunk ``h`` and two heads.

    The trunk is two stride-2 convolutions, then a dense layer on the flattened
    ``(2c, H/4, W/4)`` map, so ``h(x)`` has ``4 * channels`` dimensions: these are the
    features the mixture of Eq. (9) is fitted on.  The dense layer keeps where
    strokes are; a global pooling would leave the discriminator only textures to
    judge, and the generator would learn textures.

    Parameters
    ----------
    image_shape : tuple of int
        ``(C, H, W)``; inputs are flattened images of ``C*H*W`` values.
    n_classes : int
        Number of classes K of the class head.
    channels : int
        Width of the first convolution.
    """

    def __init__(self, image_shape, n_classes, channels, device=None):
        super().__init__()
        c_in, height, width = check_image_shape(image_shape)
        self.image_shape = tuple(image_shape)
        flat = 2 * channels * (height // 4) * (width // 4)
        self.trunk = nn.Sequential(
            nn.Conv2d(c_in, channels, 4, stride=2, padding=1, device=device),
            nn.LeakyReLU(_LEAKY_SLOPE),
            nn.Conv2d(channels, 2 * channels, 4, stride=2, padding=1, device=device),
            nn.LeakyReLU(_LEAKY_SLOPE),
            nn.Flatten(),
            nn.Linear(flat, 4 * channels, device=device),
            nn.LeakyReLU(_LEAKY_SLOPE),
        )
        self.source_head = nn.Linear(4 * channels, 1, device=device)
        self.class_head = nn.Linear(4 * channels, n_classes, device=device)

    def forward(self, x):
        h = self.trunk(x.view(-1, *self.image_shape))
        return self.source_head(h).squeeze(1), self.class_head(h), h


@torch.no_grad()
def _reset_parameters(module, rng):
    """Initialise every parameter of ``module`` from the ``torch.Generator`` ``rng``.

    Linear and convolution layers get PyTorch's default (Kaiming-uniform weights,
    uniform biases), embeddings a standard normal, as their own
    ``reset_parameters`` would, but without touching the global random state;
    batch normalisations their (deterministic) defaults.
    """
    for layer in module.modules():
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=rng)
            if layer.bias is not None:
                fan_in = layer.weight[0].numel()
                bound = 1.0 / math.sqrt(fan_in) if fan_in else 0.0
                nn.init.uniform_(layer.bias, -bound, bound, generator=rng)
        elif isinstance(layer, nn.Embedding):
            nn.init.normal_(layer.weight, generator=rng)
        elif isinstance(layer, nn.modules.batchnorm._BatchNorm):
            layer.reset_parameters()  # weight 1, bias 0, running mean 0 and var 1


def build_module(cls, *args, device, rng, **kwargs):
    """Build ``cls(*args, **kwargs)`` on ``device``, initialised from ``rng``.

    The module is first created on the ``meta`` device (no memory, no random draws),
    then materialised on ``device`` and initialised from the explicit
    ``torch.Generator`` ``rng``, which must live on the CPU; parameters are drawn
    there and copied.

    Returns
    -------
    module : torch.nn.Module
    """
    module = cls(*args, device="meta", **kwargs).to_empty(device="cpu")
    _reset_parameters(module, rng)
    return module.to(device)


def build_networks(n_features, n_classes, *, latent_dim, hidden_layer_sizes,
                   image_shape, device, rng, output_blocks=()):
    """Build the generator and discriminator for tabular data or for images.

    Parameters
    ----------
    n_features : int
    n_classes : int
    latent_dim : int
    hidden_layer_sizes : tuple of int
        MLP widths; for images, ``hidden_layer_sizes[0]`` is the channel width.
    image_shape : tuple of int or None
        ``(C, H, W)`` for convolutional networks, None for MLPs.
    device : torch.device
    rng : torch.Generator
        CPU generator for the initial weights.
    output_blocks : sequence of (int, int), default=()
        One-hot blocks of the generator's output (see :class:`GeneratorMLP`); tables
        only, not images.

    Returns
    -------
    generator, discriminator : torch.nn.Module
    """
    if image_shape is None:
        G = build_module(GeneratorMLP, latent_dim, n_classes, n_features, hidden_layer_sizes,
                         device=device, rng=rng, output_blocks=output_blocks)
    else:
        if len(output_blocks):
            raise ValueError(
                "output_blocks (one-hot categorical columns) are for tables; "
                "convolutional networks for images take none."
            )
        G = build_module(GeneratorConv, latent_dim, n_classes, image_shape,
                         hidden_layer_sizes[0], device=device, rng=rng)
    D = build_discriminator(n_features, n_classes, hidden_layer_sizes=hidden_layer_sizes,
                            image_shape=image_shape, device=device, rng=rng)
    return G, D


def build_discriminator(n_features, n_classes, *, hidden_layer_sizes, image_shape,
                        device, rng):
    """Build the discriminator alone (for a generator built elsewhere).

    Parameters are those of :func:`build_networks`.

    Returns
    -------
    discriminator : torch.nn.Module
    """
    if image_shape is None:
        return build_module(DiscriminatorMLP, n_features, n_classes, hidden_layer_sizes,
                            device=device, rng=rng)
    return build_module(DiscriminatorConv, image_shape, n_classes,
                        hidden_layer_sizes[0], device=device, rng=rng)


def build_user_networks(factory, n_features, n_classes, *, latent_dim, seed, device):
    """Build user-supplied networks with ``factory(n_features, n_classes, latent_dim)``.

    The factory's own initialisation draws from torch's global generator; it runs
    under ``torch.random.fork_rng`` seeded with ``seed``, so that the result is
    reproducible and the caller's global random state is the same afterwards.

    Returns
    -------
    generator, discriminator : torch.nn.Module
        On ``device``, checked by :func:`check_networks`.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        networks = factory(n_features, n_classes, latent_dim)
    if not (isinstance(networks, tuple) and len(networks) == 2
            and all(isinstance(m, nn.Module) for m in networks)):
        raise TypeError(
            "networks(n_features, n_classes, latent_dim) must return a tuple "
            f"(generator, discriminator) of torch modules; got {type(networks).__name__}."
        )
    G, D = (m.to(device) for m in networks)
    check_networks(G, D, n_features, n_classes, latent_dim, device)
    return G, D


@torch.no_grad()
def check_networks(G, D, n_features, n_classes, latent_dim, device):
    """Check the generator/discriminator interface on a batch of two.

    ``G(z, y)`` maps noise (n, latent_dim) and int64 labels (n,) to (n, n_features);
    ``D(x)`` returns ``(s, c, h)``: real/fake logits (n,), class logits
    (n, n_classes) and features (n, d).  A mismatch is a ValueError naming it.
    """
    z = torch.zeros(2, latent_dim, device=device)
    y = torch.zeros(2, dtype=torch.int64, device=device)
    x = G(z, y)
    if tuple(x.shape) != (2, n_features):
        raise ValueError(f"generator(z, y) must return shape (n, {n_features}); "
                         f"got {tuple(x.shape)}.")
    out = D(x)
    if not (isinstance(out, tuple) and len(out) == 3):
        raise ValueError("discriminator(x) must return (s, c, h): real/fake logits, "
                         "class logits and trunk features.")
    s, c, h = out
    expected = {"s": (2,), "c": (2, n_classes)}
    for name, value in (("s", s), ("c", c)):
        if tuple(value.shape) != expected[name]:
            raise ValueError(f"discriminator output {name} must have shape "
                             f"{expected[name]} for 2 rows; got {tuple(value.shape)}.")
    if h.ndim != 2 or h.shape[0] != 2:
        raise ValueError(f"discriminator features h must be (n, d); got {tuple(h.shape)}.")
