import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.utils.estimator_checks import parametrize_with_checks

from skactivegan.tables._encoder import TableEncoder


@parametrize_with_checks([TableEncoder()])
def test_sklearn_compatible_transformer(estimator, check):
    check(estimator)


def mixed_frame():
    """Four rows with every supported dtype."""
    return pd.DataFrame({
        "f64": [1.5, -2.25, 3.0, 0.125],
        "f32": np.array([1.0, 2.5, -3.0, 4.0], dtype=np.float32),
        "i64": np.array([1, 5, 9, -4], dtype=np.int64),
        "i32": np.array([3, 7, 3, 3], dtype=np.int32),
        "u8": np.array([0, 255, 7, 7], dtype=np.uint8),
        "flag": [True, False, True, True],
        "obj": pd.Series(["north", "south", "north", "east"], dtype=object),
        "cat": pd.Categorical(["lo", "hi", "lo", "lo"], categories=["lo", "mid", "hi"],
                              ordered=True),
        "text": pd.Series(["a", "b", "c", "a"], dtype="string"),
        "const": [2.5, 2.5, 2.5, 2.5],
        "nullable": pd.Series([1, 2, 3, 2], dtype="Int64"),
    })


def assert_legal(decoded, X, encoder):
    """Every decoded value is legal for the column it is in."""
    for j, kind in enumerate(encoder.kinds_):
        got, seen = decoded.iloc[:, j], X.iloc[:, j]
        assert got.dtype == seen.dtype
        if kind in ("bool", "category"):
            assert set(got) <= set(seen)
        elif kind == "int":
            assert got.min() >= seen.min() and got.max() <= seen.max()
        if seen.nunique() == 1:
            assert (got == seen.iloc[0]).all()


def test_round_trip_gives_back_the_same_frame():
    X = mixed_frame()
    enc = TableEncoder().fit(X)
    assert enc.kinds_ == ["float", "float", "int", "int", "int", "bool", "category",
                          "category", "category", "float", "int"]
    pd.testing.assert_frame_equal(enc.inverse_transform(enc.transform(X)), X)


def test_float_values_decode_bit_for_bit():
    # Un-standardising is exact only up to rounding; given the float columns'
    # values, the decoded floats are those values exactly.
    X = mixed_frame()
    enc = TableEncoder().fit(X)
    floats = enc.float_values(X)
    assert floats.shape == (len(X), enc.kinds_.count("float"))
    decoded = enc.inverse_transform(enc.transform(X), floats=floats)
    pd.testing.assert_frame_equal(decoded, X, check_exact=True)
    with pytest.raises(ValueError, match=r"floats must have shape \(2, 3\)"):
        enc.inverse_transform(enc.transform(X.iloc[:2]), floats=floats[:2, :2])


def test_float_offsets_are_differences_in_the_columns_units():
    X = mixed_frame()
    enc = TableEncoder().fit(X)
    Z = enc.transform(X)
    offsets = enc.float_offsets(Z[1:] - Z[:1])
    floats = enc.float_values(X)
    np.testing.assert_allclose(offsets, floats[1:] - floats[:1], rtol=1e-12,
                               atol=1e-12)


