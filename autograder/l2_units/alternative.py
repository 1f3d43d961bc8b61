"""An independent correct solution of `l2_units` (plain module, written apart from the reference)."""

import torch


def ridge_fit(X, y, lam):
    if X.ndim != 2:
        raise ValueError(f"X should be 2-D (n, d), got shape {tuple(X.shape)}")
    n, d = X.shape
    if y.ndim != 1 or y.shape[0] != n:
        raise ValueError(f"y should have shape ({n},), got {tuple(y.shape)}")
    if lam < 0:
        raise ValueError(f"lam should be >= 0, got {lam}")
    # mean((Xw - y)^2) + lam/2 ||w||^2 = (1/n) || [X; sqrt(n lam / 2) I] w - [y; 0] ||^2
    A = X.double()
    b = y.double().to(A.device)
    if lam > 0:
        A = torch.cat([A, (n * lam / 2) ** 0.5 * torch.eye(d, dtype=torch.float64, device=A.device)])
        b = torch.cat([b, torch.zeros(d, dtype=torch.float64, device=A.device)])
    w = torch.linalg.lstsq(A, b.unsqueeze(1)).solution.squeeze(1)
    return w.to(X.dtype)


def kmh_to_ms(speed):
    return speed * (1000.0 / 3600.0)


def with_column_scaled(X, column, factor):
    if X.ndim != 2:
        raise ValueError(f"X should be 2-D, got shape {tuple(X.shape)}")
    d = X.shape[1]
    if column >= d or column < -d:
        raise ValueError(f"column {column} is out of range for {d} columns")
    scales = torch.ones(d, dtype=X.dtype, device=X.device)
    scales[column] = factor
    return X * scales


l2_effect_answer = "increase"


def standardized_ridge_predict(X_train, y_train, X_test, lam):
    if X_train.ndim != 2 or X_test.ndim != 2:
        raise ValueError("X_train and X_test should be 2-D")
    if X_test.shape[1] != X_train.shape[1]:
        raise ValueError(f"X_test has {X_test.shape[1]} features, X_train has {X_train.shape[1]}")
    if y_train.ndim != 1 or len(y_train) != len(X_train):
        raise ValueError(f"y_train should have shape ({len(X_train)},), got {tuple(y_train.shape)}")
    A, B, t = X_train.double(), X_test.double(), y_train.double()
    centre = A.mean(0)
    spread = ((A - centre) ** 2).mean(0).sqrt()
    varying = ~(A == A[0]).all(0)
    divisor = torch.where(varying, spread, torch.ones_like(spread))
    Za = (A - centre) / divisor * varying
    Zb = (B - centre) / divisor * varying
    level = t.mean()
    w = ridge_fit(Za, t - level, lam)
    return (Zb @ w + level).to(X_test.dtype)
