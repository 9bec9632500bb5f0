"""The composing generator: neighbours, the policy's distributions, composed rows."""

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.datasets import make_classification

from skactivegan import ActiveGANAugmenter
from skactivegan.generators import ComposingGenerator, MLPGenerator
from skactivegan.generators._composer import (
    RowComposer,
    build_composer,
    class_neighbours,
    inverse_categorical,
    kumaraswamy_icdf,
    kumaraswamy_log_prob,
    smotenc_weights,
)
from skactivegan.generators._generate import generate_rows

RNG = np.random.RandomState(0)
Z = RNG.normal(size=(40, 3))
Y = np.repeat([0, 1, 2], [30, 9, 1])
FAST = dict(max_iter=12, warmup_iter=6)


def test_neighbours_are_nearest_rows_of_the_same_class_without_the_row_itself():
    nn_idx = class_neighbours(Z, Y, 5)
    assert nn_idx.shape == (40, 5)
    for i in range(30):
        assert (Y[nn_idx[i]] == Y[i]).all() and i not in nn_idx[i]
        members = np.flatnonzero((Y == Y[i]) & (np.arange(40) != i))
        d = np.linalg.norm(Z[members] - Z[i], axis=1)
        nearest = members[np.argsort(d)[:5]]
        np.testing.assert_array_equal(np.sort(nn_idx[i]), np.sort(nearest))


def test_a_small_class_repeats_its_rows_and_a_single_row_is_its_own_neighbour():
    nn_idx = class_neighbours(Z, Y, 12)
    small = np.flatnonzero(Y == 1)
    for i in small:  # 8 other rows, repeated to 12 columns
        assert set(nn_idx[i]) == set(small) - {i}
    assert (nn_idx[39] == 39).all()


def test_smotenc_weights_scale_one_hot_columns_by_the_median_std():
    Zc = np.column_stack([Z[:, :2], np.eye(2)[RNG.randint(0, 2, 40)]])
    w = smotenc_weights(Zc, Y, [(2, 4)])
    stds = np.concatenate([Zc[Y == k][:, :2].std(axis=0) for k in (0, 1)])
    np.testing.assert_allclose(w[:2], 1.0)
    np.testing.assert_allclose(w[2:], np.median(stds) / np.sqrt(2))


def test_inverse_categorical_draws_by_the_cdf():
    probs = torch.tensor([[0.2, 0.3, 0.5]]).expand(4, -1)
    u = torch.tensor([0.1, 0.25, 0.6, 0.999])
    assert inverse_categorical(probs, u).tolist() == [0, 1, 2, 2]


def test_kumaraswamy_matches_torch_distributions():
    a = torch.tensor([0.5, 1.0, 2.0, 5.0])
    b = torch.tensor([2.0, 1.0, 3.0, 0.7])
    u = torch.tensor([0.1, 0.5, 0.7, 0.95])
    dist = torch.distributions.Kumaraswamy(a, b)
    t = kumaraswamy_icdf(u, a, b)
    np.testing.assert_allclose(t, dist.icdf(u), rtol=1e-5)
    np.testing.assert_allclose(kumaraswamy_log_prob(t, a, b), dist.log_prob(t),
                               rtol=1e-4)


def test_kumaraswamy_gradients_stay_finite_at_the_edges():
    a = torch.tensor([0.1, 10.0, 0.1, 10.0], requires_grad=True)
    b = torch.tensor([10.0, 0.1, 0.1, 10.0], requires_grad=True)
    u = torch.tensor([1e-6, 1 - 1e-6, 0.5, 0.5])
    t = kumaraswamy_icdf(u, a, b).clamp(1e-6, 1 - 1e-6)
    (t.sum() + kumaraswamy_log_prob(t.detach(), a, b).sum()).backward()
    assert torch.isfinite(a.grad).all() and torch.isfinite(b.grad).all()


