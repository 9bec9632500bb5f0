"""What AugmentedClassifier does for a metric: rows, class weights, a threshold.

A classifier judged by a metric has three remedies for imbalanced classes: rows
added to the rare classes, class weights, and a decision threshold tuned for the
metric.  Which combination to use was measured on 42 imbalanced binary tables
(docs/imbalanced.md, "The library's classifier"); :func:`recipe_for` is the result:

- balanced accuracy (and any metric other than an F-score): the minority class up
  to half the majority's count with generated rows, ``class_weight="balanced"``,
  and the threshold tuned for the metric by cross-validation;
- an F-score: generated rows that both the oracle and their real neighbours label
  as their own class (:func:`consistent_rows`, after Lee et al.'s rejection of
  synthetic rows among the other class), no class weights, and a threshold tuned
  for the metric, then moved halfway back to the classifier's own;
- more than two classes: rows that balance the classes, nothing else
  (scikit-learn tunes thresholds of binary problems only).
"""

from dataclasses import dataclass

import numpy as np
from sklearn.neighbors import NearestNeighbors

from ._filter import label_in_top_k
from ._generation import concat_rows
from .oracle._oracle import oracle_proba

__all__ = ["Recipe", "balanced_classifier", "consistent_rows", "recipe_for"]

#: Candidates per row asked for, and neighbours, of :func:`consistent_rows`.
_POOL = 5
_NEIGHBOURS = 5
#: The minority's target count in the balanced-accuracy recipe, as a share of the
#: majority's.
_HALF = 0.5


@dataclass(frozen=True)
class Recipe:
    """The remedies used for one metric and number of classes.

    Attributes
    ----------
    rows : {"half", "consistent", "balance"}
        "half": every class up to half the majority's count; "consistent": every
        class up to the majority's, with rows chosen by :func:`consistent_rows`;
        "balance": every class up to the majority's.
    class_weight : bool
        Whether the classifier is given ``class_weight="balanced"``.
    threshold : {"tuned", "shrunk"} or None
        "tuned": the threshold that cross-validation finds best for the metric;
        "shrunk": halfway between that and the classifier's own; None: the
        classifier's own decision.
    """

    rows: str
    class_weight: bool
    threshold: str | None


def is_f_score(scoring):
    """Whether ``scoring`` names an F-score ("f1", "f1_macro", ...)."""
    return isinstance(scoring, str) and scoring.startswith("f1")


def recipe_for(scoring, n_classes):
    """The measured :class:`Recipe` for ``scoring`` on ``n_classes`` classes."""
    if n_classes != 2:
        return Recipe("balance", False, None)
    if is_f_score(scoring):
        return Recipe("consistent", False, "shrunk")
    return Recipe("half", True, "tuned")


def half_strategy(y):
    """``sampling_strategy`` that raises every class to half the majority's count."""
    labels, counts = np.unique(y, return_counts=True)
    target = int(_HALF * counts.max())
    return {label: max(int(n), target) for label, n in zip(labels, counts)
            if n < counts.max()}


def balanced_classifier(classifier, class_weight="balanced"):
    """``classifier`` with ``class_weight`` set, or None when it takes none.

    The parameter is looked for on the classifier and, for a pipeline, on its last
    step.
    """
    names = ["class_weight"]
    if hasattr(classifier, "steps"):
        names.append(f"{classifier.steps[-1][0]}__class_weight")
    params = classifier.get_params()
    for name in names:
        if name in params:
            return classifier.set_params(**{name: class_weight})
    return None


def consistent_rows(augmenter, X, y, seed):
    """Rows that the oracle and the real neighbours both give their own label.

    The augmenter is fitted on ``(X, y)``; its balancing rows and ``_POOL - 1``
    times as many further candidates (:meth:`ActiveGANAugmenter.sample`) are
    checked two ways: the oracle's most probable class is the row's label, and
    fewer than half of the row's ``_NEIGHBOURS`` nearest real rows (in the
    encoder's space, all classes) are of another class (Lee et al., 2015).  Of each
    class, as many rows as the balancing asked for are kept: those that pass both
    checks first, then those that pass the neighbours', then the rest by the
    oracle's probability of their label, each group in the order generated.

    Parameters
    ----------
    augmenter : ActiveGANAugmenter
        Unfitted; fitted here.
    X : ndarray or DataFrame of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    seed : int
        Seed of the further candidates.

    Returns
    -------
    X_gen : ndarray or DataFrame of shape (n_added, n_features)
    y_gen : ndarray of shape (n_added,)
    """
    X_res, y_res = augmenter.fit_resample(X, y)
    n = len(y)
    X_gen, y_gen = _rows(X_res, slice(n, None)), np.asarray(y_res)[n:]
    if not len(y_gen):
        return X_gen, y_gen
    X_more, y_more = augmenter.sample((_POOL - 1) * len(y_gen), random_state=seed)
    candidates = concat_rows([X_gen, X_more])
    labels = np.concatenate([y_gen, np.asarray(y_more)])
    classes = augmenter.classes_
    proba = oracle_proba(augmenter.oracle_, candidates, classes)
    index = np.searchsorted(classes, labels)
    oracle_ok = label_in_top_k(proba, index, 1)
    encode = augmenter.encoder_.transform
    near = NearestNeighbors(n_neighbors=min(_NEIGHBOURS, n)).fit(encode(X))
    neighbours = near.kneighbors(encode(candidates), return_distance=False)
    neighbours_ok = (np.asarray(y)[neighbours] != labels[:, None]).mean(axis=1) < 0.5
    own = proba[np.arange(len(labels)), index]
    chosen = []
    for label in np.unique(y_gen):
        mine = labels == label
        order = np.concatenate([np.flatnonzero(mine & oracle_ok & neighbours_ok),
                                np.flatnonzero(mine & neighbours_ok),
                                np.flatnonzero(mine)[np.argsort(-own[mine],
                                                                kind="stable")]])
        _, first = np.unique(order, return_index=True)
        chosen.append(order[np.sort(first)][: int((y_gen == label).sum())])
    chosen = np.concatenate(chosen)
    return _rows(candidates, chosen), labels[chosen]


def _rows(X, index):
    """Rows ``index`` (an array or a slice) of an ndarray or a DataFrame."""
    if hasattr(X, "iloc"):
        return X.iloc[index].reset_index(drop=True)
    return np.asarray(X)[index]
