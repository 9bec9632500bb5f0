import argparse
import csv
import importlib
import io
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.linear_model import LogisticRegression

from skactivegan.experiments import evaluate
from skactivegan.experiments._evaluate import (
    add_arguments,
    choose_methods,
    remedy_methods,
    run,
    skipped_methods,
)
from skactivegan.experiments._methods import (
    OverSamplerAugmentation,
    SMOTEAugmentation,
    SplitContext,
    smote_rows,
)
from skactivegan.experiments._report import (
    Document,
    comparisons,
    holm,
    method_cost,
    recommend,
    verdict,
)
from skactivegan.experiments._stats import compare, verdict_phrase

TINY_GAN = {"generator__k_neighbors": 3}
FAST = LogisticRegression(max_iter=300)

rng = np.random.RandomState(0)
X_NUM = np.vstack([rng.normal(0, 1, (24, 3)), rng.normal(2, 1, (24, 3))])
Y_NUM = np.repeat(["a", "b"], 24)


# ---------------------------------------------------------------- statistics
def test_corrected_t_test_matches_its_formula_and_scipy_without_correction():
    d = np.array([1.0, -0.5, 2.0, 0.5, 1.5])
    plain = compare(d)
    assert plain.p_value == pytest.approx(stats.ttest_1samp(d, 0.0).pvalue)
    corrected = compare(d, test_train_ratio=0.25)
    se = d.std(ddof=1) * np.sqrt(1 / 5 + 0.25)
    t = d.mean() / se
    assert corrected.p_value == pytest.approx(2 * stats.t.sf(t, df=4))
    half = stats.t.ppf(0.975, df=4) * se
    assert (corrected.ci_low, corrected.ci_high) == pytest.approx(
        (d.mean() - half, d.mean() + half))
    # The correction only widens the interval.
    assert corrected.ci_high - corrected.ci_low > plain.ci_high - plain.ci_low
    assert corrected.p_value > plain.p_value


def test_verdict_does_not_overstate():
    unclear = compare([0.5, -0.2, 0.1, 0.3, -0.1], test_train_ratio=0.25)
    assert not unclear.measurable
    assert "no measurable difference" in verdict_phrase("SMOTE", unclear)
    better = compare([2.0, 2.5, 3.0, 2.2, 2.8], test_train_ratio=0.25)
    worse = compare([-2.0, -2.5, -3.0, -2.2, -2.8], test_train_ratio=0.25)
    assert better.measurable and verdict_phrase("X", better).startswith("X: better")
    assert verdict_phrase("X", worse).startswith("X: worse")
    line = verdict({"A": unclear, "B": better}, "none")
    assert "\n" not in line and line.index("B: better") < line.index("A: no measurable")
    assert "not enough splits" in verdict_phrase("X", compare([1.0]))


def test_comparisons_are_paired_by_split():
    runs = [{"split": s, "method": m, "f1": f} for s, m, f in [
        (0, "none", 0.8), (1, "none", 0.9), (0, "S", 0.85), (1, "S", 0.9)]]
    c = comparisons(runs, ["none", "S"], "none")["S"]
    assert c.n == 2 and c.mean == pytest.approx(2.5)


# ------------------------------------------------------------------- methods
def test_smote_adds_as_many_rows_as_training_rows_in_proportion():
    # The SMOTE size is its own parameter, not a count left over from a GAN.
    X = rng.normal(size=(30, 2))
    y = np.repeat([0, 1], [20, 10])
    ctx = SplitContext(X=X, y=y, X_test=X, y_test=y, seed=0, classifier=None,
                       gan_params={})
    added = SMOTEAugmentation().augment(ctx)
    np.testing.assert_array_equal(np.bincount(added.y), [20, 10])
    over = SMOTEAugmentation(mode="oversample").augment(ctx)
    np.testing.assert_array_equal(np.bincount(over.y, minlength=2), [0, 10])


def test_smote_rows_are_imbalanced_learns_own():
    # The paper's protocol must stay reproducible: SMOTE's rows are exactly those of
    # imbalanced-learn's SMOTE with the protocol's settings.
    from imblearn.over_sampling import SMOTE

    X, y = X_NUM[:30], np.repeat([0, 1], [20, 10])
    X_new, y_new = smote_rows(X, y, n_new=15, seed=3)
    X_res, y_res = SMOTE(sampling_strategy={0: 30, 1: 15}, k_neighbors=5,
                         random_state=3).fit_resample(X, y)
    np.testing.assert_array_equal(X_new, X_res[30:])
    np.testing.assert_array_equal(y_new, y_res[30:])


