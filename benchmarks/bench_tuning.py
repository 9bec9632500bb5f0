"""Tuning cost: GridSearchCV over ``filter__threshold``, with and without ``memory``.

The pipeline is ``imblearn.pipeline.make_pipeline(ActiveGANAugmenter(filter=
MarginFilter(), random_state=0), SVC())`` on 500 digits, with 3-fold CV and
``refit=False`` (so that every search does exactly one training per fold and
candidate).  Timed, in the same run:

* ``1 value``: a search over one threshold, i.e. a single fit per fold;
* ``5 values, memory``: five thresholds with ``memory=`` a fresh joblib cache
  folder (when the installed augmenter has a ``memory`` parameter);
* ``5 values, memory (warm cache)``: the same search again on the filled cache;
* ``5 values, no memory``: five thresholds, each retraining the GAN.

The networks are trained for ``--max-iter`` iterations (400 by default, half of
them warm-up) to keep the run short; the GAN then costs less than at its defaults,
so the ratios with ``memory`` are, if anything, pessimistic.

    python benchmarks/bench_tuning.py
    python benchmarks/bench_tuning.py --quick
"""

import shutil
import tempfile
import time

from _common import (
    apply_threads,
    base_parser,
    load_digits_split,
    machine_summary,
    median,
    report,
    warm_up_process,
)
from imblearn.pipeline import make_pipeline
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.svm import SVC

from skactivegan import ActiveGANAugmenter, MarginFilter

THRESHOLDS = [0.1, 0.15, 0.2, 0.25, 0.3]


def search_seconds(X, y, thresholds, max_iter, memory):
    params = {
        "filter": MarginFilter(),
        "max_iter": max_iter,
        "warmup_iter": max_iter // 2,
        "random_state": 0,
        "device": "cpu",
    }
    if memory is not None:
        params["memory"] = memory
    pipe = make_pipeline(ActiveGANAugmenter(**params), SVC())
    search = GridSearchCV(
        pipe,
        {"activeganaugmenter__filter__threshold": thresholds},
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        scoring="f1_macro",
        refit=False,
        n_jobs=1,
    )
    start = time.perf_counter()
    search.fit(X, y)
    return time.perf_counter() - start, search.best_params_, search.best_score_


def main():
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--max-iter", type=int, default=400)
    args = parser.parse_args()
    apply_threads(args)
    repeats = args.repeats or (1 if args.quick else 3)
    max_iter = 20 if args.quick else args.max_iter
    print(machine_summary())
    has_memory = "memory" in ActiveGANAugmenter().get_params()
    if not has_memory:
        print("ActiveGANAugmenter has no `memory` parameter: uncached cost only.")

    warm_up_process()
    X, _, y, _ = load_digits_split(n_train=300 if args.quick else 500)
    runs = []
    for rep in range(repeats):
        run = {}
        run["1 value"] = search_seconds(X, y, [0.2], max_iter, None)
        if has_memory:
            folder = tempfile.mkdtemp(prefix="activegan-cache-")
            try:
                run["5 values, memory"] = search_seconds(
                    X, y, THRESHOLDS, max_iter, folder
                )
                run["5 values, memory (warm cache)"] = search_seconds(
                    X, y, THRESHOLDS, max_iter, folder
                )
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        run["5 values, no memory"] = search_seconds(X, y, THRESHOLDS, max_iter, None)
        for name, (seconds, best, score) in run.items():
            print(
                f"  repeat {rep}: {name:<30s} {seconds:7.1f} s  best {best} "
                f"f1 {score:.4f}",
                flush=True,
            )
        runs.append(run)

    rows = []
    for name in runs[0]:
        seconds = [r[name][0] for r in runs]
        ratios = [r[name][0] / r["1 value"][0] for r in runs]
        rows.append(
            {
                "search": name,
                "max_iter": max_iter,
                "folds": 3,
                "repeats": repeats,
                "median_s": median(seconds),
                "ratio_to_1_value_same_run": median(ratios),
                "best_threshold": runs[0][name][1].get(
                    "activeganaugmenter__filter__threshold"
                ),
            }
        )
    report(rows, args.output / "tuning.csv",
           title="GridSearchCV over filter__threshold", floatfmt="{:.3g}")


if __name__ == "__main__":
    main()
