"""ActiveGAN over-sampling against the SMOTE family on imbalanced data.

Every run is one data set, one split seed and one over-sampler: a stratified
train/test split (30 % test by default, ``--test-size``), a ``StandardScaler``
fitted on the training rows, the over-sampler's ``fit_resample`` on the scaled
training rows, then two classifiers fitted on the result and scored on the test
rows:

- ``svm``: ``SVC()`` (RBF kernel, C=1, gamma="scale");
- ``hgb``: ``HistGradientBoostingClassifier(random_state=seed)``.

That is exactly what ``imblearn.pipeline.make_pipeline(StandardScaler(), sampler,
clf)`` does during ``fit``; the resampled set is computed once and shared by the
two classifiers (each over-sampler has a fixed ``random_state``, so the pipeline
would resample the same rows twice).

Over-samplers: imbalanced-learn's RandomOverSampler, SMOTE, BorderlineSMOTE,
SVMSMOTE and ADASYN; the leaders of the ``smote-variants`` package (ProWSyn,
polynom-fit-SMOTE, Lee, SMOTE-IPF, G-SMOTE, see ``_smote_variants.py``; a benchmark
requirement only: ``benchmarks/README.md``), at their default parameters; and
ActiveGAN. ``--methods`` takes method names and the groups of
:data:`METHOD_GROUPS` (``baselines``: every over-sampler but ActiveGAN;
``remedies``: the other remedies, below).

The other remedies for rare classes (issue 34), which change the classifier instead
of the rows (:func:`make_model`): ``class_weight`` (``class_weight="balanced"``;
both classifiers take it), ``threshold`` (scikit-learn's
``TunedThresholdClassifierCV`` for the metric scored, 5 stratified folds),
``class_weight+threshold``, ``smote+threshold`` (SMOTE inside the threshold's
tuning, rebuilt in every fold), and the library's own classifier, ``augmented``:
``AugmentedClassifier(classifier=c, scoring=metric, random_state=seed)``. A tuned
threshold depends on the metric: those methods fit one model for balanced accuracy
(scored on balanced accuracy and G-mean) and one for macro-F1. scikit-learn tunes
the thresholds of binary problems only: on the multi-class tables the threshold
methods keep the classifier's own decision and ``augmented`` only balances the
classes with rows (the run's ``note`` says so).

Scores: balanced accuracy, geometric mean of the per-class recalls
(``imblearn.metrics.geometric_mean_score``) and macro-F1, each run written to
``runs.csv`` as soon as it is measured. The summary averages over draws and seeds
first, then over data sets (each run records its draw, ``seed_offset``), and
compares the methods as Demšar (2006) recommends: average ranks per column
(classifier x score) over the data sets, with Friedman's test, Iman and Davenport's
form of it and the Nemenyi critical difference (:func:`average_ranks`); every
method against the best-ranked one of each column by Wilcoxon signed-rank tests over
the (data set, seed) pairs, Holm-adjusted (:func:`against_best`); and, when the
library's classifier ran, issue 34's target for it (:func:`library_target`). It no
longer ranks methods by the best single run per column (``gaps_to_best``,
``held_out_best`` and ``target_check`` remain for the older notes). The binary
tables are summarised again on their own when the runs also hold multi-class ones.
The summary also gives each method's fit time and, when the runs of several
``--seed-offset`` draws are summarised together, :func:`draw_spread` (how far the
best of a method's draws lies above their mean) and :func:`target_by_draw`.

Data sets (``_imbalanced_data.py``) come in four groups: ``tuning`` (seeds 0-2 by
default; ActiveGAN's parameters were explored there only), ``reporting`` (seeds
100-102), ``validation`` (seeds 200-202; six tables added after the defaults were
chosen, run at the defaults only) and ``held-out`` (seeds 300-302; 15 binary tables
on which neither ActiveGAN's defaults nor AugmentedClassifier's recipes were chosen).

``--boundary`` adds the measurement of issue 14.3: for the minority class, the
margins that one calibrated SVM (the same for every method) gives to the generated
rows, and how often their label is right (see :func:`boundary_measurement`).

Examples
--------
Smoke run (seconds)::

    python benchmarks/bench_imbalanced.py --quick

Every baseline (random over-sampling, the SMOTE family and smote-variants leaders) on
the reporting group, then ActiveGAN, then one summary::

    nice -n 10 python benchmarks/bench_imbalanced.py --group reporting \
        --methods baselines --output out/base
    nice -n 10 python benchmarks/bench_imbalanced.py --group reporting \
        --methods activegan --output out/agan
    python benchmarks/bench_imbalanced.py --from-csv out/base/runs.csv \
        out/agan/runs.csv --output out/all --figures docs/imbalanced-figures
"""

import csv
import json
import math
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _imbalanced_data as data  # noqa: E402
import _smote_variants as sv_adapter  # noqa: E402
from _common import apply_threads, base_parser, machine_summary  # noqa: E402

TUNING_SEEDS = (0, 1, 2)
REPORTING_SEEDS = (100, 101, 102)
VALIDATION_SEEDS = (200, 201, 202)
HELD_OUT_SEEDS = (300, 301, 302)
TEST_SIZE = 0.3
METRICS = ("balanced_accuracy", "g_mean", "macro_f1")
CLASSIFIERS = ("svm", "hgb")
SMOTE_FAMILY = ("smote", "borderline", "svmsmote", "adasyn")
IMBLEARN_BASELINES = ("none", "random", *SMOTE_FAMILY)
# the leaders of smote-variants (Kovács 2019), wrapped by _smote_variants.py
SV_LEADERS = tuple(sv_adapter.METHODS)
BASELINES = (*IMBLEARN_BASELINES, *SV_LEADERS)
# the over-samplers among which the summary's "best over-sampler" is chosen: every
# over-sampler of the comparison, random over-sampling included (ten methods)
BEST_OF = ("random", *SMOTE_FAMILY, *SV_LEADERS)
REFERENCE = "activegan"
# the other remedies for rare classes (issue 34): they change the classifier, not
# the rows; "threshold" is scikit-learn's TunedThresholdClassifierCV for the metric
# scored (binary tables; on more classes the threshold is left as it is)
REMEDIES = ("class_weight", "threshold", "class_weight+threshold", "smote+threshold")
# the library's classifier: AugmentedClassifier(classifier=c, scoring=metric,
# random_state=seed), fitted once per classifier and per metric
LIBRARY = "augmented"
MODEL_METHODS = (*REMEDIES, LIBRARY)
# the metric each metric-specific model is fitted for, by the column it is scored
# in; G-mean is scored on the model fitted for balanced accuracy (both are
# functions of the per-class recalls)
TUNED_FOR = {"balanced_accuracy": "balanced_accuracy", "macro_f1": "f1_macro"}
SCORED_BY = {"balanced_accuracy": "balanced_accuracy", "g_mean": "balanced_accuracy",
             "macro_f1": "macro_f1"}
# names that --methods expands
METHOD_GROUPS = {
    "baselines": BASELINES,
    "imblearn": IMBLEARN_BASELINES,
    "smote_family": SMOTE_FAMILY,
    "leaders": SV_LEADERS,
    "remedies": REMEDIES,
    "all": (*BASELINES, REFERENCE, *REMEDIES, LIBRARY),
}
FIELDS = (
    "group",
    "dataset",
    "seed",
    "seed_offset",
    "method",
    "classifier",
    *METRICS,
    "n_train",
    "n_added",
    "n_removed",
    "test_size",
    "sampler_fit_s",
    "classifier_fit_s",
    "warnings",
    "error",
    "n_classes",
    "note",
)
MARGIN_THRESHOLD = 0.2
QUICK_ITER = 20


# --- methods and classifiers ---------------------------------------------------------


