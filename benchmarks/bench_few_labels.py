"""Few labels, balanced classes: the defaults against the tuned SVM alone.

The paper's setting: every class has few labelled rows, and rows are added to
every class.  The target checked here: on few-label balanced data, a mean gain
of at least 0 macro-F1 points over the tuned SVM, no table below -0.3 points, and
at least SMOTE's mean.

For each table and seed, a stratified subset of ``n_labels`` rows is labelled and
the rest is the test set (a stratified sample of at most 1,000 of them on the
larger tables).  ``DefaultSVC(random_state=seed)``, the library's grid-searched
SVM, is fitted on the labelled rows alone; then each method adds rows to every
class and the same SVM is fitted again on the labelled plus added rows:

- ``smote``: imbalanced-learn's ``SMOTE`` doubling every class
  (``sampling_strategy={c: 2 * count}``, ``k_neighbors`` at most the smallest
  class's count minus one);
- ``activegan``: ``ActiveGANAugmenter(n_samples=1.0, random_state=seed)``, every
  other parameter at its default (on a table that is the composing generator,
  ``max_iter="auto"``, no filter);
- ``activegan+F``: the same with ``filter="margin"`` (the label-checking margin
  filter, ranking its ``candidates_per_row`` candidates per row).

(docs/efficacy.md also reports ``activegan-cv``, the never-worse mode of
``AugmentedClassifier`` before 1.0, which removed it.)

The macro-F1 of each on the test set is compared with that of the SVM alone, in
points (100 x difference).  A second comparison keeps the C and gamma that the
SVM alone chose on the labelled rows and refits that SVM on the augmented rows
(``DefaultSVC(C=..., gamma=...)``: no second grid search, whose cross-validation
has generated rows in its training folds next to the real rows they were composed
from in the validation fold); its baseline is the SVM alone.

The tables are scikit-learn's embedded data (no download): digits (200
labels), wine (30), breast_cancer (40), iris (15) and a ``make_classification``
table of 2,000 rows, 20 features, 4 classes (100 labels).  The default seeds 10,
11 and 12 were not used to choose any default of the library; variants are
measured on other seeds (20, 21, 22).  docs/efficacy.md reports a run.

Run (about a quarter of an hour on 2 busy CPU cores)::

    python benchmarks/bench_few_labels.py --threads 1
    python benchmarks/bench_few_labels.py --quick     # smoke run, seconds
    python benchmarks/bench_few_labels.py --params '{"uncertainty_weight": 0}'
"""

import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_iris,
    load_wine,
    make_classification,
)
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    apply_threads,
    base_parser,
    machine_summary,
    warm_up_process,
    write_csv,
)

from skactivegan import (  # noqa: E402
    ActiveGANAugmenter,
    DefaultSVC,
)

#: largest test set; larger remainders are sub-sampled (stratified, the run's seed)
TEST_CAP = 1000


def _synthetic():
    return make_classification(n_samples=2000, n_features=20, n_informative=8,
                               n_classes=4, random_state=0)


# name -> (loader returning (X, y), labelled rows)
DATASETS = {
    "digits": (lambda: load_digits(return_X_y=True), 200),
    "wine": (lambda: load_wine(return_X_y=True), 30),
    "breast_cancer": (lambda: load_breast_cancer(return_X_y=True), 40),
    "iris": (lambda: load_iris(return_X_y=True), 15),
    "synthetic": (_synthetic, 100),
}
SEEDS = [10, 11, 12]
METHODS = ["smote", "activegan", "activegan+F"]
COLUMNS = [
    "dataset", "seed", "method", "n_labels", "n_test", "n_features", "n_classes",
    "n_added", "macro_f1", "macro_f1_svm", "diff_points", "macro_f1_kept",
    "diff_kept_points", "augment_s", "svm_fit_s",
    "warnings",
]


def split(X, y, n_labels, seed, test_cap=TEST_CAP):
    """Stratified labelled rows and a test set of at most ``test_cap`` rows.

    Returns
    -------
    X_l : ndarray of shape (n_labels, n_features)
    X_t : ndarray of shape (n_test, n_features)
    y_l : ndarray of shape (n_labels,)
    y_t : ndarray of shape (n_test,)
    """
    X_l, X_t, y_l, y_t = train_test_split(X, y, train_size=n_labels, stratify=y,
                                          random_state=seed)
    if len(y_t) > test_cap:
        X_t, _, y_t, _ = train_test_split(X_t, y_t, train_size=test_cap,
                                          stratify=y_t, random_state=seed)
    return X_l, X_t, y_l, y_t


