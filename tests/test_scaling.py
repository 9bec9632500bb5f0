import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from skactivegan.tables._scaling import ChannelStandardScaler


def test_channel_scaler_shares_one_mean_and_scale_per_channel():
    rng = np.random.RandomState(0)
    X = np.concatenate(
        [rng.normal(5.0, 2.0, (30, 16)), rng.normal(-1.0, 0.5, (30, 16))], axis=1
    )  # two 4x4 channels
    scaler = ChannelStandardScaler((2, 4, 4)).fit(X)
    first, second = X[:, :16], X[:, 16:]
    np.testing.assert_allclose(scaler.mean_[:16], first.mean())
    np.testing.assert_allclose(scaler.scale_[16:], second.std())
    Z = scaler.transform(X)
    assert Z.dtype == np.float32
    np.testing.assert_allclose(
        [Z[:, :16].mean(), Z[:, 16:].std()], [0.0, 1.0], atol=1e-5
    )
    np.testing.assert_allclose(scaler.inverse_transform(Z), X, rtol=1e-4, atol=1e-6)
    assert scaler.output_blocks_ == []


def test_constant_pixels_come_back_exactly_and_dtype_is_kept():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20, 4)).astype(np.float32)
    X[:, 0] = 3.25
    scaler = ChannelStandardScaler((1, 2, 2)).fit(X)
    out = scaler.inverse_transform(rng.normal(size=(5, 4)))
    assert out.dtype == np.float32
    assert (out[:, 0] == np.float32(3.25)).all()


def test_unfitted_and_wrong_width():
    with pytest.raises(NotFittedError):
        ChannelStandardScaler((1, 2, 2)).transform(np.zeros((2, 4)))
    rng = np.random.RandomState(0)
    scaler = ChannelStandardScaler((1, 2, 2)).fit(rng.rand(5, 4))
    with pytest.raises(ValueError, match="features"):
        scaler.transform(np.zeros((2, 5)))
