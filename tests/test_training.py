import dataclasses

import numpy as np
import pytest
import torch

from skactivegan import ActiveGANAugmenter
from skactivegan.generators import ComposingGenerator, ConvGenerator, MLPGenerator
from skactivegan.generators._networks import (
    DiscriminatorMLP,
    GeneratorMLP,
    build_module,
)
from skactivegan.reward import MixtureReward
from skactivegan.reward._gaussian_mixture import GaussianMixture
from skactivegan.reward._terms import uncertainty_term
from skactivegan.training import TrainingConfig
from skactivegan.training._losses import discriminator_loss, generator_adversarial_loss
from skactivegan.training._trainer import ActiveGANTrainer, FeatureBuffer

N_FEATURES, N_CLASSES = 5, 3

#: Every field of TrainingConfig, small; the estimator holds the real defaults.
SMALL_CONFIG = dict(alpha=0.5, uncertainty_weight=1.0, max_iter=1, warmup_iter=0,
                    discriminator_every=1, batch_size=8, latent_dim=4,
                    learning_rate=2e-4, diversity_weight=0.0, mixed_precision=False,
                    mixture=MixtureReward(n_components=2, buffer_batches=3,
                                          reward_normalization="none",
                                          log_density_normalization="none"))
TINY_MLP = MLPGenerator(hidden_layer_sizes=(16,), latent_dim=4, batch_size=8,
                        reward=MixtureReward(n_components=2, buffer_batches=2))


class SoftmaxOracle:
    """A fixed softmax "oracle" on the first N_CLASSES coordinates."""

    def torch_proba(self, x):
        return torch.softmax(x[:, :N_CLASSES], dim=1)

    def proba(self, x):
        with torch.no_grad():
            return self.torch_proba(x)


def _trainer(uncertainty_weight, seed=0):
    rng = torch.Generator().manual_seed(seed)
    G = build_module(GeneratorMLP, 4, N_CLASSES, N_FEATURES, (16,), device="cpu", rng=rng)
    D = build_module(DiscriminatorMLP, N_FEATURES, N_CLASSES, (16,), device="cpu", rng=rng)
    cfg = TrainingConfig(**{**SMALL_CONFIG, "uncertainty_weight": uncertainty_weight})
    density = GaussianMixture(2, rng=torch.Generator().manual_seed(1))
    trainer = ActiveGANTrainer(G, D, density, SoftmaxOracle(), cfg,
                               torch.Generator().manual_seed(2), torch.device("cpu"))
    for _ in range(3):  # fill the buffer as the warm-up would
        if trainer.buffer is not None:
            trainer.buffer.push(torch.randn(8, 16, generator=torch.Generator().manual_seed(3)))
    return trainer


def _params(module):
    return [p.detach().clone() for p in module.parameters()]


def _same(a, b):
    return all(torch.equal(x, y) for x, y in zip(a, b))


def test_uncertainty_term_updates_generator_only():
    plain, active = _trainer(0.0), _trainer(10.0)
    d_before = _params(active.discriminator)
    z = torch.randn(8, 4, generator=torch.Generator().manual_seed(5))
    y = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    plain.generator_step(z, y, scored=False, rewarded=False)
    *_, l_u, scores = active.generator_step(z, y, scored=True, rewarded=True)
    rewards = scores.rewards
    assert torch.isfinite(l_u)
    assert rewards.shape == (8,)
    # L_U moved the generator away from where the adversarial loss alone takes it ...
    assert not _same(_params(plain.generator), _params(active.generator))
    # ... left the discriminator untouched, with no gradient stored on it ...
    assert _same(d_before, _params(active.discriminator))
    assert all(p.grad is None for p in active.discriminator.parameters())
    # ... and the mixture parameters are constants: refitting from the same state on the
    # same buffer gives the same values, none of which carries a gradient.
    density = active.density
    assert not any(t.requires_grad for t in (density.weights_, density.means_,
                                             density.covariances_))


def test_uncertainty_gradient_reaches_generator_through_features():
    trainer = _trainer(10.0)
    trainer.density.fit(trainer.buffer.tensor(), n_iter=3)
    z = torch.randn(8, 4, generator=torch.Generator().manual_seed(5))
    y = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    x = trainer.generator(z, y)
    trainer.discriminator.requires_grad_(False)
    l_u = uncertainty_term(torch.ones(8), trainer.density.log_prob(trainer.discriminator(x)[2]))
    grads = torch.autograd.grad(l_u, list(trainer.generator.parameters()))
    assert any(g.abs().sum() > 0 for g in grads)


