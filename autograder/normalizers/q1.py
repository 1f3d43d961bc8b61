from helpers import _cpu64, _features
from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


@test_case(points=1.5, hidden=False)
def lecture_example(MinMaxNormalizer):
    """core: a hand-computed example, its inverse and a point outside the training range.

    maps each feature's training minimum to `low` and its maximum to `high`; `inverse_transform`
    maps them back.

    Data outside the training range lands outside $[\\ell, h]$: `transform` does not clip.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(MinMaxNormalizer=MinMaxNormalizer)
    X = torch.tensor([[0.0, 10.0], [5.0, 20.0], [10.0, 30.0]], device=device())
    Y = torch.tensor([[20.0, 0.0]], device=device())
    for low, high, want, want_y in [
        (-1.0, 1.0, [[-1.0, -1.0], [0.0, 0.0], [1.0, 1.0]], [[3.0, -2.0]]),
        (0.0, 1.0, [[0.0, 0.0], [0.5, 0.5], [1.0, 1.0]], [[2.0, -0.5]]),
    ]:
        call = f"MinMaxNormalizer(low={low}, high={high}).fit_transform({X.tolist()})"
        norm = MinMaxNormalizer(low=low, high=high)
        got = _cpu64(norm.fit_transform(X), call)
        assert torch.allclose(got, torch.tensor(want, dtype=torch.float64), atol=1e-6), (
            tidy(f"{call} returned {got.tolist()}, expected {want}: the minimum of each feature maps to low "
                 "and the maximum to high")
        )
        back = _cpu64(norm.inverse_transform(torch.tensor(want, device=device())), "inverse_transform")
        assert torch.allclose(back, X.double().cpu(), atol=1e-5), (
            tidy(f"after {call}, inverse_transform({want}) returned {back.tolist()}, expected X = {X.tolist()}")
        )
        out = _cpu64(norm.transform(Y), "transform")
        assert torch.allclose(out, torch.tensor(want_y, dtype=torch.float64), atol=1e-5), (
            tidy(f"after {call}, transform({Y.tolist()}) returned {out.tolist()}, expected {want_y}: "
                 "data outside the training range lands outside [low, high], no clipping")
        )


@test_case(points=0.5, hidden=False)
def constant_feature_example(MinMaxNormalizer):
    """edge: a constant feature of a hand-computed example goes to the midpoint.

    A constant feature ($\\max_j = \\min_j$, where the formula divides by 0) maps to the midpoint
    $(\\ell + h) / 2$.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(MinMaxNormalizer=MinMaxNormalizer)
    X = torch.tensor([[1.0, 4.0], [3.0, 4.0]], device=device())
    norm = MinMaxNormalizer(low=0.0, high=1.0)
    call = f"MinMaxNormalizer(low=0, high=1).fit_transform({X.tolist()})"
    got = _cpu64(norm.fit_transform(X), call)
    want = [[0.0, 0.5], [1.0, 0.5]]
    assert torch.allclose(got, torch.tensor(want, dtype=torch.float64), atol=1e-6), (
        tidy(f"{call} returned {got.tolist()}, expected {want}: the constant second feature maps to the "
             "midpoint (low + high) / 2")
    )
    back = _cpu64(norm.inverse_transform(torch.tensor(want, device=device())), "inverse_transform")
    assert torch.allclose(back, X.double().cpu(), atol=1e-6), (
        tidy(f"after {call}, inverse_transform({want}) returned {back.tolist()}, expected X = {X.tolist()}")
    )


