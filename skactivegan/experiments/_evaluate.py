"""Does augmenting help on *your* data?  :func:`evaluate` and ``skactivegan evaluate``.

The paper's protocol (:mod:`._protocol`) on the user's table: repeated stratified
cross-validation (a held-out split for large data), the user's classifier (default:
the library's SVM) retrained with each method's added rows, paired differences
against no augmentation with Nadeau and Bengio's corrected t-test, and a report.
"""

import argparse
import ast
import importlib
import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._augmenter import ActiveGANAugmenter
from .._baselines import NUMERIC_ONLY
from .._filter import MarginFilter
from .._utils import resolve_device
from ..tables._validation import check_label_types
from ._methods import (
    Classifier,
    GANAugmentation,
    NoAugmentation,
    OverSamplerAugmentation,
    Remedy,
    _array,
    build_augmenter,
)
from ._protocol import ProgressLog, cv_splits, holdout_splits, run_protocol
from ._report import (
    comparisons,
    evaluation_summary,
    recommend,
    verdict,
    write_evaluation_report,
)

__all__ = ["Evaluation", "add_arguments", "evaluate", "run"]

#: Above this many rows, ``test_size=None`` uses held-out splits instead of k folds.
HOLDOUT_ABOVE = 10_000
#: Majority / minority count from which the over-sampling variants are added.
IMBALANCE_RATIO = 1.5
#: imbalanced-learn's over-samplers that :func:`evaluate` runs, by name.
OVERSAMPLER_NAMES = ("SMOTE", "Borderline-SMOTE", "ADASYN", "SVM-SMOTE", "ROS")
#: Every method :func:`evaluate` knows, by name.
METHOD_NAMES = ("none", *OVERSAMPLER_NAMES, "AC-GAN", "ActiveGAN", "AC-GAN+F",
                "ActiveGAN+F", *(f"{name}-OS" for name in OVERSAMPLER_NAMES),
                "AC-GAN-OS", "ActiveGAN-OS", "AC-GAN+F-OS", "ActiveGAN+F-OS",
                "class_weight", "threshold", "class_weight+threshold",
                "AugmentedClassifier")
#: The remedies that change the classifier instead of its rows (binary: all four).
REMEDY_NAMES = ("class_weight", "threshold", "class_weight+threshold",
                "AugmentedClassifier")
_ACGAN = (("uncertainty_weight", 0.0),)
#: Augmenter parameters that each method sets itself.
_SET_BY_METHODS = {"n_samples", "sampling_strategy", "filter", "oracle", "random_state"}


@dataclass
class Evaluation:
    """What :func:`evaluate` measured.

    Attributes
    ----------
    verdict : str
        One line: each method against no augmentation, "no measurable difference"
        when its interval contains 0.
    recommendation : str
        Which method to use on this data with this classifier: the best, or, when
        others are within noise of it (Holm-adjusted paired tests), the cheapest of
        those (:func:`~skactivegan.experiments._report.recommend`).
    ranking : list of dict
        The recommendation's table: per method, best first, its mean F1, its
        difference to the best, the raw and Holm-adjusted p-values, whether it is
        within noise of the best, its mean fit time per split.
    runs : list of dict
        One record per split and method (see
        :func:`~skactivegan.experiments._protocol.run_protocol`).
    comparisons : dict of str to Comparison
        Each method's paired difference to the baseline (F1 points), with its
        corrected test and interval.
    methods : list of str
        The methods, the baseline first.
    report : tuple of pathlib.Path or None
        The Markdown and HTML reports, when ``output`` was given.
    skipped : dict of str to str
        Methods that ``methods="auto"`` left out, with the reason (on a table with
        categorical columns: the over-samplers that interpolate numeric columns
        only).
    """

    verdict: str
    runs: list
    comparisons: dict
    methods: list
    baseline: str
    level: float
    n_splits: int
    test_train_ratio: float
    seconds: float
    data_name: str
    n_rows: int
    n_features: int
    categorical: list
    class_counts: dict
    split_description: str
    classifier_description: str
    method_notes: list
    settings: dict
    figures: dict = None
    report: tuple = None
    skipped: dict = field(default_factory=dict)
    recommendation: str = ""
    ranking: list = field(default_factory=list)

    def summary(self):
        """Per method: F1 mean ± std (%), Δ and its interval, rows added, times."""
        return evaluation_summary(self)

    def __repr__(self):
        return f"Evaluation({self.verdict!r})"


