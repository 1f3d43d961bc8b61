"""Reference solution: l2_units — L2 regularization and the units of a feature."""

# The notebook's imports cell: every name a question may use, so some go unused here.
# ruff: noqa: F401
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def ridge_fit(X: torch.Tensor, y: torch.Tensor, lam: float) -> torch.Tensor:
    """The w minimising mean((X @ w - y)**2) + lam / 2 * ||w||**2, computed in float64, returned in X's dtype."""
    # BEGIN SOLUTION
    if X.dim() != 2:
        raise ValueError(f"X must have shape (n, d), got {tuple(X.shape)}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X of shape {tuple(X.shape)}, got {tuple(y.shape)}")
    if not (math.isfinite(lam) and lam >= 0):
        raise ValueError(f"lam must be a finite number >= 0, got {lam!r}")
    n, d = X.shape
    X64, y64 = X.to(torch.float64), y.to(torch.float64)
    if lam == 0:
        w = torch.linalg.pinv(X64) @ y64  # least squares; the minimum-norm one if X is rank-deficient
    else:
        # Setting the gradient (2/n) X^T (X w - y) + lam w to zero gives the normal equations.
        A = X64.T @ X64 / n + lam / 2 * torch.eye(d, dtype=torch.float64, device=X.device)
        w = torch.linalg.solve(A, X64.T @ y64 / n)
    return w.to(X.dtype)
    # END SOLUTION


def kmh_to_ms(speed: torch.Tensor) -> torch.Tensor:
    """Speed in km/h to m/s (18 km/h is 5 m/s); the input is not changed."""
    # BEGIN SOLUTION
    return torch.as_tensor(speed) / 3.6
    # END SOLUTION


def with_column_scaled(X: torch.Tensor, column: int, factor: float) -> torch.Tensor:
    """A copy of X with column `column` multiplied by `factor`; X is not changed."""
    # BEGIN SOLUTION
    if X.dim() != 2:
        raise ValueError(f"X must have shape (n, d), got {tuple(X.shape)}")
    d = X.shape[1]
    if not -d <= column < d:
        raise ValueError(f"column must be in [-{d}, {d - 1}] for X with {d} columns, got {column}")
    out = X.clone()
    out[:, column] = out[:, column] * factor
    return out
    # END SOLUTION


l2_effect_answer = "increase"  # SOLUTION


def standardized_ridge_predict(
    X_train: torch.Tensor, y_train: torch.Tensor, X_test: torch.Tensor, lam: float
) -> torch.Tensor:
    """z-score the features with the training statistics, fit ridge, predict X_test (centring y is optional)."""
    # BEGIN SOLUTION
    if X_train.dim() != 2 or X_test.dim() != 2 or X_train.shape[1] != X_test.shape[1]:
        raise ValueError(
            f"X_train and X_test must have shapes (n, d) and (m, d), got {tuple(X_train.shape)} "
            f"and {tuple(X_test.shape)}"
        )
    Xtr, Xte = X_train.to(torch.float64), X_test.to(torch.float64)
    mean = Xtr.mean(dim=0)
    std = Xtr.std(dim=0, unbiased=False)
    constant = Xtr.amax(dim=0) == Xtr.amin(dim=0)
    scale = torch.where(constant, torch.ones_like(std), std)

    def zscore(X: torch.Tensor) -> torch.Tensor:
        return torch.where(constant, torch.zeros_like(X), (X - mean) / scale)

    y64 = y_train.to(torch.float64)
    if y64.shape != (X_train.shape[0],):
        raise ValueError(f"y_train must have shape ({X_train.shape[0]},), got {tuple(y_train.shape)}")
    offset = y64.mean()
    w = ridge_fit(zscore(Xtr), y64 - offset, lam)
    return (zscore(Xte) @ w + offset).to(X_test.dtype)
    # END SOLUTION
