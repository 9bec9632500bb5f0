import numpy as np
import pytest
import torch

from skactivegan import ActiveGANAugmenter
from skactivegan.generators import ConvGenerator, MLPGenerator
from skactivegan.generators._networks import (
    DiscriminatorConv,
    DiscriminatorMLP,
    GeneratorConv,
    GeneratorMLP,
    build_module,
    build_networks,
    straight_through_one_hot,
)
from skactivegan.reward import MixtureReward

SMALL_CONV = ConvGenerator((1, 8, 8), width=8, latent_dim=8, batch_size=16,
                            reward=MixtureReward(n_components=2, buffer_batches=2))


@pytest.mark.parametrize("image_shape", [(1, 8, 8), (3, 12, 16)])
def test_conv_networks_shapes(image_shape):
    n_features = int(np.prod(image_shape))
    G, D = build_networks(n_features, 4, latent_dim=6, hidden_layer_sizes=(8,),
                          image_shape=image_shape, device="cpu",
                          rng=torch.Generator().manual_seed(0))
    assert isinstance(G, GeneratorConv) and isinstance(D, DiscriminatorConv)
    x = G(torch.randn(5, 6), torch.tensor([0, 1, 2, 3, 0]))
    assert x.shape == (5, n_features)
    s, c, h = D(x)
    assert s.shape == (5,) and c.shape == (5, 4) and h.shape == (5, 32)
    assert torch.equal(h, D.trunk(x.view(-1, *image_shape)))


def test_build_is_deterministic_and_leaves_global_rng_alone():
    state = torch.get_rng_state()
    nets = [build_networks(64, 3, latent_dim=4, hidden_layer_sizes=(8,), image_shape=(1, 8, 8),
                           device="cpu", rng=torch.Generator().manual_seed(1))
            for _ in range(2)]
    assert torch.equal(state, torch.get_rng_state())
    for a, b in zip(nets[0][0].parameters(), nets[1][0].parameters()):
        assert torch.equal(a, b)


def test_image_mode_fit_resample_on_tiny_digits():
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X, y = X[:90], y[:90]
    aug = ActiveGANAugmenter(generator=SMALL_CONV, max_iter=10, warmup_iter=5,
                             filter=None, n_samples=20, random_state=0)
    X_res, y_res = aug.fit_resample(X, y)
    assert X_res.shape == (110, 64)
    np.testing.assert_array_equal(X_res[:90], X)
    assert isinstance(aug.generator_, GeneratorConv)
    assert not aug.generator_.training  # rows come from the running statistics
    assert np.isfinite(X_res).all()


def test_image_mode_gives_constant_pixels_their_value_back():
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X, y = X[:90], y[:90]
    constant = X.std(0) == 0
    assert constant.any()  # digits have always-blank border pixels
    aug = ActiveGANAugmenter(generator=SMALL_CONV, max_iter=6, warmup_iter=3,
                             filter=None, n_samples=20, random_state=0)
    X_res, _ = aug.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[90:, constant], np.broadcast_to(X[0, constant],
                                                                        (20, constant.sum())))
    # Per-channel scaling: one scale for every pixel of the single channel.
    assert np.unique(aug.encoder_.scale_).size == 1
    assert not np.allclose(X_res[90:, ~constant].std(0), 0.0)


@pytest.mark.parametrize(
    "image_shape, match",
    [((1, 8, 9), "holds 72 values"), ((1, 4, 16), None), ((4, 4, 4), None),
     ((1, 2, 32), "multiples of 4"), ((8, 8), None), ((2, 8, 8), "holds 128 values"),
     ((1, 2, 4, 8), r"\(C, H, W\)")],
)
def test_image_shape_validation(image_shape, match):
    X = np.random.RandomState(0).normal(size=(20, 64))
    y = np.repeat([0, 1], 10)
    generator = ConvGenerator(image_shape, width=4, batch_size=8,
                               reward=MixtureReward(n_components=2, buffer_batches=2))
    aug = ActiveGANAugmenter(generator=generator, max_iter=2, warmup_iter=1,
                             random_state=0)
    if match is None:
        aug.fit(X, y)
    else:
        with pytest.raises(ValueError, match=match):
            aug.fit(X, y)


def test_image_mode_needs_batches_of_two_rows():
    X = np.random.RandomState(0).normal(size=(20, 16))
    y = np.repeat([0, 1], 10)
    aug = ActiveGANAugmenter(generator=ConvGenerator((1, 4, 4), batch_size=1),
                             max_iter=2, warmup_iter=1, random_state=0)
    with pytest.raises(ValueError, match="batch_size must be at least 2"):
        aug.fit(X, y)


class _TinyG(torch.nn.Module):
    def __init__(self, n_features, n_classes, latent_dim):
        super().__init__()
        self.embed = torch.nn.Embedding(n_classes, latent_dim)
        self.out = torch.nn.Linear(latent_dim, n_features)

    def forward(self, z, y):
        return self.out(z + self.embed(y))


class _TinyD(torch.nn.Module):
    def __init__(self, n_features, n_classes):
        super().__init__()
        self.trunk = torch.nn.Sequential(torch.nn.Linear(n_features, 8), torch.nn.Tanh())
        self.s = torch.nn.Linear(8, 1)
        self.c = torch.nn.Linear(8, n_classes)

    def forward(self, x):
        h = self.trunk(x)
        return self.s(h).squeeze(1), self.c(h), h


def tiny_networks(n_features, n_classes, latent_dim):
    return _TinyG(n_features, n_classes, latent_dim), _TinyD(n_features, n_classes)


def broken_networks(n_features, n_classes, latent_dim):
    return _TinyG(n_features + 1, n_classes, latent_dim), _TinyD(n_features, n_classes)


