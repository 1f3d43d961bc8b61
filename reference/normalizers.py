"""Reference solution: normalizers — three normalizers, two strategies."""

# The notebook's imports cell: every name a question may use, so some go unused here.
# ruff: noqa: F401
import math
from collections.abc import Callable

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Normalizer:
    """Shared plumbing of the three normalizers: input checks, fit_transform and the state dict."""

    #: The tensor attributes that `fit` sets: together they are the state dict.
    state_names: tuple[str, ...] = ()

    def is_fitted(self) -> bool:
        """True once `fit` or `load_state_dict` has set every attribute of `state_names`."""
        return all(getattr(self, name, None) is not None for name in self.state_names)

    def _check(self, X: torch.Tensor, fitting: bool = False) -> torch.Tensor:
        """Return X if `fit` (fitting=True) or a fitted normalizer may use it; else RuntimeError or ValueError."""
        # BEGIN SOLUTION
        if not fitting and not self.is_fitted():
            raise RuntimeError(f"{type(self).__name__} is not fitted: call fit (or load_state_dict) first")
        if not isinstance(X, torch.Tensor) or X.dim() != 2 or not X.is_floating_point():
            raise ValueError(
                "expected a 2-D floating tensor of shape (n, d), got "
                + (f"shape {tuple(X.shape)}, {X.dtype}" if isinstance(X, torch.Tensor) else type(X).__name__)
            )
        if fitting and X.shape[0] < 1:
            raise ValueError(f"fit needs at least one sample, got shape {tuple(X.shape)}")
        if not fitting and X.shape[1] != self.n_features:
            raise ValueError(
                f"{type(self).__name__} was fitted on {self.n_features} features, got X with {X.shape[1]}"
            )
        return X
        # END SOLUTION

    @property
    def n_features(self) -> int:
        """The number of features seen by fit."""
        return getattr(self, self.state_names[0]).shape[-1]

    def fit_transform(self, X: torch.Tensor) -> torch.Tensor:
        """Fit on X, then transform X."""
        # BEGIN SOLUTION
        return self.fit(X).transform(X)
        # END SOLUTION

    def state_dict(self) -> dict[str, torch.Tensor]:
        """The fitted statistics, as copies: all that `transform` and `inverse_transform` need."""
        # BEGIN SOLUTION
        if not self.is_fitted():
            raise RuntimeError(f"{type(self).__name__}.state_dict called before fit")
        return {name: getattr(self, name).detach().clone() for name in self.state_names}
        # END SOLUTION

    def load_state_dict(self, d: dict[str, torch.Tensor]) -> None:
        """Restore statistics saved by `state_dict`; afterwards the normalizer is fitted."""
        # BEGIN SOLUTION
        for name in self.state_names:
            if name not in d:
                raise ValueError(f"state dict lacks {name!r}; it has {sorted(d)}")
        for name in self.state_names:
            setattr(self, name, d[name].detach().clone())
        # END SOLUTION


class MinMaxNormalizer(Normalizer):
    """Map each feature's training min to `low` and max to `high` (a constant feature to the midpoint)."""

    state_names = ("data_min", "data_max")

    def __init__(self, low: float = -1.0, high: float = 1.0):
        if not low < high:
            raise ValueError(f"need low < high, got low={low}, high={high}")
        self.low, self.high = float(low), float(high)
        self.data_min = self.data_max = None

    def _centre_and_scale(self) -> tuple[torch.Tensor, torch.Tensor]:
        """z = (x - centre) * scale + (low + high) / 2; the scale of a constant feature is 1."""
        # BEGIN SOLUTION
        spread = self.data_max - self.data_min
        scale = torch.where(spread > 0, (self.high - self.low) / spread, torch.ones_like(spread))
        return (self.data_min + self.data_max) / 2, scale
        # END SOLUTION

    def fit(self, X: torch.Tensor) -> "MinMaxNormalizer":
        """Store each feature's min and max over the samples of X; return self."""
        # BEGIN SOLUTION
        X = self._check(X, fitting=True)
        self.data_min = X.amin(dim=0).detach().clone()
        self.data_max = X.amax(dim=0).detach().clone()
        return self
        # END SOLUTION

    def transform(self, X: torch.Tensor) -> torch.Tensor:
        """Map the training min of each feature to low and its max to high."""
        # BEGIN SOLUTION
        X = self._check(X)
        centre, scale = self._centre_and_scale()
        return (X - centre.to(X)) * scale.to(X) + (self.low + self.high) / 2
        # END SOLUTION

    def inverse_transform(self, Z: torch.Tensor) -> torch.Tensor:
        """Undo transform."""
        # BEGIN SOLUTION
        Z = self._check(Z)
        centre, scale = self._centre_and_scale()
        return (Z - (self.low + self.high) / 2) / scale.to(Z) + centre.to(Z)
        # END SOLUTION


