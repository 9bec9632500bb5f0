import copy
import pickle
import warnings

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

from skactivegan import ActiveGANAugmenter, MarginFilter
from skactivegan.exceptions import GenerationBudgetWarning
from skactivegan.generators import ComposingGenerator, ConvGenerator, MLPGenerator
from skactivegan.reward import MixtureReward

# Few iterations: each fit takes a fraction of a second.
FAST = dict(max_iter=12, warmup_iter=6)
# The paper's free generator, tiny.
TINY_MLP = MLPGenerator(hidden_layer_sizes=(16,), latent_dim=4, batch_size=16,
                        reward=MixtureReward(n_components=2, buffer_batches=2))

rng = np.random.RandomState(0)
X = np.vstack([rng.normal(loc=c, size=(15, 3)) for c in (-2.0, 0.0, 2.0)])
y = np.repeat([0, 1, 2], 15)


def fast(**params):
    return ActiveGANAugmenter(**{**FAST, "random_state": 0, **params})


# ---------------------------------------------------------------- outputs
def test_fit_resample_returns_real_rows_first_unchanged():
    X_res, y_res = fast(n_samples=30, filter=None).fit_resample(X, y)
    assert X_res.shape == (45 + 30, 3)
    np.testing.assert_array_equal(X_res[:45], X)
    np.testing.assert_array_equal(y_res[:45], y)
    assert set(y_res[45:]) <= {0, 1, 2}
    assert np.isfinite(X_res).all()


def test_n_samples_float_is_fraction_int_is_count():
    assert len(fast(n_samples=2.0, filter=None).fit_resample(X, y)[0]) == 45 * 3
    assert len(fast(n_samples=7, filter=None).fit_resample(X, y)[0]) == 45 + 7
    assert len(fast(n_samples=0).fit_resample(X, y)[0]) == 45


def test_few_labels_mode_follows_class_frequencies():
    y_imb = np.array([0] * 30 + [1] * 15)
    aug = fast(filter=None, n_samples=90).fit(X, y_imb)
    assert dict(aug.sampling_strategy_) == {0: 60, 1: 30}
    _, y_gen = aug.sample(90)
    assert np.bincount(y_gen).tolist() == [60, 30]


@pytest.mark.parametrize(
    "strategy", ["auto", "minority", "not majority", "all", 0.8, {1: 40, 2: 25},
                 lambda labels: {2: 30}],
)
def test_sampling_strategy_counts_are_imbalanced_learns(strategy):
    from collections import Counter

    from imblearn.utils import check_sampling_strategy

    y_imb = np.repeat([0, 1, 2], [25, 12, 8])
    if isinstance(strategy, float):
        y_imb = np.repeat([0, 1], [30, 15])
    aug = fast(filter=None, sampling_strategy=strategy)
    X_res, y_res = aug.fit_resample(X, y_imb)
    expected = check_sampling_strategy(strategy, y_imb, "over-sampling")
    assert dict(aug.sampling_strategy_) == dict(expected)
    added = Counter(y_res[45:].tolist())
    assert {k: v for k, v in added.items() if v} == {k: v for k, v in expected.items() if v}
    np.testing.assert_array_equal(X_res[:45], X)


def test_n_samples_with_a_sampling_strategy_is_refused():
    with pytest.raises(ValueError, match="set only one"):
        fast(n_samples=10, sampling_strategy="minority").fit(X, y)


def test_sample_splits_like_the_sampling_strategy():
    y_imb = np.repeat([0, 1, 2], [25, 12, 8])
    aug = fast(filter=None).fit(X, y_imb)  # "auto": 13 rows of class 1, 17 of class 2
    _, y_gen = aug.sample(30)
    assert np.bincount(y_gen, minlength=3).tolist() == [0, 13, 17]
    balanced = fast(filter=None).fit(X, y)  # nothing to add: class frequencies
    assert np.bincount(balanced.sample(30)[1]).tolist() == [10, 10, 10]


