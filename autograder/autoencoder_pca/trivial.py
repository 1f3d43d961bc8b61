"""Trivial answers for autoencoder_pca: every name of the handout, inputs validated as the reference
does, outputs of the right shape, dtype and device, and no idea of the lecture in them (zeros,
ones, the identity's rows, a constant answer). `dl541 verify` checks that this scores at most 25%."""

# ruff: noqa: F401  (the notebook's imports, as in the reference)
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def _check_data(X):
    if not isinstance(X, torch.Tensor) or X.dim() != 2 or X.numel() == 0:
        raise ValueError(f"X must be a non-empty tensor of shape (n, d), got {getattr(X, 'shape', X)}")
    if not X.is_floating_point():
        raise ValueError(f"X must have a floating dtype, got {X.dtype}")


def pca(X, k):
    _check_data(X)
    if not isinstance(k, int) or not 0 <= k <= X.shape[1]:
        raise ValueError(f"k must be an integer from 0 to d = {X.shape[1]}, got {k!r}")
    d = X.shape[1]
    return X.new_zeros(d), torch.eye(d, dtype=X.dtype, device=X.device)[:k]


def pca_reconstruction_mse(X, k):
    pca(X, k)
    return 0.0


class TiedAutoencoder(nn.Module):
    def __init__(self, d, k, generator=None):
        super().__init__()
        if not 1 <= k <= d:
            raise ValueError(f"need a bottleneck 1 <= k <= d, got d = {d!r} and k = {k!r}")
        self.W = nn.Parameter(torch.zeros(k, d))
        self.b_enc = nn.Parameter(torch.zeros(k))
        self.b_dec = nn.Parameter(torch.zeros(d))

    def encode(self, x):
        if x.shape[-1] != self.W.shape[1]:
            raise ValueError(f"x must have {self.W.shape[1]} features in its last axis, got {tuple(x.shape)}")
        return x.new_zeros(*x.shape[:-1], self.W.shape[0])

    def decode(self, h):
        if h.shape[-1] != self.W.shape[0]:
            raise ValueError(f"h must have {self.W.shape[0]} features in its last axis, got {tuple(h.shape)}")
        return h.new_zeros(*h.shape[:-1], self.W.shape[1])

    def forward(self, x):
        return self.decode(self.encode(x))


def train_autoencoder(model, X, epochs, lr, generator=None):
    _check_data(X)
    if not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be a non-negative integer, got {epochs!r}")
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr!r}")
    return [0.0] * epochs


def _check_pair(A, B):
    if A.dim() != 2 or B.dim() != 2 or A.shape[1] != B.shape[1]:
        raise ValueError(
            f"A and B must have shapes (k1, d) and (k2, d), got {tuple(A.shape)} and {tuple(B.shape)}"
        )


def subspace_cosines(A, B):
    _check_pair(A, B)
    return A.new_ones(min(A.shape[0], B.shape[0]))


def same_span(A, B, tol=1e-3):
    _check_pair(A, B)
    return True
