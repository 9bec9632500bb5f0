"""Small helpers shared by the estimators, the features and the experiments."""

import numpy as np
import torch

__all__ = ["allocate_per_class", "resolve_device"]


def resolve_device(device):
    """Turn the ``device`` parameter into a ``torch.device``.

    ``"auto"`` is CUDA when available, else the CPU.  Asking for CUDA on a machine
    without it is a ValueError rather than a crash inside torch.
    """
    if isinstance(device, str) and device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(f"device={device!r} is not a valid torch device: {exc}") from None
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was requested but CUDA is not available here; "
            "use device='auto' or 'cpu'."
        )
    return resolved


def allocate_per_class(n, class_prior):
    """Split ``n`` rows among classes in proportion to ``class_prior``.

    Largest-remainder rounding: the counts sum to ``n`` exactly and are
    deterministic.

    Parameters
    ----------
    n : int
    class_prior : ndarray of shape (K,)

    Returns
    -------
    counts : ndarray of shape (K,), int64
    """
    exact = n * np.asarray(class_prior, dtype=np.float64)
    counts = np.floor(exact).astype(np.int64)
    remainder = n - counts.sum()
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:remainder]] += 1
    return counts