def make_sampler(method, seed, params=None):
    """The over-sampler called ``method``, seeded with ``seed`` (None: no resampling).

    ``prowsyn``, ``polynom_fit_smote``, ``lee``, ``smote_ipf`` and ``g_smote`` are
    smote-variants' over-samplers (:data:`_smote_variants.METHODS`) behind
    :class:`_smote_variants.SmoteVariantsSampler`, at their defaults but for
    ``params``. ``activegan`` and any ``activegan[...]`` variant are
    ``ActiveGANAugmenter(sampling_strategy="auto", random_state=seed, **params)``;
    keys with ``__`` (``filter__threshold``) go through ``set_params``, an
    ``oracle`` given by name is built by :func:`named_oracle`, and ``seed_offset``
    (not a parameter of the augmenter) seeds it with ``seed + seed_offset``: another
    draw of the same setting on the same splits, to see how far a setting's scores
    move by chance alone.  ``exact_search_rows`` (not a parameter either) sets, for
    this sampler's ``fit_resample``, the class size above which the composer
    searches neighbours approximately, with its spill tree (20,000 rows,
    ``_EXACT_SEARCH_ROWS`` of ``skactivegan.generators._composer``): the approximation
    measured on small tables, e.g. ``--variant 'spill12={"exact_search_rows": 12}'``.
    """
    from imblearn.over_sampling import (
        ADASYN,
        SMOTE,
        SVMSMOTE,
        BorderlineSMOTE,
        RandomOverSampler,
    )

    if method == "none":
        return None
    simple = {
        "random": RandomOverSampler,
        "smote": SMOTE,
        "borderline": BorderlineSMOTE,
        "svmsmote": SVMSMOTE,
        "adasyn": ADASYN,
    }
    if method in simple:
        return simple[method](random_state=seed)
    if method in sv_adapter.METHODS:
        # imported here, not in the timed fit_resample (seaborn, metric-learn: ~2 s)
        sv_adapter.import_smote_variants()
        return sv_adapter.SmoteVariantsSampler(
            sv_adapter.METHODS[method], params=params, random_state=seed
        )
    if method.startswith("activegan"):
        from skactivegan import ActiveGANAugmenter

        params = dict(params or {})
        if isinstance(params.get("oracle"), str):
            params["oracle"] = named_oracle(params["oracle"], seed)
        nested = {k: params.pop(k) for k in list(params) if "__" in k}
        offset = params.pop("seed_offset", 0)
        exact_rows = params.pop("exact_search_rows", None)
        sampler = ActiveGANAugmenter(
            sampling_strategy="auto", random_state=seed + offset, **params
        ).set_params(**nested)
        if exact_rows is not None:
            sampler.fit_resample = _with_exact_search_rows(sampler.fit_resample,
                                                           int(exact_rows))
        return sampler
    raise ValueError(f"unknown method {method!r}; choose from {BASELINES} or activegan")


def named_oracle(name, seed):
    """An oracle for ActiveGAN variants given on the command line (JSON has no
    estimators): ``"balanced_svm"`` is an RBF SVM with ``class_weight="balanced"``,
    Platt-scaled (``probability=True``); ``"hgb"`` is the benchmark's gradient
    boosting classifier (:func:`make_classifier`), ``"balanced_hgb"`` the same with
    ``class_weight="balanced"``."""
    from sklearn.svm import SVC

    if name == "balanced_svm":
        return SVC(class_weight="balanced", probability=True, random_state=seed)
    if name == "hgb":
        return make_classifier("hgb", seed)
    if name == "balanced_hgb":
        return make_classifier("hgb", seed).set_params(class_weight="balanced")
    raise ValueError(
        f"unknown oracle name {name!r}; known: 'balanced_svm', 'hgb', 'balanced_hgb'"
    )


def make_classifier(name, seed):
    """The classifier called ``name``: ``svm`` (SVC, RBF, C=1) or ``hgb``."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.svm import SVC

    if name == "svm":
        return SVC(kernel="rbf", C=1.0, gamma="scale")
    if name == "hgb":
        return HistGradientBoostingClassifier(random_state=seed)
    raise ValueError(f"unknown classifier {name!r}; choose from {CLASSIFIERS}")


def make_model(method, classifier, seed, metric, n_classes, params=None):
    """The unfitted model of a remedy that changes the classifier (issue 34).

    ``method`` is one of :data:`MODEL_METHODS`, ``classifier`` a name of
    :func:`make_classifier` (seeded with the split seed), ``seed`` the seed of the
    method's own randomness (SMOTE, the augmenter), ``metric`` a key of
    :data:`TUNED_FOR`: the metric a threshold is tuned for and
    :class:`~skactivegan.AugmentedClassifier`'s ``scoring``.

    - ``class_weight``: the classifier with ``class_weight="balanced"`` (both
      classifiers of the benchmark take it);
    - ``threshold``: ``TunedThresholdClassifierCV(classifier, scoring=metric)``, its
      defaults otherwise (5 stratified folds, the threshold refitted on all rows);
    - ``class_weight+threshold``: both;
    - ``smote+threshold``: ``make_pipeline(SMOTE(), classifier)`` inside the
      threshold's tuning, so that SMOTE's rows are rebuilt in every fold;
    - ``augmented``: ``AugmentedClassifier(classifier=..., scoring=metric,
      random_state=seed)``, with ``ActiveGANAugmenter(**params)`` when ``params``
      is given (``--quick``: fewer iterations).

    scikit-learn tunes the thresholds of binary problems only: with more than two
    classes (``n_classes``) the threshold methods leave the classifier's own
    decision, so that they are the classifier, the classifier with class weights
    and SMOTE; :class:`~skactivegan.AugmentedClassifier` balances the classes with
    its rows and does nothing else.
    """
    from imblearn.over_sampling import SMOTE
    from imblearn.pipeline import make_pipeline
    from sklearn.model_selection import TunedThresholdClassifierCV

    clf = make_classifier(classifier, seed_of_classifier(seed, params))
    scoring = TUNED_FOR[metric]
    if method == LIBRARY:
        from skactivegan import ActiveGANAugmenter, AugmentedClassifier

        extra = {k: v for k, v in (params or {}).items() if k != "classifier_seed"}
        augmenter = ActiveGANAugmenter(**extra) if extra else None
        return AugmentedClassifier(augmenter=augmenter, classifier=clf,
                                   scoring=scoring, random_state=seed)
    if method not in REMEDIES:
        raise ValueError(f"unknown remedy {method!r}; choose from {MODEL_METHODS}")
    if method.startswith("class_weight"):
        clf.set_params(class_weight="balanced")
    if method.startswith("smote"):
        clf = make_pipeline(SMOTE(random_state=seed), clf)
    if method.endswith("threshold") and n_classes == 2:
        clf = TunedThresholdClassifierCV(clf, scoring=scoring)
    return clf


def seed_of_classifier(seed, params):
    """The classifier's seed: the split seed, which :func:`run_cell` passes in
    ``params["classifier_seed"]`` when the method's own seed is offset."""
    return (params or {}).get("classifier_seed", seed)


def model_note(method, n_classes):
    """What a remedy could not do on this table (empty when nothing)."""
    if n_classes > 2 and "threshold" in method:
        return ("multi-class: threshold not tuned (scikit-learn tunes binary "
                "thresholds only)")
    if n_classes > 2 and method == LIBRARY:
        return "multi-class: balancing rows only, no class weights or threshold"
    return ""


def _metric_specific(method, n_classes):
    """Whether ``method`` fits another model for each metric on this table."""
    if n_classes != 2:
        return False
    return method == LIBRARY or "threshold" in method


def run_model_cell(base, method, params, split_data, classifiers, seed):
    """The result rows of a remedy of :data:`MODEL_METHODS` on one split.

    One model per classifier and, where it depends on the metric (a tuned
    threshold, the library's classifier on a binary table), per metric of
    :data:`TUNED_FOR`; each score column is read from the model fitted for it
    (:data:`SCORED_BY`). ``classifier_fit_s`` is the mean fit time of those models
    (what one user, with one metric, pays), ``n_added`` the rows the library's
    classifier generated (its model for balanced accuracy).
    """
    X_train, X_test, y_train, y_test = split_data
    n_classes = int(len(np.unique(y_train)))
    metrics = list(TUNED_FOR) if _metric_specific(method, n_classes) else [
        "balanced_accuracy"]
    rows = []
    for name in classifiers:
        preds, seconds, added, caught, error = {}, [], 0, set(), ""
        for metric in metrics:
            model = make_model(method, name, seed, metric, n_classes, params)
            with warnings.catch_warnings(record=True) as got:
                warnings.simplefilter("always")
                start = time.perf_counter()
                try:
                    model.fit(X_train, y_train)
                except Exception as exc:
                    # as for the over-samplers: the classifier alone, error kept
                    error = ("fell back to the classifier alone: "
                             f"{type(exc).__name__}: {exc}")
                    model = make_classifier(name, base["seed"]).fit(X_train, y_train)
                seconds.append(time.perf_counter() - start)
            caught |= {type(w.message).__name__ if isinstance(w.message, Warning)
                       else w.category.__name__ for w in got}
            if metric == "balanced_accuracy":
                added = int(getattr(model, "n_generated_", 0))
            preds[metric] = model.predict(X_test)
        measured = {m: scores(y_test, preds[m]) for m in preds}
        rows.append(dict(
            base,
            classifier=name,
            n_added=added,
            n_removed=0,
            sampler_fit_s=0.0,
            classifier_fit_s=float(np.mean(seconds)),
            warnings=";".join(sorted(caught)),
            error=error,
            n_classes=n_classes,
            note=model_note(method, n_classes),
            **{col: measured[SCORED_BY[col] if SCORED_BY[col] in measured
                             else "balanced_accuracy"][col] for col in METRICS},
        ))
    return rows