def test_user_supplied_networks_are_used_reproducibly():
    X = np.random.RandomState(0).normal(size=(30, 5))
    y = np.repeat([0, 1, 2], 10)
    generator = MLPGenerator(networks=tiny_networks, batch_size=8,
                             reward=MixtureReward(n_components=2, buffer_batches=2))
    params = dict(generator=generator, max_iter=8, warmup_iter=4, random_state=0,
                  filter=None)
    state = torch.get_rng_state()
    a = ActiveGANAugmenter(**params).fit(X, y)
    assert torch.equal(state, torch.get_rng_state())
    assert isinstance(a.generator_, _TinyG) and isinstance(a.discriminator_, _TinyD)
    b = ActiveGANAugmenter(**params).fit(X, y)
    np.testing.assert_array_equal(a.sample(10)[0], b.sample(10)[0])
    import pickle

    np.testing.assert_array_equal(pickle.loads(pickle.dumps(a)).sample(10)[0], a.sample(10)[0])


def test_networks_with_the_wrong_interface_are_a_clear_error():
    X = np.random.RandomState(0).normal(size=(30, 5))
    y = np.repeat([0, 1, 2], 10)
    with pytest.raises(ValueError, match=r"generator\(z, y\) must return shape \(n, 5\)"):
        ActiveGANAugmenter(generator=MLPGenerator(networks=broken_networks),
                           max_iter=2, warmup_iter=1, random_state=0).fit(X, y)


# --------------------------------------------------------------------------------------
# The per-block straight-through one-hot head for categorical columns
# --------------------------------------------------------------------------------------

def test_straight_through_one_hot_is_exact_forward_and_softmax_backward():
    logits = torch.randn(50, 4, generator=torch.Generator().manual_seed(0)) * 30
    logits.requires_grad_(True)
    out = straight_through_one_hot(logits)
    expected = torch.nn.functional.one_hot(logits.argmax(1), 4).to(logits.dtype)
    assert torch.equal(out, expected)  # exactly 0 and 1, not up to rounding
    weights = torch.randn(50, 4, generator=torch.Generator().manual_seed(1))
    (out * weights).sum().backward()
    soft_logits = logits.detach().clone().requires_grad_(True)
    (torch.softmax(soft_logits, 1) * weights).sum().backward()
    torch.testing.assert_close(logits.grad, soft_logits.grad)


def test_straight_through_one_hot_takes_the_first_of_tied_maxima():
    out = straight_through_one_hot(torch.tensor([[1.0, 3.0, 3.0], [0.0, 0.0, 0.0]]))
    assert torch.equal(out, torch.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]))


def _generator(output_blocks, seed=0, n_features=9):
    return build_module(GeneratorMLP, 4, 3, n_features, (16,), device="cpu",
                        rng=torch.Generator().manual_seed(seed), output_blocks=output_blocks)


def test_generator_blocks_are_one_hot_and_other_outputs_unchanged():
    blocks = [(1, 4), (4, 6), (8, 9)]
    G, plain = _generator(blocks), _generator(())
    z = torch.randn(64, 4, generator=torch.Generator().manual_seed(2))
    y = torch.arange(64) % 3
    state = torch.get_rng_state()
    x = G(z, y)
    assert torch.equal(state, torch.get_rng_state())  # nothing sampled in the module
    assert torch.equal(x, G(z, y))
    for start, stop in blocks:
        block = x[:, start:stop]
        assert set(block.unique().tolist()) <= {0.0, 1.0}
        assert torch.equal(block.sum(1), torch.ones(64))
    numeric = [0, 6, 7]
    assert torch.equal(x[:, numeric], plain(z, y)[:, numeric])
    # Different rows of noise reach different categories.
    assert x[:, 1:4].sum(0).gt(0).sum() > 1


def test_generator_blocks_pass_the_gradient_to_the_generator():
    G = _generator([(0, 3), (3, 9)])
    D = build_module(DiscriminatorMLP, 9, 3, (8,), device="cpu",
                     rng=torch.Generator().manual_seed(1))
    z = torch.randn(16, 4, generator=torch.Generator().manual_seed(3))
    s = D(G(z, torch.arange(16) % 3))[0]
    s.sum().backward()
    assert G.output.weight.grad is not None and G.output.weight.grad.abs().sum() > 0


@pytest.mark.parametrize("blocks", [[(2, 5), (4, 6)], [(4, 6), (0, 2)], [(3, 3)],
                                    [(7, 10)], [(-1, 2)]])
def test_generator_refuses_bad_output_blocks(blocks):
    with pytest.raises(ValueError, match="output_blocks must be sorted, disjoint"):
        _generator(blocks)


def test_conv_networks_take_no_output_blocks():
    with pytest.raises(ValueError, match="convolutional networks for images take none"):
        build_networks(64, 2, latent_dim=4, hidden_layer_sizes=(8,), image_shape=(1, 8, 8),
                       device="cpu", rng=torch.Generator().manual_seed(0),
                       output_blocks=[(0, 2)])


def test_build_networks_passes_output_blocks_to_the_generator():
    G, D = build_networks(5, 2, latent_dim=3, hidden_layer_sizes=(8,), image_shape=None,
                          device="cpu", rng=torch.Generator().manual_seed(0),
                          output_blocks=[(2, 5)])
    assert G.output_blocks == ((2, 5),)
    x = G(torch.randn(6, 3, generator=torch.Generator().manual_seed(0)), torch.zeros(6).long())
    assert torch.equal(x[:, 2:].sum(1), torch.ones(6))
    assert not hasattr(D, "features")
