"""Small helpers shared by the estimators, the features and the experiments."""

import os
import sys
from contextlib import contextmanager

import numpy as np
import torch
from threadpoolctl import threadpool_limits

__all__ = [
    "allocate_per_class",
    "draw_seeds",
    "resolve_device",
    "resolve_n_jobs",
    "torch_threads",
    "user_stacklevel",
]


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
        raise ValueError(
            f"device={device!r} is not a valid torch device: {exc}"
        ) from None
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was requested but CUDA is not available here; "
            "use device='auto' or 'cpu'."
        )
    return resolved


def draw_seeds(random_state, n=None):
    """Integer seeds for torch generators and sub-estimators, from ``random_state``.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        As in scikit-learn; drawn from once, never touching the global state beyond
        what ``check_random_state(None)`` does.
    n : int or None
        None draws one seed (an int); an int draws a tuple of ``n`` seeds.

    Returns
    -------
    seed : int or tuple of int
        In ``[0, 2**31 - 1)``.
    """
    from sklearn.utils import check_random_state

    rng = check_random_state(random_state)
    if n is None:
        return int(rng.randint(np.iinfo(np.int32).max))
    return tuple(int(s) for s in rng.randint(np.iinfo(np.int32).max, size=n))


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


@contextmanager
def torch_threads(n_jobs):
    """Run the block with ``n_jobs`` torch, OpenMP and BLAS threads, then restore them.

    The networks are small: on a machine where another process keeps a core busy, a
    pool of several threads spends its time waiting for the busy core (a warm-up
    iteration measured 10x slower with 2 threads than with 1 on 2 cores).  One thread
    is the default for that reason.  The same holds for the OpenMP and BLAS pools
    of the oracle (through threadpoolctl, a scikit-learn dependency): the default
    oracle's Platt scaling (L-BFGS on two parameters) measured 59 ms with
    OpenBLAS's 2 threads and 3.7 ms with 1 on a loaded 2-core machine, and a
    histogram gradient boosting's ``predict_proba`` 10x slower with 2 OpenMP
    threads than with 1.

    Parameters
    ----------
    n_jobs : int or None
        None means 1; -1 means every core (``os.cpu_count()``); -2 all but one, as
        in scikit-learn.
    """
    previous = torch.get_num_threads()
    wanted = resolve_n_jobs(n_jobs)
    try:
        if wanted != previous:
            torch.set_num_threads(wanted)
        # threadpoolctl restores the OpenMP and BLAS pools on exit.
        with threadpool_limits(limits=wanted):
            yield wanted
    finally:
        if torch.get_num_threads() != previous:
            torch.set_num_threads(previous)


def resolve_n_jobs(n_jobs):
    """Number of threads for ``n_jobs`` (None → 1, negative → cores + 1 + n_jobs).

    0 is a ValueError, as in scikit-learn and joblib: it is no number of threads.
    """
    if n_jobs is None:
        return 1
    if n_jobs == 0:
        raise ValueError(
            "n_jobs=0 is not a number of threads; use None or 1 (one thread), a "
            "positive count, or -1 for every core."
        )
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    return int(n_jobs)


#: Packages whose frames a warning skips to reach the user's line.
_INTERNAL = ("skactivegan", "imblearn", "sklearn")


def user_stacklevel():
    """The ``stacklevel`` that makes a warning point at the first frame outside the
    library (and outside imbalanced-learn's and scikit-learn's templates that call
    it), for ``warnings.warn`` called by the function that calls this one.

    Returns
    -------
    stacklevel : int
    """
    frame = sys._getframe(1)  # the function that calls warnings.warn: level 1
    level = 1
    while frame is not None and frame.f_globals.get("__name__", "").split(".")[0] in (
            _INTERNAL):
        frame = frame.f_back
        level += 1
    return level
