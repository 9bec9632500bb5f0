"""
Tuning α, λ and the filter threshold in a pipeline
==================================================

:class:`skactivegan.AugmentedClassifier` puts augmentation and the final
classifier in one estimator, so that it fits in scikit-learn's own
:class:`~sklearn.pipeline.Pipeline` and its grid-search keys reach both parts:
``augmenter__filter__threshold`` and ``classifier__C`` here.  ``memory`` caches
the trained GAN, so candidates that differ only in the threshold (or the
classifier) do not train it again.
"""

import tempfile
import warnings

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skactivegan import ActiveGANAugmenter, AugmentedClassifier, MarginFilter
from skactivegan.exceptions import GenerationBudgetWarning

# %%
# The search
# ----------
# Candidates that differ only in the threshold or in ``C`` reuse the GAN trained
# for their fold and λ from the ``memory`` cache.

X, y = load_digits(return_X_y=True)
X, y = X[:200], y[:200]  # few labels: where augmentation can matter
oracle = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))

with tempfile.TemporaryDirectory() as cache:
    augmenter = ActiveGANAugmenter(oracle=oracle, filter=MarginFilter(), memory=cache,
                                   random_state=0)
    model = make_pipeline(StandardScaler(),
                          AugmentedClassifier(augmenter=augmenter, classifier=SVC()))
    grid = {
        "augmentedclassifier__augmenter__uncertainty_weight": [0.0, 1.0],
        "augmentedclassifier__augmenter__filter__threshold": [0.1, 0.5],
        "augmentedclassifier__classifier__C": [1.0, 10.0],
    }
    search = GridSearchCV(model, grid, cv=StratifiedKFold(3), scoring="f1_macro")
    # A candidate whose threshold lets fewer rows pass than were asked for is
    # trained on what passed, and scored as such; its warning, repeated for
    # every fold, is left out of this page.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GenerationBudgetWarning)
        search.fit(X, y)
    n_kept = search.best_estimator_[-1].n_generated_

# %%
# The results
# -----------
# Mean and standard deviation of macro-F1 over the three folds, for each
# candidate.

results = search.cv_results_
for params, mean, std in zip(results["params"], results["mean_test_score"],
                             results["std_test_score"]):
    short = {key.split("__", 1)[1]: value for key, value in params.items()}
    print(f"{mean:.3f} +/- {std:.3f}  {short}")
print("best:", {key.split("__", 1)[1]: v for key, v in search.best_params_.items()})
print(f"generated rows in the best model's training set: {n_kept}")

# %%
# The same scores as a figure; the best candidate is circled in red.

names = {"uncertainty_weight": "λ", "threshold": "threshold", "C": "C"}
labels = [", ".join(f"{names[key.rsplit('__', 1)[1]]}={value:g}"
                    for key, value in params.items())
          for params in results["params"]]
fig, ax = plt.subplots(figsize=(6, 3))
rows = range(len(labels))
ax.errorbar(results["mean_test_score"], rows, xerr=results["std_test_score"],
            fmt="o", capsize=3)
best = search.best_index_
ax.plot(results["mean_test_score"][best], best, "o", markersize=11,
        markerfacecolor="none", markeredgecolor="tab:red", zorder=3)
ax.set_yticks(rows, labels)
ax.invert_yaxis()
ax.set_xlabel("macro-F1, mean and standard deviation over 3 folds")
fig.tight_layout()
plt.show()