def make_sampler(method, seed, y):
    """The sampler of ``method`` for the labelled labels ``y``."""
    if method == "smote":
        from imblearn.over_sampling import SMOTE

        classes, counts = np.unique(y, return_counts=True)
        return SMOTE(sampling_strategy={c: 2 * int(n) for c, n in zip(classes, counts)},
                     k_neighbors=min(5, int(counts.min()) - 1), random_state=seed)
    if method == "activegan":
        return ActiveGANAugmenter(n_samples=1.0, random_state=seed)
    if method == "activegan+F":
        return ActiveGANAugmenter(n_samples=1.0, filter="margin", random_state=seed)
    raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")


def fit_svm(X, y, seed):
    """``DefaultSVC(random_state=seed)`` fitted on ``(X, y)``, and its fit time."""
    start = time.perf_counter()
    model = DefaultSVC(random_state=seed).fit(X, y)
    return model, time.perf_counter() - start


def fit_kept_svm(X, y, alone):
    """``alone``'s SVM with the C and gamma its grid search chose on the labelled
    rows, fitted on ``(X, y)``: ``DefaultSVC(C=..., gamma=...)``, class-balanced and
    Platt-scaled like ``alone``, with no new search.  On the labelled rows it is
    ``alone`` again."""
    return clone(alone).set_params(**alone.best_params_).fit(X, y)


def run_one(name, seed, methods, max_iter=None, params=None):
    """One table and seed: the SVM alone, then each method; one row each.

    ``max_iter`` (None: the augmenter's default) only shortens the smoke run;
    ``params`` are set on the ActiveGAN methods (``--params``).
    """
    load, n_labels = DATASETS[name]
    X, y = load()
    X_l, X_t, y_l, y_t = split(X, y, n_labels, seed)
    common = {"dataset": name, "seed": seed, "n_labels": len(y_l), "n_test": len(y_t),
              "n_features": X.shape[1], "n_classes": len(np.unique(y))}
    alone, svm_s = fit_svm(X_l, y_l, seed)
    f1_alone = f1_score(y_t, alone.predict(X_t), average="macro")
    kept_alone = f1_score(y_t, fit_kept_svm(X_l, y_l, alone).predict(X_t),
                          average="macro")
    rows = [{**common, "method": "svm", "n_added": 0, "macro_f1": f1_alone,
             "macro_f1_svm": f1_alone, "diff_points": 0.0,
             "macro_f1_kept": kept_alone, "diff_kept_points": 0.0, "augment_s": 0.0,
             "svm_fit_s": svm_s, "warnings": ""}]
    for method in methods:
        sampler = make_sampler(method, seed, y_l)
        if method != "smote":
            sampler.set_params(**(params or {}))
            if max_iter is not None:
                sampler.set_params(max_iter=max_iter)
        start = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            X_res, y_res = sampler.fit_resample(X_l, y_l)
        augment_s = time.perf_counter() - start
        model, svm_s = fit_svm(X_res, y_res, seed)
        f1 = f1_score(y_t, model.predict(X_t), average="macro")
        kept = f1_score(y_t, fit_kept_svm(X_res, y_res, alone).predict(X_t),
                        average="macro")
        rows.append({
            **common, "method": method, "n_added": len(y_res) - len(y_l),
            "macro_f1": f1, "macro_f1_svm": f1_alone,
            "diff_points": 100 * (f1 - f1_alone), "macro_f1_kept": kept,
            "diff_kept_points": 100 * (kept - kept_alone), "augment_s": augment_s,
            "svm_fit_s": svm_s,
            "warnings": ";".join(sorted({w.category.__name__ for w in caught})),
        })
    return rows


