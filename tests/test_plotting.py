"""skactivegan.plotting.plot_history: the training curves of a fitted augmenter."""

import sys

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from skactivegan import ActiveGANAugmenter
from skactivegan.plotting import moving_average, plot_history

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

rng = np.random.RandomState(0)
X = np.vstack([rng.normal(0, 1, (20, 3)), rng.normal(2, 1, (20, 3))])
y = np.repeat([0, 1], 20)


@pytest.fixture(scope="module")
def fitted():
    return ActiveGANAugmenter(max_iter=20, warmup_iter=10, oracle=LogisticRegression(),
                              random_state=0).fit(X, y)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_default_panels_draw_the_history(fitted):
    fig = plot_history(fitted)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[:4] == ["Losses (as minimised)", "Uncertainty term L_U",
                          "Mean reward r", "Oracle on the generated batch"]
    losses = fig.axes[0].get_lines()
    # Two curves and the dashed end-of-warm-up line, at 10.5.
    np.testing.assert_array_equal(losses[0].get_ydata(),
                                  [r["loss_d"] for r in fitted.history_])
    np.testing.assert_array_equal(losses[0].get_xdata(), np.arange(1, 21))
    assert losses[-1].get_xdata()[0] == 10.5


def test_keys_smoothing_and_given_axes(fitted):
    fig, axes = plt.subplots(1, 2)
    out = plot_history(fitted.history_, keys=["reward", ["loss_d", "loss_g"]],
                       smooth=4, axes=axes)
    assert out is fig
    reward = np.array([r["reward"] for r in fitted.history_])
    drawn = axes[0].get_lines()[0].get_ydata()
    np.testing.assert_array_equal(np.isnan(drawn), np.isnan(reward))
    np.testing.assert_allclose(drawn[-1], reward[-4:].mean())
    assert len(axes[1].get_lines()) == 3


def test_moving_average_skips_missing_values():
    values = np.array([1.0, np.nan, 3.0, 5.0, 7.0])
    np.testing.assert_allclose(moving_average(values, 2), [1.0, np.nan, 3.0, 4.0, 6.0])
    np.testing.assert_array_equal(moving_average(values, 1), values)


def test_bad_inputs(fitted):
    with pytest.raises(ValueError, match="fitted augmenter"):
        plot_history([])
    with pytest.raises(ValueError, match="no key"):
        plot_history(fitted, keys=["nope"])
    with pytest.raises(ValueError, match="smooth"):
        plot_history(fitted, smooth=0)


def test_clear_error_without_matplotlib(fitted, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        plot_history(fitted)
