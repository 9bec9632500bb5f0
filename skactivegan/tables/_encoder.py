"""Encoding of mixed-type tables for the networks, and decoding of generated rows.

A real table mixes float, integer, boolean and categorical columns.  The networks see
one numeric row per sample: numeric columns standardised, each categorical column
(booleans included) one-hot encoded in place, so that an all-numeric table encodes to
exactly its standardised columns in their own order.  Generated rows are decoded back
into the caller's format: the same columns, order and dtypes, integers integral and
within the range seen in ``fit``, booleans boolean, categories always ones seen in
``fit`` (the arg-max of their one-hot block).

The real rows are never decoded on their way back to the user: the augmenter returns
them unchanged.  Only generated rows go through :meth:`TableEncoder.inverse_transform`.
"""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ._validation import check_no_infinity, check_no_missing

__all__ = ["TableEncoder"]

KINDS = ("float", "int", "bool", "category")
_ONE_HOT_KINDS = ("bool", "category")


# --------------------------------------------------------------------------------------
# Reading the caller's table
# --------------------------------------------------------------------------------------


def _is_dataframe(X):
    return isinstance(X, pd.DataFrame)


def _column_label(name, frame):
    """How an error message names a column: ``'age'`` in a frame, ``2`` in an array."""
    return f"column {name!r}" if frame else f"column {name}"


def _as_table(X, min_rows=1):
    """Check that ``X`` is a dense 2-D table with columns and return it column-wise.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_samples, n_features)
    min_rows : int, default=1
        Fewest rows accepted (``fit`` needs one; ``transform`` takes none).

    Returns
    -------
    columns : list of Series or ndarray, each of shape (n_samples,)
    names : list
        Column names of a DataFrame, positions of an array.
    dtypes : list
        The dtype of each column (for an array, its single dtype, repeated).
    frame : bool
        Whether ``X`` is a DataFrame.
    """
    if sparse.issparse(X):
        raise TypeError(
            "A sparse matrix was passed, but the table encoder needs dense data; "
            "convert it with X.toarray()."
        )
    if _is_dataframe(X):
        sparse_columns = [c for c, d in X.dtypes.items() if isinstance(d, pd.SparseDtype)]
        if sparse_columns:
            raise TypeError(
                f"Sparse column(s) {sparse_columns!r} were passed, but the table encoder "
                "needs dense data; convert them with X.sparse.to_dense()."
            )
        duplicated = X.columns[X.columns.duplicated()].unique().tolist()
        if duplicated:
            raise ValueError(f"Column names must be unique; {duplicated!r} repeat.")
        shape = X.shape
    else:
        X = np.asarray(X)
        if X.dtype.kind in "US":
            X = X.astype(object)
        shape = X.shape
    if len(shape) != 2:
        raise ValueError(
            f"Expected a 2-D table of shape (n_samples, n_features); got {len(shape)} "
            f"dimension(s) of shape {shape}. Reshape your data: X.reshape(-1, 1) for a "
            "single feature, X.reshape(1, -1) for a single sample."
        )
    if shape[0] < min_rows or shape[1] < 1:
        raise ValueError(
            f"Expected at least one row and one column; got {shape[0]} sample(s) and "
            f"{shape[1]} feature(s) (shape={shape}) while a minimum of 1 is required."
        )
    if _is_dataframe(X):
        return ([X.iloc[:, j] for j in range(shape[1])], list(X.columns),
                list(X.dtypes), True)
    n_features = shape[1]
    return ([X[:, j] for j in range(n_features)], list(range(n_features)),
            [X.dtype] * n_features, False)


# --------------------------------------------------------------------------------------
# Which columns are categorical, and the kind of each column
# --------------------------------------------------------------------------------------


def _is_auto_categorical(dtype):
    """Dtypes that ``categorical_features="auto"`` treats as categorical."""
    return (
        isinstance(dtype, (pd.CategoricalDtype, pd.StringDtype))
        or pd.api.types.is_bool_dtype(dtype)
        or dtype == np.dtype(object)
    )