def scores(y_true, y_pred):
    """Balanced accuracy, G-mean and macro-F1 of one prediction, as a dict."""
    from imblearn.metrics import geometric_mean_score
    from sklearn.metrics import balanced_accuracy_score, f1_score

    return {
        "balanced_accuracy": balanced_accuracy_score(y_true, y_pred),
        "g_mean": geometric_mean_score(y_true, y_pred),
        "macro_f1": f1_score(y_true, y_pred, average="macro"),
    }


def split(X, y, seed, return_scaler=False, test_size=None):
    """Stratified train/test split and a scaler fitted on the training rows.

    ``test_size`` is the test share (default :data:`TEST_SIZE`, 0.3). Returns
    ``(X_train, X_test, y_train, y_test)``, the X's standardised, and the fitted
    ``StandardScaler`` last when ``return_scaler`` is true.
    """
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X_train, X_test, y_train, y_test = train_test_split(
        X,
        y,
        test_size=TEST_SIZE if test_size is None else test_size,
        stratify=y,
        random_state=seed,
    )
    scaler = StandardScaler().fit(X_train)
    out = (scaler.transform(X_train), scaler.transform(X_test), y_train, y_test)
    return (*out, scaler) if return_scaler else out


def resample(sampler, X, y):
    """``sampler.fit_resample(X, y)``, timed, with the warnings it raised counted.

    Returns ``(X_res, y_res, seconds, warning_text)``; ``sampler=None`` returns the
    data unchanged.
    """
    if sampler is None:
        return X, y, 0.0, ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        X_res, y_res = sampler.fit_resample(X, y)
        seconds = time.perf_counter() - start
    names = sorted(
        {
            type(w.message).__name__
            if isinstance(w.message, Warning)
            else w.category.__name__
            for w in caught
        }
    )
    return np.asarray(X_res), np.asarray(y_res), seconds, ";".join(names)


def _n_removed(sampler):
    """Real training rows that ``sampler``'s last ``fit_resample`` left out (the
    smote-variants adapter's ``n_removed_``: SMOTE-IPF's noise filter); 0 for
    the pure over-samplers, whose output starts with every training row."""
    return int(getattr(sampler, "n_removed_", 0))


def _with_exact_search_rows(fit_resample, rows):
    """``fit_resample`` with the composer's exact-search limit set to ``rows``."""
    import skactivegan.generators._composer as composer

    def wrapped(X, y):
        saved = composer._EXACT_SEARCH_ROWS
        composer._EXACT_SEARCH_ROWS = rows
        try:
            return fit_resample(X, y)
        finally:
            composer._EXACT_SEARCH_ROWS = saved

    return wrapped


def run_cell(dataset, group, seed, method, params, X, y, classifiers, test_size=None,
             seed_offset=0):
    """Every classifier on one (data set, seed, method).

    The split and the classifiers are seeded with ``seed``, the over-sampler with
    ``seed + seed_offset`` (``--seed-offset``: another draw of every method on the
    same splits).

    Returns the list of result rows (one per classifier) and the resampled
    training set ``(X_res, y_res)``: the real rows kept (``n_train - n_removed``)
    first, then the ``n_added`` generated ones.
    """
    test_size = TEST_SIZE if test_size is None else test_size
    X_train, X_test, y_train, y_test = split(X, y, seed, test_size=test_size)
    draw = seed_offset
    if method.startswith("activegan"):
        draw += (params or {}).get("seed_offset", 0)
    base = {
        "group": group,
        "dataset": dataset,
        "seed": seed,
        "seed_offset": draw,
        "method": method,
        "n_train": len(y_train),
        "test_size": test_size,
    }
    if method in MODEL_METHODS:
        split_data = (X_train, X_test, y_train, y_test)
        params = dict(params or {})
        if seed_offset:
            params["classifier_seed"] = seed
        rows = run_model_cell(base, method, params, split_data, classifiers,
                              seed + seed_offset)
        return rows, (X_train, y_train)
    error = ""
    try:
        sampler = make_sampler(method, seed + seed_offset, params)
        X_res, y_res, fit_s, caught = resample(sampler, X_train, y_train)
        removed = _n_removed(sampler)
    except Exception as exc:
        # What a user gets who catches the error: the classifier without resampling.
        # The run stays in the paired comparisons; the error is kept in the CSV.
        X_res, y_res, fit_s, caught, removed = X_train, y_train, float("nan"), "", 0
        error = f"fell back to no resampling: {type(exc).__name__}: {exc}"
    rows = []
    for name in classifiers:
        clf = make_classifier(name, seed)
        start = time.perf_counter()
        clf.fit(X_res, y_res)
        clf_s = time.perf_counter() - start
        rows.append(
            dict(
                base,
                classifier=name,
                n_added=len(y_res) - len(y_train) + removed,
                n_removed=removed,
                sampler_fit_s=fit_s,
                classifier_fit_s=clf_s,
                warnings=caught,
                error=error,
                n_classes=int(len(np.unique(y_train))),
                note="",
                **scores(y_test, clf.predict(X_test)),
            )
        )
    return rows, (X_res, y_res)


# --- issue 14.3: where the generated minority rows sit -------------------------------


def _margin(proba):
    part = np.sort(proba, axis=1)
    return part[:, -1] - part[:, -2]


def boundary_measurement(
    X,
    y,
    seed,
    methods,
    X_full=None,
    y_full=None,
    method_params=None,
    resampled=None,
    test_size=None,
):
    """Where each method's generated minority rows sit, seen by one oracle.

    The oracle is the same for every method: a Platt-calibrated RBF SVM
    (``CalibratedClassifierCV(SVC(), method="sigmoid", cv=3)``) fitted on the scaled
    training rows of the split ``seed``. A second judge, the *reference*, is an RBF
    SVM fitted on more data than any method saw: the balanced table the data set
    was cut from (``X_full``) when there is one, else every row of the data set
    (training and test).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        The data set; it is split as in the benchmark (``split(X, y, seed)``).
    seed : int
        Split seed and the methods' ``random_state``.
    methods : sequence of str
        Method names of :func:`make_sampler`.
    X_full, y_full : ndarray or None
        The balanced table the data set was cut from, if any.
    method_params : dict or None
        Extra parameters per method name (``activegan`` variants).
    resampled : dict or None
        ``{method: (X_res, y_res)}`` or ``{method: (X_res, y_res, n_real)}``
        already computed on this split (by :func:`run_cell`), so that a method is
        not fitted twice; ``n_real`` (default: every training row) is the number
        of real rows before the generated ones.
    test_size : float or None
        Test share of the split (default :data:`TEST_SIZE`).

    Returns
    -------
    rows : list of dict
        One per method, and one ``real minority (test)`` row that scores the real
        test rows of the minority class for comparison: ``n`` (generated minority
        rows), ``median_margin``, ``near_boundary`` (share with oracle margin <=
        0.2), ``oracle_agrees`` (share the oracle labels as the minority class) and
        ``reference_agrees`` (the same for the reference).
    """
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import SVC

    X_tr, X_te, y_tr, y_te, scaler = split(
        X, y, seed, return_scaler=True, test_size=test_size
    )
    minority = int(np.argmin(np.bincount(y_tr)))
    oracle = CalibratedClassifierCV(SVC(), method="sigmoid", cv=3).fit(X_tr, y_tr)
    if X_full is not None:
        X_ref, y_ref = scaler.transform(X_full), y_full
    else:
        X_ref, y_ref = np.vstack([X_tr, X_te]), np.concatenate([y_tr, y_te])
    reference = SVC().fit(X_ref, y_ref)

    def judge(label, rows_x):
        if len(rows_x) == 0:
            return {
                "method": label,
                "n": 0,
                **{
                    k: float("nan")
                    for k in (
                        "median_margin",
                        "near_boundary",
                        "oracle_agrees",
                        "reference_agrees",
                    )
                },
            }
        proba = oracle.predict_proba(rows_x)
        m = _margin(proba)
        return {
            "method": label,
            "n": len(rows_x),
            "median_margin": float(np.median(m)),
            "near_boundary": float(np.mean(m <= MARGIN_THRESHOLD)),
            "oracle_agrees": float(
                np.mean(oracle.classes_[proba.argmax(1)] == minority)
            ),
            "reference_agrees": float(np.mean(reference.predict(rows_x) == minority)),
        }

    rows = [judge("real minority (test)", X_te[y_te == minority])]
    for method in methods:
        if resampled and method in resampled:
            X_res, y_res, *rest = resampled[method]
            n_real = rest[0] if rest else len(y_tr)
        else:
            try:
                sampler = make_sampler(method, seed, (method_params or {}).get(method))
                X_res, y_res, _, _ = resample(sampler, X_tr, y_tr)
                n_real = len(y_tr) - _n_removed(sampler)
            except Exception:  # e.g. ADASYN finds no hard minority row
                X_res, y_res, n_real = X_tr, y_tr, len(y_tr)
        new_x, new_y = X_res[n_real:], y_res[n_real:]
        rows.append(judge(method, new_x[new_y == minority]))
    return rows


