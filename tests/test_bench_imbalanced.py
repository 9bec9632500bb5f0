"""Smoke run and building blocks of benchmarks/bench_imbalanced.py."""

import csv
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(
            "bench_imbalanced", BENCH / "bench_imbalanced.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(BENCH))


def test_quick_run_writes_every_run_summary_and_figures(bench, tmp_path, capsys):
    methods = ["none", "random", "smote", "borderline", "svmsmote", "adasyn"]
    bench.main(
        [
            "--quick",
            "--boundary",
            "--boundary-methods",
            "smote",
            "borderline",
            "--methods",
            *methods,
            "--output",
            str(tmp_path),
        ]
    )
    with open(tmp_path / "runs.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    # 2 data sets x 1 seed x 6 methods x 2 classifiers
    assert len(rows) == 2 * len(methods) * 2
    assert {r["method"] for r in rows} == set(methods)
    assert all(r["error"] == "" for r in rows)
    for r in rows:
        for metric in bench.METRICS:
            assert 0.0 <= float(r[metric]) <= 1.0
    # the over-samplers balance the training set; no resampling adds nothing
    assert all(int(r["n_added"]) == 0 for r in rows if r["method"] == "none")
    assert all(int(r["n_added"]) > 0 for r in rows if r["method"] == "smote")
    summary = (tmp_path / "summary.md").read_text()
    assert "Mean over data sets" in summary and "issue 14.3" in summary
    for name in (
        "gain_balanced_accuracy",
        "gain_macro_f1",
        "mean_scores",
        "fit_times",
        "boundary",
    ):
        assert (tmp_path / f"{name}.png").stat().st_size > 0
    with open(tmp_path / "boundary.csv", newline="") as f:
        boundary = list(csv.DictReader(f))
    assert [r["method"] for r in boundary[:3]] == [
        "real minority (test)",
        "smote",
        "borderline",
    ]

    # the summary can be rebuilt from the CSV alone
    again = tmp_path / "again"
    bench.main(["--from-csv", str(tmp_path / "runs.csv"), "--output", str(again)])
    assert (again / "summary.md").read_text().split("\n", 3)[3] == summary.split(
        "\n", 3
    )[3]


def test_shared_resampling_equals_the_imblearn_pipeline(bench):
    from imblearn.over_sampling import SMOTE
    from imblearn.pipeline import make_pipeline
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    import _imbalanced_data as data

    X, y, _, _ = data.load("breast_cancer-ir10")
    rows, (_, y_res) = bench.run_cell(
        "breast_cancer-ir10", "tuning", 3, "smote", None, X, y, ["svm"]
    )
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=bench.TEST_SIZE, stratify=y, random_state=3
    )
    pipe = make_pipeline(StandardScaler(), SMOTE(random_state=3), SVC()).fit(X_tr, y_tr)
    expected = bench.scores(y_te, pipe.predict(X_te))
    for metric in bench.METRICS:
        assert rows[0][metric] == pytest.approx(expected[metric])
    assert len(y_res) == len(y_tr) + rows[0]["n_added"]


def test_boundary_measurement_counts_the_minority_rows_added(bench):
    import _imbalanced_data as data

    X, y, X_full, y_full = data.load("wine-imb")
    rows = bench.boundary_measurement(X, y, 0, ["smote", "random"], X_full, y_full)
    by = {r["method"]: r for r in rows}
    counts = np.bincount(bench.split(X, y, 0)[2])
    assert by["smote"]["n"] == counts.max() - counts.min()
    # random over-sampling copies real minority rows: the reference, trained on
    # the full table they come from, labels them all as the minority
    assert by["random"]["reference_agrees"] == 1.0
    for r in rows:
        for col in ("near_boundary", "oracle_agrees", "reference_agrees"):
            assert 0.0 <= r[col] <= 1.0


def test_paired_tests_and_target_check(bench):
    rows = []
    for d in range(4):
        for s in range(2):
            for m, shift in (("none", 0.0), ("smote", 0.05), ("activegan", 0.06)):
                for c in bench.CLASSIFIERS:
                    rows.append(
                        {
                            "dataset": f"d{d}",
                            "seed": s,
                            "method": m,
                            "classifier": c,
                            "balanced_accuracy": 0.7 + shift + 0.01 * d,
                            "g_mean": 0.7,
                            "macro_f1": 0.6 + shift,
                            "sampler_fit_s": 0.1,
                            "classifier_fit_s": 0.1,
                        }
                    )
    tests = bench.paired_tests(rows, "activegan", ["none", "smote"])
    smote_ba = [
        t for t in tests if t["vs"] == "smote" and t["metric"] == "balanced_accuracy"
    ]
    assert smote_ba[0]["W/T/L"] == "8/0/0"
    assert smote_ba[0]["mean diff (points)"] == pytest.approx(1.0)
    table = bench.summary_table(rows, ["none", "smote", "activegan"])
    checks = bench.target_check(table)
    assert len(checks) == 4 and all(c["met"] for c in checks)


def test_quick_run_of_activegan_and_a_variant(bench, tmp_path):
    bench.main(
        [
            "--quick",
            "--datasets",
            "wine-imb",
            "--methods",
            "none",
            "activegan",
            "--variant",
            'acgan={"uncertainty_weight": 0}',
            "--variant",
            'strict={"filter__threshold": 0.5, "oracle": "balanced_svm"}',
            "--output",
            str(tmp_path),
        ]
    )
    with open(tmp_path / "runs.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    methods = ["none", "activegan", "activegan[acgan]", "activegan[strict]"]
    assert [r["method"] for r in rows[::2]] == methods
    assert all(r["error"] == "" for r in rows), [r["error"] for r in rows]
    counts = np.bincount(bench.split(*bench.data.load("wine-imb")[:2], 0)[2])
    asked = int((counts.max() - counts).sum())
    for r in rows[2:]:
        # 20 iterations: the rows asked for, or fewer with the budget warning
        added = int(r["n_added"])
        assert added == asked or (
            added < asked and "GenerationBudgetWarning" in r["warnings"]
        )
        assert float(r["sampler_fit_s"]) > 0


def test_named_oracle_and_nested_parameters(bench):
    sampler = bench.make_sampler(
        "activegan[x]", 3, {"oracle": "balanced_svm", "filter__threshold": 0.4}
    )
    assert sampler.get_params()["filter__threshold"] == 0.4
    assert sampler.oracle.class_weight == "balanced"
    assert sampler.random_state == 3 and sampler.sampling_strategy == "auto"
    with pytest.raises(ValueError, match="unknown oracle"):
        bench.make_sampler("activegan", 0, {"oracle": "nope"})
