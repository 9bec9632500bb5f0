"""The evaluation engine: splits × methods, each method's classifier scored per split.

One engine serves the user's data (:func:`~skactivegan.experiments.evaluate`) and the
paper's (:func:`~skactivegan.experiments.run_experiment`); they differ only in their
splits and their list of methods.  For each split, every method adds rows to the
split's training rows (:mod:`._methods`), the classifier is retrained on them and
scored (macro F1) on the split's test rows, and one record is written.
"""

import sys
import time
from dataclasses import dataclass, field

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import (
    RepeatedStratifiedKFold,
    StratifiedShuffleSplit,
    train_test_split,
)

from ._methods import GANAugmentation, SplitContext, take_rows

__all__ = ["ProtocolResult", "Split", "cv_splits", "holdout_splits", "run_protocol"]


@dataclass(frozen=True)
class Split:
    """One train/test split of the rows.

    Attributes
    ----------
    index : int
        Position in the protocol (0-based).
    repeat, fold : int
        Repetition and fold of repeated cross-validation (fold 0 for held-out
        splits and the paper's draws).
    seed : int
        Seed of every random step on this split (GANs, classifier, SMOTE).
    train, test : ndarray of int
        Row indices.
    group : object, default=None
        What the split belongs to in the report (the paper's number of labels).
    """

    index: int
    repeat: int
    fold: int
    seed: int
    train: np.ndarray
    test: np.ndarray
    group: object = None


def cv_splits(y, *, n_splits=5, n_repeats=1, random_state=0):
    """Repeated stratified k-fold splits; repeat r uses seed ``random_state + r``."""
    rskf = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats,
                                   random_state=random_state)
    out = []
    for i, (train, test) in enumerate(rskf.split(np.zeros(len(y)), y)):
        repeat, fold = divmod(i, n_splits)
        out.append(Split(i, repeat, fold, int(random_state) + i, train, test))
    return out


def holdout_splits(y, *, test_size=0.2, n_repeats=1, random_state=0):
    """``n_repeats`` stratified held-out splits (for data too large for k folds)."""
    sss = StratifiedShuffleSplit(n_splits=n_repeats, test_size=test_size,
                                 random_state=random_state)
    return [Split(i, i, 0, int(random_state) + i, train, test)
            for i, (train, test) in enumerate(sss.split(np.zeros(len(y)), y))]


def labelled_draws(y, n_labels, seeds, *, pool=None, test=None, max_test=None,
                   group=None, start=0):
    """The paper's splits: ``n_labels`` stratified labelled rows per seed.

    Parameters
    ----------
    y : ndarray of shape (n_rows,)
        Every label (pool and official test rows).
    n_labels : int
    seeds : iterable of int
    pool : ndarray of int, default=None
        Rows the labelled rows are drawn from (default: all).
    test : ndarray of int, default=None
        The official test rows; None tests on the pool rows not drawn.
    max_test : int, default=None
        Cap on the test rows (a stratified subsample per seed).
    group : object, default=None
    start : int, default=0
        Index of the first split.
    """
    pool = np.arange(len(y)) if pool is None else np.asarray(pool)
    if n_labels >= len(pool):
        raise ValueError(f"n_labels={n_labels} leaves no row out of {len(pool)}.")
    out = []
    for i, seed in enumerate(seeds):
        train, rest = train_test_split(pool, train_size=n_labels, stratify=y[pool],
                                       random_state=seed)
        test_rows = rest if test is None else np.asarray(test)
        if max_test is not None and max_test < len(test_rows):
            test_rows, _ = train_test_split(test_rows, train_size=max_test,
                                            stratify=y[test_rows], random_state=seed)
        out.append(Split(start + i, i, 0, int(seed), train, test_rows, group))
    return out


