"""An independently written solution of depth (different algorithms), used to catch over-strict tests."""

import functools

import numpy as np
import torch


def count_weights(layer_sizes):
    sizes = np.asarray(list(layer_sizes))
    if sizes.ndim != 1 or sizes.size < 2 or (sizes < 1).any():
        raise ValueError(f"need two or more positive layer sizes, got {layer_sizes!r}")
    return int(np.dot(sizes[:-1], sizes[1:]))


def init_mlp(layer_sizes, generator=None):
    count_weights(layer_sizes)
    sizes = list(layer_sizes)
    return [
        (
            torch.randn((sizes[i + 1], sizes[i]), generator=generator, dtype=torch.float32),
            torch.randn((sizes[i + 1],), generator=generator, dtype=torch.float32),
        )
        for i in range(len(sizes) - 1)
    ]


def mlp_forward(params, x, activation=torch.abs):
    if x.ndim != 2 or x.shape[-1] != params[0][0].shape[-1]:
        raise ValueError(f"expected x of shape (n, {params[0][0].shape[-1]}), got {tuple(x.shape)}")
    *hidden, (W_out, b_out) = params

    def layer(h, wb):
        return activation(torch.addmm(wb[1], h, wb[0].t()))

    return torch.addmm(b_out, functools.reduce(layer, hidden, x), W_out.t())


def count_activation_regions(params, start, end, num_points=10_000):
    d = params[0][0].shape[1]
    if tuple(start.shape) != (d,) or tuple(end.shape) != (d,):
        raise ValueError(f"start and end need shape ({d},)")
    if num_points < 1:
        raise ValueError("num_points must be positive")
    t = torch.linspace(0, 1, num_points, dtype=start.dtype, device=start.device).unsqueeze(1)
    h = start + t * (end - start)
    bits = []
    for W, b in params[:-1]:
        z = torch.addmm(b, h, W.t())
        bits.append(z > 0)
        h = z.abs()
    if not bits:
        return 1
    return int(torch.unique_consecutive(torch.cat(bits, 1), dim=0).shape[0])


def sawtooth_mlp(depth):
    if depth < 1:
        raise ValueError("depth must be at least 1")
    # y_k = tent^k(x) / 2 = 0.5 - h_k with h_1 = |x - 0.5| and h_k = |2 y_{k-1} - 0.5|.
    layers = [(torch.tensor([[1.0]]), torch.tensor([-0.5]))]
    layers += [(torch.tensor([[-2.0]]), torch.tensor([0.5])) for _ in range(depth - 1)]
    layers.append((torch.tensor([[-2.0]]), torch.tensor([1.0])))
    return layers
