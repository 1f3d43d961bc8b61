from helpers import _spread_data
from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


def _lecture_data(dev, dtype=None):
    """Four points along the diagonals: covariance eigenvalues 4 along (1, 1) and 1 along (1, -1)."""
    import torch

    dtype = dtype or torch.float32
    return torch.tensor([[2.0, 2.0], [-2.0, -2.0], [1.0, -1.0], [-1.0, 1.0]], dtype=dtype, device=dev)


def _pair(result, call):
    import torch

    from dl541_testing import tidy

    assert isinstance(result, tuple) and len(result) == 2, tidy(
        f"{call} returned {result!r}, expected (mean, components)"
    )
    mean, components = result
    for what, value in (("mean", mean), ("components", components)):
        assert isinstance(value, torch.Tensor), (
            f"{call} returned a {what} of type {type(value).__name__}, expected a tensor"
        )
    return mean, components


@test_case(points=1, hidden=False)
def lecture_example(pca):
    """core: the top component of four points on the diagonals is the direction of largest variance.

    components of shape (k, d) whose rows are $u_1^\\top, \\dots, u_k^\\top$, largest eigenvalue first.

    each row may be $u_j^\\top$ or $-u_j^\\top$, and the tests accept either sign.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(pca=pca)
    X = _lecture_data(device())
    for k in (1, 2):
        mean, components = _pair(pca(X, k), f"pca(X, {k})")
        assert tuple(mean.shape) == (2,) and tuple(components.shape) == (k, 2), (
            f"pca(X, {k}) with X = {X.tolist()} gave shapes {tuple(mean.shape)} and {tuple(components.shape)}, "
            f"expected (2,) and ({k}, 2)"
        )
        assert torch.allclose(mean.double().cpu(), torch.zeros(2, dtype=torch.float64), atol=1e-6), tidy(
            f"pca(X, {k}) with X = {X.tolist()} returned the mean {mean.tolist()}, expected [0, 0]"
        )
        expected = torch.tensor([[1.0, 1.0], [1.0, -1.0]], dtype=torch.float64)[:k] / 2**0.5
        cosines = (components.double().cpu() * expected).sum(dim=1).abs()
        assert bool((cosines > 1 - 1e-5).all()), tidy(
            f"pca(X, {k}) with X = {X.tolist()} returned the components {components.tolist()}, expected the rows "
            f"+-{expected.tolist()} (unit eigenvectors of the covariance, largest eigenvalue first)"
        )


@test_case(points=1, hidden=False)
def shifted_lecture_example(pca):
    """core: moving the four points by c moves the mean by c and leaves the components alone.

    With the mean $\\mu = \\frac1n \\sum_i x_i$ and the covariance
    $\\Sigma = \\frac1n \\sum_i (x_i - \\mu)(x_i - \\mu)^\\top$ (population, ddof = 0)
    """
    import torch

    from dl541_testing import device, require, tidy

    require(pca=pca)
    shift = torch.tensor([5.0, -5.0], device=device())
    X = _lecture_data(device()) + shift
    mean, components = _pair(pca(X, 1), "pca(X, 1)")
    assert tuple(mean.shape) == (2,) and torch.allclose(
        mean.double().cpu(), shift.double().cpu(), atol=1e-5
    ), tidy(f"pca(X, 1) with X = {X.tolist()} returned the mean {mean.tolist()}, expected [5, -5]")
    assert tuple(components.shape) == (1, 2), (
        f"pca(X, 1) with X = {X.tolist()} returned components of shape {tuple(components.shape)}, expected (1, 2)"
    )
    cosine = (
        float((components[0].double().cpu() @ torch.tensor([1.0, 1.0], dtype=torch.float64)).abs()) / 2**0.5
    )
    assert abs(cosine - 1) < 1e-5, tidy(
        f"pca(X, 1) with X = {X.tolist()} returned the component {components[0].tolist()}, expected "
        "+-[0.7071, 0.7071], the top eigenvector of the covariance of the centred data"
    )


@test_case(points=0.5, hidden=False)
def keeps_the_dtype(pca):
    """dtype: the mean and the components come back in X's dtype and on its device.

    mean and components are returned in X's dtype and on its device.
    """
    import torch

    from dl541_testing import device, require, same_device_and_dtype

    require(pca=pca)
    for dtype in (torch.float32, torch.float64):
        X = _lecture_data(device(), dtype)
        mean, components = _pair(pca(X, 1), f"pca(X, 1) with X of dtype {dtype}")
        same_device_and_dtype(mean, X, f"pca(X, 1)'s mean for X of dtype {dtype}")
        same_device_and_dtype(components, X, f"pca(X, 1)'s components for X of dtype {dtype}")


@test_case(points=1, hidden=False)
def leaves_X_unchanged(pca):
    """contract: pca does not modify X, in float32 or float64.

    X must not be modified, not even by centring it in place.
    """
    import torch

    from dl541_testing import device, require

    require(pca=pca)
    for dtype in (torch.float64, torch.float32):
        X = _lecture_data(device(), dtype) + 3
        original = X.clone()
        pca(X, 1)
        assert torch.equal(X, original), (
            f"pca(X, 1) with X = {original.tolist()} ({dtype}) changed X to {X.tolist()}; X must not be modified"
        )


@test_case(points=4, hidden=True)
def agrees_with_an_eigendecomposition(pca):
    """core: mean, orthonormal rows and the top-k eigenvalues on random data with distinct variances.

    With the mean $\\mu = \\frac1n \\sum_i x_i$ and the covariance
    $\\Sigma = \\frac1n \\sum_i (x_i - \\mu)(x_i - \\mu)^\\top$ (population, ddof = 0)

    components of shape (k, d) whose rows are $u_1^\\top, \\dots, u_k^\\top$, largest eigenvalue first.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(pca=pca)
    dev = device()

    @for_all(
        st.integers(1, 7), st.data(), st.sampled_from([torch.float32, torch.float64]), seeds(), examples=30
    )
    def check(d, data, dtype, seed):
        k = data.draw(st.integers(1, d), label="k")
        n = data.draw(st.integers(3 * d + 5, 6 * d + 20), label="n")
        X = _spread_data(seed, n, d, dtype, dev)
        call = f"pca(X of shape {tuple(X.shape)}, {k})"
        mean, components = _pair(pca(X.clone(), k), call)
        assert tuple(mean.shape) == (d,), (
            f"{call} returned a mean of shape {tuple(mean.shape)}, expected ({d},)"
        )
        assert tuple(components.shape) == (k, d), (
            f"{call} returned components of shape {tuple(components.shape)}, expected ({k}, {d})"
        )
        X64 = X.double()
        expected_mean = X64.mean(dim=0)
        centred = X64 - expected_mean
        cov = centred.T @ centred / n
        eigenvalues = torch.linalg.eigvalsh(cov).flip(0)[:k]
        C = components.double().to(dev)
        tol = 2e-4 if dtype == torch.float32 else 1e-9
        scale = float(eigenvalues[0])
        err = float((mean.double().to(dev) - expected_mean).abs().max())
        assert err < tol * (1 + float(expected_mean.abs().max())), (
            f"{call} returned a mean {err} away from X.mean(0)"
        )
        gram = C @ C.T
        err = float((gram - torch.eye(k, dtype=torch.float64, device=dev)).abs().max())
        assert err < tol * 10, (
            f"{call}: components @ components.T differs from the identity by {err}, rows not orthonormal"
        )
        spread = C @ cov @ C.T
        err = float((spread - torch.diag(eigenvalues)).abs().max())
        assert err < tol * 10 * scale, (
            f"{call}: components @ Cov @ components.T has the diagonal {spread.diag().tolist()}, expected the "
            f"diagonal matrix of the top-{k} eigenvalues {eigenvalues.tolist()} of the ddof-0 covariance, largest "
            f"first (max error {err})"
        )


