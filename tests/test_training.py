import dataclasses

import numpy as np
import pytest
import torch

from skactivegan import ActiveGANAugmenter
from skactivegan.generators._networks import Discriminator, Generator, build_module
from skactivegan.reward._gaussian_mixture import GaussianMixture
from skactivegan.training._trainer import (
    ActiveGANTrainer,
    FeatureBuffer,
    TrainingConfig,
    discriminator_loss,
    generator_adversarial_loss,
    uncertainty_term,
)

N_FEATURES, N_CLASSES = 5, 3

#: Every field of TrainingConfig, small; the estimator holds the real defaults.
SMALL_CONFIG = dict(alpha=0.5, uncertainty_weight=1.0, max_iter=1, warmup_iter=0,
                    discriminator_every=1, batch_size=8, latent_dim=4, n_components=2,
                    buffer_batches=3, covariance_type="diag", em_iter=1,
                    learning_rate=2e-4, policy_learning_rate=2e-4, policy_entropy_weight=0.0,
                    reward_normalization="none",
                    log_density_normalization="none", diversity_weight=0.0,
                    reward_gradient="score_function", reward_target="any",
                    mixed_precision=False)


class SoftmaxOracle:
    """A fixed softmax "oracle" on the first N_CLASSES coordinates."""

    differentiable = True

    def torch_proba(self, x):
        return torch.softmax(x[:, :N_CLASSES], dim=1)

    def proba(self, x):
        with torch.no_grad():
            return self.torch_proba(x)


def _trainer(uncertainty_weight, seed=0):
    rng = torch.Generator().manual_seed(seed)
    G = build_module(Generator, 4, N_CLASSES, N_FEATURES, (16,), device="cpu", rng=rng)
    D = build_module(Discriminator, N_FEATURES, N_CLASSES, (16,), device="cpu", rng=rng)
    cfg = TrainingConfig(**{**SMALL_CONFIG, "uncertainty_weight": uncertainty_weight})
    density = GaussianMixture(2, rng=torch.Generator().manual_seed(1))
    trainer = ActiveGANTrainer(G, D, density, SoftmaxOracle(), cfg,
                               torch.Generator().manual_seed(2), torch.device("cpu"))
    for _ in range(3):  # fill the buffer as the warm-up would
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
    kwargs = dict(uncertainty_weight=0.0, max_iter=20, batch_size=8,
                  hidden_layer_sizes=(16,), random_state=0, filter=None)
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
    from skactivegan.training._trainer import normalize_log_density, normalize_rewards

    r = torch.tensor([1.0, 2.0, 3.0])
    assert torch.equal(normalize_rewards(r, "none"), r)
    assert torch.allclose(normalize_rewards(r, "center"), torch.tensor([-1.0, 0.0, 1.0]))
    z = normalize_rewards(r, "standardize")
    assert abs(z.mean().item()) < 1e-6 and abs(z.std(unbiased=False).item() - 1) < 1e-4
    assert torch.isfinite(normalize_rewards(torch.ones(4), "standardize")).all()
    assert normalize_log_density(torch.tensor([8.0]), 4, "per_dim").item() == 2.0
    assert normalize_log_density(torch.tensor([8.0]), 4, "none").item() == 8.0


def test_mode_seeking_term_penalises_ignored_noise():
    from skactivegan.training._trainer import mode_seeking_term

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
                             batch_size=8, hidden_layer_sizes=(8,), random_state=0).fit(X, y)
    scored = [r["iteration"] for r in aug.history_ if not np.isnan(r["reward"])]
    assert scored == [6, 16, 26]
    assert all(not np.isnan(aug.history_[i - 1]["informative"]) for i in scored)


def test_training_config_has_no_defaults_of_its_own():
    """The estimator is the one source of defaults: every field must be given."""
    with pytest.raises(TypeError):
        TrainingConfig(alpha=0.5)
    assert all(f.default is dataclasses.MISSING for f in dataclasses.fields(TrainingConfig))
    config = ActiveGANAugmenter()._training_config("policy", 200)
    assert (config.max_iter, config.warmup_iter) == (200, 100)
    assert config.policy_learning_rate == 3e-3
    config = ActiveGANAugmenter(policy_learning_rate=None)._training_config("policy", 2)
    assert config.policy_learning_rate == config.learning_rate  # None: the same


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


def _pathwise_data():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(-1, 1, size=(30, 4)), rng.normal(1, 1, size=(30, 4))])
    return X, np.repeat(["a", "b"], 30)