# ------------------------------------------------- counts after the filter
@pytest.fixture(scope="module")
def trained():
    """A small GAN trained long enough that its rows look like their class."""
    return fast(max_iter=400, n_samples=45, filter="margin").fit(X, y)


def test_the_rows_asked_for_come_back_after_the_filter(trained):
    X_gen, y_gen = trained.sample(60)
    assert len(X_gen) == 60
    assert np.bincount(y_gen).tolist() == [20, 20, 20]
    report = trained.generation_report_
    assert report.kept.tolist() == [20, 20, 20]
    assert trained.n_candidates_ == 10 * 60  # candidates_per_row=10
    # Label-consistent: the oracle agrees with every kept row.
    assert (trained.oracle_.predict(X_gen) == y_gen).all()


def test_kept_rows_are_the_most_uncertain_candidates(trained):
    from skactivegan.uncertainty import margin

    X_gen, y_gen = trained.sample(30)
    kept = trained.generation_report_.kept_margins
    np.testing.assert_allclose(kept, margin(trained.oracle_.predict_proba(X_gen)),
                               atol=1e-5)
    one_each = copy.deepcopy(trained)
    one_each.filter_ = MarginFilter(threshold=1.0, candidates_per_row=1)
    with warnings.catch_warnings():  # one candidate each: some are not label-consistent
        warnings.simplefilter("ignore", GenerationBudgetWarning)
        X_one, _ = one_each.sample(30)
    # Chosen among 10 candidates each, rows sit nearer the boundary than without choice.
    assert kept.mean() < margin(trained.oracle_.predict_proba(X_one)).mean()


def test_unreachable_threshold_fills_the_count_with_a_warning(trained):
    from skactivegan.exceptions import GenerationBudgetWarning

    aug = clone(trained).set_params(filter__threshold=1e-6).fit(X, y)
    with pytest.warns(GenerationBudgetWarning) as record:
        X_gen, y_gen = aug.sample(30)
    message = str(record[0].message)
    passed = int((aug.generation_report_.kept - aug.generation_report_.filled).sum())
    assert f"Only {passed} of the 30" in message
    assert "smallest label-consistent margin" in message
    assert "filter__threshold" in message and "candidates_per_row" in message
    assert len(X_gen) == len(y_gen) == 30
    assert aug.generation_report_.filled.sum() == 30 - passed > 0


def test_without_fill_an_unreachable_threshold_returns_what_passed(trained):
    aug = clone(trained).set_params(filter__threshold=1e-6,
                                    filter__fill_shortfall=False)
    aug.fit(X, y)
    with pytest.warns(GenerationBudgetWarning, match="Fewer rows than asked for"):
        X_gen, y_gen = aug.sample(30)
    assert len(X_gen) < 30 and len(X_gen) == len(y_gen)


def test_paper_filter_generates_n_and_keeps_those_that_pass(trained):
    paper = clone(trained).set_params(
        filter=MarginFilter(threshold=0.5, top_k=None, candidates_per_row=1,
                            fill_shortfall=False),
    ).fit(X, y)
    with np.errstate(all="ignore"), pytest.warns(UserWarning):
        X_gen, _ = paper.sample(60)
    assert paper.n_candidates_ == 60
    assert len(X_gen) < 60


def test_filter_threshold_is_a_grid_key_at_the_defaults():
    aug = ActiveGANAugmenter()
    assert aug.filter == "auto"
    aug.set_params(filter__threshold=0.3)
    assert isinstance(aug.filter, MarginFilter) and aug.filter.threshold == 0.3
    assert aug.filter.top_k == 1


def test_generator_settings_are_grid_keys_at_the_defaults():
    aug = ActiveGANAugmenter().set_params(generator__k_neighbors=3)
    assert isinstance(aug.generator, ComposingGenerator)
    assert aug.generator.k_neighbors == 3
    aug = ActiveGANAugmenter(generator="mlp").set_params(
        generator__reward__n_components=4)
    assert aug.generator.reward.n_components == 4
    assert "generator__reward__n_components" in aug.get_params()


