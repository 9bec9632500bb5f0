"""MarginFilter: keep the samples a classifier is unsure of (the paper's "+F")."""

from numbers import Integral, Real

import numpy as np
from imblearn.base import BaseSampler
from imblearn.utils import check_target_type

from ._compat import HasMethods, Interval, fit_context, validate_params
from ._utils import draw_seeds
from .oracle._default_svm import DefaultSVC
from .oracle._oracle import fit_oracle, is_fitted, oracle_proba
from .tables._validation import (
    check_classes,
    check_label_types,
    template_fit_resample,
    unchanged_on_failure,
    validate_table,
)
from .uncertainty import margin

__all__ = ["MarginFilter"]


def margin_keep_mask(proba, threshold):
    """Boolean mask of the rows whose margin ``p(1st) - p(2nd)`` is at most
    ``threshold``.

    Parameters
    ----------
    proba : ndarray of shape (n, K)
    threshold : float

    Returns
    -------
    keep : ndarray of shape (n,), bool
    """
    return margin(proba) <= threshold


def label_in_top_k(proba, y_index, k):
    """Boolean mask of the rows whose label is among the ``k`` most probable classes.

    Parameters
    ----------
    proba : ndarray of shape (n, K)
    y_index : ndarray of shape (n,), int
        Column of each row's label in ``proba``.
    k : int

    Returns
    -------
    keep : ndarray of shape (n,), bool
        True where fewer than ``k`` classes are strictly more probable than the label.
    """
    label_proba = proba[np.arange(len(proba)), y_index]
    rank = (proba > label_proba[:, None]).sum(axis=1)
    return rank < k