def test_every_over_sampler_brings_the_minority_up_and_records_the_rows_asked():
    X = rng.normal(size=(30, 2))
    y = np.repeat([0, 1], [20, 10])
    ctx = SplitContext(X=X, y=y, X_test=X, y_test=y, seed=0, classifier=None,
                       gan_params={})
    for sampler in ("SMOTE", "Borderline-SMOTE", "ADASYN", "SVM-SMOTE", "ROS"):
        added = OverSamplerAugmentation(sampler, sampler=sampler,
                                        mode="oversample").augment(ctx)
        assert added.info["n_asked"] == 10 and set(added.y) <= {1}
        if sampler in ("SMOTE", "ROS"):  # exact counts
            assert len(added.y) == 10
        few = OverSamplerAugmentation(sampler, sampler=sampler).augment(ctx)
        assert few.info["n_asked"] == 30 and set(few.y) <= {0, 1}


def test_choose_methods():
    names = [m.name for m in choose_methods("auto", Y_NUM, 0.2)]
    assert names == ["none", "SMOTE", "Borderline-SMOTE", "ADASYN", "SVM-SMOTE",
                     "AC-GAN", "ActiveGAN"]
    assert [m.name for m in choose_methods(["smote"], Y_NUM, 0.2)] == ["none", "SMOTE"]
    assert [m.name for m in choose_methods(["adasyn", "ROS"], Y_NUM, None)] == [
        "none", "ADASYN", "ROS"]
    with pytest.raises(ValueError, match="Unknown method.*'SMOOTE'"):
        choose_methods(["SMOOTE"], Y_NUM, 0.2)


def test_imbalanced_data_adds_the_over_sampling_variants():
    y = np.repeat([0, 1], [30, 10])
    names = [m.name for m in choose_methods("auto", y, 0.2)]
    assert names[-9:-2] == ["SMOTE-OS", "Borderline-SMOTE-OS", "ADASYN-OS",
                            "SVM-SMOTE-OS", "ROS-OS", "AC-GAN-OS", "ActiveGAN-OS"]
    # and the remedies that change the classifier (the default SVM weights its
    # classes already)
    assert names[-2:] == ["threshold", "AugmentedClassifier"]
    assert "ROS" not in names  # copies only re-weight rows when every class gets them


def test_categorical_tables_skip_the_numeric_over_samplers():
    y = np.repeat([0, 1], [30, 10])
    names = [m.name for m in choose_methods("auto", y, None, ["colour"])]
    assert names == ["none", "SMOTE", "AC-GAN", "ActiveGAN", "SMOTE-OS", "ROS-OS",
                     "AC-GAN-OS", "ActiveGAN-OS", "threshold", "AugmentedClassifier"]
    skipped = skipped_methods("auto", y, ["colour"])
    assert set(skipped) == {"Borderline-SMOTE", "ADASYN", "SVM-SMOTE",
                            "Borderline-SMOTE-OS", "ADASYN-OS", "SVM-SMOTE-OS",
                            "class_weight", "class_weight+threshold"}
    assert "categorical columns (colour)" in skipped["ADASYN"]
    assert set(skipped_methods("auto", y, [])) == {"class_weight",
                                                   "class_weight+threshold"}
    assert skipped_methods(["SMOTE"], y, ["colour"]) == {}
    with pytest.raises(ValueError, match="ADASYN interpolate numeric columns only.*"
                                         r"\(colour\).*SMOTENC"):
        choose_methods(["SMOTE", "ADASYN"], y, None, ["colour"])


# ------------------------------------------------------------------ evaluate
@pytest.fixture(scope="module")
def tiny_evaluation(tmp_path_factory):
    out = tmp_path_factory.mktemp("evaluation")
    ev = evaluate(X_NUM, Y_NUM, classifier=FAST, n_splits=3, max_iter=8,
                  gan_params=TINY_GAN, verbose=0, output=out)
    return ev, out