def test_every_parameter_has_an_effect_at_the_defaults():
    # The documented surface: at most 18 parameters, none that the defaults ignore
    # (each is read by fit; this list is the whole signature).
    params = ActiveGANAugmenter().get_params(deep=False)
    assert len(params) <= 18
    assert set(params) == {
        "oracle", "alpha", "uncertainty_weight", "filter", "sampling_strategy",
        "n_samples", "categorical_features", "generator", "max_iter", "warmup_iter",
        "memory", "callbacks", "device", "n_jobs", "random_state", "verbose"}


@pytest.mark.parametrize("name, where", [
    ("n_components", "MixtureReward"), ("candidates_per_row", "MarginFilter"),
    ("k_neighbors", "ComposingGenerator"), ("image_shape", "ConvGenerator"),
    ("reward_target", "gone"), ("candidates_per_row", "threshold=1.0")])
def test_a_parameter_of_before_1_0_says_where_it_went(name, where):
    with pytest.raises(TypeError, match=f"{name}.*{where}"):
        ActiveGANAugmenter(**{name: 1})
    with pytest.raises(TypeError, match=f"{name}.*{where}"):
        ActiveGANAugmenter().set_params(**{name: 1})


def test_warmup_is_a_fraction_of_max_iter_by_default():
    aug = fast(max_iter=20, warmup_iter=0.5, filter=None).fit(X, y)
    assert [r["phase"] for r in aug.history_].count("warmup") == 10
    assert len(fast(max_iter=200, warmup_iter=0.5, filter=None).get_params()) > 0
    # An int is a count, and must fit in max_iter: one rule, one message.
    with pytest.raises(ValueError, match="warmup_iter=50 .* max_iter=12"):
        fast(warmup_iter=50).fit(X, y)
    aug = ActiveGANAugmenter(max_iter=10, generator=TINY_MLP, filter=None,
                             random_state=0).fit(X, y)
    assert aug.n_iter_ == 10  # the default warm-up never conflicts with max_iter


# ------------------------------------------------- the usual scikit-learn guesses
@pytest.mark.parametrize("name", ["transform", "fit_transform"])
def test_transform_names_the_right_ways(name):
    aug = ActiveGANAugmenter()
    assert not hasattr(aug, name)
    with pytest.raises(AttributeError, match="fit_resample.*imblearn.*AugmentedClassifier"):
        getattr(aug, name)


def test_sklearn_pipeline_says_what_to_use_instead():
    pipe = sk_make_pipeline(StandardScaler(), ActiveGANAugmenter(), SVC())
    with pytest.raises(TypeError, match="fit_resample.*imblearn.*AugmentedClassifier"):
        pipe.fit(X, y)


def test_one_torch_thread_during_fit_and_the_setting_restored():
    seen = []
    before = torch.get_num_threads()
    fast(filter=None, callbacks=[lambda record: seen.append(torch.get_num_threads())]).fit(X, y)
    assert set(seen) == {1}
    assert torch.get_num_threads() == before
    fast(filter=None, n_jobs=2, callbacks=[lambda r: seen.append(torch.get_num_threads())]
         ).fit(X, y)
    assert seen[-1] == 2 and torch.get_num_threads() == before


