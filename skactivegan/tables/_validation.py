"""Input validation shared by the samplers.

The samplers accept anything array-like (NumPy, pandas, lists) with labels of any
hashable type; imbalanced-learn's ``fit_resample`` template gives back the caller's
container (a DataFrame in gives a DataFrame out, a Series of labels gives a Series).
"""

from contextlib import contextmanager
from numbers import Number

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_consistent_length,
    column_or_1d,
    validate_data,
)

__all__ = [
    "check_classes",
    "check_image_shape",
    "check_finite_columns",
    "check_label_types",
    "check_sample_weight",
    "check_no_infinity",
    "check_no_missing",
    "template_fit_resample",
    "unchanged_on_failure",
    "validate_table",
]


@contextmanager
def unchanged_on_failure(estimator):
    """Run the block; on any exception, put ``estimator`` back as it was, re-raise.

    What ``fit`` and ``fit_resample`` promise: a call that fails, or is interrupted,
    leaves the estimator unfitted or holding its previous fit, its fitted attributes
    (``n_features_in_`` and ``feature_names_in_`` included) those it had before.

    Parameters
    ----------
    estimator : BaseEstimator
        Its ``__dict__`` is copied (shallowly) before the block and restored after a
        failure.
    """
    previous = dict(estimator.__dict__)
    try:
        yield
    except BaseException:
        estimator.__dict__.clear()
        estimator.__dict__.update(previous)
        raise


def template_fit_resample(sampler, fit_resample, X, y, **params):
    """imbalanced-learn's ``fit_resample`` template, with what this library adds.

    ``fit_resample`` is the template itself (the sampler's
    ``super().fit_resample``): it validates ``X`` and ``y`` through the sampler's
    ``_check_X_y``, sets ``sampling_strategy_``, passes ``**params`` to
    ``_fit_resample`` and gives the rows back in the caller's containers.  Around
    it: labels of mixed types or missing labels are refused with a message that
    says so (scikit-learn calls both "Unknown label type"); a failure at any step
    leaves the sampler as it was (:func:`unchanged_on_failure`); and a one-hot
    ``y`` comes back with as many columns as it had (imbalanced-learn gives a
    binary one a single column).

    Parameters
    ----------
    sampler : BaseSampler
    fit_resample : callable
        The template, bound to ``sampler``.
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,) or (n_samples, n_classes)
    **params : dict
        Passed on to the sampler's ``_fit_resample``.

    Returns
    -------
    X_resampled, y_resampled
        In the containers of ``X`` and ``y``.
    """
    check_label_types(y)
    with unchanged_on_failure(sampler):
        X_res, y_res = fit_resample(X, y, **params)
    shape = _as_array(y).shape
    if len(shape) == 2 and shape[1] == 2 and np.ndim(y_res) == 2 and (
            np.shape(y_res)[1] == 1):
        y_res = np.hstack([1 - np.asarray(y_res), np.asarray(y_res)])
    return X_res, y_res


def _as_array(y):
    """``y`` as an array; a list as objects, so that ``[1, "a"]`` stays mixed."""
    if isinstance(y, (list, tuple)):
        return np.asarray(y, dtype=object)
    return np.asarray(y)


def _label_kind(value):
    """What a label can be sorted with: "number", "str", "bytes" or its type's name."""
    if isinstance(value, (Number, np.bool_)):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, bytes):
        return "bytes"
    return type(value).__name__


def check_label_types(y):
    """Refuse missing labels and labels of mixed types, with messages that say so.

    scikit-learn reports both as "Unknown label type", which names neither.  Only
    lists and object arrays are read label by label: other arrays hold one type.

    Parameters
    ----------
    y : array-like
        The labels as the caller gave them (a one-hot 2-D ``y`` included).

    Raises
    ------
    ValueError
        When ``y`` holds None or NaN among other labels, or mixes numbers and
        strings (say ``1`` and ``"a"``); or, for a one-hot ``y``, a row with no class.
    """
    if y is None or sp.issparse(y):
        return  # scikit-learn's own checks name these
    array = _as_array(y)
    if array.ndim == 0:
        return
    if array.dtype.kind in "biuf":
        _check_one_hot_rows(array)
        return
    if array.dtype != object:
        return
    values = array.ravel()
    missing = np.flatnonzero(pd.isna(values))
    if len(missing):
        raise ValueError(
            f"y holds {len(missing)} missing label(s) (None or NaN), first at row "
            f"{int(missing[0])}; drop those rows or give them a class."
        )
    kinds = {}
    for value in values:
        kinds.setdefault(_label_kind(value), value)
    if len(kinds) > 1:
        shown = " and ".join(f"{type(value).__name__} ({value!r})"
                             for _, value in sorted(kinds.items()))
        raise ValueError(
            f"y mixes labels of types {shown}; convert the labels to one type, for "
            "example with y.astype(str)."
        )