def test_layout_of_the_encoded_columns():
    X = mixed_frame()
    enc = TableEncoder().fit(X)
    np.testing.assert_array_equal(enc.categorical_features_, [5, 6, 7, 8])
    np.testing.assert_array_equal(enc.numeric_features_, [0, 1, 2, 3, 4, 9, 10])
    # bool: 2 values; obj: 3 seen, sorted; cat: the dtype's order, unseen "mid" left out.
    assert enc.output_blocks_ == [(5, 7), (7, 10), (10, 12), (12, 15)]
    assert [list(c) for c in enc.categories_] == [
        [False, True], ["east", "north", "south"], ["lo", "hi"], ["a", "b", "c"]]
    assert enc.n_encoded_ == 17 and enc.column_slices_[6] == (7, 10)
    Z = enc.transform(X)
    assert Z.shape == (4, 17) and Z.dtype == np.float64
    for start, stop in enc.output_blocks_:
        np.testing.assert_array_equal(Z[:, start:stop].sum(1), 1.0)
        assert set(np.unique(Z[:, start:stop])) <= {0.0, 1.0}
    numeric = [s for s, _ in (enc.column_slices_[j] for j in enc.numeric_features_)]
    np.testing.assert_allclose(Z[:, numeric[:-2]].mean(0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z[:, numeric[:-2]].std(0), 1.0)
    np.testing.assert_array_equal(Z[:, numeric[-2]], 0.0)  # the constant column
    assert list(enc.get_feature_names_out()[5:10]) == ["flag_False", "flag_True", "obj_east",
                                                       "obj_north", "obj_south"]
    np.testing.assert_array_equal(enc.feature_names_in_, X.columns)


def test_random_codes_decode_to_legal_values():
    X = mixed_frame()
    enc = TableEncoder().fit(X)
    Z = np.random.default_rng(0).normal(scale=5.0, size=(200, enc.n_encoded_))
    decoded = enc.inverse_transform(Z)
    assert list(decoded.columns) == list(X.columns)
    assert decoded.index.equals(pd.RangeIndex(200))
    assert_legal(decoded, X, enc)
    assert decoded["cat"].dtype == X["cat"].dtype  # all three categories, ordered
    assert set(decoded["cat"]) == {"lo", "hi"}
    assert decoded["i64"].min() == -4 and decoded["i64"].max() == 9  # clipped, reached
    assert (decoded["const"] == 2.5).all()


def test_float32_only_frames_encode_in_float32():
    X = pd.DataFrame({"a": np.array([1.0, 2.0, 4.0], dtype=np.float32), "b": ["x", "y", "x"]})
    enc = TableEncoder().fit(X)
    assert enc.dtype_ == np.float32 and enc.transform(X).dtype == np.float32
    assert enc.inverse_transform(enc.transform(X))["a"].dtype == np.float32
    only_categories = TableEncoder().fit(X[["b"]])
    assert only_categories.transform(X[["b"]]).dtype == np.float32


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int16, np.uint8,
                                   np.bool_])
def test_numeric_arrays_come_back_in_their_dtype(dtype):
    X = (np.arange(12).reshape(6, 2) % 3).astype(dtype)
    enc = TableEncoder().fit(X)
    assert enc.columns_ is None and not hasattr(enc, "feature_names_in_")
    back = enc.inverse_transform(enc.transform(X))
    assert back.dtype == X.dtype
    np.testing.assert_allclose(back, X, rtol=1e-6, atol=1e-6)
    gen = enc.inverse_transform(np.random.default_rng(0).normal(size=(50, enc.n_encoded_)))
    assert gen.dtype == X.dtype
    assert gen.min() >= X.min() or dtype in (np.float64, np.float32)


def test_object_array_with_explicit_categories():
    X = np.array([[1.5, "red", 3, True], [2.5, "blue", 4, False], [0.5, "red", 9, True]],
                 dtype=object)
    enc = TableEncoder(categorical_features=[1]).fit(X)
    assert enc.kinds_ == ["float", "category", "int", "bool"]
    back = enc.inverse_transform(enc.transform(X))
    assert back.dtype == object
    np.testing.assert_allclose(back[:, 0].astype(float), X[:, 0].astype(float))
    np.testing.assert_array_equal(back[:, 1:], X[:, 1:])
    gen = enc.inverse_transform(np.random.default_rng(0).normal(size=(30, enc.n_encoded_)))
    assert set(gen[:, 1]) <= {"red", "blue"}
    assert all(isinstance(v, int) and 3 <= v <= 9 for v in gen[:, 2])
    assert all(isinstance(v, bool) for v in gen[:, 3])


