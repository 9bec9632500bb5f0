"""End to end on digits: ActiveGAN vs CTGAN vs SMOTE, time and macro-F1.

A stratified labelled set of 500 digits (64 features, 10 classes) is augmented by
each method with the same number of generated rows (500, before ActiveGAN's margin
filter); the default oracle (grid-searched, Platt-calibrated RBF SVM) is then
retrained on the augmented set and scored by macro-F1 on the 1,297 held-out digits.

* ``none``: the SVM on the real rows only;
* ``SMOTE``: imbalanced-learn's SMOTE asked to double every class;
* ``ActiveGAN``: ``ActiveGANAugmenter(random_state=seed).fit_resample`` at its
  defaults (this time includes fitting its oracle);
* ``AC-GAN+F`` (``--with-acgan``): the same with ``uncertainty_weight=0``;
* ``ActiveGAN, filter=None`` (``--with-unfiltered``): every generated row kept;
* ``CTGAN``: ``CTGAN()`` at its defaults (300 epochs) fitted on a DataFrame whose
  label is a discrete column, then ``sample(500)`` and split into (X, y).  Skipped
  with a message when ``ctgan`` is not installed; ``--ctgan-epochs`` runs fewer
  epochs (then the table says so).

    python benchmarks/bench_end_to_end.py                 # 3 repeats, CTGAN once
    python benchmarks/bench_end_to_end.py --quick
"""

import time

import numpy as np
import pandas as pd
from _common import (
    apply_threads,
    base_parser,
    load_digits_split,
    machine_summary,
    median,
    report,
    warm_up_process,
    write_csv,
)
from sklearn.metrics import f1_score

from skactivegan import ActiveGANAugmenter
from skactivegan.oracle._oracle import fit_default_oracle


def augment_none(X, y, seed, args):
    return X, y


def augment_smote(X, y, seed, args):
    from imblearn.over_sampling import SMOTE

    classes, counts = np.unique(y, return_counts=True)
    strategy = {c: 2 * n for c, n in zip(classes, counts)}
    return SMOTE(sampling_strategy=strategy, random_state=seed).fit_resample(X, y)


def augment_activegan(X, y, seed, args, **params):
    if args.quick:
        params.update(max_iter=40, warmup_iter=20)
    return ActiveGANAugmenter(random_state=seed, **params).fit_resample(X, y)


def augment_acgan(X, y, seed, args):
    return augment_activegan(X, y, seed, args, uncertainty_weight=0.0)


def augment_unfiltered(X, y, seed, args):
    return augment_activegan(X, y, seed, args, filter=None)


def augment_ctgan(X, y, seed, args):
    from ctgan import CTGAN

    columns = [f"f{j}" for j in range(X.shape[1])]
    frame = pd.DataFrame(X, columns=columns)
    frame["label"] = [str(v) for v in y]
    kwargs = {} if args.ctgan_epochs is None else {"epochs": args.ctgan_epochs}
    model = CTGAN(**kwargs)
    model.set_random_state(seed)
    model.fit(frame, discrete_columns=["label"])
    generated = model.sample(len(X))
    X_gen = generated[columns].to_numpy(dtype=np.float64)
    y_gen = generated["label"].astype(y.dtype).to_numpy()
    return np.concatenate([X, X_gen]), np.concatenate([y, y_gen])


def ctgan_available():
    try:
        import ctgan  # noqa: F401
    except ImportError:
        return False
    return True


def main():
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument(
        "--ctgan-epochs",
        type=int,
        default=None,
        help="CTGAN epochs (default: CTGAN's own default, 300)",
    )
    parser.add_argument("--ctgan-repeats", type=int, default=1)
    parser.add_argument(
        "--with-acgan",
        action="store_true",
        help="also run ActiveGAN with uncertainty_weight=0",
    )
    parser.add_argument(
        "--with-unfiltered",
        action="store_true",
        help="also run ActiveGAN with filter=None (all generated rows kept)",
    )
    parser.add_argument("--n-train", type=int, default=500)
    args = parser.parse_args()
    apply_threads(args)
    repeats = args.repeats or (1 if args.quick else 3)
    if args.quick and args.ctgan_epochs is None:
        args.ctgan_epochs = 1
    print(machine_summary())

    warm_up_process()
    X, X_test, y, y_test = load_digits_split(
        n_train=200 if args.quick else args.n_train
    )
    methods = [
        ("none", augment_none, repeats),
        ("SMOTE", augment_smote, repeats),
        ("ActiveGAN", augment_activegan, repeats),
    ]
    if args.with_acgan:
        methods.append(("AC-GAN+F", augment_acgan, repeats))
    if args.with_unfiltered:
        methods.append(("ActiveGAN, filter=None", augment_unfiltered, repeats))
    if ctgan_available():
        label = (
            "CTGAN"
            if args.ctgan_epochs is None
            else f"CTGAN ({args.ctgan_epochs} epochs)"
        )
        methods.append((label, augment_ctgan, args.ctgan_repeats))
    else:
        print("ctgan is not installed: the CTGAN row is skipped (pip install ctgan).")

    raw = []
    for seed in range(repeats):
        for name, func, n_rep in methods:
            if seed >= n_rep:
                continue
            start = time.perf_counter()
            X_res, y_res = func(X, y, seed, args)
            t_aug = time.perf_counter() - start
            start = time.perf_counter()
            clf = fit_default_oracle(X_res, y_res, random_state=0)
            t_clf = time.perf_counter() - start
            f1 = f1_score(y_test, clf.predict(X_test), average="macro")
            raw.append(
                {
                    "method": name,
                    "seed": seed,
                    "augment_s": t_aug,
                    "retrain_svm_s": t_clf,
                    "generated_rows": len(X_res) - len(X),
                    "macro_f1": f1,
                }
            )
            print(
                f"  {name:<24s} seed {seed}: augment {t_aug:7.1f} s, "
                f"+{len(X_res) - len(X)} rows, macro-F1 {f1:.4f}",
                flush=True,
            )

    rows = []
    active_time = median([r["augment_s"] for r in raw if r["method"] == "ActiveGAN"])
    for name, _, _ in methods:
        mine = [r for r in raw if r["method"] == name]
        rows.append(
            {
                "method": name,
                "runs": len(mine),
                "augment_s": median([r["augment_s"] for r in mine]),
                "time_vs_ActiveGAN": median([r["augment_s"] for r in mine])
                / active_time,
                "retrain_svm_s": median([r["retrain_svm_s"] for r in mine]),
                "generated_rows": median([r["generated_rows"] for r in mine]),
                "macro_f1_median": median([r["macro_f1"] for r in mine]),
                "macro_f1_min": min(r["macro_f1"] for r in mine),
                "macro_f1_max": max(r["macro_f1"] for r in mine),
            }
        )
    write_csv(raw, args.output / "end_to_end_runs.csv")
    report(rows, args.output / "end_to_end.csv",
           title=f"Digits, {len(X)} labelled rows, {len(X_test)} held out (medians)")


if __name__ == "__main__":
    main()