def test_evaluate_runs_every_method_on_every_split(tiny_evaluation):
    ev, _ = tiny_evaluation
    assert ev.methods == ["none", "SMOTE", "Borderline-SMOTE", "ADASYN", "SVM-SMOTE",
                          "AC-GAN", "ActiveGAN"]
    assert len(ev.runs) == 3 * 7
    assert {(r["split"], r["method"]) for r in ev.runs} == {
        (s, m) for s in range(3) for m in ev.methods}
    smote = [r for r in ev.runs if r["method"] == "SMOTE"]
    assert all(r["n_added"] == r["n_train"] for r in smote)
    for r in ev.runs:
        assert 0 <= r["f1"] <= 1 and r["classifier_seconds"] >= 0
        if r["method"] == "none":
            assert np.isnan(r["n_asked"]) and r["n_added"] == 0
        else:  # every method asked for as many rows as training rows
            assert r["n_asked"] == r["n_train"]
        if "GAN" in r["method"]:  # the library's defaults: every row kept
            assert r["n_added"] == r["n_candidates"] == r["n_train"]
    assert set(ev.comparisons) == set(ev.methods[1:])
    assert ev.test_train_ratio == pytest.approx(0.5, abs=0.05)
    assert ev.verdict.startswith("Against none (macro F1): ")
    assert ev.skipped == {}


def test_the_report_says_when_an_over_sampler_made_other_counts(tmp_path):
    # Class 2 lies far from the others: no row of it is in danger for
    # Borderline-SMOTE, and ADASYN's weights are undefined there.
    X = np.vstack([X_NUM[:36], rng.normal(40, 1, (18, 3))])
    y = np.repeat([0, 1, 2], 18)
    ev = evaluate(X, y, classifier=FAST, methods=["Borderline-SMOTE", "ADASYN"],
                  n_splits=2, verbose=0, output=tmp_path)
    for r in ev.runs:
        if r["method"] != "none":
            assert r["n_added"] < r["n_asked"] == r["n_train"]
    md = (tmp_path / "report.md").read_text()
    # Both methods' rows: fewer than the 27 asked on each split's 27 training rows.
    assert len(re.findall(r"\| \d+(?:\.\d)? of 27 asked \|", md)) == 2
    assert "a class with none gets none" in md and "runs class by class" in md


def test_the_filtered_gans_rank_their_candidates_by_margin(tmp_path):
    ev = evaluate(X_NUM, Y_NUM, classifier=FAST,
                  methods=["ActiveGAN", "AC-GAN+F", "ActiveGAN+F"], n_splits=2,
                  max_iter=8, gan_params=TINY_GAN, verbose=0, output=tmp_path)
    for r in ev.runs:
        assert r["filtered"] == r["method"].endswith("+F")
        if r["filtered"]:  # the ranked margin filter, no absolute threshold
            assert np.isnan(r["threshold"]) and r["n_candidates"] >= r["n_added"]
            assert r["n_added"] == r["n_train"] or r["budget_exhausted"]
    # The report's threshold column says which rows were filtered.
    md = (tmp_path / "report.md").read_text()
    assert re.search(r"\| ActiveGAN \|[^\n]*\| none \|", md)
    assert re.search(r"\| ActiveGAN\+F \|[^\n]*\| ranked \|", md)
    # The legend explains both words; no filter, no threshold line in the figure.
    assert 'Threshold "ranked"' in md and 'Threshold "none"' in md
    unfiltered = evaluate(X_NUM, Y_NUM, classifier=FAST, methods=["ActiveGAN"],
                          n_splits=2, max_iter=8, gan_params=TINY_GAN, verbose=0,
                          output=tmp_path / "plain")
    plain = (tmp_path / "plain" / "report.md").read_text()
    assert 'Threshold "ranked"' not in plain and "dashed line" not in plain
    assert unfiltered.runs


def test_an_absolute_threshold_records_the_rows_that_passed():
    ev = evaluate(X_NUM, Y_NUM, classifier=FAST, methods=["ActiveGAN+F"], n_splits=2,
                  threshold=0.05, max_iter=8, gan_params=TINY_GAN, verbose=0)
    for r in ev.runs:
        if r["method"] == "ActiveGAN+F":
            assert r["threshold"] == 0.05
            assert r["n_added"] == r["n_train"] or r["budget_exhausted"]


