"""Reference solution: autoencoder_pca — auto-encoders and the span of the principal components."""

# The notebook's imports cell: every name a question may use, so some go unused here.
# ruff: noqa: F401
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def pca(X: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(mean (d,), components (k, d)): top-k eigenvectors of the ddof-0 covariance, largest first."""
    # BEGIN SOLUTION
    if not isinstance(X, torch.Tensor) or X.dim() != 2 or X.numel() == 0:
        raise ValueError(f"X must be a non-empty tensor of shape (n, d), got {getattr(X, 'shape', type(X).__name__)}")
    if not X.is_floating_point():
        raise ValueError(f"X must have a floating dtype, got {X.dtype}")
    if not isinstance(k, int) or not 0 <= k <= X.shape[1]:
        raise ValueError(f"k must be an integer from 0 to d = {X.shape[1]}, got {k!r}")
    X64 = X.double()
    mean = X64.mean(dim=0)
    centred = X64 - mean
    covariance = centred.T @ centred / X.shape[0]
    eigenvalues, eigenvectors = torch.linalg.eigh(covariance)  # ascending
    components = eigenvectors.flip(-1)[:, :k].T.contiguous()  # rows, largest eigenvalue first
    # The sign of an eigenvector is arbitrary: make each row's largest-magnitude entry positive
    # (never 0 in a unit vector, and with d >= 1 this also works on the (0, d) tensor of k = 0).
    biggest = components.abs().argmax(dim=1, keepdim=True)
    components = components * torch.sign(components.gather(1, biggest))
    return mean.to(X.dtype), components.to(X.dtype)
    # END SOLUTION


def pca_reconstruction_mse(X: torch.Tensor, k: int) -> float:
    """Mean over samples of ||x - x_hat||**2 after projecting onto the top-k principal subspace."""
    # BEGIN SOLUTION
    mean, components = pca(X, k)
    centred = (X - mean).double()
    C = components.double()
    residual = centred - centred @ C.T @ C
    return float((residual**2).sum(dim=1).mean())
    # END SOLUTION


class TiedAutoencoder(nn.Module):
    """Linear auto-encoder with tied weights: encode(x) = x W^T + b_enc, decode(h) = h W + b_dec."""

    def __init__(self, d: int, k: int, generator: torch.Generator | None = None) -> None:
        super().__init__()
        # BEGIN SOLUTION
        if not 1 <= k <= d:
            raise ValueError(f"need a bottleneck 1 <= k <= d, got d = {d!r} and k = {k!r}")
        self.d, self.k = d, k
        self.W = nn.Parameter(torch.randn(k, d, generator=generator) / d**0.5)
        self.b_enc = nn.Parameter(torch.zeros(k))
        self.b_dec = nn.Parameter(torch.zeros(d))
        # END SOLUTION

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """The code h = x W^T + b_enc, of shape (n, k)."""
        # BEGIN SOLUTION
        if x.shape[-1] != self.W.shape[1]:
            raise ValueError(f"x must have {self.W.shape[1]} features in its last axis, got {tuple(x.shape)}")
        return x @ self.W.T + self.b_enc
        # END SOLUTION

    def decode(self, h: torch.Tensor) -> torch.Tensor:
        """The reconstruction x_hat = h W + b_dec, of shape (n, d)."""
        # BEGIN SOLUTION
        if h.shape[-1] != self.W.shape[0]:
            raise ValueError(f"h must have {self.W.shape[0]} features in its last axis, got {tuple(h.shape)}")
        return h @ self.W + self.b_dec
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """decode(encode(x))."""
        # BEGIN SOLUTION
        return self.decode(self.encode(x))
        # END SOLUTION


def train_autoencoder(
    model: nn.Module,
    X: torch.Tensor,
    epochs: int,
    lr: float,
    generator: torch.Generator | None = None,
    batch_size: int = 64,
) -> list[float]:
    """Train `model` in place to reconstruct X (Adam, shuffled mini-batches); the MSE after each epoch."""
    # BEGIN SOLUTION
    if not isinstance(X, torch.Tensor) or X.dim() != 2 or X.numel() == 0:
        raise ValueError(f"X must be a non-empty tensor of shape (n, d), got {getattr(X, 'shape', X)}")
    if not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be a non-negative integer, got {epochs!r}")
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr!r}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size!r}")
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    n = X.shape[0]
    history = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator).to(X.device)
        for start in range(0, n, batch_size):
            batch = X[order[start : start + batch_size]]
            optimizer.zero_grad()
            loss = F.mse_loss(model(batch), batch)
            loss.backward()
            optimizer.step()
        with torch.inference_mode():  # no graph: only the value is recorded
            history.append(float(F.mse_loss(model(X), X)))
    return history
    # END SOLUTION


def subspace_cosines(A: torch.Tensor, B: torch.Tensor) -> torch.Tensor:
    """Cosines of the principal angles between the row spaces of A (k1, d) and B (k2, d), largest first."""
    # BEGIN SOLUTION
    if A.dim() != 2 or B.dim() != 2 or A.shape[1] != B.shape[1]:
        raise ValueError(f"A and B must have shapes (k1, d) and (k2, d), got {tuple(A.shape)} and {tuple(B.shape)}")
    count = min(A.shape[0], B.shape[0])
    bases = []
    for M in (A, B):  # orthonormal rows spanning the row space, numerical rank from the input's dtype
        M64 = M.double()
        rank = int(torch.linalg.matrix_rank(M64, rtol=max(M.shape) * torch.finfo(M.dtype).eps))
        bases.append(torch.linalg.svd(M64).Vh[:rank])
    QA, QB = bases
    values = torch.linalg.svdvals(QA @ QB.T).clamp(max=1.0)  # descending, min(rank A, rank B) of them
    return torch.cat([values, values.new_zeros(count - values.numel())]).to(A.dtype)  # missing ones are 0
    # END SOLUTION


def same_span(A: torch.Tensor, B: torch.Tensor, tol: float = 1e-3) -> bool:
    """True when the row spaces of A and B have equal rank and every principal cosine is >= 1 - tol."""
    # BEGIN SOLUTION
    cosines = subspace_cosines(A, B)
    ranks = [int(torch.linalg.matrix_rank(M.double(), rtol=max(M.shape) * torch.finfo(M.dtype).eps)) for M in (A, B)]
    if ranks[0] != ranks[1]:
        return False
    return bool((cosines >= 1 - tol).all())
    # END SOLUTION