def test_auto_takes_the_text_columns_of_an_object_array():
    X = np.array([[1.5, "red", 3], [2.5, "blue", 4], [0.5, "red", 9]], dtype=object)
    enc = TableEncoder().fit(X)
    assert enc.kinds_ == ["float", "category", "int"]
    strings = np.array([["A"], ["B"], ["C"], ["A"]])  # a <U1 array: text, so categories
    enc = TableEncoder().fit(strings)
    assert enc.kinds_ == ["category"]
    back = enc.inverse_transform(enc.transform(strings))
    # Decoded with the array's own dtype, as imbalanced-learn's samplers return it.
    assert back.dtype == strings.dtype and back.ravel().tolist() == ["A", "B", "C", "A"]


def test_numeric_array_with_a_declared_categorical_column():
    X = np.array([[0.0, 1.5], [2.0, 2.5], [2.0, 0.5], [7.0, 1.0]])
    enc = TableEncoder(categorical_features=[True, False]).fit(X)
    assert enc.output_blocks_ == [(0, 3)]
    np.testing.assert_array_equal(enc.categories_[0], [0.0, 2.0, 7.0])
    gen = enc.inverse_transform(np.random.default_rng(0).normal(size=(30, 4)))
    assert set(gen[:, 0]) <= {0.0, 2.0, 7.0}
    np.testing.assert_allclose(enc.inverse_transform(enc.transform(X)), X)


@pytest.mark.parametrize("spec", ["auto", ["obj", "cat", "text"], [6, 7, 8], [-5, -4, -3],
                                  np.isin(np.arange(11), [6, 7, 8])])
def test_categorical_features_specifications_agree(spec):
    enc = TableEncoder(categorical_features=spec).fit(mixed_frame())
    np.testing.assert_array_equal(enc.categorical_features_, [5, 6, 7, 8])


def test_an_integer_column_can_be_declared_categorical():
    X = mixed_frame()
    enc = TableEncoder(categorical_features=["i32", "obj", "cat", "text"]).fit(X)
    assert enc.kinds_[3] == "category"
    np.testing.assert_array_equal(enc.categories_[0], [3, 7])
    decoded = enc.inverse_transform(np.random.default_rng(0).normal(size=(20, enc.n_encoded_)))
    assert decoded["i32"].dtype == np.int32 and set(decoded["i32"]) <= {3, 7}


@pytest.mark.parametrize("spec, match", [
    ("infer", "must be 'auto', None"),
    ("obj", r"pass a list: \['obj'\]"),
    ([True, False], "one entry per column"),
    ([0, 11], r"index\(es\) \[11\] outside"),
    (["nope"], r"column\(s\) \['nope'\] that X does not have"),
    ([0, "obj"], "not a mix"),
    (["obj", "obj", "cat", "text"], r"\['obj'\] twice"),
])
def test_invalid_categorical_features_are_clear_errors(spec, match):
    with pytest.raises(ValueError, match=match):
        TableEncoder(categorical_features=spec).fit(mixed_frame())


def test_column_names_need_a_dataframe():
    with pytest.raises(ValueError, match="X has no column names"):
        TableEncoder(categorical_features=["a"]).fit(np.zeros((3, 2)))


def test_missing_values_name_the_column():
    X = mixed_frame()
    X.loc[2, "obj"] = None
    with pytest.raises(ValueError, match=r"column 'obj' has 1 missing value\(s\) "
                                         r"\(NaN or None, first at row 2\)\. Impute"):
        TableEncoder().fit(X)
    with pytest.raises(ValueError, match="column 1 has 1 missing"):
        TableEncoder().fit(np.array([[1.0, 2.0], [3.0, np.nan]]))


def test_non_numeric_value_in_a_numeric_column_names_column_and_value():
    X = pd.DataFrame({"x": [1.0, 2.0], "region": pd.Series([1, "south"], dtype=object)})
    with pytest.raises(ValueError, match="column 'region' holds the non-numeric value "
                                         "'south'.*categorical_features"):
        TableEncoder(categorical_features=None).fit(X)
    with pytest.raises(ValueError, match="column 1 holds the non-numeric value 'north'"):
        TableEncoder(categorical_features=None).fit(
            np.array([[1.0, "north"], [2.0, "south"]], dtype=object))
    with pytest.raises(ValueError, match="column 'text' has dtype string but is not "
                                         "declared categorical"):
        TableEncoder(categorical_features=["obj", "cat"]).fit(mixed_frame())


