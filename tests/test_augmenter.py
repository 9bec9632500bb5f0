import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline as sk_make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from skactivegan import ActiveGANAugmenter, MarginFilter

# Tiny networks and few iterations: each fit takes a fraction of a second.
FAST = dict(max_iter=12, warmup_iter=6, batch_size=16, hidden_layer_sizes=(16,),
            latent_dim=4, n_components=2, buffer_batches=2)

rng = np.random.RandomState(0)
X = np.vstack([rng.normal(loc=c, size=(15, 3)) for c in (-2.0, 0.0, 2.0)])
y = np.repeat([0, 1, 2], 15)


def fast(**params):
    return ActiveGANAugmenter(**{**FAST, "random_state": 0, **params})


# ---------------------------------------------------------------- common checks
@parametrize_with_checks(
    [
        ActiveGANAugmenter(**FAST, random_state=0, oracle=LogisticRegression()),
        ActiveGANAugmenter(**FAST, random_state=0),
        MarginFilter(),
    ]
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


# ---------------------------------------------------------------- outputs
def test_fit_resample_returns_real_rows_first_unchanged():
    X_res, y_res = fast(n_samples=30, filter=None).fit_resample(X, y)
    assert X_res.shape == (45 + 30, 3)
    np.testing.assert_array_equal(X_res[:45], X)
    np.testing.assert_array_equal(y_res[:45], y)
    assert set(y_res[45:]) <= {0, 1, 2}
    assert np.isfinite(X_res).all()


def test_generated_labels_follow_class_frequencies():
    y_imb = np.array([0] * 30 + [1] * 15)
    _, y_gen = fast(filter=None).fit(X, y_imb).sample(90)
    assert np.bincount(y_gen).tolist() == [60, 30]


def test_n_samples_float_is_fraction_int_is_count():
    assert len(fast(n_samples=2.0, filter=None).fit_resample(X, y)[0]) == 45 * 3
    assert len(fast(n_samples=7, filter=None).fit_resample(X, y)[0]) == 45 + 7
    assert len(fast(n_samples=0).fit_resample(X, y)[0]) == 45


def test_filter_keeps_only_small_margins():
    from skactivegan.uncertainty import margin

    unfiltered = fast(filter=None).fit(X, y)
    X_all, y_all = unfiltered.sample(200)
    margins = margin(unfiltered.oracle_.predict_proba(X_all))
    threshold = float(np.median(margins))  # keeps about half of this generator's rows
    aug = fast(filter=MarginFilter(threshold=threshold, top_k=None)).fit(X, y)
    X_kept, y_kept = aug.sample(200)
    # Same seed, same generator: the filter keeps exactly the rows at or under the threshold.
    keep = margins <= threshold
    assert 0 < keep.sum() < 200
    np.testing.assert_array_equal(X_kept, X_all[keep])
    np.testing.assert_array_equal(y_kept, y_all[keep])
    # top_k=1 (the default) also drops the rows the oracle gives another label.
    agrees = unfiltered.oracle_.predict(X_all) == y_all
    X_agree, _ = fast(filter=MarginFilter(threshold=threshold)).fit(X, y).sample(200)
    np.testing.assert_array_equal(X_agree, X_all[keep & agrees])
    aug_all = fast(filter=MarginFilter(threshold=1.0, top_k=None)).fit(X, y)
    assert len(aug_all.sample(200)[0]) == 200


def test_string_labels_and_dtypes_round_trip():
    labels = np.array(["cat", "dog", "eel"])[y]
    X32 = X.astype(np.float32)
    X_res, y_res = fast(filter=None).fit_resample(X32, labels)
    assert X_res.dtype == np.float32
    assert y_res.dtype == labels.dtype
    assert set(y_res) == {"cat", "dog", "eel"}
    np.testing.assert_array_equal(X_res[:45], X32)


def test_integer_X_becomes_float64_with_real_rows_unchanged():
    X_int = np.round(X * 10).astype(np.int64)
    X_res, _ = fast().fit_resample(X_int, y)
    assert X_res.dtype == np.float64
    np.testing.assert_array_equal(X_res[:45], X_int)


def test_pandas_in_pandas_out():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    target = pd.Series(np.array(["x", "y", "z"])[y], name="label")
    aug = fast(filter=None)
    X_res, y_res = aug.fit_resample(df, target)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["a", "b", "c"]
    assert isinstance(y_res, pd.Series) and y_res.name == "label"
    pd.testing.assert_frame_equal(X_res.iloc[:45], df)
    assert list(aug.feature_names_in_) == ["a", "b", "c"]
    X_gen, _ = aug.sample(5)
    assert isinstance(X_gen, pd.DataFrame) and list(X_gen.columns) == ["a", "b", "c"]


def test_history_records_every_iteration():
    aug = fast(filter=None).fit(X, y)
    assert len(aug.history_) == FAST["max_iter"]
    phases = [r["phase"] for r in aug.history_]
    assert phases == ["warmup"] * 6 + ["active"] * 6
    active = aug.history_[-1]
    assert 1.0 <= active["reward"] <= 0.5 * np.e + 0.5 * 3
    assert 0.0 <= active["informative"] <= 1.0 and 0.0 <= active["agreement"] <= 1.0
    assert np.isnan(aug.history_[0]["reward"])


def test_verbose_prints_progress(capsys):
    fast(verbose=1).fit(X, y)
    err = capsys.readouterr().err
    assert "[ActiveGAN]" in err and f"{FAST['max_iter']}/{FAST['max_iter']}" in err


# ---------------------------------------------------------------- determinism
def test_same_random_state_same_output():
    a = fast(random_state=3).fit_resample(X, y)
    b = fast(random_state=3).fit_resample(X, y)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    c = fast(random_state=4, filter=None).fit_resample(X, y)
    assert not np.array_equal(a[0][45:50], c[0][45:50])


def test_global_rng_untouched():
    np_state = np.random.get_state()[1].copy()
    torch_state = torch.get_rng_state()
    fast().fit_resample(X, y)
    assert np.array_equal(np_state, np.random.get_state()[1])
    assert torch.equal(torch_state, torch.get_rng_state())


def test_sample_is_repeatable_and_seedable():
    aug = fast(filter=None).fit(X, y)
    np.testing.assert_array_equal(aug.sample(10)[0], aug.sample(10)[0])
    assert not np.array_equal(aug.sample(10, random_state=1)[0], aug.sample(10)[0])


def test_pickle_round_trip():
    aug = fast().fit(X, y)
    restored = pickle.loads(pickle.dumps(aug))
    np.testing.assert_array_equal(aug.sample(20)[0], restored.sample(20)[0])
    state = aug.__getstate__()
    assert all(p.device.type == "cpu" for p in state["generator_"].parameters())


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_trained_model_pickles_to_cpu():
    aug = fast(device="cuda").fit(X, y)
    state = aug.__getstate__()
    assert all(p.device.type == "cpu" for p in state["generator_"].parameters())
    restored = pickle.loads(pickle.dumps(aug))
    assert restored.sample(5)[0].shape == (5, 3) or len(restored.sample(5)[0]) <= 5


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_mixed_precision_uses_float16_with_gradient_scaling():
    aug = fast(device="cuda", mixed_precision=True, filter=None, n_samples=10).fit(X, y)
    assert np.isfinite([r["loss_g"] for r in aug.history_]).all()
    assert aug.sample(10)[0].shape == (10, 3)


def test_mixed_precision_on_another_device_is_a_clear_error():
    with pytest.raises(ValueError, match="supported on CUDA and the CPU"):
        fast(mixed_precision=True, device="meta").fit(X, y)


@pytest.mark.parametrize("image_shape", [None, (1, 8, 8)])
def test_mixed_precision_trains_in_half_and_keeps_float32_weights(image_shape, monkeypatch):
    from sklearn.datasets import load_digits

    Xd, yd = load_digits(return_X_y=True)
    Xd, yd = Xd[:80], yd[:80]
    dtypes = []
    original = torch.nn.Linear.forward
    monkeypatch.setattr(torch.nn.Linear, "forward",
                        lambda self, x: dtypes.append(original(self, x).dtype)
                        or original(self, x))
    params = dict(image_shape=image_shape, hidden_layer_sizes=(8,), latent_dim=4,
                  max_iter=8, warmup_iter=4, batch_size=16, n_components=2,
                  buffer_batches=2, filter=None, n_samples=20, random_state=0,
                  device="cpu")
    aug = ActiveGANAugmenter(mixed_precision=True, **params)
    X_res, _ = aug.fit_resample(Xd, yd)
    assert torch.bfloat16 in dtypes  # the CPU autocasts to bfloat16
    assert all(p.dtype == torch.float32 for p in aug.generator_.parameters())
    assert np.isfinite(X_res).all() and X_res.dtype == np.float64
    assert np.isfinite([r["loss_g"] for r in aug.history_]).all()
    np.testing.assert_array_equal(X_res[:80], Xd)
    # Without it, nothing is autocast.
    dtypes.clear()
    ActiveGANAugmenter(mixed_precision=False, **params).fit(Xd, yd)
    assert set(dtypes) == {torch.float32}


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "X_bad, y_bad, error, match",
    [
        (np.where(np.arange(45)[:, None] == 0, np.nan, X), y, ValueError, "NaN"),
        (np.where(np.arange(45)[:, None] == 0, np.inf, X), y, ValueError, "infinity"),
        (X, np.zeros(45), ValueError, "at least 2 classes"),
        (X, np.r_[y[:-1], 7], ValueError, r"at least 2 samples.*\[7\]"),
        (X, y[:-1], ValueError, "inconsistent numbers of samples"),
        (X[:, 0], y, ValueError, "2D array"),
        (np.array([["a"] * 3] * 45), y, ValueError, "(convert|numeric|float)"),
        (X, np.linspace(0, 1, 45), ValueError, "Unknown label type"),
    ],
)
def test_bad_input_is_a_clear_error(X_bad, y_bad, error, match):
    with pytest.raises(error, match=match):
        fast().fit(X_bad, y_bad)


