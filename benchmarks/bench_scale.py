"""Scale: time and peak memory against rows, features and iterations.

Each configuration runs in a fresh Python process.  The process first runs one
tiny untimed fit, so that the one-off cost of the first fit in a process (lazy
imports, reported as ``first_fit_s``) does not hide the scaling; it then records
its resident set size after data creation (the baseline), fits, samples, and
reports its peak resident set size (``resource.getrusage``); "train MiB" is the
difference.  Data: ``make_classification`` with 5 classes.  The oracle is a
``LogisticRegression`` (the default grid-searched SVM is quadratic in the rows and
would dominate at 60k rows: its cost is measured in bench_end_to_end.py), so the
table shows the GAN's own scaling.

Three sweeps: rows 1k to 60k at 64 features; features 16 to 1,280 at 2,000 rows;
max_iter 200 against 2,000 at a fixed size (memory must not grow with iterations).

    python benchmarks/bench_scale.py
    python benchmarks/bench_scale.py --quick
"""

import json
import subprocess
import sys
from pathlib import Path

from _common import (
    apply_threads,
    base_parser,
    machine_summary,
    median,
    report,
)


def worker(n_rows, n_features, max_iter, threads):
    """Run one configuration in this process and print a JSON line."""
    import time

    import numpy as np
    import torch
    from _common import current_rss_mib, peak_rss_mib, warm_up_process
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    from skactivegan import ActiveGANAugmenter

    if threads:
        from threadpoolctl import threadpool_limits

        torch.set_num_threads(threads)
        threadpool_limits(limits=threads)
    X, y = make_classification(
        n_samples=n_rows,
        n_features=n_features,
        n_informative=min(n_features, 10),
        n_redundant=0,
        n_classes=5,
        n_clusters_per_class=1,
        random_state=0,
    )
    X = X.astype(np.float32)
    start = time.perf_counter()
    warm_up_process()
    first_fit_s = time.perf_counter() - start
    baseline = current_rss_mib()
    aug = ActiveGANAugmenter(
        oracle=LogisticRegression(max_iter=300),
        max_iter=max_iter,
        warmup_iter=max_iter // 2,
        random_state=0,
        device="cpu",
    )
    start = time.perf_counter()
    aug.fit(X, y)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    X_gen, _ = aug.sample(n_rows)
    sample_s = time.perf_counter() - start
    print(
        json.dumps(
            {
                "fit_s": fit_s,
                "sample_s": sample_s,
                "first_fit_s": first_fit_s,
                "baseline_mib": baseline,
                "peak_mib": peak_rss_mib(),
                "kept_rows": len(X_gen),
                "data_mib": X.nbytes / 2**20,
            }
        )
    )


def run_config(n_rows, n_features, max_iter, threads):
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        str(n_rows),
        str(n_features),
        str(max_iter),
        str(threads or 0),
    ]
    out = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(*(int(a) for a in sys.argv[2:6]))
        return
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--max-iter", type=int, default=200)
    parser.add_argument("--long-iter", type=int, default=2000)
    args = parser.parse_args()
    repeats = args.repeats or (1 if args.quick else 3)
    apply_threads(
        args
    )  # the workers apply --threads themselves; this is for the summary
    print(machine_summary())
    short = 20 if args.quick else args.max_iter
    if args.quick:
        configs = [
            ("rows", 1000, 16, short),
            ("features", 500, 64, short),
            ("iterations", 500, 16, short),
            ("iterations", 500, 16, 4 * short),
        ]
    else:
        configs = (
            [("rows", n, 64, short) for n in (1000, 5000, 20000, 60000)]
            + [("features", 2000, d, short) for d in (16, 64, 256, 784, 1280)]
            + [("iterations", 5000, 256, it) for it in (short, args.long_iter)]
        )
    rows = []
    for sweep, n_rows, n_features, max_iter in configs:
        results = [
            run_config(n_rows, n_features, max_iter, args.threads)
            for _ in range(repeats)
        ]
        row = {
            "sweep": sweep,
            "rows": n_rows,
            "features": n_features,
            "max_iter": max_iter,
            "repeats": repeats,
        }
        for key in (
            "fit_s",
            "sample_s",
            "first_fit_s",
            "baseline_mib",
            "peak_mib",
            "data_mib",
        ):
            row[key] = median([r[key] for r in results])
        row["train_mib"] = median([r["peak_mib"] - r["baseline_mib"] for r in results])
        row["ms_per_iter"] = 1e3 * row["fit_s"] / max_iter
        rows.append(row)
        print(
            f"  {sweep:<10s} rows={n_rows:<6d} features={n_features:<5d} "
            f"max_iter={max_iter:<5d} fit {row['fit_s']:.2f} s, "
            f"peak {row['peak_mib']:.0f} MiB",
            flush=True,
        )
    report(rows, args.output / "scale.csv", title="Scale (medians)")


if __name__ == "__main__":
    main()
