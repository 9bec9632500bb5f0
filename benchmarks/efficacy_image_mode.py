"""Which generated rows help in image mode, and how much should they weigh?

For each seed, a stratified split gives ``--n-labels`` labelled images and a held-out
test set.  Two augmenters are trained in image mode on the labelled images with the
library's defaults and the filter off: AC-GAN (``uncertainty_weight=0``) and
ActiveGAN.  Each generates as many rows as there are labelled rows (or
``--candidates`` times as many), and each policy below picks rows to add:

- ``all``: every generated row;
- ``agree``: the rows whose label is the oracle's top class (``MarginFilter(1.0)``);
- ``margin<=t``: the default "+F" filter at threshold t (label check included).

The labelled plus added rows train the library's SVM, scored by macro-F1 on the test
set, in two ways: ``grid`` searches C and gamma again (the experiments program's
protocol) and ``fixed`` keeps the C and gamma chosen on the labelled rows, with the
added rows weighing ``w`` (``sample_weight``; real rows weigh 1).  Prints a summary of
the change against the SVM alone, in points, and writes every row to CSV.

    python benchmarks/efficacy_image_mode.py --dataset digits --seeds 0 1 2
    python benchmarks/efficacy_image_mode.py --dataset mnist --n-labels 500 --seeds 0 1
"""

import argparse
import time

import numpy as np
from _common import grouped_csv_rows, streamed_csv
from sklearn.base import clone
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from skactivegan import ActiveGANAugmenter, MarginFilter
from skactivegan.datasets import DATASETS, load_dataset
from skactivegan.generators import ConvGenerator
from skactivegan.oracle._oracle import fit_default_oracle

GANS = {"acgan": {"uncertainty_weight": 0.0}, "activegan": {}}
POLICIES = {"all": None, "agree": 1.0, "margin<=0.3": 0.3, "margin<=0.2": 0.2}
WEIGHTS = (1.0, 0.5, 0.25)


def fixed_svm_f1(svm, X, y, weights, X_test, y_test):
    """Refit the calibrated SVM's pipeline with its C and gamma, rows weighted."""
    pipeline = clone(svm.estimator)  # StandardScaler + SVC with the searched C, gamma
    pipeline.fit(X, y, svc__sample_weight=weights)
    return f1_score(y_test, pipeline.predict(X_test), average="macro")


def run(dataset, n_labels, seeds, candidates, max_iter, writer):
    data = load_dataset(dataset)
    X, y = data.data / data.pixel_max, data.target
    shape = (1, *data.image_shape)  # grey images: one channel
    for seed in seeds:
        X_l, X_t, y_l, y_t = train_test_split(X, y, train_size=n_labels, stratify=y,
                                              random_state=seed)
        svm = fit_default_oracle(X_l, y_l, seed)
        f_svm = f1_score(y_t, svm.predict(X_t), average="macro")
        f_svm_fixed = fixed_svm_f1(svm, X_l, y_l, np.ones(len(y_l)), X_t, y_t)
        for gan, params in GANS.items():
            start = time.perf_counter()
            aug = ActiveGANAugmenter(generator=ConvGenerator(shape, width=32),
                                     filter=None, random_state=seed, max_iter=max_iter,
                                     warmup_iter=max_iter // 2, **params)
            aug.fit(X_l, y_l)
            fit_s = time.perf_counter() - start
            X_g, y_g = aug.sample(int(candidates * n_labels))
            agreement = float(np.mean(aug.oracle_.predict(X_g) == y_g))
            for policy, threshold in POLICIES.items():
                if threshold is None:
                    X_k, y_k = X_g, y_g
                else:
                    flt = MarginFilter(threshold=threshold, oracle=aug.oracle_)
                    X_k, y_k = flt.fit_resample(X_g, y_g)
                X_a, y_a = np.vstack([X_l, X_k]), np.r_[y_l, y_k]
                results = {"grid": f1_score(y_t, fit_default_oracle(X_a, y_a, seed)
                                            .predict(X_t), average="macro") - f_svm}
                for w in WEIGHTS:
                    weights = np.r_[np.ones(len(y_l)), np.full(len(y_k), w)]
                    results[f"fixed, w={w:g}"] = (
                        fixed_svm_f1(svm, X_a, y_a, weights, X_t, y_t) - f_svm_fixed)
                for retrain, delta in results.items():
                    writer.writerow(dict(
                        dataset=dataset, n_labels=n_labels, seed=seed, gan=gan,
                        policy=policy, retrain=retrain, kept=len(y_k),
                        delta_points=100 * delta, f1_svm=f_svm, agreement=agreement,
                        fit_seconds=fit_s))
            print(f"{dataset} seed {seed} {gan}: fitted in {fit_s:.0f}s, "
                  f"agreement {agreement:.2f}", flush=True)


def summarise(path):
    groups = grouped_csv_rows(path, ("gan", "policy", "retrain"))
    print(f"\n{'gan':10s} {'policy':12s} {'retrain':12s} {'dF1 (points)':>14s} "
          f"{'kept':>6s} {'wins':>5s}")
    for (gan, policy, retrain), rs in groups.items():
        d = np.array([float(r["delta_points"]) for r in rs])
        kept = np.mean([int(r["kept"]) for r in rs])
        print(f"{gan:10s} {policy:12s} {retrain:12s} {d.mean():+7.2f} ± {d.std():4.2f} "
              f"{kept:6.0f} {int((d > 0).sum()):3d}/{len(d)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=DATASETS, default="digits")
    parser.add_argument("--n-labels", type=int, default=200)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--candidates", type=float, default=1.0,
                        help="generated rows per labelled row (default: 1)")
    parser.add_argument("--max-iter", type=int, default=2000)
    parser.add_argument("--output", default="efficacy_image_mode.csv")
    args = parser.parse_args()
    fields = ["dataset", "n_labels", "seed", "gan", "policy", "retrain", "kept",
              "delta_points", "f1_svm", "agreement", "fit_seconds"]
    with streamed_csv(args.output, fields) as writer:
        run(args.dataset, args.n_labels, args.seeds, args.candidates, args.max_iter,
            writer)
    summarise(args.output)


if __name__ == "__main__":
    main()