def test_infinite_values_and_bad_shapes_are_errors():
    with pytest.raises(ValueError, match="column 'a' has 1 infinite value.*first at row 1"):
        TableEncoder().fit(pd.DataFrame({"a": [1.0, np.inf]}))
    with pytest.raises(ValueError, match="Expected a 2-D table"):
        TableEncoder().fit(np.arange(3.0))
    with pytest.raises(ValueError, match="at least one row and one column"):
        TableEncoder().fit(np.empty((0, 3)))
    with pytest.raises(ValueError, match="at least one row and one column"):
        TableEncoder().fit(pd.DataFrame(index=[0, 1]))
    with pytest.raises(ValueError, match="column 0 has values up to 1.7e.308, too large"):
        TableEncoder().fit(np.array([[-1.7e308], [1.7e308], [1.7e308], [1.7e308]]))
    with pytest.raises(ValueError, match="dtype datetime64"):
        TableEncoder().fit(pd.DataFrame({"d": pd.to_datetime(["2020-01-01", "2021-01-01"])}))


def test_unhashable_values_are_a_type_error_and_no_rows_transform_to_no_rows():
    X = np.array([["a", 1.0], [{"k": 1}, 2.0]], dtype=object)
    with pytest.raises(TypeError, match=r"column 0 holds \{'k': 1\} \(dict\)"):
        TableEncoder().fit(X)
    enc = TableEncoder().fit(mixed_frame())
    assert enc.transform(mixed_frame().iloc[:0]).shape == (0, 17)
    assert enc.inverse_transform(np.empty((0, 17))).dtypes.equals(mixed_frame().dtypes)


def test_sparse_input_is_a_type_error():
    with pytest.raises(TypeError, match="dense"):
        TableEncoder().fit(sparse.csr_matrix(np.eye(3)))


def test_unknown_category_at_transform_names_it():
    X = mixed_frame()
    enc = TableEncoder().fit(X)
    X.loc[0, "obj"] = "west"
    with pytest.raises(ValueError, match="column 'obj' holds the category 'west', which "
                                         "was not seen in fit"):
        enc.transform(X)


def test_inverse_transform_checks_its_input():
    enc = TableEncoder().fit(mixed_frame())
    with pytest.raises(ValueError, match=r"shape \(n_samples, 17\)"):
        enc.inverse_transform(np.zeros((2, 16)))
    with pytest.raises(ValueError, match="finite"):
        enc.inverse_transform(np.full((2, 17), np.nan))


@pytest.mark.parametrize("magnitude", [1e-310, 1e-200, 1e200, 1e307])
def test_tiny_and_huge_magnitudes_round_trip(magnitude):
    X = np.array([[1.0], [2.0], [4.0], [-3.0]]) * magnitude
    enc = TableEncoder().fit(X)
    Z = enc.transform(X)
    np.testing.assert_allclose(Z.mean(), 0.0, atol=1e-9)
    np.testing.assert_allclose(Z.std(), 1.0, rtol=1e-6)
    np.testing.assert_allclose(enc.inverse_transform(Z), X, rtol=1e-6)


def test_integers_beyond_float_precision_stay_in_range():
    big = np.iinfo(np.int64).max
    X = pd.DataFrame({"n": np.array([big - 10, big - 1, big], dtype=np.int64)})
    enc = TableEncoder().fit(X)
    gen = enc.inverse_transform(np.array([[-1e6], [1e6], [0.0]]))["n"]
    assert gen.dtype == np.int64 and gen.min() >= big - 10 and gen.max() <= big


# --------------------------------------------------------------------------------------
# Hypothesis: random mixes of column types and category counts
# --------------------------------------------------------------------------------------

