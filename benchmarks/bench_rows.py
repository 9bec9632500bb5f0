"""fit_resample at the defaults against the number of rows, 10^3 to 10^6, beside SMOTE.

Data: issue 35's table, ``make_classification(n, 20, n_informative=8,
weights=[0.9], random_state=0)``; the augmenter over-samples the minority class to
balance (``sampling_strategy="auto"``), every parameter at its default.  For each
size and repeat, three kinds of fresh Python process run in turn (so that the
machine's drift hits them alike): ActiveGAN's ``fit_resample``, imbalanced-learn's
``SMOTE().fit_resample`` on the same table, and with ``--recipe`` the Dask recipe
of docs/performance.md (the oracle on every row, built on a ``LocalCluster`` of two
in-process workers, the augmenter on a sample), run from the documentation's own
code block.  Each process first runs one tiny untimed fit (lazy imports).
Reported: median time, its range, the peak resident set size of the process
(``resource.getrusage``; its resident set after data creation is
``baseline_mib``), rows added, each method's time over SMOTE's in the same repeat
(median), and ActiveGAN's time over its time at the previous size.  Writes
``rows.csv`` and, with matplotlib, the figure ``rows.png`` (``--figure`` for another
path).  ``--threads`` limits every method's threads; without it each runs at its
own default (the augmenter: one thread, ``n_jobs=None``; SMOTE: one OpenMP thread
per core in its neighbour search).

    python benchmarks/bench_rows.py
    python benchmarks/bench_rows.py --sizes 100000 1000000 --repeats 5 --recipe
    python benchmarks/bench_rows.py --quick
"""

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

from _common import apply_threads, base_parser, machine_summary, median, report

DOCS = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
METHODS = ("activegan", "smote")


def make_table(n_rows):
    from sklearn.datasets import make_classification

    return make_classification(n_samples=n_rows, n_features=20, n_informative=8,
                               weights=[0.9], random_state=0)


def recipe_source(path=DOCS):
    """The Dask recipe's code block of docs/performance.md (the one with
    ``LocalCluster``)."""
    blocks = re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.S)
    found = [b for b in blocks if "LocalCluster" in b and "FrozenEstimator" in b]
    if len(found) != 1:
        raise RuntimeError(f"expected one Dask recipe in {path}, found {len(found)}")
    return found[0]


def recipe_without_data(source):
    """The recipe without its two statements that make the table (``n_rows,
    sample_rows = ...`` and ``X, y = ...``), which the caller provides."""
    tree = ast.parse(source)
    tree.body = [
        node for node in tree.body
        if not (isinstance(node, ast.Assign)
                and ast.unparse(node.targets[0]) in ("(n_rows, sample_rows)",
                                                     "(X, y)"))
    ]
    return compile(tree, "docs/performance.md (Dask recipe)", "exec")