def test_sparse_input_is_refused_clearly():
    sparse = pytest.importorskip("scipy.sparse")
    with pytest.raises(TypeError, match="dense data is required"):
        fast().fit(sparse.csr_matrix(X), y)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"alpha": 1.5}, "alpha"),
        ({"uncertainty_weight": -1.0}, "uncertainty_weight"),
        ({"max_iter": 0}, "max_iter"),
        ({"warmup_iter": 50}, "warmup_iter"),
        ({"hidden_layer_sizes": (0,)}, "hidden_layer_sizes"),
        ({"covariance_type": "tied"}, "covariance_type"),
        ({"filter": "nope"}, "filter"),
        ({"filter": MarginFilter(threshold=2.0)}, "threshold"),
        ({"device": "nonsense"}, "device"),
    ],
)
def test_bad_parameters_are_clear_errors(params, match):
    with pytest.raises(ValueError, match=match):
        fast(**params).fit(X, y)


def test_oracle_without_predict_proba_is_a_type_error():
    with pytest.raises(TypeError, match="predict_proba"):
        fast(oracle=SVC()).fit(X, y)


def test_filter_with_its_own_oracle_is_refused():
    with pytest.raises(ValueError, match="oracle"):
        fast(filter=MarginFilter(oracle=LogisticRegression())).fit(X, y)


