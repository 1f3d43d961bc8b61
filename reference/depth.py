"""Reference solution: depth — same 60 weights, different depth (`abs` activation)."""

# The notebook's imports cell: every name a question may use, so some go unused here.
# ruff: noqa: F401
import math
from collections.abc import Callable, Sequence

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def count_weights(layer_sizes: Sequence[int]) -> int:
    """Number of weights (no biases) of a fully connected net with these layer sizes."""
    # BEGIN SOLUTION
    sizes = list(layer_sizes)
    if len(sizes) < 2 or any(int(s) != s or s < 1 for s in sizes):
        raise ValueError(f"layer_sizes needs at least two positive integers, got {layer_sizes!r}")
    return sum(int(a) * int(b) for a, b in zip(sizes[:-1], sizes[1:]))
    # END SOLUTION


def init_mlp(
    layer_sizes: Sequence[int], generator: torch.Generator | None = None
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """One (W, b) per layer, W of shape (out, in), b of shape (out,), entries i.i.d. N(0, 1)."""
    # BEGIN SOLUTION
    count_weights(layer_sizes)  # validates the sizes
    params = []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        W = torch.randn(n_out, n_in, generator=generator, dtype=torch.float32)
        b = torch.randn(n_out, generator=generator, dtype=torch.float32)
        params.append((W, b))
    return params
    # END SOLUTION


def mlp_forward(
    params: list[tuple[torch.Tensor, torch.Tensor]],
    x: torch.Tensor,
    activation: Callable[[torch.Tensor], torch.Tensor] = torch.abs,
) -> torch.Tensor:
    """Map x of shape (n, in) to (n, out); the activation follows every layer but the last."""
    # BEGIN SOLUTION
    if x.dim() != 2 or x.shape[1] != params[0][0].shape[1]:
        raise ValueError(
            f"x must have shape (n, {params[0][0].shape[1]}), got {tuple(x.shape)}"
        )
    h = x
    for index, (W, b) in enumerate(params):
        h = h @ W.T + b
        if index < len(params) - 1:
            h = activation(h)
    return h
    # END SOLUTION


def count_activation_regions(
    params: list[tuple[torch.Tensor, torch.Tensor]],
    start: torch.Tensor,
    end: torch.Tensor,
    num_points: int = 10_000,
) -> int:
    """Number of maximal runs of equal activation patterns along the segment start -> end."""
    # BEGIN SOLUTION
    n_in = params[0][0].shape[1]
    if start.shape != (n_in,) or end.shape != (n_in,):
        raise ValueError(
            f"start and end must have shape ({n_in},), got {tuple(start.shape)} and {tuple(end.shape)}"
        )
    if num_points < 1:
        raise ValueError(f"num_points must be at least 1, got {num_points}")
    t = torch.linspace(0, 1, num_points, dtype=start.dtype, device=start.device)
    h = start + t[:, None] * (end - start)
    signs = []
    for W, b in params[:-1]:
        z = h @ W.T + b
        signs.append(z > 0)
        h = torch.abs(z)
    if not signs:
        return 1
    pattern = torch.cat(signs, dim=1)
    changes = (pattern[1:] != pattern[:-1]).any(dim=1)
    return 1 + int(changes.sum())
    # END SOLUTION


def sawtooth_mlp(depth: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """A 1-in, 1-out abs net with `depth` hidden layers of width <= 2 and >= 2**depth regions on [0, 1]."""
    # BEGIN SOLUTION
    if depth < 1:
        raise ValueError(f"depth must be at least 1, got {depth}")
    # Layer k computes |2 t - 1| of the previous tent value t = 1 - h, so each layer folds [0, 1]
    # onto itself once more: the tent map composed `depth` times has 2**depth linear pieces.
    params = [(torch.tensor([[2.0]]), torch.tensor([-1.0]))]
    for _ in range(depth - 1):
        params.append((torch.tensor([[-2.0]]), torch.tensor([1.0])))
    params.append((torch.tensor([[-1.0]]), torch.tensor([1.0])))
    return params
    # END SOLUTION