def target_table(rows, methods, diff="diff_points", score="macro_f1"):
    """Markdown lines: per table the SVM alone's ``score`` and each method's mean
    ``diff`` (worst seed in brackets), the mean and worst table, and the target."""
    names = list(dict.fromkeys(r["dataset"] for r in rows))
    header = " | ".join(f"{m} (points)" for m in methods)
    lines = [f"| table | labels | seeds | SVM alone macro-F1 | {header} |",
             "|---|---|---|---|" + "---|" * len(methods)]
    per_table = {m: [] for m in methods}
    for name in names:
        runs = [r for r in rows if r["dataset"] == name]
        alone = [r[score] for r in runs if r["method"] == "svm"]
        cells = []
        for m in methods:
            diffs = [r[diff] for r in runs if r["method"] == m]
            per_table[m].append(np.mean(diffs))
            cells.append(f"{np.mean(diffs):+.2f} (worst seed {min(diffs):+.2f})")
        lines.append(f"| {name} | {runs[0]['n_labels']} | {len(alone)} "
                     f"| {100 * np.mean(alone):.2f} | " + " | ".join(cells) + " |")
    lines.append("| **mean over tables** | | | | "
                 + " | ".join(f"**{np.mean(per_table[m]):+.2f}**" for m in methods)
                 + " |")
    lines.append("| **worst table** | | | | "
                 + " | ".join(f"{min(per_table[m]):+.2f} "
                              f"({names[int(np.argmin(per_table[m]))]})"
                              for m in methods) + " |")
    smote_mean = np.mean(per_table["smote"]) if "smote" in per_table else None
    lines.append("")
    for m in methods:
        if m == "smote":
            continue
        mean, worst = np.mean(per_table[m]), min(per_table[m])
        checks = [f"mean {mean:+.2f} >= 0: {'yes' if mean >= 0 else 'no'}",
                  f"worst table {worst:+.2f} >= -0.3: "
                  f"{'yes' if worst >= -0.3 else 'no'}"]
        if smote_mean is not None:
            checks.append(f"mean >= SMOTE's {smote_mean:+.2f}: "
                          f"{'yes' if mean >= smote_mean else 'no'}")
        lines.append(f"Target, {m}: " + "; ".join(checks) + ".")
    return lines


def summarise(rows, methods):
    """Markdown: the target table for the SVM grid-searched again on the augmented
    rows, then for the SVM that keeps the C and gamma chosen on the labelled rows,
    then fit times."""
    lines = ["SVM grid-searched again on the labelled plus added rows:", ""]
    lines += target_table(rows, methods)
    lines += ["", "SVM with the C and gamma chosen on the labelled rows alone, "
              "refitted on the labelled plus added rows (no second search):", ""]
    lines += target_table(rows, methods, "diff_kept_points", "macro_f1_kept")
    lines += ["", "| method | runs | augment s (median) | augment s (max) "
              "| SVM refit s (median) |", "|---|---|---|---|---|"]
    for m in ["svm", *methods]:
        runs = [r for r in rows if r["method"] == m]
        lines.append(f"| {m} | {len(runs)} "
                     f"| {np.median([r['augment_s'] for r in runs]):.2f} "
                     f"| {max(r['augment_s'] for r in runs):.2f} "
                     f"| {np.median([r['svm_fit_s'] for r in runs]):.2f} |")
    return "\n".join(lines)


def parse_args(argv=None):
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=None,
                        help=f"comma-separated subset of {','.join(DATASETS)}")
    parser.add_argument("--seeds", default=None,
                        help="comma-separated seeds (default 10,11,12)")
    parser.add_argument("--methods", default=None,
                        help=f"comma-separated subset of {','.join(METHODS)}")
    parser.add_argument("--params", type=json.loads, default=None,
                        help="JSON object of ActiveGAN parameters to set on the "
                             "activegan methods, e.g. '{\"uncertainty_weight\": 0}' "
                             "(default: the library's defaults)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    names = args.datasets.split(",") if args.datasets else list(DATASETS)
    seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else SEEDS
    methods = args.methods.split(",") if args.methods else list(METHODS)
    for name in names:
        if name not in DATASETS:
            raise SystemExit(
                f"unknown table {name!r}; expected some of {list(DATASETS)}"
            )
    for method in methods:
        if method not in METHODS:
            raise SystemExit(f"unknown method {method!r}; expected some of {METHODS}")
    max_iter = None
    if args.quick:  # a smoke run: one small table, one seed, a short GAN
        names = names[:1] if args.datasets else ["iris"]
        seeds, max_iter = seeds[:1], 10
    apply_threads(args)
    print(machine_summary(), flush=True)
    warm_up_process()  # the first fit's one-off costs, untimed
    path = Path(args.output) / "few_labels.csv"
    rows = []
    for name in names:
        for seed in seeds:
            new = run_one(name, seed, methods, max_iter=max_iter, params=args.params)
            rows += new
            # Rewritten after every run, so that an interrupted run keeps its rows.
            write_csv([{c: r[c] for c in COLUMNS} for r in rows], path)
            print(f"{name} seed {seed}: SVM {100 * new[0]['macro_f1']:.2f}, "
                  + ", ".join(f"{r['method']} {r['diff_points']:+.2f} "
                              f"({r['augment_s']:.1f} s)" for r in new[1:]),
                  flush=True)
    summary = summarise(rows, methods)
    (Path(args.output) / "few_labels.md").write_text(summary + "\n")
    print()
    print(summary)


if __name__ == "__main__":
    main()