# ----------------------------------------------------------------------- data
def _categorical_columns(X):
    """Columns of a DataFrame that are not numbers (object, string, category, bool)."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    return [c for c in X.columns
            if is_bool_dtype(X[c]) or not is_numeric_dtype(X[c])]


def prepare_data(X, y):
    """Split a target column off, check for missing values, find categorical columns.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_rows, n_features)
    y : array-like of shape (n_rows,), or str
        A str names the target column of the DataFrame ``X``.

    Returns
    -------
    X : ndarray of float, or DataFrame (index reset) when given one
    y : ndarray
    categorical : list
        Names of the categorical columns (empty for numeric data).
    """
    is_frame = hasattr(X, "columns") and hasattr(X, "iloc")
    if isinstance(y, str):
        if not is_frame:
            raise ValueError(f"y={y!r} names a column, but X is not a DataFrame; pass "
                             "the labels as an array or X as a pandas DataFrame.")
        if y not in X.columns:
            raise ValueError(f"Target column {y!r} is not in the table; its columns "
                             f"are {list(X.columns)}.")
        X, y = X.drop(columns=[y]), X[y]
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != len(X):
        raise ValueError(f"y must be 1-D with one label per row of X ({len(X)}); got "
                         f"shape {y.shape}.")
    if len(y) == 0:
        raise ValueError("The table has no rows (a header alone?); evaluating needs "
                         "labelled rows.")
    if np.ndim(X) == 2 and np.shape(X)[1] == 0:
        raise ValueError("The table has no feature column besides the target.")
    check_label_types(y)
    if is_frame:
        missing = [c for c in X.columns if X[c].isna().any()]
        if missing:
            raise ValueError(f"Missing values in column(s) {missing}: impute or drop "
                             "them before evaluating (neither SMOTE nor the GAN "
                             "accepts them).")
        return X.reset_index(drop=True), y, _categorical_columns(X)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D; got shape {X.shape}.")
    if not np.isfinite(X).all():
        cols = np.flatnonzero(~np.isfinite(X).all(axis=0)).tolist()
        raise ValueError(f"X has missing or infinite values in column(s) {cols}.")
    return X, y, []


# -------------------------------------------------------------------- methods
def method_catalog(threshold=None):
    """Every method :func:`evaluate` can run, by name (see :data:`METHOD_NAMES`)."""
    t = None if threshold is None else float(threshold)
    inside = {"filtering": "inside", "thresholds": (t,)}
    catalog = {"none": NoAugmentation("none")}
    for name in OVERSAMPLER_NAMES:
        catalog[name] = OverSamplerAugmentation(name, sampler=name, n_samples=1.0)
    catalog.update({
        "AC-GAN+F": GANAugmentation("AC-GAN+F", params=_ACGAN, **inside),
        "ActiveGAN+F": GANAugmentation("ActiveGAN+F", **inside),
        "AC-GAN": GANAugmentation("AC-GAN", params=_ACGAN, filtering=None),
        "ActiveGAN": GANAugmentation("ActiveGAN", filtering=None),
    })
    for name in OVERSAMPLER_NAMES:
        catalog[f"{name}-OS"] = OverSamplerAugmentation(f"{name}-OS", sampler=name,
                                                        mode="oversample")
    catalog["AC-GAN-OS"] = GANAugmentation("AC-GAN-OS", params=_ACGAN,
                                           mode="oversample", filtering=None)
    catalog["ActiveGAN-OS"] = GANAugmentation("ActiveGAN-OS", mode="oversample",
                                              filtering=None)
    catalog["AC-GAN+F-OS"] = GANAugmentation("AC-GAN+F-OS", params=_ACGAN,
                                             mode="oversample", **inside)
    catalog["ActiveGAN+F-OS"] = GANAugmentation("ActiveGAN+F-OS", mode="oversample",
                                                **inside)
    catalog["class_weight"] = Remedy("class_weight", class_weight=True)
    catalog["threshold"] = Remedy("threshold", threshold=True)
    catalog["class_weight+threshold"] = Remedy("class_weight+threshold",
                                               class_weight=True, threshold=True)
    catalog["AugmentedClassifier"] = Remedy("AugmentedClassifier", augmented=True)
    return catalog


_ASKED = "asked for SMOTE's rows per class, "
_NOTES = {
    "none": "none: the classifier on the real rows alone",
    "SMOTE": "SMOTE: as many new rows as training rows, shared among the classes in "
             "proportion to their counts (SMOTENC on categorical columns)",
    "Borderline-SMOTE": "Borderline-SMOTE: imbalanced-learn's BorderlineSMOTE "
                        "(borderline-1), " + _ASKED + "makes them only from the rows "
                        "in danger (half or more, but not all, of their 10 nearest "
                        "neighbours in other classes): a class with none gets none",
    "ADASYN": "ADASYN: " + _ASKED + "sets its own counts, more rows from the rows "
              "with more neighbours in other classes, rounded row by row, so a few "
              "more or fewer; a class where no row has such a neighbour gets none "
              "(imbalanced-learn would refuse the whole table; here the method runs "
              "class by class)",
    "SVM-SMOTE": "SVM-SMOTE: imbalanced-learn's SVMSMOTE, " + _ASKED + "makes them "
                 "from the support vectors of an SVM, a random share from those in "
                 "danger and the rest, extrapolated, from the safe ones: a class with "
                 "one kind only gets that share",
    "ROS": "ROS: imbalanced-learn's RandomOverSampler, copies of real rows drawn at "
           "random, any column type; with every class over-sampled alike it only "
           "re-weights the rows",
    "AC-GAN+F": "AC-GAN+F: `ActiveGANAugmenter(uncertainty_weight=0, n_samples=1.0, "
                "filter=\"margin\")`: the GAN trained by the adversarial losses "
                "alone, no reward (on tables its generator composes real rows: "
                "SMOTE's segments plus a learned residual), with the margin filter: "
                "as many kept rows as training rows, fewer only when an absolute "
                "threshold is not reached",
    "ActiveGAN+F": "ActiveGAN+F: `ActiveGANAugmenter(n_samples=1.0, "
                   "filter=\"margin\")`: the reward steers the generator (on tables "
                   "the composing one, where on its segments a row lies), with the "
                   "margin filter; the library's default on tables keeps every "
                   "composed row, which is `ActiveGAN`",
    "AC-GAN": "AC-GAN: `ActiveGANAugmenter(uncertainty_weight=0, n_samples=1.0, "
              "filter=None)`: the GAN trained by the adversarial losses alone, no "
              "reward (on tables its generator composes real rows: SMOTE's segments "
              "plus a learned residual), every generated row kept",
    "ActiveGAN": "ActiveGAN: `ActiveGANAugmenter(n_samples=1.0, filter=None)`, every "
                 "generated row kept: the library's default on tables",
    "class_weight": "class_weight: the classifier with `class_weight=\"balanced\"` "
                    "(each class weighted inversely to its count), no rows added",
    "threshold": "threshold: scikit-learn's `TunedThresholdClassifierCV(classifier, "
                 "scoring=\"f1_macro\")`: the decision threshold that 5-fold "
                 "cross-validation on the split's training rows finds best for "
                 "macro F1 (binary tables only), no rows added",
    "class_weight+threshold": "class_weight+threshold: both",
    "AugmentedClassifier": "AugmentedClassifier: the library's "
                           "`AugmentedClassifier(classifier=..., scoring=\"f1_macro\", "
                           "random_state=seed)`, its recipe for an F-score: ActiveGAN "
                           "rows that the oracle and their 5 nearest real rows agree "
                           "with, the threshold tuned by cross-validation (the rows "
                           "rebuilt in every fold) and moved halfway back to the "
                           "classifier's own; its augmenter has the library's default "
                           "oracle",
}
_OS_NOTE = ("-OS: over-sampling, `sampling_strategy=\"auto\"` (every class up to the "
            "majority's count; the neighbourhood over-samplers asked for as many)")


def method_notes(names):
    """The report's description of each of ``names``, the -OS variants once."""
    bases = dict.fromkeys(n.removesuffix("-OS") for n in names)
    notes = [_NOTES[n] for n in bases if n in _NOTES]
    if any(n.endswith("-OS") for n in names):
        notes.append(_OS_NOTE)
    return notes


