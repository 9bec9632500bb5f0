"""The calibrated SVM evaluated in torch must be ``predict_proba``, to rounding."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.svm import SVC

import skactivegan.oracle._oracle as augmenter_module
from skactivegan import ActiveGANAugmenter
from skactivegan.exceptions import OracleFallbackWarning
from skactivegan.oracle._svm_torch import (
    TorchCalibratedSVC,
    calibrated_proba,
    compile_oracle,
    ovr_from_ovo,
)
from skactivegan.oracle._oracle import build_network_oracle, fit_default_oracle

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:240], y[:240]


@pytest.fixture(scope="module")
def binary():
    X, y = load_breast_cancer(return_X_y=True)
    return X[:200], y[:200]


def _off_manifold(X, seed=0):
    rng = np.random.default_rng(seed)
    return X + rng.normal(0.0, 2.0 * X.std(0) + 1e-3, X.shape)


def _assert_matches(oracle, X):
    fast = compile_oracle(oracle, oracle.classes_, X[:32], CPU)
    assert isinstance(fast, TorchCalibratedSVC)
    probe = np.concatenate([X, _off_manifold(X)])
    got = fast(torch.as_tensor(probe, dtype=torch.float64)).numpy()
    np.testing.assert_allclose(got, oracle.predict_proba(probe), rtol=0, atol=1e-12)


def test_default_oracle_is_reproduced(digits):
    X, y = digits
    _assert_matches(fit_default_oracle(X, y, random_state=0), X)


@pytest.mark.parametrize("kernel", ["rbf", "linear", "poly", "sigmoid"])
@pytest.mark.parametrize("ensemble", [True, False])
@pytest.mark.parametrize("data", ["digits", "binary"])
def test_calibrated_svc_is_reproduced(kernel, ensemble, data, request):
    X, y = request.getfixturevalue(data)
    svc = make_pipeline(StandardScaler(), SVC(kernel=kernel, C=10.0))
    oracle = CalibratedClassifierCV(svc, cv=3, ensemble=ensemble).fit(X, y)
    _assert_matches(oracle, X)


def test_bare_svc_and_string_labels(digits):
    X, y = digits
    labels = np.array(list("abcdefghij"))[y]
    oracle = CalibratedClassifierCV(SVC(gamma=0.001), cv=3).fit(X, labels)
    _assert_matches(oracle, X)


@pytest.mark.parametrize(
    "make_oracle",
    [
        lambda: CalibratedClassifierCV(SVC(), cv=3, method="isotonic"),
        lambda: CalibratedClassifierCV(LogisticRegression(max_iter=200), cv=3),
        lambda: CalibratedClassifierCV(make_pipeline(MinMaxScaler(), SVC()), cv=3),
        lambda: CalibratedClassifierCV(SVC(decision_function_shape="ovo"), cv=3),
        lambda: LogisticRegression(max_iter=200),
    ],
    ids=["isotonic", "logistic", "minmax-scaler", "ovo-shape", "not-calibrated"],
)
def test_other_oracles_are_not_compiled(make_oracle, digits):
    X, y = digits
    oracle = make_oracle().fit(X, y)
    assert compile_oracle(oracle, oracle.classes_, X[:16], CPU) is None


def test_sparse_training_data_is_not_compiled(digits):
    X, y = digits
    oracle = CalibratedClassifierCV(SVC(), cv=3).fit(sp.csr_matrix(X), y)
    assert compile_oracle(oracle, oracle.classes_, X[:16], CPU) is None


def test_other_classes_are_not_compiled(digits):
    X, y = digits
    oracle = CalibratedClassifierCV(SVC(), cv=3).fit(X, y)
    assert compile_oracle(oracle, np.arange(1, 11), X[:16], CPU) is None


def test_a_wrong_evaluation_is_caught_by_the_probe(digits, monkeypatch):
    X, y = digits
    oracle = CalibratedClassifierCV(SVC(), cv=3).fit(X, y)
    monkeypatch.setattr(
        "skactivegan.oracle._svm_torch.ovr_from_ovo", lambda dec, first, second: dec @ first
    )
    assert compile_oracle(oracle, oracle.classes_, X[:16], CPU) is None


def test_ovr_from_ovo_by_hand():
    # Three classes, pairs (0, 1), (0, 2), (1, 2).
    first = torch.tensor([[1.0, 0, 0], [1, 0, 0], [0, 1, 0]], dtype=torch.float64)
    second = torch.tensor([[0.0, 1, 0], [0, 0, 1], [0, 0, 1]], dtype=torch.float64)
    dec = torch.tensor([[2.0, 0.0, -1.0]], dtype=torch.float64)
    # Votes: 0 beats 1, a tie (0.0) goes to 0, 2 beats 1 -> (2, 0, 1).
    # Confidences: class 0: 2 + 0, class 1: -2 - 1, class 2: -0 + 1.
    confidence = np.array([2.0, -3.0, 1.0])
    expected = np.array([2.0, 0.0, 1.0]) + confidence / (3 * (np.abs(confidence) + 1))
    np.testing.assert_allclose(ovr_from_ovo(dec, first, second).numpy()[0], expected)


def test_calibrated_proba_binary_and_underflow():
    binary = calibrated_proba(torch.tensor([[0.0], [10.0]]), torch.tensor([-1.0]),
                              torch.tensor([0.0]))
    np.testing.assert_allclose(binary.sum(1).numpy(), 1.0)
    assert binary[0, 1] == pytest.approx(0.5)
    assert binary[1, 1] > 0.99
    # Every sigmoid underflows to 0: the row becomes uniform, as in scikit-learn.
    dead = calibrated_proba(torch.full((1, 4), 1e4, dtype=torch.float64),
                            torch.ones(4, dtype=torch.float64),
                            torch.zeros(4, dtype=torch.float64))
    np.testing.assert_allclose(dead.numpy(), 0.25)


def _generator_weights(X, y, monkeypatch, compiled):
    if not compiled:
        monkeypatch.setattr(augmenter_module, "compile_oracle", lambda *a: None)
    aug = ActiveGANAugmenter(max_iter=12, warmup_iter=4, random_state=0,
                             device="cpu", uncertainty_weight=1.0)
    with warnings.catch_warnings():  # the fallback warns, as it should
        warnings.simplefilter("ignore", OracleFallbackWarning)
        aug.fit(X, y)
    assert aug.oracle_backend_ == ("torch" if compiled else "predict_proba")
    monkeypatch.undo()
    return [p.detach().clone() for p in aug.generator_.parameters()], aug.history_


def test_training_with_the_compiled_oracle_matches_predict_proba(digits, monkeypatch):
    X, y = digits
    calls = []
    original = augmenter_module.compile_oracle
    monkeypatch.setattr(augmenter_module, "compile_oracle",
                        lambda *a: calls.append(1) or original(*a))
    fast, fast_history = _generator_weights(X, y, monkeypatch, compiled=True)
    assert calls  # the default oracle did take the compiled path
    slow, slow_history = _generator_weights(X, y, monkeypatch, compiled=False)
    # The fallback decodes rows to the caller's units and encodes them again: float
    # round-off of that trip (1e-7 relative) grows a little over 12 iterations.
    for a, b in zip(fast, slow):
        torch.testing.assert_close(a, b, rtol=1e-3, atol=1e-4)
    rewards = [(f["reward"], s["reward"]) for f, s in zip(fast_history, slow_history)]
    np.testing.assert_allclose(*zip(*rewards), rtol=1e-6)


@pytest.mark.parametrize("data", ["digits", "binary"])
def test_float32_evaluation_is_close_and_differentiable(data, request):
    X, y = request.getfixturevalue(data)
    oracle = fit_default_oracle(X, y, random_state=0)
    fast = compile_oracle(oracle, oracle.classes_, X[:32], CPU, torch.float32)
    assert isinstance(fast, TorchCalibratedSVC) and fast.dtype == torch.float32
    probe = np.concatenate([X, _off_manifold(X)])
    x = torch.as_tensor(probe, dtype=torch.float32).requires_grad_(True)
    proba = fast(x)
    assert proba.dtype == torch.float32
    np.testing.assert_allclose(proba.detach().numpy(), oracle.predict_proba(probe),
                               rtol=0, atol=1e-5)
    proba[:, 0].sum().backward()
    assert torch.isfinite(x.grad).all() and x.grad.abs().sum() > 0


def test_float64_gradient_matches_finite_differences(binary):
    X, y = binary
    oracle = CalibratedClassifierCV(make_pipeline(StandardScaler(), SVC()), cv=3).fit(X, y)
    fast = compile_oracle(oracle, oracle.classes_, X[:32], CPU)
    x = torch.as_tensor(X[:3], dtype=torch.float64).requires_grad_(True)
    assert torch.autograd.gradcheck(lambda rows: fast(rows)[:, 1], (x,))


def test_training_uses_the_float32_evaluation(digits, monkeypatch):
    X, y = digits
    dtypes = []
    original = augmenter_module.compile_oracle

    def spy(*args):
        fast = original(*args)
        dtypes.append((args[-1], fast is not None))
        return fast

    monkeypatch.setattr(augmenter_module, "compile_oracle", spy)
    ActiveGANAugmenter(max_iter=4, warmup_iter=2, random_state=0).fit(X, y)
    assert dtypes == [(torch.float32, True)]


def test_float64_is_the_fallback_when_float32_is_not_close(digits, monkeypatch):
    X, y = digits
    monkeypatch.setitem(augmenter_module.compile_oracle.__globals__["_TOLERANCE"],
                        torch.float32, 0.0)
    aug = ActiveGANAugmenter(max_iter=4, warmup_iter=2, random_state=0)
    encoder = StandardScaler().fit(X)
    Z = encoder.transform(X)
    oracle = build_network_oracle(None, encoder, Z, np.unique(y), CPU,
                                  encoded_oracle=fit_default_oracle(Z, y, random_state=0))
    assert oracle.compiled.dtype == torch.float64
    aug.fit(X, y)  # and training runs with it
    assert np.isfinite([r["uncertainty"] for r in aug.history_[2:]]).all()