@dataclass
class ProtocolResult:
    """What the engine measured.

    Attributes
    ----------
    runs : list of dict
        One record per (split, method): ``split``, ``repeat``, ``fold``, ``seed``,
        ``group``, ``method``, ``f1`` (macro F1 in [0, 1]), ``n_train``, ``n_test``,
        ``n_added``, ``n_asked`` (rows the method was asked for; NaN when it was
        asked for none), ``threshold``, ``n_candidates``, ``filtered`` (whether a
        GAN's rows went through its filter), ``budget_exhausted``,
        ``agreement_added``, ``final_agreement``, ``final_informative``,
        ``augment_seconds`` (the method's own fit: SMOTE or GAN training, shared
        GAN training counted where it happened), ``classifier_seconds``,
        ``seconds`` (both).
    cv : list of dict
        Inner cross-validated F1 per (split, method, threshold) of the paper's +F.
    gans : list of dict
        One record per GAN trained on a split: ``split``, ``group``, ``gan``,
        ``n_generated``, ``final_agreement``, ``final_informative``, ``margins``
        (of the generated rows).
    figures : dict
        Per group, the first split's arrays: ``train`` (X, y), ``added`` (method ->
        (X, y)), ``margins`` (method -> margins of the added rows), ``pred`` (method
        -> test predictions), ``y_test``, ``thresholds``.
    seconds : float
        Wall time of the whole protocol.
    """

    runs: list = field(default_factory=list)
    cv: list = field(default_factory=list)
    gans: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    seconds: float = float("nan")


class ProgressLog:
    """Progress lines with elapsed time, to a stream (None: silent)."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.start = time.perf_counter()

    def __call__(self, message):
        if self.stream is not None:
            elapsed = time.perf_counter() - self.start
            print(f"[{elapsed:7.1f}s] {message}", file=self.stream, flush=True)


def _record(split, method, f1, added, augment_seconds, classifier_seconds, ctx):
    info = added.info
    return {
        "split": split.index, "repeat": split.repeat, "fold": split.fold,
        "seed": split.seed, "group": split.group, "method": method, "f1": float(f1),
        "n_train": len(ctx.y), "n_test": len(ctx.y_test),
        "n_added": int(info.get("n_generated", len(added.y))),
        "n_asked": float(info.get("n_asked", np.nan)),
        "threshold": float(info.get("threshold", np.nan)),
        "n_candidates": float(info.get("n_candidates", np.nan)),
        "filtered": bool(info.get("filtered", False)),
        "budget_exhausted": bool(info.get("budget_exhausted", False)),
        "agreement_added": float(info.get("agreement_added", np.nan)),
        "final_agreement": float(info.get("final_agreement", np.nan)),
        "final_informative": float(info.get("final_informative", np.nan)),
        "augment_seconds": float(augment_seconds),
        "classifier_seconds": float(classifier_seconds),
        "seconds": float(augment_seconds + classifier_seconds),
    }


def _run_method(method, ctx, split):
    """Augment, retrain, score: the record(s) of one method on one split.

    A method with ``fit_model`` (a :class:`~._methods.Remedy`) changes the
    classifier instead: its model is fitted on the split's training rows and
    scored on its test rows; its fit counts as the classifier's fit time.
    """
    if hasattr(method, "fit_model"):
        start = time.perf_counter()
        model, info = method.fit_model(ctx)
        seconds = time.perf_counter() - start
        pred = model.predict(ctx.X_test)
        f1 = float(f1_score(ctx.y_test, pred, average="macro"))
        added = method.augment(ctx)
        added.info.update(info)
        return [_record(split, method.name, f1, added, 0.0, seconds, ctx)], added, pred
    start = time.perf_counter()
    added = method.augment(ctx)  # a GAN shared by two methods is timed in the first
    augment_seconds = time.perf_counter() - start
    f1, pred, fit_seconds = ctx.score(added.X, added.y)
    records = [_record(split, method.name, f1, added, augment_seconds, fit_seconds,
                       ctx)]
    if getattr(method, "test_best", False):
        t, f1_best, n_kept = method.test_best_run(ctx)
        best = _record(split, method.name + " (test-best)", f1_best, added, 0.0, 0.0,
                       ctx)
        best.update(threshold=t, n_added=n_kept)
        records.append(best)
    return records, added, pred


def _describe(record, baseline_f1):
    text = f"{record['method']} F1={100 * record['f1']:.2f}"
    if baseline_f1 is not None and record["method"] != baseline_f1[0]:
        text += f" ({100 * (record['f1'] - baseline_f1[1]):+.2f} vs {baseline_f1[0]})"
    if record["n_added"] or np.isfinite(record["threshold"]):
        text += f", {record['n_added']} rows added"
        asked = record["n_asked"]
        if np.isfinite(asked) and asked != record["n_added"]:
            text += f" (of {asked:.0f} asked)"
    if record["budget_exhausted"]:
        text += " (generation budget ran out)"
    return text + f" [{record['seconds']:.1f}s]"


def _figure_slot(split, ctx):
    """The arrays of a split that the figures draw, before the methods run."""
    return {"train": (ctx.X, ctx.y), "added": {}, "margins": {}, "pred": {},
            "y_test": ctx.y_test, "thresholds": {}, "seed": split.seed}


def _keep_for_figures(fig, method, added, pred):
    """Keep a method's predictions, added rows and their margins for the figures."""
    fig["pred"][method.name] = pred
    if isinstance(method, GANAugmentation) or len(added.y):
        fig["added"][method.name] = (added.X, added.y)
    if added.margins is not None:
        fig["margins"][method.name] = added.margins
        fig["thresholds"][method.name] = added.info.get("threshold")