def _imbalanced(y):
    counts = np.unique(y, return_counts=True)[1]
    return counts.max() / counts.min() >= IMBALANCE_RATIO


def auto_methods(y):
    """The names ``methods="auto"`` runs on labels ``y``, before any is left out.

    none, the over-samplers but random over-sampling, AC-GAN and ActiveGAN (the
    library's defaults: on a table, composed rows, unfiltered), and the
    over-sampling variants (-OS, random over-sampling among them) when the largest
    class has at least 1.5 times the rows of the smallest.  The filtered "+F"
    methods are run when asked for.
    """
    names = ["none", *(n for n in OVERSAMPLER_NAMES if n != "ROS"), "AC-GAN",
             "ActiveGAN"]
    if _imbalanced(y):
        names += [f"{n}-OS" for n in OVERSAMPLER_NAMES] + ["AC-GAN-OS",
                                                          "ActiveGAN-OS"]
    return names


def remedy_methods(y, classifier):
    """The remedies that ``methods="auto"`` adds on imbalanced labels ``y``, and
    those it leaves out with the reason.

    Class weights need a classifier with ``class_weight`` (the default SVM weights
    its classes already); scikit-learn tunes the threshold of binary problems only,
    and :class:`~skactivegan.AugmentedClassifier` is run on binary tables (with more
    classes its recipe only balances the classes with rows, which ``ActiveGAN-OS``
    measures).

    Returns
    -------
    names : list of str
    skipped : dict of str to str
    """
    if not _imbalanced(y):
        return [], {}
    binary = len(np.unique(y)) == 2
    clf = Classifier(estimator=classifier)
    skipped = {}
    if classifier is None:
        why_cw = ("the default SVM weights its classes already "
                  "(class_weight=\"balanced\"): it is `none`")
    elif not clf.takes_class_weight():
        why_cw = f"{type(classifier).__name__} takes no class_weight"
    else:
        why_cw = None
    why_thr = None if binary else (
        f"scikit-learn tunes the decision threshold of binary problems only "
        f"(TunedThresholdClassifierCV); these labels have {len(np.unique(y))} classes")
    names = []
    for name, why in (("class_weight", why_cw), ("threshold", why_thr),
                      ("class_weight+threshold", why_cw or why_thr),
                      ("AugmentedClassifier", None if binary else (
                          "run on binary tables: with more classes its recipe only "
                          "balances the classes with ActiveGAN rows, which "
                          "ActiveGAN-OS measures"))):
        if why is None:
            names.append(name)
        else:
            skipped[name] = why
    return names, skipped


