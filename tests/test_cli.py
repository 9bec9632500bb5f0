"""The ``skactivegan`` console script: ``augment`` on CSV files, and the wiring of
``demo`` and ``evaluate`` (the demo itself runs in test_cli_demo.py)."""

import csv
import math
import os
import re
import subprocess
import sys
import types

import numpy as np
import pytest

from skactivegan import ActiveGANAugmenter, cli

TINY = ["--max-iter", "20", "--warmup-iter", "10"]


def write_csv(path, rows, delimiter=","):
    with open(path, "w", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return str(path)


@pytest.fixture
def data_csv(tmp_path):
    rng = np.random.RandomState(0)
    rows = [["height", "label", "weight", "score"]]
    for i in range(24):
        label = ["small", "large"][i % 2]
        shift = 3.0 * (i % 2)
        rows.append([f"{rng.normal(shift):.3f}", label, f"{rng.normal(-shift):.4f}",
                     str(i % 7 + 10 * (i % 2))])
    return write_csv(tmp_path / "data.csv", rows)


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def run(*argv):
    return cli.main([str(a) for a in argv])


@pytest.fixture
def fake_fit(monkeypatch):
    """Replace training by a stub that returns the real rows plus given rows.

    ``fake_fit.generated`` is a callable ``(X, y) -> (X_gen, y_gen)``; by default no
    row is added.  ``fake_fit.seen`` holds the estimator's parameters and ``fake_fit.X``
    the features it received.
    """

    def fit_resample(self, X, y):
        import pandas as pd

        state.seen = self.get_params()
        state.X = X
        X_gen, y_gen = state.generated(X, y)
        return pd.concat([X, X_gen], ignore_index=True), np.concatenate([y, y_gen])

    state = types.SimpleNamespace(generated=lambda X, y: (X.iloc[:0], y[:0]))
    monkeypatch.setattr("skactivegan.ActiveGANAugmenter.fit_resample", fit_resample)
    return state


# ----------------------------------------------------------------- augmenting
def test_augment_writes_real_rows_then_generated_rows(data_csv, tmp_path, capsys):
    out = tmp_path / "augmented.csv"
    status = run("augment", data_csv, "--target", "label", "--output", out,
                 "--no-filter", "--n-samples", "10", *TINY)
    assert status == 0
    rows = read_rows(out)
    real = read_rows(data_csv)
    assert rows[0] == real[0] + ["is_generated"]
    # The real rows come back as they were read, text and order unchanged.
    assert [row[:-1] for row in rows[1:25]] == real[1:]
    assert {row[-1] for row in rows[1:25]} == {"0"}
    generated = rows[25:]
    assert len(generated) == 10
    assert {row[-1] for row in generated} == {"1"}
    assert {row[1] for row in generated} <= {"small", "large"}
    values = [float(row[j]) for row in generated for j in (0, 2, 3)]
    assert all(math.isfinite(v) for v in values)
    # Written at the input's precision: 3 and 4 decimals, and integers.
    assert all(re.fullmatch(r"-?\d+\.\d{3}", row[0]) for row in generated)
    assert all(re.fullmatch(r"-?\d+\.\d{4}", row[2]) for row in generated)
    assert all(re.fullmatch(r"-?\d+", row[3]) for row in generated)
    # Progress while training, and a summary, on standard error only.
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "[ActiveGAN]" in captured.err
    assert "wrote 34 rows (24 real, 10 generated)" in captured.err


def test_augment_with_the_filter_adds_the_rows_asked_for(data_csv, tmp_path, capsys):
    out = tmp_path / "augmented.csv"
    assert run("augment", data_csv, "--target", "label", "-o", out, "--n-samples",
               "6", "--quiet", *TINY) == 0
    rows = read_rows(out)
    assert len(rows) == 1 + 24 + 6
    assert sum(row[-1] == "1" for row in rows[1:]) == 6


def test_augment_is_reproducible_and_names_the_flag_column(data_csv, tmp_path, capsys):
    first, second, bare = (tmp_path / n for n in ("a.csv", "b.csv", "c.csv"))
    common = ["--target", "label", "--no-filter", "--n-samples", "6",
              "--random-state", "3", "--quiet", *TINY]
    assert run("augment", data_csv, "--output", first, "--generated-column",
               "synthetic", *common) == 0
    assert run("augment", data_csv, "--output", second, "--generated-column",
               "synthetic", *common) == 0
    assert run("augment", data_csv, "--output", bare, "--generated-column", "",
               *common) == 0
    assert first.read_bytes() == second.read_bytes()
    assert read_rows(first)[0][-1] == "synthetic"
    assert [row[:-1] for row in read_rows(first)] == read_rows(bare)
    assert capsys.readouterr().err == ""  # --quiet


def test_text_columns_are_categorical_features(tmp_path, capsys):
    rng = np.random.RandomState(1)
    rows = [["colour", "size", "label", "count"]]
    for i in range(30):
        rows.append([["red", "green", "blue"][i % 3], f"{rng.normal(2 * (i % 2)):.2f}",
                     ["yes", "no"][i % 2], str(rng.randint(3, 9))])
    path = write_csv(tmp_path / "mixed.csv", rows)
    out = tmp_path / "out.csv"
    assert run("augment", path, "--target", "label", "-o", out, "--no-filter",
               "--n-samples", "8", "--quiet", *TINY) == 0
    generated = [row for row in read_rows(out)[1:] if row[-1] == "1"]
    assert len(generated) == 8
    assert {row[0] for row in generated} <= {"red", "green", "blue"}
    assert all(re.fullmatch(r"-?\d+\.\d\d", row[1]) for row in generated)
    assert all(3 <= int(row[3]) <= 8 for row in generated)  # integral, in range


def test_a_text_column_reaches_the_augmenter_as_categories(tmp_path, fake_fit):
    rows = [["colour", "size", "label"]] + [
        [["red", "blue"][i % 2], str(i), "ab"[i % 3 == 0]] for i in range(12)]
    path = write_csv(tmp_path / "mixed.csv", rows)
    assert run("augment", path, "--target", "label", "-o", tmp_path / "o.csv",
               "--quiet") == 0
    assert list(fake_fit.X.columns) == ["colour", "size"]
    assert str(fake_fit.X["colour"].dtype) == "category"
    assert str(fake_fit.X["size"].dtype) == "int64"
    assert fake_fit.seen["categorical_features"] == "auto"


# ------------------------------------------------------------- the option table
def test_estimator_options_reach_the_estimator(data_csv, tmp_path, fake_fit):
    assert run("augment", data_csv, "--target", "label", "-o", tmp_path / "o.csv",
               "--alpha", "0.3", "--uncertainty-weight", "2.5", "--threshold", "0.15",
               "--max-iter", "40", "--n-samples", "25", "--generator", "mlp",
               "--hidden-layer-sizes", "8,4", "--covariance-type", "full",
               "--random-state", "7", "--top-k", "none", "--mixed-precision", "yes",
               "--n-jobs", "-1", "--candidates-per-row", "3", "--quiet") == 0
    seen = fake_fit.seen
    assert seen["alpha"] == 0.3
    assert seen["uncertainty_weight"] == 2.5
    assert seen["filter"].threshold == 0.15
    assert seen["filter"].top_k is None  # "none" reads as None
    assert seen["max_iter"] == 40
    # The warm-up is not derived by the command line: the estimator's rule decides.
    assert seen["warmup_iter"] == ActiveGANAugmenter().warmup_iter
    assert seen["n_samples"] == 25 and isinstance(seen["n_samples"], int)
    assert seen["generator"].hidden_layer_sizes == (8, 4)
    assert seen["generator"].reward.covariance_type == "full"
    assert seen["random_state"] == 7
    # A boolean option reads true/false, yes/no.
    assert seen["generator"].mixed_precision is True
    assert seen["n_jobs"] == -1
    assert seen["filter"].candidates_per_row == 3.0
    assert seen["verbose"] == 0


def test_options_left_out_keep_the_estimator_defaults(data_csv, tmp_path, fake_fit):
    assert run("augment", data_csv, "--target", "label", "-o", tmp_path / "o.csv",
               "--quiet") == 0
    defaults = ActiveGANAugmenter().get_params()
    seen = fake_fit.seen
    assert {k: v for k, v in seen.items() if k not in ("random_state", "verbose")} == {
        k: v for k, v in defaults.items() if k not in ("random_state", "verbose")}


def test_a_composer_option_reaches_the_default_generator(data_csv, tmp_path,
                                                         fake_fit):
    assert run("augment", data_csv, "--target", "label", "-o", tmp_path / "o.csv",
               "--k-neighbors", "3", "--policy-choices", "anchor,position",
               "--quiet") == 0
    generator = fake_fit.seen["generator"]
    assert generator.k_neighbors == 3
    assert tuple(generator.policy_choices) == ("anchor", "position")


def test_a_filter_option_changes_the_default_filter(data_csv, tmp_path, fake_fit):
    """``--top-k`` alone keeps the rest of the augmenter's default filter."""
    assert run("augment", data_csv, "--target", "label", "-o", tmp_path / "o.csv",
               "--top-k", "2", "--quiet") == 0
    default = ActiveGANAugmenter().set_params(filter__top_k=2).filter
    assert fake_fit.seen["filter"].get_params() == default.get_params()
    assert fake_fit.seen["filter"].top_k == 2


@pytest.mark.parametrize("text, value", [("0.25", 0.25), ("12", 12)])
def test_warmup_iter_is_a_fraction_with_a_point_else_a_count(text, value, data_csv,
                                                             tmp_path, fake_fit):
    assert run("augment", data_csv, "--target", "label", "-o", tmp_path / "o.csv",
               "--warmup-iter", text, "--quiet") == 0
    assert fake_fit.seen["warmup_iter"] == value
    assert type(fake_fit.seen["warmup_iter"]) is type(value)


@pytest.mark.parametrize("text, value", [
    ("minority", "minority"), ("not majority", "not majority"), ("0.8", 0.8),
    ("small:30,large:24", {"small": 30, "large": 24}),
])
def test_sampling_strategy_option(text, value, data_csv, tmp_path, fake_fit):
    assert run("augment", data_csv, "--target", "label", "-o", tmp_path / "o.csv",
               "--sampling-strategy", text, "--n-samples", "none", "--quiet") == 0
    assert fake_fit.seen["sampling_strategy"] == value
    assert fake_fit.seen["n_samples"] is None


def test_the_option_table_covers_the_estimator():
    """Each parameter is an option or deliberately not one; no option is stale."""
    from skactivegan import MarginFilter

    table = {name for name, _, _ in cli.AUGMENTER_OPTIONS}
    params = set(ActiveGANAugmenter().get_params(deep=False))
    assert table | set(cli.NOT_OPTIONS) == params
    assert not table & set(cli.NOT_OPTIONS)
    assert {name for name, _, _ in cli.FILTER_OPTIONS} == (
        set(MarginFilter().get_params()) - {"oracle", "random_state"})
    from skactivegan.generators import ComposingGenerator, MLPGenerator
    from skactivegan.reward import MixtureReward

    for options, part, left_out in (
            (cli.COMPOSER_OPTIONS, ComposingGenerator, ()),
            (cli.MLP_OPTIONS, MLPGenerator, ("networks", "reward")),
            (cli.REWARD_OPTIONS, MixtureReward, ())):
        assert {name for name, _, _ in options} == (
            set(part().get_params(deep=False)) - set(left_out))
    assert "default: 1.0" in " ".join(_augment_parser().format_help().split())
    help_text = _augment_parser().format_help()
    for name in table:
        assert "--" + name.replace("_", "-") in help_text


def _augment_parser():
    parser = cli.build_parser()
    return parser._subparsers._group_actions[0].choices["augment"]


def test_help_shows_the_estimator_defaults():
    help_text = " ".join(_augment_parser().format_help().split())
    defaults = ActiveGANAugmenter().get_params()
    assert f"default: {defaults['max_iter']}" in help_text
    assert f"default: {defaults['warmup_iter']}" in help_text


# ------------------------------------------------------------------ CSV care
def test_output_equal_to_the_input_is_refused_without_force(data_csv, tmp_path,
                                                            fake_fit, capsys):
    before = read_rows(data_csv)
    same = os.path.join(os.path.dirname(data_csv), ".", "data.csv")
    assert run("augment", data_csv, "--target", "label", "-o", same) == 1
    err = capsys.readouterr().err
    assert "--output is the input file" in err and "--force" in err
    assert read_rows(data_csv) == before
    assert run("augment", data_csv, "--target", "label", "-o", data_csv, "--force",
               "--quiet") == 0
    assert read_rows(data_csv)[0][-1] == "is_generated"


@pytest.mark.parametrize("name", ["", "Unnamed: 0", "index"])
def test_warns_about_a_saved_index_column(name, tmp_path, fake_fit, capsys):
    rows = [[name, "x", "label"]] + [[str(i), f"{i % 4}.5", "ab"[i % 2]]
                                     for i in range(10)]
    path = write_csv(tmp_path / "indexed.csv", rows)
    assert run("augment", path, "--target", "label", "-o", tmp_path / "o.csv",
               "--quiet") == 0
    err = capsys.readouterr().err
    assert err.startswith("skactivegan augment: warning: ")
    assert "column 1" in err and "0..9" in err and "index=False" in err


def test_no_index_warning_for_a_named_or_unordered_column(tmp_path, fake_fit, capsys):
    rows = [["", "age", "label"]] + [[str(9 - i), str(i), "ab"[i % 2]]
                                     for i in range(10)]
    path = write_csv(tmp_path / "plain.csv", rows)
    assert run("augment", path, "--target", "label", "-o", tmp_path / "o.csv",
               "--quiet") == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("char, spelled", [(";", "';'"), ("\t", "tab")])
def test_hints_at_the_delimiter(char, spelled, tmp_path, fake_fit, capsys):
    rows = [["x", "label"], ["1.5", "a"], ["2.5", "b"], ["0.5", "a"], ["3.5", "b"]]
    path = write_csv(tmp_path / "other.csv", rows, delimiter=char)
    assert run("augment", path, "--target", "label", "-o", tmp_path / "o.csv") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"Try --delimiter {spelled}" in err
    option = "tab" if char == "\t" else char
    assert run("augment", path, "--target", "label", "-o", tmp_path / "o.csv",
               "--delimiter", option, "--quiet") == 0
    assert read_rows(tmp_path / "o.csv")[0] == [f"x{char}label{char}is_generated"]


def test_generated_numbers_at_the_input_precision(tmp_path, fake_fit):
    import pandas as pd

    rows = [["price", "label", "tiny", "count"],
            ["13.2", "a", "1.5e-05", "3"], ["7.25", "b", "2e-06", "12"],
            ["10.0", "a", "3.25e-05", "-4"], ["8.5", "b", "1e-05", "0"]]
    path = write_csv(tmp_path / "p.csv", rows)
    fake_fit.generated = lambda X, y: (pd.DataFrame(
        {"price": [13.200000000000001, -0.001], "tiny": [1.2345678e-05, 3e-06],
         "count": [5, -2]}), np.array(["b", "a"]))
    out = tmp_path / "o.csv"
    assert run("augment", path, "--target", "label", "-o", out, "--quiet") == 0
    assert read_rows(out)[1:5] == [row + ["0"] for row in rows[1:]]
    assert read_rows(out)[5:] == [["13.20", "b", "1.23e-05", "5", "1"],
                                  ["0.00", "a", "3e-06", "-2", "1"]]


def test_integer_columns_written_as_integers_when_floats_come_back(tmp_path,
                                                                  fake_fit):
    import pandas as pd

    rows = [["n", "label"], ["1", "a"], ["2", "b"], ["3", "a"], ["4", "b"]]
    path = write_csv(tmp_path / "n.csv", rows)
    fake_fit.generated = lambda X, y: (pd.DataFrame({"n": [2.9999999, 3.2]}),
                                       np.array(["a", "b"]))
    out = tmp_path / "o.csv"
    assert run("augment", path, "--target", "label", "-o", out, "--quiet") == 0
    assert [row[0] for row in read_rows(out)[5:]] == ["3", "3"]


def test_numeric_files_without_pandas(tmp_path, monkeypatch, capsys):
    seen = {}

    def fit_resample(self, X, y):
        seen["X"] = X
        return np.vstack([X, [[2.6, 7.25]]]), np.append(y, "b")

    monkeypatch.setattr("skactivegan.ActiveGANAugmenter.fit_resample", fit_resample)
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas fails
    rows = [["n", "label", "x"], ["1", "a", "0.5"], ["2", "b", "1.5"],
            ["3", "a", "2.5"],
            ["4", "b", "3.5"]]
    out = tmp_path / "o.csv"
    assert run("augment", write_csv(tmp_path / "n.csv", rows), "--target", "label",
               "-o", out, "--quiet") == 0
    assert isinstance(seen["X"], np.ndarray) and seen["X"].dtype == np.float64
    assert read_rows(out)[-1] == ["3", "b", "7.2", "1"]
    rows = [["colour", "label"], ["red", "a"], ["blue", "b"], ["red", "a"],
            ["red", "b"]]
    assert run("augment", write_csv(tmp_path / "t.csv", rows), "--target", "label",
               "-o", out, "--quiet") == 1
    assert "text columns (categorical features) need pandas" in capsys.readouterr().err


def test_a_column_mixing_numbers_and_text_is_categorical_with_a_warning(
        tmp_path, fake_fit, capsys):
    rows = [["x", "label"], ["1", "a"], ["tall", "b"], ["2", "a"], ["3", "b"]]
    path = write_csv(tmp_path / "mixed.csv", rows)
    assert run("augment", path, "--target", "label", "-o", tmp_path / "o.csv",
               "--quiet") == 0
    err = capsys.readouterr().err
    assert "column 'x' is read as categories" in err and "'tall' (line 3)" in err
    assert str(fake_fit.X["x"].dtype) == "category"


BAD_FILES = {
    "empty": ([], "empty"),
    "header only": ([["x", "label"]], "no data rows"),
    "no target column": ([["x", "y"], ["1", "a"], ["2", "b"]],
                         "no column named 'label'"),
    "missing value": ([["x", "label"], ["1", "a"], ["", "b"]],
                      "line 3: missing value in column 'x'"),
    "missing label": ([["x", "label"], ["1", "a"], ["2", ""]],
                      "line 3: missing label in column 'label'"),
    "one class": ([["x", "label"], ["1", "a"], ["2", "a"], ["3", "a"]],
                  "single class ('a')"),
    "non-finite": ([["x", "label"], ["1", "a"], ["nan", "b"]],
                   "line 3: non-finite value 'nan' in column 'x'"),
    "ragged row": ([["x", "label"], ["1", "a"], ["2", "b", "7"]], "3 fields"),
    "only the target": ([["label"], ["a"], ["b"]], "no feature column"),
    "class of one row": ([["x", "label"], ["1", "a"], ["2", "a"], ["3", "b"]],
                         "at least 2 samples"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_one_line_error_and_no_output(case, tmp_path, capsys):
    rows, message = BAD_FILES[case]
    path = write_csv(tmp_path / "bad.csv", rows)
    out = tmp_path / "out.csv"
    assert run("augment", path, "--target", "label", "-o", out, *TINY) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("skactivegan augment: error: ")
    assert message in err
    assert os.listdir(tmp_path) == ["bad.csv"]  # no output, no temporary file


@pytest.mark.parametrize("argv, message", [
    (["--alpha", "2"], "'alpha' parameter of ActiveGANAugmenter"),
    (["--threshold", "-0.5"], "'threshold' parameter of MarginFilter"),
    (["--no-filter", "--threshold", "0.3"], "--no-filter cannot be combined"),
    (["--generator", "mlp", "--covariance-type", "round"],
     "'covariance_type' parameter"),
])
def test_bad_parameters_one_line_error(argv, message, data_csv, tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert run("augment", data_csv, "--target", "label", "-o", out, "--quiet",
               *argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not out.exists()


def test_missing_file_and_missing_output_folder(data_csv, tmp_path, capsys):
    assert run("augment", tmp_path / "nope.csv", "--target", "label",
               "-o", tmp_path / "out.csv") == 1
    assert "no such file" in capsys.readouterr().err
    assert run("augment", data_csv, "--target", "label",
               "-o", tmp_path / "missing" / "out.csv") == 1
    assert "does not exist" in capsys.readouterr().err


def test_flag_column_clash(data_csv, tmp_path, capsys):
    assert run("augment", data_csv, "--target", "label", "-o", tmp_path / "o.csv",
               "--generated-column", "score") == 1
    assert "already has a column 'score'" in capsys.readouterr().err


@pytest.mark.parametrize("failure", [KeyboardInterrupt, FloatingPointError])
def test_failure_while_writing_keeps_the_old_output(failure, data_csv, tmp_path,
                                                    monkeypatch, capsys):
    out = tmp_path / "out.csv"
    out.write_text("previous content\n")
    calls = []

    def failing_format(column, value):
        calls.append(value)
        if len(calls) > 3:  # fail half-way through the generated rows
            raise failure("stop")
        return column.format(value)

    monkeypatch.setattr(cli, "_format_value", failing_format)
    status = run("augment", data_csv, "--target", "label", "-o", out, "--no-filter",
                 "--n-samples", "4", "--quiet", *TINY)
    assert status == (130 if failure is KeyboardInterrupt else 1)
    assert out.read_text() == "previous content\n"
    assert sorted(os.listdir(tmp_path)) == ["data.csv", "out.csv"]
    assert capsys.readouterr().err.count("\n") == 1


def test_interrupted_training_writes_nothing(data_csv, tmp_path, monkeypatch, capsys):
    def interrupted(self, X, y):
        raise KeyboardInterrupt

    monkeypatch.setattr("skactivegan.ActiveGANAugmenter.fit_resample", interrupted)
    out = tmp_path / "out.csv"
    assert run("augment", data_csv, "--target", "label", "-o", out) == 130
    assert "interrupted; no output written" in capsys.readouterr().err
    assert not out.exists()


# ------------------------------------------------------------- entry points
def test_console_script_exit_status(tmp_path):
    """The real entry point, in a fresh interpreter: one line, status 1."""
    result = subprocess.run(
        [sys.executable, "-m", "skactivegan", "augment", str(tmp_path / "none.csv"),
         "--target", "label", "--output", str(tmp_path / "out.csv")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"skactivegan augment: error: {tmp_path / 'none.csv'}: no such file"
    ]


def test_usage_errors_exit_with_status_2(capsys):
    with pytest.raises(SystemExit) as exc:
        run("augment", "data.csv", "--output", "out.csv")  # no --target
    assert exc.value.code == 2
    assert "--target" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        run("augment", "data.csv", "--target", "y", "-o", "o.csv",
            "--mixed-precision", "maybe")
    assert exc.value.code == 2
    assert "expected true or false, got 'maybe'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        run("augment", "data.csv", "--target", "y", "-o", "o.csv", "--no-such-option")
    assert exc.value.code == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err


def test_demo_is_the_default(monkeypatch):
    seen = []
    monkeypatch.setattr(cli, "run_demo", lambda args: seen.append(args) or 0)
    assert cli.main([]) == 0
    assert cli.main(["--n-labels", "50"]) == 0
    assert cli.main(["demo", "--max-iter", "30", "--quick"]) == 0
    assert [a.command for a in seen] == ["demo"] * 3
    assert seen[1].n_labels == 50 and seen[2].max_iter == 30 and seen[2].quick


def test_help_lists_the_three_commands(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("demo", "augment", "evaluate"):
        assert command in out
    # What the demo and evaluate compare ActiveGAN with.
    for sampler in ("SMOTE", "Borderline-SMOTE", "ADASYN", "SVM-SMOTE"):
        assert out.count(sampler) >= 2


# ------------------------------------------------------------------ evaluate
@pytest.fixture
def fake_evaluate(monkeypatch):
    """A stand-in for the evaluation engine's command-line module."""
    module = types.ModuleType(cli._EVALUATE_MODULE)
    module.calls = []

    def add_arguments(parser):
        parser.add_argument("data")
        parser.add_argument("--target", required=True)

    def run_(args, out=sys.stdout):
        module.calls.append(args)
        print(f"evaluated {args.data} on {args.target}", file=out)
        return 0

    module.add_arguments, module.run = add_arguments, run_
    monkeypatch.setitem(sys.modules, cli._EVALUATE_MODULE, module)
    return module


def test_evaluate_delegates_to_the_engine(fake_evaluate, capsys):
    assert cli.main(["evaluate", "data.csv", "--target", "y"]) == 0
    (args,) = fake_evaluate.calls
    assert (args.data, args.target) == ("data.csv", "y")
    assert capsys.readouterr().out == "evaluated data.csv on y\n"


def test_evaluate_usage_comes_from_the_engine(fake_evaluate, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["evaluate", "data.csv"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "skactivegan evaluate" in err and "--target" in err
    with pytest.raises(SystemExit) as exc:
        cli.main(["evaluate", "--help"])
    assert exc.value.code == 0
    assert "--target" in capsys.readouterr().out


def test_evaluate_without_the_engine_is_a_one_line_error(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, cli._EVALUATE_MODULE, None)  # import fails
    assert cli.main(["evaluate", "data.csv", "--target", "y"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("skactivegan evaluate: error: the evaluate command is not "
                          "available")


def test_evaluate_help_with_the_real_engine(capsys):
    pytest.importorskip(cli._EVALUATE_MODULE)
    with pytest.raises(SystemExit) as exc:
        cli.main(["evaluate", "--help"])
    assert exc.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--target" in out
    for method in ("Borderline-SMOTE", "ADASYN-OS", "SVM-SMOTE-OS", "ROS-OS",
                   "ActiveGAN+F-OS"):
        assert method in out