def _holds_non_numbers(values):
    return not all(isinstance(v, (Real, np.bool_)) for v in values)


def resolve_categorical_features(categorical_features, names, dtypes, frame, columns):
    """Indices of the columns declared categorical, with SMOTENC's meanings.

    Parameters
    ----------
    categorical_features : "auto", None or array-like
        ``"auto"``: for a DataFrame, the columns of dtype object, string, category or
        bool; for an object array (whose columns have no dtype of their own), the
        columns that hold a value other than a number; for a numeric array, none.
        None: no column.  An array of int (positions, negative ones counting from the
        end), of str (column names of a DataFrame) or a boolean mask of length
        ``n_features``.
    names : list
        Column names (DataFrame) or positions (array).
    dtypes : list
        Dtype of each column.
    frame : bool
        Whether the table is a DataFrame.
    columns : list of array-like
        The values of each column.

    Returns
    -------
    indices : ndarray of shape (n_categorical,), int64
        Sorted positions.
    """
    n_features = len(names)
    if categorical_features is None:
        return np.empty(0, dtype=np.int64)
    if isinstance(categorical_features, str):
        if categorical_features != "auto":
            raise ValueError(
                f"categorical_features must be 'auto', None, or an array of indices, "
                f"column names or a boolean mask; got {categorical_features!r}. For a "
                f"single column name, pass a list: [{categorical_features!r}]."
            )
        if not frame:
            return np.flatnonzero([d == np.dtype(object) and _holds_non_numbers(c)
                                   for d, c in zip(dtypes, columns)]).astype(np.int64)
        return np.flatnonzero([_is_auto_categorical(d) for d in dtypes]).astype(np.int64)
    spec = list(np.ravel(np.asarray(categorical_features, dtype=object)))
    if not spec:
        return np.empty(0, dtype=np.int64)
    if all(isinstance(v, (bool, np.bool_)) for v in spec):
        if len(spec) != n_features:
            raise ValueError(
                f"A boolean mask for categorical_features must have one entry per "
                f"column ({n_features}); got {len(spec)}."
            )
        return np.flatnonzero(np.asarray(spec, dtype=bool)).astype(np.int64)
    if all(isinstance(v, Integral) and not isinstance(v, (bool, np.bool_)) for v in spec):
        bad = [int(v) for v in spec if not -n_features <= v < n_features]
        if bad:
            raise ValueError(
                f"categorical_features holds index(es) {bad} outside the {n_features} "
                f"column(s) of X (valid: 0 to {n_features - 1})."
            )
        indices = [int(v) % n_features for v in spec]
    elif all(isinstance(v, str) for v in spec):
        if not frame:
            raise ValueError(
                "categorical_features holds column names, but X has no column names; "
                "pass a DataFrame, or column positions."
            )
        unknown = [v for v in spec if v not in names]
        if unknown:
            raise ValueError(
                f"categorical_features names column(s) {unknown!r} that X does not have; "
                f"its columns are {names!r}."
            )
        indices = [names.index(v) for v in spec]
    else:
        raise ValueError(
            "categorical_features must be an array of int (positions), of str (column "
            f"names) or of bool (a mask), not a mix; got {categorical_features!r}."
        )
    repeated = sorted({names[i] for i in indices if indices.count(i) > 1}, key=str)
    if repeated:
        raise ValueError(f"categorical_features names column(s) {repeated!r} twice.")
    return np.array(sorted(indices), dtype=np.int64)


def _object_numeric_kind(values, label):
    """Kind of an object column that is not categorical: every value must be a number.

    Returns "bool" when every value is a boolean, "int" when every value is an
    integer, else "float".  A value that is not a number is a ValueError naming the
    column and the value.
    """
    is_bool = np.array([isinstance(v, (bool, np.bool_)) for v in values])
    is_number = is_bool | np.array([isinstance(v, Real) for v in values])
    if not is_number.all():
        value = values[int(np.flatnonzero(~is_number)[0])]
        raise ValueError(
            f"{label} holds the non-numeric value {value!r} but is not declared "
            "categorical; list it in categorical_features (by position, name or mask)."
        )
    if is_bool.all():
        return "bool"
    if all(isinstance(v, Integral) and not isinstance(v, (bool, np.bool_)) for v in values):
        return "int"
    return "float"


