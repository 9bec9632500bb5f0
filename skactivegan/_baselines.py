"""The classic over-samplers of imbalanced-learn that ActiveGAN is compared with.

The main job (``skactivegan demo``) and ``skactivegan evaluate`` put ActiveGAN next to
the over-samplers that ship with imbalanced-learn, asked for the same rows:

- ``"SMOTE"``: :class:`~imblearn.over_sampling.SMOTE`, or
  :class:`~imblearn.over_sampling.SMOTENC` when the table has categorical columns;
- ``"Borderline-SMOTE"``: :class:`~imblearn.over_sampling.BorderlineSMOTE`
  (borderline-1): SMOTE from the rows in danger only, those with half or more, but
  not all, of their ``m`` nearest neighbours in other classes;
- ``"ADASYN"``: :class:`~imblearn.over_sampling.ADASYN`: more rows from the rows
  with more neighbours in other classes; it sets its own counts (the weights are
  rounded row by row);
- ``"SVM-SMOTE"``: :class:`~imblearn.over_sampling.SVMSMOTE`: SMOTE from the support
  vectors of an SVM, a random share from those in danger and the rest from the safe
  ones (extrapolated away from the boundary);
- ``"ROS"``: :class:`~imblearn.over_sampling.RandomOverSampler`: copies of real rows,
  drawn at random; any column type.

Borderline-SMOTE, ADASYN and SVM-SMOTE interpolate numeric columns only
(:data:`NUMERIC_ONLY`): they refuse tables with categorical columns here, rather
than interpolate one-hot codes into categories that do not exist.

Each is asked for a number of rows per class (``to_add``: the
``sampling_strategy_`` of an over-sampler) and :func:`oversample` returns the rows
it made with the counts asked and made, per class.  SMOTE and random over-sampling
make exactly the rows asked for.  The three neighbourhood methods may make fewer
(Borderline-SMOTE: a class with no row in danger; SVM-SMOTE: a class whose support
vectors are all in danger or all safe gets only that share), ADASYN a few more or
fewer, and ADASYN and SVM-SMOTE refuse a class outright when their weights are
undefined (no neighbour in another class; every support vector noise).
imbalanced-learn then refuses the whole data set; here they run class by class, so
that such a class gets no rows and the others get theirs, and
:meth:`Oversampled.note` says so.
"""

from dataclasses import dataclass, field

import numpy as np

__all__ = ["NUMERIC_ONLY", "OVERSAMPLERS", "Oversampled", "make_sampler", "oversample"]

#: The classic over-samplers, by the names the reports print.
OVERSAMPLERS = ("SMOTE", "Borderline-SMOTE", "ADASYN", "SVM-SMOTE", "ROS")
#: Those that interpolate numeric columns only.
NUMERIC_ONLY = ("Borderline-SMOTE", "ADASYN", "SVM-SMOTE")

# SMOTE's k (same-class neighbours) and Borderline- and SVM-SMOTE's m (neighbours of
# every class, which decide "danger"): imbalanced-learn's defaults.
K_NEIGHBORS = 5
M_NEIGHBORS = 10

# Why a method may make another number of rows than asked: the note's second half.
_WHY = {
    "Borderline-SMOTE": "Borderline-SMOTE makes rows only from rows in danger, those "
                        "with half or more, but not all, of their nearest neighbours "
                        "in other classes",
    "ADASYN": "ADASYN sets its own counts, in proportion to how many of each real "
              "row's neighbours are in other classes, rounded row by row, and none "
              "for a class where no row has such a neighbour",
    "SVM-SMOTE": "SVM-SMOTE makes a random share of its rows from the support "
                 "vectors in danger and the rest from the safe ones: a class with "
                 "one kind only gets that share, and one whose support vectors are "
                 "all noise none",
}


@dataclass
class Oversampled:
    """The rows a classic over-sampler made, and the rows it was asked for.

    Attributes
    ----------
    name : str
        One of :data:`OVERSAMPLERS`.
    X : ndarray or DataFrame of shape (n_added, n_features)
        The new rows only, in the caller's format.
    y : ndarray of shape (n_added,)
    asked, added : dict of label to int
        Rows asked for and rows made, per class (classes asked for none left out).
    refused : dict of label to str
        Classes the method refused, with its own message.
    """

    name: str
    X: object
    y: np.ndarray
    asked: dict
    added: dict
    refused: dict = field(default_factory=dict)

    @property
    def n_asked(self):
        """Rows asked for, in all."""
        return int(sum(self.asked.values()))

    @property
    def n_added(self):
        """Rows made, in all."""
        return int(len(self.y))

    def note(self):
        """Empty when the rows made are the rows asked; else what happened.

        Returns
        -------
        note : str
            For example "139 rows for the 200 asked; none for class 0, 3, 6:
            Borderline-SMOTE makes rows only from rows in danger, ...".
        """
        if self.added == self.asked and not self.refused:
            return ""
        text = f"{self.n_added} rows for the {self.n_asked} asked"
        empty = [c for c, n in self.asked.items() if n and not self.added.get(c, 0)]
        if empty:
            text += "; none for class " + ", ".join(str(c) for c in empty)
        why = _WHY.get(self.name)
        return f"{text}: {why}" if why else text


