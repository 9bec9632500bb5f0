"""The augmentation methods that the protocol compares, and the classifier it retrains.

A method takes one split's training rows and returns the rows it adds
(:class:`Added`); the protocol then retrains the classifier on the real rows plus
those and scores it on the split's test rows.  The methods:

- :class:`NoAugmentation`: adds nothing (the baseline).
- :class:`OverSamplerAugmentation`: one of imbalanced-learn's over-samplers
  (:mod:`skactivegan._baselines`: SMOTE, or SMOTENC when the table has categorical
  columns; Borderline-SMOTE, ADASYN, SVM-SMOTE, random over-sampling).
  ``mode="n_samples"`` asks for as many rows as there are training rows, shared
  among the classes like the GANs share theirs (the paper's few-labels setting);
  ``mode="oversample"`` is ``sampling_strategy="auto"`` (every class up to the
  majority's count).  The rows asked for are recorded (``n_asked``): the
  neighbourhood methods may make another number.  :class:`SMOTEAugmentation` is
  the one with SMOTE.
- :class:`GANAugmentation`: an :class:`~skactivegan.ActiveGANAugmenter` (AC-GAN when
  ``uncertainty_weight=0``: the adversarial losses alone, no reward; on tables the
  generator composes real rows either way).  Its ``filtering`` says how "+F" is
  applied:

  * ``"inside"``: the augmenter's own filter: its default ``filter="margin"``
    (``thresholds=(None,)``: the ``candidates_per_row`` candidates per row asked
    for are ranked by oracle margin and the most uncertain that the oracle labels
    as their class are kept, so the rows asked for come back), or
    ``MarginFilter(thresholds[0])``, an absolute threshold: when too few rows pass,
    what passed is added and the shortfall recorded.  What a user of the library
    gets; the default of :func:`~skactivegan.experiments.evaluate`.
  * ``"after"``: the paper's "generate n, keep those under the threshold": the GAN
    is trained once without filter, generates n rows, and the filter is applied to
    those at each candidate threshold (chosen by inner cross-validation on the
    training rows when there are several).  The unfiltered and filtered methods of
    one GAN share its training.  The experiments program uses it.
  * ``None``: every generated row is added.
"""

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone
from sklearn.compose import make_column_transformer
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from .._augmenter import ActiveGANAugmenter
from .._baselines import oversample
from .._filter import MarginFilter
from .._utils import allocate_per_class
from ..exceptions import GenerationBudgetWarning
from ..oracle._oracle import fit_default_oracle
from ..uncertainty import margin

__all__ = [
    "Added",
    "build_augmenter",
    "Classifier",
    "GANAugmentation",
    "NoAugmentation",
    "OverSamplerAugmentation",
    "Remedy",
    "SMOTEAugmentation",
    "SplitContext",
]

# Share of the final iterations averaged into the "final" history statistics.
_HISTORY_TAIL = 0.1


# ------------------------------------------------------------------ helpers
def concat_rows(X, X_add):
    """``X`` followed by ``X_add`` (arrays or DataFrames with the same columns)."""
    if hasattr(X, "iloc"):
        import pandas as pd

        if not hasattr(X_add, "iloc"):  # an augmenter that returned an array
            X_add = pd.DataFrame(np.asarray(X_add).reshape(-1, X.shape[1]),
                                 columns=X.columns).astype(X.dtypes.to_dict())
        return pd.concat([X, X_add], ignore_index=True)
    return np.concatenate([X, np.asarray(X_add).reshape(-1, X.shape[1])])


def take_rows(X, idx):
    """Rows ``idx`` of an array or a DataFrame (positional)."""
    return X.iloc[idx].reset_index(drop=True) if hasattr(X, "iloc") else X[idx]


def n_rows(X):
    return X.shape[0]


def _tail_mean(history, key):
    """Mean of ``key`` over the last 10 % of the records where it was measured."""
    values = [r[key] for r in history if np.isfinite(r.get(key, np.nan))]
    if not values:
        return float("nan")
    return float(np.mean(values[-max(1, round(_HISTORY_TAIL * len(values))):]))


