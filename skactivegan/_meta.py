"""AugmentedClassifier: augment in ``fit``, then delegate prediction to a classifier.

scikit-learn's own :class:`~sklearn.pipeline.Pipeline` cannot pass a changed ``y``
from one step to the next, so a sampler cannot be one of its steps.  This
meta-estimator puts the two together in one classifier: ``fit`` augments the rows
and fits the classifier on them; ``predict`` and the other prediction methods go to
the classifier alone, so new rows are never augmented.

With ``selection="cv"`` it also decides *how much* to augment, "nothing" included,
by an inner cross-validation on the labelled rows (:func:`_score_candidates`, then
:func:`_randomization_test` and :func:`_choose`).
"""

import copy
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    _fit_context,
    clone,
)
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from ._augmenter import ActiveGANAugmenter
from .exceptions import GenerationBudgetWarning
from .oracle._default_svm import DefaultSVC
from .tables._validation import (
    check_finite_columns,
    check_label_types,
    unchanged_on_failure,
)

__all__ = ["AugmentedClassifier"]

#: Candidates searched by ``selection="cv"`` when ``selection_grid`` is None, besides
#: "add nothing": the filter's threshold, and rows to add as a fraction of the
#: labelled rows.
DEFAULT_SELECTION_GRID = {"threshold": (0.1, 0.2, 0.3), "n_samples": (0.5, 1.0)}

_SEED_MAX = np.iinfo(np.int32).max
#: Scores closer than this count as equal in the choice of ``selection="cv"``.
_SCORE_TOL = 1e-9
#: Level of the randomization test that a candidate adding rows must pass.
_SIGNIFICANCE = 0.05


