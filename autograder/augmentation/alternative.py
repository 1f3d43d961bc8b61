"""An independent correct solution of augmentation: index arithmetic, a loop per image, inverse-CDF noise."""

import math
import numbers

import torch


def _as_int(v, what):
    if isinstance(v, bool) or not isinstance(v, (numbers.Integral, torch.Tensor)):
        raise ValueError(f"{what} must be an integer, got {v!r}")
    if isinstance(v, torch.Tensor):
        if v.numel() != 1 or v.is_floating_point():
            raise ValueError(f"{what} must be an integer, got {v!r}")
        v = v.item()
    return int(v)


def translate(images, dx, dy):
    if not torch.is_tensor(images) or images.ndim < 2:
        raise ValueError("images must be (..., H, W)")
    dx, dy = _as_int(dx, "dx"), _as_int(dy, "dy")
    H, W = images.shape[-2], images.shape[-1]
    dev = images.device
    rows = torch.arange(H, device=dev) - dy  # source row of every target row
    cols = torch.arange(W, device=dev) - dx
    row_ok = (rows >= 0) & (rows < H)
    col_ok = (cols >= 0) & (cols < W)
    picked = images.index_select(-2, rows.clamp(0, H - 1)).index_select(-1, cols.clamp(0, W - 1))
    mask = row_ok[:, None] & col_ok[None, :]
    return torch.where(mask, picked, torch.zeros((), dtype=images.dtype, device=dev))


def random_translate(images, max_shift, generator=None):
    if not torch.is_tensor(images) or images.ndim not in (3, 4):
        raise ValueError("images must be (N, H, W) or (N, C, H, W)")
    m = _as_int(max_shift, "max_shift")
    if m < 0:
        raise ValueError("max_shift must be >= 0")
    n = images.shape[0]
    dxs = torch.randint(0, 2 * m + 1, (n,), generator=generator) - m
    dys = torch.randint(0, 2 * m + 1, (n,), generator=generator) - m
    if n == 0:
        return images.clone()
    return torch.stack([translate(images[k], int(dxs[k]), int(dys[k])) for k in range(n)])


def flip_lr(images):
    if not torch.is_tensor(images) or images.ndim < 2:
        raise ValueError("images must be (..., H, W)")
    W = images.shape[-1]
    return images[..., torch.arange(W - 1, -1, -1, device=images.device)]


def _check(images, amount, what):
    if not torch.is_tensor(images) or not torch.is_floating_point(images):
        raise ValueError("images must be a floating tensor")
    a = float(amount)
    if math.isnan(a) or a < 0 or math.isinf(a):
        raise ValueError(f"{what} must be finite and >= 0, got {amount!r}")
    return a


def add_gaussian_noise(images, std, generator=None):
    s = _check(images, std, "std")
    noise = torch.normal(0.0, 1.0, size=tuple(images.shape), generator=generator, dtype=images.dtype)
    return images + s * noise.to(images.device)


def add_laplacian_noise(images, scale, generator=None):
    b = _check(images, scale, "scale")
    # inverse CDF: u uniform in (-1/2, 1/2), x = -b sign(u) log(1 - 2 |u|)
    u = torch.rand(tuple(images.shape), generator=generator, dtype=torch.float64)
    u = u - 0.5
    u = torch.where(u == -0.5, torch.zeros_like(u), u)  # keep log1p(-2 |u|) finite
    x = -b * torch.sign(u) * torch.log1p(-2 * u.abs())
    return images + x.to(dtype=images.dtype, device=images.device)


def augment(images, labels, copies, max_shift, generator=None):
    if not torch.is_tensor(images) or images.ndim not in (3, 4):
        raise ValueError("images must be (N, H, W) or (N, C, H, W)")
    if not torch.is_tensor(labels) or labels.ndim != 1 or labels.shape[0] != images.shape[0]:
        raise ValueError("need one label per image")
    k = _as_int(copies, "copies")
    if k < 0:
        raise ValueError("copies must be >= 0")
    out_images, out_labels = [images], [labels]
    for _ in range(k):
        out_images.append(random_translate(images, max_shift, generator))
        out_labels.append(labels)
    return torch.cat(out_images, dim=0), torch.cat(out_labels, dim=0)