def history_summary(history):
    """Final ``agreement`` and ``informative`` of a GAN's ``history_``.

    Each is the mean over the last 10 % of the iterations that measured it (the
    augmenter may skip the oracle on some iterations, recording NaN); NaN when none
    did.
    """
    return _tail_mean(history, "agreement"), _tail_mean(history, "informative")


def class_counts_to_add(y, n_new):
    """``n_new`` rows shared among the classes of ``y`` in proportion to their counts.

    Returns
    -------
    counts : dict of label to int
        Rows to add per class (summing to ``n_new``).
    """
    classes, counts = np.unique(y, return_counts=True)
    extra = allocate_per_class(int(n_new), counts / counts.sum())
    return {c: int(e) for c, e in zip(classes, extra)}


def rows_to_add(y, n_new=None):
    """Rows to add per class: ``n_new`` in proportion, or up to the majority.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
    n_new : int or None, default=None
        An int: that many rows, shared among the classes in proportion to their
        counts.  None: imbalanced-learn's ``sampling_strategy="auto"`` (every class
        up to the majority's count).

    Returns
    -------
    counts : dict of label to int
    """
    if n_new is not None:
        return class_counts_to_add(y, n_new)
    from imblearn.utils import check_sampling_strategy

    return dict(check_sampling_strategy("auto", y, "over-sampling"))


def smote_rows(X, y, *, n_new=None, categorical=None, seed=0):
    """Rows that SMOTE (SMOTENC with categorical columns) adds to ``(X, y)``.

    Parameters
    ----------
    X : ndarray or DataFrame of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    n_new : int or None, default=None
        An int: that many rows, shared among the classes in proportion to their
        counts.  None: ``sampling_strategy="auto"`` (every class up to the majority).
    categorical : list or None, default=None
        Categorical columns (SMOTENC's ``categorical_features``); None or empty
        uses SMOTE.
    seed : int, default=0

    Returns
    -------
    X_new, y_new : the added rows only.
    """
    made = oversample("SMOTE", X, y, rows_to_add(y, n_new), categorical=categorical,
                      seed=seed)
    return made.X, made.y


# --------------------------------------------------------------- classifier
@dataclass
class Classifier:
    """The classifier every method retrains, and the GANs' oracle.

    Parameters
    ----------
    estimator : classifier or None, default=None
        None is the library's SVM (RBF, C and gamma by stratified grid search, Platt
        scaling: the augmenter's default oracle).  An estimator is cloned for every
        fit; its ``random_state``, when it has one left at None, is set to the
        split's seed.
    categorical : list or None, default=None
        Categorical columns of a DataFrame: a one-hot encoder is put in front of the
        classifier (numeric columns pass through).
    embed : callable or None, default=None
        Rows -> features for the classifier (the paper's CNN features of images);
        then ``oracle(seed)`` comes from ``embed.oracle``.
    """

    estimator: object = None
    categorical: list = None
    embed: object = None

    def _encoder(self):
        return make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore", sparse_output=False),
             list(self.categorical)),
            remainder="passthrough", verbose_feature_names_out=False)

    def _estimator(self, seed):
        est = clone(self.estimator)
        params = est.get_params()
        if "random_state" in params and params["random_state"] is None:
            est.set_params(random_state=seed)
        if self.categorical:
            est = make_pipeline(self._encoder(), est)
        return est

    def fit(self, X, y, seed):
        """The classifier fitted on ``(X, y)``: something with ``predict``."""
        if self.embed is not None:
            return _Embedded(self.embed, fit_default_oracle(self.embed(X), y, seed))
        if self.estimator is None:
            transform = self._encoder().fit(X).transform if self.categorical else _array
            return _Embedded(transform, fit_default_oracle(transform(X), y, seed))
        return self._estimator(seed).fit(X, y)

    def oracle(self, seed):
        """The GANs' oracle: None (the augmenter's default SVM) or this classifier."""
        if self.embed is not None:
            return self.embed.oracle(seed)
        if self.estimator is None or not hasattr(self.estimator, "predict_proba"):
            return None
        return self._estimator(seed)

    def unfitted(self, seed):
        """A fresh, unfitted copy of the classifier, as :meth:`fit` fits it: the
        user's (seeded, one-hot encoder in front on a mixed table) or, by default,
        :class:`~skactivegan.DefaultSVC` (which encodes a mixed table itself)."""
        if self.estimator is None:
            from ..oracle._default_svm import DefaultSVC

            return DefaultSVC(random_state=seed)
        return self._estimator(seed)

    def takes_class_weight(self):
        """Whether the classifier has a ``class_weight`` to set (on it, or on its
        last step); the default SVM's classes are weighted already."""
        from .._remedies import balanced_classifier

        if self.estimator is None:
            return False
        return balanced_classifier(clone(self.estimator)) is not None

    def describe(self):
        """A short name for the report."""
        if self.estimator is None:
            return ("the library's SVM (RBF, C and gamma by stratified grid search, "
                    "Platt-scaled)")
        return repr(self.estimator)


