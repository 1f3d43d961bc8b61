from helpers import _spread_data
from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


@test_case(points=1, hidden=False)
def lecture_example(pca):
    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(pca=pca)
    X = torch.tensor([[2.0, 2.0], [-2.0, -2.0], [1.0, -1.0], [-1.0, 1.0]], device=device())
    result = pca(X, 1)
    assert isinstance(result, tuple) and len(result) == 2, f"pca(X, 1) returned {result!r}, expected (mean, components)"
    mean, components = result
    same_device_and_dtype(mean, X, "pca's mean")
    same_device_and_dtype(components, X, "pca's components")
    assert tuple(mean.shape) == (2,) and tuple(components.shape) == (1, 2), (
        f"pca(X, 1) gave shapes {tuple(mean.shape)} and {tuple(components.shape)}, expected (2,) and (1, 2)"
    )
    assert torch.allclose(mean, torch.zeros(2, device=X.device), atol=1e-6), tidy(f"mean {mean}, expected [0, 0]")
    direction = torch.tensor([1.0, 1.0], device=X.device) / 2**0.5
    cosine = float((components[0] @ direction).abs())
    assert abs(cosine - 1) < 1e-5, (
        tidy(f"pca(X, 1) returned the component {components[0].tolist()}, expected +-[0.7071, 0.7071] "
        "(the direction of largest variance, unit length)")
    )


