"""TableEncoder (interim, numeric columns only; the mixed-type encoder replaces it)."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["TableEncoder"]


class TableEncoder(TransformerMixin, BaseEstimator):
    """Standardise numeric columns for the networks and map generated rows back."""

    def __init__(self, categorical_features="auto"):
        self.categorical_features = categorical_features

    def fit(self, X, y=None):
        self._columns = getattr(X, "columns", None)
        self._dtypes = getattr(X, "dtypes", None)
        self.dtype_ = np.asarray(X).dtype if self._columns is None else None
        X = validate_data(self, X, dtype=(np.float64, np.float32), ensure_all_finite=True)
        self._min, self._max = X.min(axis=0), X.max(axis=0)
        self.mean_ = X.mean(axis=0, dtype=np.float64)
        scale = X.std(axis=0, dtype=np.float64)
        self.constant_ = scale == 0
        scale[self.constant_] = 1.0
        self.scale_ = scale
        self.output_blocks_ = []
        self.n_encoded_ = X.shape[1]
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, dtype=(np.float64, np.float32), reset=False)
        return ((X - self.mean_) / self.scale_).astype(np.float32)

    def inverse_transform(self, Z):
        check_is_fitted(self)
        X = np.asarray(Z, dtype=np.float64) * self.scale_ + self.mean_
        X[:, self.constant_] = self.mean_[self.constant_]
        if self._columns is not None:
            import pandas as pd

            frame = pd.DataFrame({
                j: self._cast(X[:, j], dtype, j) for j, dtype in enumerate(self._dtypes)
            })
            frame.columns = self._columns
            return frame.astype(self._dtypes)
        if self.dtype_.kind in "iub":
            X = np.column_stack([self._cast(X[:, j], self.dtype_, j)
                                 for j in range(X.shape[1])])
        return X.astype(self.dtype_, copy=False)

    def _cast(self, values, dtype, j):
        if np.dtype(dtype).kind == "b":
            return values >= 0.5 * (self._min[j] + self._max[j])
        if np.dtype(dtype).kind in "iu":
            return np.clip(np.rint(values), self._min[j], self._max[j])
        return values
