"""The library's Adam against torch.optim.Adam: the same updates, bit for bit."""

import subprocess
import sys

import pytest
import torch
from torch import nn

from skactivegan.training import _adam
from skactivegan.training._adam import Adam

BETAS = (0.5, 0.999)


def _network(seed):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(5, 7), nn.LeakyReLU(0.2), nn.Linear(7, 3))


def _train(network, optimizer, n_steps=6, scaler=None):
    generator = torch.Generator().manual_seed(1)
    for _ in range(n_steps):
        x = torch.randn(16, 5, generator=generator)
        loss = network(x).square().mean()
        optimizer.zero_grad(set_to_none=True)
        if scaler is None:
            loss.backward()
            optimizer.step()
        else:
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
    return [p.detach().clone() for p in network.parameters()]


def _groups(network):
    """Two groups with their own learning rates, as the composer's policy has."""
    first, *rest = list(network.parameters())
    return [{"params": [first], "lr": 3e-3}, {"params": rest, "lr": 2e-4}]


@pytest.mark.parametrize("fused", [True, False])
def test_updates_match_torch_adam_bit_for_bit(fused, monkeypatch):
    if not fused:
        monkeypatch.setattr(_adam, "_has_fused_kernel", lambda device: False)
    ours = _network(0)
    reference = _network(0)
    got = _train(ours, Adam(_groups(ours), betas=BETAS))
    per_tensor = {"fused": True} if fused else {"foreach": False}
    expected = _train(reference, torch.optim.Adam(_groups(reference), betas=BETAS,
                                                  **per_tensor))
    for a, b in zip(got, expected, strict=True):
        assert torch.equal(a, b)


def test_parameters_without_gradient_are_left_alone():
    network = _network(0)
    frozen = nn.Parameter(torch.ones(3))
    optimizer = Adam([{"params": [*network.parameters(), frozen], "lr": 1e-2}])
    _train(network, optimizer, n_steps=2)
    assert torch.equal(frozen, torch.ones(3))
    assert frozen not in optimizer.state


def test_zero_grad_keeps_tensors_when_asked():
    network = _network(0)
    optimizer = Adam([{"params": list(network.parameters()), "lr": 1e-2}])
    network(torch.ones(2, 5)).sum().backward()
    optimizer.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.any() for p in network.parameters())
    optimizer.zero_grad()
    assert all(p.grad is None for p in network.parameters())


def test_rejects_integer_tensors():
    with pytest.raises(TypeError, match="float tensors"):
        Adam([{"params": [torch.zeros(3, dtype=torch.int64)], "lr": 1e-2}])


def test_grad_scaler_skips_the_step_on_an_overflow():
    """With mixed precision the scaler unscales, and skips a step with inf grads."""
    network = _network(0)
    optimizer = Adam([{"params": list(network.parameters()), "lr": 1e-2}])
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0 ** 8)
    before = [p.detach().clone() for p in network.parameters()]
    loss = network(torch.full((2, 5), float("inf"))).sum()
    optimizer.zero_grad()
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    after = list(network.parameters())
    assert all(torch.equal(a, b) for a, b in zip(before, after, strict=True))
    assert scaler.get_scale() < 2.0 ** 8
    # and steps like torch.optim.Adam on finite gradients
    ours, reference = _network(0), _network(0)
    got = _train(ours, Adam(_groups(ours), betas=BETAS),
                 scaler=torch.amp.GradScaler("cpu"))
    expected = _train(reference, torch.optim.Adam(_groups(reference), betas=BETAS),
                      scaler=torch.amp.GradScaler("cpu"))
    for a, b in zip(got, expected, strict=True):
        assert torch.allclose(a, b, rtol=0, atol=1e-6)


def test_fitting_does_not_import_torch_compiler():
    """A fit builds no torch.optim optimiser, whose first one imports torch._dynamo."""
    code = (
        "import sys, numpy as np\n"
        "from skactivegan import ActiveGANAugmenter\n"
        "rng = np.random.default_rng(0)\n"
        "X = rng.normal(size=(60, 3)); y = np.r_[np.zeros(50), np.ones(10)]\n"
        "ActiveGANAugmenter(max_iter=2, random_state=0).fit_resample(X, y)\n"
        "print('torch._dynamo' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
