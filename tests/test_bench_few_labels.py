"""Smoke run and building blocks of benchmarks/bench_few_labels.py."""

import csv

import numpy as np
import pytest
from conftest import import_benchmark


@pytest.fixture(scope="module")
def bench():
    yield from import_benchmark("bench_few_labels")


def test_quick_run_writes_one_row_per_method_and_a_summary(bench, tmp_path):
    bench.main(["--quick", "--methods", "smote,activegan", "--output", str(tmp_path),
                "--params", '{"generator__residual_scale": 0.0}'])
    with open(tmp_path / "few_labels.csv", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == bench.COLUMNS
        rows = list(reader)
    # iris, one seed: the SVM alone, then each method
    assert [r["method"] for r in rows] == ["svm", "smote", "activegan"]
    assert {(r["dataset"], r["seed"], r["n_labels"]) for r in rows} == {
        ("iris", "10", "15")
    }
    assert all(0.0 <= float(r["macro_f1"]) <= 1.0 for r in rows)
    assert float(rows[0]["diff_points"]) == 0.0
    assert float(rows[0]["diff_kept_points"]) == 0.0
    for r in rows[1:]:
        # every class doubled, and the difference is in points against the SVM
        assert int(r["n_added"]) == 15
        assert float(r["diff_points"]) == pytest.approx(
            100 * (float(r["macro_f1"]) - float(r["macro_f1_svm"]))
        )
        # the SVM with the C and gamma kept, against the same SVM alone
        assert float(r["diff_kept_points"]) == pytest.approx(
            100 * (float(r["macro_f1_kept"]) - float(rows[0]["macro_f1_kept"]))
        )
    summary = (tmp_path / "few_labels.md").read_text()
    assert summary.count("mean over tables") == 2
    assert summary.count("Target, activegan") == 2


def test_params_reach_the_activegan_methods_only(bench):
    args = bench.parse_args(["--params", '{"uncertainty_weight": 0}'])
    assert args.params == {"uncertainty_weight": 0}
    rows = bench.run_one("iris", 10, ["smote", "activegan"], max_iter=4,
                         params={"generator__k_neighbors": 2})
    assert [r["method"] for r in rows] == ["svm", "smote", "activegan"]
    with pytest.raises(ValueError, match="k_neighbours"):
        bench.run_one("iris", 10, ["activegan"], max_iter=4,
                      params={"generator__k_neighbours": 2})


def test_split_is_stratified_and_caps_the_test_set(bench):
    X, y = bench.DATASETS["synthetic"][0]()
    X_l, X_t, y_l, y_t = bench.split(X, y, 100, 10)
    assert len(y_l) == 100 and len(y_t) == bench.TEST_CAP
    assert np.bincount(y_l).tolist() == [25, 25, 25, 25]
    assert X_l.shape[1] == X_t.shape[1] == 20


def test_smote_doubles_every_class_with_few_neighbours(bench):
    y = np.repeat([0, 1, 2], [3, 5, 4])
    X = np.random.RandomState(0).normal(size=(len(y), 2))
    sampler = bench.make_sampler("smote", 0, y)
    assert sampler.k_neighbors == 2
    _, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [6, 10, 8]
    with pytest.raises(ValueError, match="unknown method"):
        bench.make_sampler("nope", 0, y)