@test_case(points=3, hidden=True)
def agrees_with_an_eigendecomposition(pca):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(pca=pca)
    dev = device()

    @prop(30)
    @given(st.integers(1, 7), st.data(), st.sampled_from([torch.float32, torch.float64]), st.integers(0, 2**31 - 1))
    def check(d, data, dtype, seed):
        k = data.draw(st.integers(1, d), label="k")
        n = data.draw(st.integers(3 * d + 5, 6 * d + 20), label="n")
        X = _spread_data(seed, n, d, dtype, dev)
        original = X.clone()
        mean, components = pca(X, k)
        assert torch.equal(X, original), "pca(X, k) changed X; it must not modify its input"
        same_device_and_dtype(mean, X, "pca's mean")
        same_device_and_dtype(components, X, "pca's components")
        assert tuple(mean.shape) == (d,), f"pca(X, {k}) with X {tuple(X.shape)}: mean shape {tuple(mean.shape)}"
        assert tuple(components.shape) == (k, d), (
            f"pca(X, {k}) with X {tuple(X.shape)}: components shape {tuple(components.shape)}, expected ({k}, {d})"
        )
        X64 = X.double()
        expected_mean = X64.mean(dim=0)
        centred = X64 - expected_mean
        cov = centred.T @ centred / n
        eigenvalues = torch.linalg.eigvalsh(cov).flip(0)[:k]
        C = components.double()
        tol = 2e-4 if dtype == torch.float32 else 1e-9
        scale = float(eigenvalues[0])
        err = float((mean.double() - expected_mean).abs().max())
        assert err < tol * (1 + float(expected_mean.abs().max())), f"mean is off by {err} from X.mean(0)"
        gram = C @ C.T
        err = float((gram - torch.eye(k, dtype=torch.float64, device=dev)).abs().max())
        assert err < tol * 10, f"components @ components.T differs from the identity by {err}: rows must be orthonormal"
        spread = C @ cov @ C.T
        expected = torch.diag(eigenvalues)
        err = float((spread - expected).abs().max())
        assert err < tol * 10 * scale, (
            f"components @ Cov @ components.T = {spread.diag().tolist()} (diagonal), expected the diagonal "
            f"matrix of the top-{k} eigenvalues {eigenvalues.tolist()} of the ddof-0 covariance, largest "
            f"first (max error {err:.3g})"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def same_subspace_for_shifted_or_shuffled_data(pca):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(pca=pca)
    dev = device()

    @prop(15)
    @given(st.integers(2, 6), st.data(), st.integers(0, 2**31 - 1))
    def check(d, data, seed):
        k = data.draw(st.integers(1, d - 1), label="k")
        X = _spread_data(seed, 4 * d + 10, d, torch.float64, dev)
        g = torch.Generator().manual_seed(seed + 1)
        shift = (5 * torch.randn(d, generator=g, dtype=torch.float64)).to(dev)
        perm = torch.randperm(X.shape[0], generator=g).to(dev)
        mean, C = pca(X, k)
        for what, other in (("X + c", X + shift), ("X with shuffled rows", X[perm])):
            mean2, C2 = pca(other, k)
            expected_mean = mean + shift if what == "X + c" else mean
            assert torch.allclose(mean2, expected_mean, atol=1e-8), f"pca({what}) mean {mean2}, expected {expected_mean}"
            cosines = (C * C2).sum(dim=1).abs()
            assert bool((cosines > 1 - 1e-6).all()), (
                f"pca({what}, {k}) should give the same components as pca(X, {k}) up to sign; "
                f"|cosines| between matching rows {cosines.tolist()}"
            )

    run_property(check)


@test_case(points=1, hidden=True)
def k_zero_and_a_single_sample(pca):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(pca=pca)
    dev = device()

    @prop(10)
    @given(st.integers(1, 6), st.data(), st.sampled_from([torch.float32, torch.float64]), st.integers(0, 2**31 - 1))
    def check(d, data, dtype, seed):
        X = _spread_data(seed, 3 * d + 5, d, dtype, dev)
        tol = 1e-5 if dtype == torch.float32 else 1e-12
        # k = 0 keeps no direction: an empty (0, d) set of components, and the mean.
        mean, components = pca(X, 0)
        same_device_and_dtype(components, X, "pca(X, 0)'s components")
        assert tuple(components.shape) == (0, d), (
            f"pca(X of shape {tuple(X.shape)}, 0) returned components of shape {tuple(components.shape)}, "
            f"expected (0, {d})"
        )
        expected_mean = X.double().mean(dim=0)
        assert torch.allclose(mean.double(), expected_mean, atol=tol * (1 + float(expected_mean.abs().max()))), (
            f"pca(X, 0) returned the mean {mean.tolist()}, expected {expected_mean.tolist()}"
        )
        # One sample (n = 1): its ddof-0 covariance is 0, so any orthonormal rows are components.
        k = data.draw(st.integers(0, d), label="k")
        x = X[:1]
        mean, components = pca(x, k)
        same_device_and_dtype(mean, x, "pca(one sample, k)'s mean")
        same_device_and_dtype(components, x, "pca(one sample, k)'s components")
        assert tuple(mean.shape) == (d,) and torch.allclose(mean, x[0], atol=tol * (1 + float(x.abs().max()))), (
            f"pca(x of shape (1, {d}), {k}) returned the mean {mean.tolist()}, expected the sample {x[0].tolist()}"
        )
        assert tuple(components.shape) == (k, d), (
            f"pca(x of shape (1, {d}), {k}) returned components of shape {tuple(components.shape)}, expected ({k}, {d})"
        )
        C = components.double()
        err = float((C @ C.T - torch.eye(k, dtype=torch.float64, device=dev)).abs().max()) if k else 0.0
        assert err < 1e-4, f"pca(one sample, {k}): the rows of the components are not orthonormal (error {err})"

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_bad_input(pca):
    import torch

    from dl541_testing import require

    require(pca=pca)
    X = torch.randn(10, 3, generator=torch.Generator().manual_seed(0))
    cases = [((X, 4), "k = 4 > d = 3"), ((X, -1), "k = -1"), ((X[0], 1), "a 1-D X"), ((X[:0], 1), "an empty X (n = 0)")]
    for args, what in cases:
        try:
            pca(*args)
        except ValueError:
            continue
        raise AssertionError(f"pca with {what} should raise ValueError")