# --- summaries -----------------------------------------------------------------------


def _nanmean(values):
    values = [v for v in values if not math.isnan(v)]
    return float(np.mean(values)) if values else float("nan")


def _nanmedian(values):
    values = [v for v in values if not math.isnan(v)]
    return float(np.median(values)) if values else float("nan")


def _float(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def per_dataset_means(rows):
    """{(method, classifier, dataset): {metric: mean over seeds}}."""
    acc = {}
    for r in rows:
        key = (r["method"], r["classifier"], r["dataset"])
        acc.setdefault(key, []).append(r)
    return {
        k: {
            m: float(np.mean([_float(r[m]) for r in v]))
            for m in (*METRICS, "sampler_fit_s", "classifier_fit_s")
        }
        for k, v in acc.items()
    }


def summary_table(rows, methods):
    """Mean over data sets (of the mean over seeds) of each score, per method.

    Only the data sets on which every method in ``methods`` ran are averaged.
    Returns a list of dicts with a column per (classifier, metric), the median
    over-sampler fit time in seconds and the mean rank on balanced accuracy.
    """
    means = per_dataset_means(rows)
    # only the data sets that every method ran on, so that means are comparable
    datasets = sorted(
        d
        for d in {r["dataset"] for r in rows}
        if all((m, c, d) in means for m in methods for c in CLASSIFIERS)
    )
    table = []
    for method in methods:
        row = {"method": method}
        for clf in CLASSIFIERS:
            for metric in METRICS:
                vals = [
                    means[(method, clf, d)][metric]
                    for d in datasets
                    if (method, clf, d) in means
                ]
                row[f"{clf} {metric}"] = float(np.mean(vals)) if vals else float("nan")
        fits = [_float(r["sampler_fit_s"]) for r in rows if r["method"] == method]
        row["fit s (median)"] = float(np.nanmedian(fits)) if fits else float("nan")
        row["model fit s (median)"] = _nanmedian(
            [_float(r["sampler_fit_s"]) + _float(r.get("classifier_fit_s"))
             for r in rows if r["method"] == method])
        table.append(row)
    # mean rank on balanced accuracy over (data set, classifier)
    ranks = {m: [] for m in methods}
    for d in datasets:
        for clf in CLASSIFIERS:
            vals = [
                (means.get((m, clf, d), {}).get("balanced_accuracy", np.nan), m)
                for m in methods
            ]
            if any(np.isnan(v) for v, _ in vals):
                continue
            order = _ranks([v for v, _ in vals])
            for (_, m), rank in zip(vals, order):
                ranks[m].append(rank)
    for row in table:
        r = ranks[row["method"]]
        row["mean rank (BA)"] = float(np.mean(r)) if r else float("nan")
    return table


def _ranks(values):
    """Ranks (1 = best, ties averaged) of ``values``, higher is better."""
    from scipy.stats import rankdata

    return list(rankdata([-v for v in values]))


def paired_tests(rows, reference, others):
    """ActiveGAN (``reference``) against each other method: mean difference in points,
    wins/ties/losses and Wilcoxon signed-rank p-value over (data set, seed) pairs.

    Several draws of a method on the same pair (runs with different seed offsets)
    count as one: their mean.
    """
    from scipy.stats import wilcoxon

    draws = {}
    for r in rows:
        key = (r["method"], r["classifier"], r["dataset"], str(r["seed"]))
        draws.setdefault(key, []).append(r)
    index = {
        key: {m: _nanmean([_float(r[m]) for r in group]) for m in METRICS}
        for key, group in draws.items()
    }
    out = []
    for other in others:
        for clf in CLASSIFIERS:
            for metric in ("balanced_accuracy", "macro_f1"):
                diffs = []
                for (m, c, d, s), r in index.items():
                    if m != reference or c != clf:
                        continue
                    o = index.get((other, clf, d, s))
                    if o is None:
                        continue
                    a, b = _float(r[metric]), _float(o[metric])
                    if not (math.isnan(a) or math.isnan(b)):
                        diffs.append(a - b)
                if not diffs:
                    continue
                diffs = np.asarray(diffs)
                p = float("nan")
                if np.any(diffs != 0):
                    p = float(wilcoxon(diffs, zero_method="zsplit").pvalue)
                out.append(
                    {
                        "vs": other,
                        "classifier": clf,
                        "metric": metric,
                        "pairs": len(diffs),
                        "mean diff (points)": 100 * float(diffs.mean()),
                        "W/T/L": f"{int((diffs > 0).sum())}/{int((diffs == 0).sum())}/"
                        f"{int((diffs < 0).sum())}",
                        "wilcoxon p": p,
                    }
                )
    for clf in CLASSIFIERS:
        for metric in ("balanced_accuracy", "macro_f1"):
            block = [t for t in out if t["classifier"] == clf
                     and t["metric"] == metric]
            for t, p in zip(block, holm([t["wilcoxon p"] for t in block])):
                t["Holm p"] = float(p)
    return out


def best_of(table, columns=None, candidates=BEST_OF):
    """The best over-sampler per column of :func:`summary_table`'s ``table``.

    ``candidates`` (default :data:`BEST_OF`: random over-sampling, the SMOTE
    family and the smote-variants leaders) are the methods considered, those of
    them present in ``table``. Returns ``{column: (method, value)}``
    (``(None, nan)`` when none is present); ties go to the first in
    ``candidates``' order, NaN never wins.
    """
    by = {r["method"]: r for r in table}
    present = [m for m in candidates if m in by]
    columns = columns or [f"{c} {m}" for c in CLASSIFIERS for m in METRICS]
    out = {}
    for col in columns:
        vals = [(by[m][col], m) for m in present if not math.isnan(by[m][col])]
        best = max(vals, key=lambda v: v[0]) if vals else (float("nan"), None)
        out[col] = (best[1], best[0])
    return out


def best_table(table, candidates=BEST_OF):
    """Per (classifier, metric): the best over-sampler of :func:`best_of`, its
    score, the runner-up, and no resampling, as rows for :func:`markdown`."""
    by = {r["method"]: r for r in table}
    out = []
    for clf in CLASSIFIERS:
        for metric in METRICS:
            col = f"{clf} {metric}"
            name, value = best_of(table, [col], candidates)[col]
            rest = [m for m in candidates if m != name]
            second, second_value = best_of(table, [col], rest)[col]
            none = by["none"][col] if "none" in by else float("nan")
            out.append(
                {
                    "classifier": clf,
                    "metric": metric,
                    "best over-sampler": name or "",
                    "score": value,
                    "runner-up": f"{second_value:.4f} ({second})" if second else "",
                    "none": none,
                    "best vs none (points)": 100 * (value - none),
                }
            )
    return out


def target_check(table, reference=REFERENCE, candidates=BEST_OF):
    """Issue 14.5: is ``reference`` >= the best over-sampler (of ``candidates``,
    default :data:`BEST_OF`: every over-sampler of the comparison) on
    balanced accuracy and macro-F1, for both classifiers, and above no
    resampling? The best one is named in each row."""
    by = {r["method"]: r for r in table}
    if reference not in by:
        return []
    out = []
    for clf in CLASSIFIERS:
        for metric in ("balanced_accuracy", "macro_f1"):
            col = f"{clf} {metric}"
            best, value = best_of(table, [col], candidates)[col]
            ours = by[reference][col]
            out.append(
                {
                    "classifier": clf,
                    "metric": metric,
                    reference: ours,
                    "best over-sampler": f"{value:.4f} ({best})" if best else "",
                    "none": by["none"][col] if "none" in by else float("nan"),
                    "vs best (points)": 100 * (ours - value) if best else float("nan"),
                    "vs none (points)": 100 * (ours - by["none"][col])
                    if "none" in by
                    else float("nan"),
                    "met": bool(
                        best
                        and ours >= value
                        and ("none" not in by or ours > by["none"][col])
                    ),
                }
            )
    return out


TARGET_COLUMNS = tuple(
    f"{c} {m}" for c in CLASSIFIERS for m in ("balanced_accuracy", "macro_f1")
)


def gaps_to_best(table, candidates=BEST_OF, columns=TARGET_COLUMNS):
    """Each method's distance to the best over-sampler of each column, in points.

    The target asks one method to reach, in every column, the best of
    ``candidates`` in that column, which need not be the same method. This
    puts every method of ``table`` (the candidates too) against that bar: one row
    per method with its gap in each column (0 where it is the best) and the
    largest gap ("worst"), the closest method first.
    """
    best = best_of(table, list(columns), candidates)
    out = []
    for row in table:
        gaps = {col: 100 * (row[col] - best[col][1]) for col in columns}
        out.append({"method": row["method"], **gaps, "worst": min(gaps.values())})
    return sorted(out, key=lambda r: -r["worst"] if not math.isnan(r["worst"])
                  else math.inf)


def held_out_best(rows, candidates=BEST_OF, columns=TARGET_COLUMNS):
    """How much of the per-column best is chance: choose it on one seed, score it
    on the others.

    For each seed, the best of ``candidates`` per column is chosen on that seed's
    runs alone; the row gives, per column, its mean on the other seeds minus the
    best mean on those seeds (points; 0 where the same method wins). Empty with
    fewer than two seeds.
    """
    seeds = sorted({str(r["seed"]) for r in rows})
    if len(seeds) < 2:
        return []
    present = sorted({r["method"] for r in rows} & set(candidates))
    out = []
    for seed in seeds:
        chosen = summary_table([r for r in rows if str(r["seed"]) == seed], present)
        others = summary_table([r for r in rows if str(r["seed"]) != seed], present)
        picks = best_of(chosen, list(columns), candidates)
        best = best_of(others, list(columns), candidates)
        by = {r["method"]: r for r in others}
        row = {"chosen on seed": seed}
        for col in columns:
            name = picks[col][0]
            row[col] = (100 * (by[name][col] - best[col][1]) if name
                        else float("nan"))
        out.append(row)
    return out


# --- statistics of the comparison (issue 34.3) ---------------------------------------


def holm(pvalues):
    """Holm's step-down adjusted p-values, in the order given (NaN stays NaN).

    The family is the finite p-values given: the smallest is multiplied by their
    number m, the next by m - 1, ..., each at least the one before and at most 1.
    """
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    finite = np.flatnonzero(np.isfinite(p))
    order = finite[np.argsort(p[finite], kind="stable")]
    m = len(order)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out[order] = np.minimum(adjusted, 1.0)
    return out


def cell_scores(rows):
    """``{(method, classifier, dataset, seed): {metric: mean over its draws}}``."""
    draws = {}
    for r in rows:
        key = (r["method"], r["classifier"], r["dataset"], str(r["seed"]))
        draws.setdefault(key, []).append(r)
    return {
        key: {m: _nanmean([_float(r[m]) for r in group]) for m in METRICS}
        for key, group in draws.items()
    }


def _paired(cells, a, b, column):
    """Differences ``a - b`` (points) of ``column`` over the (data set, seed) pairs
    that both methods ran."""
    clf, metric = column.split(" ", 1)
    diffs = []
    for (m, c, d, s), v in cells.items():
        if m != a or c != clf:
            continue
        other = cells.get((b, clf, d, s))
        if other is None:
            continue
        x, y = v[metric], other[metric]
        if not (math.isnan(x) or math.isnan(y)):
            diffs.append(100 * (x - y))
    return np.asarray(diffs)


def wilcoxon_p(diffs):
    """Two-sided Wilcoxon signed-rank p-value of paired differences (zeros split
    between the signs, ``zero_method="zsplit"``); 1 when every difference is 0, NaN
    for fewer than two."""
    from scipy.stats import wilcoxon

    diffs = np.asarray(diffs, dtype=float)
    if len(diffs) < 2:
        return float("nan")
    if not np.any(diffs != 0):
        return 1.0
    return float(wilcoxon(diffs, zero_method="zsplit").pvalue)


def _complete_datasets(means, methods):
    """The data sets on which every method ran with every classifier."""
    return sorted(
        d for d in {key[2] for key in means}
        if all((m, c, d) in means for m in methods for c in CLASSIFIERS)
    )


def average_ranks(rows, methods, columns=TARGET_COLUMNS, alpha=0.05):
    """Average ranks of the methods per column, after Demšar (2006).

    Each data set ranks the methods by their mean over seeds and draws (1 = best,
    ties averaged); a method's average rank is the mean over the data sets that
    every method ran on. Returns ``(ranks, tests)``: one row per method with its
    average rank per column (best first by the mean over columns), and one row per
    column with the number of data sets, Friedman's chi-square test and Iman and
    Davenport's F form of it (the one Demšar recommends), and the critical
    difference of the Nemenyi test at ``alpha``: two average ranks further apart
    than it differ beyond chance, for all pairs at once.
    """
    from scipy.stats import chi2, f, studentized_range

    means = per_dataset_means(rows)
    datasets = _complete_datasets(means, methods)
    k, n = len(methods), len(datasets)
    ranks = {m: {} for m in methods}
    tests = []
    for col in columns:
        clf, metric = col.split(" ", 1)
        if not n:
            continue
        scores_ = np.array([[means[(m, clf, d)][metric] for m in methods]
                            for d in datasets])
        ranked = np.array([_ranks(row) for row in scores_])
        mean_rank = ranked.mean(axis=0)
        for m, r in zip(methods, mean_rank):
            ranks[m][col] = float(r)
        row = {"column": col, "data sets": n, "methods": k}
        if k > 2 and n > 1:
            stat = 12 * n / (k * (k + 1)) * (np.sum(mean_rank ** 2)
                                             - k * (k + 1) ** 2 / 4)
            row["Friedman p"] = float(chi2.sf(stat, k - 1))
            denom = n * (k - 1) - stat
            ff = (n - 1) * stat / denom if denom > 0 else float("inf")
            row["Iman-Davenport p"] = float(f.sf(ff, k - 1, (k - 1) * (n - 1)))
            q = studentized_range.ppf(1 - alpha, k, np.inf) / math.sqrt(2)
            row["Nemenyi CD"] = float(q * math.sqrt(k * (k + 1) / (6 * n)))
        tests.append(row)
    table = [{"method": m, **ranks[m],
              "mean": float(np.mean(list(ranks[m].values()))) if ranks[m]
              else float("nan")} for m in methods]
    table.sort(key=lambda r: r["mean"])
    return table, tests


def against_best(rows, methods, columns=TARGET_COLUMNS, alpha=0.05):
    """Per column, every method against the best-ranked one (:func:`average_ranks`).

    Wilcoxon signed-rank tests over the (data set, seed) pairs (each pair's draws
    averaged) of each method against the column's best average rank, Holm-adjusted
    over the column's ``len(methods) - 1`` tests. ``within noise`` is "yes" where the
    adjusted p-value is at least ``alpha``: the data do not tell that method from
    the best-ranked one.
    """
    ranks, _ = average_ranks(rows, methods, columns)
    cells = cell_scores(rows)
    out = []
    for col in columns:
        ranked = [r for r in ranks if col in r]
        if not ranked:
            continue
        best = min(ranked, key=lambda r: r[col])["method"]
        block = []
        for m in methods:
            if m == best:
                continue
            diffs = _paired(cells, m, best, col)
            block.append({
                "column": col,
                "best-ranked": best,
                "method": m,
                "pairs": len(diffs),
                "mean diff (points)": float(diffs.mean()) if len(diffs)
                else float("nan"),
                "W/T/L": f"{int((diffs > 0).sum())}/{int((diffs == 0).sum())}/"
                         f"{int((diffs < 0).sum())}",
                "wilcoxon p": wilcoxon_p(diffs),
            })
        for row, p in zip(block, holm([r["wilcoxon p"] for r in block])):
            row["Holm p"] = float(p)
            row["within noise"] = "yes" if not p < alpha else "no"
        block.sort(key=lambda r: -r["mean diff (points)"]
                   if not math.isnan(r["mean diff (points)"]) else math.inf)
        out += block
    return out


def library_target(rows, methods, library=LIBRARY, reference="smote",
                   columns=TARGET_COLUMNS, margin=0.5, alpha=0.05):
    """Issue 34's target for the library's classifier, column by column.

    The target: in every column within ``margin`` points of the best remedy, and
    ahead of ``make_pipeline(SMOTE(), c)`` (``reference``) by a significant margin
    (Holm-corrected Wilcoxon, p < ``alpha``) in at least two of the four columns.
    "Best remedy" is the best mean (over data sets, of the mean over seeds and
    draws) of every other method in the column, named: a maximum over many methods,
    so it is biased upward by chance (the best of several equals is above their
    common mean). Both comparisons are Wilcoxon tests over the (data set, seed)
    pairs, Holm-adjusted over the columns. Empty unless ``library`` ran.
    """
    if library not in methods:
        return []
    table = summary_table(rows, methods)
    by = {r["method"]: r for r in table}
    cells = cell_scores(rows)
    out = []
    for col in columns:
        others = [(by[m][col], m) for m in methods
                  if m != library and not math.isnan(by[m][col])]
        value, best = max(others) if others else (float("nan"), None)
        ours = by[library][col]
        vs_ref = (_paired(cells, library, reference, col) if reference in by
                  else np.array([]))
        vs_best = _paired(cells, library, best, col) if best else np.array([])
        out.append({
            "column": col,
            library: 100 * ours,
            "best remedy": f"{100 * value:.2f} ({best})" if best else "",
            "gap (points)": 100 * (ours - value),
            f"within {margin:g}": "yes" if 100 * (ours - value) >= -margin else "no",
            "p vs best": wilcoxon_p(vs_best),
            f"vs {reference} (points)": float(vs_ref.mean()) if len(vs_ref)
            else float("nan"),
            f"W/T/L vs {reference}": f"{int((vs_ref > 0).sum())}/"
                                     f"{int((vs_ref == 0).sum())}/"
                                     f"{int((vs_ref < 0).sum())}",
            f"p vs {reference}": wilcoxon_p(vs_ref),
        })
    for key in ("p vs best", f"p vs {reference}"):
        for row, p in zip(out, holm([r[key] for r in out])):
            row[f"Holm {key}"] = float(p)
    for row in out:
        row[f"ahead of {reference}"] = (
            "yes" if row[f"Holm p vs {reference}"] < alpha
            and row[f"vs {reference} (points)"] > 0 else "no")
    return out


def _draw(row):
    """A run's draw: its seed offset (``"0"`` in CSV files written before the
    column was added)."""
    return str(row.get("seed_offset") or "0")


def _draw_cells(rows, method):
    """``{draw: {(dataset, seed), ...}}``: the splits each draw of ``method`` ran on,
    draws in the order of their seed offsets."""
    cells = {}
    for r in rows:
        if r["method"] == method:
            cells.setdefault(_draw(r), set()).add((r["dataset"], str(r["seed"])))
    return dict(sorted(cells.items(), key=lambda item: _float(item[0])))


def draw_means(rows, method, columns=TARGET_COLUMNS):
    """Each draw's mean over data sets (of the mean over seeds) of ``columns``.

    Returns ``(offsets, means)``: the method's draws (seed offsets, sorted) and an
    array of shape (n_draws, n_columns) in points; None when its draws did not all
    run on the same data sets and seeds.
    """
    cells = _draw_cells(rows, method)
    offsets = list(cells)
    if not offsets or any(c != cells[offsets[0]] for c in cells.values()):
        return None
    mine = [r for r in rows if r["method"] == method]
    tables = [summary_table([r for r in mine if _draw(r) == o], [method])[0]
              for o in offsets]
    means = np.array([[100 * t[col] for col in columns] for t in tables])
    return offsets, means


def draw_spread(rows, columns=TARGET_COLUMNS):
    """How far the best of several draws of one method lies above their mean.

    A draw is one seed offset of a method (``--seed-offset``: the same splits, the
    over-sampler seeded differently). For each method run with two or more draws,
    and each column, the mean over data sets (of the mean over seeds) of every
    draw: their mean, standard deviation, best and worst, and the best minus the
    mean (points). The best of ten draws of one method is what a per-column "best
    of ten" over-samplers would be if all ten were that method: the part of such a
    bar that is chance alone. ``top in all`` counts the draws that are at least as
    good as every other draw in every column. Methods whose draws did not all run
    on the same data sets and seeds are left out.
    """
    out = []
    for method in dict.fromkeys(r["method"] for r in rows):
        drawn = draw_means(rows, method, columns)
        if drawn is None or len(drawn[0]) < 2:
            continue
        offsets, means = drawn
        top = sum(
            all(means[i, j] >= np.delete(means[:, j], i).max()
                for j in range(len(columns)))
            for i in range(len(offsets))
        )
        for j, col in enumerate(columns):
            values = means[:, j]
            out.append(
                {
                    "method": method,
                    "column": col,
                    "draws": len(offsets),
                    "mean": float(values.mean()),
                    "sd": float(values.std(ddof=1)),
                    "best": float(values.max()),
                    "worst": float(values.min()),
                    "best - mean": float(values.max() - values.mean()),
                    "top in all": top,
                }
            )
    return out


def target_by_draw(rows, candidates=(*BEST_OF, REFERENCE), columns=TARGET_COLUMNS,
                   margin=1.0, n_combinations=20_000, seed=0):
    """How often one draw of each method meets the target, for each method.

    The target asks one method's run to score at least the best of the others in
    every column and ``margin`` points more than it in at least one. With several
    draws of every method (seed offsets), every combination of one draw per
    method is a run of the comparison that could have happened; this gives, per
    method of ``candidates`` present, the share of those combinations in which it
    meets the first part ("at least the best", exact: the mean over its draws of
    the product over the others of the share of their draws it is at least as good
    as in every column) and the whole target (``n_combinations`` drawn at random
    with ``seed``). Only the data sets and seeds that every draw of every method
    ran on count. Empty unless two or more methods are present and one of them has
    two or more draws.
    """
    present = [m for m in dict.fromkeys(r["method"] for r in rows) if m in candidates]
    runs = [c for m in present for c in _draw_cells(rows, m).values()]
    cells = set.intersection(*runs) if runs else set()
    if len(present) < 2 or not cells:
        return []
    kept = [r for r in rows if (r["dataset"], str(r["seed"])) in cells]
    draws = {m: draw_means(kept, m, columns)[1] for m in present}
    if max(len(d) for d in draws.values()) < 2:
        return []
    rng = np.random.default_rng(seed)
    picks = {m: rng.integers(len(d), size=n_combinations) for m, d in draws.items()}
    out = []
    for m in present:
        mine = draws[m]
        others = [o for o in present if o != m]
        # exact: for each of m's draws, the chance that every other method's
        # draw is at most as good in every column
        at_least = np.ones(len(mine))
        for o in others:
            beaten = (mine[:, None, :] >= draws[o][None, :, :]).all(axis=2)
            at_least *= beaten.mean(axis=1)
        ours = mine[picks[m]]
        best = np.max([draws[o][picks[o]] for o in others], axis=0)
        met = (ours >= best).all(axis=1) & (ours >= best + margin).any(axis=1)
        out.append(
            {
                "method": m,
                "draws": len(mine),
                "at least the best (% of runs)": 100 * float(at_least.mean()),
                f"and {margin:g} point ahead in one (% of runs)":
                    100 * float(met.mean()),
            }
        )
    return out


def fit_times(rows, methods):
    """Over-sampler ``fit_resample`` seconds per method, over its runs (one run =
    one data set and seed; failed runs are counted, not timed): median, maximum,
    total, and the data set of the slowest run; and the median fit of the whole
    model, over-sampler and classifier (or the remedy's model, cross-validated
    threshold included), over the runs and the classifiers."""
    out = []
    for method in methods:
        runs = {}
        for r in rows:
            if r["method"] == method:
                runs[(r["dataset"], str(r["seed"]))] = r
        secs = {k: _float(r["sampler_fit_s"]) for k, r in runs.items()}
        timed = {k: v for k, v in secs.items() if not math.isnan(v)}
        slowest = max(timed, key=timed.get) if timed else None
        out.append(
            {
                "method": method,
                "runs": len(runs),
                "failed": sum(1 for r in runs.values() if r.get("error")),
                "median s": float(np.median(list(timed.values())))
                if timed
                else float("nan"),
                "max s": timed[slowest] if slowest else float("nan"),
                "total s": float(sum(timed.values())),
                "slowest on": slowest[0] if slowest else "",
                "model fit s (median)": _nanmedian(
                    [_float(r["sampler_fit_s"]) + _float(r.get("classifier_fit_s"))
                     for r in rows if r["method"] == method]),
            }
        )
    return out


def markdown(rows, columns=None, floatfmt="{:.4f}"):
    """A Markdown table of ``rows`` (list of dicts)."""
    if not rows:
        return "(no rows)\n"
    columns = columns or list(rows[0])

    def fmt(v):
        if isinstance(v, (float, np.floating)):
            return floatfmt.format(v) if not math.isnan(v) else "n/a"
        return str(v)

    lines = [
        "| " + " | ".join(columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    lines += [
        "| " + " | ".join(fmt(r.get(c, "")) for c in columns) + " |" for r in rows
    ]
    return "\n".join(lines) + "\n"


# --- figures -------------------------------------------------------------------------


def figures(rows, methods, folder, boundary_rows=None):
    """PNG figures: score gains over no resampling per data set, mean scores, fit
    times and (with ``boundary_rows``) the boundary measurement."""
    import matplotlib

    backend = matplotlib.get_backend()
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    means = per_dataset_means(rows)
    datasets = sorted({r["dataset"] for r in rows})
    shown = [m for m in methods if m != "none"]
    written = []
    try:
        for metric in ("balanced_accuracy", "macro_f1"):
            fig, axes = plt.subplots(
                1, 2, figsize=(12, 0.45 * len(datasets) + 1.8), sharey=True
            )
            for ax, clf in zip(axes, CLASSIFIERS):
                for j, m in enumerate(shown):
                    ys, xs = [], []
                    for i, d in enumerate(datasets):
                        if (m, clf, d) in means and ("none", clf, d) in means:
                            xs.append(
                                100
                                * (
                                    means[(m, clf, d)][metric]
                                    - means[("none", clf, d)][metric]
                                )
                            )
                            ys.append(i + (j - len(shown) / 2) * 0.08)
                    ax.scatter(
                        xs,
                        ys,
                        label=m,
                        s=28,
                        marker="*" if m.startswith("activegan") else "o",
                    )
                ax.axvline(0, color="grey", lw=0.8)
                ax.set_yticks(range(len(datasets)), datasets)
                ax.set_title(f"{clf}: {metric.replace('_', ' ')} minus no resampling")
                ax.set_xlabel("points (mean over seeds)")
            axes[1].legend(loc="lower right", fontsize=8)
            fig.tight_layout()
            path = folder / f"gain_{metric}.png"
            fig.savefig(path, dpi=110)
            plt.close(fig)
            written.append(path)

        table = summary_table(rows, methods)
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
        x = np.arange(len(methods))
        for ax, clf in zip(axes, CLASSIFIERS):
            for k, metric in enumerate(METRICS):
                ax.bar(
                    x + (k - 1) * 0.27,
                    [r[f"{clf} {metric}"] for r in table],
                    width=0.27,
                    label=metric.replace("_", " "),
                )
            ax.set_xticks(x, methods, rotation=30, ha="right", fontsize=8)
            lo = np.nanmin([r[f"{clf} {m}"] for r in table for m in METRICS])
            ax.set_ylim(max(0.0, lo - 0.05), 1.0)
            ax.set_title(f"{clf}: mean over data sets")
        axes[0].legend(fontsize=8)
        fig.tight_layout()
        path = folder / "mean_scores.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)

        fig, ax = plt.subplots(figsize=(7, 3.5))
        for j, m in enumerate(shown):
            vals = [
                max(means[(m, "svm", d)]["sampler_fit_s"], 1e-4)
                for d in datasets
                if (m, "svm", d) in means
            ]
            ax.scatter(vals, [j] * len(vals), s=20)
        ax.set_yticks(range(len(shown)), shown)
        ax.set_xscale("log")
        ax.set_xlabel(
            "over-sampler fit_resample seconds (per data set, mean over seeds)"
        )
        fig.tight_layout()
        path = folder / "fit_times.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)

        if boundary_rows:
            labels = []
            for r in boundary_rows:
                if r["method"] not in labels:
                    labels.append(r["method"])
            fig, axes = plt.subplots(1, 2, figsize=(11, 3.5))
            for ax, col, title in zip(
                axes,
                ("near_boundary", "oracle_agrees"),
                (
                    f"share with oracle margin <= {MARGIN_THRESHOLD}",
                    "share the oracle labels minority",
                ),
            ):
                for j, lab in enumerate(labels):
                    vals = [
                        r[col]
                        for r in boundary_rows
                        if r["method"] == lab and not math.isnan(r[col])
                    ]
                    ax.scatter(vals, [j] * len(vals), s=20)
                    if vals:
                        ax.plot([np.mean(vals)] * 2, [j - 0.3, j + 0.3], color="k")
                ax.set_yticks(range(len(labels)), labels)
                ax.set_xlim(-0.02, 1.02)
                ax.set_title(title)
            fig.tight_layout()
            path = folder / "boundary.png"
            fig.savefig(path, dpi=110)
            plt.close(fig)
            written.append(path)
    finally:
        matplotlib.use(backend)
    return written


# --- command line --------------------------------------------------------------------


def parse_args(argv=None):
    parser = base_parser(__doc__.split("\n\n")[0])
    parser.set_defaults(threads=1, output=Path("benchmarks/results/imbalanced"))
    parser.add_argument(
        "--group",
        choices=("tuning", "reporting", "validation", "held-out", "all"),
        default="reporting",
        help="which data sets: tuning, reporting, validation or held-out (see the "
        "module docstring), or all (default: reporting)",
    )
    parser.add_argument(
        "--datasets",
        nargs="*",
        default=None,
        help="data set names (default: all of --group)",
    )
    parser.add_argument(
        "--seeds",
        nargs="*",
        type=int,
        default=None,
        help="split seeds (default: 0 1 2 for tuning, 100 101 102 for reporting, "
        "200 201 202 for validation, 300 301 302 for held-out)",
    )
    parser.add_argument(
        "--seed-offset",
        type=int,
        default=0,
        help="seed every over-sampler with the split seed plus this: another draw of "
        "each method on the same splits (default: 0; ActiveGAN variants also take a "
        "seed_offset key, added to it)",
    )
    parser.add_argument(
        "--methods",
        nargs="*",
        default=None,
        help="methods to run, or groups of them: "
        + "; ".join(f"{k} = {' '.join(v)}" for k, v in METHOD_GROUPS.items())
        + " (default: all, ActiveGAN at its defaults; without smote-variants "
        "installed, all but its leaders)",
    )
    parser.add_argument(
        "--test-size",
        type=_test_size,
        default=TEST_SIZE,
        help=f"test share of each stratified split (default: {TEST_SIZE})",
    )
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME=JSON",
        help="an ActiveGAN variant, e.g. acgan='{\"uncertainty_weight\": 0}'; "
        "added to the methods as activegan[NAME]; the key seed_offset seeds the "
        "augmenter with the split seed plus it (another draw)",
    )
    parser.add_argument(
        "--boundary",
        action="store_true",
        help="also run the minority-row boundary measurement (issue 14.3)",
    )
    parser.add_argument(
        "--boundary-methods",
        nargs="*",
        default=["smote", "borderline", "activegan", "activegan[acgan]"],
        help="methods of the boundary measurement",
    )
    parser.add_argument(
        "--from-csv",
        nargs="*",
        type=Path,
        default=None,
        help="summarise these runs.csv files (and boundary.csv files "
        "beside them) instead of running",
    )
    parser.add_argument(
        "--figures",
        type=Path,
        default=None,
        help="folder for the PNG figures (default: --output)",
    )
    return parser.parse_args(argv)


def _test_size(text):
    import argparse

    value = float(text)
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"a share between 0 and 1, not {text}")
    return value


def smote_variants_installed():
    """Whether ``smote_variants`` can be imported (without importing it)."""
    import importlib.util

    return importlib.util.find_spec("smote_variants") is not None


def expand_methods(names):
    """``--methods`` with its groups (:data:`METHOD_GROUPS`) expanded, in order,
    without repeats; ``None`` is the default: every method (without the
    smote-variants leaders when that package is not installed). Raises
    ``ValueError`` on an unknown name."""
    if names is None:
        names = list(METHOD_GROUPS["all"])
        if not smote_variants_installed():
            names = [m for m in names if m not in SV_LEADERS]
    out = []
    for name in names:
        for m in METHOD_GROUPS.get(name, (name,)):
            if (m not in BASELINES and m not in MODEL_METHODS
                    and not m.startswith(REFERENCE)):
                raise ValueError(
                    f"unknown method {m!r}; choose from {' '.join(BASELINES)}, "
                    f"activegan, {' '.join(MODEL_METHODS)}, or the groups "
                    f"{' '.join(METHOD_GROUPS)}"
                )
            out.append(m)
    return list(dict.fromkeys(out))


def _variants(args):
    params = {}
    for spec in args.variant:
        name, _, text = spec.partition("=")
        params[f"activegan[{name}]"] = json.loads(text or "{}")
    if "activegan[acgan]" not in params:
        params["activegan[acgan]"] = {"uncertainty_weight": 0.0}
    if args.quick:  # a smoke run: a few GAN iterations
        for name in ("activegan", LIBRARY, *params):
            params[name] = {"max_iter": QUICK_ITER, **params.get(name, {})}
    return params


def _datasets(args):
    if args.datasets:
        return list(args.datasets)
    if args.quick:
        return ["breast_cancer-ir10", "wine-imb"]
    return [
        n
        for n, (_, _, g) in data.DATASETS.items()
        if args.group == "all" or g == args.group
    ]


def _seeds(args, group):
    if args.seeds:
        return list(args.seeds)
    if args.quick:
        return [0]
    return list({"tuning": TUNING_SEEDS, "validation": VALIDATION_SEEDS,
                 "held-out": HELD_OUT_SEEDS}.get(group, REPORTING_SEEDS))


def _read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def write_summary(rows, boundary_rows, args, methods, stream=sys.stdout):
    """Write summary.md (and figures) under ``args.output``; print the summary."""
    table = summary_table(rows, methods)
    # runs.csv files written before --test-size have no test_size column
    sizes = sorted({_float(r.get("test_size") or TEST_SIZE) for r in rows})
    parts = [
        (
            f"# Imbalanced benchmark: {len({r['dataset'] for r in rows})} data sets, "
            f"seeds {sorted({int(r['seed']) for r in rows})}, "
            f"test size {', '.join(f'{t:g}' for t in sizes)}\n"
        ),
        f"Machine: {machine_summary()}\n",
        "## Mean over data sets (of the mean over seeds)\n",
        markdown(table),
    ]
    if len(sizes) > 1:
        parts.append(
            "\n**Warning**: these runs mix split protocols (test sizes "
            f"{sizes}); their means are not comparable.\n"
        )
    parts += statistics_sections(rows, methods)
    binary = [r for r in rows if _float(r.get("n_classes")) == 2]
    if binary and len(binary) < len(rows):
        names = sorted({r["dataset"] for r in binary})
        parts += [f"\n# The binary tables only ({len(names)}: {', '.join(names)})\n",
                  "## Mean over data sets (of the mean over seeds and draws)\n",
                  markdown(summary_table(binary, methods))]
        parts += statistics_sections(binary, methods)
    # with several draws (seed offsets) of a method
    for title, found in (
        ("Draws of one method (seed offsets): the best draw against the mean of the "
         "draws (points)", draw_spread(rows)),
        ("How often one draw of each method meets the target (every combination of "
         "one draw per method)", target_by_draw(rows)),
    ):
        if found:
            parts += [f"\n## {title}\n", markdown(found, floatfmt="{:.2f}")]
    parts += [
        "\n## Over-sampler fit time (seconds per run)\n",
        markdown(fit_times(rows, methods), floatfmt="{:.3f}"),
    ]
    if REFERENCE in methods:
        others = [m for m in methods if m != REFERENCE]
        parts += [
            "\n## ActiveGAN against each method (paired over data set x seed)\n",
            markdown(paired_tests(rows, REFERENCE, others), floatfmt="{:.3g}"),
        ]
    means = per_dataset_means(rows)
    per_data = []
    for d in sorted({r["dataset"] for r in rows}):
        for clf in CLASSIFIERS:
            row = {"dataset": d, "classifier": clf}
            for m in methods:
                v = means.get((m, clf, d))
                row[m] = v["balanced_accuracy"] if v else float("nan")
            per_data.append(row)
    parts += [
        "\n## Balanced accuracy per data set (mean over seeds)\n",
        markdown(per_data),
    ]
    errors = [r for r in rows if r.get("error")]
    if errors:
        parts += [
            "\n## Failed runs\n",
            markdown(errors, ["dataset", "seed", "method", "classifier", "error"]),
        ]
    if boundary_rows:
        parts += [
            "\n## Generated minority rows seen by one calibrated SVM (issue 14.3)\n",
            markdown(boundary_summary(boundary_rows)),
        ]
    text = "\n".join(parts)
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "summary.md").write_text(text)
    stream.write(text)
    written = figures(rows, methods, args.figures or args.output, boundary_rows)
    stream.write(
        "\n"
        + "\n".join(f"wrote {p}" for p in [args.output / "summary.md", *written])
        + "\n"
    )
    return table


