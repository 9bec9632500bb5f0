"""MLPGenerator and ConvGenerator: the settings of the free generator G(z, y)."""

from numbers import Integral, Real

from .._compat import HasMethods, Interval
from .._parts import PartsMixin
from ..reward import MixtureReward
from ..tables._scaling import ChannelStandardScaler
from ..tables._validation import check_image_shape
from ._base import GeneratorSettings
from ._networks import build_networks, build_user_networks
from ._networks import check_image_shape as check_conv_shape

__all__ = ["ConvGenerator", "MLPGenerator"]

_TRAINING_CONSTRAINTS = {
    "latent_dim": [Interval(Integral, 1, None, closed="left")],
    "networks": [callable, None],
    "reward": [HasMethods(["get_params"]), None],
    "diversity_weight": [Interval(Real, 0.0, None, closed="left")],
    "learning_rate": [Interval(Real, 0.0, None, closed="neither")],
    "batch_size": [Interval(Integral, 1, None, closed="left")],
    "discriminator_every": [Interval(Integral, 1, None, closed="left")],
    "mixed_precision": ["boolean"],
}


class _FreeGenerator(PartsMixin, GeneratorSettings):
    """The settings shared by the free generators (see :class:`MLPGenerator`)."""

    _parts = {"reward": "_default_reward"}

    def __init__(self, *, latent_dim, networks, reward, diversity_weight,
                 learning_rate, batch_size, discriminator_every, mixed_precision):
        self.latent_dim = latent_dim
        self.networks = networks
        self.reward = reward
        self.diversity_weight = diversity_weight
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.discriminator_every = discriminator_every
        self.mixed_precision = mixed_precision

    @staticmethod
    def _default_reward(value):
        """``reward=None`` stands for ``MixtureReward()``."""
        return MixtureReward() if value is None else None

    def _check(self, n_features, device):
        super()._check(n_features, device)
        if self.reward is not None:
            if not isinstance(self.reward, MixtureReward):
                raise TypeError(
                    "reward must be a skactivegan.reward.MixtureReward (the paper's "
                    f"estimator) or None for its defaults; got {self.reward!r}."
                )
            self.reward._validate_params()
        if self.mixed_precision and device.type not in ("cpu", "cuda"):
            raise ValueError(
                f"mixed_precision=True is supported on CUDA and the CPU; got device "
                f"{device}. Set mixed_precision=False."
            )

    def _training_settings(self):
        return dict(
            latent_dim=int(self.latent_dim), batch_size=int(self.batch_size),
            learning_rate=float(self.learning_rate),
            discriminator_every=int(self.discriminator_every),
            diversity_weight=float(self.diversity_weight),
            mixed_precision=bool(self.mixed_precision),
            mixture=self.reward if self.reward is not None else MixtureReward(),
        )

    def _networks(self, n_features, n_classes, *, encoder, device, rng, seed,
                  hidden_layer_sizes, image_shape):
        if self.networks is not None:
            return build_user_networks(self.networks, n_features, n_classes,
                                       latent_dim=int(self.latent_dim), seed=seed,
                                       device=device)
        return build_networks(
            n_features, n_classes, latent_dim=int(self.latent_dim),
            hidden_layer_sizes=hidden_layer_sizes, image_shape=image_shape,
            device=device, rng=rng, output_blocks=tuple(encoder.output_blocks_),
        )


class MLPGenerator(_FreeGenerator):
    """The paper's free generator G(z, y) and discriminator D, as multilayer
    perceptrons.

    G maps noise z and a class label to a row in the encoded space (numbers
    standardised, categories one-hot through a straight-through head per
    categorical column); D returns real/fake and class logits and its trunk's
    features h(x).  Trained by Algorithm 1: plain AC-GAN iterations (Eq. (4)-(5)),
    then with the reward of Eq. (8) weighted by the mixture density of Eq. (9)
    (``reward``).  Its rows are filtered by margin by default (the augmenter's
    ``filter="auto"``).

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(128, 128)
        Widths of the hidden layers of G and of D's trunk; the last is the
        dimension of h(x).
    latent_dim : int, default=32
        Size of the noise vector z.
    networks : callable, default=None
        Your own networks instead of the MLPs:
        ``networks(n_features, n_classes, latent_dim)`` returns ``(generator,
        discriminator)``, two ``torch.nn.Module``.  The generator maps noise (n,
        latent_dim) and int64 labels (n,) to encoded rows (n, n_features); the
        discriminator maps rows to ``(s, c, h)``: real/fake logits (n,), class
        logits (n, n_classes) and features h (n, d).  Use a module-level function,
        so that the augmenter pickles.
    reward : MixtureReward, default=None
        The paper's estimator of Eq. (9)-(10) and its settings; None is
        ``MixtureReward()``.  ``reward__n_components`` and the like are grid keys.
    diversity_weight : float, default=1.0
        Weight of a mode-seeking term (Mao et al., 2019) in G's loss, against
        collapse onto a few rows per class; 0 turns it off (the paper has none).
    learning_rate : float, default=2e-4
        Adam learning rate of both networks (β1 = 0.5, β2 = 0.999).
    batch_size : int, default=64
        Size of the real and of the generated batch of each iteration.
    discriminator_every : int, default=1
        k of Algorithm 1: D is updated once every k updates of G.
    mixed_precision : bool, default=False
        Forward passes in half precision (``torch.autocast``: float16 with gradient
        scaling on CUDA, bfloat16 on the CPU); not bit-identical to float32.

    See Also
    --------
    ComposingGenerator : rows composed from real ones, the default on tables.
    ConvGenerator : the free generator for images.
    skactivegan.reward.MixtureReward : the paper's reward estimator.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skactivegan import ActiveGANAugmenter
    >>> from skactivegan.generators import MLPGenerator
    >>> X, y = load_iris(return_X_y=True)
    >>> aug = ActiveGANAugmenter(generator=MLPGenerator(hidden_layer_sizes=(32,)),
    ...                          n_samples=30, max_iter=100, random_state=0)
    >>> X_res, y_res = aug.fit_resample(X, y)
    >>> X_res.shape
    (180, 4)
    """

    _parameter_constraints = {
        "hidden_layer_sizes": [tuple, list],
        **_TRAINING_CONSTRAINTS,
    }

    def __init__(self, hidden_layer_sizes=(128, 128), latent_dim=32, *, networks=None,
                 reward=None, diversity_weight=1.0, learning_rate=2e-4, batch_size=64,
                 discriminator_every=1, mixed_precision=False):
        super().__init__(latent_dim=latent_dim, networks=networks, reward=reward,
                         diversity_weight=diversity_weight, learning_rate=learning_rate,
                         batch_size=batch_size, discriminator_every=discriminator_every,
                         mixed_precision=mixed_precision)
        self.hidden_layer_sizes = hidden_layer_sizes

    def _check(self, n_features, device):
        super()._check(n_features, device)
        _check_sizes(self.hidden_layer_sizes, "hidden_layer_sizes")

    def _build(self, X, Z, y_index, n_classes, *, encoder, device, rng, seed,
               classes_to_generate):
        return self._networks(Z.shape[1], n_classes, encoder=encoder, device=device,
                              rng=rng, seed=seed,
                              hidden_layer_sizes=tuple(self.hidden_layer_sizes),
                              image_shape=None)