class MarginFilter(BaseSampler):
    """Keep only the samples whose classifier margin is small (ActiveGAN's "+F").

    A sample is kept when ``p(1st) - p(2nd) <= threshold``, where ``p`` are the class
    probabilities of the oracle: the samples that lie near its decision boundary and
    therefore carry the most information for it.  By default (``top_k=1``) the
    oracle's most probable class must also be the sample's label.

    Standalone, it is an imbalanced-learn sampler (like ``InstanceHardnessThreshold``,
    it scores rows with a classifier's ``predict_proba`` and keeps some):
    ``fit_resample(X, y)`` returns the kept rows and records ``sample_indices_``.
    Inside :class:`ActiveGANAugmenter` (``filter=MarginFilter(...)``) it sees only the
    generated rows and scores them with the augmenter's fitted oracle, which makes
    ``filter__threshold`` a grid-search key.  There it also says how rows are chosen:
    ``candidates_per_row`` candidates are generated per row asked for, and the rows
    returned are those that pass with the smallest margins; when too few pass, the
    count is filled with the best of the rest (``fill_shortfall``).

    Parameters
    ----------
    threshold : float, default=0.2
        Largest margin kept, in ``[0, 1]``.  The paper searches
        {0.1, 0.15, 0.2, 0.25, 0.3}.  1.0 keeps every row.
    top_k : int or None, default=1
        Also require the row's label to be among the oracle's ``top_k`` most
        probable classes.  With 1 (the default) the oracle must agree with the
        label: a kept row is near the decision boundary *and* on its own class's
        side of it, which guards against the label noise that rewarding
        uncertainty causes.  With 2 it may sit on either side of a boundary of its
        own class.  None ignores the label, as in the paper's "+F".
    candidates_per_row : float, default=10
        Inside an augmenter: candidates generated per row asked for, of which those
        that pass with the smallest margins are returned (the most uncertain rows on
        their own class's side of the boundary).  A class with too few passing
        candidates gets further rounds.  1 generates the rows asked for and keeps
        those that pass (the paper's "+F", with ``fill_shortfall=False``).  Not
        used standalone.
    fill_shortfall : bool, default=True
        Inside an augmenter: when fewer candidates of a class pass than rows were
        asked for, even after the further rounds, fill the count with the best of
        the rest (label-consistent candidates first, each group by smallest margin),
        with a :class:`~skactivegan.exceptions.GenerationBudgetWarning` that says how
        many passed; so counts are exact.  False returns only the rows that passed.
        Not used standalone.
    oracle : estimator with ``predict_proba``, default=None
        Classifier whose margin is measured.  A fitted classifier is used as it is (the
        usual case: a model trained on the real labelled data scores generated rows);
        an unfitted one is cloned and fitted on the data passed to :meth:`fit`; None
        fits :class:`~skactivegan.DefaultSVC`, the default grid-searched SVM, on it
        (which one-hot encodes text and category columns, as the augmenter's default
        oracle does).  Must be None when the filter is given to
        :class:`ActiveGANAugmenter`, which supplies its own oracle.
    random_state : int, RandomState instance or None, default=None
        Seed of the default oracle's cross-validation and Platt scaling.

    Attributes
    ----------
    oracle_ : estimator
        The fitted oracle used to score rows.
    classes_ : ndarray of shape (n_classes,)
        Labels seen in :meth:`fit`.
    sample_indices_ : ndarray of shape (n_kept,)
        Indices of the rows kept by the last :meth:`fit_resample`.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` had string column names.

    See Also
    --------
    ActiveGANAugmenter : generates the rows this filter is meant for.
    skactivegan.uncertainty.margin : the margin itself.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactivegan import MarginFilter
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = LogisticRegression(max_iter=1000).fit(X, y)
    >>> X_kept, y_kept = MarginFilter(threshold=0.3, oracle=clf).fit_resample(X, y)
    >>> bool(len(X_kept) < len(X))
    True
    """

    # Rows are kept by their margin, not to reach class counts.
    _sampling_type = "bypass"
    sampling_strategy = "auto"

    _parameter_constraints = {
        "threshold": [Interval(Real, 0.0, 1.0, closed="both")],
        "top_k": [Interval(Integral, 1, None, closed="left"), None],
        "candidates_per_row": [Interval(Real, 1.0, None, closed="left")],
        "fill_shortfall": ["boolean"],
        "oracle": [HasMethods(["fit", "predict_proba"]), None],
        "random_state": ["random_state"],
    }

    def __init__(self, threshold=0.2, *, top_k=1, candidates_per_row=10,
                 fill_shortfall=True, oracle=None, random_state=None):
        self.threshold = threshold
        self.top_k = top_k
        self.candidates_per_row = candidates_per_row
        self.fill_shortfall = fill_shortfall
        self.oracle = oracle
        self.random_state = random_state

    @fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **params):
        """Fit the oracle if needed and remember the data's shape.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        **params : dict
            Fit parameters of an oracle that is fitted here (``sample_weight``, say).

        Returns
        -------
        self : MarginFilter
        """
        with unchanged_on_failure(self):
            X, y, _ = self._check_X_y(X, y)
            self._fit(X, y, **params)
        return self

    def _check_X_y(self, X, y, accept_sparse=None):
        check_label_types(y)
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X, y = validate_table(self, X, y)
        return X, y, binarize_y

    def _fit(self, X, y, **params):
        """Fit the oracle if needed, on validated ``(X, y)``."""
        validate_params(self.oracle)
        if self.oracle is not None and is_fitted(self.oracle):
            self.oracle_ = self.oracle
            self.classes_ = np.asarray(getattr(self.oracle, "classes_", np.unique(y)))
        else:
            self.classes_, _, _ = check_classes(y)
            seed = draw_seeds(self.random_state)
            if self.oracle is None:
                self.oracle_ = DefaultSVC(random_state=seed).fit(X, y, **params)
            else:
                self.oracle_ = fit_oracle(self.oracle, X, y, seed, **params)

    def keep_mask(self, proba, y_index=None):
        """Rows to keep: margin at most ``threshold`` (and label in the top ``top_k``).

        Parameters
        ----------
        proba : ndarray of shape (n, K)
            The oracle's probabilities.
        y_index : ndarray of shape (n,), int, default=None
            Column of each row's label in ``proba``; needed when ``top_k`` is set.

        Returns
        -------
        keep : ndarray of shape (n,), bool
        """
        keep = margin_keep_mask(proba, self.threshold)
        if self.top_k is not None:
            if y_index is None:
                raise ValueError("top_k needs the rows' labels.")
            keep &= label_in_top_k(proba, y_index, self.top_k)
        return keep

    def fit_resample(self, X, y, **params):
        """Fit, then return the rows of ``(X, y)`` whose oracle margin is small.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows in the format the oracle takes.
        y : array-like of shape (n_samples,)

        **params : dict
            Fit parameters of an oracle that is fitted here (``sample_weight``, say).

        Returns
        -------
        X_resampled : ndarray or DataFrame of shape (n_kept, n_features)
            The kept rows, unchanged and in their original order.
        y_resampled : ndarray or Series of shape (n_kept,)

        Notes
        -----
        Everything is checked before the oracle is fitted (its parameters included,
        as in :meth:`fit`), and a call that fails leaves the filter as it was.
        """
        return template_fit_resample(self, super().fit_resample, X, y, **params)

    def _fit_resample(self, X, y, **params):
        # imbalanced-learn's template has validated X and y.
        self._fit(X, y, **params)
        oracle_classes = np.asarray(getattr(self.oracle_, "classes_", self.classes_))
        proba = oracle_proba(self.oracle_, X, oracle_classes)
        column = {label: j for j, label in enumerate(oracle_classes)}
        unknown = [label for label in np.unique(y) if label not in column]
        if self.top_k is not None and unknown:
            raise ValueError(f"Labels {unknown!r} are not classes of the oracle.")
        y_index = np.array([column.get(label, -1) for label in y], dtype=np.int64)
        self.sample_indices_ = np.flatnonzero(self.keep_mask(proba, y_index))
        idx = self.sample_indices_
        X_kept = X.iloc[idx] if hasattr(X, "iloc") else X[idx]
        return X_kept, y[idx]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        tags.sampler_tags.sample_indices = True
        return tags