def _numeric_only(name):
    return name.removesuffix("-OS") in NUMERIC_ONLY


def skipped_methods(methods, y, categorical, classifier=None):
    """Methods that ``methods="auto"`` leaves out on this table, with the reason."""
    if not (isinstance(methods, str) and methods == "auto"):
        return {}
    skipped = {}
    if categorical:
        columns = ", ".join(map(str, categorical))
        skipped = {n: "interpolates numeric columns only, and the table has "
                      f"categorical columns ({columns}); SMOTE runs as SMOTENC"
                   for n in auto_methods(y) if _numeric_only(n)}
    skipped.update(remedy_methods(y, classifier)[1])
    return skipped


def choose_methods(methods, y, threshold, categorical=(), classifier=None):
    """The method objects to run, ``"none"`` first.

    ``"auto"``: :func:`auto_methods`, without Borderline-SMOTE, ADASYN and SVM-SMOTE
    when the table has ``categorical`` columns (they interpolate numeric columns
    only; :func:`skipped_methods` says so).  Asking for one of those by name on such
    a table is a ValueError.
    """
    catalog = method_catalog(threshold)
    if isinstance(methods, str) and methods == "auto":
        names = [n for n in auto_methods(y) if not (categorical and _numeric_only(n))]
        names += remedy_methods(y, classifier)[0]
    else:
        names = [methods] if isinstance(methods, str) else list(methods)
        lower = {k.lower(): k for k in catalog}
        unknown = [m for m in names if m.lower() not in lower]
        if unknown:
            raise ValueError(f"Unknown method(s) {unknown}; choose among "
                             f"{', '.join(METHOD_NAMES)}.")
        names = [lower[m.lower()] for m in names]
        names = ["none"] + [m for m in dict.fromkeys(names) if m != "none"]
        numeric = [m for m in names if _numeric_only(m)]
        if categorical and numeric:
            raise ValueError(
                f"{', '.join(numeric)} interpolate numeric columns only, and the "
                f"table has categorical columns ({', '.join(map(str, categorical))}): "
                "SMOTE runs as SMOTENC on it and ROS copies rows of any type; or "
                "one-hot encode the columns yourself first.")
        asked = [m for m in names if m in REMEDY_NAMES]
        if asked:
            why = _remedy_refusals(y, classifier, asked)
            if why:
                raise ValueError("; ".join(f"{m}: {w}" for m, w in why.items()) + ".")
    return [catalog[n] for n in names]


def _remedy_refusals(y, classifier, asked):
    """Why remedies asked for by name cannot run here (the imbalance aside)."""
    binary = len(np.unique(y)) == 2
    takes = classifier is None or Classifier(estimator=classifier).takes_class_weight()
    why = {}
    for m in asked:
        if "class_weight" in m and not takes:
            why[m] = f"{type(classifier).__name__} takes no class_weight"
        elif m != "class_weight" and not binary:
            why[m] = ("scikit-learn tunes the decision threshold of binary problems "
                      "only" if "threshold" in m else "binary tables only")
    return why


