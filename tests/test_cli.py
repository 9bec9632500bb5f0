"""The ``skactivegan`` console script: ``augment`` on CSV files, and ``demo``."""

import csv
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from skactivegan import cli

TINY = ["--max-iter", "20", "--warmup-iter", "10", "--batch-size", "16",
        "--hidden-layer-sizes", "16", "--latent-dim", "4", "--n-components", "2"]


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    return str(path)


@pytest.fixture
def data_csv(tmp_path):
    rng = np.random.RandomState(0)
    rows = [["height", "label", "weight", "score"]]
    for i in range(24):
        label = ["small", "large"][i % 2]
        shift = 3.0 * (i % 2)
        rows.append([f"{rng.normal(shift):.3f}", label, f"{rng.normal(-shift):.4f}",
                     str(i)])
    return write_csv(tmp_path / "data.csv", rows)


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def run(*argv):
    return cli.main([str(a) for a in argv])


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
    # Progress while training, and a summary, on standard error only.
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "[ActiveGAN]" in captured.err
    assert "wrote 34 rows (24 real, 10 generated)" in captured.err


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


def test_estimator_options_reach_the_estimator(data_csv, tmp_path, monkeypatch):
    seen = {}

    def fake_fit_resample(self, X, y):
        seen.update(self.get_params())
        return X, y

    monkeypatch.setattr("skactivegan.ActiveGANAugmenter.fit_resample",
                        fake_fit_resample)
    assert run("augment", data_csv, "--target", "label", "-o", tmp_path / "o.csv",
               "--alpha", "0.3", "--uncertainty-weight", "2.5", "--threshold", "0.15",
               "--max-iter", "40", "--n-samples", "25", "--hidden-layer-sizes", "8,4",
               "--covariance-type", "full", "--random-state", "7", "--top-k", "none",
               "--mixed-precision", "yes", "--quiet") == 0
    assert seen["alpha"] == 0.3
    assert seen["uncertainty_weight"] == 2.5
    assert seen["filter"].threshold == 0.15
    assert seen["filter"].top_k is None  # "none" reads as None
    assert seen["max_iter"] == 40 and seen["warmup_iter"] == 20  # half, when not given
    assert seen["n_samples"] == 25 and isinstance(seen["n_samples"], int)
    assert seen["hidden_layer_sizes"] == (8, 4)
    assert seen["covariance_type"] == "full"
    assert seen["random_state"] == 7
    assert seen["mixed_precision"] is True  # a boolean option reads true/false, yes/no
    assert seen["verbose"] == 0


BAD_FILES = {
    "empty": ([], "empty"),
    "header only": ([["x", "label"]], "no data rows"),
    "no target column": ([["x", "y"], ["1", "a"], ["2", "b"]],
                         "no column named 'label'"),
    "non-numeric feature": ([["x", "label"], ["1", "a"], ["tall", "b"]],
                            "line 3: non-numeric value 'tall' in feature column 'x'"),
    "missing value": ([["x", "label"], ["1", "a"], ["", "b"]], "line 3: missing value"),
    "missing label": ([["x", "label"], ["1", "a"], ["2", ""]], "line 3: missing label"),
    "one class": ([["x", "label"], ["1", "a"], ["2", "a"], ["3", "a"]],
                  "single class ('a')"),
    "non-finite": ([["x", "label"], ["1", "a"], ["nan", "b"]],
                   "non-finite value 'nan'"),
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
])
def test_bad_parameters_one_line_error(argv, message, data_csv, tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert run("augment", data_csv, "--target", "label", "-o", out, *argv) == 1
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

    def failing_format(value):
        calls.append(value)
        if len(calls) > 3:  # fail half-way through the generated rows
            raise failure("stop")
        return repr(float(value))

    monkeypatch.setattr(cli, "_format_value", failing_format)
    status = run("augment", data_csv, "--target", "label", "-o", out, "--no-filter",
                 "--quiet", *TINY)
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


def test_demo_stays_the_default(monkeypatch):
    seen = []
    monkeypatch.setattr(cli, "run_demo", lambda args: seen.append(args))
    assert cli.main([]) == 0
    assert cli.main(["--n-labels", "50"]) == 0
    assert cli.main(["demo", "--max-iter", "30"]) == 0
    assert [a.command for a in seen] == ["demo"] * 3
    assert seen[1].n_labels == 50 and seen[2].max_iter == 30


def test_every_plain_estimator_parameter_is_an_option():
    import inspect

    from skactivegan import ActiveGANAugmenter

    parser = cli.build_parser()
    augment = parser._subparsers._group_actions[0].choices["augment"]
    options = {s for action in augment._actions for s in action.option_strings}
    params = set(inspect.signature(ActiveGANAugmenter).parameters)
    objects = {"oracle", "filter", "verbose", "callbacks", "networks"}
    for name in sorted(params - objects):
        assert "--" + name.replace("_", "-") in options, name