def test_any_predict_proba_classifier_is_an_oracle():
    oracle = sk_make_pipeline(StandardScaler(), LogisticRegression())
    aug = fast(oracle=oracle).fit(X, y)
    assert aug.oracle_ is not oracle  # cloned, the user's object is left unfitted
    assert not hasattr(oracle[-1], "coef_")


def test_sample_before_fit():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        fast().sample(3)


# ---------------------------------------------------------------- pipelines
@pytest.fixture(scope="module")
def digits_small():
    X_d, y_d = load_digits(return_X_y=True)
    idx = np.random.RandomState(0).permutation(len(X_d))[:150]
    return X_d[idx], y_d[idx]


def test_imblearn_pipeline_on_digits(digits_small):
    imblearn_pipeline = pytest.importorskip("imblearn.pipeline")
    X_d, y_d = digits_small
    pipe = imblearn_pipeline.make_pipeline(
        StandardScaler(), fast(filter=MarginFilter(), oracle=LogisticRegression(max_iter=200)),
        LogisticRegression(max_iter=200))
    pipe.fit(X_d, y_d)
    assert pipe.score(X_d, y_d) > 0.8
    assert pipe.predict(X_d).shape == (150,)  # samplers are skipped at predict time


def test_grid_search_over_alpha_lambda_threshold(digits_small):
    imblearn_pipeline = pytest.importorskip("imblearn.pipeline")
    X_d, y_d = digits_small
    pipe = imblearn_pipeline.make_pipeline(
        StandardScaler(),
        fast(filter=MarginFilter(), oracle=LogisticRegression(max_iter=200)),
        LogisticRegression(max_iter=200))
    grid = GridSearchCV(
        pipe,
        {
            "activeganaugmenter__alpha": [0.0, 1.0],
            "activeganaugmenter__uncertainty_weight": [0.0, 1.0],
            "activeganaugmenter__filter__threshold": [0.1, 0.3],
        },
        cv=2,
    ).fit(X_d, y_d)
    assert len(grid.cv_results_["params"]) == 8
    assert np.isfinite(grid.cv_results_["mean_test_score"]).all()
    assert set(grid.best_params_) == {"activeganaugmenter__alpha",
                                      "activeganaugmenter__uncertainty_weight",
                                      "activeganaugmenter__filter__threshold"}


def test_default_oracle_on_digits(digits_small):
    X_d, y_d = digits_small
    aug = fast().fit(X_d, y_d)
    assert aug.oracle_.score(X_d, y_d) > 0.9
    assert hasattr(aug.oracle_, "predict_proba")
