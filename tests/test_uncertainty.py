import numpy as np
import pytest

from skactivegan.uncertainty import entropy, margin, reward

PROBA = np.array(
    [
        [1.0, 0.0, 0.0],  # certain
        [0.5, 0.5, 0.0],  # on the boundary of two classes
        [1 / 3, 1 / 3, 1 / 3],  # uniform
        [0.7, 0.2, 0.1],
    ]
)


def test_margin_hand_computed():
    np.testing.assert_allclose(margin(PROBA), [1.0, 0.0, 0.0, 0.5], atol=1e-12)


def test_entropy_hand_computed():
    expected = [
        0.0,
        np.log(2),
        np.log(3),
        -(0.7 * np.log(0.7) + 0.2 * np.log(0.2) + 0.1 * np.log(0.1)),
    ]
    np.testing.assert_allclose(entropy(PROBA), expected, atol=1e-12)


@pytest.mark.parametrize("alpha", [0.0, 0.3, 0.5, 1.0])
def test_reward_is_eq8(alpha):
    u_m = np.array([1.0, 0.0, 0.0, 0.5])
    u_le = entropy(PROBA)
    expected = alpha * np.exp(1 - u_m) + (1 - alpha) * np.exp(u_le)
    np.testing.assert_allclose(reward(PROBA, alpha=alpha), expected, atol=1e-12)
    # Hand values for the certain row and the two-class boundary row.
    assert reward(PROBA[:1], alpha)[0] == pytest.approx(alpha * 1.0 + (1 - alpha) * 1.0)
    assert reward(PROBA[1:2], alpha)[0] == pytest.approx(alpha * np.e + (1 - alpha) * 2.0)


def test_reward_grows_with_uncertainty():
    r = reward(PROBA, alpha=0.5)
    assert r[0] < r[3] < r[1] < r[2]


def test_column_order_does_not_matter():
    shuffled = PROBA[:, [2, 0, 1]]
    np.testing.assert_allclose(margin(shuffled), margin(PROBA))
    np.testing.assert_allclose(entropy(shuffled), entropy(PROBA))


def test_empty_input_gives_empty_output():
    assert margin(np.empty((0, 3))).shape == (0,)


@pytest.mark.parametrize(
    "bad, match",
    [
        ([0.2, 0.8], "2D array"),
        ([[1.0], [1.0]], "at least 2 columns"),
        ([[0.6, 0.6]], "sum to 1"),
        ([[-0.1, 1.1]], r"\[0, 1\]"),
        ([[np.nan, 1.0]], "NaN"),
    ],
)
def test_bad_probabilities_are_rejected(bad, match):
    with pytest.raises(ValueError, match=match):
        margin(bad)


def test_alpha_out_of_range():
    with pytest.raises(ValueError, match="alpha"):
        reward(PROBA, alpha=1.5)


def test_tensors_give_the_same_values_and_finite_gradients():
    torch = pytest.importorskip("torch")
    for alpha in (0.0, 0.5, 1.0):
        got = reward(torch.tensor(PROBA), alpha)
        assert isinstance(got, torch.Tensor)
        np.testing.assert_allclose(got.numpy(), reward(PROBA, alpha), rtol=1e-12)
    np.testing.assert_array_equal(margin(torch.tensor(PROBA)).numpy(), margin(PROBA))
    np.testing.assert_array_equal(entropy(torch.tensor(PROBA)).numpy(), entropy(PROBA))
    p = torch.tensor(PROBA, requires_grad=True)  # holds exact zeros
    reward(p, 0.5).sum().backward()
    assert torch.isfinite(p.grad).all()


def test_entropy_of_a_certain_row_is_plus_zero():
    assert np.signbit(entropy([[1.0, 0.0]])).tolist() == [False]