@test_case(points=1, hidden=True)
def same_subspace_for_shifted_or_shuffled_data(pca):
    """core: shifting X moves only the mean; shuffling its rows changes nothing (up to sign).

    each row may be $u_j^\\top$ or $-u_j^\\top$, and the tests accept either sign.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(pca=pca)
    dev = device()

    @for_all(st.integers(2, 6), st.data(), seeds(), examples=15)
    def check(d, data, seed):
        k = data.draw(st.integers(1, d - 1), label="k")
        X = _spread_data(seed, 4 * d + 10, d, torch.float64, dev)
        g = torch.Generator().manual_seed(seed + 1)
        shift = (5 * torch.randn(d, generator=g, dtype=torch.float64)).to(dev)
        perm = torch.randperm(X.shape[0], generator=g).to(dev)
        mean, C = _pair(pca(X.clone(), k), f"pca(X, {k})")
        for what, other in (("X + c", X + shift), ("X with shuffled rows", X[perm])):
            mean2, C2 = _pair(pca(other, k), f"pca({what}, {k})")
            expected_mean = mean + shift if what == "X + c" else mean
            assert mean2.shape == expected_mean.shape and torch.allclose(mean2, expected_mean, atol=1e-8), (
                f"pca({what}, {k}) returned the mean {mean2.tolist()}, expected {expected_mean.tolist()}"
            )
            assert C2.shape == C.shape, f"pca({what}, {k}) returned components of shape {tuple(C2.shape)}"
            cosines = (C * C2).sum(dim=1).abs()
            assert bool((cosines > 1 - 1e-6).all()), (
                f"pca({what}, {k}) should give the components of pca(X, {k}) up to sign; "
                f"|cosines| between matching rows {cosines.tolist()}"
            )


@test_case(points=1, hidden=True)
def mutates_nothing_on_random_data(pca):
    """contract: pca leaves X as it was, for random X of either dtype.

    X must not be modified, not even by centring it in place.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(pca=pca)
    dev = device()

    @for_all(
        st.integers(1, 6), st.data(), st.sampled_from([torch.float64, torch.float32]), seeds(), examples=10
    )
    def check(d, data, dtype, seed):
        k = data.draw(st.integers(0, d), label="k")
        X = _spread_data(seed, 3 * d + 5, d, dtype, dev)
        original = X.clone()
        pca(X, k)
        assert torch.equal(X, original), f"pca(X of shape {tuple(X.shape)} and dtype {dtype}, {k}) changed X"