def _seed_unset_random_states(estimator, rng):
    """Give every ``random_state`` of ``estimator`` that is None a seed from ``rng``.

    Nested parameters (``oracle__random_state``, ``svc__random_state``, ...) are
    seeded too, in the sorted order of their names, so that the same ``rng`` gives
    the same seeds.  Seeds the user set are kept.  ``estimator`` is modified: pass
    a clone.

    Parameters
    ----------
    estimator : estimator
    rng : RandomState

    Returns
    -------
    estimator : estimator
        The same object.
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


def _n_rows(n_samples, n_real):
    """Rows to add: an int is a count, a float a fraction of the ``n_real`` rows."""
    if isinstance(n_samples, Integral):
        return int(n_samples)
    return round(n_samples * n_real)


def _with_threshold(augmenter, threshold):
    """A view of a fitted augmenter whose filter keeps margins up to ``threshold``.

    The networks and the oracle are shared, not copied: :meth:`sample` only reads
    them.  Setting ``filter__threshold`` on a fitted augmenter would not do this, as
    it is a parameter, read at the next fit.
    """
    if threshold is None or getattr(augmenter, "filter_", None) is None:
        return augmenter
    view = copy.copy(augmenter)
    view.filter_ = clone(augmenter.filter_).set_params(threshold=threshold)
    return view


def _augment(augmenter, X, y, threshold, n_samples):
    """The rows ``(X, y)`` followed by generated rows from a fitted augmenter.

    Parameters
    ----------
    augmenter : fitted ActiveGANAugmenter
        Fitted on ``(X, y)``.
    X : array-like of shape (n, n_features)
        The caller's container; a DataFrame stays one.
    y : ndarray of shape (n,)
    threshold : float or None
        The filter's threshold; None keeps the augmenter's.
    n_samples : int or float
        Rows to add: a count, or a fraction of ``n``.

    Returns
    -------
    X_res : array-like of shape (n + n_added, n_features)
    y_res : ndarray of shape (n + n_added,)
    """
    n_add = _n_rows(n_samples, len(y))
    if n_add == 0:
        return X, y
    X_gen, y_gen = _with_threshold(augmenter, threshold).sample(n_add)
    y_res = np.concatenate([y, np.asarray(y_gen).astype(y.dtype, copy=False)])
    if hasattr(X, "iloc"):
        import pandas as pd

        return pd.concat([X, X_gen], ignore_index=True), y_res
    return np.concatenate([X, np.asarray(X_gen, dtype=np.asarray(X).dtype)]), y_res


def _candidates(grid, has_filter):
    """The candidates of ``selection="cv"``: "add nothing" first, then by rows.

    Parameters
    ----------
    grid : dict with keys "threshold" and "n_samples"
    has_filter : bool
        Whether the augmenter filters; without a filter the thresholds are moot.

    Returns
    -------
    candidates : list of dict
        ``{"threshold": float or None, "n_samples": int or float}``; the first
        is ``{"threshold": None, "n_samples": 0}``.  Among equal scores, the
        earlier candidate wins, so "add nothing", then fewer rows, win ties.
    """
    thresholds = sorted(set(grid["threshold"])) if has_filter else [None]
    rows = sorted({r for r in grid["n_samples"] if r != 0})
    return [{"threshold": None, "n_samples": 0}] + [
        {"threshold": t, "n_samples": r} for r in rows for t in thresholds
    ]


def _score_candidates(X, y, augmenter, classifier, candidates, folds):
    """Inner cross-validation of the candidates, the augmenter fitted once per fold.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The caller's container; a DataFrame stays one.
    y : ndarray of shape (n_samples,)
    augmenter : unfitted ActiveGANAugmenter
        Cloned and fitted on the training part of each fold.
    classifier : unfitted classifier
        Cloned and fitted for each fold and candidate.
    candidates : list of dict
        From :func:`_candidates`.
    folds : StratifiedKFold

    Returns
    -------
    scores : ndarray of shape (n_candidates, n_splits)
        Held-out macro-F1 of each candidate in each fold.
    pred : ndarray of shape (n_candidates, n_samples), int
        Each candidate's held-out prediction of every row, as an index into
        ``np.unique(y)``.
    n_added : ndarray of shape (n_candidates, n_splits), int
        Rows drawn; fewer than asked when the generation budget ran out.
    """
    labels = np.unique(y)
    scores = np.empty((len(candidates), folds.get_n_splits()))
    pred = np.zeros((len(candidates), len(y)), dtype=np.int64)
    n_added = np.zeros(scores.shape, dtype=np.int64)
    for k, (train, test) in enumerate(folds.split(np.zeros((len(y), 1)), y)):
        X_train, y_train = _safe_indexing(X, train), y[train]
        X_test, y_test = _safe_indexing(X, test), y[test]
        fitted = clone(augmenter).fit(X_train, y_train)
        for i, candidate in enumerate(candidates):
            with warnings.catch_warnings():
                # A budget that runs out is evidence (fewer rows), not an error.
                warnings.simplefilter("ignore", GenerationBudgetWarning)
                X_res, y_res = _augment(fitted, X_train, y_train, **candidate)
            n_added[i, k] = len(y_res) - len(y_train)
            predicted = clone(classifier).fit(X_res, y_res).predict(X_test)
            scores[i, k] = f1_score(y_test, predicted, average="macro", labels=labels,
                                    zero_division=0.0)
            pred[i, test] = np.searchsorted(labels, predicted)
    return scores, pred, n_added


def _macro_f1(y, pred, n_classes):
    """Macro-F1 of each row of ``pred``, vectorised over those rows.

    Parameters
    ----------
    y : ndarray of shape (n_samples,), int
        True class indices.
    pred : ndarray of shape (n_sets, n_samples), int
        Predicted class indices, one set of predictions a row.
    n_classes : int
        Classes averaged over (all those of ``y``); a class's F1 is 0 when it is
        neither predicted nor present.

    Returns
    -------
    f1 : ndarray of shape (n_sets,)
    """
    f1 = np.zeros(len(pred))
    for k in range(n_classes):
        true_k, pred_k = y == k, pred == k
        tp = (pred_k & true_k).sum(axis=1)
        denominator = pred_k.sum(axis=1) + true_k.sum()
        f1 += np.divide(2 * tp, denominator, out=np.zeros(len(pred)),
                        where=denominator > 0)
    return f1 / n_classes


def _randomization_test(y, pred, reference, rng, n_permutations=999):
    """Does each candidate's macro-F1 beat the reference's by more than chance?

    A paired approximate randomization test on held-out predictions: under the
    hypothesis that the two are exchangeable, swapping a candidate's and the
    reference's predictions of any row is as likely as not.  The p-value is the
    fraction of random swaps (the observed one included) whose macro-F1
    difference is at least the observed one.

    Parameters
    ----------
    y : ndarray of shape (n_samples,), int
        True class indices.
    pred : ndarray of shape (n_candidates, n_samples), int
        Each candidate's held-out predictions (class indices).
    reference : ndarray of shape (n_samples,), int
        The reference's ("add nothing").
    rng : RandomState
    n_permutations : int, default=999

    Returns
    -------
    fixed, broken : ndarray of shape (n_candidates,), int
        Rows right only with the candidate, and rows right only without it.
    p_value : ndarray of shape (n_candidates,)
        One-sided; 1 where the candidate predicts every row as the reference does.
    """
    n_classes = int(y.max()) + 1
    correct, reference_correct = pred == y, reference == y
    fixed = (correct & ~reference_correct).sum(axis=1)
    broken = (~correct & reference_correct).sum(axis=1)
    observed = _macro_f1(y, pred, n_classes) - _macro_f1(y, reference[None], n_classes)
    p_value = np.ones(len(pred))
    for i in np.flatnonzero((pred != reference).any(axis=1)):
        swap = rng.random_sample((n_permutations, len(y))) < 0.5
        a = np.where(swap, reference, pred[i])
        b = np.where(swap, pred[i], reference)
        diff = _macro_f1(y, a, n_classes) - _macro_f1(y, b, n_classes)
        exceed = np.sum(diff >= observed[i] - _SCORE_TOL)
        p_value[i] = (1 + exceed) / (1 + n_permutations)
    return fixed, broken, p_value


def _choose(scores, p_value):
    """Index of the chosen candidate: "add nothing" unless another clearly beats it.

    The candidate with the best mean score is chosen only when that mean is above
    the mean of "add nothing" (index 0) and, over the held-out rows of all folds,
    its macro-F1 beats that of "add nothing" by more than chance (``p_value``
    below ``_SIGNIFICANCE``).  Otherwise, and on ties, "add nothing"; among equal means
    the earlier candidate.

    Parameters
    ----------
    scores : ndarray of shape (n_candidates, n_splits)
    p_value : ndarray of shape (n_candidates,)
        Of :func:`_randomization_test` against "add nothing".

    Returns
    -------
    index : int
    """
    mean = scores.mean(axis=1)
    best = int(np.argmax(mean))  # the first of equal means
    if mean[best] > mean[0] + _SCORE_TOL and p_value[best] < _SIGNIFICANCE:
        return best
    return 0


def _cv_results(candidates, scores, n_added, fixed, broken, p_value, selected):
    """The evidence of ``selection="cv"`` in GridSearchCV's ``cv_results_`` layout."""
    mean = scores.mean(axis=1)
    results = {
        "params": [dict(c) for c in candidates],
        "param_threshold": np.array([c["threshold"] for c in candidates], dtype=object),
        "param_n_samples": np.array([c["n_samples"] for c in candidates], dtype=object),
    }
    for k in range(scores.shape[1]):
        results[f"split{k}_test_score"] = scores[:, k]
    results["mean_test_score"] = mean
    results["std_test_score"] = scores.std(axis=1)
    # Rank 1 is the best mean; equal means share the best rank.
    results["rank_test_score"] = np.array(
        [1 + int(np.sum(mean > m)) for m in mean], dtype=np.int32)
    results["mean_improvement"] = mean - mean[0]
    results["n_fixed"] = fixed
    results["n_broken"] = broken
    results["p_value"] = p_value
    results["mean_n_generated"] = n_added.mean(axis=1)
    results["selected"] = np.arange(len(candidates)) == selected
    return results


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