@test_case(points=3, hidden=True)
def agrees_with_the_formula(MinMaxNormalizer):
    """core: transform and inverse_transform follow the min-max formula on random data.

    maps each feature's training minimum to `low` and its maximum to `high`; `inverse_transform`
    maps them back.

    Data outside the training range lands outside $[\\ell, h]$: `transform` does not clip.
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(MinMaxNormalizer=MinMaxNormalizer)

    @for_all(
        st.integers(2, 20), st.integers(1, 5), seeds(), st.floats(-5, 5), st.floats(0.1, 10),
        st.sampled_from([torch.float32, torch.float64]), examples=30,
    )
    @example(3, 2, 0, -1.0, 2.0, torch.float32)
    def check(n, d, seed, low, width, dtype):
        high = low + width
        X = _features(seed, n, d, dtype)
        Y = _features(seed + 1, 7, d, dtype)
        what = f"MinMaxNormalizer(low={low}, high={high}) fitted on X (n={n}, d={d}, {dtype})"
        norm = MinMaxNormalizer(low=low, high=high)
        Z = _cpu64(norm.fit_transform(X), f"{what}: fit_transform(X)")
        assert Z.shape == X.shape, f"{what}: fit_transform(X) has shape {tuple(Z.shape)}, expected {tuple(X.shape)}"
        tol = (1e-4 if dtype == torch.float32 else 1e-9) * (1 + abs(low) + abs(high))
        zmin, zmax = Z.amin(dim=0), Z.amax(dim=0)
        assert torch.allclose(zmin, torch.full_like(zmin, low), atol=tol) and torch.allclose(
            zmax, torch.full_like(zmax, high), atol=tol
        ), f"{what}: fit_transform(X) has per-feature min {zmin.tolist()} and max {zmax.tolist()}, expected {low} and {high}"
        Xd, Yd = X.double().cpu(), Y.double().cpu()
        mn, mx = Xd.amin(dim=0), Xd.amax(dim=0)
        expected = low + (Yd - mn) / (mx - mn) * (high - low)
        got = _cpu64(norm.transform(Y), f"{what}: transform(Y)")
        err = float((got - expected).abs().max()) if got.shape == expected.shape else float("inf")
        assert err <= tol * (1 + float(expected.abs().max())), (
            f"{what}: transform(Y) differs from low + (Y - min_X) / (max_X - min_X) * (high - low) by up to {err:.3g}"
        )
        back = _cpu64(norm.inverse_transform(expected.to(Y)), f"{what}: inverse_transform(Z)")
        err = float((back - Yd).abs().max()) if back.shape == Yd.shape else float("inf")
        assert err <= tol * (1 + float(Yd.abs().max())), (
            f"{what}: inverse_transform(Z) differs from min_X + (Z - low) / (high - low) * (max_X - min_X) "
            f"by up to {err:.3g}"
        )


@test_case(points=2, hidden=True)
def round_trip_and_units(MinMaxNormalizer):
    """core: the inverse undoes transform, and a change of units changes nothing.

    `inverse_transform(transform(X))` is `X`, and `transform(inverse_transform(Z))` is `Z`, for any
    data, not only the training set.

    Changing a feature's unit by a map $x \\mapsto a x + b$ with $a > 0$ (km/h to m/s, °C to °F)
    before fitting leaves the normalised values unchanged
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(MinMaxNormalizer=MinMaxNormalizer)

    @for_all(st.integers(2, 15), st.integers(1, 4), seeds(), st.floats(-3, 3), st.floats(0.5, 4), examples=30)
    @example(3, 2, 0, -1.0, 2.0)
    def check(n, d, seed, low, width):
        high = low + width
        X = _features(seed, n, d, torch.float64)
        Y = _features(seed + 1, 6, d, torch.float64)
        what = f"MinMaxNormalizer(low={low}, high={high}).fit(X) (n={n}, d={d})"
        norm = MinMaxNormalizer(low=low, high=high).fit(X)
        back = _cpu64(norm.inverse_transform(norm.transform(Y)), f"{what}: inverse_transform(transform(Y))")
        Yc = Y.cpu()
        assert back.shape == Yc.shape and torch.allclose(back, Yc, rtol=1e-9, atol=1e-9 * float(Yc.abs().max())), (
            f"{what}: inverse_transform(transform(Y)) returned {back.tolist()}, expected Y = {Yc.tolist()}"
        )
        Z = torch.randn(5, d, dtype=torch.float64, generator=torch.Generator().manual_seed(seed)).to(X)
        again = _cpu64(norm.transform(norm.inverse_transform(Z)), f"{what}: transform(inverse_transform(Z))")
        assert again.shape == Z.shape and torch.allclose(again, Z.cpu(), atol=1e-9), (
            f"{what}: transform(inverse_transform(Z)) returned {again.tolist()}, expected Z = {Z.tolist()}"
        )
        g = torch.Generator().manual_seed(seed + 2)
        a = torch.exp(torch.empty(d, dtype=torch.float64).uniform_(-4, 4, generator=g)).to(X)
        b = (100 * torch.randn(d, generator=g, dtype=torch.float64)).to(X)
        other = MinMaxNormalizer(low=low, high=high).fit(X * a + b)
        for name, orig, moved in [("X", X, X * a + b), ("Y", Y, Y * a + b)]:
            z1 = _cpu64(norm.transform(orig), f"{what}: transform({name})")
            z2 = _cpu64(other.transform(moved), f"transform({name}) in new units")
            assert torch.allclose(z1, z2, atol=1e-8), (
                f"fitting and transforming {name} in new units (x -> a x + b, a = {a.tolist()}, b = "
                f"{b.tolist()}) gave {z2.tolist()}, expected the same as in the old units: {z1.tolist()}"
            )