@test_case(points=0.5, hidden=True)
def k_zero(pca):
    """edge: k = 0 gives a (0, d) tensor of components and the mean.

    k = 0 returns components of shape (0, d).
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(pca=pca)
    dev = device()

    @for_all(st.integers(1, 6), st.sampled_from([torch.float32, torch.float64]), seeds(), examples=8)
    def check(d, dtype, seed):
        X = _spread_data(seed, 3 * d + 5, d, dtype, dev)
        tol = 1e-5 if dtype == torch.float32 else 1e-12
        mean, components = _pair(pca(X.clone(), 0), f"pca(X of shape {tuple(X.shape)}, 0)")
        assert tuple(components.shape) == (0, d), (
            f"pca(X of shape {tuple(X.shape)}, 0) returned components of shape {tuple(components.shape)}, "
            f"expected (0, {d})"
        )
        expected_mean = X.double().mean(dim=0)
        assert tuple(mean.shape) == (d,) and torch.allclose(
            mean.double().to(dev), expected_mean, atol=tol * (1 + float(expected_mean.abs().max()))
        ), f"pca(X, 0) returned the mean {mean.tolist()}, expected {expected_mean.tolist()}"


@test_case(points=0.5, hidden=True)
def a_single_sample(pca):
    """edge: one sample: its mean is the sample, and any k orthonormal rows are components.

    A single sample (n = 1) has covariance $0$, so any k orthonormal rows are correct
    components for it.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(pca=pca)
    dev = device()

    @for_all(
        st.integers(1, 6), st.data(), st.sampled_from([torch.float32, torch.float64]), seeds(), examples=8
    )
    def check(d, data, dtype, seed):
        k = data.draw(st.integers(0, d), label="k")
        x = _spread_data(seed, 1, d, dtype, dev)
        tol = 1e-5 if dtype == torch.float32 else 1e-12
        call = f"pca(x of shape (1, {d}), {k})"
        mean, components = _pair(pca(x.clone(), k), call)
        assert tuple(mean.shape) == (d,) and torch.allclose(
            mean.double().to(dev), x[0].double(), atol=tol * (1 + float(x.abs().max()))
        ), f"{call} returned the mean {mean.tolist()}, expected the sample {x[0].tolist()}"
        assert tuple(components.shape) == (k, d), (
            f"{call} returned components of shape {tuple(components.shape)}, expected ({k}, {d})"
        )
        C = components.double().to(dev)
        err = float((C @ C.T - torch.eye(k, dtype=torch.float64, device=dev)).abs().max()) if k else 0.0
        assert err < 1e-4, f"{call}: the rows of the components are not orthonormal (error {err})"


@test_case(points=1, hidden=True)
def rejects_bad_input(pca):
    """validation: a 1-D or empty X, or k outside 0..d, raises ValueError.

    X that is not 2-D or is empty, or k outside $0, \\dots, d$, raises ValueError.
    """
    import torch

    from dl541_testing import device, require

    require(pca=pca)
    X = torch.randn(10, 3, generator=torch.Generator().manual_seed(0)).to(device())
    cases = [
        ((X, 4), "k = 4 > d = 3"),
        ((X, -1), "k = -1"),
        ((X[0], 1), "a 1-D X"),
        ((X[:0], 1), "an empty X (n = 0)"),
    ]
    for args, what in cases:
        try:
            pca(*args)
        except ValueError:
            continue
        raise AssertionError(f"pca with {what} returned without raising ValueError")
