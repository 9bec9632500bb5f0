"""Caching, callbacks, divergence recovery and interruption of ``fit``."""

import numpy as np
import pytest
import torch
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.utils.validation import check_is_fitted

import skactivegan.training._trainer as training
from skactivegan import ActiveGANAugmenter, MarginFilter

FAST = dict(max_iter=12, warmup_iter=6, random_state=0)
# Without the filter unless a test is about it: a 12-iteration GAN makes few rows that
# its oracle agrees with.
UNFILTERED = dict(FAST, filter=None)
rng = np.random.RandomState(0)
X = np.vstack([rng.normal(loc=c, size=(15, 3)) for c in (-2.0, 0.0, 2.0)])
y = np.repeat([0, 1, 2], 15)


class Counter:
    def __init__(self, stop_at=None, raise_at=None):
        self.calls, self.stop_at, self.raise_at = 0, stop_at, raise_at

    def __call__(self, record):
        self.calls += 1
        if self.raise_at == record["iteration"]:
            raise KeyboardInterrupt
        return self.stop_at == record["iteration"]


def test_memory_reuses_training_across_thresholds(tmp_path):
    counter = Counter()
    params = dict(FAST, memory=str(tmp_path), callbacks=[counter])
    first = ActiveGANAugmenter(filter=MarginFilter(threshold=0.5, top_k=None), **params).fit(X, y)
    assert counter.calls == FAST["max_iter"]
    second = ActiveGANAugmenter(filter=MarginFilter(threshold=0.9, top_k=None), **params).fit(X, y)
    assert counter.calls == FAST["max_iter"]  # replayed from the cache: no training
    uncached = ActiveGANAugmenter(filter=MarginFilter(threshold=0.9, top_k=None), **FAST).fit(X, y)
    np.testing.assert_array_equal(second.sample(30)[0], uncached.sample(30)[0])
    # The history's informative fraction follows each fit's own threshold.
    assert second.history_[-1]["informative"] >= first.history_[-1]["informative"]
    # A parameter that affects training misses the cache.
    ActiveGANAugmenter(filter=MarginFilter(threshold=1.0, top_k=None), **{**params, "alpha": 0.1}).fit(X, y)
    assert counter.calls == 2 * FAST["max_iter"]


def test_callback_can_stop_training():
    aug = ActiveGANAugmenter(callbacks=[Counter(stop_at=8)], **UNFILTERED).fit(X, y)
    assert aug.n_iter_ == len(aug.history_) == 8
    assert "callback" in aug.stop_reason_
    assert np.isfinite(aug.sample(10)[0]).all()


def test_divergence_is_detected_recovered_and_warned(monkeypatch):
    original = training.generator_adversarial_loss
    calls = {"n": 0}

    def diverging(*args):
        calls["n"] += 1
        loss = original(*args)
        return loss * float("nan") if calls["n"] >= 9 else loss

    monkeypatch.setattr(training, "generator_adversarial_loss", diverging)
    with pytest.warns(ConvergenceWarning, match="diverged at iteration 9"):
        aug = ActiveGANAugmenter(**UNFILTERED).fit(X, y)
    assert aug.n_iter_ == 9
    assert "restored" in aug.stop_reason_
    X_gen, _ = aug.sample(50)
    assert np.isfinite(X_gen).all()


def test_keyboard_interrupt_leaves_unfitted_estimator_clean():
    aug = ActiveGANAugmenter(callbacks=[Counter(raise_at=5)], **UNFILTERED)
    with pytest.raises(KeyboardInterrupt):
        aug.fit(X, y)
    with pytest.raises(NotFittedError):
        check_is_fitted(aug)
    assert not hasattr(aug, "n_features_in_")


def test_keyboard_interrupt_keeps_previous_fit_usable():
    aug = ActiveGANAugmenter(**UNFILTERED).fit(X, y)
    before = aug.sample(20)[0]
    aug.set_params(callbacks=[Counter(raise_at=3)])
    with pytest.raises(KeyboardInterrupt):
        aug.fit(X + 1.0, y)
    np.testing.assert_array_equal(aug.sample(20)[0], before)


def test_memory_does_not_cache_a_run_a_callback_stopped(tmp_path):
    params = dict(UNFILTERED, memory=str(tmp_path))
    stopped = ActiveGANAugmenter(callbacks=[Counter(stop_at=5)], **params).fit(X, y)
    assert stopped.n_iter_ == 5
    counter = Counter()
    # Without the callback, the same fit trains in full instead of replaying 5 iterations.
    full = ActiveGANAugmenter(callbacks=[counter], **params).fit(X, y)
    assert full.n_iter_ == FAST["max_iter"] and counter.calls == FAST["max_iter"]
    assert full.stop_reason_ is None
    # The completed run is cached.
    again = ActiveGANAugmenter(callbacks=[counter], **params).fit(X, y)
    assert counter.calls == FAST["max_iter"] and again.n_iter_ == FAST["max_iter"]


def test_checkpoints_leave_out_the_composers_rows_and_a_restore_keeps_them(
        monkeypatch):
    from types import SimpleNamespace

    snapshots = []
    original = training.ActiveGANTrainer._snapshot

    def recording(self):
        snapshots.append(original(self))
        return snapshots[-1]

    monkeypatch.setattr(training.ActiveGANTrainer, "_snapshot", recording)
    aug = ActiveGANAugmenter(**UNFILTERED).fit(X, y)
    composer = aug.generator_
    saved = snapshots[-1][0]
    assert not set(saved) & set(composer.constant_buffers)
    assert set(saved) == set(composer.state_dict()) - set(composer.constant_buffers)
    rows = composer.rows.clone()
    with torch.no_grad():
        for parameter in composer.parameters():
            parameter.add_(1.0)
    trainer = SimpleNamespace(generator=composer, discriminator=aug.discriminator_)
    training.ActiveGANTrainer._restore(trainer, snapshots[-1])
    for key, value in saved.items():
        torch.testing.assert_close(composer.state_dict()[key], value, rtol=0, atol=0)
    torch.testing.assert_close(composer.rows, rows, rtol=0, atol=0)