def test_blas_threads_follow_n_jobs_during_fit_and_are_restored():
    from threadpoolctl import threadpool_info

    def blas_threads():
        return {p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"}

    before = blas_threads()
    seen = []
    fast(filter=None, callbacks=[lambda record: seen.append(blas_threads())]).fit(X, y)
    assert seen and all(threads == {1} for threads in seen)
    assert blas_threads() == before


# ------------------------------------------------- how the oracle is evaluated
def test_default_oracle_runs_in_torch_and_takes_caller_rows(trained):
    assert trained.oracle_backend_ == "torch"
    assert trained.oracle_.predict_proba(X).shape == (45, 3)


def test_plain_oracle_goes_through_predict_proba():
    from sklearn.naive_bayes import GaussianNB

    aug = fast(oracle=GaussianNB(), filter=None).fit(X, y)
    assert aug.oracle_backend_ == "predict_proba"


def _kept_margins_agree_with_the_oracle(aug):
    """The margins the filter saw (torch) are those of ``oracle_.predict_proba``."""
    from skactivegan.uncertainty import margin

    X_gen, _ = aug.sample(30)
    np.testing.assert_allclose(aug.generation_report_.kept_margins,
                               margin(aug.oracle_.predict_proba(X_gen)), atol=1e-5)


def test_logistic_regression_oracle_is_compiled_to_torch():
    aug = fast(oracle=LogisticRegression(), filter="margin").fit(X, y)
    assert aug.oracle_backend_ == "torch"
    _kept_margins_agree_with_the_oracle(aug)


class _TorchLogistic(LogisticRegression):
    """A classifier offering the torch protocol: ``torch_predict_proba``."""

    def torch_predict_proba(self, X):
        coef = torch.as_tensor(self.coef_, dtype=X.dtype, device=X.device)
        intercept = torch.as_tensor(self.intercept_, dtype=X.dtype, device=X.device)
        return torch.softmax(X @ coef.T + intercept, dim=1)


def test_torch_protocol_oracle_runs_in_torch():
    aug = fast(oracle=_TorchLogistic(), filter="margin").fit(X, y)
    assert aug.oracle_backend_ == "torch"
    _kept_margins_agree_with_the_oracle(aug)


def test_an_svm_that_torch_cannot_evaluate_warns_once_and_falls_back():
    from sklearn.calibration import CalibratedClassifierCV

    from skactivegan.exceptions import OracleFallbackWarning

    oracle = CalibratedClassifierCV(SVC(kernel=lambda a, b: a @ b.T), method="sigmoid",
                                    cv=2, ensemble=False)
    with pytest.warns(OracleFallbackWarning, match="oracle_backend_") as record:
        aug = fast(oracle=oracle, filter=None).fit(X, y)
    assert len(record) == 1
    assert aug.oracle_backend_ == "predict_proba"


def test_string_labels_and_dtypes_round_trip():
    labels = np.array(["cat", "dog", "eel"])[y]
    X32 = X.astype(np.float32)
    X_res, y_res = fast(filter=None).fit_resample(X32, labels)
    assert X_res.dtype == np.float32
    assert y_res.dtype == labels.dtype
    assert set(y_res) == {"cat", "dog", "eel"}
    np.testing.assert_array_equal(X_res[:45], X32)


def test_integer_X_stays_integral_with_real_rows_unchanged():
    X_int = np.round(X * 10).astype(np.int64)
    X_res, _ = fast(filter=None, n_samples=20).fit_resample(X_int, y)
    assert X_res.dtype == np.int64
    np.testing.assert_array_equal(X_res[:45], X_int)
    assert (X_res[45:] >= X_int.min(axis=0)).all() and (X_res[45:] <= X_int.max(axis=0)).all()


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
    assert "reward=" in err and "nan" not in err
    # Without the reward there is no L_U to print, and no NaN in its place.
    fast(verbose=1, uncertainty_weight=0.0).fit(X, y)
    plain = capsys.readouterr().err
    assert "L_U=" not in plain and "nan" not in plain


# ---------------------------------------------------------------- determinism
def test_same_random_state_same_output():
    a = fast(random_state=3, filter=None, n_samples=20).fit_resample(X, y)
    b = fast(random_state=3, filter=None, n_samples=20).fit_resample(X, y)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    c = fast(random_state=4, filter=None, n_samples=20).fit_resample(X, y)
    assert not np.array_equal(a[0][45:50], c[0][45:50])


def test_global_rng_untouched():
    np_state = np.random.get_state()[1].copy()
    torch_state = torch.get_rng_state()
    fast(filter=None, n_samples=10).fit_resample(X, y)
    assert np.array_equal(np_state, np.random.get_state()[1])
    assert torch.equal(torch_state, torch.get_rng_state())


def test_sample_is_repeatable_and_seedable():
    aug = fast(filter=None).fit(X, y)
    np.testing.assert_array_equal(aug.sample(10)[0], aug.sample(10)[0])
    assert not np.array_equal(aug.sample(10, random_state=1)[0], aug.sample(10)[0])


def test_pickle_round_trip(trained):
    restored = pickle.loads(pickle.dumps(trained))
    np.testing.assert_array_equal(trained.sample(20)[0], restored.sample(20)[0])
    state = trained.__getstate__()
    assert all(p.device.type == "cpu" for p in state["generator_"].parameters())
    assert restored.device_ == torch.device("cpu")


def test_unpickled_device_is_where_the_networks_are(trained):
    state = trained.__getstate__()
    state["device_"] = torch.device("cuda")  # as pickled on a GPU machine
    restored = ActiveGANAugmenter.__new__(ActiveGANAugmenter)
    restored.__setstate__(state)
    assert restored.device_ == torch.device("cpu")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_trained_model_pickles_to_cpu():
    aug = fast(device="cuda").fit(X, y)
    state = aug.__getstate__()
    assert all(p.device.type == "cpu" for p in state["generator_"].parameters())
    restored = pickle.loads(pickle.dumps(aug))
    assert restored.sample(5)[0].shape == (5, 3) or len(restored.sample(5)[0]) <= 5


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_mixed_precision_uses_float16_with_gradient_scaling():
    aug = fast(device="cuda", generator=clone(TINY_MLP).set_params(mixed_precision=True),
               filter=None, n_samples=10).fit(X, y)
    assert np.isfinite([r["loss_g"] for r in aug.history_]).all()
    assert aug.sample(10)[0].shape == (10, 3)


def test_mixed_precision_on_another_device_is_a_clear_error():
    with pytest.raises(ValueError, match="supported on CUDA and the CPU"):
        fast(generator=clone(TINY_MLP).set_params(mixed_precision=True),
             device="meta").fit(X, y)


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
    small = dict(latent_dim=4, batch_size=16,
                 reward=MixtureReward(n_components=2, buffer_batches=2))
    generator = (MLPGenerator((8,), **small) if image_shape is None
                 else ConvGenerator(image_shape, width=8, **small))
    params = dict(max_iter=8, warmup_iter=4, filter=None, n_samples=20, random_state=0,
                  device="cpu")
    aug = ActiveGANAugmenter(
        generator=clone(generator).set_params(mixed_precision=True), **params)
    X_res, _ = aug.fit_resample(Xd, yd)
    assert torch.bfloat16 in dtypes  # the CPU autocasts to bfloat16
    assert all(p.dtype == torch.float32 for p in aug.generator_.parameters())
    assert np.isfinite(X_res).all() and X_res.dtype == np.float64
    assert np.isfinite([r["loss_g"] for r in aug.history_]).all()
    np.testing.assert_array_equal(X_res[:80], Xd)
    # Without it, nothing is autocast.
    dtypes.clear()
    ActiveGANAugmenter(generator=generator, **params).fit(Xd, yd)
    assert set(dtypes) == {torch.float32}


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "X_bad, y_bad, error, match",
    [
        (np.where(np.arange(45)[:, None] == 0, np.nan, X), y, ValueError,
         "column 0 has 1 missing value.*first at row 0"),
        (np.where(np.arange(45)[:, None] == 0, np.inf, X), y, ValueError,
         "column 0 has 1 infinite value.*first at row 0"),
        (X, np.zeros(45), ValueError, "at least 2 classes"),
        (X, np.r_[y[:-1], 7], ValueError, r"at least 2 samples.*\[7\]"),
        (X, y[:-1], ValueError, "inconsistent numbers of samples"),
        (X[:, 0], y, ValueError, "2D array"),
        (X, np.linspace(0, 1, 45), ValueError, "Unknown label type"),
    ],
)
def test_bad_input_is_a_clear_error(X_bad, y_bad, error, match):
    with pytest.raises(error, match=match):
        fast().fit(X_bad, y_bad)


