"""Trivial answers for normalizers: every name of the handout, checking its input as the reference
does, but answering zeros (transform, inverse_transform) or the inputs echoed back (strategies).

`dl541 verify` grades this file: it must score at most 25% of the assignment.
"""

from collections.abc import Callable

import torch


class Normalizer:
    """The base class: input checks and state dict as in the handout, trivial statistics."""

    state_names: tuple[str, ...] = ()

    def is_fitted(self) -> bool:
        return all(getattr(self, name, None) is not None for name in self.state_names)

    @property
    def n_features(self) -> int:
        return getattr(self, self.state_names[0]).shape[-1]

    def _check(self, X: torch.Tensor, fitting: bool = False) -> torch.Tensor:
        if not fitting and not self.is_fitted():
            raise RuntimeError(f"{type(self).__name__} is not fitted")
        if not isinstance(X, torch.Tensor) or X.dim() != 2 or not X.is_floating_point():
            raise ValueError("expected a 2-D floating tensor of shape (n, d)")
        if fitting and X.shape[0] < 1:
            raise ValueError("fit needs at least one sample")
        if not fitting and X.shape[1] != self.n_features:
            raise ValueError(f"fitted on {self.n_features} features, got {X.shape[1]}")
        return X

    def fit(self, X: torch.Tensor) -> "Normalizer":
        X = self._check(X, fitting=True)
        for name in self.state_names:
            setattr(self, name, torch.zeros(X.shape[1], dtype=X.dtype, device=X.device))
        return self

    def transform(self, X: torch.Tensor) -> torch.Tensor:
        return torch.zeros_like(self._check(X))

    def inverse_transform(self, Z: torch.Tensor) -> torch.Tensor:
        return torch.zeros_like(self._check(Z))

    def fit_transform(self, X: torch.Tensor) -> torch.Tensor:
        return self.fit(X).transform(X)

    def state_dict(self) -> dict[str, torch.Tensor]:
        if not self.is_fitted():
            raise RuntimeError(f"{type(self).__name__}.state_dict called before fit")
        return {name: getattr(self, name).clone() for name in self.state_names}

    def load_state_dict(self, d: dict[str, torch.Tensor]) -> None:
        for name in self.state_names:
            if name not in d:
                raise ValueError(f"state dict lacks {name!r}")
        for name in self.state_names:
            setattr(self, name, d[name].clone())


class MinMaxNormalizer(Normalizer):
    state_names = ("data_min", "data_max")

    def __init__(self, low: float = -1.0, high: float = 1.0):
        if not low < high:
            raise ValueError(f"need low < high, got low={low}, high={high}")
        self.low, self.high = float(low), float(high)
        self.data_min = self.data_max = None


class ZScoreNormalizer(Normalizer):
    state_names = ("mean", "std")

    def __init__(self):
        self.mean = self.std = None


class Whitener(Normalizer):
    state_names = ("mean", "W")

    def __init__(self, eps: float = 1e-8):
        if not eps >= 0:
            raise ValueError(f"eps must be non-negative, got {eps}")
        self.eps = float(eps)
        self.mean = self.W = None


def strategy1(
    train: torch.Tensor, test: torch.Tensor, make_normalizer: Callable[[], Normalizer]
) -> tuple[torch.Tensor, torch.Tensor]:
    return train.clone(), test.clone()


def strategy2(
    train: torch.Tensor, test: torch.Tensor, make_normalizer: Callable[[], Normalizer]
) -> tuple[torch.Tensor, torch.Tensor]:
    return train.clone(), test.clone()
