"""Trivial answers of l2_units: right shapes, dtypes and devices, inputs validated, no idea used."""

import math

import torch


def ridge_fit(X, y, lam):
    if X.dim() != 2:
        raise ValueError(f"X must have shape (n, d), got {tuple(X.shape)}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got {tuple(y.shape)}")
    if not (math.isfinite(lam) and lam >= 0):
        raise ValueError(f"lam must be a finite number >= 0, got {lam!r}")
    return torch.zeros(X.shape[1], dtype=X.dtype, device=X.device)


def kmh_to_ms(speed):
    return speed.clone()


def with_column_scaled(X, column, factor):
    if X.dim() != 2:
        raise ValueError(f"X must have shape (n, d), got {tuple(X.shape)}")
    d = X.shape[1]
    if not -d <= column < d:
        raise ValueError(f"column must be in [-{d}, {d - 1}], got {column}")
    return X.clone()


l2_effect_answer = "increase"


def standardized_ridge_predict(X_train, y_train, X_test, lam):
    if X_train.dim() != 2 or X_test.dim() != 2 or X_train.shape[1] != X_test.shape[1]:
        raise ValueError(f"X_train and X_test must be (n, d) and (m, d), got {tuple(X_train.shape)}, {tuple(X_test.shape)}")
    if y_train.shape != (X_train.shape[0],):
        raise ValueError(f"y_train must have shape ({X_train.shape[0]},), got {tuple(y_train.shape)}")
    if not (math.isfinite(lam) and lam >= 0):
        raise ValueError(f"lam must be a finite number >= 0, got {lam!r}")
    return torch.zeros(X_test.shape[0], dtype=X_test.dtype, device=X_test.device)