def _rows_needed(n_splits):
    """Fewest rows of a class for ``n_splits``-fold CV to train on 2 of them."""
    return next(c for c in range(2, 2 * n_splits + 3)
                if c - math.ceil(c / n_splits) >= 2)


def check_class_counts(y, n_splits, test_size):
    """Refuse, before any split runs, classes too small to train and test on.

    Every method's training part needs 2 rows of every class (the default SVM and
    the GANs' oracle cross-validate), and stratified k-fold gives a class of ``c``
    rows ``c - ceil(c / k)`` training rows at least.

    Parameters
    ----------
    y : ndarray of shape (n_rows,)
    n_splits : int
    test_size : float or None
        Held-out splits are checked on the splits themselves
        (:func:`check_training_parts`).
    """
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise ValueError(f"The target holds a single class ({classes.tolist()[0]!r}); "
                         "evaluating a classifier needs at least 2 classes.")
    if test_size is not None or not isinstance(n_splits, int) or n_splits < 2:
        return  # the splitters name a bad n_splits or test_size themselves
    need = _rows_needed(n_splits)
    small = {str(c): int(n) for c, n in zip(classes, counts) if n < need}
    if small:
        fix = ("Add rows to those classes, or use 3 folds or more (--n-splits 3), "
               "which need 3 rows of a class."
               if min(small.values()) >= 3 else
               "A class of 2 rows or fewer cannot be evaluated with any number of "
               "folds: add rows to it, or leave its rows out of the table.")
        raise ValueError(
            f"Class(es) {small} (label: rows) are too small for {n_splits}-fold "
            "cross-validation: every training part needs 2 rows of each class, so "
            f"each class needs at least {need} rows here. " + fix
        )


def check_training_parts(y, splits):
    """Every split's training part must hold 2 rows of every class."""
    classes = np.unique(y)
    for split in splits:
        labels, counts = np.unique(y[split.train], return_counts=True)
        have = dict(zip(labels.tolist(), counts.tolist()))
        short = {str(c): have.get(c, 0) for c in classes.tolist() if have.get(c, 0) < 2}
        if short:
            raise ValueError(
                f"The training part of split {split.index} has fewer than 2 rows of "
                f"class(es) {short} (label: rows); each class needs more rows, or a "
                "smaller test_size (--test-size)."
            )


def check_output_folder(output):
    """Refuse, before any split runs, a report folder that cannot be written.

    Parameters
    ----------
    output : str or path-like
        The report folder; it may not exist yet (it is created), but it must not be
        a file, nor lie under one, and its first existing folder must be writable.
    """
    path = Path(output)
    if path.exists() and not path.is_dir():
        raise ValueError(f"output {str(output)!r} is an existing file, but the report "
                         "is a folder: name a folder (created if missing), or move the "
                         "file away.")
    parent = path.absolute()
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise ValueError(f"output {str(output)!r} cannot be created: {parent} is a "
                         "file, not a folder.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"output {str(output)!r} cannot be written: the folder "
                         f"{parent} is not writable.")


def check_method_params(method_objs, gans, classifier, threshold, n_features):
    """Validate the parameters every split would use, before the first split runs.

    The GANs' parameters (``max_iter``, ``gan_params`` ...), the threshold's filter
    and the classifier's own parameters are checked as their ``fit`` would check
    them, so that a bad value is an error at once rather than after the first
    split's fits.
    """
    if classifier is not None and hasattr(classifier, "_validate_params"):
        classifier._validate_params()
    if not any(isinstance(m, GANAugmentation) for m in method_objs):
        return
    try:
        augmenter = build_augmenter(gans)
    except TypeError as exc:
        raise ValueError(f"gan_params: {exc}") from None
    augmenter._validate_params()
    augmenter._check_params()
    generator = augmenter._generator_part(augmenter.generator) or augmenter.generator
    generator._check(n_features, resolve_device(augmenter.device))
    if threshold is not None:
        MarginFilter(threshold=threshold)._validate_params()


def _resolve_splits(y, n_splits, n_repeats, test_size, random_state):
    if test_size is None and len(y) > HOLDOUT_ABOVE:
        test_size = 0.2
    check_class_counts(y, n_splits, test_size)
    if test_size is None:
        splits = cv_splits(y, n_splits=n_splits, n_repeats=n_repeats,
                           random_state=random_state)
        text = f"{n_repeats} × stratified {n_splits}-fold cross-validation"
    else:
        splits = holdout_splits(y, test_size=test_size, n_repeats=n_repeats,
                                random_state=random_state)
        text = f"{n_repeats} stratified held-out split(s), {test_size:g} test"
    check_training_parts(y, splits)
    ratio = float(np.mean([len(s.test) / len(s.train) for s in splits]))
    return splits, text, ratio