def _split_seed(rng):
    """A seed for the inner folds: from ``rng``, else fresh entropy (no global RNG)."""
    if rng is not None:
        return int(rng.randint(_SEED_MAX))
    return int(np.random.SeedSequence().generate_state(1)[0] % _SEED_MAX)


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
    ``augmenter__uncertainty_weight``, ``augmenter__filter__threshold``,
    ``classifier__C``, and so on.  They work at the defaults too: setting a nested
    parameter of a part that is None first puts the default part in its place
    (``ActiveGANAugmenter()``, ``DefaultSVC()``).

    **Never-worse mode.** With ``selection="cv"``, ``fit`` chooses the filter's
    threshold and the number of rows to add, "add nothing" included, by stratified
    cross-validation on the labelled rows (``cv`` folds).  In each fold the
    augmenter is fitted once on the training part; every candidate then draws its
    rows from that fitted generator with :meth:`ActiveGANAugmenter.sample` (the
    threshold replaced on the fitted filter, so nothing is retrained), the classifier
    is fitted on the real plus drawn rows and its macro-F1 measured on the held-out
    part.  The candidate with the best mean macro-F1 is chosen only when it beats
    "add nothing" and, over the held-out predictions of all folds, its macro-F1
    beats that of "add nothing" by more than chance (a paired randomization test,
    999 random swaps of the two models' predictions, one-sided p < 0.05).
    Otherwise, and on ties, nothing is added and the classifier is exactly the
    classifier alone.  The choice is then refitted on all labelled rows.  On small
    data the test rarely passes, by design: an inner score on a few dozen rows
    moves by points when one row changes, and choosing on such noise made the
    classifier worse (see docs/never_worse.md).

    Cost: ``cv`` GAN fits, plus one on all rows when the choice adds rows (so 3
    or 4 at the defaults, against 1 without selection); ``cv * n_candidates + 1``
    classifier fits (22 at the defaults: 7 candidates); and the generation of the
    candidates' rows, which is cheap next to a GAN fit.  The rows drawn split over
    the classes as :meth:`ActiveGANAugmenter.sample` splits them (like the
    augmenter's ``sampling_strategy_``, or the class frequencies when that adds
    nothing), whatever ``n_samples`` the augmenter was given.

    Parameters
    ----------
    augmenter : ActiveGANAugmenter or sampler with ``fit_resample``, default=None
        Cloned and fitted in :meth:`fit`.  None means ``ActiveGANAugmenter()`` with
        its defaults.  ``selection="cv"`` needs one with ``sample`` (an
        :class:`ActiveGANAugmenter`).
    classifier : classifier, default=None
        Cloned and fitted on the augmented data.  None means :class:`DefaultSVC`,
        the library's SVM: RBF kernel on standardised data, C and gamma
        grid-searched, Platt-scaled probabilities (the default oracle of
        :class:`ActiveGANAugmenter`), which one-hot encodes text and category
        columns as that oracle does.  A classifier of yours gets the rows in the
        caller's format (a DataFrame stays one): on a mixed-type table, give it an
        encoder of its own (a pipeline).
    selection : {"cv"} or None, default=None
        None augments as the augmenter is configured.  "cv" chooses the threshold
        and the number of rows by inner cross-validation, "add nothing" included
        (see above).
    selection_grid : dict or None, default=None
        Candidates for ``selection="cv"``: ``{"threshold": [...], "n_samples":
        [...]}``, each threshold in [0, 1], each ``n_samples`` a count (int) or a
        fraction of the labelled rows of the fit (float).  Every threshold is
        tried with every non-zero ``n_samples``; "add nothing" is always a
        candidate.  A missing key takes its default; None means
        ``{"threshold": (0.1, 0.2, 0.3), "n_samples": (0.5, 1.0)}``.  Thresholds
        are ignored when the augmenter has ``filter=None``.
    cv : int, default=3
        Number of stratified folds of ``selection="cv"``; every class needs at
        least this many rows.
    random_state : int, RandomState instance or None, default=None
        Seeds the parts whose ``random_state`` (nested ones included, such as
        ``oracle__random_state``) is None, in clones (the given estimators are never
        changed), and the inner folds.  An int makes :meth:`fit` deterministic, the
        default parts included; seeds set on the parts are kept.  None leaves the
        parts' seeds as they are.

    Attributes
    ----------
    augmenter_ : sampler or None
        The fitted augmenter; None when ``selection="cv"`` chose to add nothing
        (then no GAN is fitted on all rows).
    classifier_ : classifier
        The classifier fitted on the augmented data.
    classes_ : ndarray of shape (n_classes,)
        Class labels, those of ``classifier_``.
    n_generated_ : int
        Number of generated rows that the classifier was trained on, in addition to
        the real ones.
    selected_ : dict
        Only with ``selection="cv"``: the chosen candidate, ``{"threshold": float
        or None, "n_samples": int or float}``; ``n_samples=0`` is "add nothing".
    cv_results_ : dict of ndarray
        Only with ``selection="cv"``: the evidence, one entry per candidate, in
        the layout of :class:`~sklearn.model_selection.GridSearchCV`'s (loadable in
        a DataFrame): ``params``, ``param_threshold``, ``param_n_samples``,
        ``split<k>_test_score``, ``mean_test_score``, ``std_test_score``,
        ``rank_test_score``, ``mean_improvement`` (over "add nothing"),
        ``n_fixed`` and ``n_broken`` (held-out rows predicted right only with the
        candidate, only without it), ``p_value`` (of the randomization test),
        ``mean_n_generated`` (rows drawn per fold; fewer than asked when the
        generation budget ran out) and ``selected`` (a boolean).
    selected_index_ : int
        Only with ``selection="cv"``: index of ``selected_`` in ``cv_results_``.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` had string column names.

    See Also
    --------
    ActiveGANAugmenter : the augmenter used by default.
    MarginFilter : the "+F" step, a parameter of the augmenter.
    DefaultSVC : the classifier used by default.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactivegan import ActiveGANAugmenter, AugmentedClassifier, MarginFilter
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = AugmentedClassifier(
    ...     augmenter=ActiveGANAugmenter(filter=MarginFilter(threshold=0.3),
    ...                                  max_iter=40),
    ...     classifier=LogisticRegression(max_iter=1000), random_state=0,
    ... ).fit(X, y)
    >>> clf.predict(X[:3])
    array([0, 0, 0])
    >>> clf.predict_proba(X[:3]).shape
    (3, 3)

    The never-worse mode, with its evidence:

    >>> clf = AugmentedClassifier(
    ...     augmenter=ActiveGANAugmenter(max_iter=40),
    ...     classifier=LogisticRegression(max_iter=1000),
    ...     selection="cv", random_state=0,
    ... ).fit(X, y)
    >>> len(clf.cv_results_["mean_test_score"])
    7
    >>> sorted(clf.selected_)
    ['n_samples', 'threshold']
    """

    _parameter_constraints = {
        "augmenter": [HasMethods(["fit_resample"]), None],
        "classifier": [HasMethods(["fit", "predict"]), None],
        "selection": [StrOptions({"cv"}), None],
        "selection_grid": [dict, None],
        "cv": [Interval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, *, augmenter=None, classifier=None, selection=None,
                 selection_grid=None, cv=3, random_state=None):
        self.augmenter = augmenter
        self.classifier = classifier
        self.selection = selection
        self.selection_grid = selection_grid
        self.cv = cv
        self.random_state = random_state

    # ------------------------------------------------------------- parameters
    @staticmethod
    def _default_part(name):
        return ActiveGANAugmenter() if name == "augmenter" else DefaultSVC()

    def set_params(self, **params):
        """Set parameters; a nested key of a part that is None sets it on the default.

        ``AugmentedClassifier().set_params(augmenter__filter__threshold=0.1)``
        first puts ``ActiveGANAugmenter()`` in place of None, then sets its filter's
        threshold: that is what makes such keys work in a grid search at the
        defaults.

        Parameters
        ----------
        **params : dict
            Parameter names, nested ones with ``__``, and their values.

        Returns
        -------
        self : AugmentedClassifier
            This estimator.
        """
        for name in ("augmenter", "classifier"):
            nested = any(key.startswith(f"{name}__") for key in params)
            if nested and getattr(self, name) is None and params.get(name) is None:
                setattr(self, name, self._default_part(name))
        return super().set_params(**params)

    def _part(self, name, rng):
        """A clone of the part ``name`` (or the default); unset seeds from ``rng``."""
        given = getattr(self, name)
        part = self._default_part(name) if given is None else clone(given)
        if rng is not None:
            _seed_unset_random_states(part, rng)
        return part

    def _selection_grid(self):
        grid = dict(DEFAULT_SELECTION_GRID)
        given = self.selection_grid or {}
        unknown = set(given) - set(grid)
        if unknown:
            raise ValueError(
                f"selection_grid has unknown keys {sorted(unknown)}; its keys are "
                "'threshold' and 'n_samples'."
            )
        grid.update(given)
        thresholds, rows = list(grid["threshold"]), list(grid["n_samples"])
        if not thresholds or not all(
            isinstance(t, Real) and not isinstance(t, bool) and 0 <= t <= 1
            for t in thresholds
        ):
            raise ValueError(
                "selection_grid['threshold'] must be a non-empty list of floats in "
                f"[0, 1]; got {grid['threshold']!r}."
            )
        if not all(isinstance(r, Real) and not isinstance(r, bool) and r >= 0
                   for r in rows):
            raise ValueError(
                "selection_grid['n_samples'] must list non-negative counts (int) or "
                f"fractions of the labelled rows (float); got {grid['n_samples']!r}."
            )
        return {"threshold": thresholds, "n_samples": rows}

    # -------------------------------------------------------------------- fit
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Augment ``(X, y)``, then fit the classifier on it.

        With ``selection="cv"``, first choose how much to augment by inner
        cross-validation (see the class description).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Real labelled rows; finite.  A DataFrame reaches the parts as one.
        y : array-like of shape (n_samples,)
            Class labels; see :class:`ActiveGANAugmenter` for what it needs.

        Returns
        -------
        self : AugmentedClassifier
            The fitted classifier.  A call that fails leaves it as it was before.
        """
        with unchanged_on_failure(self):
            return self._fit(X, y)

    def _fit(self, X, y):
        check_label_types(y)
        # Validate once here so that errors name this estimator and the fitted
        # attributes follow scikit-learn's conventions; the parts get the caller's
        # DataFrame (for its column types) and validate again on their own terms.
        if hasattr(X, "iloc"):
            # A table's values are the augmenter's to check, before it trains: its
            # encoder names the column at fault (a missing value, a datetime).
            _, y = validate_data(self, X, y, skip_check_array=True)
            y = column_or_1d(y, warn=True)
            check_consistent_length(X, y)
        else:
            check_finite_columns(np.asarray(X))
            X, y = validate_data(self, X, y, ensure_all_finite=True, dtype=None)
        check_classification_targets(y)
        rng = (None if self.random_state is None
               else check_random_state(self.random_state))
        augmenter = self._part("augmenter", rng)
        classifier = self._part("classifier", rng)

        if self.selection == "cv":
            self._fit_selected(X, y, augmenter, classifier, _split_seed(rng))
        else:
            X_res, y_res = augmenter.fit_resample(X, y)
            self.augmenter_ = augmenter
            self.classifier_ = classifier.fit(X_res, y_res)
            self.n_generated_ = len(y_res) - len(y)
        self.classes_ = getattr(self.classifier_, "classes_", np.unique(y))
        return self

    def _fit_selected(self, X, y, augmenter, classifier, split_seed):
        """``selection="cv"``: score the candidates by inner CV, refit the choice."""
        if not hasattr(augmenter, "sample"):
            raise TypeError(
                f"selection='cv' draws rows with the augmenter's sample method, which "
                f"{type(augmenter).__name__} lacks; use an ActiveGANAugmenter, or "
                "selection=None."
            )
        _, counts = np.unique(y, return_counts=True)
        if counts.min() < self.cv:
            raise ValueError(
                f"selection='cv' with cv={self.cv} needs at least {self.cv} rows of "
                f"each class; the smallest class has {counts.min()}. Lower cv."
            )
        has_filter = augmenter.get_params().get("filter") is not None
        candidates = _candidates(self._selection_grid(), has_filter)
        folds = StratifiedKFold(n_splits=self.cv, shuffle=True, random_state=split_seed)
        scores, pred, n_added = _score_candidates(X, y, augmenter, classifier,
                                                  candidates, folds)
        y_index = np.searchsorted(np.unique(y), y)

        test_rng = np.random.RandomState(split_seed)
        fixed, broken, p_value = _randomization_test(y_index, pred, pred[0], test_rng)
        index = _choose(scores, p_value)
        self.cv_results_ = _cv_results(candidates, scores, n_added, fixed, broken,
                                       p_value, index)
        self.selected_index_ = index
        self.selected_ = dict(candidates[index])

        if _n_rows(self.selected_["n_samples"], len(y)) == 0:
            self.augmenter_ = None
            self.classifier_ = classifier.fit(X, y)
            self.n_generated_ = 0
            return
        self.augmenter_ = augmenter.fit(X, y)
        X_res, y_res = _augment(augmenter, X, y, **self.selected_)
        self.classifier_ = classifier.fit(X_res, y_res)
        self.n_generated_ = len(y_res) - len(y)

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
