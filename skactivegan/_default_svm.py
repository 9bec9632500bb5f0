"""DefaultSVC: the library's default classifier, as a public estimator.

The paper's classifier (Algorithm 1, line 3: "SVM with grid search") is what
:class:`ActiveGANAugmenter` uses as its oracle when given none, what
:class:`AugmentedClassifier` retrains when given no classifier, and what the
evaluation protocol compares methods with.  This estimator gives that model one
public, clone-able home.
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._oracle import fit_default_oracle
from ._utils import draw_seeds

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

    Parameters
    ----------
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffled cross-validation splits.  Pass an int for the same
        model at every fit.

    Attributes
    ----------
    estimator_ : CalibratedClassifierCV
        The fitted model, wrapping ``make_pipeline(StandardScaler(), SVC(...))``.
    best_params_ : dict
        The ``C`` and ``gamma`` chosen by the grid search.
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

    _parameter_constraints = {"random_state": ["random_state"]}

    def __init__(self, *, random_state=None):
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Grid-search, calibrate and fit the SVM on ``(X, y)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows; numeric and finite.
        y : array-like of shape (n_samples,)
            Class labels; at least 2 classes with at least 2 rows each.

        Returns
        -------
        self : DefaultSVC
            The fitted classifier.
        """
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        labels, counts = np.unique(y, return_counts=True)
        if len(labels) < 2:
            raise ValueError(
                f"DefaultSVC needs at least 2 classes; got 1 class ({labels[0]!r})."
            )
        if counts.min() < 2:
            rare = {label: int(n) for label, n in zip(labels.tolist(), counts) if n < 2}
            raise ValueError(
                "DefaultSVC needs at least 2 rows of each class (its grid search "
                f"cross-validates); these classes have 1 sample: {rare}."
            )
        seed = None if self.random_state is None else draw_seeds(self.random_state)
        self.estimator_ = fit_default_oracle(X, y, seed)
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
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
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
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.estimator_.predict(X)
