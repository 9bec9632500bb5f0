"""ChannelStandardScaler: standardise flattened images per channel, not per pixel."""

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["ChannelStandardScaler"]


class ChannelStandardScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Standardise flattened ``(C, H, W)`` images with one mean and scale per channel.

    A convolution applies the same filter at every position, which per-pixel scaling
    would defeat by blowing up rarely-inked pixels (a border pixel inked in one image
    of 500 becomes a 22-sigma value).  Pixels that are constant in ``fit`` (the
    blank border of digits, say) come back from :meth:`inverse_transform` as exactly
    that constant.

    Parameters
    ----------
    image_shape : tuple of int
        ``(C, H, W)``; each row of X holds ``C * H * W`` values, channel first.

    Attributes
    ----------
    mean_, scale_ : ndarray of shape (n_features_in_,)
        Each channel's mean and standard deviation (1 for a constant channel),
        repeated over that channel's pixels.
    constant_ : ndarray of shape (n_features_in_,), bool
        Pixels without variance in ``fit``.
    constant_values_ : ndarray of shape (n_constant,)
        Their values.
    dtype_ : numpy dtype
        The dtype of X in ``fit``, given back by :meth:`inverse_transform`.
    output_blocks_ : list
        Always empty: images have no one-hot blocks (the interface of the table
        encoder, which the networks read).
    n_features_in_ : int
    """

    def __init__(self, image_shape):
        self.image_shape = image_shape

    def fit(self, X, y=None):
        """Learn each channel's mean and scale from ``X`` (n, C*H*W)."""
        X = validate_data(self, X, dtype=(np.float64, np.float32))
        channels = int(self.image_shape[0])
        per_channel = X.reshape(len(X), channels, -1).astype(np.float64)
        mean = per_channel.mean(axis=(0, 2))
        scale = per_channel.std(axis=(0, 2))
        scale[scale == 0] = 1.0
        n_pixels = per_channel.shape[2]
        self.mean_ = np.repeat(mean, n_pixels)
        self.scale_ = np.repeat(scale, n_pixels)
        spread = X.max(axis=0) - X.min(axis=0)
        self.constant_ = spread == 0
        self.constant_values_ = X[0, self.constant_].astype(np.float64)
        self.output_blocks_ = []
        self.n_encoded_ = X.shape[1]
        self.dtype_ = X.dtype
        return self

    def transform(self, X):
        """Standardised rows, float32, shape (n, n_features_in_)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=(np.float64, np.float32), reset=False)
        return ((X - self.mean_) / self.scale_).astype(np.float32)

    def inverse_transform(self, X):
        """Rows in the original units and dtype, constant pixels restored exactly."""
        check_is_fitted(self)
        X = np.asarray(X, dtype=np.float64) * self.scale_ + self.mean_
        X[:, self.constant_] = self.constant_values_
        return X.astype(self.dtype_, copy=False)