def statistics_sections(rows, methods):
    """The summary's comparison of ``methods``: average ranks, every method against
    the best-ranked of each column, and the library's classifier against its target
    (Markdown parts)."""
    ranks, tests = average_ranks(rows, methods)
    parts = [
        "\n## Average ranks (Demšar 2006; 1 = best, per data set on the mean over "
        "seeds and draws)\n",
        markdown(ranks, floatfmt="{:.2f}"),
        "\n",
        markdown(tests, floatfmt="{:.3g}"),
        "\n## Each method against the best-ranked of its column (points; Wilcoxon "
        "over the data set x seed pairs, Holm-adjusted within the column)\n",
        markdown(against_best(rows, methods), floatfmt="{:.3g}"),
    ]
    target = library_target(rows, methods)
    if target:
        parts += [
            "\n## The library's classifier against the best remedy and SMOTE "
            "(issue 34; points, Wilcoxon over the data set x seed pairs, "
            "Holm-adjusted over the four columns)\n",
            markdown(target, floatfmt="{:.3g}"),
        ]
    return parts


def boundary_summary(boundary_rows):
    """Mean over (data set, seed) of each boundary statistic, per method."""
    out = []
    labels = []
    for r in boundary_rows:
        if r["method"] not in labels:
            labels.append(r["method"])
    for lab in labels:
        sel = [r for r in boundary_rows if r["method"] == lab]
        row = {
            "method": lab,
            "runs": len(sel),
            "rows (mean)": float(np.mean([_float(r["n"]) for r in sel])),
        }
        for col in (
            "median_margin",
            "near_boundary",
            "oracle_agrees",
            "reference_agrees",
        ):
            row[col] = _nanmean([_float(r[col]) for r in sel])
        out.append(row)
    return out


