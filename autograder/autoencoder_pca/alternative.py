"""A second, independent solution of autoencoder_pca (SVD of the data, momentum SGD, Gram-matrix bases)."""

import torch
from torch import nn


def _check(X, k):
    if not torch.is_tensor(X) or X.ndim != 2 or len(X) == 0:
        raise ValueError(f"expected X of shape (n, d), got {getattr(X, 'shape', X)}")
    if not (isinstance(k, int) and 0 <= k <= X.shape[1]):
        raise ValueError(f"k must lie in [0, {X.shape[1]}], got {k}")


def pca(X, k):
    _check(X, k)
    mean = X.mean(0)
    # Right singular vectors of the centred data are the covariance's eigenvectors, already sorted.
    _, _, Vh = torch.linalg.svd((X - mean).double(), full_matrices=True)
    return mean, Vh[:k].to(X.dtype)


def pca_reconstruction_mse(X, k):
    _check(X, k)
    Xc = X.double() - X.double().mean(0)
    lam = torch.linalg.eigvalsh(Xc.T @ Xc / X.shape[0]).clamp_min(0)
    return lam[: X.shape[1] - k].sum().item()


class TiedAutoencoder(nn.Module):
    def __init__(self, d, k):
        super().__init__()
        if not (1 <= k <= d):
            raise ValueError(f"need 1 <= k <= d, got d={d}, k={k}")
        self.W = nn.Parameter(torch.empty(k, d))
        nn.init.orthogonal_(self.W)
        self.b_enc = nn.Parameter(torch.zeros(k))
        self.b_dec = nn.Parameter(torch.zeros(d))

    def encode(self, x):
        if x.shape[-1] != self.W.shape[1]:
            raise ValueError(f"wrong input width {x.shape[-1]}")
        return torch.nn.functional.linear(x, self.W, self.b_enc)

    def decode(self, h):
        return torch.nn.functional.linear(h, self.W.T, self.b_dec)

    def forward(self, x):
        return self.decode(self.encode(x))


def train_autoencoder(model, X, epochs, lr, generator=None):
    if not torch.is_tensor(X) or X.ndim != 2 or len(X) == 0:
        raise ValueError(f"expected X of shape (n, d) with n >= 1, got {getattr(X, 'shape', X)}")
    if epochs < 0 or lr <= 0:
        raise ValueError(f"need epochs >= 0 and lr > 0, got {epochs}, {lr}")
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)

    def loss_of(batch):  # mean over samples of the squared reconstruction error
        return ((model(batch) - batch) ** 2).sum(1).mean()

    out = []
    for _ in range(epochs):
        idx = torch.randperm(len(X), generator=generator)
        for chunk in idx.split(32):
            batch = X[chunk.to(X.device)]
            opt.zero_grad()
            loss_of(batch).backward()
            opt.step()
        with torch.no_grad():
            out.append(loss_of(X).item())
    return out


def _basis(M):
    gram = M.double().T @ M.double()  # (d, d): its eigenvectors with non-zero eigenvalue span the rows
    lam, vec = torch.linalg.eigh(gram)
    keep = lam > lam.max().clamp_min(0) * 1e3 * torch.finfo(M.dtype).eps * max(M.shape)
    return vec[:, keep]


def subspace_cosines(A, B):
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[1]:
        raise ValueError(f"A and B must be (k, d) with the same d, got {tuple(A.shape)}, {tuple(B.shape)}")
    m = min(len(A), len(B))
    s = torch.linalg.svdvals(_basis(A).T @ _basis(B))
    s = torch.cat([s.clamp(max=1.0), s.new_zeros(m)])[:m]
    return s.sort(descending=True).values.to(A.dtype)


def same_span(A, B, tol=1e-3):
    c = subspace_cosines(A, B)
    return _basis(A).shape[1] == _basis(B).shape[1] and bool(torch.all(c >= 1 - tol))