def test_pathwise_reward_changes_training_without_a_mixture():
    X, y = _pathwise_data()
    kwargs = dict(max_iter=20, warmup_iter=10, batch_size=8, hidden_layer_sizes=(16,),
                  random_state=0, reward_gradient="pathwise")
    plain = ActiveGANAugmenter(uncertainty_weight=0.0, **kwargs).fit(X, y)
    active = ActiveGANAugmenter(uncertainty_weight=1.0, **kwargs).fit(X, y)
    assert active.density_ is None
    assert not _same(_params(active.generator_), _params(plain.generator_))
    rewarded = [r for r in active.history_ if r["phase"] == "active"]
    assert len(rewarded) == 10
    for record in rewarded:  # every active iteration is scored; L_U is the mean reward
        assert record["uncertainty"] == pytest.approx(record["reward"], rel=1e-5)
        assert 1.0 <= record["reward"] <= 0.5 * np.e + 0.5 * 2
        assert 0.0 <= record["agreement"] <= 1.0


def test_pathwise_gradient_raises_the_reward_of_a_batch():
    """One generator step with a large λ moves the batch towards the boundary."""
    X, y = _pathwise_data()
    aug = ActiveGANAugmenter(max_iter=1, warmup_iter=1, batch_size=8,
                             hidden_layer_sizes=(16,), random_state=0).fit(X, y)
    from skactivegan.uncertainty import reward as differentiable_reward

    oracle = aug._network_oracle
    z = torch.randn(64, aug.latent_dim, generator=torch.Generator().manual_seed(0))
    labels = torch.arange(64) % 2

    def mean_reward():
        with torch.no_grad():
            return float(differentiable_reward(oracle.torch_proba(aug.generator_(z, labels)),
                                               0.5).mean())

    before = mean_reward()
    optimizer = torch.optim.SGD(aug.generator_.parameters(), lr=0.05)
    for _ in range(20):
        optimizer.zero_grad()
        loss = -differentiable_reward(oracle.torch_proba(aug.generator_(z, labels)), 0.5)
        loss.mean().backward()
        optimizer.step()
    assert mean_reward() > before


def test_pathwise_needs_a_differentiable_oracle():
    from sklearn.naive_bayes import GaussianNB

    X, y = _pathwise_data()
    aug = ActiveGANAugmenter(oracle=GaussianNB(), reward_gradient="pathwise",
                             max_iter=4, warmup_iter=2, batch_size=8,
                             hidden_layer_sizes=(8,), random_state=0)
    with pytest.raises(ValueError, match="reward_gradient='pathwise'"):
        aug.fit(X, y)
    assert not hasattr(aug, "generator_")
    # λ = 0 never asks for the gradient, so any oracle will do.
    aug.set_params(uncertainty_weight=0.0).fit(X, y)


def test_pathwise_in_image_mode_with_mixed_precision():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(-1, 1, size=(20, 16)), rng.normal(1, 1, size=(20, 16))])
    y = np.repeat([0, 1], 20)
    aug = ActiveGANAugmenter(reward_gradient="pathwise", image_shape=(1, 4, 4),
                             hidden_layer_sizes=(4,), mixed_precision=True, max_iter=8,
                             warmup_iter=4, batch_size=8, random_state=0).fit(X, y)
    active = [r for r in aug.history_ if r["phase"] == "active"]
    assert len(active) == 4 and all(np.isfinite(r["uncertainty"]) for r in active)


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

    X, y = _pathwise_data()
    oracle = None if compiled else GaussianNB()
    aug = ActiveGANAugmenter(oracle=oracle, max_iter=1, warmup_iter=1, batch_size=8,
                             hidden_layer_sizes=(8,), random_state=0).fit(X, y)
    network_oracle = aug._network_oracle
    assert network_oracle.differentiable is compiled
    x = torch.as_tensor(aug.encoder_.transform(X[:10]), dtype=torch.float32)
    proba = network_oracle.proba(x.requires_grad_())
    assert isinstance(proba, torch.Tensor) and proba.shape == (10, 2)
    assert proba.device == x.device and not proba.requires_grad
    np.testing.assert_allclose(proba.double().numpy(), aug.oracle_.predict_proba(X[:10]),
                               atol=1e-4)


def test_label_aware_rewards_give_crossing_rows_the_smallest_reward():
    from skactivegan.training._trainer import label_aware_rewards
    from skactivegan.uncertainty import reward

    proba = torch.tensor([[0.55, 0.45], [0.45, 0.55], [0.9, 0.1]], dtype=torch.float64)
    y = torch.tensor([0, 0, 0])
    plain = reward(proba, alpha=0.5)
    aware = label_aware_rewards(plain, proba, y)
    assert aware[0] == plain[0] and aware[2] == plain[2]  # on their own side: Eq. (8)
    assert aware[1] == 1.0 < plain[1]  # across the boundary: the smallest reward
