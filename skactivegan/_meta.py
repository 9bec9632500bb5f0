"""AugmentedClassifier: a classifier that augments in ``fit`` and knows its metric.

scikit-learn's own :class:`~sklearn.pipeline.Pipeline` cannot pass a changed ``y``
from one step to the next, so a sampler cannot be one of its steps.  This
meta-estimator puts the augmenter and the classifier in one classifier, and, since
it knows the metric it will be judged by (``scoring``), it also uses the other two
remedies for rare classes where they were measured to help: class weights and a
decision threshold tuned for the metric (:mod:`._remedies` says which, and why).
"""

import math
from numbers import Integral, Real

import numpy as np
from sklearn import config_context
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.metrics import check_scoring
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV
from sklearn.utils import check_random_state
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    has_fit_parameter,
    validate_data,
)

from ._augmenter import ActiveGANAugmenter
from ._compat import HasMethods, Interval, StrOptions, fit_context
from ._generation import concat_rows
from ._parts import PartsMixin
from ._remedies import (
    balanced_classifier,
    consistent_rows,
    half_strategy,
    recipe_for,
)
from .oracle._default_svm import DefaultSVC
from .tables._validation import (
    check_finite_columns,
    check_label_types,
    check_sample_weight,
    unchanged_on_failure,
)

__all__ = ["AugmentedClassifier"]

_SEED_MAX = np.iinfo(np.int32).max
#: The fewest rows of a class with which a threshold is tuned (folds have two).
_MIN_TUNING_ROWS = 3


def _n_splits(cv, y):
    """The threshold's number of folds for an int ``cv`` (lowered to the smallest
    class's count); None for a splitter."""
    if not isinstance(cv, Integral):
        return None
    return min(cv, np.unique(y, return_counts=True)[1].min())


def _seed_unset_random_states(estimator, rng):
    """Give every ``random_state`` of ``estimator`` that is None a seed from ``rng``.

    Nested parameters (``oracle__random_state``, ``svc__random_state``, ...) are
    seeded too, in the sorted order of their names, so that the same ``rng`` gives
    the same seeds.  Seeds the user set are kept.  ``estimator`` is modified: pass
    a clone.
    """
    params = estimator.get_params(deep=True)
    unset = sorted(
        name for name, value in params.items()
        if value is None and (name == "random_state" or name.endswith("__random_state"))
    )
    seeds = {name: int(rng.randint(_SEED_MAX)) for name in unset}
    if seeds:
        estimator.set_params(**seeds)
    return estimator


def _classifier_has(attr):
    """Whether the fitted (else the given, else the default) classifier has ``attr``.

    Used with :func:`~sklearn.utils.metaestimators.available_if`, so that
    ``hasattr(AugmentedClassifier(...), "predict_proba")`` tells the truth.
    """

    def check(self):
        if hasattr(self, "classifier_"):
            return hasattr(self.classifier_, attr)
        classifier = self.classifier if self.classifier is not None else DefaultSVC()
        return hasattr(classifier, attr)

    return check


def _generated_weights(y, sample_weight, y_gen):
    """Weights of the real rows, then of the generated ones: the mean weight of the
    real rows of their class."""
    if sample_weight is None:
        return None
    mean = {label: sample_weight[y == label].mean() for label in np.unique(y)}
    return np.concatenate([sample_weight, [mean[label] for label in y_gen]])


def _counts_are_the_recipes(augmenter):
    """Whether the augmenter leaves the number of rows to the recipe: an
    ActiveGANAugmenter with ``sampling_strategy="auto"`` and no ``n_samples``."""
    if not isinstance(augmenter, ActiveGANAugmenter):
        return False
    params = augmenter.get_params(deep=False)
    strategy = params["sampling_strategy"]
    return (isinstance(strategy, str) and strategy == "auto"
            and params["n_samples"] is None)