def _check_one_hot_rows(y):
    """A one-hot (multilabel-indicator) ``y`` needs exactly one class a row."""
    if y.ndim != 2 or y.shape[1] < 2 or not np.isin(y, (0, 1)).all():
        return
    empty = np.flatnonzero(y.sum(axis=1) == 0)
    if len(empty):
        raise ValueError(
            f"y is one-hot (2-D) but {len(empty)} row(s) have no class (all zeros), "
            f"first at row {int(empty[0])}; give every row exactly one 1, or pass 1-D "
            "labels."
        )


def validate_table(estimator, X, y, *, reset=True):
    """Check the shape of a labelled table; its contents are the encoder's to check.

    The values are not converted: a DataFrame stays a DataFrame (its categorical,
    integer and boolean columns intact) and an array keeps its dtype, so that the
    real rows come back exactly as they were given.
    The encoder (:class:`~skactivegan.tables._encoder.TableEncoder`) checks the values
    (missing values, non-numeric values in numeric columns) and names the column.

    Parameters
    ----------
    estimator : BaseEstimator
        Receives ``n_features_in_`` (and ``feature_names_in_``) when ``reset``.
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    reset : bool, default=True

    Returns
    -------
    X : ndarray or DataFrame of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    """
    if sp.issparse(X):
        raise TypeError(
            "Sparse input is not supported: ActiveGAN generates dense rows. Convert X "
            "with X.toarray() first."
        )
    validate_data(estimator, X, reset=reset, skip_check_array=True)
    if _is_dataframe(X):
        _check_frame_values(X)
    else:
        X = np.asarray(X)
        if X.dtype.kind in "fiub":
            check_finite_columns(X)  # so scikit-learn's finiteness pass is not needed
            X = validate_data(estimator, X, reset=reset, dtype=None,
                              ensure_all_finite=False, ensure_min_samples=1)
            _check_magnitude(X)
        elif X.ndim != 2:
            raise ValueError(
                "Expected a 2-D array X of shape (n_samples, n_features); got "
                f"{X.ndim} dimension(s). Reshape your data, e.g. X.reshape(-1, 1) for "
                "one feature."
            )
    if X.shape[1] == 0 or X.shape[0] == 0:
        raise ValueError(f"X has shape {X.shape}; at least one row and one column are "
                         "needed.")
    if reset:
        estimator.n_features_in_ = X.shape[1]
    y = column_or_1d(y, warn=True) if np.ndim(y) > 1 else np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D; got shape {y.shape}.")
    check_consistent_length(X, y)
    check_classification_targets(y)
    return X, y


def check_no_missing(values, label):
    """Raise a ValueError naming the column when ``values`` holds a missing value."""
    missing = np.asarray(pd.isna(values), dtype=bool)
    if missing.any():
        first = int(np.flatnonzero(missing)[0])
        raise ValueError(
            f"{label} has {int(missing.sum())} missing value(s) (NaN or None, first at "
            f"row {first}). "
            "Impute them first (for example with sklearn.impute.SimpleImputer) or drop "
            "those rows."
        )


def check_no_infinity(values, label):
    """Raise a ValueError naming the column when float ``values`` hold inf or -inf."""
    infinite = np.isinf(values)
    if infinite.any():
        rows = np.flatnonzero(infinite)
        raise ValueError(
            f"{label} has {len(rows)} infinite value(s) (inf or -inf, first at row "
            f"{int(rows[0])}). Replace them with finite values (for example clip them) "
            "or drop those rows."
        )


def check_finite_columns(X):
    """Refuse NaN or infinite values in a float array, naming the first column.

    scikit-learn's own check says that X holds one, not where: on a wide table the
    column and the row are what the user needs to find it.
    """
    if X.dtype.kind != "f" or X.ndim != 2:
        return
    finite = np.isfinite(X).all(axis=0)
    if finite.all():
        return
    column = int(np.flatnonzero(~finite)[0])
    check_no_missing(X[:, column], f"column {column}")
    check_no_infinity(X[:, column], f"column {column}")