def composer(choices=("anchor", "neighbour", "position"), blocks=(), Zc=Z):
    return build_composer(Zc, Y, 3, latent_dim=6, hidden_layer_sizes=(16,),
                          k_neighbors=5, output_blocks=blocks, residual_scale=0.1,
                          choices=choices, device=torch.device("cpu"),
                          rng=torch.Generator().manual_seed(0))


def test_at_the_start_the_composer_is_smote():
    G = composer()
    z = torch.randn(2000, 6, generator=torch.Generator().manual_seed(1))
    y = torch.zeros(2000, dtype=torch.long)
    with torch.no_grad():
        x, log_prob = G.act(z, y)
    rows = torch.as_tensor(Z, dtype=torch.float32)
    u = torch.special.ndtr(z[:, :3])
    # Uniform anchor among the 30 rows of class 0, uniform neighbour, t = u.
    anchor = G.order[(u[:, 0] * 30).long()]
    np.testing.assert_allclose(log_prob, np.log(1 / 30) + np.log(1 / 5), rtol=1e-5)
    neighbour = G.neighbours[anchor, (u[:, 1] * 5).long()]
    expected = rows[anchor] + u[:, 2:3] * (rows[neighbour] - rows[anchor])
    np.testing.assert_allclose(x, expected, atol=1e-5)


def test_same_noise_same_rows_and_finite_policy_gradients():
    G = composer()
    z = torch.randn(64, 6, generator=torch.Generator().manual_seed(2))
    y = torch.tensor([0, 1, 2, 0] * 16)
    x1, log_prob = G.act(z, y)
    x2 = G(z, y)
    torch.testing.assert_close(x1, x2)
    (x1.sum() + log_prob.sum()).backward()
    for name, p in G.named_parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all(), name
    assert G.anchor_score[-1].weight.grad.abs().sum() > 0
    # The single row of class 2 is its own neighbour: its rows are itself (no
    # residual where the anchor and the neighbour agree).
    single = torch.as_tensor(Z[39], dtype=torch.float32)
    assert (x1[y == 2] == single).all()


def test_categorical_blocks_come_from_the_anchor_or_the_neighbour():
    Zc = np.column_stack([Z[:, :2], np.eye(3)[RNG.randint(0, 3, 40)]])
    G = composer(blocks=((2, 5),), Zc=Zc)
    with torch.no_grad():
        x = G(torch.randn(500, 6, generator=torch.Generator().manual_seed(3)),
              torch.zeros(500, dtype=torch.long))
    block = x[:, 2:].numpy()
    assert set(np.unique(block)) <= {0.0, 1.0} and (block.sum(axis=1) == 1).all()


def test_the_composer_needs_noise_beyond_its_three_uniforms():
    with pytest.raises(ValueError, match="latent_dim must be at least 4"):
        RowComposer(3, 2, 1, 2, 3, (8,))


