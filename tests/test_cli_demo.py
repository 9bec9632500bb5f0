"""``skactivegan demo``: the comparison on a few labelled digits, and its figure."""

import re
import sys

import numpy as np
import pytest

from skactivegan import _demo, cli


def test_quick_demo_compares_the_methods_and_writes_the_figure(tmp_path, capsys):
    matplotlib = pytest.importorskip("matplotlib")
    backend = matplotlib.get_backend()
    png = tmp_path / "demo.png"
    assert cli.main(["demo", "--quick", "--n-labels", "100", "--figure",
                     str(png)]) == 0
    out, err = capsys.readouterr()
    # What it is doing, while it works, on standard error.
    for step in range(1, 6):
        assert f"[{step}/5]" in err
    assert "fitting the oracle" in err and "retraining" in err
    # The table, on standard output: each method, the rows it added, macro-F1.
    rows = {}
    for line in out.splitlines():
        match = re.match(r"  (\S+(?: alone)?)\s+(\d+)\s+(0\.\d{4}|1\.0000)", line)
        if match:
            rows[match.group(1)] = (int(match.group(2)), float(match.group(3)))
    # A GAN is named "+F" only when its rows were filtered (not at the defaults on
    # a numeric table: composed rows are all kept).
    assert list(rows) == ["SVM alone", "SMOTE", "Borderline-SMOTE", "ADASYN",
                          "SVM-SMOTE", "AC-GAN", "ActiveGAN"]
    assert rows["SVM alone"][0] == 0
    # n_samples=1.0: as many rows as labelled ones, the GANs' count exact.
    assert rows["SMOTE"][0] == rows["AC-GAN"][0] == rows["ActiveGAN"][0] == 100
    # The neighbourhood methods decide some counts themselves, and say so.
    for name in ("Borderline-SMOTE", "ADASYN", "SVM-SMOTE"):
        if rows[name][0] != 100:
            assert f"({rows[name][0]} rows for the 100 asked" in out
    assert "every generated row kept (no filter)" in err
    # The figure: a PNG file, where the output says; the user's backend untouched.
    assert f"figure written to {png}" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.get_backend() == backend


def test_the_gans_are_named_for_what_ran(monkeypatch, capsys):
    # With a filter set, the rows that passed it are what is added: "+F".
    settings = _demo.DemoSettings(n_labels=60, max_iter=4, figure=None, quiet=True,
                                  gan_params={"filter": "margin"})
    names = [r.name for r in _demo.run_demo(settings, out=sys.stdout)]
    assert names[-2:] == ["AC-GAN+F", "ActiveGAN+F"]
    assert "AC-GAN+F" in capsys.readouterr().out


def test_quick_and_size_options_reach_the_demo(monkeypatch):
    seen = []
    monkeypatch.setattr(_demo, "run_demo", lambda settings, out=None: seen.append(
        settings))
    assert cli.main(["demo", "--quick", "--no-figure"]) == 0
    assert cli.main(["--n-labels", "60", "--n-samples", "30", "--max-iter", "80",
                     "--warmup-iter", "0.25", "--figure", "a.png", "--quiet"]) == 0
    quick, sized = seen
    assert quick.max_iter == cli._QUICK_ITER and quick.figure is None
    assert (sized.n_labels, sized.n_samples, sized.max_iter) == (60, 30, 80)
    assert sized.warmup_iter == 0.25 and sized.figure == "a.png" and sized.quiet
    defaults = cli.build_parser().parse_args(["demo"])
    assert defaults.max_iter is None and defaults.warmup_iter is None  # estimator's
    assert defaults.n_samples == 1.0 and defaults.figure == "skactivegan-demo.png"


def _results():
    X = np.random.RandomState(0).uniform(0, 16, size=(40, 64))
    y = np.arange(40) % 4
    margins = np.linspace(0.0, 0.2, 10)
    return X, y, [
        _demo.MethodResult("SVM alone", X[:0], y[:0], 0.8),
        _demo.MethodResult("SMOTE", X[:10], y[:10], 0.81),
        _demo.MethodResult("Borderline-SMOTE", X[:7], y[:7], 0.805),
        _demo.MethodResult("AC-GAN", X[10:20], y[10:20], 0.79, margins),
        _demo.MethodResult("ActiveGAN", X[20:30], y[20:30], 0.82, margins),
    ]


def test_the_figure_leaves_pyplot_alone(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    figures, backend = plt.get_fignums(), matplotlib.get_backend()
    X, y, results = _results()
    path = _demo.demo_figure(tmp_path / "f.png", X, y, results, threshold=0.2)
    assert path == str(tmp_path / "f.png")
    assert (tmp_path / "f.png").read_bytes()[:4] == b"\x89PNG"
    assert plt.get_fignums() == figures and matplotlib.get_backend() == backend


def test_no_figure_without_matplotlib(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    X, y, results = _results()
    assert _demo.demo_figure(tmp_path / "f.png", X, y, results) is None
    assert not (tmp_path / "f.png").exists()


def test_table_reports_rows_scores_and_notes(capsys):
    _X, _y, results = _results()
    results[2].note = "7 rows for the 10 asked; none for class 3: " + "why " * 30
    results[3].note = "generation budget ran out: fewer rows than asked"
    _demo._print_table(results, 123, sys.stdout)
    out = capsys.readouterr().out
    assert "macro-F1 on 123 held-out digits" in out
    assert re.search(r"SMOTE\s+10\s+0\.8100\s+\+1\.00", out)
    assert re.search(r"Borderline-SMOTE\s+7\s+0\.8050\s+\+0\.50", out)
    assert re.search(r"AC-GAN\s+10\s+0\.7900\s+-1\.00", out)
    assert "(generation budget ran out" in out and "(7 rows for the 10 asked" in out
    # A long note is wrapped under its method, not one endless line.
    notes = [line for line in out.splitlines() if line.startswith("    ")]
    assert len(notes) > 2 and max(len(line) for line in notes) <= 88
    assert "within the noise" in out
    # the remedies for imbalanced classes: said why they are not in a balanced demo
    text = " ".join(out.split())
    assert "these ten classes are balanced" in text
    assert "binary problems only" in text and "skactivegan evaluate" in text


def test_mosaic_lays_out_images_with_blank_cells():
    a, b = np.zeros(64), np.ones(64)
    mosaic = _demo._mosaic([[a, b], [None, a]])
    assert mosaic.shape == (17, 17)
    assert (mosaic[:8, 9:] == 1).all() and (mosaic[:8, :8] == 0).all()
    assert np.isnan(mosaic[8]).all() and np.isnan(mosaic[9:, :8]).all()


def test_too_few_labels_is_a_one_line_error(capsys):
    assert cli.main(["demo", "--quick", "--n-labels", "5", "--no-figure"]) == 1
    err = capsys.readouterr().err
    assert "must be between 20" in err and "got 5" in err and "Traceback" not in err