_COLUMN_TYPES = ("float64", "float32", "int64", "uint8", "bool", "object", "category",
                 "string")


@st.composite
def frames(draw):
    n_rows = draw(st.integers(1, 8))
    types = draw(st.lists(st.sampled_from(_COLUMN_TYPES), min_size=1, max_size=5))
    columns = {}
    for j, kind in enumerate(types):
        if kind in ("float64", "float32"):
            values = draw(st.lists(st.floats(-1e6, 1e6, width=32), min_size=n_rows,
                                   max_size=n_rows))
            columns[f"c{j}"] = np.array(values, dtype=kind)
        elif kind in ("int64", "uint8"):
            low = 0 if kind == "uint8" else -1000
            values = draw(st.lists(st.integers(low, 255), min_size=n_rows, max_size=n_rows))
            columns[f"c{j}"] = np.array(values, dtype=kind)
        elif kind == "bool":
            columns[f"c{j}"] = np.array(draw(st.lists(st.booleans(), min_size=n_rows,
                                                      max_size=n_rows)))
        else:
            n_categories = draw(st.integers(1, 4))
            values = draw(st.lists(st.integers(0, n_categories - 1), min_size=n_rows,
                                   max_size=n_rows))
            labels = [f"k{v}" for v in values]
            if kind == "object":
                columns[f"c{j}"] = pd.Series(labels, dtype=object)
            elif kind == "string":
                columns[f"c{j}"] = pd.Series(labels, dtype="string")
            else:
                columns[f"c{j}"] = pd.Categorical(
                    labels, categories=[f"k{v}" for v in range(n_categories)])
    return pd.DataFrame(columns)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(X=frames(), seed=st.integers(0, 2**16))
def test_hypothesis_frames_round_trip_with_legal_values(X, seed):
    enc = TableEncoder().fit(X)
    Z = enc.transform(X)
    assert Z.shape == (len(X), enc.n_encoded_) and np.isfinite(Z).all()
    back = enc.inverse_transform(Z)
    pd.testing.assert_index_equal(back.columns, X.columns)
    pd.testing.assert_series_equal(back.dtypes, X.dtypes)
    for j, kind in enumerate(enc.kinds_):
        if kind == "float":  # equal up to the precision of the encoding
            scale = max(1.0, float(np.abs(X.iloc[:, j]).max()))
            np.testing.assert_allclose(back.iloc[:, j], X.iloc[:, j], rtol=0,
                                       atol=1e-6 * scale)
        else:
            pd.testing.assert_series_equal(back.iloc[:, j], X.iloc[:, j])
    noise = np.random.default_rng(seed).normal(scale=3.0, size=(25, enc.n_encoded_))
    decoded = enc.inverse_transform(noise)
    assert list(decoded.columns) == list(X.columns)
    assert_legal(decoded, X, enc)


def test_docstring_example_runs():
    import doctest

    import skactivegan.tables._encoder as module

    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_any_index_and_column_labels_and_lists():
    X = pd.DataFrame({0: [3, 1, 2], 7: pd.Series(["u", "v", "u"], dtype=object)})
    X.index = [10, 20, 30]
    enc = TableEncoder().fit(X)
    assert not hasattr(enc, "feature_names_in_")  # names are not all strings
    back = enc.inverse_transform(enc.transform(X))
    assert list(back.columns) == [0, 7] and back.index.equals(pd.RangeIndex(3))
    pd.testing.assert_frame_equal(back, X.reset_index(drop=True))
    rows = [[1.0, 2], [3.0, 4]]
    enc = TableEncoder().fit(rows)
    np.testing.assert_array_equal(enc.inverse_transform(enc.transform(rows)), rows)


def test_transform_checks_columns_against_fit():
    X = mixed_frame()
    enc = TableEncoder().fit(X)
    with pytest.raises(ValueError, match="feature names"):
        enc.transform(X[X.columns[::-1]])
    with pytest.raises(ValueError, match="features"):
        TableEncoder().fit(np.zeros((3, 2))).transform(np.zeros((3, 3)))
