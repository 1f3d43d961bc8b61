"""Reference solution: augmentation — label-preserving transformations."""

import operator

import torch


def _integer(value, name: str) -> int:
    """`value` as a Python int; ValueError for anything that is not an integer (1.5, "2", None)."""
    # BEGIN SOLUTION
    try:
        return operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
    # END SOLUTION


def translate(images: torch.Tensor, dx: int, dy: int) -> torch.Tensor:
    """out[..., i, j] = images[..., i - dy, j - dx] inside the image, else 0 (dx > 0 right, dy > 0 down)."""
    # BEGIN SOLUTION
    if not isinstance(images, torch.Tensor) or images.dim() < 2:
        raise ValueError(f"images must have shape (..., H, W), got {getattr(images, 'shape', images)!r}")
    dx, dy = _integer(dx, "dx"), _integer(dy, "dy")
    H, W = images.shape[-2:]
    out = torch.zeros_like(images)
    if abs(dx) >= W or abs(dy) >= H:
        return out  # everything moved out of the frame
    # target rows [max(dy, 0), H + min(dy, 0)) come from source rows [max(-dy, 0), H - max(dy, 0))
    out[..., max(dy, 0) : H + min(dy, 0), max(dx, 0) : W + min(dx, 0)] = images[
        ..., max(-dy, 0) : H - max(dy, 0), max(-dx, 0) : W - max(dx, 0)
    ]
    return out
    # END SOLUTION


def random_translate(
    images: torch.Tensor, max_shift: int, generator: torch.Generator | None = None
) -> torch.Tensor:
    """Move each image of (N, H, W) or (N, C, H, W) by its own dx, dy uniform in [-max_shift, max_shift]."""
    # BEGIN SOLUTION
    if not isinstance(images, torch.Tensor) or images.dim() not in (3, 4):
        raise ValueError(
            f"images must have shape (N, H, W) or (N, C, H, W), got {getattr(images, 'shape', images)!r}"
        )
    max_shift = _integer(max_shift, "max_shift")
    if max_shift < 0:
        raise ValueError(f"max_shift must be at least 0, got {max_shift}")
    draw_on = generator.device if generator is not None else torch.device("cpu")
    shifts = torch.randint(
        -max_shift, max_shift + 1, (images.shape[0], 2), generator=generator, device=draw_on
    ).tolist()
    # one call of translate per distinct shift: at most (2 max_shift + 1)**2 calls
    groups: dict[tuple[int, int], list[int]] = {}
    for index, (dx, dy) in enumerate(shifts):
        groups.setdefault((dx, dy), []).append(index)
    out = torch.empty_like(images)
    for (dx, dy), members in groups.items():
        rows = torch.tensor(members, device=images.device)
        out[rows] = translate(images[rows], dx, dy)
    return out
    # END SOLUTION


def flip_lr(images: torch.Tensor) -> torch.Tensor:
    """Mirror every image left to right: out[..., i, j] = images[..., i, W - 1 - j]."""
    # BEGIN SOLUTION
    if not isinstance(images, torch.Tensor) or images.dim() < 2:
        raise ValueError(f"images must have shape (..., H, W), got {getattr(images, 'shape', images)!r}")
    return images.flip(-1)
    # END SOLUTION


def _noise_source(images: torch.Tensor, amount: float, name: str, generator) -> torch.device:
    """Check the arguments of a noise function; return the device to draw the noise on."""
    # BEGIN SOLUTION
    if not isinstance(images, torch.Tensor) or not images.is_floating_point():
        raise ValueError(f"images must be a floating tensor, got {getattr(images, 'dtype', type(images))}")
    if not float(amount) >= 0 or float(amount) == float("inf"):
        raise ValueError(f"{name} must be a finite number >= 0, got {amount!r}")
    return generator.device if generator is not None else images.device
    # END SOLUTION


def add_gaussian_noise(
    images: torch.Tensor, std: float, generator: torch.Generator | None = None
) -> torch.Tensor:
    """images + noise, the noise i.i.d. N(0, std**2) per pixel."""
    # BEGIN SOLUTION
    where = _noise_source(images, std, "std", generator)
    noise = torch.randn(images.shape, generator=generator, dtype=images.dtype, device=where)
    return images + float(std) * noise.to(images.device)
    # END SOLUTION


def add_laplacian_noise(
    images: torch.Tensor, scale: float, generator: torch.Generator | None = None
) -> torch.Tensor:
    """images + noise, the noise i.i.d. Laplace(0, scale) per pixel (density exp(-|x| / scale) / (2 scale))."""
    # BEGIN SOLUTION
    where = _noise_source(images, scale, "scale", generator)
    # the difference of two independent Exp(1) variables is Laplace(0, 1)
    e = torch.empty((2, *images.shape), dtype=images.dtype, device=where).exponential_(generator=generator)
    return images + float(scale) * (e[0] - e[1]).to(images.device)
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
    if not isinstance(images, torch.Tensor) or images.dim() not in (3, 4):
        raise ValueError(
            f"images must have shape (N, H, W) or (N, C, H, W), got {getattr(images, 'shape', images)!r}"
        )
    if not isinstance(labels, torch.Tensor) or labels.shape != images.shape[:1]:
        raise ValueError(
            f"labels must have shape ({images.shape[0]},), got {getattr(labels, 'shape', labels)!r}"
        )
    copies = _integer(copies, "copies")
    if copies < 0:
        raise ValueError(f"copies must be at least 0, got {copies}")
    parts = [images] + [random_translate(images, max_shift, generator) for _ in range(copies)]
    return torch.cat(parts), labels.repeat(copies + 1)
    # END SOLUTION
