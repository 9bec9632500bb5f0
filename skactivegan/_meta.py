"""AugmentedClassifier: augment in ``fit``, then delegate prediction to a classifier.

scikit-learn's own :class:`~sklearn.pipeline.Pipeline` cannot pass a changed ``y``
from one step to the next, so a sampler cannot be one of its steps.  This
meta-estimator puts the two together in one classifier: ``fit`` runs the augmenter's
``fit_resample`` and fits the classifier on the augmented rows; ``predict`` and the
other prediction methods go to the classifier alone, so new rows are never
augmented.
"""

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    _fit_context,
    clone,
)
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._augmenter import ActiveGANAugmenter
from ._oracle import fit_default_oracle

__all__ = ["AugmentedClassifier"]


class _DefaultSVM(ClassifierMixin, BaseEstimator):
    """The library's default SVM as a clone-able classifier.

    An RBF SVM on standardised data with C and gamma chosen by stratified grid
    search, then Platt-scaled: the same model as ActiveGAN's default oracle
    (``fit_default_oracle``).

    Parameters
    ----------
    random_state : int, RandomState instance or None, default=None
        Seed of the cross-validation splits.

    Attributes
    ----------
    estimator_ : CalibratedClassifierCV
        The fitted model.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    """

    def __init__(self, *, random_state=None):
        self.random_state = random_state

    def fit(self, X, y):
        """Grid-search and fit the SVM on ``(X, y)``; every class needs 2 rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : _DefaultSVM
            The fitted classifier.
        """
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        self.estimator_ = fit_default_oracle(X, y, int(seed))
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X):
        """Platt-scaled class probabilities, shape (n_samples, n_classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.estimator_.predict_proba(X)

    def predict(self, X):
        """Most probable class of each row, shape (n_samples,)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.estimator_.predict(X)


def _classifier_has(attr):
    """Whether the fitted (else the given, else the default) classifier has ``attr``.

    Used with :func:`~sklearn.utils.metaestimators.available_if`, so that
    ``hasattr(AugmentedClassifier(...), "predict_proba")`` tells the truth.
    """

    def check(self):
        if hasattr(self, "classifier_"):
            return hasattr(self.classifier_, attr)
        classifier = self.classifier if self.classifier is not None else _DefaultSVM()
        return hasattr(classifier, attr)

    return check


class AugmentedClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A classifier trained on ActiveGAN-augmented data.

    ``fit(X, y)`` runs ``augmenter.fit_resample(X, y)`` (the real rows, then the
    generated rows that passed the filter) and fits ``classifier`` on the result.
    ``predict``, ``predict_proba``, ``decision_function`` and ``score`` are those of
    the fitted classifier, and exist only when the classifier has them; they never
    augment.  This is the form to use where scikit-learn's own
    :class:`~sklearn.pipeline.Pipeline` must be kept, since a sampler cannot be one of
    its steps; with imbalanced-learn's ``Pipeline`` the augmenter can be a step of
    its own instead.

    Grid-search keys reach both parts: ``augmenter__alpha``,
    ``augmenter__uncertainty_weight``, ``augmenter__filter__threshold`` (when the
    augmenter's ``filter`` is a :class:`MarginFilter`), ``classifier__C``, and so on.

    Parameters
    ----------
    augmenter : sampler with ``fit_resample``, default=None
        Cloned and fitted in :meth:`fit`.  None means ``ActiveGANAugmenter()`` with
        its defaults.
    classifier : classifier, default=None
        Cloned and fitted on the augmented data.  None means the library's default
        SVM: an RBF SVM on standardised data, C and gamma grid-searched, with
        Platt-scaled probabilities (the default oracle of
        :class:`ActiveGANAugmenter`).

    Attributes
    ----------
    augmenter_ : sampler
        The fitted augmenter.
    classifier_ : classifier
        The classifier fitted on the augmented data.
    classes_ : ndarray of shape (n_classes,)
        Class labels, those of ``classifier_``.
    n_generated_ : int
        Number of generated rows that the classifier was trained on, in addition to
        the real ones.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` had string column names.

    See Also
    --------
    ActiveGANAugmenter : the augmenter used by default.
    MarginFilter : the "+F" step, a parameter of the augmenter.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactivegan import ActiveGANAugmenter, AugmentedClassifier, MarginFilter
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = AugmentedClassifier(
    ...     augmenter=ActiveGANAugmenter(filter=MarginFilter(threshold=0.3),
    ...                                  max_iter=40, warmup_iter=20, random_state=0),
    ...     classifier=LogisticRegression(max_iter=1000),
    ... ).fit(X, y)
    >>> clf.predict(X[:3])
    array([0, 0, 0])
    >>> clf.predict_proba(X[:3]).shape
    (3, 3)
    """

    _parameter_constraints = {
        "augmenter": [HasMethods(["fit_resample"]), None],
        "classifier": [HasMethods(["fit", "predict"]), None],
    }

    def __init__(self, *, augmenter=None, classifier=None):
        self.augmenter = augmenter
        self.classifier = classifier

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Augment ``(X, y)`` with the augmenter, then fit the classifier on it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Real labelled rows; numeric and finite.
        y : array-like of shape (n_samples,)
            Class labels; see :class:`ActiveGANAugmenter` for what it needs.

        Returns
        -------
        self : AugmentedClassifier
            The fitted classifier.
        """
        # Validate once here so that errors name this estimator and the fitted
        # attributes follow scikit-learn's conventions; the parts get the caller's
        # container (a DataFrame stays one) and validate again on their own terms.
        X_checked, y_checked = validate_data(self, X, y, ensure_all_finite=True,
                                             dtype=None)
        check_classification_targets(y_checked)
        augmenter = (ActiveGANAugmenter() if self.augmenter is None
                     else clone(self.augmenter))
        classifier = (_DefaultSVM() if self.classifier is None
                      else clone(self.classifier))

        X_res, y_res = augmenter.fit_resample(X, y)
        self.augmenter_ = augmenter
        self.classifier_ = classifier.fit(X_res, y_res)
        self.classes_ = getattr(self.classifier_, "classes_", np.unique(y_checked))
        self.n_generated_ = len(X_res) - len(X_checked)
        return self

    def _check_X(self, X):
        """Check the fit and the number of features; return ``X`` as given."""
        check_is_fitted(self)
        validate_data(self, X, reset=False, ensure_all_finite=True, dtype=None)
        return X

    @available_if(_classifier_has("predict"))
    def predict(self, X):
        """Predict class labels with the classifier (no augmentation).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to classify.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        X = self._check_X(X)
        return self.classifier_.predict(X)

    @available_if(_classifier_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from the classifier.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to classify.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of :attr:`classes_`.
        """
        X = self._check_X(X)
        return self.classifier_.predict_proba(X)

    @available_if(_classifier_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Log class probabilities from the classifier.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to classify.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of :attr:`classes_`.
        """
        X = self._check_X(X)
        return self.classifier_.predict_log_proba(X)

    @available_if(_classifier_has("decision_function"))
    def decision_function(self, X):
        """Decision values from the classifier.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to classify.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            As returned by the classifier's ``decision_function``.
        """
        X = self._check_X(X)
        return self.classifier_.decision_function(X)

    @available_if(_classifier_has("score"))
    def score(self, X, y, sample_weight=None):
        """The classifier's score (mean accuracy for most) on ``(X, y)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Test rows.
        y : array-like of shape (n_samples,)
            True labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed on when given.

        Returns
        -------
        score : float
            The classifier's ``score``.
        """
        X = self._check_X(X)
        if sample_weight is None:
            return self.classifier_.score(X, y)
        return self.classifier_.score(X, y, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        return tags
