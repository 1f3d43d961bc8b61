"""Trivial answers of depth: the right shapes and types, validated inputs, no idea of the lecture."""

import torch


def count_weights(layer_sizes):
    sizes = list(layer_sizes)
    if len(sizes) < 2 or any(int(s) != s or s < 1 for s in sizes):
        raise ValueError(f"layer_sizes needs at least two positive integers, got {layer_sizes!r}")
    return 0


def init_mlp(layer_sizes, generator=None):
    count_weights(layer_sizes)
    return [
        (torch.zeros(n_out, n_in, dtype=torch.float32), torch.zeros(n_out, dtype=torch.float32))
        for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])
    ]


def mlp_forward(params, x, activation=torch.abs):
    if x.dim() != 2 or x.shape[1] != params[0][0].shape[1]:
        raise ValueError(f"x must have shape (n, {params[0][0].shape[1]}), got {tuple(x.shape)}")
    return torch.zeros(x.shape[0], params[-1][0].shape[0], dtype=x.dtype, device=x.device)


def count_activation_regions(params, start, end, num_points=10_000):
    n_in = params[0][0].shape[1]
    if start.shape != (n_in,) or end.shape != (n_in,):
        raise ValueError(f"start and end must have shape ({n_in},)")
    if num_points < 1:
        raise ValueError(f"num_points must be at least 1, got {num_points}")
    return 1


def sawtooth_mlp(depth):
    if depth < 1:
        raise ValueError(f"depth must be at least 1, got {depth}")
    return [(torch.zeros(1, 1), torch.zeros(1)) for _ in range(depth + 1)]
