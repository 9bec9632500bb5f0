"""Uncertainty of a classifier's posteriors: margin, entropy and the ActiveGAN reward.

All functions are pure, work on NumPy arrays and are vectorised over the rows of a
``(n_samples, n_classes)`` array of class probabilities, such as the output of
``predict_proba``.  They implement Eq. (6)-(8) of ActiveGAN (Kong et al., 2018/2019).
"""

import numpy as np
from sklearn.utils import check_array

__all__ = ["margin", "entropy", "reward"]

# Rows of a probability array may miss 1 by floating-point round-off; anything
# further off is a caller's mistake (for example decision-function scores).
_ROW_SUM_TOLERANCE = 1e-3


def _check_proba(proba):
    """Validate an array of class probabilities.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Probabilities, one row per sample.

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes), dtype float64
    """
    proba = check_array(
        proba, dtype=np.float64, ensure_2d=True, ensure_min_samples=0, input_name="proba"
    )
    if proba.shape[1] < 2:
        raise ValueError(
            f"proba must have at least 2 columns (one per class); got {proba.shape[1]}."
        )
    if proba.size and (proba.min() < 0.0 or proba.max() > 1.0 + _ROW_SUM_TOLERANCE):
        raise ValueError("proba must hold probabilities in [0, 1].")
    row_sums = proba.sum(axis=1)
    if proba.size and np.abs(row_sums - 1.0).max() > _ROW_SUM_TOLERANCE:
        raise ValueError(
            "Each row of proba must sum to 1; got row sums between "
            f"{row_sums.min():.4g} and {row_sums.max():.4g}."
        )
    return proba


def margin(proba):
    """Margin between the two most probable classes, Eq. (6).

    ``u_m = p(1st) - p(2nd)``: 0 on the decision boundary, 1 when the classifier
    is certain.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities, for example ``clf.predict_proba(X)``.

    Returns
    -------
    margin : ndarray of shape (n_samples,)
        Values in ``[0, 1]``.

    Examples
    --------
    >>> from skactivegan.uncertainty import margin
    >>> margin([[0.7, 0.2, 0.1], [0.5, 0.5, 0.0]])
    array([0.5, 0. ])
    """
    return _margin(_check_proba(proba))


def entropy(proba):
    """Shannon entropy of the class probabilities in nats, Eq. (7).

    ``u_le = -sum_k p_k log p_k`` with ``0 log 0 = 0``: 0 when the classifier is
    certain, ``log(n_classes)`` when it is uniform.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities, for example ``clf.predict_proba(X)``.

    Returns
    -------
    entropy : ndarray of shape (n_samples,)
        Values in ``[0, log(n_classes)]``.

    Examples
    --------
    >>> from skactivegan.uncertainty import entropy
    >>> entropy([[1.0, 0.0], [0.5, 0.5]]).round(4)
    array([0.    , 0.6931])
    """
    return _entropy(_check_proba(proba))


def reward(proba, alpha=0.5):
    """ActiveGAN reward of Eq. (8): high for samples the classifier is unsure of.

    ``r = alpha * exp(1 - margin) + (1 - alpha) * exp(entropy)``.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities, for example ``clf.predict_proba(X)``.
    alpha : float, default=0.5
        Weight of the margin term against the entropy term, in ``[0, 1]``.

    Returns
    -------
    reward : ndarray of shape (n_samples,)
        Values in ``[1, alpha * e + (1 - alpha) * n_classes]``.

    Examples
    --------
    >>> from skactivegan.uncertainty import reward
    >>> reward([[1.0, 0.0], [0.5, 0.5]], alpha=1.0).round(4)
    array([1.    , 2.7183])
    """
    if not 0.0 <= float(alpha) <= 1.0:
        raise ValueError(f"alpha must be in [0, 1]; got {alpha!r}.")
    return _reward(_check_proba(proba), alpha)


# Unchecked versions, for probabilities that were validated already (the training
# loop calls them on every batch).
def _margin(proba):
    top_two = np.partition(proba, proba.shape[1] - 2, axis=1)[:, -2:]
    return np.clip(top_two[:, 1] - top_two[:, 0], 0.0, 1.0)


def _entropy(proba):
    plogp = proba * np.log(np.where(proba > 0.0, proba, 1.0))
    return np.maximum(-plogp.sum(axis=1), 0.0)


def _reward(proba, alpha, margins=None):
    margins = _margin(proba) if margins is None else margins
    return alpha * np.exp(1.0 - margins) + (1.0 - alpha) * np.exp(_entropy(proba))
