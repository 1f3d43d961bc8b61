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
    assert isinstance(value, (float, int)) and not isinstance(value, bool), tidy(
        f"{call} returned {value!r}, expected a float"
    )
    return float(value)


@test_case(points=1, hidden=False)
def lecture_example(pca_reconstruction_mse):
    """core: four points with covariance eigenvalues 4 and 1: the error is the discarded eigenvalue.

    the mean over samples of $\\lVert x - \\hat x \\rVert^2$ (a sum over the $d$
    features, averaged over the $n$ samples)

    pca_reconstruction_mse(X, k) -> float — mean over samples of ||x - x_hat||**2 for the
    projection onto the top-k subspace: the sum of the d - k smallest eigenvalues.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(pca_reconstruction_mse=pca_reconstruction_mse)
    X = torch.tensor([[2.0, 2.0], [-2.0, -2.0], [1.0, -1.0], [-1.0, 1.0]], device=device()) + 3
    for k, expected in [(1, 1.0), (0, 5.0)]:
        got = _as_float(pca_reconstruction_mse(X, k), f"pca_reconstruction_mse(X, {k})")
        assert abs(got - expected) < 1e-5, tidy(
            f"pca_reconstruction_mse(X, {k}) with X = {X.tolist()} returned {got}, expected {expected}: the "
            "covariance has the eigenvalues 4 and 1, and the error is the sum of the discarded ones"
        )


@test_case(points=3, hidden=True)
def equals_the_discarded_eigenvalues(pca_reconstruction_mse):
    """core: on random data the error is the sum of the d - k smallest eigenvalues.

    pca_reconstruction_mse(X, k) -> float — mean over samples of ||x - x_hat||**2 for the
    projection onto the top-k subspace: the sum of the d - k smallest eigenvalues.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(pca_reconstruction_mse=pca_reconstruction_mse)
    dev = device()

    @for_all(
        st.integers(2, 7), st.data(), st.sampled_from([torch.float32, torch.float64]), seeds(), examples=30
    )
    def check(d, data, dtype, seed):
        k = data.draw(st.integers(1, d - 1), label="k")
        n = data.draw(st.integers(d + 2, 6 * d + 20), label="n")
        X = _spread_data(seed, n, d, dtype, dev)
        call = f"pca_reconstruction_mse(X of shape {tuple(X.shape)}, {k})"
        got = _as_float(pca_reconstruction_mse(X.clone(), k), call)
        centred = X.double() - X.double().mean(dim=0)
        eigenvalues = torch.linalg.eigvalsh(centred.T @ centred / n)  # ascending
        expected = float(eigenvalues[: d - k].sum())
        total = float(eigenvalues.sum())
        tol = (1e-5 if dtype == torch.float32 else 1e-10) * total
        assert abs(got - expected) <= tol, (
            f"{call} returned {got}, expected {expected}: the sum of the {d - k} smallest eigenvalues of the "
            f"ddof-0 covariance (total variance {total})"
        )


@test_case(points=2, hidden=True)
def no_rank_k_map_does_better(pca_reconstruction_mse):
    """core: the error falls with k, the projection on the top-k eigenvectors attains it, and no random rank-k map does better.

    no map $x \\mapsto \\hat x$ of rank $k$ does better.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(pca_reconstruction_mse=pca_reconstruction_mse)
    dev = device()

    @for_all(st.integers(2, 6), st.data(), seeds(), examples=20)
    def check(d, data, seed):
        k = data.draw(st.integers(1, d - 1), label="k")
        X = _spread_data(seed, 5 * d + 10, d, torch.float64, dev)
        best = _as_float(pca_reconstruction_mse(X.clone(), k), f"pca_reconstruction_mse(X, {k})")
        errors = [
            _as_float(pca_reconstruction_mse(X.clone(), j), f"pca_reconstruction_mse(X, {j})")
            for j in range(1, d)
        ]
        assert all(a >= b - 1e-9 for a, b in zip(errors, errors[1:])), (
            f"pca_reconstruction_mse(X, k) grew with k; for k = 1..{d - 1} it returned {errors}"
        )
        mean = X.mean(dim=0)
        top = torch.linalg.eigh((X - mean).T @ (X - mean) / X.shape[0])[1][:, -k:]  # (d, k)
        attained = float((((X - mean) - (X - mean) @ top @ top.T) ** 2).sum(dim=1).mean())
        assert abs(attained - best) <= 1e-9 * (1 + attained), (
            f"pca_reconstruction_mse(X, {k}) returned {best}, but projecting onto the top-{k} eigenvectors "
            f"reconstructs X with the error {attained}"
        )
        g = torch.Generator().manual_seed(seed + 1)
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
                    f"a random rank-{k} map reconstructs X with the error {error}, below "
                    f"pca_reconstruction_mse(X, {k}) = {best}, which must be the optimum"
                )


@test_case(points=0.5, hidden=True)
def keeping_nothing_or_everything(pca_reconstruction_mse):
    """edge: k = 0 gives the total variance and k = d gives 0.

    k = 0 keeps nothing (the error is the total variance) and
    k = d keeps everything (the error is 0)
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(pca_reconstruction_mse=pca_reconstruction_mse)
    dev = device()

    @for_all(st.integers(1, 6), seeds(), examples=8)
    def check(d, seed):
        X = _spread_data(seed, 3 * d + 5, d, torch.float64, dev)
        total = float(((X - X.mean(dim=0)) ** 2).sum(dim=1).mean())
        for k, expected in ((0, total), (d, 0.0)):
            got = _as_float(pca_reconstruction_mse(X.clone(), k), f"pca_reconstruction_mse(X, {k})")
            assert abs(got - expected) <= 1e-9 * (1 + total), (
                f"pca_reconstruction_mse(X of shape {tuple(X.shape)}, {k}) returned {got}, expected {expected}"
            )


@test_case(points=0.5, hidden=True)
def leaves_its_input_unchanged(pca_reconstruction_mse):
    """contract: pca_reconstruction_mse does not modify X.

    Rules: X must not be modified
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(pca_reconstruction_mse=pca_reconstruction_mse)
    dev = device()

    @for_all(
        st.integers(1, 6), st.data(), st.sampled_from([torch.float64, torch.float32]), seeds(), examples=8
    )
    def check(d, data, dtype, seed):
        k = data.draw(st.integers(0, d), label="k")
        X = _spread_data(seed, 3 * d + 5, d, dtype, dev)
        original = X.clone()
        pca_reconstruction_mse(X, k)
        assert torch.equal(X, original), (
            f"pca_reconstruction_mse(X of shape {tuple(X.shape)} and dtype {dtype}, {k}) changed X"
        )


@test_case(points=1, hidden=True)
def rejects_bad_input(pca_reconstruction_mse):
    """validation: a 1-D X or k outside 0..d raises ValueError.

    bad X or k raises ValueError, as in Question 1.
    """
    import torch

    from dl541_testing import device, require

    require(pca_reconstruction_mse=pca_reconstruction_mse)
    X = torch.randn(10, 3, generator=torch.Generator().manual_seed(0)).to(device())
    for args, what in [((X, 4), "k = 4 > d = 3"), ((X, -1), "k = -1"), ((X[0], 1), "a 1-D X")]:
        try:
            pca_reconstruction_mse(*args)
        except ValueError:
            continue
        raise AssertionError(f"pca_reconstruction_mse with {what} returned without raising ValueError")
