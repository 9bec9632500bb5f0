"""
Grid search on a Dask cluster, one GPU per worker
=================================================

GridSearchCV runs its fits through joblib; joblib's ``dask`` backend sends them to the
workers of a Dask cluster.  With several GPUs the conventional recipe (skorch's, for
instance) is **one single-threaded worker process per GPU**, each started with
``CUDA_VISIBLE_DEVICES`` naming its own GPU: every fit then sees exactly one GPU, as
``cuda:0``, and ``device="auto"`` picks it; one thread per worker means one fit per
GPU at a time, and no worker's CPU threads competing with another's.

On one machine, :func:`gpu_cluster` below starts such workers (a
``distributed.SpecCluster`` of ``Nanny`` processes, each with its own environment).
On several machines, start the same workers from the command line, one per GPU, and
give the scheduler's address to ``Client``::

    dask scheduler                                   # prints tcp://HOST:8786
    CUDA_VISIBLE_DEVICES=0 dask worker tcp://HOST:8786 --nworkers 1 --nthreads 1
    CUDA_VISIBLE_DEVICES=1 dask worker tcp://HOST:8786 --nworkers 1 --nthreads 1

Without a GPU, the script runs the same search on two CPU workers.  Run it as
``python examples/dask_grid_search.py [--gpus N]``; it needs
``pip install "skactivegan[dask]"``.  The test suite checks this recipe on a CPU
(tests/test_dask.py).
"""

# sphinx_gallery_thumbnail_path = "results-figures/figure3_informative.png"

import argparse

import joblib
import torch
from distributed import Client, Nanny, Scheduler, SpecCluster
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skactivegan import ActiveGANAugmenter, AugmentedClassifier, MarginFilter


def gpu_worker_spec(devices):
    """Worker specification: one single-threaded worker process per device.

    Parameters
    ----------
    devices : list of str
        One entry per worker: the value of its ``CUDA_VISIBLE_DEVICES`` (a GPU
        index such as ``"0"``, or ``""`` for a worker that sees no GPU).

    Returns
    -------
    spec : dict
        ``SpecCluster``'s ``workers`` argument.
    """
    return {
        f"gpu-{i}" if device else f"cpu-{i}": {
            "cls": Nanny,
            "options": {
                "nthreads": 1,
                # Read by CUDA when torch first uses it, in the worker process.
                "env": {"CUDA_VISIBLE_DEVICES": device, "OMP_NUM_THREADS": "1"},
            },
        }
        for i, device in enumerate(devices)
    }


def gpu_cluster(devices, dashboard_address=":8787"):
    """A local cluster with one single-threaded worker per entry of ``devices``."""
    scheduler = {"cls": Scheduler, "options": {"dashboard_address": dashboard_address}}
    return SpecCluster(workers=gpu_worker_spec(devices), scheduler=scheduler)


def make_search():
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
    return GridSearchCV(model, grid, cv=3, n_jobs=-1)


if __name__ == "__main__":  # worker processes import this file: no work at import
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--gpus", type=int, default=torch.cuda.device_count(),
                        help="GPUs to use, one worker each (default: all; 0: CPU)")
    args = parser.parse_args()
    devices = [str(i) for i in range(args.gpus)] or ["", ""]

    X, y = load_digits(return_X_y=True)
    X, y = X[:200], y[:200]
    with gpu_cluster(devices) as cluster, Client(cluster) as client:
        print("dashboard:", client.dashboard_link)
        visible = client.run(lambda: __import__("os").environ["CUDA_VISIBLE_DEVICES"])
        print("workers see CUDA_VISIBLE_DEVICES =", sorted(visible.values()))
        with joblib.parallel_config(backend="dask"):
            search = make_search().fit(X, y)
    print("best:", search.best_params_, f"score {search.best_score_:.3f}")