def test_augmenter_composes_a_mixed_table_with_legal_values():
    X, y = make_classification(n_samples=80, n_features=4, weights=[0.8],
                               random_state=0)
    frame = pd.DataFrame(X, columns=list("abcd"))
    frame["n"] = (X[:, 0] * 10).round().astype("int64")
    frame["city"] = pd.Categorical(np.where(X[:, 1] > 0, "Oslo", "Rome"))
    aug = ActiveGANAugmenter(generator="compose", random_state=0, **FAST)
    X_res, y_res = aug.fit_resample(frame, y)
    pd.testing.assert_frame_equal(X_res.iloc[:80], frame)
    assert X_res.dtypes.equals(frame.dtypes)
    new = X_res.iloc[80:]
    assert len(new) == 2 * np.bincount(y).max() - 80
    assert new["n"].between(frame["n"].min(), frame["n"].max()).all()
    assert set(new["city"]) <= {"Oslo", "Rome"}
    assert type(aug.generator_).__name__ == "RowComposer"


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_value_shared_by_the_anchor_and_its_neighbour_comes_back_exactly(dtype):
    # A 0/1-like column after standardisation: values that float32 cannot hold.
    # Where a class's rows agree, composed rows keep the value bit for bit, with no
    # residual: a tree could tell a row with a value off every real one from them.
    X, y = make_classification(n_samples=80, n_features=4, weights=[0.8],
                               random_state=0)
    flag = np.where(y == 1, 1.0 / 3.0, np.where(X[:, 0] > 0, 1.0 / 3.0, -2.0 / 7.0))
    frame = pd.DataFrame(np.column_stack([X, flag]).astype(dtype),
                         columns=list("abcdf"))
    aug = ActiveGANAugmenter(generator="compose", random_state=0, **FAST)
    X_res, y_res = aug.fit_resample(frame, y)
    new = X_res.iloc[80:]
    assert len(new) and (y_res[80:] == 1).all()
    assert (new["f"] == dtype(1.0 / 3.0)).all()
    # The other columns are composed, not copied.
    assert not new[list("abcd")].isin(frame[list("abcd")]).all(axis=None)


def test_composed_rows_are_the_composition_of_the_real_values():
    X, y = make_classification(n_samples=60, n_features=3, n_redundant=0,
                               weights=[0.75], random_state=2)
    aug = ActiveGANAugmenter(generator=ComposingGenerator(residual_scale=0.0),
                             random_state=0, **FAST).fit(X, y)
    z = torch.randn(50, 32, generator=torch.Generator().manual_seed(0))
    labels = torch.ones(50, dtype=torch.long)
    with torch.no_grad():
        _, (anchor, neighbour, t, _) = aug.generator_.compose(z, labels)
    rows = generate_rows(aug.generator_, aug.encoder_, np.ones(50, dtype=np.int64), 0,
                         latent_dim=32)
    assert rows.shape == (50, 3)
    a, b, t = X[anchor.numpy()], X[neighbour.numpy()], t.numpy()[:, None]
    assert (y[anchor.numpy()] == 1).all() and (y[neighbour.numpy()] == 1).all()
    # generate_rows drew the same noise (seed 0): its rows are a + t (b - a), exactly.
    np.testing.assert_array_equal(rows, a + t.astype(np.float64) * (b - a))


def test_a_class_of_one_row_is_a_clear_error():
    # The composer itself handles a single row (its own neighbour, see above), but
    # the oracle needs two rows of each class to be fitted and calibrated.
    X, y = make_classification(n_samples=40, random_state=1)
    y = np.where(np.arange(40) < 39, y, 2)
    with pytest.raises(ValueError, match=r"at least 2 samples.*\[2\]"):
        ActiveGANAugmenter(generator="compose", **FAST).fit(X, y)


def test_clear_error_for_a_choice_the_composer_does_not_make():
    X, y = make_classification(n_samples=40, random_state=0)
    with pytest.raises(ValueError, match="policy_choices must be a subset"):
        ActiveGANAugmenter(
            generator=ComposingGenerator(policy_choices=("anchor", "where")), **FAST,
        ).fit(X, y)


def test_policy_parameters_are_the_heads_of_the_learned_choices():
    G = composer()  # learns every choice
    heads = [*G.position_head.parameters(), *G.anchor_score.parameters(),
             *G.neighbour_score.parameters()]
    assert {id(p) for p in G.policy_parameters()} == {id(p) for p in heads}
    G.choices = ("position",)
    assert {id(p) for p in G.policy_parameters()} == {
        id(p) for p in G.position_head.parameters()}


