from helpers import _spread_data
from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
points = None


def _as_float(value, call):
    import torch

    from dl541_testing import tidy

    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    assert isinstance(value, (float, int)) and not isinstance(value, bool), (
        tidy(f"{call} returned {value!r}, expected a float")
    )
    return float(value)


@test_case(points=1, hidden=False)
def lecture_example(pca_reconstruction_mse):
    import torch

    from dl541_testing import device, require, tidy

    require(pca_reconstruction_mse=pca_reconstruction_mse)
    X = torch.tensor([[2.0, 2.0], [-2.0, -2.0], [1.0, -1.0], [-1.0, 1.0]], device=device())
    for k, expected in [(1, 1.0), (2, 0.0)]:
        got = _as_float(pca_reconstruction_mse(X, k), f"pca_reconstruction_mse(X, {k})")
        assert abs(got - expected) < 1e-5, (
            tidy(f"pca_reconstruction_mse(X, {k}) returned {got}, expected {expected}: the covariance has "
            "eigenvalues 4 and 1, and the error is the sum of the discarded ones")
        )


@test_case(points=2, hidden=True)
def equals_the_discarded_eigenvalues(pca_reconstruction_mse):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(pca_reconstruction_mse=pca_reconstruction_mse)
    dev = device()

    @prop(30)
    @given(st.integers(1, 7), st.data(), st.sampled_from([torch.float32, torch.float64]), st.integers(0, 2**31 - 1))
    def check(d, data, dtype, seed):
        k = data.draw(st.integers(0, d), label="k")
        n = data.draw(st.integers(d + 2, 6 * d + 20), label="n")
        X = _spread_data(seed, n, d, dtype, dev)
        original = X.clone()
        got = _as_float(pca_reconstruction_mse(X, k), f"pca_reconstruction_mse(X of shape {tuple(X.shape)}, {k})")
        assert torch.equal(X, original), "pca_reconstruction_mse changed X; it must not modify its input"
        centred = X.double() - X.double().mean(dim=0)
        eigenvalues = torch.linalg.eigvalsh(centred.T @ centred / n)  # ascending
        expected = float(eigenvalues[: d - k].sum())
        total = float(eigenvalues.sum())
        tol = (1e-5 if dtype == torch.float32 else 1e-10) * total
        assert abs(got - expected) <= tol, (
            f"pca_reconstruction_mse(X of shape {tuple(X.shape)}, {k}) returned {got}, expected {expected}: "
            f"the sum of the {d - k} smallest eigenvalues of the ddof-0 covariance (total variance {total:.4g})"
        )

    run_property(check)


@test_case(points=2, hidden=True)
def no_rank_k_map_does_better(pca_reconstruction_mse):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(pca_reconstruction_mse=pca_reconstruction_mse)
    dev = device()

    @prop(20)
    @given(st.integers(2, 6), st.data(), st.integers(0, 2**31 - 1))
    def check(d, data, seed):
        k = data.draw(st.integers(1, d - 1), label="k")
        X = _spread_data(seed, 5 * d + 10, d, torch.float64, dev)
        best = _as_float(pca_reconstruction_mse(X, k), f"pca_reconstruction_mse(X, {k})")
        errors = [_as_float(pca_reconstruction_mse(X, j), f"pca_reconstruction_mse(X, {j})") for j in range(1, d + 1)]
        assert all(a >= b - 1e-9 for a, b in zip(errors, errors[1:])), (
            f"the error cannot grow with k; for k = 1..{d} got {errors}"
        )
        assert abs(errors[-1]) < 1e-9, f"pca_reconstruction_mse(X, d) returned {errors[-1]}, expected 0"
        g = torch.Generator().manual_seed(seed + 1)
        mean = X.mean(dim=0)
        for _ in range(5):
            # A random affine map of rank k: x -> (x - c) U V^T + c'.
            U = torch.randn(d, k, generator=g, dtype=torch.float64).to(dev)
            V = torch.randn(d, k, generator=g, dtype=torch.float64).to(dev)
            c = (mean.cpu() + 0.3 * torch.randn(d, generator=g, dtype=torch.float64)).to(dev)
            # The best such map with U V^T an orthogonal projection onto span(V): project around the mean.
            Q, _ = torch.linalg.qr(V)
            for recon in ((X - c) @ U @ V.T + c, (X - mean) @ Q @ Q.T + mean):
                error = float(((X - recon) ** 2).sum(dim=1).mean())
                assert error >= best - 1e-9 * (1 + best), (
                    f"a random rank-{k} map reconstructs with error {error}, below "
                    f"pca_reconstruction_mse(X, {k}) = {best}; PCA must be optimal"
                )

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_bad_input(pca_reconstruction_mse):
    import torch

    from dl541_testing import require

    require(pca_reconstruction_mse=pca_reconstruction_mse)
    X = torch.randn(10, 3, generator=torch.Generator().manual_seed(0))
    for args, what in [((X, 4), "k = 4 > d = 3"), ((X, -1), "k = -1"), ((X[0], 1), "a 1-D X")]:
        try:
            pca_reconstruction_mse(*args)
        except ValueError:
            continue
        raise AssertionError(f"pca_reconstruction_mse with {what} should raise ValueError")
