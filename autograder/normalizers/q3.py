from helpers import _cpu64
from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


def _mixed(seed, n, d, dtype):
    """n samples of d correlated features: a random rotation of independent features of spread 0.5 to 3."""
    import torch

    from dl541_testing import device

    g = torch.Generator().manual_seed(seed)
    Q, _ = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=torch.float64))
    spread = torch.empty(d, dtype=torch.float64).uniform_(0.5, 3, generator=g)
    offset = 10 * torch.randn(d, generator=g, dtype=torch.float64)
    X = (torch.randn(n, d, generator=g, dtype=torch.float64) * spread) @ Q.T + offset
    return X.to(dtype).to(device())


def _zca(X, eps):
    """The ZCA matrix from the SVD of the centred data (an independent computation), in float64."""
    import torch

    Xc = X.double() - X.double().mean(dim=0)
    n, d = Xc.shape
    _, S, Vh = torch.linalg.svd(Xc, full_matrices=True)
    lam = torch.zeros(d, dtype=torch.float64, device=X.device)
    lam[: S.shape[0]] = S**2 / n
    return Vh.T @ torch.diag(1 / torch.sqrt(lam + eps)) @ Vh


def _cov(Z):
    """The (ddof = 0) covariance of the rows of Z, in float64."""
    Zc = Z.double() - Z.double().mean(dim=0)
    return Zc.T @ Zc / Z.shape[0]


@test_case(points=1, hidden=False)
def hand_computed_example(Whitener):
    """core: a hand-computed ZCA example, with eps = 1e-8 and eps = 1, and its inverse.

    `Whitener(eps=1e-8)` centres the data and multiplies by the symmetric matrix
    $W = U \\operatorname{diag}(1/\\sqrt{\\lambda + \\varepsilon})\\, U^\\top$ built from the
    eigen-decomposition of the (ddof = 0) covariance

    `inverse_transform(transform(X))` is `X`, and `transform(inverse_transform(Z))` is `Z`.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(Whitener=Whitener)
    # rows +-(1, 1) and +-3 (1, -1) around (2, 5): eigenvalues 1 along (1, 1) and 9 along (1, -1)
    X = torch.tensor([[3.0, 6.0], [1.0, 4.0], [5.0, 2.0], [-1.0, 8.0]], device=device())
    for eps, a, b in [(1e-8, 1.0, 1.0), (1.0, 1 / 2**0.5, 3 / 10**0.5)]:
        w = Whitener(eps=eps)
        call = f"Whitener(eps={eps}).fit_transform({X.tolist()})"
        got = _cpu64(w.fit_transform(X), call)
        want = [[a, a], [-a, -a], [b, -b], [-b, b]]
        assert torch.allclose(got, torch.tensor(want, dtype=torch.float64), atol=1e-4), (
            tidy(f"{call} returned {got.tolist()}, expected (X - mean) U diag(1 / sqrt(lambda + eps)) U^T = {want}")
        )
        back = _cpu64(w.inverse_transform(torch.tensor(want, device=device())), "inverse_transform")
        assert torch.allclose(back, X.double().cpu(), atol=1e-4), (
            tidy(f"after {call}, inverse_transform({want}) returned {back.tolist()}, expected X = {X.tolist()}")
        )


@test_case(points=0.5, hidden=False)
def rank_deficient_example(Whitener):
    """edge: rank-one float32 data with a slightly negative eigenvalue whitens to finite values.

    Clamp the eigenvalues at 0 before adding $\\varepsilon$. The whitened values are then
    finite
    """
    import torch

    from dl541_testing import device, require, tidy

    require(Whitener=Whitener)
    X = torch.tensor([[0.1, 0.2, 0.3], [0.2, 0.4, 0.6], [0.4, 0.8, 1.2]], device=device())
    call = f"Whitener().fit_transform({X.tolist()}) (rank 1, float32)"
    got = _cpu64(Whitener().fit_transform(X), call)
    assert got.shape == X.shape and bool(torch.isfinite(got).all()), (
        tidy(f"{call} returned {got.tolist()}, expected finite values of shape {tuple(X.shape)}")
    )


@test_case(points=1, hidden=False)
def identity_covariance_in_2d(Whitener):
    """core: a correlated 2-D cloud whitens to identity covariance.

    With full-rank data and the default $\\varepsilon = 10^{-8}$, the whitened training data has
    the identity as its (ddof = 0) covariance
    """
    import torch

    from dl541_testing import device, require, tidy

    require(Whitener=Whitener)
    g = torch.Generator().manual_seed(0)
    t = torch.randn(500, 1, generator=g)
    X = torch.cat([t, 0.8 * t + 0.3 * torch.randn(500, 1, generator=g)], dim=1).to(device())
    Z = _cpu64(Whitener().fit_transform(X), "Whitener().fit_transform(X)")
    C = _cov(Z)
    eye = torch.eye(2, dtype=torch.float64)
    assert Z.shape == X.shape and torch.allclose(C, eye, atol=1e-3), (
        tidy(f"Whitener().fit_transform(X) for a correlated cloud of 500 points in 2-D has covariance "
             f"{C.tolist()}, expected the identity")
    )


@test_case(points=3, hidden=True)
def agrees_with_the_svd(Whitener):
    """core: transform equals (X - mean) W with W from the SVD of the centred data, for every eps.

    for any $\\varepsilon$, `transform` computes $(X - \\mu) W$ with the training set's $\\mu$ and $W$.

    With full-rank data and the default $\\varepsilon = 10^{-8}$, the whitened training data has
    the identity as its (ddof = 0) covariance
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(Whitener=Whitener)

    @for_all(st.integers(1, 5), st.integers(3, 8), seeds(), st.sampled_from([1e-8, 1e-3, 0.1, 1.0]), examples=30)
    @example(2, 3, 0, 1e-8)
    def check(d, per_feature, seed, eps):
        n = d * per_feature
        X = _mixed(seed, n, d, torch.float64)
        Y = _mixed(seed + 1, 6, d, torch.float64)
        what = f"Whitener(eps={eps}) fitted on X (n={n}, d={d})"
        w = Whitener(eps=eps)
        Z = _cpu64(w.fit_transform(X), f"{what}: fit_transform(X)")
        Xc, Yc = X.cpu(), Y.cpu()
        W = _zca(Xc, eps)
        expected = (Xc - Xc.mean(dim=0)) @ W
        err = float((Z - expected).abs().max()) if Z.shape == expected.shape else float("inf")
        assert err < 1e-7 * (1 + float(expected.abs().max())), (
            f"{what}: fit_transform(X) differs from (X - mean) V diag(1/sqrt(lambda + eps)) V^T "
            f"(V, lambda from the SVD of the centred X) by up to {err:.3g}"
        )
        if eps == 1e-8:
            C = _cov(Z)
            eye = torch.eye(d, dtype=torch.float64)
            assert torch.allclose(C, eye, atol=1e-6), (
                f"{what}: fit_transform(X) has covariance {C.tolist()}, expected the identity"
            )
        got = _cpu64(w.transform(Y), f"{what}: transform(Y)")
        expected = (Yc - Xc.mean(dim=0)) @ W
        err = float((got - expected).abs().max()) if got.shape == expected.shape else float("inf")
        assert err < 1e-7 * (1 + float(expected.abs().max())), (
            f"{what}: transform(Y) differs from (Y - mean_X) W_X by up to {err:.3g}"
        )