def test_sparse_input_is_refused_clearly():
    sparse = pytest.importorskip("scipy.sparse")
    with pytest.raises(TypeError, match="Sparse input is not supported.*toarray"):
        fast().fit(sparse.csr_matrix(X), y)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"alpha": 1.5}, "alpha"),
        ({"uncertainty_weight": -1.0}, "uncertainty_weight"),
        ({"max_iter": 0}, "max_iter"),
        ({"warmup_iter": 50}, "warmup_iter"),
        ({"generator": MLPGenerator(hidden_layer_sizes=(0,))}, "hidden_layer_sizes"),
        ({"generator": MLPGenerator(reward=MixtureReward(covariance_type="tied"))},
         "covariance_type"),
        ({"generator": ComposingGenerator(k_neighbors=0)}, "k_neighbors"),
        ({"generator": ComposingGenerator(policy_choices=("where",))},
         "policy_choices"),
        ({"generator": "gan"}, "generator"),
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
        StandardScaler(),
        fast(n_samples=1.0, oracle=LogisticRegression(max_iter=200), max_iter=100),
        LogisticRegression(max_iter=200))
    with warnings.catch_warnings():  # a tiny GAN: some classes have few agreeing rows
        warnings.simplefilter("ignore", GenerationBudgetWarning)
        pipe.fit(X_d, y_d)
    assert pipe.score(X_d, y_d) > 0.8
    assert pipe.predict(X_d).shape == (150,)  # samplers are skipped at predict time