def _k(counts, k_neighbors):
    """SMOTE's k, at most the rows of the smallest class but one."""
    if counts.min() < 2:
        raise ValueError(
            "SMOTE and its variants interpolate between two rows of a class: every "
            f"class needs at least 2 rows; the smallest has {counts.min()}.")
    return int(min(k_neighbors, counts.min() - 1))


def make_sampler(name, strategy, *, k_neighbors=K_NEIGHBORS, m_neighbors=M_NEIGHBORS,
                 categorical=None, seed=0):
    """The imbalanced-learn sampler called ``name``.

    Parameters
    ----------
    name : str
        One of :data:`OVERSAMPLERS`.
    strategy : dict or str
        Its ``sampling_strategy``.
    k_neighbors : int, default=5
        Same-class neighbours to interpolate with (ADASYN's ``n_neighbors``).
    m_neighbors : int, default=10
        Borderline- and SVM-SMOTE's neighbours of every class.
    categorical : list or None, default=None
        Categorical columns: SMOTE becomes SMOTENC; a method of :data:`NUMERIC_ONLY`
        is a ValueError.
    seed : int, default=0

    Returns
    -------
    sampler : imbalanced-learn over-sampler
    """
    from imblearn.over_sampling import (
        ADASYN,
        SMOTE,
        SMOTENC,
        SVMSMOTE,
        BorderlineSMOTE,
        RandomOverSampler,
    )

    if name not in OVERSAMPLERS:
        raise ValueError(f"Unknown over-sampler {name!r}; choose among "
                         f"{', '.join(OVERSAMPLERS)}.")
    if categorical and name in NUMERIC_ONLY:
        raise ValueError(
            f"{name} interpolates numeric columns only, and the table has "
            f"categorical columns ({', '.join(map(str, categorical))}): use SMOTE "
            "(SMOTENC on such tables) or ROS, or encode the columns yourself.")
    common = {"sampling_strategy": strategy, "random_state": seed}
    if name == "SMOTE" and categorical:
        return SMOTENC(categorical_features=list(categorical), k_neighbors=k_neighbors,
                       **common)
    if name == "SMOTE":
        return SMOTE(k_neighbors=k_neighbors, **common)
    if name == "Borderline-SMOTE":
        return BorderlineSMOTE(k_neighbors=k_neighbors, m_neighbors=m_neighbors,
                               **common)
    if name == "ADASYN":
        return ADASYN(n_neighbors=k_neighbors, **common)
    if name == "SVM-SMOTE":
        return SVMSMOTE(k_neighbors=k_neighbors, m_neighbors=m_neighbors, **common)
    return RandomOverSampler(**common)


def _new_rows(sampler, X, y):
    """The rows ``sampler`` adds to ``(X, y)`` (imbalanced-learn appends them)."""
    X_res, y_res = sampler.fit_resample(X, y)
    n = len(y)
    if hasattr(X_res, "iloc"):
        return X_res.iloc[n:].reset_index(drop=True), np.asarray(y_res)[n:]
    return X_res[n:], np.asarray(y_res)[n:]


def _stack(parts, X):
    """Row blocks of the caller's format, one after another (none: zero rows)."""
    if hasattr(X, "iloc"):
        import pandas as pd

        return (pd.concat(parts, ignore_index=True) if parts
                else X.iloc[:0].reset_index(drop=True))
    return np.concatenate(parts) if parts else np.asarray(X)[:0]


def oversample(name, X, y, to_add, *, categorical=None, seed=0,
               k_neighbors=K_NEIGHBORS):
    """Ask the over-sampler ``name`` for ``to_add`` rows per class.

    Parameters
    ----------
    name : str
        One of :data:`OVERSAMPLERS`.
    X : ndarray or DataFrame of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    to_add : dict of label to int
        Rows to add per class (a missing class: none).
    categorical : list or None, default=None
        Categorical columns (SMOTENC's ``categorical_features``).
    seed : int, default=0
    k_neighbors : int, default=5
        At most the rows of the smallest class but one.

    Returns
    -------
    result : Oversampled
    """
    y = np.asarray(y)
    classes, counts = np.unique(y, return_counts=True)
    count = dict(zip(classes.tolist(), counts.tolist()))
    asked = {c: int(to_add[c]) for c in count if int(to_add.get(c, 0)) > 0}
    k = _k(counts, k_neighbors)
    m = int(min(M_NEIGHBORS, len(y) - 1))
    settings = {"k_neighbors": k, "m_neighbors": m, "categorical": categorical,
                "seed": seed}
    if name not in NUMERIC_ONLY:  # every row asked for, in one call
        target = {c: count[c] + asked.get(c, 0) for c in count}
        X_new, y_new = _new_rows(make_sampler(name, target, **settings), X, y)
        added = {c: int(np.sum(y_new == c)) for c in asked}
        return Oversampled(name, X_new, y_new, asked, added)
    parts, labels, added, refused = [], [], {}, {}
    for c, n in asked.items():  # class by class: a refused class gets no rows
        sampler = make_sampler(name, {c: count[c] + n}, **settings)
        try:
            X_c, y_c = _new_rows(sampler, X, y)
        except (RuntimeError, ValueError) as exc:
            refused[c] = " ".join(str(exc).split())
            X_c, y_c = None, y[:0]
        added[c] = len(y_c)
        if len(y_c):
            parts.append(X_c)
            labels.append(y_c)
    y_new = np.concatenate(labels) if labels else y[:0]
    return Oversampled(name, _stack(parts, X), y_new, asked, added, refused)
