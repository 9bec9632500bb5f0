"""Adam without ``torch.optim``: the same update, without its one-off import cost.

Building the first :class:`torch.optim.Optimizer` of a process makes torch import
``torch._dynamo``, its compiler stack, because the optimiser's methods
(``add_param_group``, ``zero_grad``, ``step``) are decorated to keep the compiler
out of them.  That import takes about 1.5-2.5 s on two CPU cores, more than a
whole ``fit_resample`` at the defaults (about 1 s on a small table), and the
library never compiles anything.  Measured on a 300-row table
(``make_classification``, defaults, one process each): 2.9 s for the first fit
with ``torch.optim.Adam``, 1.3 s without it; a second fit in the same process
takes 0.8-1.0 s either way.

:class:`Adam` is the small part of ``torch.optim.Adam`` that training uses:
parameter groups with their own learning rate, ``betas`` and ``eps``, no weight
decay, no AMSGrad.  Where torch has the fused Adam kernel for the parameters'
device (``torch._fused_adam_``: CUDA, and CPU since torch 2.4), it calls that
kernel exactly as ``torch.optim.Adam(fused=True)`` does, so the updates, and the
rows generated, are the same bit for bit; elsewhere it applies the per-tensor
update of ``torch.optim.Adam(foreach=False)``, also bit for bit.  Both are checked
against ``torch.optim.Adam`` in ``tests/test_adam.py``.

It has the interface that :class:`torch.amp.GradScaler` needs of an optimiser
(``param_groups`` and ``step()``): with mixed precision the scaler unscales the
gradients and skips the step on an overflow, as it does for any optimiser that
does not take the scale itself.
"""

import math

import torch

__all__ = ["Adam"]


def _has_fused_kernel(device):
    """Whether ``torch._fused_adam_`` can update float parameters on ``device``.

    Its CUDA kernel is as old as the torch this library needs (2.1), its CPU one came
    with torch 2.4; other devices (MPS, XPU) got theirs in later versions, so they
    get the per-tensor update rather than a version table here.
    """
    if not hasattr(torch, "_fused_adam_"):
        return False
    if device.type == "cuda":
        return True
    if device.type != "cpu":
        return False
    major, minor = (int(part) for part in torch.__version__.split(".")[:2])
    return (major, minor) >= (2, 4)


def adam_update(param, grad, exp_avg, exp_avg_sq, step, *, lr, beta1, beta2, eps):
    """One per-tensor Adam update of ``param`` in place (``step`` counts from 1).

    The operations and their order are those of ``torch.optim.Adam``'s per-tensor
    implementation, so that the result is the same to the last bit.
    """
    exp_avg.lerp_(grad, 1 - beta1)
    exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
    step_size = lr / (1 - beta1 ** step)
    denom = (exp_avg_sq.sqrt() / math.sqrt(1 - beta2 ** step)).add_(eps)
    param.addcdiv_(exp_avg, denom, value=-step_size)


class Adam:
    """Adam (Kingma & Ba, 2015) on parameter groups, as ``torch.optim.Adam``.

    Parameters
    ----------
    param_groups : list of dict
        Each with ``"params"`` (a list of tensors that require gradients) and
        ``"lr"`` (its learning rate).
    betas : tuple of float, default=(0.9, 0.999)
        Decay rates of the first and second moment estimates.
    eps : float, default=1e-8
        Added to the denominator.

    Attributes
    ----------
    param_groups : list of dict
        The groups, as given.
    state : dict
        Per parameter: ``exp_avg``, ``exp_avg_sq`` and the ``step`` count.
    """

    def __init__(self, param_groups, betas=(0.9, 0.999), eps=1e-8):
        self.param_groups = [dict(group, params=list(group["params"]))
                             for group in param_groups]
        for group in self.param_groups:
            for param in group["params"]:
                if not param.is_floating_point():
                    raise TypeError(f"Adam updates float tensors, got {param.dtype}")
        self.betas = tuple(float(beta) for beta in betas)
        self.eps = float(eps)
        self.state = {}

    def zero_grad(self, set_to_none=True):
        """Drop (or zero) the gradients of every parameter."""
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is None:
                    continue
                if set_to_none:
                    param.grad = None
                else:
                    param.grad.detach_().zero_()

    def _state(self, param):
        state = self.state.get(param)
        if state is None:
            fused = _has_fused_kernel(param.device)
            state = {
                "exp_avg": torch.zeros_like(param, memory_format=torch.preserve_format),
                "exp_avg_sq": torch.zeros_like(param,
                                               memory_format=torch.preserve_format),
                # The fused kernel counts in a float32 tensor on the device, as
                # torch.optim.Adam(fused=True) does; the per-tensor update in an int.
                "step": torch.zeros((), dtype=torch.float32, device=param.device)
                if fused else 0,
                "fused": fused,
            }
            self.state[param] = state
        return state

    @torch.no_grad()
    def step(self):
        """Update every parameter that has a gradient."""
        beta1, beta2 = self.betas
        for group in self.param_groups:
            fused = {}  # (device, dtype) -> the kernel's lists
            for param in group["params"]:
                if param.grad is None:
                    continue
                state = self._state(param)
                if state["fused"]:
                    lists = fused.setdefault((param.device, param.dtype),
                                             ([], [], [], [], []))
                    for into, value in zip(lists, (param, param.grad, state["exp_avg"],
                                                   state["exp_avg_sq"], state["step"])):
                        into.append(value)
                else:
                    state["step"] += 1
                    adam_update(param, param.grad, state["exp_avg"],
                                state["exp_avg_sq"], state["step"], lr=group["lr"],
                                beta1=beta1, beta2=beta2, eps=self.eps)
            for params, grads, exp_avgs, exp_avg_sqs, steps in fused.values():
                torch._foreach_add_(steps, 1)
                torch._fused_adam_(
                    params, grads, exp_avgs, exp_avg_sqs, [], steps, amsgrad=False,
                    lr=group["lr"], beta1=beta1, beta2=beta2, weight_decay=0.0,
                    eps=self.eps, maximize=False, grad_scale=None, found_inf=None,
                )