def _array(X):
    return np.asarray(X, dtype=np.float64)


@dataclass
class _Embedded:
    """A fitted classifier that sees ``transform(X)``."""

    transform: object
    model: object

    def predict(self, X):
        return self.model.predict(self.transform(X))

    def predict_proba(self, X):
        return self.model.predict_proba(self.transform(X))


# ------------------------------------------------------------------ context
@dataclass
class Added:
    """The rows one method adds on one split, and what it measured."""

    X: object
    y: np.ndarray
    info: dict = field(default_factory=dict)
    margins: np.ndarray = None


@dataclass
class SplitContext:
    """One split's training and test rows, shared by the methods run on it.

    Trained GANs are cached by their parameters, so that methods that differ only in
    their filter share one training; ``thresholds`` holds the threshold each +F
    method chose, for methods that reuse another's (the paper's α ablation).
    """

    X: object
    y: np.ndarray
    X_test: object
    y_test: np.ndarray
    seed: int
    classifier: Classifier
    gan_params: dict
    categorical: list = None
    gans: dict = field(default_factory=dict)
    thresholds: dict = field(default_factory=dict)
    cv: list = field(default_factory=list)
    gan_records: list = field(default_factory=list)
    verbose: int = 0

    def score(self, X_add, y_add, X_eval=None, y_eval=None, X_train=None, y_train=None):
        """Macro F1 of the classifier retrained with the added rows, its predictions,
        and the fit time in seconds."""
        X_train = self.X if X_train is None else X_train
        y_train = self.y if y_train is None else y_train
        X_eval = self.X_test if X_eval is None else X_eval
        y_eval = self.y_test if y_eval is None else y_eval
        if y_add is not None and len(y_add):
            X_train = concat_rows(X_train, X_add)
            y_train = np.concatenate([y_train, y_add])
        start = time.perf_counter()
        model = self.classifier.fit(X_train, y_train, self.seed)
        seconds = time.perf_counter() - start
        pred = model.predict(X_eval)
        return float(f1_score(y_eval, pred, average="macro")), pred, seconds


