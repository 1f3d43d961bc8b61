"""Trivial answers for `gradients`: the handout's names, right types and shapes, inputs validated as the
reference does, but no idea of the lecture (zero weights, zero norms, a constant diagnosis, zero gradients,
no clipping). `dl541 verify gradients` checks that this scores at most 25%."""

import math

import torch
from torch import nn


def make_deep_mlp(depth, width, activation, init_scale, generator=None):
    """The handout's layers with every weight and bias 0."""
    modules = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "linear": nn.Identity}
    if activation not in modules:
        raise ValueError(f"activation must be one of {sorted(modules)}, got {activation!r}")
    if int(depth) != depth or depth < 0:
        raise ValueError(f"depth must be a non-negative integer, got {depth!r}")
    if int(width) != width or width < 1:
        raise ValueError(f"width must be a positive integer, got {width!r}")
    if not (math.isfinite(init_scale) and init_scale >= 0):
        raise ValueError(f"init_scale must be a finite number >= 0, got {init_scale!r}")
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), modules[activation]()]
    layers.append(nn.Linear(width, 1))
    with torch.no_grad():
        for layer in layers:
            if isinstance(layer, nn.Linear):
                layer.weight.zero_()
                layer.bias.zero_()
    return nn.Sequential(*layers)


def layer_grad_norms(model, x, y):
    """Zeros, one per nn.Linear, in x's dtype and on x's device."""
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if not linears:
        raise ValueError("the model has no nn.Linear layer")
    n = x.shape[0]
    if tuple(y.shape) not in ((n, 1), (n,)):
        raise ValueError(f"y must have shape ({n}, 1) or ({n},), got {tuple(y.shape)}")
    return torch.zeros(len(linears), dtype=x.dtype, device=x.device)


def diagnose(norms, ratio=1e3):
    """Always the middle answer."""
    norms = torch.as_tensor(norms)
    if norms.dim() != 1 or norms.numel() == 0:
        raise ValueError(f"norms must be a non-empty 1-D tensor, got shape {tuple(norms.shape)}")
    if not (math.isfinite(ratio) and ratio >= 1):
        raise ValueError(f"ratio must be a finite number >= 1, got {ratio!r}")
    return "healthy"


def numerical_gradient(f, x, eps=1e-6):
    """Zeros of x's shape (x's dtype, float64 for an integer x), on x's device."""
    if not (math.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be a finite number > 0, got {eps!r}")
    return torch.zeros_like(x, dtype=x.dtype if x.is_floating_point() else torch.float64)


def relative_error(a, b):
    """Always 0.0."""
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {tuple(a.shape)} and {tuple(b.shape)}")
    return 0.0


def clip_grad_norm_(parameters, max_norm):
    """Leaves the gradients alone and returns 0 in their dtype and device."""
    if not (max_norm >= 0):
        raise ValueError(f"max_norm must be >= 0, got {max_norm!r}")
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    return torch.zeros((), dtype=grads[0].dtype, device=grads[0].device)