def test_grid_search_over_alpha_lambda_threshold(digits_small):
    imblearn_pipeline = pytest.importorskip("imblearn.pipeline")
    X_d, y_d = digits_small
    pipe = imblearn_pipeline.make_pipeline(
        StandardScaler(),
        fast(n_samples=0.5, oracle=LogisticRegression(max_iter=200), max_iter=60),
        LogisticRegression(max_iter=200))
    grid = GridSearchCV(
        pipe,
        {
            "activeganaugmenter__alpha": [0.0, 1.0],
            "activeganaugmenter__uncertainty_weight": [0.0, 1.0],
            "activeganaugmenter__filter__threshold": [0.1, 0.3],
        },
        cv=2,
    )
    with warnings.catch_warnings():  # a tiny GAN rarely reaches margin 0.1
        warnings.simplefilter("ignore", GenerationBudgetWarning)
        grid.fit(X_d, y_d)
    assert len(grid.cv_results_["params"]) == 8
    assert np.isfinite(grid.cv_results_["mean_test_score"]).all()
    assert set(grid.best_params_) == {"activeganaugmenter__alpha",
                                      "activeganaugmenter__uncertainty_weight",
                                      "activeganaugmenter__filter__threshold"}


def test_default_oracle_on_digits(digits_small):
    X_d, y_d = digits_small
    aug = fast(filter=None).fit(X_d, y_d)
    assert aug.oracle_.score(X_d, y_d) > 0.9
    assert hasattr(aug.oracle_, "predict_proba")


# ------------------------------------------------- the filter protocol
class _KeepFirstClass:
    """A minimal filter: an estimator-like object with get_params and keep_mask."""

    def get_params(self, deep=True):
        return {}

    def keep_mask(self, proba, y_index):
        return y_index == 0


def test_any_estimator_with_keep_mask_is_a_filter():
    aug = fast(filter=_KeepFirstClass(), n_samples=12)
    aug.fit(X, y)
    with pytest.warns(GenerationBudgetWarning):  # classes 1 and 2 never pass
        _, y_gen = aug.sample(12)
    # How many candidates and whether to fill: MarginFilter's defaults.
    assert aug.n_candidates_ >= 10 * 12 and len(y_gen) == 12
    assert (y_gen == 0).sum() == 4


def test_a_filter_without_get_params_is_a_clear_error():
    class OnlyKeepMask:
        def keep_mask(self, proba, y_index):
            return np.ones(len(proba), bool)

    with pytest.raises(ValueError, match="keep_mask.*get_params|get_params.*keep_mask"):
        fast(filter=OnlyKeepMask()).fit(X, y)


