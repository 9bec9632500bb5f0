"""Bad and unusual input: a clear answer before any heavy work, and nothing changed.

For the three estimators (``ActiveGANAugmenter``, ``MarginFilter``,
``AugmentedClassifier``, and ``DefaultSVC`` that the last two fit by default) and
the two commands (``skactivegan augment`` and ``skactivegan evaluate``), every bad
input is refused

- with an error whose message names the problem,
- before the oracle's grid search or the GAN's training starts (a spy records
  both),
- without changing a fitted estimator (its attributes are the same objects and
  ``sample()`` returns the same rows), and, for the commands,
- with a single line on standard error, a non-zero exit status and no file left
  behind.

Unusual input that is valid gets sensible handling: string arrays keep their dtype,
a one-hot ``y`` stays one-hot, mixed-type tables work with the default oracles.
"""

import copy
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skactivegan.experiments._evaluate as evaluate_module
import skactivegan.oracle._default_svm as default_svm
import skactivegan.training._fitting as fitting
from skactivegan import (
    ActiveGANAugmenter,
    AugmentedClassifier,
    DefaultSVC,
    MarginFilter,
    cli,
)
from skactivegan._compat import StrOptions
from skactivegan.generators import MLPGenerator
from skactivegan.reward import MixtureReward
from skactivegan.training._trainer import ActiveGANTrainer

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# Fixed examples and no example database: the same cases on every run, nothing
# written next to the tests.  Failed calls are cheap, so a few dozen examples each.
CHEAP = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])

FAST = dict(max_iter=12, warmup_iter=6, filter=None, random_state=0, n_samples=4)
USER_ORACLE = dict(oracle=make_pipeline(StandardScaler(), LogisticRegression()))

