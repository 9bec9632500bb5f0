"""Uncertainty of a classifier's posteriors: margin, entropy and the ActiveGAN reward.

All functions are pure and vectorised over the rows of a ``(n_samples, n_classes)``
array of class probabilities, such as the output of ``predict_proba``.  They implement
Eq. (6)-(8) of ActiveGAN (Kong et al., 2018/2019).

There is one implementation, written in torch: the public functions take a NumPy
array (or anything array-like), validate it and return a NumPy array; given a torch
tensor they return a tensor on its device, not validated (no host synchronisation),
which is what the training loop uses on the oracle's probabilities.
"""

import numpy as np
import torch
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
    proba : array-like or Tensor of shape (n_samples, n_classes)
        Class probabilities, for example ``clf.predict_proba(X)``.  A tensor is not
        validated and gives a tensor back.

    Returns
    -------
    margin : ndarray (or Tensor) of shape (n_samples,)
        Values in ``[0, 1]``.

    Examples
    --------
    >>> from skactivegan.uncertainty import margin
    >>> margin([[0.7, 0.2, 0.1], [0.5, 0.5, 0.0]])
    array([0.5, 0. ])
    """
    proba, out = _as_tensor(proba)
    return out(_margin(proba))


def entropy(proba):
    """Shannon entropy of the class probabilities in nats, Eq. (7).

    ``u_le = -sum_k p_k log p_k`` with ``0 log 0 = 0``: 0 when the classifier is
    certain, ``log(n_classes)`` when it is uniform.

    Parameters
    ----------
    proba : array-like or Tensor of shape (n_samples, n_classes)
        Class probabilities, for example ``clf.predict_proba(X)``.  A tensor is not
        validated and gives a tensor back.

    Returns
    -------
    entropy : ndarray (or Tensor) of shape (n_samples,)
        Values in ``[0, log(n_classes)]``.

    Examples
    --------
    >>> from skactivegan.uncertainty import entropy
    >>> entropy([[1.0, 0.0], [0.5, 0.5]]).round(4)
    array([0.    , 0.6931])
    """
    proba, out = _as_tensor(proba)
    return out(_entropy(proba))


def reward(proba, alpha=0.5):
    """ActiveGAN reward of Eq. (8): high for samples the classifier is unsure of.

    ``r = alpha * exp(1 - margin) + (1 - alpha) * exp(entropy)``.

    Parameters
    ----------
    proba : array-like or Tensor of shape (n_samples, n_classes)
        Class probabilities, for example ``clf.predict_proba(X)``.  A tensor is not
        validated and gives a tensor back.
    alpha : float, default=0.5
        Weight of the margin term against the entropy term, in ``[0, 1]``.

    Returns
    -------
    reward : ndarray (or Tensor) of shape (n_samples,)
        Values in ``[1, alpha * e + (1 - alpha) * n_classes]``.

    Examples
    --------
    >>> from skactivegan.uncertainty import reward
    >>> reward([[1.0, 0.0], [0.5, 0.5]], alpha=1.0).round(4)
    array([1.    , 2.7183])
    """
    if not 0.0 <= float(alpha) <= 1.0:
        raise ValueError(f"alpha must be in [0, 1]; got {alpha!r}.")
    proba, out = _as_tensor(proba)
    return out(_reward(proba, float(alpha)))


def _as_tensor(proba):
    """``(tensor, to_output)``: the probabilities as a tensor, and the conversion back."""
    if isinstance(proba, torch.Tensor):
        return proba, lambda values: values
    return torch.from_numpy(_check_proba(proba)), lambda values: values.numpy()


# Unchecked versions on tensors, for probabilities that need no validation (the
# training loop calls them on every batch, on the training device).
def _margin(proba):
    """Eq. (6) on a tensor (n, K): ``p(1st) - p(2nd)``, clipped to [0, 1]."""
    top_two = torch.topk(proba, 2, dim=1).values
    return (top_two[:, 0] - top_two[:, 1]).clamp(0.0, 1.0)


def _entropy(proba):
    """Eq. (7) on a tensor (n, K), in nats, with 0 log 0 = 0.

    ``log`` is taken of 1 where p = 0, which keeps the value and its gradient finite.
    """
    plogp = proba * torch.log(torch.where(proba > 0.0, proba, torch.ones_like(proba)))
    return (0.0 - plogp.sum(dim=1)).clamp_min(0.0)  # 0 - 0 is +0, unlike -0


def _reward(proba, alpha, margins=None):
    """Eq. (8) on a tensor (n, K); ``margins`` (n,) when already computed."""
    margins = _margin(proba) if margins is None else margins
    return alpha * torch.exp(1.0 - margins) + (1.0 - alpha) * torch.exp(_entropy(proba))
