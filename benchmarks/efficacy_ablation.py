"""Ablation of ActiveGAN's efficacy: which configuration helps a grid-searched SVM?

For each seed, a stratified split of scikit-learn's digits gives ``--n-labels``
labelled rows and a held-out test set.  Each configuration trains one GAN on the
labelled rows (filter off), generates ``5 * n_labels`` candidate rows, and then each
post-hoc filter picks rows to add; the default SVM of the library is retrained on the
labelled plus kept rows ("grid": C and gamma searched again; "fixed": the SVM's own C
and gamma refitted) and scored by macro-F1 on the test set.  Alongside: how many rows
were kept, how often the oracle agrees with the conditioning label, and the
within-class spread of the generated rows against the real one (mode collapse).

Run::

    python benchmarks/efficacy_ablation.py --seeds 0 1 2 --output ablation.csv

Prints a summary table (mean and std over seeds of the macro-F1 change in points).
"""

import argparse
import time

import numpy as np
from _common import grouped_csv_rows, streamed_csv
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from skactivegan import ActiveGANAugmenter
from skactivegan.generators import MLPGenerator
from skactivegan.oracle._oracle import fit_default_oracle, oracle_proba
from skactivegan.reward import MixtureReward
from skactivegan.uncertainty import margin


def _free(normalised, diversity_weight):
    """The free generator, its reward as written (the paper's) or normalised."""
    reward = (MixtureReward() if normalised else MixtureReward(
        reward_normalization="none", log_density_normalization="none"))
    return MLPGenerator(diversity_weight=diversity_weight, reward=reward)


#: Name -> (generator, λ).  The measurements of docs/efficacy.md also had arms with
#: the reward differentiated through the oracle ("pathwise"), removed in 1.0.
CONFIGS = {
    "acgan": (_free(False, 0.0), 0.0),
    "paper": (_free(False, 0.0), 10.0),
    "norm_l10": (_free(True, 0.0), 10.0),
    "norm_l1": (_free(True, 0.0), 1.0),
    "acgan_ms1": (_free(False, 1.0), 0.0),
    "paper_ms1": (_free(False, 1.0), 10.0),
    "norm_l10_ms1": (_free(True, 1.0), 10.0),
    "norm_l1_ms1": (_free(True, 1.0), 1.0),
}


def within_class_spread(X, y):
    """Mean pairwise Euclidean distance between rows of the same class."""
    spreads = []
    for label in np.unique(y):
        rows = X[y == label]
        if len(rows) > 1:
            d = np.linalg.norm(rows[:, None] - rows[None], axis=-1)
            spreads.append(d.sum() / (len(rows) * (len(rows) - 1)))
    return float(np.mean(spreads))


def filters(m, rank, n_labels):
    first = np.arange(len(m)) < n_labels
    return {
        "none (n rows)": first,
        "margin<=0.1": m <= 0.1,
        "margin<=0.2": m <= 0.2,
        "margin<=0.3": m <= 0.3,
        "margin<=0.2, top1": (m <= 0.2) & (rank < 1),
        "margin<=0.3, top1": (m <= 0.3) & (rank < 1),
        "margin<=0.5, top1": (m <= 0.5) & (rank < 1),
        "top1 (n rows)": (rank < 1) & (np.cumsum(rank < 1) <= n_labels),
    }


def run(configs, seeds, n_labels, writer):
    X, y = load_digits(return_X_y=True)
    for seed in seeds:
        X_l, X_t, y_l, y_t = train_test_split(X, y, train_size=n_labels, stratify=y,
                                              random_state=seed)
        svm = fit_default_oracle(X_l, y_l, seed)
        f_svm = f1_score(y_t, svm.predict(X_t), average="macro")
        real_spread = within_class_spread(X_l, y_l)
        for name in configs:
            start = time.perf_counter()
            generator, weight = CONFIGS[name]
            aug = ActiveGANAugmenter(generator=generator, uncertainty_weight=weight,
                                     filter=None, random_state=seed)
            aug.fit(X_l, y_l)
            fit_s = time.perf_counter() - start
            X_g, y_g = aug.sample(5 * n_labels)
            y_index = np.searchsorted(aug.classes_, y_g)
            proba = oracle_proba(aug.oracle_, X_g, aug.classes_)
            m = margin(proba)
            rank = (proba > proba[np.arange(len(proba)), y_index][:, None]).sum(axis=1)
            spread = within_class_spread(X_g, y_g) / real_spread
            for fname, keep in filters(m, rank, n_labels).items():
                for retrain in ("grid", "fixed"):
                    if keep.any():
                        X_a, y_a = np.vstack([X_l, X_g[keep]]), np.r_[y_l, y_g[keep]]
                        clf = (fit_default_oracle(X_a, y_a, seed) if retrain == "grid"
                               else clone(svm).fit(X_a, y_a))
                        f_aug = f1_score(y_t, clf.predict(X_t), average="macro")
                    else:
                        f_aug = f_svm
                    row = dict(seed=seed, config=name, filter=fname, retrain=retrain,
                               kept=int(keep.sum()), f1_svm=f_svm, f1_aug=f_aug,
                               delta_points=100 * (f_aug - f_svm),
                               agreement=float(np.mean(rank == 0)),
                               spread_ratio=spread, fit_seconds=fit_s)
                    writer.writerow(row)
            print(f"seed {seed} {name}: fitted in {fit_s:.0f}s, agreement "
                  f"{np.mean(rank == 0):.2f}, within-class spread {spread:.2f}x real",
                  flush=True)


def summarise(path):
    groups = grouped_csv_rows(path, ("config", "filter", "retrain"))
    print(f"\n{'config':14s} {'filter':20s} {'retrain':7s} {'dF1':>12s} {'kept':>6s} "
          f"{'agree':>6s} {'spread':>6s}")
    for (config, fname, retrain), rs in groups.items():
        d = np.array([float(r["delta_points"]) for r in rs])
        print(f"{config:14s} {fname:20s} {retrain:7s} {d.mean():+6.2f}±{d.std():4.2f} "
              f"{np.mean([int(r['kept']) for r in rs]):6.0f} "
              f"{np.mean([float(r['agreement']) for r in rs]):6.2f} "
              f"{np.mean([float(r['spread_ratio']) for r in rs]):6.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS),
                        choices=list(CONFIGS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--n-labels", type=int, default=200)
    parser.add_argument("--output", default="efficacy_ablation.csv")
    args = parser.parse_args()
    fields = ["seed", "config", "filter", "retrain", "kept", "f1_svm", "f1_aug",
              "delta_points", "agreement", "spread_ratio", "fit_seconds"]
    with streamed_csv(args.output, fields) as writer:
        run(args.configs, args.seeds, args.n_labels, writer)
    summarise(args.output)


if __name__ == "__main__":
    main()