def test_evaluate_writes_a_self_contained_report(tiny_evaluation):
    ev, out = tiny_evaluation
    page = (out / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 3
    assert not re.search(r'src="(?!data:)', page)  # nothing to fetch
    md = (out / "report.md").read_text()
    assert ev.verdict in md
    for name in ("scores", "projection", "margins"):
        assert f"figures/{name}.png" in md
        assert (out / "figures" / f"{name}.png").exists()
    with open(out / "runs.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(ev.runs) and {"method", "f1", "n_added"} <= set(rows[0])
    assert (out / "summary.csv").read_text().count("\n") == 1 + len(ev.methods)


def test_evaluate_reports_progress(capsys):
    evaluate(X_NUM, Y_NUM, classifier=FAST, methods=["SMOTE"], n_splits=2, verbose=1)
    err = capsys.readouterr().err
    assert "split 1/2" in err and "SMOTE F1=" in err and "Against none" in err


def test_evaluate_is_reproducible():
    a = evaluate(X_NUM, Y_NUM, classifier=FAST, methods=["SMOTE"], n_splits=2,
                 verbose=0)
    b = evaluate(X_NUM, Y_NUM, classifier=FAST, methods=["SMOTE"], n_splits=2,
                 verbose=0)
    assert [r["f1"] for r in a.runs] == [r["f1"] for r in b.runs]


def test_evaluate_takes_a_dataframe_and_a_target_name():
    frame = pd.DataFrame(X_NUM, columns=["u", "v", "w"]).assign(label=Y_NUM)
    ev = evaluate(frame, "label", classifier=FAST, methods=["SMOTE"], n_splits=2,
                  verbose=0)
    assert ev.n_features == 3 and ev.class_counts == {"a": 24, "b": 24}
    with pytest.raises(ValueError, match="'nope' is not in the table"):
        evaluate(frame, "nope", verbose=0)
    with pytest.raises(ValueError, match="names a column, but X is not a DataFrame"):
        evaluate(X_NUM, "label", verbose=0)
    frame.loc[3, "v"] = np.nan
    with pytest.raises(ValueError, match=r"Missing values in column\(s\) \['v'\]"):
        evaluate(frame, "label", verbose=0)


def test_mixed_types_use_smotenc_and_a_one_hot_classifier():
    frame = pd.DataFrame({
        "x": X_NUM[:, 0], "n": np.arange(48) % 5,
        "colour": pd.Categorical(np.where(X_NUM[:, 1] > 1, "red", "blue")),
        "label": Y_NUM})
    ev = evaluate(frame, "label", classifier=FAST, methods=["SMOTE"], n_splits=2,
                  verbose=0)
    assert ev.categorical == ["colour"]
    assert all(r["n_added"] == r["n_train"] for r in ev.runs if r["method"] == "SMOTE")
    X_proj = ev.figures["projection"][0]
    assert X_proj.shape[1] == 2 + 2  # the category one-hot encoded for the PCA


def test_mixed_types_with_the_gans_and_the_over_samplers_left_out(tmp_path):
    frame = pd.DataFrame({
        "x": X_NUM[:, 0], "colour": np.where(X_NUM[:, 1] > 1, "red", "blue"),
        "label": Y_NUM})
    ev = evaluate(frame, "label", classifier=FAST, n_splits=2, max_iter=8,
                  gan_params=TINY_GAN, verbose=0, output=tmp_path)
    assert ev.methods == ["none", "SMOTE", "AC-GAN", "ActiveGAN"]
    assert len(ev.runs) == 8 and all(0 <= r["f1"] <= 1 for r in ev.runs)
    assert set(ev.skipped) == {"Borderline-SMOTE", "ADASYN", "SVM-SMOTE"}
    md = (tmp_path / "report.md").read_text()
    assert ("Not run: Borderline-SMOTE, ADASYN, SVM-SMOTE: each interpolates numeric "
            "columns only, and the table has categorical columns (colour)") in md
    with pytest.raises(ValueError, match="SVM-SMOTE interpolate numeric columns"):
        evaluate(frame, "label", classifier=FAST, methods=["SVM-SMOTE"], verbose=0)


def test_random_over_sampling_copies_rows_of_a_mixed_table():
    frame = pd.DataFrame({
        "x": X_NUM[:, 0], "colour": np.where(X_NUM[:, 1] > 1, "red", "blue"),
        "label": np.repeat(["a", "b"], [34, 14])})
    ev = evaluate(frame, "label", classifier=FAST, methods=["ROS-OS", "SMOTE-OS"],
                  n_splits=2, verbose=0)
    for r in ev.runs:
        if r["method"] != "none":  # the minority up to the majority: 17 - 7 rows
            assert r["n_added"] == r["n_asked"] == 10


# ----------------------------------------------------------------------- CLI
def test_cli_functions(tmp_path):
    data = tmp_path / "data.csv"
    pd.DataFrame(X_NUM, columns=["u", "v", "w"]).assign(y=Y_NUM).to_csv(data,
                                                                        index=False)
    parser = add_arguments(argparse.ArgumentParser())
    args = parser.parse_args([
        str(data), "--target", "y", "--methods", "SMOTE", "--n-splits", "2",
        "--classifier", "sklearn.linear_model.LogisticRegression",
        "--classifier-param", "max_iter=300", "--output", str(tmp_path / "r"),
        "--quiet"])
    out = io.StringIO()
    assert run(args, out=out) == 0
    assert out.getvalue().startswith("Against none (macro F1): SMOTE")
    assert (tmp_path / "r" / "report.html").exists()
    bad = parser.parse_args([str(data), "--target", "nope", "--quiet"])
    assert run(bad, out=io.StringIO()) == 2
    bad = parser.parse_args([str(data), "--target", "y", "--quiet",
                             "--classifier", "sklearn.linear_model.NoSuchModel"])
    assert run(bad, out=io.StringIO()) == 2


# ------------------------------------------------------------------- figures
def test_figures_leave_the_matplotlib_backend_alone(monkeypatch):
    matplotlib = pytest.importorskip("matplotlib")
    from skactivegan.experiments import _figures

    def forbidden(*args, **kwargs):
        raise AssertionError("matplotlib.use was called")

    monkeypatch.setattr(matplotlib, "use", forbidden)
    before = matplotlib.rcParams._get_backend_or_none()
    importlib.reload(_figures)
    fig = _figures.margins_figure({"G": np.array([0.1, 0.15])}, {"G": 0.2})
    assert _figures.png_bytes(fig)[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.rcParams._get_backend_or_none() == before


def test_document_renders_markdown_and_html():
    doc = Document("T")
    doc.paragraph("a `code` and **bold** <tag>")
    doc.table(["x", "y"], [[1, 2]])
    doc.figure("f", b"\x89PNG", "cap")
    md, page = doc.markdown(), doc.html()
    assert "| x | y |" in md and "![f](figures/f.png)" in md
    assert "<code>code</code>" in page and "<b>bold</b>" in page
    assert "&lt;tag&gt;" in page
    assert "data:image/png;base64,iVBORw==" in page


@pytest.mark.parametrize("name", ["skactivegan.experiments._stats",
                                  "skactivegan.experiments._evaluate"])
def test_docstring_examples(name):
    import doctest

    result = doctest.testmod(importlib.import_module(name),
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_parameters_that_methods_set_are_refused():
    with pytest.raises(ValueError, match=r"\['n_samples'\] are set by each method"):
        evaluate(X_NUM, Y_NUM, gan_params={"n_samples": 2.0}, verbose=0)


def test_numeric_dataframe_with_the_default_svm():
    frame = pd.DataFrame(X_NUM, columns=["u", "v", "w"])
    ev = evaluate(frame, Y_NUM, methods=["SMOTE"], n_splits=2, verbose=0)
    assert ev.categorical == [] and len(ev.runs) == 4


# ------------------------------------------------------------------ remedies
def test_remedies_follow_the_classifier_and_the_number_of_classes():
    from sklearn.neighbors import KNeighborsClassifier

    y2 = np.repeat([0, 1], [30, 10])
    y3 = np.repeat([0, 1, 2], [30, 10, 10])
    assert remedy_methods(y2, FAST) == (
        ["class_weight", "threshold", "class_weight+threshold", "AugmentedClassifier"],
        {})
    names, skipped = remedy_methods(y2, KNeighborsClassifier())
    assert names == ["threshold", "AugmentedClassifier"]
    assert skipped["class_weight"] == "KNeighborsClassifier takes no class_weight"
    names, skipped = remedy_methods(y2, None)
    assert "weights its classes already" in skipped["class_weight"]
    names, skipped = remedy_methods(y3, FAST)
    assert names == ["class_weight"]
    assert "binary problems only" in skipped["threshold"]
    assert "binary tables" in skipped["AugmentedClassifier"]
    assert remedy_methods(np.repeat([0, 1], 20), FAST) == ([], {})
    with pytest.raises(ValueError, match="threshold: scikit-learn tunes"):
        choose_methods(["threshold"], y3, None, classifier=FAST)
    with pytest.raises(ValueError, match="takes no class_weight"):
        choose_methods(["class_weight"], y2, None,
                       classifier=KNeighborsClassifier())


def _runs(scores, seconds=None):
    """Engine records from ``{method: [F1 per split]}``."""
    seconds = seconds or {}
    return [{"method": m, "split": i, "f1": f, "seconds": seconds.get(m, 0.1)}
            for m, values in scores.items() for i, f in enumerate(values)]


def test_recommend_names_the_best_when_it_is_ahead_beyond_noise():
    scores = {"none": [0.60, 0.61, 0.59, 0.60, 0.62, 0.61, 0.60, 0.60, 0.61, 0.60],
              "threshold": [0.70, 0.72, 0.71, 0.70, 0.73, 0.71, 0.72, 0.70, 0.71,
                            0.72]}
    text, table = recommend(_runs(scores), list(scores))
    assert text.startswith("Use threshold (re-thresholding")
    assert "ahead of every other method beyond noise" in text
    assert [r["method"] for r in table] == ["threshold", "none"]
    assert not table[1]["within_noise"] and table[1]["diff_to_best"] < -9


def test_recommend_takes_the_cheapest_of_those_within_noise():
    noisy = [0.70, 0.60, 0.75, 0.65, 0.72]
    scores = {"none": noisy,
              "SMOTE-OS": [v + d for v, d in zip(noisy, [0.02, -0.01, 0.0, 0.01,
                                                         0.0])],
              "AugmentedClassifier": [v + d for v, d in zip(
                  noisy, [0.03, 0.0, 0.01, 0.0, 0.01])]}
    text, table = recommend(_runs(scores, {"none": 0.5, "SMOTE-OS": 0.1}),
                            list(scores), test_train_ratio=0.25)
    # the best mean is the AugmentedClassifier's, but every method is within noise
    # of it: the cheapest is no remedy at all, however fast SMOTE is
    assert table[0]["method"] == "AugmentedClassifier"
    assert all(r["within_noise"] for r in table)
    assert text.startswith("Nothing measurably helps: use the classifier as it is.")
    assert "AugmentedClassifier's" in text
    assert method_cost("none") < method_cost("class_weight") < method_cost(
        "threshold") < method_cost("SMOTE-OS") < method_cost("ActiveGAN-OS") < (
        method_cost("AugmentedClassifier"))


def test_holm_of_the_report():
    np.testing.assert_allclose(holm([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06])


def test_evaluate_runs_the_remedies_on_an_imbalanced_binary_table(tmp_path):
    rng = np.random.RandomState(1)
    X = np.vstack([rng.normal(0, 1, (45, 3)), rng.normal(1.2, 1, (15, 3))])
    y = np.repeat([0, 1], [45, 15])
    ev = evaluate(X, y, classifier=FAST, n_splits=3, max_iter=5,
                  gan_params=TINY_GAN, verbose=0, output=tmp_path,
                  methods=["SMOTE-OS", "class_weight", "threshold",
                           "class_weight+threshold", "AugmentedClassifier"])
    assert len(ev.runs) == 3 * 6
    augmented = [r for r in ev.runs if r["method"] == "AugmentedClassifier"]
    assert all(r["n_added"] > 0 and r["classifier_seconds"] > 0 for r in augmented)
    assert all(r["n_added"] == 0 for r in ev.runs if "threshold" in r["method"]
               or r["method"] == "class_weight")
    assert ev.recommendation and {r["method"] for r in ev.ranking} == set(ev.methods)
    report = (tmp_path / "report.md").read_text()
    assert "**Which to use.**" in report and "## Which to use" in report
    assert "TunedThresholdClassifierCV" in report


def test_recommend_says_when_the_correction_undoes_a_better_against_none():
    rng = np.random.RandomState(3)
    base = rng.normal(0.6, 0.05, 5)
    scores = {"none": base, "threshold": base + np.array([0.07, 0.02, 0.06, 0.03,
                                                          0.05])}
    for k in range(8):  # methods that change nothing
        scores[f"SMOTE{k}"] = base + rng.normal(0, 0.001, 5)
    text, table = recommend(_runs(scores), list(scores), test_train_ratio=0.25)
    none = next(r for r in table if r["method"] == "none")
    assert none["p_value"] < 0.05 <= none["p_holm"]
    assert text.startswith("Nothing measurably helps")
    assert "threshold against none alone: p = " in text