@test_case(points=1, hidden=True)
def constant_features_go_to_the_midpoint(MinMaxNormalizer):
    """edge: constant features (and only those) map to the midpoint; the inverse stays exact.

    A constant feature ($\\max_j = \\min_j$, where the formula divides by 0) maps to the midpoint
    $(\\ell + h) / 2$. Take its scale factor to be 1, i.e. $z = x - \\min_j + (\\ell + h)/2$,
    which keeps `inverse_transform` exact.
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(MinMaxNormalizer=MinMaxNormalizer)

    @for_all(
        st.integers(2, 12), st.integers(2, 5), st.sets(st.integers(0, 4), min_size=1), seeds(),
        st.floats(-5, 5), st.floats(0.1, 10), st.sampled_from([torch.float32, torch.float64]), examples=20,
    )
    @example(3, 2, {1}, 0, -1.0, 2.0, torch.float32)
    def check(n, d, constant, seed, low, width, dtype):
        high = low + width
        constant = sorted({j % d for j in constant})
        X = _features(seed, n, d, dtype, constant=constant)
        what = f"MinMaxNormalizer(low={low}, high={high}).fit_transform(X) with constant columns {constant} ({dtype})"
        norm = MinMaxNormalizer(low=low, high=high)
        Z = _cpu64(norm.fit_transform(X), what)
        assert bool(torch.isfinite(Z).all()), f"{what} returned {Z.tolist()}, expected finite values"
        mid = (low + high) / 2
        tol = 1e-4 if dtype == torch.float32 else 1e-9
        got = Z[:, constant]
        assert torch.allclose(got, torch.full_like(got, mid), atol=tol * (1 + abs(mid))), (
            f"{what}: the constant columns became {got.T.tolist()}, expected (low + high) / 2 = {mid}"
        )
        back = _cpu64(norm.inverse_transform(Z.to(X)), "inverse_transform(fit_transform(X))")
        Xc = X.double().cpu()
        assert torch.allclose(back, Xc, rtol=tol, atol=tol * (1 + float(Xc.abs().max()))), (
            f"after {what}, inverse_transform(fit_transform(X)) returned {back.tolist()}, expected X = {Xc.tolist()}"
        )


@test_case(points=0.5, hidden=True)
def one_sample_goes_to_the_midpoint(MinMaxNormalizer):
    """edge: fitted on a single sample, every feature maps to the midpoint.

    Fitted on a single sample, every feature is constant: every feature of that sample maps to
    the midpoint.
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(MinMaxNormalizer=MinMaxNormalizer)

    @for_all(st.integers(1, 5), seeds(), st.floats(-5, 5), st.floats(0.1, 10), examples=10)
    @example(2, 0, -1.0, 2.0)
    def check(d, seed, low, width):
        high = low + width
        X = _features(seed, 1, d, torch.float64)
        what = f"MinMaxNormalizer(low={low}, high={high}).fit_transform(x) with one sample x = {X.tolist()}"
        norm = MinMaxNormalizer(low=low, high=high)
        Z = _cpu64(norm.fit_transform(X), what)
        mid = (low + high) / 2
        assert Z.shape == (1, d) and torch.allclose(Z, torch.full_like(Z, mid), atol=1e-9 * (1 + abs(mid))), (
            f"{what} returned {Z.tolist()}, expected (low + high) / 2 = {mid} for every feature"
        )
        back = _cpu64(norm.inverse_transform(Z.to(X)), "inverse_transform(fit_transform(x))")
        assert torch.allclose(back, X.cpu(), rtol=1e-9), (
            f"after {what}, inverse_transform(fit_transform(x)) returned {back.tolist()}, expected x"
        )