def column_kind(values, dtype, categorical, label):
    """Kind of one column: "float", "int", "bool" or "category".

    A boolean column is "bool" whether declared categorical or not; a declared column
    of any other dtype is "category"; otherwise the dtype decides (an object column
    by its values, which must all be numbers).
    """
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if categorical:
        return "category"
    if isinstance(dtype, (pd.CategoricalDtype, pd.StringDtype)):
        raise ValueError(  # noqa: TRY004 (a value of categorical_features is wrong)
            f"{label} has dtype {dtype} but is not declared categorical; list it in "
            "categorical_features (or use categorical_features='auto')."
        )
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if dtype == np.dtype(object):
        return _object_numeric_kind(np.asarray(values, dtype=object), label)
    if pd.api.types.is_complex_dtype(dtype):
        raise ValueError(f"Complex data not supported: {label} has dtype {dtype}.")
    raise ValueError(
        f"{label} has dtype {dtype}, which is neither numeric nor categorical; convert "
        "it to numbers, or list it in categorical_features."
    )


# --------------------------------------------------------------------------------------
# The maths of one column
# --------------------------------------------------------------------------------------


def numeric_values(values, label):
    """A numeric column as finite float64, shape (n,); errors name the column."""
    array = np.asarray(values)
    if array.dtype == object:
        _object_numeric_kind(array, label)
    values = array.astype(np.float64)
    if not np.isfinite(values).all():
        check_no_missing(values, label)
        check_no_infinity(values, label)
    return values


def standardisation(values, label):
    """Mean and scale of a numeric column; a constant column gets its value and 1.

    Parameters
    ----------
    values : ndarray of shape (n,), float64
    label : str

    Returns
    -------
    mean, scale : float
        The population mean and standard deviation, as
        :class:`~sklearn.preprocessing.StandardScaler` computes them.
    """
    low, high = values.min(), values.max()
    if low == high:
        return float(low), 1.0
    # In units of the largest magnitude, so that neither tiny (subnormal) nor huge
    # values underflow or overflow when squared.
    magnitude = max(abs(low), abs(high))
    with np.errstate(over="ignore", invalid="ignore"):
        unit = values / magnitude
        mean, scale = float(unit.mean() * magnitude), float(unit.std() * magnitude)
        extremes = (np.array([low, high]) - mean) / scale
    if not (np.isfinite(mean) and scale > 0.0 and np.isfinite(extremes).all()):
        raise ValueError(
            f"{label} has values up to {magnitude:.3g}, too large to standardise; "
            "rescale that column first (for example divide it by a constant)."
        )
    return mean, scale


def _check_hashable(values, label):
    """A category must be hashable (compared by value); else a TypeError naming it."""
    for value in values:
        try:
            hash(value)
        except TypeError:
            raise TypeError(
                f"{label} holds {value!r} ({type(value).__name__}): the argument must "
                "be a string, a number or another hashable value to serve as a "
                "category."
            ) from None


def seen_categories(values, dtype, label="column"):
    """The categories of a column seen in ``values``, in a stable order.

    For a pandas category dtype, the dtype's categories that occur, in the dtype's
    order; otherwise the sorted distinct values (in order of first appearance when
    they cannot be sorted, e.g. a mix of strings and numbers).

    Returns
    -------
    categories : ndarray of shape (n_categories,)
    """
    if isinstance(dtype, pd.CategoricalDtype):
        codes = np.unique(np.asarray(pd.Series(values).cat.codes))
        return np.asarray(dtype.categories[codes[codes >= 0]], dtype=object)
    array = np.asarray(values)
    if array.dtype != object:
        return np.unique(array)
    _check_hashable(array, label)
    distinct = list(pd.unique(array))
    try:
        distinct = sorted(distinct)
    except TypeError:
        pass
    categories = np.empty(len(distinct), dtype=object)
    for i, value in enumerate(distinct):  # element-wise: a 1-D array even of tuples
        categories[i] = value
    return categories


