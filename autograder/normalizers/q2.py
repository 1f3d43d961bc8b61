from helpers import _features
from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
points = None


@test_case(points=1, hidden=False)
def lecture_example(ZScoreNormalizer):
    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(ZScoreNormalizer=ZScoreNormalizer)
    X = torch.tensor([[0.0, 100.0], [2.0, 300.0], [1.0, 200.0], [1.0, 200.0]], device=device())
    got = ZScoreNormalizer().fit_transform(X)
    same_device_and_dtype(got, X, "ZScoreNormalizer().fit_transform(X)")
    s = 2**0.5
    expected = torch.tensor([[-s, -s], [s, s], [0.0, 0.0], [0.0, 0.0]], device=device())
    assert torch.allclose(got, expected, atol=1e-5), (
        tidy(f"ZScoreNormalizer().fit_transform({X.tolist()}) returned {got.tolist()}, expected "
        f"{expected.tolist()} (population std, ddof = 0)")
    )


@test_case(points=1, hidden=True)
def mean_zero_std_one_and_formula(ZScoreNormalizer):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property, same_device_and_dtype

    require(ZScoreNormalizer=ZScoreNormalizer)

    @prop(30)
    @given(st.integers(2, 20), st.integers(1, 5), st.integers(0, 2**31 - 1),
           st.sampled_from([torch.float32, torch.float64]))
    @example(3, 2, 0, torch.float32)
    def check(n, d, seed, dtype):
        X = _features(seed, n, d, dtype)
        Y = _features(seed + 1, 7, d, dtype)
        norm = ZScoreNormalizer()
        Z = norm.fit_transform(X)
        same_device_and_dtype(Z, X, "ZScoreNormalizer.fit_transform(X)")
        assert Z.shape == X.shape, f"fit_transform of shape {tuple(X.shape)} returned {tuple(Z.shape)}"
        tol = 1e-4 if dtype == torch.float32 else 1e-9
        Zd = Z.double()
        mean = Zd.mean(dim=0)
        std = ((Zd - mean) ** 2).mean(dim=0).sqrt()
        assert torch.allclose(mean, torch.zeros_like(mean), atol=tol) and torch.allclose(
            std, torch.ones_like(std), atol=tol
        ), (
            f"ZScoreNormalizer().fit_transform(X) (n={n}, d={d}, {dtype}) has per-feature means "
            f"{mean.tolist()} and population stds {std.tolist()}, expected 0 and 1"
        )
        Xd = X.double()
        mu = Xd.mean(dim=0)
        sigma = ((Xd - mu) ** 2).mean(dim=0).sqrt()
        expected = (Y.double() - mu) / sigma
        got = norm.transform(Y)
        same_device_and_dtype(got, Y, "ZScoreNormalizer.transform(Y)")
        err = float((got.double() - expected).abs().max())
        assert err <= tol * (1 + float(expected.abs().max())), (
            f"transform(Y) after fit(X) differs from (Y - mean_X) / std_X (ddof = 0) by up to {err:.3g} "
            f"(n={n}, d={d}, {dtype})"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def constant_features_go_to_zero(ZScoreNormalizer):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property

    require(ZScoreNormalizer=ZScoreNormalizer)

    @prop(25)
    @given(st.integers(1, 12), st.integers(2, 5), st.sets(st.integers(0, 4), min_size=1),
           st.integers(0, 2**31 - 1), st.sampled_from([torch.float32, torch.float64]))
    @example(3, 2, {1}, 0, torch.float32)
    def check(n, d, constant, seed, dtype):
        constant = {j % d for j in constant}
        X = _features(seed, n, d, dtype, constant=sorted(constant))
        norm = ZScoreNormalizer()
        Z = norm.fit_transform(X)
        assert Z is not None and bool(torch.isfinite(Z).all()), (
            f"ZScoreNormalizer.fit_transform(X) with constant columns {sorted(constant)} returned "
            f"{Z if Z is None else Z.tolist()}, expected finite values"
        )
        cols = [j for j in range(d) if j in constant or n == 1]
        got = Z[:, cols]
        assert torch.allclose(got, torch.zeros_like(got), atol=1e-5), (
            f"ZScoreNormalizer: constant columns {cols} became {got.T.tolist()}, expected 0"
        )
        tol = 1e-4 if dtype == torch.float32 else 1e-9
        back = norm.inverse_transform(Z)
        assert torch.allclose(back, X, rtol=tol, atol=tol * (1 + float(X.abs().max()))), (
            f"inverse_transform(fit_transform(X)) with constant columns {cols} returned "
            f"{back.tolist()}, expected X = {X.tolist()}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def round_trip_and_units(ZScoreNormalizer):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property, same_device_and_dtype

    require(ZScoreNormalizer=ZScoreNormalizer)

    @prop(30)
    @given(st.integers(2, 15), st.integers(1, 4), st.integers(0, 2**31 - 1))
    @example(3, 2, 0)
    def check(n, d, seed):
        X = _features(seed, n, d, torch.float64)
        Y = _features(seed + 1, 6, d, torch.float64)
        norm = ZScoreNormalizer().fit(X)
        back = norm.inverse_transform(norm.transform(Y))
        same_device_and_dtype(back, Y, "inverse_transform(transform(Y))")
        assert torch.allclose(back, Y, rtol=1e-9, atol=1e-9 * float(Y.abs().max())), (
            f"inverse_transform(transform(Y)) returned {back.tolist()}, expected Y = {Y.tolist()}"
        )
        Z = torch.randn(5, d, dtype=torch.float64, generator=torch.Generator().manual_seed(seed)).to(X)
        again = norm.transform(norm.inverse_transform(Z))
        assert torch.allclose(again, Z, atol=1e-9), (
            f"transform(inverse_transform(Z)) returned {again.tolist()}, expected Z = {Z.tolist()}"
        )
        g = torch.Generator().manual_seed(seed + 2)
        a = torch.exp(torch.empty(d, dtype=torch.float64).uniform_(-4, 4, generator=g)).to(X)
        b = (100 * torch.randn(d, generator=g, dtype=torch.float64)).to(X)
        other = ZScoreNormalizer().fit(X * a + b)
        for name, orig, moved in [("X", X, X * a + b), ("Y", Y, Y * a + b)]:
            z1, z2 = norm.transform(orig), other.transform(moved)
            assert torch.allclose(z1, z2, atol=1e-7), (
                f"fitting and transforming {name} in new units (x -> a x + b, a = {a.tolist()}, b = "
                f"{b.tolist()}) gave {z2.tolist()}, expected the same as in the old units: {z1.tolist()}"
            )

    run_property(check)
