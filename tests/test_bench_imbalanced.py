"""Smoke run and building blocks of benchmarks/bench_imbalanced.py."""

import csv
import math

import numpy as np
import pytest
from conftest import import_benchmark


@pytest.fixture(scope="module")
def bench():
    yield from import_benchmark("bench_imbalanced")


def quick_runs(bench, tmp_path, *args):
    """Run the benchmark with ``--quick`` and ``args`` into ``tmp_path``; its runs."""
    bench.main(["--quick", *args, "--output", str(tmp_path)])
    with open(tmp_path / "runs.csv", newline="") as f:
        return list(csv.DictReader(f))


def test_quick_run_writes_every_run_summary_and_figures(bench, tmp_path, capsys):
    methods = ["none", "random", "smote", "borderline", "svmsmote", "adasyn"]
    rows = quick_runs(bench, tmp_path,
                      "--boundary",
                      "--boundary-methods",
                      "smote",
                      "borderline",
                      "--methods",
                      *methods)
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
    import _imbalanced_data as data
    from imblearn.over_sampling import SMOTE
    from imblearn.pipeline import make_pipeline
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

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
    # --seed-offset: the same split, the sampler seeded with seed + offset
    moved, (X_moved, _) = bench.run_cell(
        "breast_cancer-ir10", "tuning", 3, "smote", None, X, y, ["svm"], seed_offset=4
    )
    X_res7 = SMOTE(random_state=7).fit_resample(
        StandardScaler().fit(X_tr).transform(X_tr), y_tr)[0]
    np.testing.assert_allclose(X_moved, X_res7)
    assert moved[0]["n_train"] == rows[0]["n_train"]
    # each run records its draw
    assert rows[0]["seed_offset"] == 0 and moved[0]["seed_offset"] == 4


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
    rows = quick_runs(bench, tmp_path,
                      "--datasets",
                      "wine-imb",
                      "--methods",
                      "none",
                      "activegan",
                      "--variant",
                      'acgan={"uncertainty_weight": 0}',
                      "--variant",
                      'strict={"filter__threshold": 0.5, "oracle": "balanced_svm"}')
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
    again = bench.make_sampler("activegan[x]", 3, {"seed_offset": 7, "max_iter": 5})
    assert again.random_state == 10 and again.max_iter == 5
    with pytest.raises(ValueError, match="unknown oracle"):
        bench.make_sampler("activegan", 0, {"oracle": "nope"})


def test_exact_search_rows_sets_the_composers_limit_for_that_fit_only(bench,
                                                                      monkeypatch):
    import skactivegan.generators._composer as composer

    seen = []
    original = composer._spill_tree_neighbours

    def recording(Zw, n_query, leaf_rows, spill):
        seen.append((len(Zw), leaf_rows))
        return original(Zw, n_query, leaf_rows, spill)

    monkeypatch.setattr(composer, "_spill_tree_neighbours", recording)
    X = np.random.RandomState(0).normal(size=(80, 3))
    y = np.repeat([0, 1], [50, 30])
    params = {"exact_search_rows": 12, "max_iter": 4, "warmup_iter": 2}
    X_res, _ = bench.make_sampler("activegan[s]", 0, params).fit_resample(X, y)
    assert seen == [(30, 12)] and len(X_res) == 100
    assert composer._EXACT_SEARCH_ROWS == 20_000
    bench.make_sampler("activegan", 0, {"max_iter": 4, "warmup_iter": 2}).fit_resample(
        X, y)
    assert len(seen) == 1


# --- the smote-variants leaders, --methods groups, --test-size ------------------------