# ------------------------------------------------------------------ methods
@dataclass(frozen=True)
class Remedy:
    """A remedy that changes the classifier instead of adding rows to its data.

    Parameters
    ----------
    name : str
    class_weight : bool, default=False
        ``class_weight="balanced"`` on the classifier (or its last step).
    threshold : bool, default=False
        scikit-learn's :class:`~sklearn.model_selection.TunedThresholdClassifierCV`
        around it, tuned for ``scoring`` by 5-fold stratified cross-validation on
        the split's training rows (binary problems only).
    augmented : bool, default=False
        The library's :class:`~skactivegan.AugmentedClassifier` with this classifier,
        ``scoring`` and the split's seed (its own recipe of rows, class weights and
        threshold); the protocol's ``gan_params`` go to its augmenter.
    scoring : str, default="f1_macro"
        The metric the threshold, or the library's classifier, is tuned for.
    """

    name: str
    class_weight: bool = False
    threshold: bool = False
    augmented: bool = False
    scoring: str = "f1_macro"

    def augment(self, ctx):
        return Added(X=take_rows(ctx.X, np.arange(0)), y=ctx.y[:0])

    def model(self, ctx):
        """The unfitted model of this remedy on the split."""
        from sklearn.model_selection import TunedThresholdClassifierCV

        from .._meta import AugmentedClassifier
        from .._remedies import balanced_classifier

        estimator = ctx.classifier.unfitted(ctx.seed)
        if self.augmented:
            params = {k: v for k, v in ctx.gan_params.items()}
            augmenter = build_augmenter(params) if params else None
            return AugmentedClassifier(augmenter=augmenter, classifier=estimator,
                                       scoring=self.scoring, random_state=ctx.seed)
        if self.class_weight:
            estimator = balanced_classifier(estimator)
        if self.threshold:
            estimator = TunedThresholdClassifierCV(estimator, scoring=self.scoring)
        return estimator

    def fit_model(self, ctx):
        """The remedy's model fitted on the split's training rows, and its info."""
        model = self.model(ctx).fit(ctx.X, ctx.y)
        info = {"n_generated": int(getattr(model, "n_generated_", 0))}
        threshold = getattr(model, "best_threshold_", getattr(model, "threshold_",
                                                               None))
        if threshold is not None:
            info["decision_threshold"] = float(threshold)
        return model, info


@dataclass(frozen=True)
class NoAugmentation:
    """The baseline: the classifier on the real rows alone."""

    name: str = "none"

    def augment(self, ctx):
        return Added(X=take_rows(ctx.X, np.arange(0)), y=ctx.y[:0])


@dataclass(frozen=True)
class OverSamplerAugmentation:
    """An imbalanced-learn over-sampler; see the module docstring for ``mode``.

    Parameters
    ----------
    name : str
    sampler : str, default="SMOTE"
        One of :data:`skactivegan._baselines.OVERSAMPLERS`.
    mode : {"n_samples", "oversample"}, default="n_samples"
    n_samples : float, default=1.0
        With ``mode="n_samples"``: rows to ask for, a fraction of the training rows.
    """

    name: str
    sampler: str = "SMOTE"
    mode: str = "n_samples"
    n_samples: float = 1.0

    def augment(self, ctx):
        n_new = (None if self.mode == "oversample"
                 else round(self.n_samples * len(ctx.y)))
        made = oversample(self.sampler, ctx.X, ctx.y, rows_to_add(ctx.y, n_new),
                          categorical=ctx.categorical, seed=ctx.seed)
        return Added(X=made.X, y=made.y, info={"n_asked": made.n_asked})


@dataclass(frozen=True)
class SMOTEAugmentation(OverSamplerAugmentation):
    """SMOTE (SMOTENC on mixed tables); see the module docstring for ``mode``."""

    name: str = "SMOTE"


def build_augmenter(params):
    """An :class:`~skactivegan.ActiveGANAugmenter` from its parameters, nested ones
    (``generator__width``, ``filter__threshold``) included."""
    flat = {k: v for k, v in params.items() if "__" not in k}
    nested = {k: v for k, v in params.items() if "__" in k}
    return ActiveGANAugmenter(**flat).set_params(**nested)


