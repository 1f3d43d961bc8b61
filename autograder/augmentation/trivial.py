"""Trivial answers of augmentation: every function validates its input as the handout asks, then
returns the images unchanged (a copy on the same device, of the same dtype); augment repeats the
originals unmoved, with the labels repeated to match."""

import math
import operator

import torch


def _integer(value):
    try:
        return operator.index(value)
    except TypeError:
        return None


def _check_images(images, dims):
    if not isinstance(images, torch.Tensor) or not dims(images.dim()):
        raise ValueError("images of the wrong shape")


def translate(images, dx, dy):
    _check_images(images, lambda d: d >= 2)
    if _integer(dx) is None or _integer(dy) is None:
        raise ValueError("dx and dy must be integers")
    return images.clone()


def random_translate(images, max_shift, generator=None):
    _check_images(images, lambda d: d in (3, 4))
    m = _integer(max_shift)
    if m is None or m < 0:
        raise ValueError("max_shift must be an integer >= 0")
    return images.clone()


def flip_lr(images):
    _check_images(images, lambda d: d >= 2)
    return images.clone()


def _check_noise(images, amount):
    if not isinstance(images, torch.Tensor) or not images.is_floating_point():
        raise ValueError("images must be a floating tensor")
    amount = float(amount)
    if not (math.isfinite(amount) and amount >= 0):
        raise ValueError("the noise's std (or scale) must be finite and >= 0")
    return amount


def add_gaussian_noise(images, std, generator=None):
    _check_noise(images, std)
    return images.clone()


def add_laplacian_noise(images, scale, generator=None):
    _check_noise(images, scale)
    return images.clone()


def augment(images, labels, copies, max_shift, generator=None):
    _check_images(images, lambda d: d in (3, 4))
    if not isinstance(labels, torch.Tensor) or labels.shape != images.shape[:1]:
        raise ValueError("labels must have shape (N,)")
    k = _integer(copies)
    if k is None or k < 0:
        raise ValueError("copies must be an integer >= 0")
    return torch.cat([images] * (k + 1)), labels.repeat(k + 1)
