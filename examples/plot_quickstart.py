"""
Quick start: augment a small labelled set
=========================================

Train ActiveGAN on 150 labelled digits and append generated rows that the oracle
(the default one, a grid-searched SVM) is unsure about.  The real rows come first,
unchanged; the generated ones follow, with labels in the proportions of the data.
This is the paper's few-labels setting: ``n_samples`` says how many rows to add to
every class together (imbalanced data would use ``sampling_strategy`` instead).
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skactivegan import ActiveGANAugmenter

# %%
# A small labelled set
# --------------------
# 150 of scikit-learn's 8x8 digits for training, the rest for testing.

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=150, stratify=y, random_state=0
)

# %%
# Augment it
# ----------
# The oracle is the classifier whose uncertainty the generator is rewarded for; by
# default a grid-searched, Platt-scaled SVM fitted on the labelled rows.
# On tables the rows are composed from real ones by default (``generator="compose"``)
# and every composed row is kept; here the margin filter ("+F") is asked for: it
# generates its ``candidates_per_row`` (10) candidates per row
# asked for and keeps those the oracle assigns to their own label with the
# smallest margins: the most uncertain rows on the right side of its boundary.  A
# class whose generated rows the oracle rarely assigns to it gets the closest
# candidates instead, with a ``GenerationBudgetWarning`` that says which classes
# and what to change;
# ``MarginFilter(threshold=0.2)`` would add the paper's absolute threshold.

augmenter = ActiveGANAugmenter(
    n_samples=0.5,    # add 0.5 x 150 rows, all of them passing the filter
    filter="margin",
    random_state=0,
)
X_res, y_res = augmenter.fit_resample(X_train, y_train)

n_real, n_generated = len(X_train), len(X_res) - len(X_train)
print(f"real rows: {n_real}, generated rows kept: {n_generated}")
print("real rows unchanged:", bool(np.array_equal(X_res[:n_real], X_train)))
print("labels of the generated rows:", np.bincount(y_res[n_real:], minlength=10))

# %%
# The last record of the training history: the mean reward of the generated batch
# and the fraction of it that the filter would keep.

last = augmenter.history_[-1]
print(f"last iteration: mean reward {last['reward']:.3f}, "
      f"fraction with margin under 0.2 {last['informative']:.2f}")
report = augmenter.generation_report_
print(f"{report.candidates.sum()} candidates for {report.asked.sum()} rows; "
      f"margins of the kept rows: median {np.median(report.kept_margins):.2f}")

# %%
# The first real and the first generated row of each class, as 8x8 images.  A
# composed row is a blend of two real digits of its class, plus a small residual.

fig, axes = plt.subplots(2, 10, figsize=(8, 2))
for digit in range(10):
    real = X_train[y_train == digit][0]
    generated = X_res[n_real:][y_res[n_real:] == digit][0]
    for ax, row in zip(axes[:, digit], [real, generated]):
        ax.imshow(row.reshape(8, 8), cmap="gray_r", vmin=0, vmax=16)
        ax.set_xticks([])
        ax.set_yticks([])
axes[0, 0].set_ylabel("real")
axes[1, 0].set_ylabel("generated")
fig.tight_layout()
plt.show()

# %%
# Does it help?
# -------------
# The same classifier trained on the real rows alone and on the augmented set,
# scored on the held-out digits.  On balanced data, expect a difference of about a
# point either way; see the efficacy page for what is known about when generated
# rows help.

base = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
real_only = base.fit(X_train, y_train).score(X_test, y_test)
augmented = base.fit(X_res, y_res).score(X_test, y_test)
print(f"accuracy, real rows only: {real_only:.3f}")
print(f"accuracy, augmented:      {augmented:.3f}")
