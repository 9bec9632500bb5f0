import numpy as np
import pytest
import torch
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from skactivegan.reward._gaussian_mixture import GaussianMixture


def _blobs(seed=0, n=300, d=4):
    rng = np.random.RandomState(seed)
    centers = rng.normal(scale=4.0, size=(3, d))
    return np.vstack([c + rng.normal(size=(n // 3, d)) for c in centers])


@pytest.mark.parametrize("covariance_type", ["diag", "full"])
def test_log_prob_matches_sklearn_score_samples(covariance_type):
    X = _blobs()
    sk = SkGaussianMixture(3, covariance_type=covariance_type, random_state=0).fit(X)
    gm = GaussianMixture(3, covariance_type=covariance_type)
    gm.weights_ = torch.as_tensor(sk.weights_)
    gm.means_ = torch.as_tensor(sk.means_)
    gm.covariances_ = torch.as_tensor(sk.covariances_)
    X_test = _blobs(seed=1)
    ours = gm.log_prob(torch.as_tensor(X_test)).numpy()
    np.testing.assert_allclose(ours, sk.score_samples(X_test), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("covariance_type", ["diag", "full"])
def test_em_increases_likelihood_and_reaches_sklearn(covariance_type):
    X = torch.as_tensor(_blobs())
    gm = GaussianMixture(3, covariance_type=covariance_type, reg_covar=1e-6,
                         rng=torch.Generator().manual_seed(0))
    gm.fit(X, n_iter=1)
    first = gm.lower_bound_
    gm.fit(X, n_iter=100)  # warm-started continuation
    assert gm.lower_bound_ >= first
    sk = SkGaussianMixture(3, covariance_type=covariance_type, random_state=0, n_init=5).fit(X.numpy())
    assert gm.log_prob(X).mean().item() == pytest.approx(sk.score(X.numpy()), abs=0.05)
    assert torch.isclose(gm.weights_.sum(), torch.tensor(1.0, dtype=X.dtype))


def test_log_prob_is_differentiable_in_input_only():
    X = torch.as_tensor(_blobs(), dtype=torch.float32)
    gm = GaussianMixture(3, rng=torch.Generator().manual_seed(0)).fit(X, n_iter=5)
    x = X[:5].clone().requires_grad_(True)
    gm.log_prob(x).sum().backward()
    assert x.grad is not None and torch.isfinite(x.grad).all()
    assert not gm.means_.requires_grad and not gm.covariances_.requires_grad


def test_fit_does_not_touch_global_rng():
    state = torch.get_rng_state()
    GaussianMixture(2, rng=torch.Generator().manual_seed(0)).fit(
        torch.randn(50, 3, generator=torch.Generator().manual_seed(1)))
    assert torch.equal(state, torch.get_rng_state())


def test_more_components_than_rows_and_constant_features():
    X = torch.zeros(3, 2)
    gm = GaussianMixture(5).fit(X, n_iter=3)
    assert torch.isfinite(gm.log_prob(X)).all()


def test_log_prob_before_fit():
    with pytest.raises(RuntimeError, match="fitted"):
        GaussianMixture(2).log_prob(torch.zeros(1, 2))
