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
def identity_covariance_in_2d(Whitener):
    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(Whitener=Whitener)
    g = torch.Generator().manual_seed(0)
    t = torch.randn(500, 1, generator=g)
    X = torch.cat([t, 0.8 * t + 0.3 * torch.randn(500, 1, generator=g)], dim=1).to(device())
    Z = Whitener().fit_transform(X)
    same_device_and_dtype(Z, X, "Whitener().fit_transform(X)")
    C = _cov(Z)
    eye = torch.eye(2, dtype=torch.float64, device=X.device)
    assert torch.allclose(C, eye, atol=1e-3), (
        tidy(f"Whitener().fit_transform(X) has covariance {C.tolist()}, expected the identity")
    )


@test_case(points=2, hidden=True)
def agrees_with_the_svd(Whitener):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property, same_device_and_dtype

    require(Whitener=Whitener)

    @prop(30)
    @given(st.integers(1, 5), st.integers(3, 8), st.integers(0, 2**31 - 1),
           st.sampled_from([1e-8, 1e-3, 0.1, 1.0]))
    @example(2, 3, 0, 1e-8)
    def check(d, per_feature, seed, eps):
        n = d * per_feature
        X = _mixed(seed, n, d, torch.float64)
        Y = _mixed(seed + 1, 6, d, torch.float64)
        w = Whitener(eps=eps)
        Z = w.fit_transform(X)
        same_device_and_dtype(Z, X, f"Whitener(eps={eps}).fit_transform(X)")
        W = _zca(X, eps)
        expected = (X - X.mean(dim=0)) @ W
        err = float((Z - expected).abs().max())
        assert err < 1e-7 * (1 + float(expected.abs().max())), (
            f"Whitener(eps={eps}).fit_transform(X) (n={n}, d={d}) differs from (X - mean) V diag(1/sqrt("
            f"lambda + eps)) V^T (V, lambda from the SVD of the centred X) by up to {err:.3g}"
        )
        if eps == 1e-8:
            C = _cov(Z)
            eye = torch.eye(d, dtype=torch.float64, device=X.device)
            assert torch.allclose(C, eye, atol=1e-6), (
                f"Whitener().fit_transform(X) (n={n}, d={d}) has covariance {C.tolist()}, expected I"
            )
        got = w.transform(Y)
        same_device_and_dtype(got, Y, "Whitener.transform(Y)")
        expected = (Y - X.mean(dim=0)) @ W
        err = float((got - expected).abs().max())
        assert err < 1e-7 * (1 + float(expected.abs().max())), (
            f"Whitener(eps={eps}).transform(Y) after fit(X) differs from (Y - mean_X) W_X by up to {err:.3g}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def rank_deficient_and_constant_data(Whitener):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(Whitener=Whitener)
    dev = device()

    @prop(25)
    @given(st.integers(2, 6), st.integers(1, 5), st.integers(2, 30), st.integers(0, 2**31 - 1), st.booleans())
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
        for dtype in (torch.float32, torch.float64):
            Xt = X.to(dtype).to(dev)
            Z = Whitener().fit_transform(Xt)
            same_device_and_dtype(Z, Xt, "Whitener().fit_transform(X)")
            assert bool(torch.isfinite(Z).all()), (
                f"Whitener().fit_transform(X) of rank {r} < d = {d} ({dtype}, constant first column: "
                f"{constant_column}) has NaN or inf entries: {Z.tolist()}"
            )
        # on the span of the centred data, the whitened covariance is lambda / (lambda + eps), about 1:
        # check it along the directions with lambda > 0.01
        Xc = X - X.mean(dim=0)
        _, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
        V = Vh[S**2 / n > 0.01].T.to(dev)
        C = _cov(Z)
        on_span = V.T @ C @ V
        eye = torch.eye(V.shape[1], dtype=torch.float64, device=dev)
        assert torch.allclose(on_span, eye, atol=1e-5), (
            f"Whitener().fit_transform(X) of rank {r} (d = {d}): covariance on the data's span is "
            f"{on_span.tolist()}, expected the identity"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def round_trip(Whitener):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property, same_device_and_dtype

    require(Whitener=Whitener)

    @prop(30)
    @given(st.integers(1, 5), st.integers(2, 6), st.integers(0, 2**31 - 1), st.sampled_from([1e-8, 0.1, 1.0]))
    @example(2, 3, 0, 0.1)
    def check(d, per_feature, seed, eps):
        X = _mixed(seed, d * per_feature, d, torch.float64)
        Y = _mixed(seed + 1, 6, d, torch.float64)
        w = Whitener(eps=eps).fit(X)
        back = w.inverse_transform(w.transform(Y))
        same_device_and_dtype(back, Y, "inverse_transform(transform(Y))")
        assert torch.allclose(back, Y, atol=1e-7), (
            f"Whitener(eps={eps}): inverse_transform(transform(Y)) returned {back.tolist()}, "
            f"expected Y = {Y.tolist()}"
        )
        Z = torch.randn(4, d, dtype=torch.float64, generator=torch.Generator().manual_seed(seed)).to(Y)
        again = w.transform(w.inverse_transform(Z))
        assert torch.allclose(again, Z, atol=1e-7), (
            f"Whitener(eps={eps}): transform(inverse_transform(Z)) returned {again.tolist()}, "
            f"expected Z = {Z.tolist()}"
        )

    run_property(check)
