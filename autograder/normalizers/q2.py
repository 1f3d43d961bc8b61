from helpers import _cpu64, _features
from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
points = None


@test_case(points=1.5, hidden=False)
def lecture_example(ZScoreNormalizer):
    """core: a hand-computed example with the population std, and its inverse.

    `ZScoreNormalizer()` gives each training feature mean 0 and standard deviation 1.

    Use the population std (ddof = 0): `torch.std`'s default is the sample std (ddof = 1).

    `inverse_transform` undoes `transform` exactly, on any data
    """
    import torch

    from dl541_testing import device, require, tidy

    require(ZScoreNormalizer=ZScoreNormalizer)
    X = torch.tensor([[0.0, 100.0], [2.0, 300.0], [1.0, 200.0], [1.0, 200.0]], device=device())
    norm = ZScoreNormalizer()
    call = f"ZScoreNormalizer().fit_transform({X.tolist()})"
    got = _cpu64(norm.fit_transform(X), call)
    s = 2**0.5
    want = [[-s, -s], [s, s], [0.0, 0.0], [0.0, 0.0]]
    assert torch.allclose(got, torch.tensor(want, dtype=torch.float64), atol=1e-5), (
        tidy(f"{call} returned {got.tolist()}, expected {want}: mean 0 and population std (ddof = 0) 1 per feature")
    )
    Z = torch.tensor([[1.0, -2.0]], device=device())
    back = _cpu64(norm.inverse_transform(Z), "inverse_transform")
    want = [[1 + s / 2, 200 - 100 * s]]
    assert torch.allclose(back, torch.tensor(want, dtype=torch.float64), atol=1e-3), (
        tidy(f"after {call}, inverse_transform({Z.tolist()}) returned {back.tolist()}, expected mean + Z * std = {want}")
    )


@test_case(points=0.5, hidden=False)
def constant_feature_example(ZScoreNormalizer):
    """edge: the constant feature of a hand-computed example goes to 0.

    A feature with $\\sigma_j = 0$ maps to 0; store its std as 1, so that $z = x - \\mu_j$
    """
    import torch

    from dl541_testing import device, require, tidy

    require(ZScoreNormalizer=ZScoreNormalizer)
    X = torch.tensor([[1.0, 4.0], [3.0, 4.0]], device=device())
    norm = ZScoreNormalizer()
    call = f"ZScoreNormalizer().fit_transform({X.tolist()})"
    got = _cpu64(norm.fit_transform(X), call)
    want = [[-1.0, 0.0], [1.0, 0.0]]
    assert torch.allclose(got, torch.tensor(want, dtype=torch.float64), atol=1e-6), (
        tidy(f"{call} returned {got.tolist()}, expected {want}: the constant second feature maps to 0")
    )
    back = _cpu64(norm.inverse_transform(torch.tensor(want, device=device())), "inverse_transform")
    assert torch.allclose(back, X.double().cpu(), atol=1e-6), (
        tidy(f"after {call}, inverse_transform({want}) returned {back.tolist()}, expected X = {X.tolist()}")
    )