class ConvGenerator(_FreeGenerator):
    """The free generator for images: DCGAN-style convolutional G and D.

    Each row of X is a flattened image, channel first.  The images are
    standardised per channel (not per pixel); G upsamples noise and a label twice,
    D downsamples twice and its trunk's output is h(x).  Trained as
    :class:`MLPGenerator` is.

    Parameters
    ----------
    image_shape : tuple of int, default=None
        ``(C, H, W)``, or ``(H, W)`` for one channel; H and W multiples of 4.  None
        is one square channel.
    width : int, default=128
        Channels of the first convolution (the others are multiples of it); h(x)
        has ``4 * width`` dimensions.  32 is a good width on a CPU for 28x28
        images; 128 costs about sixteen times as much.
    latent_dim : int, default=32
        Size of the noise vector z.
    networks : callable, default=None
        Your own networks instead of the convolutions, as for
        :class:`MLPGenerator`; they get the per-channel standardised images.
    reward : MixtureReward, default=None
        The paper's estimator of Eq. (9)-(10); None is ``MixtureReward()``.
    diversity_weight : float, default=1.0
        Weight of the mode-seeking term in G's loss; 0 turns it off.
    learning_rate : float, default=2e-4
        Adam learning rate of both networks.
    batch_size : int, default=64
        Size of each real and generated batch; at least 2 (batch normalisation).
    discriminator_every : int, default=1
        k of Algorithm 1: D is updated once every k updates of G.
    mixed_precision : bool, default=False
        Forward passes in half precision (``torch.autocast``).

    See Also
    --------
    MLPGenerator : the free generator for feature rows.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skactivegan import ActiveGANAugmenter
    >>> from skactivegan.generators import ConvGenerator
    >>> X, y = load_digits(return_X_y=True)
    >>> aug = ActiveGANAugmenter(generator=ConvGenerator((8, 8), width=8),
    ...                          n_samples=20, max_iter=20, random_state=0)
    >>> X_res, y_res = aug.fit_resample(X[:200], y[:200])
    >>> X_res.shape
    (220, 64)
    """

    _parameter_constraints = {
        "image_shape": [tuple, list, None],
        "width": [Interval(Integral, 1, None, closed="left")],
        **_TRAINING_CONSTRAINTS,
    }

    def __init__(self, image_shape=None, width=128, latent_dim=32, *, networks=None,
                 reward=None, diversity_weight=1.0, learning_rate=2e-4, batch_size=64,
                 discriminator_every=1, mixed_precision=False):
        super().__init__(latent_dim=latent_dim, networks=networks, reward=reward,
                         diversity_weight=diversity_weight, learning_rate=learning_rate,
                         batch_size=batch_size, discriminator_every=discriminator_every,
                         mixed_precision=mixed_precision)
        self.image_shape = image_shape
        self.width = width

    def _check(self, n_features, device):
        super()._check(n_features, device)
        shape = check_image_shape(self.image_shape, n_features)
        if self.networks is None:
            check_conv_shape(shape)
            if self.batch_size < 2:
                raise ValueError(
                    "batch_size must be at least 2 for ConvGenerator: its generator "
                    "normalises each batch (batch normalisation)."
                )

    def _make_encoder(self, categorical_features, n_features):
        return ChannelStandardScaler(check_image_shape(self.image_shape, n_features))

    def _build(self, X, Z, y_index, n_classes, *, encoder, device, rng, seed,
               classes_to_generate):
        return self._networks(Z.shape[1], n_classes, encoder=encoder, device=device,
                              rng=rng, seed=seed, hidden_layer_sizes=(int(self.width),),
                              image_shape=encoder.image_shape)


def _check_sizes(sizes, name):
    if not len(sizes) or not all(isinstance(s, Integral) and s > 0 for s in sizes):
        raise ValueError(
            f"{name} must be a non-empty sequence of positive ints; got {sizes!r}."
        )