def _check_frame_values(X):
    """Refuse missing values in any column of a DataFrame, and inf in a float one."""
    for name in X.columns:
        check_no_missing(X[name], f"column {name!r}")
        if X[name].dtype.kind == "f":
            check_no_infinity(X[name].to_numpy(), f"column {name!r}")


def _check_magnitude(X):
    """Refuse values so large that standardising them overflows."""
    if X.dtype.kind != "f" or not X.size:
        return
    limit = np.sqrt(np.finfo(np.float64).max) / max(len(X), 1)
    largest = float(np.abs(X).max())
    if largest > limit:
        raise ValueError(
            f"X has values up to {largest:.3g}, too large to standardise without "
            "overflow; rescale X (for example divide it by a constant) first."
        )


def check_image_shape(image_shape, n_features):
    """The ``(C, H, W)`` of flattened images; the one check of an ``image_shape``.

    Parameters
    ----------
    image_shape : tuple of int or None
        ``(C, H, W)``, channel first, or ``(H, W)`` for one channel.  None means one
        square channel (``n_features`` must then be a perfect square).
    n_features : int
        Values per row of X; must equal ``C * H * W``.

    Returns
    -------
    shape : tuple of int
        ``(C, H, W)``.
    """
    if image_shape is None:
        side = int(round(np.sqrt(n_features)))
        if side * side != n_features:
            raise ValueError(
                f"X has {n_features} features, not one square image; pass image_shape "
                "as (C, H, W)."
            )
        return (1, side, side)
    shape = tuple(int(v) for v in image_shape)
    if len(shape) == 2:
        shape = (1, *shape)
    if len(shape) != 3 or min(shape) < 1:
        raise ValueError(
            f"image_shape must be (C, H, W), or (H, W) for one channel; got "
            f"{image_shape!r}."
        )
    if int(np.prod(shape)) != n_features:
        raise ValueError(
            f"image_shape {shape} holds {int(np.prod(shape))} values but X has "
            f"{n_features} features; each row of X must be a flattened C*H*W image."
        )
    return shape


def check_classes(y, *, min_per_class=2):
    """Encode labels and check that there are enough classes and samples of each.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
    min_per_class : int, default=2
        The least number of samples a class may have.

    Returns
    -------
    classes : ndarray of shape (n_classes,)
        Sorted unique labels.
    y_index : ndarray of shape (n_samples,), int64
        Position of each label in ``classes``.
    counts : ndarray of shape (n_classes,), int64
        Samples per class.

    Raises
    ------
    ValueError
        With fewer than 2 classes, or a class with fewer than ``min_per_class`` samples.
    """
    classes, y_index, counts = np.unique(y, return_inverse=True, return_counts=True)
    if len(classes) < 2:
        raise ValueError(
            "ActiveGAN needs at least 2 classes to measure uncertainty; got 1 class "
            f"({classes.tolist()[0]!r}) in {len(y)} sample(s)."
        )
    small = classes[counts < min_per_class]
    if len(small):
        raise ValueError(
            f"Each class needs at least {min_per_class} samples to fit the oracle; "
            f"class(es) {small.tolist()!r} have fewer "
            f"(counts: {counts[counts < min_per_class].tolist()})."
        )
    return classes, y_index.astype(np.int64).ravel(), counts


def _is_dataframe(X):
    return hasattr(X, "columns") and hasattr(X, "iloc")


def check_sample_weight(sample_weight, n_samples):
    """``sample_weight`` as a float64 array of ``n_samples`` finite, non-negative
    weights, or None.

    Parameters
    ----------
    sample_weight : array-like of shape (n_samples,), scalar or None
        A scalar gives every row that weight.
    n_samples : int

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,) or None
    """
    if sample_weight is None:
        return None
    weights = np.asarray(sample_weight, dtype=np.float64)
    if weights.ndim == 0:
        weights = np.full(n_samples, float(weights))
    if weights.shape != (n_samples,):
        raise ValueError(
            f"sample_weight must have shape ({n_samples},), one weight a row; got "
            f"shape {weights.shape}."
        )
    if not np.isfinite(weights).all() or (weights < 0).any():
        raise ValueError("sample_weight must hold finite, non-negative numbers.")
    return weights