@test_case(points=3, hidden=True)
def agrees_with_the_formula(ZScoreNormalizer):
    """core: mean 0 and std 1 on the training set, and the z-score formula and its inverse on new data.

    `ZScoreNormalizer()` gives each training feature mean 0 and standard deviation 1.

    Use the population std (ddof = 0): `torch.std`'s default is the sample std (ddof = 1).

    `inverse_transform` undoes `transform` exactly, on any data
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(ZScoreNormalizer=ZScoreNormalizer)

    @for_all(st.integers(2, 20), st.integers(1, 5), seeds(), st.sampled_from([torch.float32, torch.float64]),
             examples=30)
    @example(3, 2, 0, torch.float32)
    def check(n, d, seed, dtype):
        X = _features(seed, n, d, dtype)
        Y = _features(seed + 1, 7, d, dtype)
        what = f"ZScoreNormalizer() fitted on X (n={n}, d={d}, {dtype})"
        norm = ZScoreNormalizer()
        Z = _cpu64(norm.fit_transform(X), f"{what}: fit_transform(X)")
        assert Z.shape == X.shape, f"{what}: fit_transform(X) has shape {tuple(Z.shape)}, expected {tuple(X.shape)}"
        tol = 1e-4 if dtype == torch.float32 else 1e-9
        mean = Z.mean(dim=0)
        std = ((Z - mean) ** 2).mean(dim=0).sqrt()
        assert torch.allclose(mean, torch.zeros_like(mean), atol=tol) and torch.allclose(
            std, torch.ones_like(std), atol=tol
        ), f"{what}: fit_transform(X) has per-feature means {mean.tolist()} and population stds {std.tolist()}, expected 0 and 1"
        Xd, Yd = X.double().cpu(), Y.double().cpu()
        mu = Xd.mean(dim=0)
        sigma = ((Xd - mu) ** 2).mean(dim=0).sqrt()
        expected = (Yd - mu) / sigma
        got = _cpu64(norm.transform(Y), f"{what}: transform(Y)")
        err = float((got - expected).abs().max()) if got.shape == expected.shape else float("inf")
        assert err <= tol * (1 + float(expected.abs().max())), (
            f"{what}: transform(Y) differs from (Y - mean_X) / std_X (ddof = 0) by up to {err:.3g}"
        )
        back = _cpu64(norm.inverse_transform(expected.to(Y)), f"{what}: inverse_transform(Z)")
        err = float((back - Yd).abs().max()) if back.shape == Yd.shape else float("inf")
        assert err <= tol * (1 + float(Yd.abs().max())), (
            f"{what}: inverse_transform(Z) differs from mean_X + Z * std_X by up to {err:.3g}"
        )


@test_case(points=2, hidden=True)
def round_trip_and_units(ZScoreNormalizer):
    """core: the inverse undoes transform, and a change of units changes nothing.

    `inverse_transform` undoes `transform` exactly, on any data

    Changing a feature's unit by a map $x \\mapsto a x + b$ with $a > 0$ (km/h to m/s, °C to °F)
    before fitting leaves the normalised values unchanged; the same holds in Question 2.
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(ZScoreNormalizer=ZScoreNormalizer)

    @for_all(st.integers(2, 15), st.integers(1, 4), seeds(), examples=30)
    @example(3, 2, 0)
    def check(n, d, seed):
        X = _features(seed, n, d, torch.float64)
        Y = _features(seed + 1, 6, d, torch.float64)
        what = f"ZScoreNormalizer().fit(X) (n={n}, d={d})"
        norm = ZScoreNormalizer().fit(X)
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
        other = ZScoreNormalizer().fit(X * a + b)
        for name, orig, moved in [("X", X, X * a + b), ("Y", Y, Y * a + b)]:
            z1 = _cpu64(norm.transform(orig), f"{what}: transform({name})")
            z2 = _cpu64(other.transform(moved), f"transform({name}) in new units")
            assert torch.allclose(z1, z2, atol=1e-7), (
                f"fitting and transforming {name} in new units (x -> a x + b, a = {a.tolist()}, b = "
                f"{b.tolist()}) gave {z2.tolist()}, expected the same as in the old units: {z1.tolist()}"
            )


@test_case(points=1, hidden=True)
def constant_features_go_to_zero(ZScoreNormalizer):
    """edge: constant features (and only those) map to 0; the inverse stays exact.

    A feature with $\\sigma_j = 0$ maps to 0; store its std as 1, so that $z = x - \\mu_j$ (as
    scikit-learn does) and `inverse_transform` stays exact.
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(ZScoreNormalizer=ZScoreNormalizer)

    @for_all(st.integers(2, 12), st.integers(2, 5), st.sets(st.integers(0, 4), min_size=1), seeds(),
             st.sampled_from([torch.float32, torch.float64]), examples=20)
    @example(3, 2, {1}, 0, torch.float32)
    def check(n, d, constant, seed, dtype):
        constant = sorted({j % d for j in constant})
        X = _features(seed, n, d, dtype, constant=constant)
        what = f"ZScoreNormalizer().fit_transform(X) with constant columns {constant} ({dtype})"
        norm = ZScoreNormalizer()
        Z = _cpu64(norm.fit_transform(X), what)
        assert bool(torch.isfinite(Z).all()), f"{what} returned {Z.tolist()}, expected finite values"
        got = Z[:, constant]
        assert torch.allclose(got, torch.zeros_like(got), atol=1e-5), (
            f"{what}: the constant columns became {got.T.tolist()}, expected 0"
        )
        tol = 1e-4 if dtype == torch.float32 else 1e-9
        back = _cpu64(norm.inverse_transform(Z.to(X)), "inverse_transform(fit_transform(X))")
        Xc = X.double().cpu()
        assert torch.allclose(back, Xc, rtol=tol, atol=tol * (1 + float(Xc.abs().max()))), (
            f"after {what}, inverse_transform(fit_transform(X)) returned {back.tolist()}, expected X = {Xc.tolist()}"
        )


@test_case(points=0.5, hidden=True)
def one_sample_goes_to_zero(ZScoreNormalizer):
    """edge: fitted on a single sample, every feature maps to 0.

    Fitted on a single sample, every feature is constant, so the sample maps to 0.
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(ZScoreNormalizer=ZScoreNormalizer)

    @for_all(st.integers(1, 5), seeds(), examples=10)
    @example(2, 0)
    def check(d, seed):
        X = _features(seed, 1, d, torch.float64)
        what = f"ZScoreNormalizer().fit_transform(x) with one sample x = {X.tolist()}"
        norm = ZScoreNormalizer()
        Z = _cpu64(norm.fit_transform(X), what)
        assert Z.shape == (1, d) and torch.allclose(Z, torch.zeros_like(Z), atol=1e-9), (
            f"{what} returned {Z.tolist()}, expected 0 for every feature"
        )
        back = _cpu64(norm.inverse_transform(Z.to(X)), "inverse_transform(fit_transform(x))")
        assert torch.allclose(back, X.cpu(), rtol=1e-9), (
            f"after {what}, inverse_transform(fit_transform(x)) returned {back.tolist()}, expected x"
        )
