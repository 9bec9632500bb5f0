"""fit_resample at the defaults against the number of rows, 10^3 to 10^6.

Each size runs in a fresh Python process that first runs one tiny untimed fit
(lazy imports).  Data: ``make_classification`` with 20 features (10 informative)
and two classes, 90/10; the augmenter over-samples the minority class to balance
(``sampling_strategy="auto"``), every parameter at its default.  Reported: the time
of ``fit_resample``, the default oracle's kind and evaluation path
(``oracle_backend_``), the peak resident set size, and imbalanced-learn's SMOTE on
the same table for scale.  Writes ``rows.csv`` and, with matplotlib, the figure
``rows.png`` (``--figure`` for another path).

    python benchmarks/bench_rows.py --threads 1
    python benchmarks/bench_rows.py --threads 1 --sizes 1000 10000 100000 1000000
    python benchmarks/bench_rows.py --quick
"""

import json
import subprocess
import sys
from pathlib import Path

from _common import apply_threads, base_parser, machine_summary, median, report


def worker(n_rows, threads):
    """Run one size in this process and print a JSON line."""
    import time

    from _common import current_rss_mib, peak_rss_mib, warm_up_process
    from imblearn.over_sampling import SMOTE
    from sklearn.datasets import make_classification

    from skactivegan import ActiveGANAugmenter

    if threads:
        import torch
        from threadpoolctl import threadpool_limits

        torch.set_num_threads(threads)
        threadpool_limits(limits=threads)
    X, y = make_classification(n_samples=n_rows, n_features=20, n_informative=10,
                               weights=[0.9], random_state=0)
    warm_up_process()
    baseline = current_rss_mib()
    aug = ActiveGANAugmenter(random_state=0)
    start = time.perf_counter()
    X_res, _ = aug.fit_resample(X, y)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    SMOTE(random_state=0).fit_resample(X, y)
    smote_s = time.perf_counter() - start
    print(json.dumps({
        "fit_resample_s": fit_s,
        "smote_s": smote_s,
        "added": len(X_res) - n_rows,
        "n_iter": aug.n_iter_,
        "oracle": type(aug.oracle_.steps[-1][1]).__name__,
        "oracle_backend": aug.oracle_backend_,
        "baseline_mib": baseline,
        "peak_mib": peak_rss_mib(),
    }))


def run_size(n_rows, threads):
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(n_rows),
           str(threads or 0)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent)
    return json.loads(out.stdout.strip().splitlines()[-1])


def plot(rows, path):
    """Time against rows, log-log, ActiveGAN and SMOTE."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no figure")
        return
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    n = [r["rows"] for r in rows]
    ax.loglog(n, [r["fit_resample_s"] for r in rows], "o-",
              label="ActiveGAN fit_resample, defaults")
    ax.loglog(n, [r["smote_s"] for r in rows], "s--", label="SMOTE fit_resample")
    ax.axhline(60, color="grey", lw=0.8, ls=":", label="60 s")
    ax.set_xlabel("rows (20 features, 90/10)")
    ax.set_ylabel("seconds")
    ax.legend(fontsize=8)
    ax.grid(True, which="both", lw=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print(f"figure: {path}")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(int(sys.argv[2]), int(sys.argv[3]))
        return
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+",
                        default=[1000, 10000, 100000, 1000000])
    parser.add_argument("--figure", type=Path, default=None)
    args = parser.parse_args()
    repeats = args.repeats or (1 if args.quick else 3)
    sizes = [300, 1000] if args.quick else args.sizes
    apply_threads(args)
    print(machine_summary())
    rows = []
    for n_rows in sizes:
        results = [run_size(n_rows, args.threads) for _ in range(repeats)]
        row = {"rows": n_rows, "repeats": repeats,
               "oracle": results[0]["oracle"],
               "oracle_backend": results[0]["oracle_backend"],
               "n_iter": results[0]["n_iter"], "added": results[0]["added"]}
        for key in ("fit_resample_s", "smote_s", "baseline_mib", "peak_mib"):
            row[key] = median([r[key] for r in results])
        rows.append(row)
        print(f"  rows={n_rows:<8d} fit_resample {row['fit_resample_s']:.1f} s, "
              f"SMOTE {row['smote_s']:.2f} s, peak {row['peak_mib']:.0f} MiB, "
              f"oracle {row['oracle']} ({row['oracle_backend']})", flush=True)
    report(rows, args.output / "rows.csv", title="fit_resample against rows (medians)")
    plot(rows, args.figure or args.output / "rows.png")


if __name__ == "__main__":
    main()