def category_codes(values, categories, label):
    """Position of each value in ``categories``; an unseen value is a ValueError.

    Returns
    -------
    codes : ndarray of shape (n,), int64
    """
    codes = pd.Index(categories).get_indexer(np.asarray(values, dtype=object))
    if (codes < 0).any():
        value = np.asarray(values, dtype=object)[int(np.flatnonzero(codes < 0)[0])]
        raise ValueError(
            f"{label} holds the category {value!r}, which was not seen in fit "
            f"(known: {list(categories)!r})."
        )
    return codes.astype(np.int64)


def one_hot(codes, n_categories, dtype):
    """Rows of a one-hot block: shape (n, n_categories), 1 at each code."""
    block = np.zeros((len(codes), n_categories), dtype=dtype)
    block[np.arange(len(codes)), codes] = 1
    return block


def decode_category(block, categories):
    """The category of each row: the arg-max of its block (first on ties).

    Parameters
    ----------
    block : ndarray of shape (n, n_categories)
    categories : ndarray of shape (n_categories,)

    Returns
    -------
    values : ndarray of shape (n,)
    """
    return categories[np.argmax(block, axis=1)]


def decode_float(z, mean, scale, constant):
    """Un-standardise a float column, shape (n,); a constant column is its value."""
    if constant:
        return np.full(len(z), mean, dtype=np.float64)
    return z.astype(np.float64) * scale + mean


def decode_int(z, mean, scale, low, high, dtype):
    """Un-standardise, round to the nearest integer and clip to ``[low, high]``.

    ``low`` and ``high`` are the exact integers seen in fit; the clipping is done so
    that values beyond float64's exact range still land exactly on them.

    Returns
    -------
    values : ndarray of shape (n,), of the integer ``dtype``
    """
    rounded = np.rint(z.astype(np.float64) * scale + mean)
    below, above = rounded <= low, rounded >= high
    values = np.empty(len(z), dtype=dtype)
    inside = ~(below | above)
    values[inside] = rounded[inside]
    values[below] = low
    values[above] = high
    return values


