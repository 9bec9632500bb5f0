"""Building blocks of benchmarks/bench_rows.py (its runs take minutes)."""

import numpy as np
import pytest
from conftest import import_benchmark


@pytest.fixture(scope="module")
def bench():
    yield from import_benchmark("bench_rows")


def test_the_recipe_is_the_docs_block_without_its_table(bench):
    source = bench.recipe_source()
    assert "n_rows, sample_rows = 1_000_000, 50_000" in source
    code = bench.recipe_without_data(source)
    names = set(code.co_names)
    # n_rows appears only in the two statements left out; sample_rows is used.
    assert "n_rows" not in names
    assert {"sample_rows", "LocalCluster", "FrozenEstimator", "X_res"} <= names


def test_the_table_is_issue_35s(bench):
    X, y = bench.make_table(1000)
    assert X.shape == (1000, 20)
    assert 0.08 < np.mean(y == 1) < 0.12


def test_summary_ratios_are_taken_repeat_by_repeat(bench):
    runs = [{"seconds": s, "added": 5, "baseline_mib": 1.0, "peak_mib": 2.0,
             "in_out_mib": 0.5} for s in (2.0, 9.0, 4.0)]
    smote = [{"seconds": s} for s in (1.0, 3.0, 1.0)]
    row = bench.summarise(100, "activegan", runs, smote)
    assert row["seconds"] == 4.0 and row["min_s"] == 2.0 and row["max_s"] == 9.0
    assert row["over_smote"] == 3.0  # median of 2, 3 and 4