# -------------------------------------------------------------------- figures
def _figure_data(engine, categorical, threshold):
    """The first split's real rows (encoded) and added rows for the report's figures."""
    fig = engine.figures.get(None)
    if fig is None:
        return None
    X_real, y_real = fig["train"]
    encode = _array
    if categorical:
        from sklearn.compose import make_column_transformer
        from sklearn.preprocessing import OneHotEncoder

        encode = make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical),
            remainder="passthrough").fit(X_real).transform
    real = encode(X_real)
    # Every GAN method gets a panel, also when no row passed its filter.
    added = {m: encode(X) if len(X) else np.empty((0, real.shape[1]))
             for m, (X, _) in fig["added"].items()}
    return {"projection": (np.asarray(real, dtype=float), y_real, added),
            "margins": fig["margins"], "thresholds": fig["thresholds"]}


# ------------------------------------------------------------------- evaluate
def evaluate(X, y, *, classifier=None, methods="auto", n_splits=5, n_repeats=1,
             test_size=None, threshold=None, max_iter=None,
             gan_params=None, level=0.95, random_state=0, output=None, verbose=1,
             data_name="your data"):
    """Tell whether augmenting the training rows helps a classifier on your data.

    Every method adds rows to the training part of each split, the classifier is
    retrained and scored (macro F1) on the split's test part; each method's score
    minus the score without augmentation on the same split is a paired difference,
    tested with Nadeau and Bengio's corrected resampled t-test, which accounts for
    the overlap of the training sets of repeated cross-validation.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_rows, n_features)
        Numeric, or a DataFrame mixing numeric and categorical (object, string,
        category, bool) columns: then SMOTENC replaces SMOTE, Borderline-SMOTE,
        ADASYN and SVM-SMOTE are not run (they interpolate numeric columns only;
        ``skipped`` and the report say so), the GANs get ``categorical_features``
        and the classifier a one-hot encoder in front.
    y : array-like of shape (n_rows,) or str
        The labels, or the name of the target column of the DataFrame ``X``.
    classifier : classifier or None, default=None
        Retrained by every method (cloned; a ``random_state`` left at None is set
        per split).  None: the library's SVM (RBF, C and gamma by grid search,
        Platt-scaled), which is also the GANs' default oracle.  A classifier with
        ``predict_proba`` is also the GANs' oracle.
    methods : "auto" or list of str, default="auto"
        Among :data:`METHOD_NAMES`: ``none``; imbalanced-learn's ``SMOTE``,
        ``Borderline-SMOTE``, ``ADASYN``, ``SVM-SMOTE`` and ``ROS``
        (RandomOverSampler), each asked for as many rows as there are training
        rows; ``AC-GAN``, ``ActiveGAN`` (unfiltered, the library's default on
        tables), ``AC-GAN+F``, ``ActiveGAN+F`` (the margin filter); and the
        over-sampling variants, ``SMOTE-OS`` ... ``ROS-OS``, ``AC-GAN-OS``,
        ``ActiveGAN-OS``, ``AC-GAN+F-OS``, ``ActiveGAN+F-OS``
        (``sampling_strategy="auto"``).  "auto": none, the over-samplers but ROS,
        AC-GAN and ActiveGAN, and the -OS variants of those and of ROS when the
        largest class has 1.5 times the smallest's rows; on a table with
        categorical columns, without Borderline-SMOTE, ADASYN and SVM-SMOTE (asking
        for them there is an error).  "none" is always run (the baseline).
        The remedies that change the classifier: ``class_weight``
        (``class_weight="balanced"``), ``threshold`` (scikit-learn's
        ``TunedThresholdClassifierCV`` for macro F1), ``class_weight+threshold``
        and ``AugmentedClassifier`` (the library's, ``scoring="f1_macro"``).
        "auto" adds them on imbalanced classes where they apply: class weights
        when the classifier takes ``class_weight`` (the default SVM weights its
        classes already), the threshold and the AugmentedClassifier on binary
        labels only (scikit-learn tunes binary thresholds only); ``skipped``
        says why one is left out.
    n_splits : int, default=5
        Folds of the stratified cross-validation.
    n_repeats : int, default=1
        Repetitions of the cross-validation (or held-out splits), each with a new
        shuffle.
    test_size : float or None, default=None
        A fraction: held-out splits instead of k folds.  None: k folds up to
        10,000 rows, a 0.2 held-out split above.
    threshold : float or None, default=None
        The "+F" filter.  None: the ranked margin filter (``filter="margin"``: of
        ``candidates_per_row`` candidates per row asked for, the most uncertain that
        the oracle labels as their class are kept, so the rows asked for are
        added).  A float: ``MarginFilter(threshold)``, an absolute margin threshold
        (the paper's 0.2), which may keep fewer rows than asked for (recorded as
        ``budget_exhausted``).
    max_iter : int or None, default=None
        GAN training iterations; None keeps the augmenter's default.
    gan_params : dict, default=None
        More :class:`~skactivegan.ActiveGANAugmenter` parameters for every GAN.
    level : float, default=0.95
        Confidence level of the intervals.
    random_state : int, default=0
        Seed of the splits; split ``i`` seeds its GANs, over-samplers and
        classifier with ``random_state + i``.
    output : str or path-like, default=None
        Folder for ``report.md``, ``report.html`` (self-contained), ``runs.csv``,
        ``summary.csv`` and ``figures/``, created when the evaluation is done; None
        writes nothing.  A path that is a file, or that cannot be created, is an
        error before any split runs.
    verbose : int, default=1
        0: silent; 1: a progress line per split and method (stderr); 2: also the
        GANs' training progress.
    data_name : str, default="your data"
        Named in the report's title.

    Returns
    -------
    evaluation : Evaluation
        ``verdict``, ``recommendation`` (which method to use: the best, or the
        cheapest of those within noise of it by Holm-adjusted paired tests),
        ``ranking``, ``runs``, ``comparisons``, ``summary()``, ``report``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactivegan.experiments import evaluate
    >>> X, y = load_iris(return_X_y=True)
    >>> ev = evaluate(X, y, classifier=LogisticRegression(max_iter=500),
    ...               methods=["SMOTE"], n_splits=3, verbose=0)
    >>> ev.verdict.startswith("Against none (macro F1): SMOTE")
    True
    """
    reserved = sorted(set(gan_params or {}) & _SET_BY_METHODS)
    if reserved:
        raise ValueError(f"gan_params {reserved} are set by each method; choose the "
                         "methods with `methods` (e.g. the -OS variants for "
                         "sampling_strategy='auto') and the filter with `threshold`.")
    if output is not None:
        check_output_folder(output)
    log = ProgressLog(sys.stderr if verbose else None)
    X, y, categorical = prepare_data(X, y)
    method_objs = choose_methods(methods, y, threshold, categorical, classifier)
    skipped = skipped_methods(methods, y, categorical, classifier)
    splits, split_text, ratio = _resolve_splits(y, n_splits, n_repeats, test_size,
                                                random_state)
    clf = Classifier(estimator=classifier, categorical=categorical or None)
    gans = {"verbose": max(0, int(verbose) - 1), **(gan_params or {})}
    if max_iter is not None:
        gans["max_iter"] = int(max_iter)
    check_method_params(method_objs, gans, classifier, threshold, X.shape[1])
    classes, counts = np.unique(y, return_counts=True)
    log(f"{data_name}: {len(y)} rows × {X.shape[1]} columns, {len(classes)} classes; "
        f"{split_text}; methods: {', '.join(m.name for m in method_objs)}")
    if skipped:
        log(f"not run: {', '.join(skipped)}: each {next(iter(skipped.values()))}")
    engine = run_protocol(X, y, splits, method_objs, classifier=clf, gan_params=gans,
                          categorical=categorical or None, log=log)
    names = [m.name for m in method_objs]
    comps = comparisons(engine.runs, names, "none", test_train_ratio=ratio,
                        level=level)
    line = verdict(comps, "none")
    advice, ranking = recommend(engine.runs, names, test_train_ratio=ratio,
                                level=level)
    ev = Evaluation(
        verdict=line, runs=engine.runs, comparisons=comps, methods=names,
        baseline="none", level=level, n_splits=len(splits), test_train_ratio=ratio,
        seconds=engine.seconds, data_name=data_name, n_rows=len(y),
        n_features=X.shape[1], categorical=list(categorical),
        class_counts={str(c): int(n) for c, n in zip(classes, counts)},
        split_description=split_text, classifier_description=clf.describe(),
        method_notes=method_notes(names), skipped=skipped,
        settings={"classifier": clf.describe(), "methods": names,
                  "n_splits": n_splits, "n_repeats": n_repeats,
                  "test_size": test_size, "threshold": threshold,
                  "gan_params": gans, "level": level, "random_state": random_state},
        figures=_figure_data(engine, categorical, threshold),
        recommendation=advice, ranking=ranking,
    )
    log(ev.verdict)
    log(ev.recommendation)
    if output is not None:
        ev.report = write_evaluation_report(ev, output)
        log(f"report written to {ev.report[1]}")
    return ev


