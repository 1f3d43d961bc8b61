"""Reference solution: augmentation — label-preserving transformations."""

# The notebook's imports cell: every name a question may use, so some go unused here.
# ruff: noqa: F401
import math
import operator

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def _integer(value) -> int | None:
    """`value` as a Python int, or None for anything that is not an integer (1.5, "2", None)."""
    # BEGIN SOLUTION
    try:
        return operator.index(value)
    except TypeError:
        return None
    # END SOLUTION


def translate(images: torch.Tensor, dx: int, dy: int) -> torch.Tensor:
    """out[..., i, j] = images[..., i - dy, j - dx] inside the image, else 0 (dx > 0 right, dy > 0 down)."""
    # BEGIN SOLUTION
    if not isinstance(images, torch.Tensor):
        raise ValueError(f"images must be a tensor of shape (..., H, W), got {type(images).__name__}")
    if images.dim() < 2:
        raise ValueError(f"images must have shape (..., H, W), got {tuple(images.shape)}")
    x, y = _integer(dx), _integer(dy)
    if x is None or y is None:
        raise ValueError(f"dx and dy must be integers, got dx={dx!r}, dy={dy!r}")
    H, W = images.shape[-2:]
    # a shift by the whole width (height) or more leaves nothing: clamped, the slices below are empty
    dx, dy = max(-W, min(W, x)), max(-H, min(H, y))
    out = torch.zeros_like(images)
    # target rows [max(0, dy), min(H, H + dy)) come from source rows [max(0, -dy), min(H, H - dy))
    out[..., max(0, dy) : min(H, H + dy), max(0, dx) : min(W, W + dx)] = images[
        ..., max(0, -dy) : min(H, H - dy), max(0, -dx) : min(W, W - dx)
    ]
    return out
    # END SOLUTION


def random_translate(
    images: torch.Tensor, max_shift: int, generator: torch.Generator | None = None
) -> torch.Tensor:
    """Move each image of (N, H, W) or (N, C, H, W) by its own dx, dy uniform in [-max_shift, max_shift]."""
    # BEGIN SOLUTION
    if not isinstance(images, torch.Tensor):
        raise ValueError(f"images must be a tensor of shape (N, H, W) or (N, C, H, W), got {type(images).__name__}")
    if images.dim() not in (3, 4):
        raise ValueError(f"images must have shape (N, H, W) or (N, C, H, W), got {tuple(images.shape)}")
    m = _integer(max_shift)
    if m is None or m < 0:
        raise ValueError(f"max_shift must be an integer >= 0, got {max_shift!r}")
    # drawn on the CPU, where the (CPU) generator lives; they become Python ints anyway
    shifts = torch.randint(-m, m + 1, (images.shape[0], 2), generator=generator).tolist()
    # one call of translate per distinct shift: at most (2 m + 1)**2 calls
    groups: dict[tuple[int, int], list[int]] = {}
    for index, (dx, dy) in enumerate(shifts):
        groups.setdefault((dx, dy), []).append(index)
    out = torch.empty_like(images)
    for (dx, dy), members in groups.items():
        out[members] = translate(images[members], dx, dy)
    return out
    # END SOLUTION


def flip_lr(images: torch.Tensor) -> torch.Tensor:
    """Mirror every image left to right: out[..., i, j] = images[..., i, W - 1 - j]."""
    # BEGIN SOLUTION
    if not isinstance(images, torch.Tensor):
        raise ValueError(f"images must be a tensor of shape (..., H, W), got {type(images).__name__}")
    if images.dim() < 2:
        raise ValueError(f"images must have shape (..., H, W), got {tuple(images.shape)}")
    return images.flip(-1)
    # END SOLUTION


def _check_noise(images: torch.Tensor, amount: float) -> float:
    """Check the arguments of a noise function; return its std (or scale) as a float."""
    # BEGIN SOLUTION
    if not isinstance(images, torch.Tensor):
        raise ValueError(f"images must be a floating tensor, got {type(images).__name__}")
    if not images.is_floating_point():
        raise ValueError(f"images must be a floating tensor, got dtype {images.dtype}")
    amount = float(amount)
    if not (math.isfinite(amount) and amount >= 0):
        raise ValueError(f"the noise's std (or scale) must be a finite number >= 0, got {amount!r}")
    return amount
    # END SOLUTION


def add_gaussian_noise(
    images: torch.Tensor, std: float, generator: torch.Generator | None = None
) -> torch.Tensor:
    """images + noise, the noise i.i.d. N(0, std**2) per pixel."""
    # BEGIN SOLUTION
    std = _check_noise(images, std)
    # drawn on the CPU with the (CPU) generator, then moved to the images' device
    noise = torch.randn(images.shape, generator=generator, dtype=images.dtype)
    return images + float(std) * noise.to(images.device)
    # END SOLUTION


def add_laplacian_noise(
    images: torch.Tensor, scale: float, generator: torch.Generator | None = None
) -> torch.Tensor:
    """images + noise, the noise i.i.d. Laplace(0, scale) per pixel (density exp(-|x| / scale) / (2 scale))."""
    # BEGIN SOLUTION
    scale = _check_noise(images, scale)
    # the difference of two independent Exp(1) variables is Laplace(0, 1)
    up = torch.empty(images.shape, dtype=images.dtype).exponential_(generator=generator)
    down = torch.empty(images.shape, dtype=images.dtype).exponential_(generator=generator)
    return images + float(scale) * (up - down).to(images.device)
    # END SOLUTION


def augment(
    images: torch.Tensor,
    labels: torch.Tensor,
    copies: int,
    max_shift: int,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The originals, then `copies` randomly translated copies of the whole set; labels repeated to match."""
    # BEGIN SOLUTION
    if not isinstance(images, torch.Tensor):
        raise ValueError(f"images must be a tensor of shape (N, H, W) or (N, C, H, W), got {type(images).__name__}")
    if images.dim() not in (3, 4):
        raise ValueError(f"images must have shape (N, H, W) or (N, C, H, W), got {tuple(images.shape)}")
    if not isinstance(labels, torch.Tensor):
        raise ValueError(f"labels must be a tensor of shape ({images.shape[0]},), got {type(labels).__name__}")
    if labels.shape != images.shape[:1]:
        raise ValueError(f"labels must have shape ({images.shape[0]},), got {tuple(labels.shape)}")
    k = _integer(copies)
    if k is None or k < 0:
        raise ValueError(f"copies must be an integer >= 0, got {copies!r}")
    parts = [images] + [random_translate(images, max_shift, generator) for _ in range(k)]
    return torch.cat(parts), labels.repeat(k + 1)
    # END SOLUTION
