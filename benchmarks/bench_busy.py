"""Fit time at the defaults on a busy machine, against torch's intra-op threads.

``ActiveGANAugmenter(random_state=0).fit(X[:200], y[:200])`` on scikit-learn's digits,
timed with :mod:`timeit` (wall clock, ``number=1``, median of ``--repeats``), in four
situations: the machine idle or with one other process keeping one core busy (a
Python busy loop started and stopped by this script), and with one torch thread or
with torch's default thread count (one per core).

How the thread count is set: when the augmenter has an ``n_jobs`` parameter, through
it (``n_jobs=None`` is one thread, ``n_jobs=-1`` every core); otherwise the script
calls ``torch.set_num_threads`` around the fit, which emulates the same thing.  The
process's own setting is restored afterwards either way.

    python benchmarks/bench_busy.py                 # the defaults, 3 repeats
    python benchmarks/bench_busy.py --quick         # smoke run (a few iterations)
    python benchmarks/bench_busy.py --cases busy-one --repeats 1   # one case
"""

import os
import subprocess
import sys
import timeit
from contextlib import contextmanager

import numpy as np
import torch
from _common import base_parser, machine_summary, median, report
from sklearn.datasets import load_digits

from skactivegan import ActiveGANAugmenter

BUSY_LOOP = "while True:\n    pass\n"


@contextmanager
def busy_core(enabled):
    """Keep one core busy with another process while the block runs."""
    if not enabled:
        yield None
        return
    process = subprocess.Popen([sys.executable, "-c", BUSY_LOOP])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


@contextmanager
def torch_threads(n):
    """``torch.set_num_threads(n)`` for the block, the previous value restored."""
    saved = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(saved)


def has_n_jobs():
    return "n_jobs" in ActiveGANAugmenter().get_params()


def make_fit(X, y, threads, params):
    """A no-argument function that fits the augmenter with ``threads`` torch threads
    ("one" or "default"), and a description of how the count is set."""
    if has_n_jobs():
        n_jobs = None if threads == "one" else -1
        aug = ActiveGANAugmenter(random_state=0, n_jobs=n_jobs, **params)
        return (lambda: aug.fit(X, y)), f"n_jobs={n_jobs}"
    n = 1 if threads == "one" else torch.get_num_threads()

    def fit():
        with torch_threads(n):
            ActiveGANAugmenter(random_state=0, **params).fit(X, y)

    return fit, f"torch.set_num_threads({n}) around fit"


def main():
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--cases", default="idle-one,idle-default,busy-one,busy-default",
                        help="comma-separated subset of the four cases to run")
    args = parser.parse_args()
    repeats = args.repeats or (1 if args.quick else 3)
    params = {"max_iter": 10, "warmup_iter": 5} if args.quick else {}
    print(machine_summary())
    default_threads = torch.get_num_threads()
    print(f"torch's default thread count here: {default_threads}; "
          f"{os.cpu_count()} CPU cores; load average {os.getloadavg()[0]:.2f}")

    X, y = load_digits(return_X_y=True)
    X, y = X[: args.rows], y[: args.rows]
    # The first fit in a process pays one-off import costs: keep it out of the table.
    make_fit(X, y, "one", {"max_iter": 4, "warmup_iter": 2})[0]()

    rows = []
    for busy in (False, True):
        for threads in ("one", "default"):
            if f"{'busy' if busy else 'idle'}-{threads}" not in args.cases.split(","):
                continue
            fit, how = make_fit(X, y, threads, params)
            with busy_core(busy):
                times = timeit.Timer(fit).repeat(repeat=repeats, number=1)
            rows.append({
                "machine": "one core busy" if busy else "idle",
                "torch threads": 1 if threads == "one" else default_threads,
                "how": how,
                "median s": median(times),
                "min s": float(np.min(times)),
                "max s": float(np.max(times)),
                "repeats": repeats,
            })
            print(rows[-1], flush=True)
    assert torch.get_num_threads() == default_threads
    report(rows, args.output / "busy.csv",
           title=f"fit on {len(X)} digits at the defaults (wall s, timeit)",
           floatfmt="{:.2f}")


if __name__ == "__main__":
    main()