def _rows_are_the_recipes(augmenter):
    """Whether the augmenter also leaves the choice of rows to the recipe: its
    counts, and ``filter="auto"``."""
    filter_ = augmenter.get_params(deep=False).get("filter")
    return (_counts_are_the_recipes(augmenter) and isinstance(filter_, str)
            and filter_ == "auto")


def _check_class_weights(sample_weight, y):
    """Refuse sample weights that leave a class with no weight at all."""
    if sample_weight is None:
        return None
    labels = np.unique(y)
    empty = [label for label in labels if not sample_weight[y == label].sum() > 0]
    if empty:
        raise ValueError(
            f"sample_weight gives class(es) {np.asarray(empty).tolist()} a total "
            "weight of zero: every class needs a positive weight to be learned. Drop "
            "those rows, or give them weights."
        )
    return sample_weight


class AugmentedClassifier(PartsMixin, MetaEstimatorMixin, ClassifierMixin,
                          BaseEstimator):
    """A classifier trained on augmented data, for the metric it is judged by.

    ``fit`` adds generated rows (``augmenter``), fits ``classifier`` on the real and
    the generated rows, and, where it was measured to help that metric
    (``scoring``), also gives the classifier balanced class weights and tunes its
    decision threshold by cross-validation, the rows rebuilt in every fold:

    - balanced accuracy (the default, and any metric but an F-score): the minority
      up to half the majority's count, balanced class weights, the threshold best
      for the metric;
    - an F-score ("f1", "f1_macro", ...): rows that the oracle and their real
      neighbours both give their own label, no class weights, and the threshold
      halfway between the best for the metric and the classifier's own;
    - more than two classes: rows that balance the classes, nothing else.

    ``predict`` applies that threshold; ``predict_proba`` and ``decision_function``
    are the classifier's.  Prediction never augments.  This is also the form to use
    where scikit-learn's own :class:`~sklearn.pipeline.Pipeline` must be kept, since
    a sampler cannot be one of its steps.

    Parameters
    ----------
    augmenter : ActiveGANAugmenter or sampler with ``fit_resample``, default=None
        Cloned and fitted in :meth:`fit`; None is ``ActiveGANAugmenter()``.  The
        recipe for ``scoring`` (above) decides how many rows it adds and which,
        unless it says so itself: a ``sampling_strategy`` other than "auto",
        ``n_samples`` or a ``filter`` of its own; any other sampler adds its rows
        as it is configured.
    classifier : classifier, default=None
        Cloned and fitted on the real and generated rows.  None is
        :class:`DefaultSVC` (its classes are weighted already).  It gets the rows in
        the caller's format: on a mixed-type table, give it an encoder of its own.
    scoring : str or callable, default="balanced_accuracy"
        The metric the classifier is judged by, with scikit-learn's meaning (a
        scorer name or a callable ``scorer(estimator, X, y)``): the threshold is
        tuned for it, and it chooses the recipe.
    class_weight : {"auto", "balanced"}, dict or None, default="auto"
        "auto" is the recipe's; "balanced" or a dict ``{label: weight}`` always,
        None never.  Set on the classifier's ``class_weight`` (or its last step's);
        a classifier that has none is fitted without.
    threshold : "auto", float or None, default="auto"
        The decision threshold of a binary problem, on the classifier's
        ``predict_proba`` of the second class (or its ``decision_function``):
        "auto" is the recipe's, tuned by cross-validation (none when ``class_weight``
        is a dict: your costs decide); a float fixes it; None is the classifier's
        own decision.
    cv : int or cross-validation splitter, default=5
        The folds of the threshold's cross-validation (stratified, not shuffled;
        an int is lowered to the smallest class's count). The threshold stays
        untuned when a fold's training part would hold fewer than 2 rows of a class
        (with a splitter: when a class has fewer than 3 rows).
    random_state : int, RandomState instance or None, default=None
        Seeds the parts whose ``random_state`` (nested ones included) is None, in
        clones: an int makes :meth:`fit` deterministic, the default parts included.

    Attributes
    ----------
    augmenter_ : sampler
        The augmenter fitted on all labelled rows.
    classifier_ : classifier
        The classifier fitted on the real and generated rows.
    threshold_ : float or None
        The decision threshold that :meth:`predict` applies (None: the classifier's
        own decision).
    class_weight_ : str, dict or None
        The class weights the classifier was given.
    n_generated_ : int
        Generated rows the classifier was trained on, besides the real ones.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` had string column names.

    See Also
    --------
    ActiveGANAugmenter : the augmenter used by default.
    sklearn.model_selection.TunedThresholdClassifierCV : the threshold's tuning.

    Notes
    -----
    docs/imbalanced.md reports the measurement behind the recipes, and where each
    remedy stands against the over-samplers.  Tuning the threshold fits the
    augmenter and the classifier once per fold and once more on all rows.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactivegan import AugmentedClassifier
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> clf = AugmentedClassifier(classifier=LogisticRegression(),
    ...                           scoring="f1_macro", random_state=0).fit(X, y)
    >>> clf.predict(X[:3]).shape
    (3,)
    >>> 0 < clf.threshold_ < 1
    True
    """

    _parameter_constraints = {
        "augmenter": [HasMethods(["fit_resample"]), None],
        "classifier": [HasMethods(["fit", "predict"]), None],
        "scoring": [str, callable],
        "class_weight": [StrOptions({"auto", "balanced"}), dict, None],
        "threshold": [StrOptions({"auto"}),
                      Interval(Real, None, None, closed="neither"), None],
        "cv": ["cv_object"],
        "random_state": ["random_state"],
    }
    _parts = {"augmenter": "_default_augmenter", "classifier": "_default_classifier"}

    def __init__(self, augmenter=None, classifier=None, *, scoring="balanced_accuracy",
                 class_weight="auto", threshold="auto", cv=5, random_state=None):
        self.augmenter = augmenter
        self.classifier = classifier
        self.scoring = scoring
        self.class_weight = class_weight
        self.threshold = threshold
        self.cv = cv
        self.random_state = random_state

    @staticmethod
    def _default_augmenter(value):
        return ActiveGANAugmenter() if value is None else None

    @staticmethod
    def _default_classifier(value):
        return DefaultSVC() if value is None else None

    def get_metadata_routing(self):
        """Routing of ``fit``'s metadata: to the augmenter's ``fit_resample`` and the
        classifier's ``fit`` (``sample_weight`` is this estimator's own).

        Returns
        -------
        routing : MetadataRouter
        """
        router = MetadataRouter(owner=type(self).__name__).add_self_request(self)
        router.add(augmenter=self.augmenter or ActiveGANAugmenter(),
                   method_mapping=MethodMapping().add(caller="fit",
                                                      callee="fit_resample"))
        router.add(classifier=self.classifier or DefaultSVC(),
                   method_mapping=MethodMapping().add(caller="fit", callee="fit"))
        return router

    # -------------------------------------------------------------------- fit
    @fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **params):
        """Augment ``(X, y)``, fit the classifier, and tune its threshold.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Real labelled rows; finite.  A DataFrame reaches the parts as one.
        y : array-like of shape (n_samples,)
            Class labels; see :class:`ActiveGANAugmenter` for what it needs.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the real rows in the classifier's fit; each generated row
            gets the mean weight of the real rows of its class.  The classifier
            must take ``sample_weight``.
        **params : dict
            With scikit-learn's metadata routing enabled, fit parameters of the
            augmenter (``fit_resample``) and the classifier, as they request them.

        Returns
        -------
        self : AugmentedClassifier
            The fitted classifier.  A call that fails leaves it as it was before.
        """
        with unchanged_on_failure(self):
            X, y = self._validate_X_y(X, y)
            sample_weight = _check_class_weights(
                check_sample_weight(sample_weight, len(y)), y)
            recipe = recipe_for(self.scoring, len(np.unique(y)))
            threshold = self._threshold_kind(recipe, y)
            tuned = None
            if threshold in ("tuned", "shrunk"):
                tuned = self._tune(X, y, sample_weight, params, threshold == "shrunk")
            if tuned is None:
                self._fit_rows(X, y, sample_weight, params, recipe)
                self.threshold_ = (float(self.threshold) if threshold == "fixed"
                                   else None)
            self.classes_ = np.unique(y)
        return self

    def _validate_X_y(self, X, y):
        check_label_types(y)
        if hasattr(X, "iloc"):
            # A table's values are the augmenter's to check: it names the column.
            _, y = validate_data(self, X, y, skip_check_array=True)
            y = column_or_1d(y, warn=True)
            check_consistent_length(X, y)
        else:
            check_finite_columns(np.asarray(X))
            X, y = validate_data(self, X, y, ensure_all_finite=True, dtype=None)
        check_classification_targets(y)
        return X, np.asarray(y)

    def _threshold_kind(self, recipe, y):
        """"tuned", "shrunk", "fixed" or None: what becomes of the threshold."""
        if self.threshold is None:
            return None
        binary = type_of_target(y) == "binary"
        if not isinstance(self.threshold, str):
            if not binary:
                raise ValueError(
                    f"threshold={self.threshold} is a decision threshold of a binary "
                    f"problem; y has {len(np.unique(y))} classes. Use threshold=None."
                )
            return "fixed"
        if isinstance(self.class_weight, dict):
            return None  # costs of the user's: the classifier's own decision
        classifier = self.classifier or DefaultSVC()
        scores = hasattr(classifier, "predict_proba") or hasattr(
            classifier, "decision_function")
        smallest = np.unique(y, return_counts=True)[1].min()
        n_splits = _n_splits(self.cv, y)
        # Each fold's training part needs two rows of every class.
        enough = (smallest >= _MIN_TUNING_ROWS if n_splits is None
                  else smallest - math.ceil(smallest / n_splits) >= 2)
        return recipe.threshold if binary and scores and enough else None

    def _parts_for(self, recipe, y, rng):
        """Clones of the augmenter and the classifier for ``recipe``, seeded."""
        augmenter = self._default_augmenter(self.augmenter) or clone(self.augmenter)
        if recipe.rows == "half" and _counts_are_the_recipes(augmenter):
            augmenter.set_params(sampling_strategy=half_strategy(y))
        classifier = self._default_classifier(self.classifier) or clone(self.classifier)
        weights = self.class_weight
        if isinstance(weights, str) and weights == "auto":
            weights = "balanced" if recipe.class_weight else None
        self.class_weight_ = None
        if weights is not None and balanced_classifier(classifier, weights) is not None:
            self.class_weight_ = weights
        if rng is not None:
            _seed_unset_random_states(augmenter, rng)
            _seed_unset_random_states(classifier, rng)
        return augmenter, classifier

    def _fit_rows(self, X, y, sample_weight, params, recipe):
        """Fit the augmenter and the classifier on the real and generated rows."""
        rng = (None if self.random_state is None
               else check_random_state(self.random_state))
        augmenter, classifier = self._parts_for(recipe, y, rng)
        routed = self._routed(params)
        if recipe.rows == "consistent" and _rows_are_the_recipes(augmenter):
            seed = int(rng.randint(_SEED_MAX)) if rng is not None else None
            X_gen, y_gen = consistent_rows(augmenter, X, y, seed)
        else:
            X_res, y_res = augmenter.fit_resample(X, y, **routed["augmenter"])
            X_gen, y_gen = X_res[len(y):], np.asarray(y_res)[len(y):]
        X_all = concat_rows([X, X_gen]) if len(y_gen) else X
        y_all = np.concatenate([y, y_gen.astype(y.dtype, copy=False)])
        fit_params = dict(routed["classifier"])
        weights = _generated_weights(y, sample_weight, y_gen)
        if weights is not None:
            if not has_fit_parameter(classifier, "sample_weight"):
                raise TypeError(
                    f"sample_weight was given, but the classifier "
                    f"{type(classifier).__name__} does not take sample_weight in fit."
                )
            fit_params["sample_weight"] = weights
        self.augmenter_ = augmenter
        self.classifier_ = classifier.fit(X_all, y_all, **fit_params)
        self.n_generated_ = len(y_gen)

    def _routed(self, params):
        """The metadata routed to the augmenter's and the classifier's fit."""
        if not params:
            return {"augmenter": {}, "classifier": {}}
        routed = process_routing(self, "fit", **params)
        return {"augmenter": routed.augmenter.fit_resample,
                "classifier": routed.classifier.fit}

    def _tune(self, X, y, sample_weight, params, shrink):
        """Tune the threshold by cross-validation, the rows rebuilt in every fold.

        Sets the fitted attributes and returns the fitted tuner; None when the
        classifier's scores are constant in a fold (nothing to tune): then nothing
        is set.
        """
        inner = clone(self).set_params(threshold=None)
        method = ("predict_proba" if hasattr(inner, "predict_proba")
                  else "decision_function")
        n_splits = _n_splits(self.cv, y)
        folds = self.cv if n_splits is None else StratifiedKFold(n_splits)
        fit_params = dict(params)
        if sample_weight is not None:
            fit_params["sample_weight"] = sample_weight
        # scikit-learn's threshold tuning takes sample_weight through metadata
        # routing only: enabled for this call, the weights requested by the inner
        # fit and by the scorer (the folds' scores are weighted too).
        with config_context(enable_metadata_routing=bool(fit_params) or None):
            scoring = check_scoring(inner, scoring=self.scoring)
            if sample_weight is not None:
                inner.set_fit_request(sample_weight=True)
                if hasattr(scoring, "set_score_request"):
                    scoring.set_score_request(sample_weight=True)
            tuned = TunedThresholdClassifierCV(inner, scoring=scoring,
                                               response_method=method, cv=folds)
            try:
                tuned.fit(X, y, **fit_params)
            except ValueError as exc:
                # scikit-learn's one error for scores without a threshold to move.
                if "constant predictions" not in str(exc):
                    raise
                return None
        fitted = tuned.estimator_
        threshold = tuned.best_threshold_
        if shrink:
            threshold = 0.5 * (threshold + (0.5 if method == "predict_proba" else 0.0))
        self.augmenter_ = fitted.augmenter_
        self.classifier_ = fitted.classifier_
        self.class_weight_ = fitted.class_weight_
        self.n_generated_ = fitted.n_generated_
        self.threshold_ = float(threshold)
        self._response_method = method
        return tuned

    # -------------------------------------------------------------- predict
    def _check_X(self, X):
        """Check the fit and the number of features; return ``X`` as given."""
        check_is_fitted(self)
        validate_data(self, X, reset=False, ensure_all_finite=True, dtype=None)
        return X

    @available_if(_classifier_has("predict"))
    def predict(self, X):
        """Predict class labels with the classifier and :attr:`threshold_`.

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
        if self.threshold_ is None:
            return self.classifier_.predict(X)
        method = getattr(self, "_response_method", None) or (
            "predict_proba" if hasattr(self.classifier_, "predict_proba")
            else "decision_function")
        scores = getattr(self.classifier_, method)(X)
        if method == "predict_proba":
            scores = scores[:, 1]
        return self.classes_[(scores >= self.threshold_).astype(int)]

    @available_if(_classifier_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from the classifier (the threshold does not change
        them).

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

    def score(self, X, y, sample_weight=None):
        """The score of :meth:`predict` on ``(X, y)`` by ``scoring``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Test rows.
        y : array-like of shape (n_samples,)
            True labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the test rows.

        Returns
        -------
        score : float
        """
        scorer = check_scoring(self, scoring=self.scoring)
        if sample_weight is None:
            return scorer(self, X, y)
        return scorer(self, X, y, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        return tags
