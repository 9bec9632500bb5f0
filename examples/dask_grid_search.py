"""
Grid search on a Dask cluster
=============================

GridSearchCV runs its fits through joblib; joblib's ``dask`` backend sends them
to the workers of a Dask cluster.  Here the cluster is a ``LocalCluster`` on this
machine; to use an existing cluster, give its scheduler's address to ``Client``
instead.  Needs ``pip install "skactivegan[dask]"``.
"""

import joblib
from distributed import Client, LocalCluster
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skactivegan import ActiveGANAugmenter, AugmentedClassifier, MarginFilter

if __name__ == "__main__":  # worker processes import this file: no work at import
    X, y = load_digits(return_X_y=True)
    X, y = X[:200], y[:200]
    oracle = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    model = AugmentedClassifier(
        augmenter=ActiveGANAugmenter(oracle=oracle, filter=MarginFilter(),
                                     max_iter=200, warmup_iter=100, random_state=0),
        classifier=make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
    )
    grid = {
        "augmenter__alpha": [0.3, 0.5, 0.7],
        "augmenter__uncertainty_weight": [1.0, 10.0],
        "augmenter__filter__threshold": [0.1, 0.2, 0.3],
    }
    # One thread a worker: torch would otherwise start a thread per core in each.
    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, \
            Client(cluster) as client:
        print("dashboard:", client.dashboard_link)
        with joblib.parallel_config(backend="dask"):
            search = GridSearchCV(model, grid, cv=3, n_jobs=-1).fit(X, y)
    print("best:", search.best_params_, f"score {search.best_score_:.3f}")