rng = np.random.RandomState(0)
N = 20
X_NUM = rng.normal(size=(N, 3))
Y = np.array([0, 1] * (N // 2))
FRAME = pd.DataFrame(X_NUM, columns=["a", "b", "c"])


# ------------------------------------------------------------------- the spy
@pytest.fixture
def heavy(monkeypatch):
    """Record every start of heavy work: the default oracle's grid search, GAN
    training, and an evaluation's splits."""
    started = []

    def spy(name, original):
        def wrapper(*args, **kwargs):
            started.append(name)
            return original(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(fitting, "fit_default_oracle",
                        spy("grid search", fitting.fit_default_oracle))
    monkeypatch.setattr(default_svm, "fit_default_oracle",
                        spy("grid search", default_svm.fit_default_oracle))
    monkeypatch.setattr(ActiveGANTrainer, "fit", spy("training", ActiveGANTrainer.fit))
    monkeypatch.setattr(evaluate_module, "run_protocol",
                        spy("splits", evaluate_module.run_protocol))
    return started


def _sample(estimator):
    """Rows from ``sample``, called on a shallow copy: it records a report."""
    if not hasattr(estimator, "sample"):
        return None
    return np.asarray(copy.copy(estimator).sample(6, random_state=1)[0], dtype=object)


def snapshot(estimator):
    """The fitted state: the rows it generates, and every attribute by identity."""
    rows = _sample(estimator)
    return dict(vars(estimator)), rows


def assert_unchanged(estimator, before):
    state, rows = before
    after = dict(vars(estimator))
    assert set(after) == set(state), set(after) ^ set(state)
    changed = [k for k in state if after[k] is not state[k]]
    assert not changed, f"attributes replaced by a failed call: {changed}"
    if rows is not None:
        np.testing.assert_array_equal(_sample(estimator), rows)


def assert_refused(call, args, error, message, heavy):
    """``call(*args)`` raises ``error`` matching ``message``, before heavy work."""
    with pytest.raises(error, match=message):
        call(*args)
    assert heavy == [], f"heavy work started before the error: {heavy}"


# ------------------------------------------------------- fitted estimators
@pytest.fixture(scope="module")
def fitted_augmenter():
    # Fitted on a DataFrame, so that feature_names_in_ is part of what must survive.
    return ActiveGANAugmenter(**FAST, **USER_ORACLE).fit(FRAME, Y)


@pytest.fixture(scope="module")
def fitted_filter():
    # The default oracle: its grid search is heavy work that bad input must not reach.
    return MarginFilter(threshold=1.0, random_state=0).fit(FRAME, Y)


@pytest.fixture(scope="module")
def fitted_classifier():
    return AugmentedClassifier(augmenter=ActiveGANAugmenter(**FAST, **USER_ORACLE),
                               classifier=LogisticRegression()).fit(FRAME, Y)


def _frame(**columns):
    return pd.DataFrame({"a": X_NUM[:, 0], **columns})


#: Bad X, with the error and the words its message must hold.  Each is refused by
#: all three estimators.
BAD_X = {
    "no columns": (lambda: np.empty((N, 0)), ValueError, "0 feature"),
    "3-D X": (lambda: X_NUM[:, :, None], ValueError, "dim 3"),
    "1-D X": (lambda: X_NUM[:, 0], ValueError, "2D array"),
    "no rows": (lambda: np.empty((0, 3)), ValueError, "0 sample"),
    "lengths differ": (lambda: X_NUM[:-1], ValueError, "inconsistent numbers"),
    "datetime column": (lambda: _frame(d=pd.date_range("2020", periods=N)),
                        ValueError, "datetime64.*neither numeric nor categorical"),
    "timedelta column": (lambda: _frame(d=pd.to_timedelta(np.arange(N), unit="s")),
                         ValueError, "timedelta64.*neither numeric nor categorical"),
    "sparse column": (lambda: _frame(s=pd.arrays.SparseArray(X_NUM[:, 1])),
                      TypeError, r"Sparse column.*\['s'\].*to_dense"),
    "NaN cell": (lambda: _frame(n=np.r_[np.nan, X_NUM[1:, 1]]), ValueError,
                 "column 'n' has 1 missing value"),
    "list cells": (lambda: _frame(l=[[1, 2]] * N), TypeError,
                   "column 'l' holds \\[1, 2\\] \\(list\\)"),
    "sparse matrix": (lambda: __import__("scipy.sparse").sparse.csr_matrix(X_NUM),
                      TypeError, "[Ss]parse"),
}

#: Bad y, with the error and the words its message must hold.
BAD_Y = {
    "None label": (np.array([None, 1] * (N // 2), dtype=object), "missing label"),
    "mixed int and str": (np.array([1, "a"] * (N // 2), dtype=object),
                          "mixes labels of types int .* and str"),
    "one class": (np.zeros(N), "at least 2 classes|more than 1 class"),
    "class of one row": (np.r_[np.zeros(N - 1), 1], "at least 2 samples"),
    "continuous y": (np.linspace(0, 1, N), "continuous"),
    "one-hot row of zeros": (np.r_[np.eye(2)[Y[:-1]], [[0, 0]]], "no class"),
}

#: Augmenter parameters the constraints or the parameter check refuse.
BAD_AUGMENTER_PARAMS = {
    "n_jobs=0": (dict(n_jobs=0), ValueError, "'n_jobs' parameter"),
    "callbacks=[1]": (dict(callbacks=[1]), TypeError, r"callbacks\[0\] is 1 \(int\)"),
    "oracle C=-1": (dict(oracle=LogisticRegression(C=-1)), ValueError,
                    "'C' parameter of LogisticRegression"),
    "oracle step C=-1": (
        dict(oracle=make_pipeline(StandardScaler(), LogisticRegression(C=-1))),
        ValueError, "'C' parameter of LogisticRegression"),
    "covariance_type=tied": (
        dict(generator=MLPGenerator(reward=MixtureReward(covariance_type="tied"))),
        ValueError, "'covariance_type' parameter"),
    "warmup_iter > max_iter": (dict(warmup_iter=50), ValueError, "do not fit"),
}


def _methods(estimator):
    calls = {"fit": estimator.fit}
    if hasattr(estimator, "fit_resample"):
        calls["fit_resample"] = estimator.fit_resample
    return calls


ESTIMATORS = ["fitted_augmenter", "fitted_filter", "fitted_classifier"]


@pytest.mark.parametrize("case", sorted(BAD_X))
@pytest.mark.parametrize("which", ESTIMATORS)
def test_bad_X_is_refused_before_training_and_changes_nothing(case, which, request,
                                                              heavy):
    estimator = request.getfixturevalue(which)
    heavy.clear()  # fitting the module's estimator is not the call under test
    make_X, error, message = BAD_X[case]
    before = snapshot(estimator)
    for method in _methods(estimator).values():
        y = Y if case != "no rows" else np.empty(0)
        assert_refused(method, (make_X(), y), error, message, heavy)
        assert_unchanged(estimator, before)


@pytest.mark.parametrize("case", sorted(BAD_Y))
@pytest.mark.parametrize("which", ESTIMATORS)
def test_bad_y_is_refused_before_training_and_changes_nothing(case, which, request,
                                                              heavy):
    estimator = request.getfixturevalue(which)
    heavy.clear()  # fitting the module's estimator is not the call under test
    y, message = BAD_Y[case]
    if which == "fitted_classifier" and case == "one-hot row of zeros":
        pytest.skip("a classifier takes 1-D labels (scikit-learn's own check)")
    before = snapshot(estimator)
    for method in _methods(estimator).values():
        assert_refused(method, (X_NUM, y), ValueError, message, heavy)
        assert_unchanged(estimator, before)


@pytest.mark.parametrize("case", sorted(BAD_AUGMENTER_PARAMS))
def test_bad_augmenter_parameters_are_refused_before_training(case, fitted_augmenter,
                                                              heavy):
    params, error, message = BAD_AUGMENTER_PARAMS[case]
    before = snapshot(fitted_augmenter)
    for name in ("fit", "fit_resample"):
        fitted_augmenter.set_params(**params)
        try:
            method = getattr(fitted_augmenter, name)
            assert_refused(method, (FRAME, Y), error, message, heavy)
        finally:
            fitted_augmenter.set_params(**{k: before[0][k] for k in params})
        assert_unchanged(fitted_augmenter, before)
    # Inside AugmentedClassifier, refused in the same way.
    clf = AugmentedClassifier(augmenter=ActiveGANAugmenter(**{**FAST, **params}),
                              classifier=LogisticRegression())
    assert_refused(clf.fit, (FRAME, Y), error, message, heavy)


def test_filter_oracle_with_bad_parameters_is_refused_by_fit_resample(fitted_filter,
                                                                      heavy):
    before = snapshot(fitted_filter)
    fitted_filter.set_params(oracle=LogisticRegression(C=-1))
    try:
        for method in (fitted_filter.fit, fitted_filter.fit_resample):
            assert_refused(method, (X_NUM, Y), ValueError,
                           "'C' parameter of LogisticRegression", heavy)
    finally:
        fitted_filter.set_params(oracle=before[0]["oracle"])
    assert_unchanged(fitted_filter, before)


# ------------------------------------------------------------ property-based
LABEL = st.one_of(st.integers(-5, 5), st.text("abc", min_size=1, max_size=2))


@st.composite
def mixed_labels(draw):
    """Labels of N rows holding both an int and a str, anywhere."""
    labels = draw(st.lists(LABEL, min_size=N, max_size=N))
    i, j = draw(st.lists(st.integers(0, N - 1), min_size=2, max_size=2, unique=True))
    labels[i], labels[j] = draw(st.integers(0, 9)), draw(st.text("xyz", min_size=1))
    return labels


@CHEAP
@given(labels=mixed_labels(), as_list=st.booleans())
def test_any_mix_of_int_and_str_labels_is_named(fitted_augmenter, heavy, labels,
                                                as_list):
    y = labels if as_list else np.array(labels, dtype=object)
    before = snapshot(fitted_augmenter)
    assert_refused(fitted_augmenter.fit_resample, (X_NUM, y), ValueError,
                   "y mixes labels of types int .* and str .*; convert", heavy)
    assert_unchanged(fitted_augmenter, before)


@CHEAP
@given(row=st.integers(0, N - 1), missing=st.sampled_from([None, np.nan, pd.NA]),
       kind=st.sampled_from(["int", "str"]))
def test_a_missing_label_anywhere_is_named_with_its_row(fitted_filter, heavy, row,
                                                        missing, kind):
    y = np.array(Y if kind == "int" else np.array(["p", "q"])[Y], dtype=object)
    y[row] = missing
    before = snapshot(fitted_filter)
    assert_refused(fitted_filter.fit_resample, (X_NUM, y), ValueError,
                   f"1 missing label.*first at row {row}", heavy)
    assert_unchanged(fitted_filter, before)


@pytest.mark.parametrize("which", ESTIMATORS)
@CHEAP
@given(row=st.integers(0, N - 1), column=st.integers(0, X_NUM.shape[1] - 1),
       value=st.sampled_from([np.nan, np.inf, -np.inf]), frame=st.booleans())
def test_a_non_finite_number_is_named_with_its_column_and_row(
        which, request, heavy, row, column, value, frame):
    estimator = request.getfixturevalue(which)
    heavy.clear()
    X = X_NUM.copy()
    X[row, column] = value
    name = column
    if frame:
        X, name = pd.DataFrame(X, columns=["p", "q", "r"]), repr("pqr"[column])
    kind = "missing" if np.isnan(value) else "infinite"
    before = snapshot(estimator)
    for method in _methods(estimator).values():
        assert_refused(method, (X, Y), ValueError,
                       f"column {name} has 1 {kind} value.*first at row {row}", heavy)
        assert_unchanged(estimator, before)


BAD_CELLS = {
    "NaN": (np.nan, ValueError, "missing value"),
    "None": (None, ValueError, "missing value"),
    "list": ([1], TypeError, "holds \\[1\\] \\(list\\)"),
    "dict": ({"k": 1}, TypeError, "holds \\{'k': 1\\} \\(dict\\)"),
}


@CHEAP
@given(row=st.integers(0, N - 1), column=st.sampled_from(["a", "b", "c"]),
       cell=st.sampled_from(sorted(BAD_CELLS)))
def test_a_bad_cell_anywhere_is_named_by_its_column(fitted_augmenter, heavy, row,
                                                    column, cell):
    value, error, message = BAD_CELLS[cell]
    values = FRAME[column].astype(object).tolist()
    values[row] = value
    frame = FRAME.assign(**{column: pd.Series(values, dtype=object)})
    before = snapshot(fitted_augmenter)
    for method in (fitted_augmenter.fit, fitted_augmenter.fit_resample):
        assert_refused(method, (frame, Y), error,
                       f"column '{column}'.*" + message, heavy)
        assert_unchanged(fitted_augmenter, before)


@CHEAP
@given(n_jobs=st.integers(-3, 3))
def test_n_jobs_zero_alone_is_refused(heavy, n_jobs):
    aug = ActiveGANAugmenter(**FAST, n_jobs=n_jobs, callbacks=[None])
    # A callback that cannot be called is refused whatever n_jobs is; n_jobs=0 first.
    message = "'n_jobs' parameter" if n_jobs == 0 else r"callbacks\[0\] is None"
    error = ValueError if n_jobs == 0 else TypeError
    assert_refused(aug.fit, (X_NUM, Y), error, message, heavy)


# ------------------------------------------------------ unusual but valid
def test_string_array_keeps_its_dtype_like_imbalanced_learn():
    from imblearn.over_sampling import RandomOverSampler

    X = np.array([["a", "b"], ["b", "a"], ["a", "a"], ["b", "b"]] * 5)
    X_res, _ = ActiveGANAugmenter(**FAST).fit_resample(X, Y)
    assert X_res.dtype == RandomOverSampler().fit_resample(X, Y)[0].dtype == X.dtype
    assert set(X_res[N:].ravel()) <= {"a", "b"}


@pytest.mark.parametrize("n_classes", [2, 3])
def test_one_hot_y_comes_back_one_hot_with_its_columns(n_classes):
    y = np.arange(N) % n_classes
    Y_hot = np.eye(n_classes, dtype=int)[y]
    X_res, y_res = ActiveGANAugmenter(**FAST, **USER_ORACLE).fit_resample(X_NUM, Y_hot)
    assert y_res.shape == (len(X_res), n_classes)
    np.testing.assert_array_equal(y_res[:N], Y_hot)
    assert (y_res.sum(axis=1) == 1).all()
    X_kept, y_kept = MarginFilter(threshold=1.0, **USER_ORACLE).fit_resample(X_NUM,
                                                                             Y_hot)
    assert y_kept.shape == (len(X_kept), n_classes)


MIXED = pd.DataFrame({"x": X_NUM[:, 0],
                      "colour": pd.Categorical(np.where(X_NUM[:, 1] > 0, "red",
                                                        "blue")),
                      "size": np.where(X_NUM[:, 2] > 0, "S", "L")})


def test_default_oracles_encode_a_mixed_table_as_the_augmenter_does():
    X_kept, _ = MarginFilter(threshold=1.0, top_k=None,
                             random_state=0).fit_resample(MIXED, Y)
    assert X_kept.equals(MIXED)  # no threshold, no label check: every row is kept
    svc = DefaultSVC(random_state=0).fit(MIXED, Y)
    assert svc.encoder_.kinds_ == ["float", "category", "category"]
    assert svc.predict_proba(MIXED).shape == (N, 2)
    clf = AugmentedClassifier(augmenter=ActiveGANAugmenter(**FAST),
                              random_state=0).fit(MIXED, Y)
    assert isinstance(clf.classifier_, DefaultSVC) and clf.n_generated_ == 4
    assert set(clf.predict(MIXED)) <= {0, 1}
    # A numeric table is not encoded.
    assert DefaultSVC(random_state=0).fit(X_NUM, Y).encoder_ is None


def test_sparse_columns_are_refused_before_the_default_grid_search(heavy):
    sparse = MIXED[["x"]].astype(pd.SparseDtype(float))
    for call in (MarginFilter(random_state=0).fit_resample, DefaultSVC().fit):
        assert_refused(call, (sparse, Y), TypeError, "Sparse column", heavy)


def test_failed_default_svc_fit_changes_nothing(heavy):
    svc = DefaultSVC(random_state=0).fit(X_NUM, Y)
    heavy.clear()
    before = snapshot(svc)
    for y, message in ((BAD_Y["None label"][0], "missing label"),
                       (np.zeros(N), "at least 2 classes")):
        assert_refused(svc.fit, (MIXED, y), ValueError, message, heavy)
        assert_unchanged(svc, before)


# ------------------------------------------------------------- the commands
def write(path, text):
    path.write_text(text)
    return str(path)


def one_line_error(capsys, prefix="skactivegan augment: error: "):
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(prefix), err
    assert "Traceback" not in err
    return err


GOOD_CSV = "a,b,label\n" + "".join(
    f"{v:.3f},{w:.3f},{'xy'[k]}\n" for (v, w), k in zip(X_NUM[:, :2], Y))
BIG = 2**64

AUGMENT_CASES = {
    "integers above 2^63": ("a,b,label\n" + "".join(
        f"{i},{BIG + i},{'xy'[i % 2]}\n" for i in range(N)), [],
        "line 2: the integer 18446744073709551616 in column 'b' is outside the "
        "64-bit range"),
    "integers below -2^63": ("a,label\n" + "".join(
        f"{-BIG - i},{'xy'[i % 2]}\n" for i in range(N)), [], "outside the 64-bit"),
    "n_jobs 0": (GOOD_CSV, ["--n-jobs", "0"], "'n_jobs' parameter"),
    "covariance tied": (GOOD_CSV, ["--generator", "mlp", "--covariance-type", "tied"],
                        "'covariance_type' parameter"),
    "an option of another generator": (
        GOOD_CSV, ["--k-neighbors", "3", "--generator", "mlp"],
        "--k-neighbors is not an option of --generator mlp"),
    "max-iter -1": (GOOD_CSV, ["--max-iter", "-1"], "'max_iter' parameter"),
    "one class": ("a,label\n" + "".join(f"{i},x\n" for i in range(N)), [],
                  "single class"),
    "header only": ("a,label\n", [], "no data rows"),
}


@pytest.mark.parametrize("case", sorted(AUGMENT_CASES))
def test_augment_refuses_in_one_line_before_training(case, tmp_path, capsys, heavy):
    text, options, message = AUGMENT_CASES[case]
    data = write(tmp_path / "data.csv", text)
    out = tmp_path / "out.csv"
    assert cli.main(["augment", data, "--target", "label", "-o", str(out), "--quiet",
                     *options]) == 1
    assert message in one_line_error(capsys)
    assert heavy == []
    assert os.listdir(tmp_path) == ["data.csv"]  # no output, no temporary file


def test_augment_leaves_an_existing_output_alone_when_it_fails(tmp_path, capsys,
                                                               heavy):
    data = write(tmp_path / "data.csv", GOOD_CSV)
    out = write(tmp_path / "out.csv", "keep me\n")
    assert cli.main(["augment", data, "--target", "label", "-o", out, "--quiet",
                     "--n-jobs", "0"]) == 1
    one_line_error(capsys)
    assert Path(out).read_text() == "keep me\n"
    assert sorted(os.listdir(tmp_path)) == ["data.csv", "out.csv"]


def test_augment_help_offers_exactly_the_words_the_estimator_accepts(capsys):
    with pytest.raises(SystemExit):
        cli.main(["augment", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    offered = 0
    for table, owner in ((cli.AUGMENTER_OPTIONS, ActiveGANAugmenter),
                         (cli.REWARD_OPTIONS, MixtureReward),
                         (cli.MLP_OPTIONS, MLPGenerator)):
        constraints = owner._parameter_constraints
        for name, reader, _ in table:
            words = set().union(*(c.options for c in constraints[name]
                                  if isinstance(c, StrOptions)))
            if reader is not str or not words:
                continue
            option = "--" + name.replace("_", "-")
            start = help_text.index(option + " " + name.upper())
            entry = help_text[start:help_text.index("; default:", start)]
            assert all(word in entry for word in words), (option, entry)
            offered += 1
    assert offered >= 4
    entry = help_text[help_text.index("--covariance-type COVARIANCE_TYPE"):]
    entry = entry[:entry.index("; default:")]
    assert "tied" not in entry and "spherical" not in entry


EVALUATE_CASES = {
    "header only": ("a,b,label\n", [], "no rows"),
    "one class": ("a,label\n" + "".join(f"{i},x\n" for i in range(N)), [],
                  "single class ('x')"),
    "class of one row": (GOOD_CSV + "0.5,0.5,z\n", ["--n-splits", "2"],
                         "{'z': 1} (label: rows) are too small for 2-fold"),
    "class of one row, any folds": (GOOD_CSV + "0.5,0.5,z\n", [],
                                    "cannot be evaluated with any number of folds"),
    "class too small for 2 folds": (GOOD_CSV + "0.5,0.5,z\n" * 3,
                                    ["--n-splits", "2"], "(--n-splits 3)"),
    "held-out part too large": (GOOD_CSV, ["--test-size", "0.85"],
                                "fewer than 2 rows of class"),
    "max-iter -1": (GOOD_CSV, ["--max-iter", "-1"], "'max_iter' parameter"),
    "gan n_jobs 0": (GOOD_CSV, ["--gan-param", "n_jobs=0"], "'n_jobs' parameter"),
    "threshold 2": (GOOD_CSV, ["--threshold", "2"], "'threshold' parameter"),
    "classifier C=-1": (GOOD_CSV, ["--classifier",
                                   "sklearn.linear_model.LogisticRegression",
                                   "--classifier-param", "C=-1"], "'C' parameter"),
    "unknown method": (GOOD_CSV, ["--methods", "GAN++"], "Unknown method"),
    "None label": ("a,label\n" + "".join(f"{i},{'x' if i % 2 else ''}\n"
                                         for i in range(N)), [], "missing label"),
}


@pytest.mark.parametrize("case", sorted(EVALUATE_CASES))
def test_evaluate_refuses_in_one_line_before_any_split(case, tmp_path, capsys, heavy):
    text, options, message = EVALUATE_CASES[case]
    data = write(tmp_path / "data.csv", text)
    report = tmp_path / "report"
    assert cli.main(["evaluate", data, "--target", "label", "--output", str(report),
                     "--quiet", *options]) == 2
    assert message in one_line_error(capsys, prefix="skactivegan evaluate: error: ")
    assert heavy == []
    assert os.listdir(tmp_path) == ["data.csv"]  # no report folder


@pytest.mark.parametrize("where", ["an existing file", "a folder under a file"])
def test_evaluate_refuses_an_output_that_cannot_be_a_folder(where, tmp_path, capsys,
                                                            heavy):
    data = write(tmp_path / "data.csv", GOOD_CSV)
    existing = write(tmp_path / "taken", "mine\n")
    output = existing if where == "an existing file" else existing + "/report"
    assert cli.main(["evaluate", data, "--target", "label", "--output", output,
                     "--quiet"]) == 2
    err = one_line_error(capsys, prefix="skactivegan evaluate: error: ")
    assert ("is an existing file" if where == "an existing file"
            else "is a file, not a folder") in err
    assert heavy == []
    assert Path(existing).read_text() == "mine\n"
    assert sorted(os.listdir(tmp_path)) == ["data.csv", "taken"]
