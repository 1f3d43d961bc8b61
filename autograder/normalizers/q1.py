from helpers import _features
from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


@test_case(points=1, hidden=False)
def lecture_example(MinMaxNormalizer):
    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(MinMaxNormalizer=MinMaxNormalizer)
    X = torch.tensor([[0.0, 10.0], [5.0, 20.0], [10.0, 30.0]], device=device())
    got = MinMaxNormalizer().fit_transform(X)
    same_device_and_dtype(got, X, "MinMaxNormalizer().fit_transform(X)")
    expected = torch.tensor([[-1.0, -1.0], [0.0, 0.0], [1.0, 1.0]], device=device())
    assert torch.allclose(got, expected, atol=1e-6), (
        tidy(f"MinMaxNormalizer().fit_transform({X.tolist()}) returned {got.tolist()}, expected {expected.tolist()}")
    )
    got = MinMaxNormalizer(low=0.0, high=1.0).fit_transform(X)
    expected = (expected + 1) / 2
    assert torch.allclose(got, expected, atol=1e-6), (
        tidy(f"MinMaxNormalizer(low=0, high=1).fit_transform({X.tolist()}) returned {got.tolist()}, "
        f"expected {expected.tolist()}")
    )


@test_case(points=1, hidden=True)
def range_and_formula(MinMaxNormalizer):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property, same_device_and_dtype

    require(MinMaxNormalizer=MinMaxNormalizer)

    @prop(30)
    @given(
        st.integers(2, 20), st.integers(1, 5), st.integers(0, 2**31 - 1),
        st.floats(-5, 5), st.floats(0.1, 10), st.sampled_from([torch.float32, torch.float64]),
    )
    @example(3, 2, 0, -1.0, 2.0, torch.float32)
    def check(n, d, seed, low, width, dtype):
        high = low + width
        X = _features(seed, n, d, dtype)
        Y = _features(seed + 1, 7, d, dtype)
        norm = MinMaxNormalizer(low=low, high=high)
        Z = norm.fit_transform(X)
        same_device_and_dtype(Z, X, "MinMaxNormalizer.fit_transform(X)")
        assert Z.shape == X.shape, f"fit_transform of shape {tuple(X.shape)} returned {tuple(Z.shape)}"
        tol = (1e-4 if dtype == torch.float32 else 1e-9) * (1 + abs(low) + abs(high))
        zmin, zmax = Z.amin(dim=0), Z.amax(dim=0)
        assert torch.allclose(zmin, torch.full_like(zmin, low), atol=tol) and torch.allclose(
            zmax, torch.full_like(zmax, high), atol=tol
        ), (
            f"MinMaxNormalizer(low={low}, high={high}).fit_transform(X): per-feature min {zmin.tolist()} "
            f"and max {zmax.tolist()}, expected every min {low} and every max {high}"
        )
        mn, mx = X.amin(dim=0), X.amax(dim=0)
        expected = low + (Y - mn) / (mx - mn) * (high - low)
        got = norm.transform(Y)
        same_device_and_dtype(got, Y, "MinMaxNormalizer.transform(Y)")
        err = float((got - expected).abs().max())
        assert err <= tol * (1 + float(expected.abs().max())), (
            f"transform(Y) after fit(X) differs from low + (Y - min_X) / (max_X - min_X) * (high - low) "
            f"by up to {err:.3g} (n={n}, d={d}, low={low}, high={high}, {dtype})"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def constant_features_go_to_the_midpoint(MinMaxNormalizer):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property

    require(MinMaxNormalizer=MinMaxNormalizer)

    @prop(25)
    @given(
        st.integers(1, 12), st.integers(2, 5), st.sets(st.integers(0, 4), min_size=1), st.integers(0, 2**31 - 1),
        st.floats(-5, 5), st.floats(0.1, 10), st.sampled_from([torch.float32, torch.float64]),
    )
    @example(3, 2, {1}, 0, -1.0, 2.0, torch.float32)
    def check(n, d, constant, seed, low, width, dtype):
        high = low + width
        constant = {j % d for j in constant}
        X = _features(seed, n, d, dtype, constant=sorted(constant))
        norm = MinMaxNormalizer(low=low, high=high)
        Z = norm.fit_transform(X)
        assert Z is not None and bool(torch.isfinite(Z).all()), (
            f"MinMaxNormalizer.fit_transform(X) with constant columns {sorted(constant)} returned "
            f"{Z if Z is None else Z.tolist()}, expected finite values"
        )
        mid = (low + high) / 2
        tol = 1e-4 if dtype == torch.float32 else 1e-9
        cols = [j for j in range(d) if j in constant or n == 1]
        got = Z[:, cols]
        assert torch.allclose(got, torch.full_like(got, mid), atol=tol * (1 + abs(mid))), (
            f"MinMaxNormalizer(low={low}, high={high}): constant columns {cols} became {got.T.tolist()}, "
            f"expected (low + high) / 2 = {mid}"
        )
        back = norm.inverse_transform(Z)
        assert torch.allclose(back, X, rtol=tol, atol=tol * (1 + float(X.abs().max()))), (
            f"inverse_transform(fit_transform(X)) with constant columns {cols} returned "
            f"{back.tolist()}, expected X = {X.tolist()}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def round_trip_and_units(MinMaxNormalizer):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property, same_device_and_dtype

    require(MinMaxNormalizer=MinMaxNormalizer)

    @prop(30)
    @given(st.integers(2, 15), st.integers(1, 4), st.integers(0, 2**31 - 1), st.floats(-3, 3), st.floats(0.5, 4))
    @example(3, 2, 0, -1.0, 2.0)
    def check(n, d, seed, low, width):
        high = low + width
        X = _features(seed, n, d, torch.float64)
        Y = _features(seed + 1, 6, d, torch.float64)
        norm = MinMaxNormalizer(low=low, high=high).fit(X)
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
        # a change of units x -> a x + b (a > 0) per feature changes nothing after normalisation
        g = torch.Generator().manual_seed(seed + 2)
        a = torch.exp(torch.empty(d, dtype=torch.float64).uniform_(-4, 4, generator=g)).to(X)
        b = (100 * torch.randn(d, generator=g, dtype=torch.float64)).to(X)
        other = MinMaxNormalizer(low=low, high=high).fit(X * a + b)
        for name, orig, moved in [("X", X, X * a + b), ("Y", Y, Y * a + b)]:
            z1, z2 = norm.transform(orig), other.transform(moved)
            assert torch.allclose(z1, z2, atol=1e-8), (
                f"fitting and transforming {name} in new units (x -> a x + b, a = {a.tolist()}, b = "
                f"{b.tolist()}) gave {z2.tolist()}, expected the same as in the old units: {z1.tolist()}"
            )

    run_property(check)