def test_losses_are_cross_entropies_of_logits():
    logit = torch.tensor([0.0, 0.0])
    class_logits = torch.zeros(2, 4)
    y = torch.tensor([0, 3])
    # At zero logits each binary term is log 2 and each class term log 4.
    assert discriminator_loss(logit, logit, class_logits, class_logits, y, y).item() == (
        pytest.approx(2 * np.log(2) + 2 * np.log(4)))
    assert generator_adversarial_loss(logit, class_logits, y).item() == pytest.approx(
        np.log(2) + np.log(4))
    assert uncertainty_term(torch.tensor([2.0, 1.0]), torch.tensor([1.0, -3.0])).item() == (
        pytest.approx((2.0 - 3.0) / 2))


def test_feature_buffer_keeps_last_m_batches():
    buffer = FeatureBuffer(2)
    for value in range(4):
        buffer.push(torch.full((3, 2), float(value)))
    assert len(buffer) == 6
    assert sorted(buffer.tensor()[:, 0].unique().tolist()) == [2.0, 3.0]


def test_lambda_zero_is_plain_acgan():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 4))
    y = np.repeat([0, 1], 20)
    kwargs = dict(uncertainty_weight=0.0, max_iter=20, generator=TINY_MLP,
                  random_state=0, filter=None)
    switched = ActiveGANAugmenter(warmup_iter=5, **kwargs).fit(X, y)
    plain = ActiveGANAugmenter(warmup_iter=20, **kwargs).fit(X, y)
    assert switched.density_ is None
    assert _same(_params(switched.generator_), _params(plain.generator_))
    assert _same(_params(switched.discriminator_), _params(plain.discriminator_))
    # ... while lambda > 0 changes training.
    active = ActiveGANAugmenter(warmup_iter=5, **{**kwargs, "uncertainty_weight": 10.0})
    active.fit(X, y)
    assert not _same(_params(active.generator_), _params(plain.generator_))


def test_discriminator_every_k():
    trainer = _trainer(0.0)
    trainer.config = dataclasses.replace(trainer.config, discriminator_every=3, max_iter=6)
    X = torch.randn(20, N_FEATURES)
    y = torch.randint(0, N_CLASSES, (20,))
    history = trainer.fit(X, y, torch.full((N_CLASSES,), 1 / N_CLASSES))
    updated = [not np.isnan(r["loss_d"]) for r in history]
    assert updated == [True, False, False, True, False, False]


def test_reward_normalizations():
    from skactivegan.reward._terms import normalize_log_density, normalize_rewards

    r = torch.tensor([1.0, 2.0, 3.0])
    assert torch.equal(normalize_rewards(r, "none"), r)
    assert torch.allclose(normalize_rewards(r, "center"), torch.tensor([-1.0, 0.0, 1.0]))
    z = normalize_rewards(r, "standardize")
    assert abs(z.mean().item()) < 1e-6 and abs(z.std(unbiased=False).item() - 1) < 1e-4
    assert torch.isfinite(normalize_rewards(torch.ones(4), "standardize")).all()
    assert normalize_log_density(torch.tensor([8.0]), 4, "per_dim").item() == 2.0
    assert normalize_log_density(torch.tensor([8.0]), 4, "none").item() == 8.0


def test_mode_seeking_term_penalises_ignored_noise():
    from skactivegan.training._losses import mode_seeking_term

    z = torch.randn(8, 4, generator=torch.Generator().manual_seed(0))
    assert mode_seeking_term(torch.ones(8, 3), z) > 1e4  # noise ignored
    assert mode_seeking_term(2 * z[:, :3], z) < 1.0  # samples move with the noise


def test_diversity_weight_pairs_labels():
    trainer = _trainer(0.0)
    trainer.config = dataclasses.replace(trainer.config, diversity_weight=1.0, max_iter=1)
    seen = []

    class Seen(Exception):
        pass

    def record_labels(z, y, scored, rewarded):
        seen.append(y)
        raise Seen

    trainer.generator_step = record_labels
    with pytest.raises(Seen):
        trainer.train_step(0, torch.randn(20, N_FEATURES), torch.randint(0, 3, (20,)),
                           torch.full((N_CLASSES,), 1 / N_CLASSES))
    y = seen[0]
    assert len(y) == 8 and torch.equal(y[:4], y[4:])


def test_plain_acgan_asks_the_oracle_only_every_tenth_iteration():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 4))
    y = np.repeat([0, 1], 20)
    aug = ActiveGANAugmenter(uncertainty_weight=0.0, max_iter=30, warmup_iter=5,
                             generator=TINY_MLP, random_state=0).fit(X, y)
    scored = [r["iteration"] for r in aug.history_ if not np.isnan(r["reward"])]
    assert scored == [6, 16, 26]
    assert all(not np.isnan(aug.history_[i - 1]["informative"]) for i in scored)