@test_case(points=2, hidden=True)
def round_trip(Whitener):
    """core: inverse_transform undoes transform and the other way round, for every eps.

    `inverse_transform` multiplies by $W^{-1} = U \\operatorname{diag}(\\sqrt{\\lambda +
    \\varepsilon})\\, U^\\top$ and adds the mean back.

    `inverse_transform(transform(X))` is `X`, and `transform(inverse_transform(Z))` is `Z`.
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(Whitener=Whitener)

    @for_all(st.integers(1, 5), st.integers(2, 6), seeds(), st.sampled_from([1e-8, 0.1, 1.0]), examples=30)
    @example(2, 3, 0, 0.1)
    def check(d, per_feature, seed, eps):
        X = _mixed(seed, d * per_feature, d, torch.float64)
        Y = _mixed(seed + 1, 6, d, torch.float64)
        what = f"Whitener(eps={eps}).fit(X) (n={d * per_feature}, d={d})"
        w = Whitener(eps=eps).fit(X)
        back = _cpu64(w.inverse_transform(w.transform(Y)), f"{what}: inverse_transform(transform(Y))")
        assert back.shape == Y.shape and torch.allclose(back, Y.cpu(), atol=1e-7), (
            f"{what}: inverse_transform(transform(Y)) returned {back.tolist()}, expected Y = {Y.tolist()}"
        )
        Z = torch.randn(4, d, dtype=torch.float64, generator=torch.Generator().manual_seed(seed)).to(Y)
        again = _cpu64(w.transform(w.inverse_transform(Z)), f"{what}: transform(inverse_transform(Z))")
        assert again.shape == Z.shape and torch.allclose(again, Z.cpu(), atol=1e-7), (
            f"{what}: transform(inverse_transform(Z)) returned {again.tolist()}, expected Z = {Z.tolist()}"
        )


@test_case(points=1, hidden=True)
def rank_deficient_data(Whitener):
    """edge: data of rank below d (a constant column, or points on a subspace) whitens to finite values.

    Clamp the eigenvalues at 0 before adding $\\varepsilon$. The whitened values are then
    finite, and the whitened covariance is the identity on the span of the centred data.
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(Whitener=Whitener)
    dev = device()

    @for_all(st.integers(2, 6), st.integers(1, 5), st.integers(2, 30), seeds(), st.booleans(), examples=25)
    @example(3, 1, 5, 0, True)
    def check(d, rank, n, seed, constant_column):
        r = min(rank, d - 1)
        n = max(n, 2 * r + 2)
        g = torch.Generator().manual_seed(seed)
        Q, _ = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=torch.float64))
        B = torch.empty(r, 1, dtype=torch.float64).uniform_(0.5, 3, generator=g) * Q[:r]
        X = torch.randn(n, r, generator=g, dtype=torch.float64) @ B + 5 * torch.randn(d, generator=g,
                                                                                   dtype=torch.float64)
        if constant_column:
            X[:, 0] = 7.0
        what = f"Whitener().fit_transform(X) of rank {r} < d = {d} (n={n}, constant first column: {constant_column})"
        for dtype in (torch.float32, torch.float64):
            Z = _cpu64(Whitener().fit_transform(X.to(dtype).to(dev)), f"{what} in {dtype}")
            assert Z.shape == X.shape and bool(torch.isfinite(Z).all()), (
                f"{what} in {dtype} returned {Z.tolist()}, expected finite values of shape {tuple(X.shape)}"
            )
        # on the span of the centred data, the whitened covariance is lambda / (lambda + eps), about 1:
        # check it along the directions with lambda > 0.01
        Xc = X - X.mean(dim=0)
        _, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
        V = Vh[S**2 / n > 0.01].T
        on_span = V.T @ _cov(Z) @ V
        eye = torch.eye(V.shape[1], dtype=torch.float64)
        assert torch.allclose(on_span, eye, atol=1e-5), (
            f"{what}: the whitened covariance on the span of the centred data is {on_span.tolist()}, "
            "expected the identity"
        )