def worker(method, n_rows, threads):
    """Run one method on one size in this process and print a JSON line."""
    import time

    import numpy as np
    from _common import current_rss_mib, peak_rss_mib, warm_up_process

    if threads:
        import torch
        from threadpoolctl import threadpool_limits

        torch.set_num_threads(threads)
        threadpool_limits(limits=threads)
    X, y = make_table(n_rows)
    warm_up_process()
    baseline = current_rss_mib()
    extra = {}
    if method == "activegan":
        from skactivegan import ActiveGANAugmenter

        aug = ActiveGANAugmenter(random_state=0)
        start = time.perf_counter()
        X_res, _ = aug.fit_resample(X, y)
        seconds = time.perf_counter() - start
        extra = {"oracle": type(aug.oracle_.steps[-1][1]).__name__,
                 "oracle_backend": aug.oracle_backend_, "n_iter": aug.n_iter_}
    elif method == "smote":
        from imblearn.over_sampling import SMOTE

        start = time.perf_counter()
        X_res, _ = SMOTE(random_state=0).fit_resample(X, y)
        seconds = time.perf_counter() - start
    elif method == "recipe":
        code = recipe_without_data(recipe_source())
        namespace = {"X": X, "y": y, "n_rows": n_rows,
                     "sample_rows": min(50_000, n_rows // 2)}
        start = time.perf_counter()
        exec(code, namespace)  # noqa: S102 - the documentation's own recipe
        seconds = time.perf_counter() - start
        X_res = namespace["X_res"]
    else:
        raise ValueError(method)
    print(json.dumps({"seconds": seconds, "added": int(len(X_res) - n_rows),
                      "baseline_mib": baseline, "peak_mib": peak_rss_mib(),
                      "in_out_mib": (X.nbytes + np.asarray(X_res).nbytes) / 2**20,
                      **extra}))


def run_one(method, n_rows, threads):
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", method,
           str(n_rows), str(threads or 0)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent)
    return json.loads(out.stdout.strip().splitlines()[-1])


def plot(rows, path):
    """Time against rows, log-log, one line per method."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no figure")
        return
    labels = {"activegan": ("o-", "ActiveGAN fit_resample, defaults (1 thread)"),
              "smote": ("s--", "SMOTE fit_resample (imbalanced-learn)"),
              "recipe": ("^:", "Dask recipe, LocalCluster of 2 workers")}
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    for method, (style, label) in labels.items():
        mine = [r for r in rows if r["method"] == method]
        if mine:
            ax.loglog([r["rows"] for r in mine], [r["seconds"] for r in mine], style,
                      label=label)
    ax.axhline(60, color="grey", lw=0.8, ls=":", label="60 s")
    ax.set_xlabel("rows (20 features, 90/10)")
    ax.set_ylabel("seconds")
    ax.legend(fontsize=7)
    ax.grid(True, which="both", lw=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print(f"figure: {path}")


def summarise(n_rows, method, results, smote):
    seconds = [r["seconds"] for r in results]
    row = {"rows": n_rows, "method": method, "repeats": len(results),
           "seconds": median(seconds), "min_s": min(seconds), "max_s": max(seconds),
           "added": results[0]["added"],
           "baseline_mib": median([r["baseline_mib"] for r in results]),
           "peak_mib": median([r["peak_mib"] for r in results]),
           "in_out_mib": results[0]["in_out_mib"],
           "over_smote": median([r["seconds"] / s["seconds"]
                                 for r, s in zip(results, smote)]),
           "oracle": results[0].get("oracle", ""),
           "oracle_backend": results[0].get("oracle_backend", "")}
    return row


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--worker":
        worker(argv[1], int(argv[2]), int(argv[3]))
        return
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+",
                        default=[1000, 10000, 100000, 1000000])
    parser.add_argument("--recipe", action="store_true",
                        help="also run docs/performance.md's Dask recipe")
    parser.add_argument("--figure", type=Path, default=None)
    args = parser.parse_args(argv)
    repeats = args.repeats or (1 if args.quick else 3)
    sizes = [300, 1000] if args.quick else args.sizes
    methods = METHODS + (("recipe",) if args.recipe else ())
    apply_threads(args)
    print(machine_summary())
    rows = []
    for n_rows in sizes:
        results = {m: [] for m in methods}
        for _ in range(repeats):
            for method in methods:
                results[method].append(run_one(method, n_rows, args.threads))
        for method in methods:
            row = summarise(n_rows, method, results[method], results["smote"])
            previous = [r for r in rows if r["method"] == method]
            row["over_previous_size"] = (row["seconds"] / previous[-1]["seconds"]
                                         if previous else float("nan"))
            rows.append(row)
            print(f"  rows={n_rows:<8d} {method:<10s} {row['seconds']:.2f} s "
                  f"({row['min_s']:.2f}-{row['max_s']:.2f}), "
                  f"{row['over_smote']:.2f}x SMOTE, peak {row['peak_mib']:.0f} MiB, "
                  f"added {row['added']}", flush=True)
    args.output.mkdir(parents=True, exist_ok=True)
    report(rows, args.output / "rows.csv", title="fit_resample against rows (medians)")
    plot(rows, args.figure or args.output / "rows.png")


if __name__ == "__main__":
    main()