def test_training_config_has_no_defaults_of_its_own():
    """The parts are the one source of defaults: every setting must be given, and
    the generator is steered either by its policy or by the mixture."""
    with pytest.raises(TypeError):
        TrainingConfig(alpha=0.5)
    settings = {**SMALL_CONFIG, "mixture": None}
    with pytest.raises(ValueError, match="exactly one"):
        TrainingConfig(**settings)
    with pytest.raises(ValueError, match="exactly one"):
        TrainingConfig(**SMALL_CONFIG, policy_learning_rate=1e-3)
    for generator, steered in ((ComposingGenerator(), "uses_policy"),
                               (MLPGenerator(), "uses_mixture"),
                               (ConvGenerator(), "uses_mixture")):
        config = TrainingConfig(alpha=0.5, uncertainty_weight=1.0, max_iter=2,
                                warmup_iter=1, **generator._training_settings())
        assert getattr(config, steered)


def test_history_is_floats_and_callbacks_get_device_tensors():
    trainer = _trainer(1.0)
    trainer.config = dataclasses.replace(trainer.config, max_iter=5)
    seen = []
    trainer.callbacks = [seen.append]
    history = trainer.fit(torch.randn(20, N_FEATURES), torch.randint(0, 3, (20,)),
                          torch.full((N_CLASSES,), 1 / N_CLASSES))
    assert len(seen) == len(history) == 5
    for record, live in zip(history, seen):
        assert set(record) == set(live)
        assert "diversity" not in record
        assert isinstance(record["iteration"], int) and record["iteration"] == live["iteration"]
        for key in ("loss_d", "loss_g", "uncertainty", "reward", "margin", "agreement"):
            assert type(record[key]) is float
            assert isinstance(live[key], torch.Tensor) and live[key].dim() == 0
            np.testing.assert_equal(record[key], float(live[key]))
        assert f"{live['loss_g']:.3f}" == f"{record['loss_g']:.3f}"
    # Every iteration was scored (λ > 0): one CPU float32 margin array per batch.
    assert len(trainer.margins) == 5
    assert all(m.dtype == np.float32 and m.shape == (8,) for m in trainer.margins)
    np.testing.assert_allclose(history[-1]["margin"], trainer.margins[-1].mean(), rtol=1e-6)


def test_divergence_found_at_a_later_read_back_cuts_the_history(monkeypatch):
    """The history is read back every few iterations; what ran after the first
    diverged iteration is dropped and the last checked checkpoint restored."""
    import skactivegan.training._trainer as training

    trainer = _trainer(1.0)
    trainer.config = dataclasses.replace(trainer.config, max_iter=200)  # checkpoint every 10
    original = training.generator_adversarial_loss
    calls = {"n": 0}

    def diverging(*args):
        calls["n"] += 1
        loss = original(*args)
        return loss * float("inf") if calls["n"] >= 15 else loss

    monkeypatch.setattr(training, "generator_adversarial_loss", diverging)
    snapshot = {}

    def remember(record):
        if record["iteration"] == 10:
            snapshot["g"] = _params(trainer.generator)

    trainer.callbacks = [remember]
    with pytest.warns(Warning, match="diverged at iteration 15; restored the networks of "
                                     "iteration 10"):
        history = trainer.fit(torch.randn(20, N_FEATURES), torch.randint(0, 3, (20,)),
                              torch.full((N_CLASSES,), 1 / N_CLASSES))
    assert calls["n"] == 20  # detected at the read-back of iteration 20
    assert [r["iteration"] for r in history] == list(range(1, 16))
    assert len(trainer.margins) == 15
    assert _same(snapshot["g"], _params(trainer.generator))


@pytest.mark.parametrize("compiled", [True, False])
def test_network_oracle_proba_is_a_tensor_on_the_batch_device(compiled):
    from sklearn.naive_bayes import GaussianNB

    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(-1, 1, size=(30, 4)), rng.normal(1, 1, size=(30, 4))])
    y = np.repeat(["a", "b"], 30)
    from sklearn.pipeline import Pipeline

    from skactivegan.oracle._oracle import build_network_oracle, fit_default_oracle
    from skactivegan.tables._encoder import TableEncoder

    encoder = TableEncoder().fit(X)
    Z = encoder.transform(X)
    classes = np.unique(y)
    if compiled:  # the default oracle: an SVM on the encoded rows
        model = fit_default_oracle(Z, y, 0)
        oracle = Pipeline([("encoder", encoder), ("svm", model)])
    else:
        model, oracle = None, GaussianNB().fit(X, y)
    network_oracle = build_network_oracle(oracle, encoder, Z, classes,
                                          torch.device("cpu"), encoded_oracle=model)
    assert network_oracle.backend == ("torch" if compiled else "predict_proba")
    x = torch.as_tensor(Z[:10], dtype=torch.float32)
    proba = network_oracle.proba(x.requires_grad_())
    assert isinstance(proba, torch.Tensor) and proba.shape == (10, 2)
    assert proba.device == x.device and not proba.requires_grad
    np.testing.assert_allclose(proba.double().numpy(), oracle.predict_proba(X[:10]),
                               atol=1e-4)
