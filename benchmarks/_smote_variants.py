"""The leaders of ``smote-variants`` as imbalanced-learn-style over-samplers.

``smote-variants`` (György Kovács) implements 85+ SMOTE variants behind its own
interface, ``sampler.sample(X, y)`` on binary problems, with
``MulticlassOversampling`` for more classes. :class:`SmoteVariantsSampler` wraps one
of them in the interface that ``bench_imbalanced.py`` (and imbalanced-learn's
pipeline) uses: ``fit_resample(X, y)`` returns the real rows first, in their
original order, then the generated ones.

The package is a benchmark requirement only, not one of skactivegan's; see
``benchmarks/requirements-smote-variants.txt`` and ``benchmarks/README.md``. It is
imported when a sampler is first used, so the rest of the harness runs without it.

Methods (:data:`METHODS`, command-line name -> smote-variants class), at
smote-variants' default parameters, the leaders of Kovács' 2019 comparison
("An empirical comparison and evaluation of minority oversampling techniques on a
large number of imbalanced datasets", Applied Soft Computing 83):

- ``prowsyn``: ``ProWSyn``, proximity-weighted synthetic sampling;
- ``polynom_fit_smote``: ``polynom_fit_SMOTE_star``, polynomial-fit SMOTE with the
  star topology (the default topology of the ``polynom_fit_SMOTE`` class that the
  comparison ranked; smote-variants 1.0 split it into one class per topology). It
  is deterministic and adds ``max(1, round(n_to_sample / n_min))`` rows per
  minority row, so it may add more rows than balancing needs;
- ``lee``: ``Lee``, SMOTE with rejection of generated rows in the majority region;
- ``smote_ipf``: ``SMOTE_IPF``, SMOTE then the iterative-partitioning noise filter,
  which may also remove real rows (of either class): those are left out of the
  output and counted in ``n_removed_``;
- ``g_smote``: ``G_SMOTE``, geometric SMOTE.
"""

import logging
import warnings

import numpy as np
from sklearn.base import BaseEstimator

METHODS = {
    "prowsyn": "ProWSyn",
    "polynom_fit_smote": "polynom_fit_SMOTE_star",
    "lee": "Lee",
    "smote_ipf": "SMOTE_IPF",
    "g_smote": "G_SMOTE",
}


class NoRowsGenerated(UserWarning):
    """smote-variants returned the training set without new rows (it logs why,
    e.g. too few minority rows, and the log is silenced)."""


def import_smote_variants():
    """``import smote_variants`` with its logger silenced (it logs every call at
    INFO level to its own stream handler)."""
    import smote_variants

    logging.getLogger("smote_variants").setLevel(logging.CRITICAL)
    return smote_variants


def _row_keys(X, y):
    X = np.ascontiguousarray(X, dtype=np.float64)
    return [(row.tobytes(), label) for row, label in zip(X, y.tolist())]


class SmoteVariantsSampler(BaseEstimator):
    """One smote-variants over-sampler behind ``fit_resample(X, y)``.

    Parameters
    ----------
    oversampler : str
        Name of the smote-variants class, e.g. ``"ProWSyn"``.
    params : dict or None
        Its parameters (default: none, smote-variants' defaults).
    random_state : int or None
        Seed of the over-sampler (``random_state`` of the smote-variants class).

    Attributes
    ----------
    real_indices_ : ndarray of int
        Indices into the ``X`` given to :meth:`fit_resample` of the real rows in
        its output (all of them but for a method that removes noise).
    n_removed_ : int
        Real rows the method left out (``SMOTE_IPF``'s filter; 0 otherwise).
    n_generated_ : int
        Rows generated, the tail of the output.

    Notes
    -----
    Two classes go to the class itself; more to
    ``smote_variants.MulticlassOversampling(oversampler=..., oversampler_params=...)``
    (its default strategy, ``eq_1_vs_many_successive``). Labels are coded
    0..K-1 for smote-variants and decoded on the way back. The real rows of the
    output are found by exact match with the input rows (smote-variants copies
    them), so the output is reordered as real rows first, then generated ones.
    """

    def __init__(self, oversampler="ProWSyn", params=None, random_state=None):
        self.oversampler = oversampler
        self.params = params
        self.random_state = random_state

    def _make(self, sv, n_classes):
        params = dict(self.params or {})
        seed = self.random_state
        params["random_state"] = None if seed is None else int(seed)
        if n_classes == 2:
            return getattr(sv, self.oversampler)(**params)
        return sv.MulticlassOversampling(
            oversampler=self.oversampler, oversampler_params=params
        )

    def fit_resample(self, X, y):
        """Over-sample ``(X, y)``: real rows (original order) then generated rows.

        Returns
        -------
        X_res : ndarray of shape (n_real + n_generated, n_features)
        y_res : ndarray of shape (n_real + n_generated,)
        """
        sv = import_smote_variants()
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y)
        if X.ndim != 2 or len(X) != len(y):
            raise ValueError(f"X of shape {X.shape} and y of shape {y.shape}")
        classes, codes = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError("smote-variants needs at least two classes")
        X_s, y_s = self._make(sv, len(classes)).sample(X, codes)
        X_s, y_s = np.asarray(X_s, dtype=np.float64), np.asarray(y_s).astype(int)

        # which output rows are the real ones: an exact copy of an input row with
        # its label, each input row used once
        free = {}
        for i, key in enumerate(_row_keys(X, codes)):
            free.setdefault(key, []).append(i)
        for stack in free.values():
            stack.reverse()
        real, generated = [], []
        for j, key in enumerate(_row_keys(X_s, y_s)):
            stack = free.get(key)
            if stack:
                real.append(stack.pop())
            else:
                generated.append(j)
        real = np.sort(np.asarray(real, dtype=int))
        generated = np.asarray(generated, dtype=int)
        X_new, y_new = X_s[generated], y_s[generated]
        bad = int((~np.isfinite(X_new)).any(axis=1).sum())
        if bad:
            raise ValueError(
                f"{self.oversampler} generated {bad} rows with non-finite values"
            )
        self.real_indices_ = real
        self.n_removed_ = int(len(X) - len(real))
        self.n_generated_ = int(len(generated))
        counts = np.bincount(codes)
        if self.n_generated_ == 0 and counts.min() < counts.max():
            warnings.warn(
                f"{self.oversampler} generated no rows", NoRowsGenerated, stacklevel=2
            )
        return (
            np.vstack([X[real], X_new]),
            np.concatenate([classes[codes[real]], classes[y_new]]),
        )