def main(argv=None):
    args = parse_args(argv)
    apply_threads(args)
    params = _variants(args)
    methods = expand_methods(args.methods) + [
        f"activegan[{v.partition('=')[0]}]" for v in args.variant
    ]
    methods = list(dict.fromkeys(methods))
    if (
        not args.from_csv
        and any(m in SV_LEADERS for m in methods)
        and not smote_variants_installed()
    ):
        raise SystemExit(
            "the methods "
            + " ".join(m for m in methods if m in SV_LEADERS)
            + " need smote-variants: see benchmarks/README.md"
        )

    if args.from_csv:
        rows, boundary_rows = [], []
        for path in args.from_csv:
            rows += _read_csv(path)
            b = Path(path).with_name("boundary.csv")
            if b.exists():
                boundary_rows += [
                    {
                        k: (v if k in ("method", "dataset") else _float(v))
                        for k, v in r.items()
                    }
                    for r in _read_csv(b)
                ]
        present = list(dict.fromkeys(r["method"] for r in rows))
        order = [m for m in METHOD_GROUPS["all"] if m in present]
        order += [m for m in present if m not in order]
        write_summary(rows, boundary_rows, args, order)
        return 0

    args.output.mkdir(parents=True, exist_ok=True)
    print(machine_summary(), flush=True)
    names = _datasets(args)
    rows, boundary_rows, described = [], [], []
    start = time.perf_counter()
    with open(args.output / "runs.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        for name in names:
            try:
                X, y, X_full, y_full = data.load(name)
            except data.DatasetUnavailable as exc:
                print(f"skipping {name}: {exc}", flush=True)
                continue
            group = data.DATASETS[name][2]
            described.append(data.describe(name, y))
            for seed in _seeds(args, group):
                resampled = {}
                for method in methods:
                    cell, (X_res, y_res) = run_cell(
                        name,
                        group,
                        seed,
                        method,
                        params.get(method),
                        X,
                        y,
                        CLASSIFIERS,
                        test_size=args.test_size,
                        seed_offset=args.seed_offset,
                    )
                    resampled[method] = (
                        X_res,
                        y_res,
                        cell[0]["n_train"] - cell[0]["n_removed"],
                    )
                    for row in cell:
                        writer.writerow(row)
                    f.flush()
                    rows += cell
                    msg = " ".join(
                        f"{r['classifier']} BA={r['balanced_accuracy']:.3f}"
                        for r in cell
                    )
                    print(
                        f"[{time.perf_counter() - start:7.1f}s] {name} seed={seed} "
                        f"{method}: {msg} added={cell[0]['n_added']} "
                        + (
                            f"removed={cell[0]['n_removed']} "
                            if cell[0]["n_removed"]
                            else ""
                        )
                        + f"fit={cell[0]['sampler_fit_s']:.2f}s {cell[0]['warnings']} "
                        f"{cell[0]['error']}",
                        flush=True,
                    )
                if args.boundary:
                    for r in boundary_measurement(
                        X,
                        y,
                        seed,
                        args.boundary_methods,
                        X_full,
                        y_full,
                        params,
                        resampled,
                        test_size=args.test_size,
                    ):
                        boundary_rows.append(dict(r, dataset=name, seed=seed))
                    with open(args.output / "boundary.csv", "w", newline="") as b:
                        writer_b = csv.DictWriter(b, fieldnames=list(boundary_rows[0]))
                        writer_b.writeheader()
                        writer_b.writerows(boundary_rows)
    (args.output / "datasets.md").write_text(markdown(described, floatfmt="{:.1f}"))
    print(markdown(described, floatfmt="{:.1f}"))
    write_summary(rows, boundary_rows, args, methods)
    print(f"total {time.perf_counter() - start:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