@pytest.mark.parametrize("uncertainty_weight, expected", [
    (1.0, [2e-4, 0.05]),   # the policy heads get their own learning rate
    (0.0, [2e-4]),         # λ = 0: no reward trains the heads
])
def test_the_policy_heads_get_their_own_learning_rate(uncertainty_weight, expected):
    from skactivegan.training import TrainingConfig
    from skactivegan.training._trainer import generator_param_groups

    settings = ComposingGenerator(policy_learning_rate=0.05)._training_settings()
    config = TrainingConfig(alpha=0.5, uncertainty_weight=uncertainty_weight,
                            max_iter=10, warmup_iter=5, **settings)
    G = composer()
    groups = generator_param_groups(G, config)
    assert [g["lr"] for g in groups] == expected
    n_params = sum(len(g["params"]) for g in groups)
    assert n_params == len(list(G.parameters()))


def test_max_iter_auto_is_the_generators_own():
    X, y = make_classification(n_samples=40, random_state=0)
    compose = ActiveGANAugmenter(max_iter="auto", random_state=0).fit(X, y)
    assert compose.n_iter_ == 120
    assert MLPGenerator.default_max_iter == 2000
    with pytest.raises(ValueError, match="warmup_iter=400"):
        ActiveGANAugmenter(warmup_iter=400).fit(X, y)


def test_only_the_classes_asked_for_are_searched():
    nn_idx = class_neighbours(Z, Y, 5, classes=[1])
    np.testing.assert_array_equal(nn_idx[Y == 1], class_neighbours(Z, Y, 5)[Y == 1])
    others = np.flatnonzero(Y != 1)
    assert (nn_idx[others] == others[:, None]).all()  # never used: themselves


def test_a_large_class_is_searched_with_a_spill_tree(monkeypatch):
    import skactivegan.generators._composer as composer

    rng = np.random.RandomState(1)
    Zl = rng.normal(size=(560, 4))
    Yl = np.repeat([0, 1], [500, 60])
    exact = class_neighbours(Zl, Yl, 5)
    leaf_sizes = []
    fit = composer.NearestNeighbors.fit

    def recording_fit(self, X, *args, **kwargs):
        leaf_sizes.append(len(X))
        return fit(self, X, *args, **kwargs)

    monkeypatch.setattr(composer.NearestNeighbors, "fit", recording_fit)
    monkeypatch.setattr("skactivegan.generators._composer._EXACT_SEARCH_ROWS", 80)
    approx = class_neighbours(Zl, Yl, 5)
    # Every search is bounded by the leaf size; the 60 rows of class 1, fewer than
    # the switch, are searched exactly, in one search.
    assert max(leaf_sizes) <= 80 and len(leaf_sizes) > 2
    assert leaf_sizes[-1] == 60
    np.testing.assert_array_equal(approx[Yl == 1], exact[Yl == 1])
    for i in range(500):
        assert (Yl[approx[i]] == 0).all() and i not in approx[i]
        assert len(set(approx[i])) == 5
    recall = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(approx[:500],
                                                              exact[:500])])
    assert recall > 0.8
    np.testing.assert_array_equal(approx, class_neighbours(Zl, Yl, 5))


def test_the_spill_tree_splits_equal_rows_and_tiny_leaves():
    from skactivegan.generators._composer import _spill_tree_neighbours

    same = np.zeros((50, 3))
    idx = _spill_tree_neighbours(same, 6, 10, 0.2)
    assert idx.shape == (50, 5)
    assert all(i not in row for i, row in enumerate(idx))
    # A leaf never holds fewer rows than the neighbours asked for.
    idx = _spill_tree_neighbours(np.arange(12.0)[:, None], 6, 2, 0.2)
    assert all(i not in row and len(set(row)) == 5 for i, row in enumerate(idx))


def test_drop_self_matches_removing_the_row_wherever_it_is():
    from skactivegan.generators._composer import _drop_self

    idx = np.array([[0, 3, 4], [2, 1, 0], [3, 4, 0], [5, 6, 7]])
    rows = np.array([0, 1, 2, 9])
    expected = np.array([row[row != i][:2] for i, row in zip(rows, idx)])
    np.testing.assert_array_equal(_drop_self(idx, rows), expected)
