"""An independent correct solution of normalizers: standalone classes, an SVD-based whitener."""

import torch


def _matrix(X, what):
    if not isinstance(X, torch.Tensor) or X.ndim != 2:
        raise ValueError(f"{what}: expected a tensor of shape (n, d), got {getattr(X, 'shape', X)!r}")
    return X


def _training(X):
    _matrix(X, "fit")
    if len(X) == 0:
        raise ValueError("fit: X has no rows")
    return X


def _like(t, X):
    """The statistic t on X's device, in X's dtype."""
    return t.to(device=X.device, dtype=X.dtype)


class _Checks:
    _fitted = False
    _d = None

    def _use(self, X, what):
        if not self._fitted:
            raise RuntimeError(f"{what}: call fit first")
        _matrix(X, what)
        if X.shape[1] != self._d:
            raise ValueError(f"{what}: expected {self._d} features, got {X.shape[1]}")
        return X

    def fit_transform(self, X):
        self.fit(X)
        return self.transform(X)


class MinMaxNormalizer(_Checks):
    def __init__(self, low=-1.0, high=1.0):
        if high <= low:
            raise ValueError(f"low must be below high, got {low} and {high}")
        self.low, self.high = low, high

    def fit(self, X):
        _training(X)
        lo, hi = torch.aminmax(X, dim=0)
        self._lo, self._hi = lo.clone(), hi.clone()
        self._d, self._fitted = X.shape[1], True
        return self

    def _affine(self):
        # z = a * x + c: a = (high - low) / (hi - lo); a constant feature keeps a = 1, centred on the midpoint
        rng = self._hi - self._lo
        constant = rng == 0
        a = (self.high - self.low) / torch.where(constant, torch.ones_like(rng), rng)
        a = torch.where(constant, torch.ones_like(a), a)
        c = torch.where(constant, (self.low + self.high) / 2 - self._lo, self.low - a * self._lo)
        return a, c

    def transform(self, X):
        self._use(X, "transform")
        a, c = self._affine()
        return X * _like(a, X) + _like(c, X)

    def inverse_transform(self, Z):
        self._use(Z, "inverse_transform")
        a, c = self._affine()
        return (Z - _like(c, Z)) / _like(a, Z)

    def state_dict(self):
        return {"lo": self._lo.clone(), "hi": self._hi.clone()}

    def load_state_dict(self, d):
        self._lo, self._hi = d["lo"].clone(), d["hi"].clone()
        self._d, self._fitted = self._lo.numel(), True


class ZScoreNormalizer(_Checks):
    def fit(self, X):
        _training(X)
        var, mean = torch.var_mean(X, dim=0, unbiased=False)
        self._mu = mean
        self._sd = torch.sqrt(var).masked_fill(var == 0, 1.0)
        self._d, self._fitted = X.shape[1], True
        return self

    def transform(self, X):
        self._use(X, "transform")
        return (X - _like(self._mu, X)) / _like(self._sd, X)

    def inverse_transform(self, Z):
        self._use(Z, "inverse_transform")
        return Z * _like(self._sd, Z) + _like(self._mu, Z)

    def state_dict(self):
        return {"mu": self._mu.clone(), "sd": self._sd.clone()}

    def load_state_dict(self, d):
        self._mu, self._sd = d["mu"].clone(), d["sd"].clone()
        self._d, self._fitted = self._mu.numel(), True


class Whitener(_Checks):
    def __init__(self, eps=1e-8):
        self.eps = eps

    def fit(self, X):
        _training(X)
        n, d = X.shape
        self._mu = X.mean(dim=0)
        # eigen-decomposition of the covariance through the SVD of the centred data, in float64
        _, s, vh = torch.linalg.svd((X - self._mu).double(), full_matrices=True)
        lam = torch.zeros(d, dtype=torch.float64, device=X.device)
        lam[: s.numel()] = s * s / n
        root = torch.sqrt(lam + self.eps)
        self._W = (vh.T @ torch.diag(1 / root) @ vh).to(X.dtype)
        self._Winv = (vh.T @ torch.diag(root) @ vh).to(X.dtype)
        self._d, self._fitted = d, True
        return self

    def transform(self, X):
        self._use(X, "transform")
        return torch.matmul(X - _like(self._mu, X), _like(self._W, X))

    def inverse_transform(self, Z):
        self._use(Z, "inverse_transform")
        return torch.matmul(Z, _like(self._Winv, Z)) + _like(self._mu, Z)

    def state_dict(self):
        return {"mu": self._mu.clone(), "W": self._W.clone(), "Winv": self._Winv.clone()}

    def load_state_dict(self, d):
        self._mu, self._W, self._Winv = (d[k].clone() for k in ("mu", "W", "Winv"))
        self._d, self._fitted = self._mu.numel(), True


def strategy1(train, test, make_normalizer):
    norm = make_normalizer()
    norm.fit(train)
    return norm.transform(train), norm.transform(test)


def strategy2(train, test, make_normalizer):
    first, second = make_normalizer(), make_normalizer()
    first.fit(train)
    second.fit(test)
    return first.transform(train), second.transform(test)
