"""DefaultSVC: the library's default classifier, as a public estimator.

The paper's classifier (Algorithm 1, line 3: "SVM with grid search") is what
:class:`ActiveGANAugmenter` uses as its oracle when given none, what
:class:`AugmentedClassifier` retrains when given no classifier, and what the
evaluation protocol compares methods with.  This estimator gives that model one
public, clone-able home.
"""

from numbers import Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from .._compat import Interval, fit_context
from .._utils import draw_seeds
from ..tables._encoder import TableEncoder
from ..tables._validation import (
    check_label_types,
    check_sample_weight,
    unchanged_on_failure,
)
from ._oracle import fit_default_oracle

__all__ = ["DefaultSVC"]


class DefaultSVC(ClassifierMixin, BaseEstimator):
    """RBF SVM with C and gamma chosen by grid search, with Platt-scaled probabilities.

    The library's default classifier: the oracle of :class:`ActiveGANAugmenter`
    when ``oracle=None`` and the classifier of :class:`AugmentedClassifier` when
    ``classifier=None``.  ``fit`` standardises the features, grid-searches
    ``C`` in {1, 10, 100} and ``gamma`` in {0.1, 1, 10} / n_features by stratified
    cross-validation (3 folds, fewer when a class has fewer rows), then calibrates
    the best SVM with a sigmoid on cross-validated decision values (Platt scaling)
    and refits it on all rows.  That is 27 SVM fits for the search and 4 for the
    calibration.

    A table with text or category columns (a DataFrame, or an array of strings or
    objects) is first encoded as the augmenter's default oracle encodes it: numbers
    standardised, each category column one-hot (``encoder_``); a numeric table is
    used as it is.  ``predict`` and ``predict_proba`` encode new rows the same way.

    Parameters
    ----------
    C : float or None, default=None
        The SVM's regularisation parameter; None chooses it by the grid search.
    gamma : float or None, default=None
        The RBF kernel's gamma on the standardised features (as ``SVC``'s); None
        chooses it by the grid search.  With ``C`` and ``gamma`` both set there is
        no search, only the calibration (4 SVM fits).
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffled cross-validation splits.  Pass an int for the same
        model at every fit.

    Attributes
    ----------
    estimator_ : CalibratedClassifierCV
        The fitted model, wrapping ``make_pipeline(StandardScaler(), SVC(...))``.
    best_params_ : dict
        The ``C`` and ``gamma`` used: those chosen by the grid search, or given.
    encoder_ : TableEncoder or None
        The encoding of a table with text or category columns; None for numbers.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` had string column names.

    See Also
    --------
    AugmentedClassifier : retrains this classifier on augmented data by default.
    ActiveGANAugmenter : uses this classifier as its oracle by default.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skactivegan import DefaultSVC
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = DefaultSVC(random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 3)
    >>> sorted(clf.best_params_)
    ['C', 'gamma']
    """

    _parameter_constraints = {
        "C": [Interval(Real, 0, None, closed="neither"), None],
        "gamma": [Interval(Real, 0, None, closed="neither"), None],
        "random_state": ["random_state"],
    }

    def __init__(self, *, C=None, gamma=None, random_state=None):
        self.C = C
        self.gamma = gamma
        self.random_state = random_state

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Grid-search, calibrate and fit the SVM on ``(X, y)``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows: numbers, or a table with text or category columns
            (encoded first); finite, no missing values.
        y : array-like of shape (n_samples,)
            Class labels; at least 2 classes with at least 2 rows each.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows in every SVM fit (the grid search's and the final
            one's); the search's scores and the Platt scaling are unweighted.

        Returns
        -------
        self : DefaultSVC
            The fitted classifier.
        """
        check_label_types(y)
        with unchanged_on_failure(self):
            return self._fit(X, y, sample_weight)

    def _fit(self, X, y, sample_weight=None):
        if needs_encoding(X):
            validate_data(self, X, skip_check_array=True)
            y = column_or_1d(y, warn=True)
            check_consistent_length(X, y)
            self.encoder_ = TableEncoder().fit(X)
            X = self.encoder_.transform(X)
        else:
            X, y = validate_data(self, X, y)
            self.encoder_ = None
        check_classification_targets(y)
        labels, counts = np.unique(y, return_counts=True)
        if len(labels) < 2:
            raise ValueError(
                "DefaultSVC needs at least 2 classes; got 1 class "
                f"({labels.tolist()[0]!r})."
            )
        if counts.min() < 2:
            rare = {label: int(n) for label, n in zip(labels.tolist(), counts) if n < 2}
            raise ValueError(
                "DefaultSVC needs at least 2 rows of each class (its grid search "
                f"cross-validates); these classes have 1 sample: {rare}."
            )
        seed = None if self.random_state is None else draw_seeds(self.random_state)
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, len(y))
        self.estimator_ = fit_default_oracle(X, y, seed, C=self.C, gamma=self.gamma,
                                             sample_weight=sample_weight)
        svc = self.estimator_.estimator.named_steps["svc"]
        self.best_params_ = {"C": svc.C, "gamma": svc.gamma}
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X):
        """Platt-scaled class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to classify.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of :attr:`classes_`.
        """
        X = self._encode(X)
        return self.estimator_.predict_proba(X)

    def predict(self, X):
        """Most probable class of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to classify.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        X = self._encode(X)
        return self.estimator_.predict(X)

    def _encode(self, X):
        """New rows as the SVM takes them: checked, and encoded as in ``fit``."""
        check_is_fitted(self)
        encoder = getattr(self, "encoder_", None)
        if encoder is None:
            return validate_data(self, X, reset=False)
        validate_data(self, X, reset=False, skip_check_array=True)
        return encoder.transform(X)


def needs_encoding(X):
    """Whether an SVM needs ``X`` encoded: text, category or sparse columns.

    Parameters
    ----------
    X : array-like or DataFrame

    Returns
    -------
    bool
        True for a DataFrame with a column that is not numeric (boolean counts as
        numeric) or is sparse, and for an array of strings or objects.
    """
    if hasattr(X, "dtypes") and hasattr(X, "columns"):
        return any(
            isinstance(dtype, (pd.CategoricalDtype, pd.SparseDtype))
            or not (pd.api.types.is_numeric_dtype(dtype)
                    or pd.api.types.is_bool_dtype(dtype))
            for dtype in X.dtypes
        )
    if hasattr(X, "dtype") or isinstance(X, (list, tuple)):
        try:
            return np.asarray(X).dtype.kind in "OUS"
        except ValueError:  # ragged rows: validate_data says what is wrong
            return False
    return False