def run_protocol(X, y, splits, methods, *, classifier, gan_params=None,
                 categorical=None, log=None, keep_figures=True, on_split=None):
    """Run every method on every split.

    Parameters
    ----------
    X : ndarray or DataFrame of shape (n_rows, n_features)
    y : ndarray of shape (n_rows,)
    splits : list of Split
    methods : list of method objects
        Each has ``name`` and ``augment(ctx) -> Added``; the first is the baseline of
        the progress lines.
    classifier : Classifier
    gan_params : dict, default=None
        :class:`~skactivegan.ActiveGANAugmenter` parameters of every GAN.
    categorical : list, default=None
        Categorical columns of a DataFrame.
    log : callable, default=None
        Receives progress lines.
    keep_figures : bool, default=True
        Keep the first split of each group's arrays for the figures.
    on_split : callable, default=None
        Called with ``(split, ctx, result)`` after each split (extra diagnostics).

    Returns
    -------
    result : ProtocolResult
    """
    log = log or (lambda message: None)
    y = np.asarray(y)
    result = ProtocolResult()
    start = time.perf_counter()
    for k, split in enumerate(splits):
        ctx = SplitContext(
            X=take_rows(X, split.train), y=y[split.train],
            X_test=take_rows(X, split.test), y_test=y[split.test], seed=split.seed,
            classifier=classifier, gan_params=dict(gan_params or {}),
            categorical=categorical)
        tag = (f"split {k + 1}/{len(splits)}"
               + (f" ({split.group})" if split.group is not None else "")
               + f" seed={split.seed}")
        fig = None
        if keep_figures and split.group not in result.figures:
            fig = result.figures[split.group] = _figure_slot(split, ctx)
        baseline = None
        for method in methods:
            records, added, pred = _run_method(method, ctx, split)
            result.runs += records
            if baseline is None:
                baseline = (method.name, records[0]["f1"])
            log(f"{tag}: {_describe(records[0], baseline)}")
            if fig is not None:
                _keep_for_figures(fig, method, added, pred)
        for row in ctx.cv:
            result.cv.append({"split": split.index, "group": split.group,
                              "seed": split.seed, **row})
        for row in ctx.gan_records:
            result.gans.append({"split": split.index, "group": split.group,
                                "seed": split.seed,
                                **{key: v for key, v in row.items()
                                   if key not in ("X_gen", "y_gen")}})
        if on_split is not None:
            on_split(split, ctx, result)
        elapsed = time.perf_counter() - start
        if k + 1 < len(splits):
            left = elapsed / (k + 1) * (len(splits) - k - 1)
            log(f"{tag} done; about {left:.0f}s left")
    result.seconds = time.perf_counter() - start
    return result
