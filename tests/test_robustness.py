"""Property-based tests: every input either works or gets a clear error.

For any valid labelled data set (shapes, dtypes, label types, tiny or imbalanced
classes, constant columns, duplicated rows, magnitudes), ``fit_resample`` returns the
real rows unchanged, then generated rows that are finite and carry known labels.
Invalid inputs raise a ``ValueError`` that says what is wrong.
"""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skactivegan import ActiveGANAugmenter, AugmentedClassifier, MarginFilter
from skactivegan.uncertainty import entropy, margin, reward

# Tiny GANs on random data rarely make rows their oracle agrees with: the filter then
# returns fewer rows with a GenerationBudgetWarning, which these shape tests allow.
pytestmark = pytest.mark.filterwarnings(
    "ignore::skactivegan.exceptions.GenerationBudgetWarning"
)

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

# Fixed examples (derandomize) and no example database: the same cases on every run,
# and nothing written next to the tests.
FAST = settings(
    max_examples=25, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FEW = settings(FAST, max_examples=8)
CHEAP = settings(max_examples=60, deadline=None, derandomize=True, database=None)


def tiny_augmenter(**params):
    """Few iterations, small networks, and an oracle that standardises its input."""
    defaults = dict(max_iter=20, warmup_iter=10, random_state=0, filter=None,
                    oracle=make_pipeline(StandardScaler(), LogisticRegression()))
    return ActiveGANAugmenter(**{**defaults, **params})


LABEL_KINDS = {
    "int": lambda k: np.arange(k),
    "negative int": lambda k: -7 * np.arange(1, k + 1),
    "str": lambda k: np.array([f"class {c}" for c in "αβγδ"[:k]]),
    "integral float": lambda k: np.arange(k) + 10.0,
    "bool": lambda k: np.array([False, True])[:k],
}
DTYPES = ["float64", "float32", "int64", "int32", "uint8", "bool"]


@st.composite
def labelled_data(draw):
    """A valid labelled data set and a description of how it was made."""
    label_kind = draw(st.sampled_from(sorted(LABEL_KINDS)))
    n_classes = 2 if label_kind == "bool" else draw(st.integers(2, 4))
    counts = draw(st.lists(st.integers(2, 6), min_size=n_classes, max_size=n_classes))
    if draw(st.booleans()):  # highly imbalanced: one large class
        counts[0] = draw(st.integers(15, 30))
    n, d = sum(counts), draw(st.integers(1, 5))
    dtype = draw(st.sampled_from(DTYPES))

    if dtype == "bool":
        X = draw(hnp.arrays(np.bool_, (n, d)))
    elif dtype.startswith(("int", "uint")):
        info = np.iinfo(dtype)
        low, high = max(info.min, -1000), min(info.max, 1000)
        X = draw(hnp.arrays(dtype, (n, d), elements=st.integers(low, high)))
    else:
        # Any magnitude a float32 holds comfortably; values up to a few spreads.
        exponent = draw(st.integers(-20, 20))
        unit = draw(hnp.arrays(np.float64, (n, d), elements=st.floats(-3, 3, width=32)))
        X = (unit * 10.0**exponent + draw(st.sampled_from([0.0, 10.0**exponent * 50])))
        X = X.astype(dtype)
    if draw(st.booleans()):  # a constant column
        X[:, draw(st.integers(0, d - 1))] = X[0, 0]
    if n >= 4 and draw(st.booleans()):  # duplicated rows
        X[n // 2:] = X[: n - n // 2]

    y = np.repeat(LABEL_KINDS[label_kind](n_classes), counts)
    order = draw(st.permutations(range(n)))
    return X, y[list(order)], {"label_kind": label_kind, "dtype": dtype}


def _check_augmented(X, y, X_res, y_res, n_generated_max, label_dtype=True):
    n = len(X)
    assert len(X_res) == len(y_res) and n <= len(X_res) <= n + n_generated_max
    # The caller's dtype: float32 stays float32, integers integral, booleans boolean.
    assert X_res.dtype == X.dtype
    # The real rows first, unchanged.
    np.testing.assert_array_equal(X_res[:n], X)
    np.testing.assert_array_equal(y_res[:n], y)
    if label_dtype:
        assert y_res.dtype == y.dtype
    # Generated rows: finite, with labels that were in the data.
    X_gen, y_gen = X_res[n:], y_res[n:]
    assert np.isfinite(X_res).all()
    assert set(np.unique(y_gen).tolist()) <= set(np.unique(y).tolist())
    # In the caller's units: each non-constant column stays near the data's range.
    low, high = X.min(axis=0).astype(np.float64), X.max(axis=0).astype(np.float64)
    span = high - low
    varying = span > 0
    if len(X_gen) and varying.any():
        gen = X_gen.astype(np.float64)[:, varying]
        assert (gen >= low[varying] - 10 * span[varying]).all()
        assert (gen <= high[varying] + 10 * span[varying]).all()


@FAST
@given(data=labelled_data(), threshold=st.sampled_from([None, 0.3, 1.0]))
def test_any_valid_data_set_works(data, threshold):
    X, y, _ = data
    flt = None if threshold is None else MarginFilter(threshold=threshold)
    aug = tiny_augmenter(filter=flt, n_samples=12)
    X_res, y_res = aug.fit_resample(X, y)
    _check_augmented(X, y, X_res, y_res, n_generated_max=12)
    X_gen, y_gen = aug.sample(7)
    assert len(X_gen) <= 7 and np.isfinite(X_gen).all()
    assert set(np.unique(y_gen).tolist()) <= set(np.unique(y).tolist())


@FEW
@given(data=labelled_data())
def test_dataframes_in_dataframes_out(data):
    pd = pytest.importorskip("pandas")
    X, y, _ = data
    columns = [f"f{j}" for j in range(X.shape[1])]
    frame, labels = pd.DataFrame(X, columns=columns), pd.Series(y, name="target")
    X_res, y_res = tiny_augmenter(n_samples=5).fit_resample(frame, labels)
    assert list(X_res.columns) == columns and y_res.name == "target"
    assert y_res.dtype == labels.dtype
    _check_augmented(X, y, X_res.to_numpy(), y_res.to_numpy(), n_generated_max=5,
                     label_dtype=False)


@FEW
@given(data=labelled_data())
def test_augmented_classifier_predicts_known_labels(data):
    X, y, _ = data
    clf = AugmentedClassifier(augmenter=tiny_augmenter(n_samples=5),
                              classifier=make_pipeline(StandardScaler(),
                                                       LogisticRegression()))
    pred = clf.fit(X, y).predict(X)
    assert pred.dtype == y.dtype
    assert set(np.unique(pred).tolist()) <= set(np.unique(y).tolist())
    proba = clf.predict_proba(X)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)


rng = np.random.RandomState(0)
X_OK = rng.normal(size=(12, 3))
Y_OK = np.repeat([0, 1, 2], 4)

INVALID = {
    "NaN in X": (np.where(X_OK > 1.5, np.nan, X_OK), Y_OK, "missing value.*NaN"),
    "inf in X": (np.where(X_OK > 1.5, np.inf, X_OK), Y_OK, "infinite value.*inf"),
    "1-D X": (X_OK[:, 0], Y_OK, "Expected 2D array"),
    "3-D X": (X_OK[:, :, None], Y_OK, "dim 3"),
    "no rows": (np.empty((0, 3)), np.empty(0), "0 sample"),
    "no columns": (np.empty((12, 0)), Y_OK, "0 feature"),
    "complex X": (X_OK + 1j, Y_OK, "Complex data not supported"),
    "text X": (np.full((12, 3), "a"), Y_OK, "could not convert"),
    "one class": (X_OK, np.zeros(12), "at least 2 classes"),
    "class of one row": (X_OK, np.r_[np.zeros(11), 1], "at least 2 samples"),
    "continuous y": (X_OK, rng.rand(12), "Unknown label type: continuous"),
    "mixed label types": (X_OK, np.array([1, "a"] * 6, dtype=object),
                          "mixes labels of types int"),
    "lengths differ": (X_OK, Y_OK[:-1], "inconsistent numbers of samples"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_inputs_give_a_clear_error(case):
    X, y, message = INVALID[case]
    with pytest.raises(ValueError, match=message):
        tiny_augmenter().fit_resample(X, y)


# ---------------------------------------------------------------- pure parts
@st.composite
def probabilities(draw):
    k = draw(st.integers(2, 8))
    n = draw(st.integers(1, 20))
    weights = draw(hnp.arrays(np.float64, (n, k), elements=st.one_of(
        st.just(0.0), st.floats(1e-300, 1e300))))
    weights[weights.sum(axis=1) == 0, 0] = 1.0  # at least one class possible
    # Normalise in two steps so that huge weights do not overflow the sum.
    weights = weights / weights.max(axis=1, keepdims=True)
    return weights / weights.sum(axis=1, keepdims=True)


@CHEAP
@given(proba=probabilities(), alpha=st.floats(0.0, 1.0))
def test_uncertainty_functions_are_bounded(proba, alpha):
    k = proba.shape[1]
    u_m, u_le, r = margin(proba), entropy(proba), reward(proba, alpha=alpha)
    assert u_m.shape == u_le.shape == r.shape == (len(proba),)
    assert np.isfinite(u_m).all() and np.isfinite(u_le).all() and np.isfinite(r).all()
    assert ((u_m >= 0) & (u_m <= 1 + 1e-12)).all()
    assert ((u_le >= -1e-12) & (u_le <= np.log(k) + 1e-9)).all()
    # r = α exp(1 - u_m) + (1 - α) exp(u_le), with exp(1 - u_m) in [1, e] and
    # exp(u_le) in [1, K].
    assert (r >= 1 - 1e-9).all()
    assert (r <= alpha * np.e + (1 - alpha) * k + 1e-9).all()


@CHEAP
@given(X=hnp.arrays(np.float64, (16, 2), elements=st.floats(-1e6, 1e6)),
       threshold=st.floats(0.0, 1.0), top_k=st.sampled_from([None, 1, 2]))
def test_margin_filter_keeps_rows_unchanged(X, threshold, top_k):
    y = np.repeat([0, 1], 8)
    oracle = LogisticRegression().fit(X_OK[:, :2], Y_OK % 2)
    flt = MarginFilter(threshold=threshold, top_k=top_k, oracle=oracle)
    X_kept, y_kept = flt.fit_resample(X, y)
    idx = flt.sample_indices_
    assert (np.diff(idx) > 0).all()
    np.testing.assert_array_equal(X_kept, X[idx])
    np.testing.assert_array_equal(y_kept, y[idx])
    # Kept: margin at most the threshold and, with top_k, fewer than top_k classes
    # strictly more probable than the row's label.
    proba = oracle.predict_proba(X)
    expected = margin(proba) <= threshold
    if top_k is not None:
        expected &= (proba > proba[np.arange(len(X)), y][:, None]).sum(axis=1) < top_k
    np.testing.assert_array_equal(idx, np.flatnonzero(expected))


# ------------------------------------------- constant, subnormal and huge columns
def test_constant_column_stays_constant_in_generated_rows():
    X = X_OK.copy()
    X[:, 1] = 5.0
    X_res, _ = tiny_augmenter(n_samples=20).fit_resample(X, Y_OK)
    np.testing.assert_array_equal(X_res[12:, 1], 5.0)


def test_subnormal_magnitudes_stay_in_the_callers_units():
    X = X_OK * 1e-310
    X_res, _ = tiny_augmenter(n_samples=20).fit_resample(X, Y_OK)
    assert np.abs(X_res[12:]).max() <= 10 * np.abs(X).max()


def test_huge_magnitudes_work_or_give_a_clear_error():
    X = X_OK * 1e200
    try:
        X_res, _ = tiny_augmenter(n_samples=20).fit_resample(X, Y_OK)
    except ValueError as exc:
        assert "too large" in str(exc) or "rescale" in str(exc)
    else:
        assert np.isfinite(X_res).all()
