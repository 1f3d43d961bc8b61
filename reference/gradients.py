"""Reference solution: gradients — vanishing, exploding, and checking gradients."""

# The notebook's imports cell: every name a question may use, so some go unused here.
# ruff: noqa: F401
import math
from collections.abc import Callable, Iterable

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_deep_mlp(
    depth: int,
    width: int,
    activation: str,
    init_scale: float,
    generator: torch.Generator | None = None,
) -> nn.Sequential:
    """`depth` x (Linear(width, width), activation), then Linear(width, 1); weights ~ N(0, init_scale**2 / width), biases 0."""
    # BEGIN SOLUTION
    modules = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "linear": nn.Identity}
    if activation not in modules:
        raise ValueError(f"activation must be one of {sorted(modules)}, got {activation!r}")
    if int(depth) != depth or depth < 0:
        raise ValueError(f"depth must be a non-negative integer, got {depth!r}")
    if int(width) != width or width < 1:
        raise ValueError(f"width must be a positive integer, got {width!r}")
    if not (math.isfinite(init_scale) and init_scale >= 0):
        raise ValueError(f"init_scale must be a finite number >= 0, got {init_scale!r}")
    layers: list[nn.Module] = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), modules[activation]()]
    layers.append(nn.Linear(width, 1))
    std = init_scale / math.sqrt(width)
    with torch.no_grad():
        for layer in layers:
            if isinstance(layer, nn.Linear):
                layer.weight.normal_(0.0, std, generator=generator)
                layer.bias.zero_()
    return nn.Sequential(*layers)
    # END SOLUTION


def layer_grad_norms(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Frobenius norm of d(MSE loss)/d(weight) of each nn.Linear in forward order, ignoring old gradients."""
    # BEGIN SOLUTION
    weights = [m.weight for m in model.modules() if isinstance(m, nn.Linear)]
    if not weights:
        raise ValueError("the model has no nn.Linear layer, so there is no weight gradient to measure")
    out = model(x)
    if y.shape != out.shape and not (y.dim() == 1 and out.shape == (y.shape[0], 1)):
        raise ValueError(f"y must have shape {tuple(out.shape)} (or ({out.shape[0]},)), got {tuple(y.shape)}")
    loss = torch.nn.functional.mse_loss(out, y.reshape(out.shape))  # promotes a target of another dtype
    grads = torch.autograd.grad(loss, weights)
    return torch.stack([torch.linalg.vector_norm(g) for g in grads]).detach()
    # END SOLUTION


def diagnose(norms: torch.Tensor, ratio: float = 1e3) -> str:
    """'exploding' if a norm is not finite; else by r = norms[0] / norms[-1]: 'vanishing', 'exploding' or 'healthy'."""
    # BEGIN SOLUTION
    norms = torch.as_tensor(norms).detach().to(torch.float64)
    if norms.dim() != 1 or norms.numel() == 0:
        raise ValueError(f"norms must be a non-empty 1-D tensor, got shape {tuple(norms.shape)}")
    if not (math.isfinite(ratio) and ratio >= 1):
        raise ValueError(f"ratio must be a finite number >= 1, got {ratio!r}")
    if not bool(torch.isfinite(norms).all()):
        return "exploding"
    r = float(norms[0] / norms[-1])
    if r < 1 / ratio:
        return "vanishing"
    if r > ratio:
        return "exploding"
    return "healthy"
    # END SOLUTION


def numerical_gradient(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, eps: float = 1e-6
) -> torch.Tensor:
    """Centered differences (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), computed in float64, returned in x's dtype."""
    # BEGIN SOLUTION
    if not (math.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be a finite number > 0, got {eps!r}")
    x64 = x.detach().to(torch.float64)
    grad = torch.zeros_like(x64)
    flat = grad.view(-1)

    def value(point: torch.Tensor) -> torch.Tensor:
        out = torch.as_tensor(f(point), dtype=torch.float64)  # a Python float stays exact, too
        if out.numel() != 1:
            raise ValueError(f"f must return a scalar, got a tensor of shape {tuple(out.shape)}")
        return out.reshape(())

    with torch.no_grad():
        for i in range(x64.numel()):
            plus, minus = x64.clone(), x64.clone()
            plus.view(-1)[i] += eps
            minus.view(-1)[i] -= eps
            flat[i] = (value(plus) - value(minus)) / (2 * eps)
    return grad.to(x.dtype) if x.is_floating_point() else grad
    # END SOLUTION


def relative_error(a: torch.Tensor, b: torch.Tensor) -> float:
    """||a - b|| / max(||a|| + ||b||, 1e-12) with 2-norms, as a Python float."""
    # BEGIN SOLUTION
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {tuple(a.shape)} and {tuple(b.shape)}")
    a64, b64 = a.detach().to(torch.float64), b.detach().to(torch.float64)
    num = float(torch.linalg.vector_norm(a64 - b64))
    den = float(torch.linalg.vector_norm(a64)) + float(torch.linalg.vector_norm(b64))
    return num / max(den, 1e-12)
    # END SOLUTION


def clip_grad_norm_(parameters: Iterable[torch.Tensor] | torch.Tensor, max_norm: float) -> torch.Tensor:
    """Scale all gradients by max_norm / (total + 1e-6) when that is below 1; return the total norm before."""
    # BEGIN SOLUTION
    if not (max_norm >= 0):
        raise ValueError(f"max_norm must be >= 0, got {max_norm!r}")
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    total = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))
    coef = max_norm / (total + 1e-6)
    if coef < 1:
        with torch.no_grad():
            for g in grads:
                g.mul_(coef)
    return total
    # END SOLUTION