def _array_dtype(X, read_as):
    """The dtype that decoded rows of the array ``X`` get: its own for strings.

    A string array's columns are all categories (strings are no numbers), whose
    decoded values are strings seen in ``fit``: they fit its dtype's width.
    """
    dtype = getattr(X, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype.kind in "US":
        return dtype
    return read_as


def _numpy_dtype(dtype, kind):
    """The NumPy dtype in which a decoded column of ``kind`` is assembled."""
    if kind == "category":
        return np.dtype(object)
    if isinstance(dtype, np.dtype) and dtype != np.dtype(object):
        return dtype
    numpy_dtype = getattr(dtype, "numpy_dtype", None)
    if numpy_dtype is not None and numpy_dtype != np.dtype(object):
        return numpy_dtype
    return np.dtype({"float": np.float64, "int": np.int64, "bool": np.bool_}[kind])


# --------------------------------------------------------------------------------------
# The estimator
# --------------------------------------------------------------------------------------


class TableEncoder(TransformerMixin, BaseEstimator):
    """Encode a mixed-type table for the networks, and decode generated rows.

    Numeric columns ("float" and "int") are standardised; each categorical column,
    booleans included, becomes a one-hot block of the categories seen in ``fit``.
    Encoded columns keep the order of the original ones (a block stands where its
    column stood).  :meth:`inverse_transform` gives back the caller's format: the same
    columns, order and dtypes; integers rounded and clipped to the range seen in
    ``fit``; categories the arg-max of their block, so always a category seen in
    ``fit``; constant columns exactly their constant.

    Parameters
    ----------
    categorical_features : "auto", None or array-like, default="auto"
        Which columns are categorical, with the meanings of imbalanced-learn's
        ``SMOTENC``:

        - ``"auto"``: for a DataFrame, the columns of dtype object, string, category
          or bool; for an object array, the columns holding a value other than a
          number (a string, say); for a numeric array, none.
        - an array of int: column positions;
        - an array of str: column names of a DataFrame;
        - a boolean mask of shape (n_features,);
        - None: no categorical column.

        A boolean column is encoded as a category of two values (those seen) whether
        it is listed or not, and decodes to booleans.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when fitted on a DataFrame whose names are all strings.
    kinds_ : list of str
        Kind of each original column: "float", "int", "bool" or "category".
    categorical_features_ : ndarray of shape (n_one_hot,), int64
        Positions of the one-hot encoded columns ("bool" and "category" kinds).
    numeric_features_ : ndarray of shape (n_numeric,), int64
        Positions of the standardised columns ("float" and "int" kinds).
    categories_ : list of ndarray
        ``categories_[i]``: the categories of column ``categorical_features_[i]``, in
        the order of its one-hot block.  For a pandas category dtype, the dtype's
        categories that occur in the data, in the dtype's order (the decoded column
        keeps the full dtype).
    output_blocks_ : list of (int, int)
        ``(start, stop)`` of each one-hot block in the encoded columns, aligned with
        ``categorical_features_``; what the generator's per-block output head needs.
    column_slices_ : list of (int, int)
        ``(start, stop)`` of every original column in the encoded columns.
    n_encoded_ : int
        Number of encoded columns.
    mean_, scale_ : ndarray of shape (n_encoded_,), float64
        Standardisation of each encoded column: ``Z = (X - mean_) / scale_`` for the
        numeric columns, mean 0 and scale 1 for one-hot columns.  A constant column
        has its value as mean and scale 1.
    data_min_, data_max_ : ndarray of shape (n_features_in_,), object
        Exact smallest and largest value of each numeric column (None for one-hot).
    dtype_ : numpy dtype
        Dtype of :meth:`transform`'s output: float32 when every numeric column is
        float32 (or there is none), else float64, as scikit-learn's transformers
        preserve float32.  The networks take float32 either way.

    Examples
    --------
    >>> import pandas as pd
    >>> from skactivegan.tables._encoder import TableEncoder
    >>> X = pd.DataFrame({"age": [30, 40, 50], "city": ["Oslo", "Rome", "Oslo"]})
    >>> enc = TableEncoder().fit(X)
    >>> enc.kinds_, enc.output_blocks_
    (['int', 'category'], [(1, 3)])
    >>> enc.inverse_transform(enc.transform(X)).equals(X)
    True
    """

    def __init__(self, categorical_features="auto"):
        self.categorical_features = categorical_features

    def fit(self, X, y=None):
        """Learn the kind, categories, range and standardisation of every column.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            No missing values; numbers finite.
        y : None
            Ignored.

        Returns
        -------
        self : TableEncoder
        """
        columns, names, dtypes, frame = _as_table(X)
        validate_data(self, X, skip_check_array=True, reset=True)
        declared = set(resolve_categorical_features(
            self.categorical_features, names, dtypes, frame, columns).tolist())
        self.columns_ = X.columns.copy() if frame else None
        # An array of strings is read as objects; generated rows get its dtype back.
        self.dtypes_ = dtypes if frame else _array_dtype(X, dtypes[0])
        self.kinds_, self.categories_, self.output_blocks_, self.column_slices_ = [], [], [], []
        mean, scale = [], []
        self.data_min_ = np.full(len(columns), None, dtype=object)
        self.data_max_ = np.full(len(columns), None, dtype=object)
        all_float32 = True
        for j, (values, name, dtype) in enumerate(zip(columns, names, dtypes)):
            label = _column_label(name, frame)
            check_no_missing(values, label)
            kind = column_kind(values, dtype, j in declared, label)
            self.kinds_.append(kind)
            start = len(mean)
            if kind in _ONE_HOT_KINDS:
                categories = seen_categories(values, dtype, label)
                if kind == "bool":
                    categories = categories.astype(bool)
                self.categories_.append(categories)
                self.output_blocks_.append((start, start + len(categories)))
                mean += [0.0] * len(categories)
                scale += [1.0] * len(categories)
            else:
                numbers = numeric_values(values, label)
                m, s = standardisation(numbers, label)
                mean.append(m)
                scale.append(s)
                exact = np.asarray(values, dtype=_numpy_dtype(dtype, kind))
                self.data_min_[j], self.data_max_[j] = exact.min(), exact.max()
                all_float32 &= _numpy_dtype(dtype, kind) == np.float32
            self.column_slices_.append((start, len(mean)))
        kinds = np.array(self.kinds_)
        self.categorical_features_ = np.flatnonzero(np.isin(kinds, _ONE_HOT_KINDS))
        self.numeric_features_ = np.flatnonzero(~np.isin(kinds, _ONE_HOT_KINDS))
        self.mean_ = np.array(mean, dtype=np.float64)
        self.scale_ = np.array(scale, dtype=np.float64)
        self.n_encoded_ = len(mean)
        self.dtype_ = np.dtype(np.float32 if all_float32 else np.float64)
        return self

    def transform(self, X):
        """Encode rows: numeric columns standardised, categorical ones one-hot.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features_in_)

        Returns
        -------
        Z : ndarray of shape (n_samples, n_encoded_), of dtype ``dtype_``
        """
        check_is_fitted(self)
        columns, names, _, frame = _as_table(X, min_rows=0)
        validate_data(self, X, skip_check_array=True, reset=False)
        Z = np.empty((len(columns[0]), self.n_encoded_), dtype=self.dtype_)
        blocks = iter(self.categories_)
        for values, name, kind, (start, stop) in zip(
                columns, names, self.kinds_, self.column_slices_):
            label = _column_label(name, frame)
            check_no_missing(values, label)
            if kind in _ONE_HOT_KINDS:
                codes = category_codes(values, next(blocks), label)
                Z[:, start:stop] = one_hot(codes, stop - start, self.dtype_)
            else:
                Z[:, start] = (numeric_values(values, label) - self.mean_[start]) \
                    / self.scale_[start]
        return Z

    def float_values(self, X):
        """The values of the "float" columns of ``X``, exactly, as float64.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features_in_)

        Returns
        -------
        values : ndarray of shape (n_samples, n_float)
            The columns of kind "float", in their order; what
            :meth:`inverse_transform` takes as ``floats``.
        """
        check_is_fitted(self)
        columns, names, _, frame = _as_table(X, min_rows=0)
        floats = [numeric_values(values, _column_label(name, frame))
                  for values, name, kind in zip(columns, names, self.kinds_)
                  if kind == "float"]
        if not floats:
            return np.empty((len(columns[0]), 0))
        return np.column_stack(floats)

    def float_offsets(self, D):
        """Encoded differences ``D`` in the "float" columns' own units.

        A difference (a residual, say) is un-standardised by the column's scale
        only, with no mean added back.

        Parameters
        ----------
        D : ndarray of shape (n_samples, n_encoded_)
            Differences in encoded (standardised) units.

        Returns
        -------
        offsets : ndarray of shape (n_samples, n_float), float64
            The columns of kind "float", in their order, as :meth:`float_values`
            gives them.
        """
        check_is_fitted(self)
        starts = [start for kind, (start, _) in zip(self.kinds_, self.column_slices_)
                  if kind == "float"]
        return np.asarray(D)[:, starts].astype(np.float64) * self.scale_[starts]

    def inverse_transform(self, Z, floats=None):
        """Decode encoded rows into the format of the table seen in ``fit``.

        Parameters
        ----------
        Z : array-like of shape (n_samples, n_encoded_)
            Finite.  One-hot blocks may hold any scores: each decodes to its arg-max.
        floats : ndarray of shape (n_samples, n_float) or None, default=None
            The values of the "float" columns, in their order (as
            :meth:`float_values` gives them), used instead of un-standardising
            ``Z``'s: un-standardising is exact only up to rounding, and a
            generator that composes real rows computes these values from the real
            ones (see :func:`~skactivegan.generators._composer.compose_values`).

        Returns
        -------
        X : DataFrame or ndarray of shape (n_samples, n_features_in_)
            A DataFrame with the columns and dtypes seen in ``fit`` (and a fresh
            RangeIndex), or an array of the fitted array's dtype.
        """
        check_is_fitted(self)
        Z = np.asarray(Z)
        if Z.ndim != 2 or Z.shape[1] != self.n_encoded_:
            raise ValueError(
                f"Expected encoded rows of shape (n_samples, {self.n_encoded_}); got "
                f"shape {Z.shape}."
            )
        if not np.isfinite(Z).all():
            raise ValueError("Encoded rows must be finite; got NaN or infinite values.")
        n_float = self.kinds_.count("float")
        if floats is not None and np.shape(floats) != (len(Z), n_float):
            raise ValueError(
                f"floats must have shape ({len(Z)}, {n_float}), one column per float "
                f"column; got shape {np.shape(floats)}."
            )
        frame = self.columns_ is not None
        dtypes = self.dtypes_ if frame else [self.dtypes_] * self.n_features_in_
        blocks = iter(self.categories_)
        given = iter(()) if floats is None else iter(np.asarray(floats).T)
        decoded = []
        for j, (kind, dtype, (start, stop)) in enumerate(
                zip(self.kinds_, dtypes, self.column_slices_)):
            if kind == "float" and floats is not None:
                values = np.asarray(next(given), dtype=np.float64).astype(
                    _numpy_dtype(dtype, kind), copy=False)
            elif kind in _ONE_HOT_KINDS:
                values = decode_category(Z[:, start:stop], next(blocks))
            elif kind == "int":
                low, high = self.data_min_[j], self.data_max_[j]
                values = decode_int(Z[:, start], self.mean_[start], self.scale_[start],
                                    low, high, _numpy_dtype(dtype, kind))
            else:
                constant = self.data_min_[j] == self.data_max_[j]
                values = decode_float(Z[:, start], self.mean_[start], self.scale_[start],
                                      constant)
                values = values.astype(_numpy_dtype(dtype, kind), copy=False)
            decoded.append(values)
        if frame:
            return self._as_frame(decoded, dtypes)
        out = np.empty((len(Z), self.n_features_in_), dtype=self.dtypes_)
        for j, values in enumerate(decoded):
            out[:, j] = values
        return out

    def _as_frame(self, decoded, dtypes):
        """A DataFrame of the decoded columns, with the fitted names and dtypes."""
        series = {}
        for j, (values, dtype) in enumerate(zip(decoded, dtypes)):
            if dtype == np.dtype(object):
                series[j] = pd.Series(np.asarray(values).astype(object), dtype=object)
            else:
                series[j] = pd.Series(values).astype(dtype)
        frame = pd.DataFrame(series)
        frame.columns = self.columns_
        return frame

    def get_feature_names_out(self, input_features=None):
        """Names of the encoded columns: ``name`` or ``name_category`` for a block.

        Returns
        -------
        names : ndarray of shape (n_encoded_,), object
        """
        check_is_fitted(self)
        if input_features is None:
            input_features = (
                [str(c) for c in self.columns_] if self.columns_ is not None
                else [f"x{j}" for j in range(self.n_features_in_)]
            )
        blocks = iter(self.categories_)
        names = []
        for name, kind in zip(input_features, self.kinds_):
            if kind in _ONE_HOT_KINDS:
                names += [f"{name}_{c}" for c in next(blocks)]
            else:
                names.append(str(name))
        return np.asarray(names, dtype=object)