# ------------------------------------------------------------------------ CLI
def parse_param(text):
    """``NAME=VALUE``: VALUE as a Python literal (true/false too), else a string."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    lowered = value.strip().lower()
    if lowered in ("true", "false"):
        return name, lowered == "true"
    try:
        return name, ast.literal_eval(value.strip())
    except (ValueError, SyntaxError):
        return name, value.strip()


def load_classifier(path, params=()):
    """A classifier from its import path, e.g. ``sklearn.svm.SVC``."""
    module, _, name = path.rpartition(".")
    if not module:
        raise ValueError(f"--classifier needs a full import path (module.Class); got "
                         f"{path!r}.")
    cls = getattr(importlib.import_module(module), name, None)
    if cls is None:
        raise ValueError(f"{module} has no {name!r}.")
    return cls(**dict(params))


def add_arguments(parser):
    """Add the ``evaluate`` command's arguments to an argparse parser.

    Adds the positional ``data`` (a CSV file) and the options; :func:`run` reads them.
    """
    parser.add_argument("data", help="CSV file with a header row")
    parser.add_argument("--target", required=True, help="name of the label column")
    parser.add_argument("--classifier", default=None, metavar="IMPORT.PATH",
                        help="a scikit-learn classifier by import path, e.g. "
                             "sklearn.ensemble.RandomForestClassifier (default: the "
                             "library's grid-searched SVM)")
    parser.add_argument("--classifier-param", type=parse_param, action="append",
                        default=[], metavar="NAME=VALUE",
                        help="a parameter of --classifier; repeatable")
    parser.add_argument("--methods", default="auto",
                        help="comma-separated, among " + ", ".join(METHOD_NAMES)
                             + " (default: auto)")
    parser.add_argument("--n-splits", type=int, default=5,
                        help="cross-validation folds (default: 5)")
    parser.add_argument("--n-repeats", type=int, default=1,
                        help="repetitions of the cross-validation (default: 1)")
    parser.add_argument("--test-size", type=float, default=None,
                        help="held-out fraction instead of folds (default: folds up "
                             f"to {HOLDOUT_ABOVE} rows, 0.2 above)")
    parser.add_argument("--threshold", type=float, default=None,
                        help="absolute margin threshold of +F, e.g. the paper's 0.2 "
                             "(default: the ranked margin filter, filter='margin')")
    parser.add_argument("--max-iter", type=int, default=None,
                        help="GAN iterations (default: the augmenter's)")
    parser.add_argument("--gan-param", type=parse_param, action="append", default=[],
                        metavar="NAME=VALUE",
                        help="an ActiveGANAugmenter parameter for every GAN; "
                             "repeatable")
    parser.add_argument("--random-state", type=int, default=0,
                        help="seed of the splits; split i seeds its methods "
                             "with this + i (default: 0)")
    parser.add_argument("--sep", "--delimiter", dest="sep", default=",",
                        help="CSV field separator (default: ,); --delimiter as in "
                             "skactivegan augment")
    parser.add_argument("--output", default="activegan-evaluation",
                        help="report folder (default: ./activegan-evaluation)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    return parser


def run(args, out=sys.stdout):
    """Run ``skactivegan evaluate`` from parsed arguments; print the verdict.

    Returns
    -------
    status : int
        0 on success, 2 when the data or an argument is wrong.
    """
    import pandas as pd

    try:
        table = pd.read_csv(args.data, sep=args.sep)
        classifier = (None if args.classifier is None
                      else load_classifier(args.classifier, args.classifier_param))
        known = ActiveGANAugmenter().get_params()
        bad = [name for name, _ in args.gan_param
               if name.split("__")[0] not in known]
        if bad:
            raise ValueError(f"{bad} not parameters of ActiveGANAugmenter; known: "
                             f"{', '.join(sorted(known))}")
        methods = ("auto" if args.methods == "auto"
                   else [m.strip() for m in args.methods.split(",") if m.strip()])
        ev = evaluate(table, args.target, classifier=classifier, methods=methods,
                      n_splits=args.n_splits, n_repeats=args.n_repeats,
                      test_size=args.test_size, threshold=args.threshold,
                      max_iter=args.max_iter, gan_params=dict(args.gan_param),
                      random_state=args.random_state, output=args.output,
                      verbose=0 if args.quiet else 1, data_name=str(args.data))
    except (OSError, ValueError, ImportError, ArithmeticError) as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"skactivegan evaluate: error: {message}", file=sys.stderr)
        return 2
    print(ev.verdict, file=out)
    print(f"report: {ev.report[0]} and {ev.report[1]}", file=out)
    print(f"Which to use: {ev.recommendation}", file=out)
    return 0
