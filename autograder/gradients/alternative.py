"""An independent correct solution of `gradients` (plain module, written apart from the reference)."""

import math

import torch
from torch import nn


def make_deep_mlp(depth, width, activation, init_scale, generator=None):
    factories = {
        "sigmoid": lambda: nn.Sigmoid(),
        "tanh": lambda: nn.Tanh(),
        "relu": lambda: nn.ReLU(),
        "linear": lambda: nn.Identity(),
    }
    if activation not in factories:
        raise ValueError(f"unknown activation {activation!r}; expected sigmoid, tanh, relu or linear")
    if not isinstance(depth, int) or depth < 0:
        raise ValueError(f"depth must be an integer >= 0, got {depth!r}")
    if not isinstance(width, int) or width < 1:
        raise ValueError(f"width must be an integer >= 1, got {width!r}")
    if init_scale < 0:
        raise ValueError(f"init_scale must be >= 0, got {init_scale!r}")

    def linear(n_out):
        layer = nn.Linear(width, n_out)
        w = torch.randn(n_out, width, generator=generator) * (init_scale / width**0.5)
        layer.weight = nn.Parameter(w)
        layer.bias = nn.Parameter(torch.zeros(n_out))
        return layer

    modules = []
    for _ in range(depth):
        modules.append(linear(width))
        modules.append(factories[activation]())
    modules.append(linear(1))
    return nn.Sequential(*modules)


def layer_grad_norms(model, x, y):
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if len(linears) == 0:
        raise ValueError("model contains no nn.Linear")
    saved = {p: p.grad for p in model.parameters()}
    try:
        model.zero_grad(set_to_none=True)
        out = model(x)
        if y.dim() == 1 and out.dim() == 2 and out.shape[1] == 1 and y.shape[0] == out.shape[0]:
            y = y.unsqueeze(1)
        if y.shape != out.shape:
            raise ValueError(f"target shape {tuple(y.shape)} does not match output shape {tuple(out.shape)}")
        loss = ((out - y) ** 2).mean()
        loss.backward()
        values = [m.weight.grad.pow(2).sum().sqrt() for m in linears]
        return torch.stack(values).to(x.dtype)
    finally:
        for p, g in saved.items():
            p.grad = g


def diagnose(norms, ratio=1e3):
    values = [float(v) for v in torch.as_tensor(norms).reshape(-1)]
    if len(values) == 0:
        raise ValueError("norms is empty")
    if ratio < 1:
        raise ValueError(f"ratio must be >= 1, got {ratio}")
    if not all(math.isfinite(v) for v in values):
        return "exploding"
    first, last = values[0], values[-1]
    if last == 0:
        r = math.inf if first > 0 else math.nan
    else:
        r = first / last
    if r * ratio < 1:
        return "vanishing"
    if r > ratio:
        return "exploding"
    return "healthy"


def numerical_gradient(f, x, eps=1e-6):
    if eps <= 0:
        raise ValueError(f"eps must be positive, got {eps}")
    base = x.detach().double().reshape(-1)
    n = base.numel()
    steps = torch.eye(n, dtype=torch.float64, device=x.device) * eps
    out = torch.empty(n, dtype=torch.float64, device=x.device)
    for i in range(n):
        up = float(f((base + steps[i]).reshape(x.shape)))
        down = float(f((base - steps[i]).reshape(x.shape)))
        out[i] = (up - down) / (2 * eps)
    return out.reshape(x.shape).to(x.dtype if x.is_floating_point() else torch.float64)


def relative_error(a, b):
    if tuple(a.shape) != tuple(b.shape):
        raise ValueError(f"shapes differ: {tuple(a.shape)} vs {tuple(b.shape)}")
    a = a.double().flatten()
    b = b.double().flatten().to(a.device)
    diff = math.sqrt(float(((a - b) ** 2).sum()))
    size = math.sqrt(float((a**2).sum())) + math.sqrt(float((b**2).sum()))
    return diff / max(size, 1e-12)


def clip_grad_norm_(parameters, max_norm):
    if max_norm < 0:
        raise ValueError(f"max_norm must be non-negative, got {max_norm}")
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    grads = []
    for p in parameters:
        if p.grad is not None:
            grads.append(p.grad)
    if not grads:
        return torch.tensor(0.0)
    total = torch.sqrt(sum((g.detach() ** 2).sum() for g in grads))
    factor = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    with torch.no_grad():
        for g in grads:
            g.mul_(factor)
    return total