def test_smote_variants_adapter_real_rows_first_seeded(bench):
    sv = pytest.importorskip("smote_variants")
    import _imbalanced_data as data
    import _smote_variants as adapter
    from imblearn.pipeline import make_pipeline
    from sklearn.svm import SVC

    assert set(bench.SV_LEADERS) == set(adapter.METHODS)
    for name in ("breast_cancer-ir10", "wine-imb"):  # two classes, three classes
        X, y, _, _ = data.load(name)
        X_tr, _, y_tr, _ = bench.split(X, y, 0)
        counts = np.bincount(y_tr)
        for method, cls in adapter.METHODS.items():
            assert hasattr(sv, cls)
            sampler = bench.make_sampler(method, 7)
            assert isinstance(sampler, adapter.SmoteVariantsSampler)
            assert sampler.random_state == 7 and sampler.oversampler == cls
            X_res, y_res = sampler.fit_resample(X_tr, y_tr)
            n_real = len(y_tr) - sampler.n_removed_
            assert len(y_res) == n_real + sampler.n_generated_
            # real rows first, in their order, then generated ones
            np.testing.assert_array_equal(X_res[:n_real], X_tr[sampler.real_indices_])
            np.testing.assert_array_equal(y_res[:n_real], y_tr[sampler.real_indices_])
            assert np.all(np.diff(sampler.real_indices_) > 0)
            new = y_res[n_real:]
            assert sampler.n_generated_ > 0 and np.all(np.isfinite(X_res))
            assert set(new) <= set(np.flatnonzero(counts < counts.max()))
            if method != "polynom_fit_smote":  # star topology: rows per minority row
                assert (
                    np.bincount(new, minlength=len(counts)).tolist()
                    == (counts.max() - counts).tolist()
                )
            # seeded: the same rows again
            X_again, _ = bench.make_sampler(method, 7).fit_resample(X_tr, y_tr)
            np.testing.assert_array_equal(X_res, X_again)
    # usable in imbalanced-learn's pipeline (cloned there)
    pipe = make_pipeline(bench.make_sampler("g_smote", 0), SVC()).fit(X_tr, y_tr)
    assert pipe.score(X_tr, y_tr) > 0.5
    assert logging_silenced()


def logging_silenced():
    import logging

    return logging.getLogger("smote_variants").getEffectiveLevel() >= logging.CRITICAL