# ------------------------------------------------- real tables
def _mixed_frame(n=60, seed=0):
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(seed)
    frame = pd.DataFrame({
        "region": pd.Categorical(rng.choice(["north", "south", "east"], n)),
        "city": rng.choice(["a", "b"], n),
        "age": rng.randint(18, 80, n).astype("int32"),
        "member": rng.rand(n) > 0.5,
        "income": rng.normal(50, 10, n).astype("float32"),
    })
    target = np.where(frame["income"] + 8 * (frame["region"] == "north") > 55, "yes", "no")
    return frame, pd.Series(target, name="target")


def test_mixed_dataframe_round_trips_with_legal_values():
    pd = pytest.importorskip("pandas")
    frame, target = _mixed_frame()
    aug = fast(filter=None, n_samples=40)
    X_res, y_res = aug.fit_resample(frame, target)
    assert list(X_res.columns) == list(frame.columns)
    assert X_res.dtypes.to_dict() == frame.dtypes.to_dict()
    pd.testing.assert_frame_equal(X_res.iloc[:60], frame)
    generated = X_res.iloc[60:]
    assert len(generated) == 40
    assert set(generated["region"]) <= set(frame["region"])
    assert list(generated["region"].cat.categories) == list(frame["region"].cat.categories)
    assert set(generated["city"]) <= {"a", "b"}
    assert generated["age"].between(frame["age"].min(), frame["age"].max()).all()
    assert generated["member"].dtype == bool
    assert isinstance(y_res, pd.Series) and y_res.name == "target"


def test_users_oracle_gets_the_callers_own_columns():
    from sklearn.compose import make_column_transformer
    from sklearn.preprocessing import OneHotEncoder

    frame, target = _mixed_frame()
    seen = []

    class Spy(LogisticRegression):
        def predict_proba(self, X):
            seen.append(type(X).__name__)
            return super().predict_proba(encode.transform(X))

        def fit(self, X, y):
            return super().fit(encode.fit_transform(X), y)

    encode = make_column_transformer(
        (OneHotEncoder(), ["region", "city", "member"]), remainder=StandardScaler())
    aug = fast(oracle=Spy(max_iter=500), filter=MarginFilter(threshold=1.0, top_k=None),
               n_samples=10).fit(frame, target)
    aug.sample(10)
    assert aug.oracle_backend_ == "predict_proba" and set(seen) == {"DataFrame"}


def test_missing_value_names_the_column():
    frame, target = _mixed_frame()
    frame.loc[3, "age"] = None
    with pytest.raises(ValueError, match="age"):
        fast().fit(frame, target)


def test_object_array_with_explicit_categorical_columns():
    frame, target = _mixed_frame()
    values = frame[["city", "income"]].to_numpy(dtype=object)
    X_res, _ = fast(filter=None, n_samples=10, categorical_features=[0]).fit_resample(
        values, target.to_numpy())
    assert X_res.dtype == object and set(X_res[60:, 0]) <= {"a", "b"}


def test_the_budget_warning_points_at_the_callers_line():
    aug = fast(filter=MarginFilter(threshold=1e-9), n_samples=5)
    with pytest.warns(GenerationBudgetWarning) as record:
        aug.fit_resample(X, y)
    assert record[0].filename == __file__
    with pytest.warns(GenerationBudgetWarning) as record:
        aug.sample(5)
    assert record[0].filename == __file__


def test_a_users_pipeline_with_an_encoder_step_samples_the_same_after_pickling():
    # The default oracle is recognised by the model it holds, not by a step name:
    # a pipeline of the user's whose first step is called "encoder" is theirs.
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MinMaxScaler

    oracle = Pipeline([("encoder", MinMaxScaler()), ("clf", LogisticRegression())])
    aug = fast(oracle=oracle, filter="margin", n_samples=20).fit(X * 20 + 80, y)
    before = aug.sample(40, random_state=1)
    after = pickle.loads(pickle.dumps(aug)).sample(40, random_state=1)
    np.testing.assert_array_equal(before[0], after[0])
    np.testing.assert_array_equal(before[1], after[1])
