"""Grid search over α, λ and the filter threshold on a real Dask cluster.

joblib's ``dask`` backend sends GridSearchCV's fits to the workers of a
``distributed.LocalCluster`` started here; the results must be those of the same
search run in this process.  The recipe of examples/dask_grid_search.py (one
single-threaded worker process per GPU, each with its own ``CUDA_VISIBLE_DEVICES``) is
checked on the CPU.  Skipped when dask.distributed is not installed
(``pip install "skactivegan[dask]"``).
"""

import contextlib
import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from skactivegan import ActiveGANAugmenter, AugmentedClassifier, MarginFilter

distributed = pytest.importorskip("distributed")
joblib = pytest.importorskip("joblib")

X, y = make_classification(n_samples=48, n_features=4, n_informative=3, n_redundant=0,
                           random_state=0)
GRID = {
    "augmenter__alpha": [0.0, 1.0],
    "augmenter__uncertainty_weight": [0.0, 10.0],
    "augmenter__filter__threshold": [0.1, 0.3],
}


def make_search(**kwargs):
    augmenter = ActiveGANAugmenter(max_iter=12, warmup_iter=6,
                                   oracle=LogisticRegression(),
                                   filter=MarginFilter(), random_state=0)
    # The classifier's own threshold: the search is what is checked, not its tuning.
    clf = AugmentedClassifier(augmenter=augmenter, classifier=LogisticRegression(),
                              threshold=None)
    return GridSearchCV(clf, GRID, cv=StratifiedKFold(2), **kwargs)


def assert_same_search(a, b):
    assert a.best_params_ == b.best_params_
    for key in ("params", "mean_test_score", "std_test_score"):
        np.testing.assert_array_equal(np.asarray(a.cv_results_[key]),
                                      np.asarray(b.cv_results_[key]))


def load_example():
    path = Path(__file__).resolve().parents[1] / "examples" / "dask_grid_search.py"
    spec = importlib.util.spec_from_file_location("dask_grid_search_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # the example does its work under __main__ only
    return module


def test_gpu_recipe_gives_each_worker_one_thread_and_its_own_gpu():
    example = load_example()
    spec = example.gpu_worker_spec(["0", "1"])
    assert len(spec) == 2
    for gpu, worker in zip("01", spec.values()):
        assert worker["cls"] is distributed.Nanny  # a process of its own
        assert worker["options"]["nthreads"] == 1
        assert worker["options"]["env"]["CUDA_VISIBLE_DEVICES"] == gpu
    assert isinstance(example.make_search(), GridSearchCV)


@contextlib.contextmanager
def threaded_local_cluster():
    """Two in-process workers, joblib's dask backend on: ``(client, tasks)``."""
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                 dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
        distributed.get_task_stream(client) as tasks,
        joblib.parallel_config(backend="dask"),
    ):
        yield client, tasks


@pytest.fixture(scope="module")
def local_search():
    return make_search().fit(X, y)


def test_grid_search_on_a_local_dask_cluster(local_search):
    with threaded_local_cluster() as (client, tasks):
        search = make_search(n_jobs=-1).fit(X, y)
        assert len(client.scheduler_info()["workers"]) == 2
    # Every fit ran on the cluster: 8 candidates x 2 folds, in batches of calls
    # named "batch_of__fit_and_score_<n>_calls-<hash>".
    # (The key format is joblib's; only the presence of tasks is assumed stable.)
    assert tasks.data
    batches = [re.search(r"_fit_and_score_(\d+)_calls", t["key"]) for t in tasks.data]
    if all(batches):
        assert sum(int(m.group(1)) for m in batches) == 16
    assert_same_search(search, local_search)
    assert search.best_estimator_.predict(X).shape == (len(X),)


@pytest.mark.slow
def test_grid_search_on_worker_processes(local_search):
    """Two worker processes, each with its own interpreter and torch."""
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                 dashboard_address=None) as cluster,
        distributed.Client(cluster),
        joblib.parallel_config(backend="dask"),
    ):
        search = make_search(n_jobs=-1).fit(X, y)
    assert_same_search(search, local_search)


@pytest.mark.slow
def test_grid_search_on_one_worker_process_per_gpu(local_search):
    """The example's cluster, on the CPU: each worker sees the GPU it was given."""
    example = load_example()
    with (
        example.gpu_cluster(["0", "1"], dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
        joblib.parallel_config(backend="dask"),
    ):
        seen = client.run(lambda: __import__("os").environ["CUDA_VISIBLE_DEVICES"])
        threads = client.run(lambda: __import__("torch").get_num_threads())
        search = make_search(n_jobs=-1).fit(X, y)
    assert sorted(seen.values()) == ["0", "1"]
    assert set(threads.values()) == {1}
    assert_same_search(search, local_search)


def test_a_large_table_recipe_oracle_on_all_rows_augmenter_on_a_sample():
    """docs/performance.md's recipe for a table too large to train on: the oracle is
    fitted on every row by the cluster (joblib's dask backend), frozen, and the
    augmenter is fitted on a stratified sample, then asked for the rows the whole
    table needs."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.frozen import FrozenEstimator
    from sklearn.model_selection import train_test_split

    X_all, y_all = make_classification(n_samples=400, n_features=4, n_informative=3,
                                       n_redundant=0, weights=[0.85], random_state=0)
    with threaded_local_cluster() as (_, tasks):
        forest = RandomForestClassifier(n_estimators=8, n_jobs=-1, random_state=0)
        forest.fit(X_all, y_all)
    assert tasks.data  # the trees were built on the cluster
    X_s, _, y_s, _ = train_test_split(X_all, y_all, train_size=120, stratify=y_all,
                                      random_state=0)
    aug = ActiveGANAugmenter(oracle=FrozenEstimator(forest), max_iter=8,
                             warmup_iter=4, random_state=0).fit(X_s, y_s)
    # The oracle is the forest of all rows, not refitted on the sample, and it is
    # evaluated in torch.
    np.testing.assert_array_equal(aug.oracle_.predict_proba(X_all),
                                  forest.predict_proba(X_all))
    assert aug.oracle_backend_ == "torch"
    counts = np.bincount(y_all)
    X_gen, y_gen = aug.sample(int(counts.max() - counts.min()))
    assert len(X_gen) == counts.max() - counts.min()
    assert set(y_gen) == {int(np.argmin(counts))}  # the minority class only


def test_the_large_table_recipe_of_the_docs_runs_as_written():
    """docs/performance.md's Dask recipe, its code block run as it is written but
    for the table's size (its first line of numbers)."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "performance.md").read_text()
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, flags=re.S)
              if "LocalCluster" in b and "FrozenEstimator" in b]
    assert len(blocks) == 1
    sizes = "n_rows, sample_rows = 1_000_000, 50_000\n"
    assert sizes in blocks[0]
    namespace = {}
    exec(blocks[0].replace(sizes, "n_rows, sample_rows = 2_000, 600\n"), namespace)
    X_res, y_res, y_all = namespace["X_res"], namespace["y_res"], namespace["y"]
    counts = np.bincount(y_all)
    assert len(X_res) == len(y_res) == 2_000 + counts.max() - counts.min()
    assert (np.bincount(y_res) == counts.max()).all()  # balanced
    assert namespace["aug"].oracle_backend_ == "torch"