def test_smote_variants_adapter_bookkeeping(bench, monkeypatch):
    """Without the package: a method that drops a real row and reorders its output
    (SMOTE-IPF's noise filter) comes back as real rows first, then generated ones."""
    import _smote_variants as adapter

    class Dropping:
        def sample(self, X, y):
            new = X[y == 1][:2] + 0.5
            out_X = np.vstack([X[1:][::-1], new])
            out_y = np.concatenate([y[1:][::-1], [1, 1]])
            return out_X, out_y

    class Module:
        pass

    monkeypatch.setattr(adapter, "import_smote_variants", Module)
    monkeypatch.setattr(adapter.SmoteVariantsSampler, "_make", lambda *a: Dropping())
    X = np.arange(12, dtype=float).reshape(6, 2)
    y = np.array([5, 5, 5, 5, 9, 9])  # labels are coded 0/1 and decoded
    sampler = adapter.SmoteVariantsSampler("Fake")
    X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.n_removed_ == 1 and sampler.n_generated_ == 2
    np.testing.assert_array_equal(sampler.real_indices_, [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(X_res[:5], X[1:])
    np.testing.assert_array_equal(y_res, [5, 5, 5, 9, 9, 9, 9])
    np.testing.assert_array_equal(X_res[5:], X[4:6] + 0.5)

    class Nothing:
        def sample(self, X, y):
            return X.copy(), y.copy()

    monkeypatch.setattr(adapter.SmoteVariantsSampler, "_make", lambda *a: Nothing())
    with pytest.warns(adapter.NoRowsGenerated):
        adapter.SmoteVariantsSampler("Fake").fit_resample(X, y)

    class NaNs:
        def sample(self, X, y):
            return np.vstack([X, [[np.nan, 0.0]]]), np.append(y, 1)

    monkeypatch.setattr(adapter.SmoteVariantsSampler, "_make", lambda *a: NaNs())
    with pytest.raises(ValueError, match="non-finite"):
        adapter.SmoteVariantsSampler("Fake").fit_resample(X, y)


def test_quick_run_of_the_leaders_records_their_runs(bench, tmp_path):
    pytest.importorskip("smote_variants")
    rows = quick_runs(bench, tmp_path,
                      "--datasets",
                      "wine-imb",
                      "--methods",
                      "none",
                      "leaders")
    assert [r["method"] for r in rows[::2]] == ["none", *bench.SV_LEADERS]
    assert all(r["error"] == "" for r in rows), [r["error"] for r in rows]
    assert all(int(r["n_added"]) > 0 for r in rows if r["method"] != "none")
    summary = (tmp_path / "summary.md").read_text()
    # no method is ranked by the best single run of each column any more
    assert "Best over-sampler per column" not in summary
    assert "Average ranks" in summary and "Over-sampler fit time" in summary


def test_a_failing_sampler_is_recorded_not_fatal(bench, monkeypatch):
    import _imbalanced_data as data

    class Broken:
        def fit_resample(self, X, y):
            raise RuntimeError("no luck")

    monkeypatch.setattr(bench, "make_sampler", lambda *a: Broken())
    X, y, _, _ = data.load("wine-imb")
    rows, (_, y_res) = bench.run_cell(
        "wine-imb", "tuning", 0, "lee", None, X, y, ["svm"]
    )
    assert rows[0]["error"] == "fell back to no resampling: RuntimeError: no luck"
    assert rows[0]["n_added"] == 0 and len(y_res) == rows[0]["n_train"]


def test_method_groups_expand_and_unknown_names_are_refused(bench, monkeypatch):
    assert bench.expand_methods(["none", "smote_family", "smote"]) == [
        "none",
        *bench.SMOTE_FAMILY,
    ]
    assert bench.expand_methods(["baselines"]) == list(bench.BASELINES)
    assert bench.expand_methods(["leaders", "activegan[x]"]) == [
        *bench.SV_LEADERS,
        "activegan[x]",
    ]
    assert set(bench.BEST_OF) == {"random", *bench.SMOTE_FAMILY, *bench.SV_LEADERS}
    with pytest.raises(ValueError, match="unknown method 'smoet'"):
        bench.expand_methods(["smoet"])
    monkeypatch.setattr(bench, "smote_variants_installed", lambda: False)
    assert bench.expand_methods(None) == [*bench.IMBLEARN_BASELINES, "activegan",
                                          *bench.REMEDIES, "augmented"]
    with pytest.raises(SystemExit, match="need smote-variants"):
        bench.main(["--methods", "lee", "--output", "unused"])


def test_best_over_sampler_names_a_leader_and_fit_times(bench):
    rows = []
    for d in range(3):
        for m, ba, fit in (
            ("none", 0.70, 0.0),
            ("smote", 0.75, 0.01),
            ("prowsyn", 0.78, 0.05),
            ("activegan", 0.77, 10.0 + d),
        ):
            for c in bench.CLASSIFIERS:
                rows.append(
                    {
                        "dataset": f"d{d}",
                        "seed": 0,
                        "method": m,
                        "classifier": c,
                        "balanced_accuracy": ba,
                        "g_mean": ba,
                        "macro_f1": ba,
                        "sampler_fit_s": fit,
                        "classifier_fit_s": 0.1,
                        "error": "",
                    }
                )
    methods = ["none", "smote", "prowsyn", "activegan"]
    table = bench.summary_table(rows, methods)
    best = bench.best_table(table)
    assert {r["best over-sampler"] for r in best} == {"prowsyn"}
    assert best[0]["runner-up"] == "0.7500 (smote)"
    checks = bench.target_check(table)
    assert [c["best over-sampler"] for c in checks] == ["0.7800 (prowsyn)"] * 4
    assert not any(c["met"] for c in checks)
    # the SMOTE family alone: activegan beats it
    assert all(c["met"] for c in bench.target_check(table, candidates=("smote",)))
    times = {r["method"]: r for r in bench.fit_times(rows, methods)}
    assert times["activegan"]["runs"] == 3 and times["activegan"]["median s"] == 11.0
    assert times["activegan"]["max s"] == 12.0
    assert times["activegan"]["slowest on"] == "d2"


def test_gaps_to_best_and_the_best_chosen_on_one_seed(bench):
    # Two over-samplers, each best in one metric (smote in balanced accuracy,
    # prowsyn in macro-F1); in balanced accuracy prowsyn wins on seed 1 alone.
    scores = {
        ("smote", 0): (0.80, 0.70), ("smote", 1): (0.70, 0.70),
        ("prowsyn", 0): (0.75, 0.74), ("prowsyn", 1): (0.74, 0.74),
        ("activegan", 0): (0.78, 0.73), ("activegan", 1): (0.74, 0.73),
    }
    rows = [
        {"dataset": "d0", "seed": s, "method": m, "classifier": c,
         "balanced_accuracy": ba, "g_mean": ba, "macro_f1": f1,
         "sampler_fit_s": 0.0, "classifier_fit_s": 0.0}
        for (m, s), (ba, f1) in scores.items() for c in bench.CLASSIFIERS
    ]
    table = bench.summary_table(rows, ["smote", "prowsyn", "activegan"])
    gaps = {r["method"]: r for r in bench.gaps_to_best(table)}
    # best balanced accuracy: smote 0.75; best macro-F1: prowsyn 0.74
    assert gaps["smote"]["svm balanced_accuracy"] == pytest.approx(0.0)
    assert gaps["smote"]["worst"] == pytest.approx(-4.0)
    assert gaps["prowsyn"]["worst"] == pytest.approx(-0.5)
    assert gaps["activegan"]["worst"] == pytest.approx(-1.0)
    assert [r["method"] for r in bench.gaps_to_best(table)] == [
        "prowsyn", "activegan", "smote"]
    held = bench.held_out_best(rows)
    assert [r["chosen on seed"] for r in held] == ["0", "1"]
    # chosen on seed 0 (smote), scored on seed 1, where prowsyn's 0.74 is best;
    # chosen on seed 1 (prowsyn), scored on seed 0, where smote's 0.80 is best
    assert held[0]["svm balanced_accuracy"] == pytest.approx(-4.0)
    assert held[1]["svm balanced_accuracy"] == pytest.approx(-5.0)
    assert held[0]["hgb macro_f1"] == pytest.approx(0.0)
    assert bench.held_out_best([r for r in rows if r["seed"] == 0]) == []


def _draw_rows(bench, scores):
    """Result rows from ``{(method, seed_offset, dataset): (ba, f1)}``, seed 0."""
    return [
        {"dataset": d, "seed": 0, "seed_offset": o, "method": m, "classifier": c,
         "balanced_accuracy": ba, "g_mean": ba, "macro_f1": f1,
         "sampler_fit_s": 0.0, "classifier_fit_s": 0.0}
        for (m, o, d), (ba, f1) in scores.items() for c in bench.CLASSIFIERS
    ]


def test_draw_spread_puts_the_best_draw_against_the_mean(bench):
    scores = {
        # three draws of smote on two data sets; the mean over data sets per draw
        # is (0.70, 0.72), (0.74, 0.70), (0.72, 0.74) (balanced accuracy, macro-F1)
        ("smote", 0, "d0"): (0.60, 0.62), ("smote", 0, "d1"): (0.80, 0.82),
        ("smote", 1, "d0"): (0.64, 0.60), ("smote", 1, "d1"): (0.84, 0.80),
        ("smote", 2, "d0"): (0.62, 0.64), ("smote", 2, "d1"): (0.82, 0.84),
        # one draw only: no row
        ("prowsyn", 0, "d0"): (0.70, 0.70), ("prowsyn", 0, "d1"): (0.70, 0.70),
    }
    spread = bench.draw_spread(_draw_rows(bench, scores))
    assert {r["method"] for r in spread} == {"smote"}
    assert [r["column"] for r in spread] == list(bench.TARGET_COLUMNS)
    ba = next(r for r in spread if r["column"] == "svm balanced_accuracy")
    assert ba["draws"] == 3
    assert ba["mean"] == pytest.approx(72.0)
    assert ba["best"] == pytest.approx(74.0) and ba["worst"] == pytest.approx(70.0)
    assert ba["best - mean"] == pytest.approx(2.0)
    assert ba["sd"] == pytest.approx(2.0)
    # no draw is the best in both metrics
    assert ba["top in all"] == 0
    # rows of CSV files without the column are one draw; draws that ran on
    # different data sets are not compared
    old = [{k: v for k, v in r.items() if k != "seed_offset"}
           for r in _draw_rows(bench, scores)]
    assert bench.draw_spread(old) == []
    partial = {k: v for k, v in scores.items() if k != ("smote", 2, "d1")}
    assert bench.draw_spread(_draw_rows(bench, partial)) == []


def test_target_by_draw_counts_the_combinations_of_one_draw_per_method(bench):
    # activegan has two draws: one ahead of smote's only draw in both metrics by
    # 2 points, one behind it; prowsyn's two draws are always behind both.
    scores = {
        ("activegan", 0, "d0"): (0.82, 0.82), ("activegan", 1, "d0"): (0.70, 0.70),
        ("smote", 0, "d0"): (0.80, 0.80),
        ("prowsyn", 0, "d0"): (0.60, 0.60), ("prowsyn", 1, "d0"): (0.65, 0.65),
        ("none", 0, "d0"): (0.99, 0.99),  # not an over-sampler: not counted
    }
    chance = {r["method"]: r for r in bench.target_by_draw(_draw_rows(bench, scores))}
    assert set(chance) == {"activegan", "smote", "prowsyn"}
    assert chance["activegan"]["draws"] == 2
    assert chance["activegan"]["at least the best (% of runs)"] == pytest.approx(50.0)
    # smote meets it whenever activegan's weaker draw is the one run
    assert chance["smote"]["at least the best (% of runs)"] == pytest.approx(50.0)
    assert chance["prowsyn"]["at least the best (% of runs)"] == 0.0
    # the whole target (2 points ahead in both columns): about half the samples
    whole = chance["activegan"]["and 1 point ahead in one (% of runs)"]
    assert 45.0 < whole < 55.0
    assert chance["smote"]["and 1 point ahead in one (% of runs)"] == pytest.approx(
        100 - whole)
    # a single draw of every method: nothing to combine
    single = {k: v for k, v in scores.items() if k[1] == 0}
    assert bench.target_by_draw(_draw_rows(bench, single)) == []


def test_paired_tests_count_the_draws_of_a_pair_once(bench):
    scores = {
        ("activegan", 0, "d0"): (0.70, 0.70), ("activegan", 7, "d0"): (0.80, 0.70),
        ("smote", 0, "d0"): (0.72, 0.70),
    }
    tests = bench.paired_tests(_draw_rows(bench, scores), "activegan", ["smote"])
    ba = next(t for t in tests if t["metric"] == "balanced_accuracy")
    # the pair's mean over the two draws (0.75) against smote's 0.72
    assert ba["pairs"] == 1 and ba["W/T/L"] == "1/0/0"
    assert ba["mean diff (points)"] == pytest.approx(3.0)


def test_test_size_option_changes_the_split(bench, tmp_path):
    import _imbalanced_data as data

    X, y, _, _ = data.load("wine-imb")
    # 105 rows: 32 test rows at the default 0.3, 53 at 0.5
    assert len(bench.split(X, y, 0)[3]) == 32
    assert len(bench.split(X, y, 0, test_size=0.5)[3]) == int(np.ceil(0.5 * len(y)))
    rows, _ = bench.run_cell(
        "wine-imb", "tuning", 0, "smote", None, X, y, ["svm"], test_size=0.5
    )
    assert rows[0]["test_size"] == 0.5
    assert rows[0]["n_train"] == len(y) - int(np.ceil(0.5 * len(y)))
    assert bench.parse_args(["--test-size", "0.25"]).test_size == 0.25
    assert bench.parse_args([]).test_size == bench.TEST_SIZE == 0.3
    for bad in ("0", "1", "1.5"):
        with pytest.raises(SystemExit):
            bench.parse_args(["--test-size", bad])
    rows = quick_runs(bench, tmp_path,
                      "--datasets",
                      "wine-imb",
                      "--methods",
                      "none",
                      "smote",
                      "--test-size",
                      "0.4")
    assert {r["test_size"] for r in rows} == {"0.4"}
    assert "test size 0.4" in (tmp_path / "summary.md").read_text()


def test_remedies_are_scikit_learns_own_on_binary_tables(bench):
    import _imbalanced_data as data
    from sklearn.model_selection import TunedThresholdClassifierCV
    from sklearn.svm import SVC

    X, y, _, _ = data.load("breast_cancer-ir10")
    X_tr, X_te, y_tr, y_te = bench.split(X, y, 1)
    rows, (_, y_res) = bench.run_cell(
        "breast_cancer-ir10", "tuning", 1, "class_weight+threshold", None, X, y,
        ["svm"])
    assert len(y_res) == len(y_tr) and rows[0]["n_added"] == 0
    assert rows[0]["n_classes"] == 2 and rows[0]["note"] == ""
    for metric, scoring in bench.TUNED_FOR.items():
        model = TunedThresholdClassifierCV(
            SVC(class_weight="balanced"), scoring=scoring).fit(X_tr, y_tr)
        assert rows[0][metric] == pytest.approx(
            bench.scores(y_te, model.predict(X_te))[metric])
    # G-mean: scored on the model tuned for balanced accuracy
    model = TunedThresholdClassifierCV(
        SVC(class_weight="balanced"), scoring="balanced_accuracy").fit(X_tr, y_tr)
    assert rows[0]["g_mean"] == pytest.approx(
        bench.scores(y_te, model.predict(X_te))["g_mean"])


def test_on_more_classes_the_threshold_is_left_alone_and_said_so(bench):
    import _imbalanced_data as data

    X, y, _, _ = data.load("wine-imb")
    none, _ = bench.run_cell("wine-imb", "tuning", 0, "none", None, X, y, ["svm"])
    thr, _ = bench.run_cell("wine-imb", "tuning", 0, "threshold", None, X, y, ["svm"])
    for metric in bench.METRICS:
        assert thr[0][metric] == none[0][metric]
    assert "binary thresholds only" in thr[0]["note"]
    assert thr[0]["n_classes"] == 3


def test_holm_adjusts_step_down_and_keeps_the_order(bench):
    np.testing.assert_allclose(bench.holm([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06])
    adjusted = bench.holm([0.5, float("nan"), 0.001])
    assert adjusted[2] == pytest.approx(0.002) and adjusted[0] == 0.5
    assert np.isnan(adjusted[1])
    assert bench.wilcoxon_p([0.0, 0.0, 0.0]) == 1.0
    assert np.isnan(bench.wilcoxon_p([1.0]))


def _stat_rows(bench, scores, seeds=range(3)):
    """Rows from ``{method: [score per data set]}``, the same on every seed but a
    seed-dependent nudge; both columns of both classifiers alike."""
    return [
        {"dataset": f"d{d}", "seed": s, "seed_offset": 0, "method": m,
         "classifier": c, "balanced_accuracy": v + 0.001 * s, "g_mean": v,
         "macro_f1": v + 0.001 * s, "sampler_fit_s": 0.0, "classifier_fit_s": 0.1,
         "n_classes": 2}
        for m, values in scores.items() for d, v in enumerate(values)
        for s in seeds for c in bench.CLASSIFIERS
    ]


def test_average_ranks_friedman_and_the_best_ranked_against_the_rest(bench):
    scores = {
        "none": [0.60, 0.61, 0.62, 0.63, 0.64, 0.65],
        # smote ahead of class_weight on d0 only
        "smote": [0.72, 0.69, 0.72, 0.73, 0.74, 0.75],
        "class_weight": [0.71, 0.72, 0.73, 0.74, 0.75, 0.76],
    }
    rows = _stat_rows(bench, scores)
    methods = list(scores)
    ranks, tests = bench.average_ranks(rows, methods)
    assert [r["method"] for r in ranks] == ["class_weight", "smote", "none"]
    col = "svm balanced_accuracy"
    by = {r["method"]: r for r in ranks}
    assert by["class_weight"][col] == pytest.approx(7 / 6)
    assert by["none"][col] == 3.0
    assert by["smote"][col] == pytest.approx((2 * 5 + 1) / 6)
    test = next(t for t in tests if t["column"] == col)
    assert test["data sets"] == 6 and test["Friedman p"] < 0.01
    # Demšar's critical difference for k = 3 methods, N = 6 data sets: 2.343 * 0.577
    assert test["Nemenyi CD"] == pytest.approx(2.343 * math.sqrt(3 * 4 / 36), rel=1e-3)
    versus = [r for r in bench.against_best(rows, methods) if r["column"] == col]
    assert {r["best-ranked"] for r in versus} == {"class_weight"}
    assert next(r for r in versus if r["method"] == "smote")["W/T/L"] == "3/0/15"
    none = next(r for r in versus if r["method"] == "none")
    assert none["W/T/L"] == "0/0/18" and none["within noise"] == "no"
    assert none["Holm p"] == pytest.approx(2 * min(none["wilcoxon p"], 0.5))


def test_the_library_target_names_the_best_remedy_and_holm_adjusts(bench):
    scores = {
        "smote": [0.70, 0.71, 0.72, 0.73, 0.74, 0.75],
        "threshold": [0.74, 0.75, 0.76, 0.77, 0.78, 0.79],
        "augmented": [0.738, 0.748, 0.758, 0.768, 0.778, 0.788],
    }
    rows = _stat_rows(bench, scores)
    target = bench.library_target(rows, list(scores))
    assert [t["column"] for t in target] == list(bench.TARGET_COLUMNS)
    first = target[0]
    assert first["best remedy"].endswith("(threshold)")
    assert first["gap (points)"] == pytest.approx(-0.2)
    assert first["within 0.5"] == "yes"
    assert first["vs smote (points)"] == pytest.approx(3.8)
    assert first["W/T/L vs smote"] == "18/0/0"
    assert first["Holm p vs smote"] == pytest.approx(4 * first["p vs smote"])
    assert first["ahead of smote"] == "yes"
    assert bench.library_target(rows, ["smote", "threshold"]) == []


def test_quick_run_of_the_remedies_and_the_librarys_classifier(bench, tmp_path):
    rows = quick_runs(bench, tmp_path, "--datasets", "breast_cancer-ir10",
                      "--methods", "none", "smote", "remedies", "augmented")
    methods = ["none", "smote", *bench.REMEDIES, "augmented"]
    assert [r["method"] for r in rows[::2]] == methods
    assert all(r["error"] == "" for r in rows), [r["error"] for r in rows]
    augmented = [r for r in rows if r["method"] == "augmented"]
    assert all(int(r["n_added"]) > 0 and float(r["classifier_fit_s"]) > 0
               for r in augmented)
    summary = (tmp_path / "summary.md").read_text()
    for title in ("Average ranks", "against the best-ranked",
                  "against the best remedy and SMOTE"):
        assert title in summary