@dataclass(frozen=True)
class GANAugmentation:
    """Rows of an :class:`~skactivegan.ActiveGANAugmenter`; see the module docstring.

    Parameters
    ----------
    name : str
    params : tuple of (str, object)
        Augmenter parameters that define this GAN (e.g. ``uncertainty_weight=0`` for
        AC-GAN), on top of the protocol's ``gan_params``.
    filtering : {"inside", "after"} or None, default="inside"
    thresholds : tuple of float, default=(None,)
        Margin thresholds; several (with ``filtering="after"``) are chosen among by
        ``cv_folds``-fold cross-validation on the training rows, ties to the
        smallest.  ``(None,)`` with ``filtering="inside"``: the augmenter's default
        filter (ranked by margin, no absolute threshold).
    mode : {"n_samples", "oversample"}, default="n_samples"
        ``n_samples``: ``n_samples`` times the training rows in all (the paper's
        few-labels mode).  ``oversample``: ``sampling_strategy="auto"``.
    n_samples : float, default=1.0
    cv_folds : int, default=3
    threshold_of : str or None, default=None
        Use the threshold that the named method chose on the same split.
    test_best : bool, default=False
        Also record the threshold that scores best on the *test* rows (the paper's
        way of reporting; not a valid estimate), as ``name + " (test-best)"``.
    top_k : int or None, default=1
        The label check of the filter with ``filtering="after"``
        (:class:`~skactivegan.MarginFilter`'s ``top_k``; None: the margin alone, as
        in the paper).
    """

    name: str
    params: tuple = ()
    filtering: str = "inside"
    thresholds: tuple = (None,)
    mode: str = "n_samples"
    n_samples: float = 1.0
    cv_folds: int = 3
    threshold_of: str = None
    test_best: bool = False
    top_k: object = 1

    # -- training -----------------------------------------------------------------
    def augmenter(self, ctx, filtered):
        """The configured, unfitted augmenter of this method on this split."""
        kwargs = {**ctx.gan_params, **dict(self.params), "random_state": ctx.seed}
        oracle = ctx.classifier.oracle(ctx.seed)
        if oracle is not None:
            kwargs["oracle"] = oracle
        if self.mode == "oversample":
            kwargs["sampling_strategy"] = "auto"
            kwargs["n_samples"] = None
        else:
            kwargs["n_samples"] = float(self.n_samples)
        if ctx.categorical:
            kwargs["categorical_features"] = list(ctx.categorical)
        if not filtered:
            kwargs["filter"] = None
        elif self.thresholds[0] is not None:
            kwargs["filter"] = MarginFilter(threshold=float(self.thresholds[0]))
        else:
            kwargs["filter"] = "margin"
        return build_augmenter(kwargs)

    def train(self, ctx, X=None, y=None):
        """Fit the augmenter on ``(X, y)`` (default: the split's rows).

        Returns
        -------
        aug : ActiveGANAugmenter
        X_gen, y_gen : the generated rows (filtered when ``filtering="inside"``).
        info : dict
            ``n_candidates`` and ``budget_exhausted`` (rows asked for but not found).
        """
        X = ctx.X if X is None else X
        y = ctx.y if y is None else y
        aug = self.augmenter(ctx, filtered=self.filtering == "inside")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", GenerationBudgetWarning)
            X_res, y_res = aug.fit_resample(X, y)
        short = [w for w in caught if issubclass(w.category, GenerationBudgetWarning)]
        for w in caught:  # the budget is recorded; anything else is passed on
            if w not in short:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        n = n_rows(X)
        X_gen = take_rows(X_res, np.arange(n, n_rows(X_res)))
        if hasattr(X, "iloc") and not hasattr(X_gen, "iloc"):
            X_gen = concat_rows(X.iloc[:0], X_gen)
        info = {"n_candidates": aug.n_candidates_, "budget_exhausted": bool(short),
                "n_asked": int(sum(aug.sampling_strategy_.values()))}
        return aug, X_gen, np.asarray(y_res)[n:], info

    def _cache_key(self):
        filt = (self.filtering == "inside") and (self.thresholds[0],)
        return (self.params, self.mode, self.n_samples, filt)

    def trained(self, ctx):
        """This method's trained GAN on the split (cached, shared across filters)."""
        key = self._cache_key()
        if key not in ctx.gans:
            start = time.perf_counter()
            aug, X_gen, y_gen, info = self.train(ctx)
            info["gan_seconds"] = time.perf_counter() - start
            margins = (margin(aug.oracle_.predict_proba(X_gen)) if len(y_gen)
                       else np.empty(0))
            agreement, informative = history_summary(getattr(aug, "history_", []))
            ctx.gans[key] = (aug, X_gen, y_gen, info, margins)
            ctx.gan_records.append({
                "gan": self.gan_name, "n_generated": len(y_gen),
                "final_agreement": agreement, "final_informative": informative,
                "margins": margins, "X_gen": X_gen, "y_gen": y_gen, **info})
        return ctx.gans[key]

    @property
    def gan_name(self):
        """The method's name without the "+F" and test-best suffixes."""
        return self.name.replace("+F", "")

    # -- filtering ----------------------------------------------------------------
    def keep(self, aug, X_gen, y_gen, threshold):
        """Indices of the generated rows the margin filter keeps at ``threshold``."""
        if len(y_gen) == 0:
            return np.arange(0)
        flt = MarginFilter(threshold=threshold, top_k=self.top_k, oracle=aug.oracle_)
        flt.fit_resample(X_gen, y_gen)
        return flt.sample_indices_

    def choose_threshold(self, ctx):
        """The "+F" threshold by stratified CV on the split's training rows only.

        In each fold a GAN is trained on the fold's training part; its rows, filtered
        at each threshold, are added to that part, and the classifier retrained on it
        is scored on the fold's held-out part.  Ties go to the smallest threshold.

        Returns
        -------
        threshold : float
        scores : ndarray of shape (n_thresholds,)
            Mean macro F1 over the folds.
        """
        folds = StratifiedKFold(n_splits=self.cv_folds, shuffle=True,
                                random_state=ctx.seed)
        scores = np.zeros(len(self.thresholds))
        for train, val in folds.split(np.zeros(len(ctx.y)), ctx.y):
            X_tr, y_tr = take_rows(ctx.X, train), ctx.y[train]
            aug, X_gen, y_gen, _ = self.train(ctx, X_tr, y_tr)
            for j, t in enumerate(self.thresholds):
                idx = self.keep(aug, X_gen, y_gen, t)
                scores[j] += ctx.score(take_rows(X_gen, idx), y_gen[idx],
                                       take_rows(ctx.X, val), ctx.y[val],
                                       X_tr, y_tr)[0]
        scores /= self.cv_folds
        best = min(t for t, s in zip(self.thresholds, scores) if s == scores.max())
        return float(best), scores

    def augment(self, ctx):
        aug, X_gen, y_gen, info, margins = self.trained(ctx)
        info = dict(info)
        if self.filtering == "after":
            if self.threshold_of is not None:
                threshold = ctx.thresholds[self.threshold_of]
            elif len(self.thresholds) > 1:
                threshold, scores = self.choose_threshold(ctx)
                ctx.cv += [{"method": self.name, "threshold": float(t),
                            "cv_f1": float(s)}
                           for t, s in zip(self.thresholds, scores)]
            else:
                threshold = float(self.thresholds[0])
            ctx.thresholds[self.name] = threshold
            idx = self.keep(aug, X_gen, y_gen, threshold)
            info["threshold"] = threshold
            X_gen, y_gen, margins = take_rows(X_gen, idx), y_gen[idx], margins[idx]
        elif self.filtering == "inside":
            t = self.thresholds[0]
            info["threshold"] = float("nan") if t is None else float(t)
            ctx.thresholds[self.name] = info["threshold"]
        info["filtered"] = self.filtering is not None
        agreement = (float(np.mean(aug.oracle_.predict(X_gen) == y_gen))
                     if len(y_gen) else float("nan"))
        info["agreement_added"] = agreement
        info["final_agreement"], info["final_informative"] = history_summary(
            getattr(aug, "history_", []))
        return Added(X=X_gen, y=y_gen, info=info, margins=margins)

    def test_best_run(self, ctx):
        """The threshold that scores best on the test rows, its score and rows."""
        aug, X_gen, y_gen, _, _ = self.trained(ctx)
        best = None
        for t in self.thresholds:
            idx = self.keep(aug, X_gen, y_gen, t)
            f1 = ctx.score(take_rows(X_gen, idx), y_gen[idx])[0]
            if best is None or f1 > best[1]:
                best = (float(t), f1, len(idx))
        return best