class ZScoreNormalizer(Normalizer):
    """Give each feature mean 0 and (population) std 1; a constant feature maps to 0."""

    state_names = ("mean", "std")

    def __init__(self):
        self.mean = self.std = None

    def fit(self, X: torch.Tensor) -> "ZScoreNormalizer":
        """Store each feature's mean and population (ddof = 0) std; a zero std is stored as 1."""
        # BEGIN SOLUTION
        X = self._check(X, fitting=True)
        self.mean = X.mean(dim=0).detach().clone()
        std = X.std(dim=0, correction=0).detach()
        self.std = torch.where(std > 0, std, torch.ones_like(std))
        return self
        # END SOLUTION

    def transform(self, X: torch.Tensor) -> torch.Tensor:
        """(X - mean) / std with the training statistics."""
        # BEGIN SOLUTION
        X = self._check(X)
        return (X - self.mean.to(X)) / self.std.to(X)
        # END SOLUTION

    def inverse_transform(self, Z: torch.Tensor) -> torch.Tensor:
        """Undo transform."""
        # BEGIN SOLUTION
        Z = self._check(Z)
        return Z * self.std.to(Z) + self.mean.to(Z)
        # END SOLUTION


class Whitener(Normalizer):
    """ZCA whitening: centre, then multiply by U diag(1 / sqrt(lambda + eps)) U^T of the covariance."""

    state_names = ("mean", "W", "W_inv")

    def __init__(self, eps: float = 1e-8):
        if not eps >= 0:
            raise ValueError(f"eps must be non-negative, got {eps}")
        self.eps = float(eps)
        self.mean = self.W = self.W_inv = None

    def fit(self, X: torch.Tensor) -> "Whitener":
        """Store the mean, the ZCA matrix W and its inverse (from the ddof = 0 covariance)."""
        # BEGIN SOLUTION
        X = self._check(X, fitting=True)
        self.mean = X.mean(dim=0).detach().clone()
        Xc = X - self.mean
        cov = Xc.T @ Xc / X.shape[0]
        lam, U = torch.linalg.eigh((cov + cov.T) / 2)
        # rounding can make the eigenvalues of a singular covariance slightly negative
        lam = lam.clamp(min=0) + self.eps
        self.W = ((U / lam.sqrt()) @ U.T).detach()
        self.W_inv = ((U * lam.sqrt()) @ U.T).detach()
        return self
        # END SOLUTION

    def transform(self, X: torch.Tensor) -> torch.Tensor:
        """(X - mean) @ W; W is symmetric."""
        # BEGIN SOLUTION
        X = self._check(X)
        return (X - self.mean.to(X)) @ self.W.to(X)
        # END SOLUTION

    def inverse_transform(self, Z: torch.Tensor) -> torch.Tensor:
        """Undo transform: Z @ W^{-1} + mean."""
        # BEGIN SOLUTION
        Z = self._check(Z)
        return Z @ self.W_inv.to(Z) + self.mean.to(Z)
        # END SOLUTION


def strategy1(
    train: torch.Tensor, test: torch.Tensor, make_normalizer: Callable[[], Normalizer]
) -> tuple[torch.Tensor, torch.Tensor]:
    """Fit one normalizer on the training set only and apply it to both sets."""
    # BEGIN SOLUTION
    normalizer = make_normalizer()
    train_n = normalizer.fit_transform(train)
    return train_n, normalizer.transform(test)
    # END SOLUTION


def strategy2(
    train: torch.Tensor, test: torch.Tensor, make_normalizer: Callable[[], Normalizer]
) -> tuple[torch.Tensor, torch.Tensor]:
    """Fit one normalizer on each set separately (the test set is normalised with its own statistics)."""
    # BEGIN SOLUTION
    return make_normalizer().fit_transform(train), make_normalizer().fit_transform(test)
    # END SOLUTION
