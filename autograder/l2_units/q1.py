from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


def _independent_ridge(X, y, lam):
    """Ridge through the SVD of X: w = V diag(s / (s^2 + n lam / 2)) U^T y, in float64."""
    import torch

    X64, y64 = X.double(), y.double()
    n = X64.shape[0]
    U, s, Vh = torch.linalg.svd(X64, full_matrices=False)
    keep = s > s.max() * 1e-12
    shrink = torch.where(keep, s / (s**2 + n * lam / 2), torch.zeros_like(s))
    return Vh.T @ (shrink * (U.T @ y64))


def _objective(X, y, w, lam):
    return float(((X @ w - y) ** 2).mean() + lam / 2 * (w**2).sum())


def _data():
    """(d, n - d, seed): at least one feature and at least as many days as features."""
    from hypothesis import strategies as st

    return st.tuples(st.integers(1, 4), st.integers(0, 8), st.integers(0, 2**31 - 1))


@test_case(points=1, hidden=False)
def lecture_examples(ridge_fit):
    """core: two hand-computed minimisers of mean((X @ w - y)**2) + lam / 2 * ||w||**2.

    the w minimising mean((X @ w - y)**2) + lam / 2 * ||w||**2
    """
    import torch

    from dl541_testing import device, require, tidy

    require(ridge_fit=ridge_fit)
    dev = device()
    # mean((w - 2)^2) + lam / 2 * w^2 is minimal where 2 (w - 2) + lam w = 0: w = 4 / (2 + lam) = 1 for lam = 2
    X = torch.ones(2, 1, dtype=torch.float64, device=dev)
    y = torch.tensor([2.0, 2.0], dtype=torch.float64, device=dev)
    w = ridge_fit(X, y, 2.0)
    assert isinstance(w, torch.Tensor) and w.shape == (1,), (
        f"ridge_fit(X of shape (2, 1), y, 2.0) returned {w!r}, expected a tensor of shape (1,)"
    )
    assert abs(float(w[0]) - 1.0) < 1e-9, tidy(f"ridge_fit([[1], [1]], [2, 2], lam=2) returned {w.tolist()}, expected [1.0]")
    # X^T X / n = I / 2, so (I / 2 + lam / 2 I) w = X^T y / n = [1, 2]: w = [1, 2] for lam = 1
    X = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]], dtype=torch.float64, device=dev)
    y = torch.tensor([2.0, 4.0, 2.0, 4.0], dtype=torch.float64, device=dev)
    w = ridge_fit(X, y, 1.0)
    assert isinstance(w, torch.Tensor) and w.shape == (2,) and torch.allclose(
        w, torch.tensor([1.0, 2.0], dtype=torch.float64, device=dev), atol=1e-9
    ), tidy(
        f"ridge_fit([[1, 0], [0, 1], [1, 0], [0, 1]], [2, 4, 2, 4], lam=1) returned {w!r}, expected [1.0, 2.0], "
        "the solution of (X^T X / n + lam / 2 I) w = X^T y / n"
    )


@test_case(points=1, hidden=False)
def lam_zero_fits_exactly(ridge_fit):
    """edge: lam = 0 is least squares, an exact fit when y = X w.

    With `lam = 0` return the least-squares solution
    """
    import torch

    from dl541_testing import device, require, tidy

    require(ridge_fit=ridge_fit)
    dev = device()
    X = torch.tensor([[10.0, 3.0], [20.0, 5.0], [15.0, 8.0], [5.0, 2.0]], dtype=torch.float64, device=dev)
    w_true = torch.tensor([0.9, -0.2], dtype=torch.float64, device=dev)
    w = ridge_fit(X, X @ w_true, 0.0)
    assert isinstance(w, torch.Tensor) and w.shape == (2,) and torch.allclose(w, w_true, atol=1e-9), (
        tidy(f"ridge_fit(X, X @ [0.9, -0.2], lam=0) returned {w!r}, expected [0.9, -0.2] (an exact fit)")
    )


@test_case(points=1, hidden=False)
def float32_in_float32_out(ridge_fit):
    """dtype: float32 data give a float32 w on the data's device.

    return `w` in `X`'s dtype on `X`'s device
    """
    import torch

    from dl541_testing import device, require, same_device_and_dtype

    require(ridge_fit=ridge_fit)
    X = torch.tensor([[1.0, 2.0], [3.0, 1.0], [0.0, 1.0]], device=device())
    w = ridge_fit(X, torch.tensor([1.0, 2.0, 3.0], device=device()), 0.5)
    same_device_and_dtype(w, X, "ridge_fit(float32 X of shape (3, 2), float32 y, 0.5)")


@test_case(points=1, hidden=False)
def solves_in_float64(ridge_fit):
    """core: float32 data with nearly collinear columns are solved in float64.

    Solve in float64 even when `X` is float32
    """
    import torch

    from dl541_testing import device, require, tidy

    require(ridge_fit=ridge_fit)
    dev = device()
    t = torch.arange(8, dtype=torch.float64)
    wiggle = 1e-3 * torch.tensor([1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0], dtype=torch.float64)
    X = torch.stack([t, t + wiggle, torch.ones(8, dtype=torch.float64)], dim=1)
    y = X @ torch.tensor([1.0, -0.5, 2.0], dtype=torch.float64)
    X32, y32 = X.float().to(dev), y.float().to(dev)
    w = ridge_fit(X32, y32, 1e-7)
    expected = _independent_ridge(X32, y32, 1e-7).float()
    assert isinstance(w, torch.Tensor) and w.shape == (3,) and torch.allclose(
        w.float(), expected, rtol=1e-3, atol=1e-4
    ), tidy(
        f"ridge_fit(float32 X with two nearly collinear columns, y, lam=1e-7) returned {w!r}, "
        f"expected {expected.tolist()} (the float64 solution)"
    )


@test_case(points=4, hidden=True)
def solves_the_normal_equations(ridge_fit):
    """core: w solves (X^T X / n + lam / 2 I) w = X^T y / n on random data, lam > 0.

    the w minimising mean((X @ w - y)**2) + lam / 2 * ||w||**2

    return `w` in `X`'s dtype on `X`'s device
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, same_device_and_dtype

    require(ridge_fit=ridge_fit)
    dev = device()

    @for_all(_data(), st.floats(-3, 2), st.sampled_from([torch.float32, torch.float64]), examples=30)
    def check(data, log_lam, dtype):
        d, extra, seed = data
        n = d + extra
        g = torch.Generator().manual_seed(seed)
        X = torch.randn(n, d, generator=g, dtype=torch.float64) * 10.0 ** torch.empty(d).uniform_(-1, 1, generator=g)
        y = torch.randn(n, generator=g, dtype=torch.float64)
        X, y = X.to(device=dev, dtype=dtype), y.to(device=dev, dtype=dtype)
        lam = 10.0**log_lam
        w = ridge_fit(X, y, lam)
        call = f"ridge_fit(X of shape ({n}, {d}), y, lam={lam:.3g}) in {dtype}"
        same_device_and_dtype(w, X, call)
        assert w.shape == (d,), f"{call} has shape {tuple(w.shape)}, expected ({d},)"
        expected = _independent_ridge(X, y, lam)
        X64, y64 = X.double(), y.double()
        A = X64.T @ X64 / n + lam / 2 * torch.eye(d, dtype=torch.float64, device=dev)
        residual = float((A @ w.double() - X64.T @ y64 / n).norm())
        tol = 1e-5 if dtype == torch.float32 else 1e-9
        scale = float(expected.norm()) + 1e-3
        assert float((w.double() - expected).norm()) <= tol * scale * 10, (
            f"{call} returned {w.tolist()}, expected {expected.tolist()}, the solution of "
            f"(X^T X / n + lam / 2 I) w = X^T y / n (residual of these equations {residual:.2e})"
        )


@test_case(points=1, hidden=True)
def minimises_the_objective(ridge_fit):
    """core: no nearby w has a smaller penalised mean squared error.

    the w minimising mean((X @ w - y)**2) + lam / 2 * ||w||**2
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require

    require(ridge_fit=ridge_fit)
    dev = device()

    @for_all(_data(), st.floats(0.01, 10.0), examples=25)
    def check(data, lam):
        d, extra, seed = data
        n = d + extra
        g = torch.Generator().manual_seed(seed)
        X = torch.randn(n, d, generator=g, dtype=torch.float64).to(dev)
        y = torch.randn(n, generator=g, dtype=torch.float64).to(dev)
        w = ridge_fit(X, y, lam)
        best = _objective(X, y, w, lam)
        for _ in range(5):
            other = w + 0.01 * torch.randn(d, generator=g, dtype=torch.float64).to(dev)
            assert best <= _objective(X, y, other, lam) + 1e-12, (
                f"ridge_fit(X, y, lam={lam:.3g}) returned w with mean((Xw - y)^2) + lam / 2 ||w||^2 = {best:.8g}, "
                f"but a nearby w has {_objective(X, y, other, lam):.8g}: w is not the minimiser"
            )


@test_case(points=1, hidden=True)
def more_penalty_smaller_weights(ridge_fit):
    """core: a larger lam gives a w of smaller norm (random data, so X^T y is not 0).

    the w minimising mean((X @ w - y)**2) + lam / 2 * ||w||**2
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require

    require(ridge_fit=ridge_fit)
    dev = device()

    @for_all(_data(), st.floats(-3, 2), st.floats(0.1, 2), examples=25)
    def check(data, log_lam, log_step):
        d, extra, seed = data
        n = d + extra + 1
        g = torch.Generator().manual_seed(seed)
        X = torch.randn(n, d, generator=g, dtype=torch.float64).to(dev)
        y = torch.randn(n, generator=g, dtype=torch.float64).to(dev)
        small, large = 10.0**log_lam, 10.0 ** (log_lam + log_step)
        w_small, w_large = ridge_fit(X, y, small), ridge_fit(X, y, large)
        assert float(w_large.norm()) < float(w_small.norm()), (
            f"||ridge_fit(X, y, {large:.3g})|| = {float(w_large.norm()):.6g} is not smaller than "
            f"||ridge_fit(X, y, {small:.3g})|| = {float(w_small.norm()):.6g}: a larger penalty must shrink w"
        )


@test_case(points=2, hidden=True)
def rescaling_a_column_with_and_without_penalty(ridge_fit):
    """core: rescaling a column rescales its weight exactly when lam = 0, and not when lam > 0.

    Without a penalty, the unit does not matter: if the wind column is multiplied by $c$, the
    least-squares weight $w_2$ is divided by $c$ and every prediction stays the same. With a
    penalty it does matter.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require

    require(ridge_fit=ridge_fit)
    dev = device()

    @for_all(st.integers(2, 4), st.data(), st.floats(-2, 2).filter(lambda e: abs(e) > 0.3), st.integers(0, 2**31 - 1))
    def check(d, data, log_c, seed):
        j = data.draw(st.integers(0, d - 1))
        g = torch.Generator().manual_seed(seed)
        n = 3 * d
        # orthogonal columns of different lengths: then ridge acts on each weight separately
        Q, _ = torch.linalg.qr(torch.randn(n, d, generator=g, dtype=torch.float64))
        X = (Q * 10.0 ** torch.empty(d, dtype=torch.float64).uniform_(-0.5, 1, generator=g)).to(dev)
        w_true = torch.randn(d, generator=g, dtype=torch.float64).to(dev)
        w_true[j] = 2.0
        y = X @ w_true + 0.1 * torch.randn(n, generator=g, dtype=torch.float64).to(dev)
        c = 10.0**log_c
        Xc = X.clone()
        Xc[:, j] *= c
        w, wc = ridge_fit(X, y, 0.0), ridge_fit(Xc, y, 0.0)
        expected = w.clone()
        expected[j] = w[j] / c
        assert torch.allclose(wc, expected, rtol=1e-7, atol=1e-9), (
            f"lam = 0: multiplying column {j} by c = {c:.3g} should divide its weight by c and keep the others; "
            f"ridge_fit gave {w.tolist()} then {wc.tolist()}, expected {expected.tolist()}"
        )
        assert torch.allclose(Xc @ wc, X @ w, rtol=1e-7, atol=1e-8), (
            f"lam = 0: multiplying column {j} by c = {c:.3g} changed the predictions X @ w"
        )
        w, wc = ridge_fit(X, y, 1.0), ridge_fit(Xc, y, 1.0)
        in_old_units = float(wc[j]) * c
        moved = abs(in_old_units - float(w[j]))
        assert moved > 1e-3, (
            f"lam = 1: after multiplying column {j} by c = {c:.3g}, c * w_j = {in_old_units:.6g} equals the w_j "
            f"before, {float(w[j]):.6g}; the penalty acts on a weight of another size, so they must differ"
        )
        # the smaller the column, the larger its weight must be, the more the penalty shrinks it
        shrink_more = c < 1
        assert (abs(in_old_units) < abs(float(w[j]))) == shrink_more, (
            f"lam = 1, column {j} multiplied by c = {c:.3g}: |c * w_j| = {abs(in_old_units):.6g}, "
            f"|w_j| before = {abs(float(w[j])):.6g}; a column scaled down must be shrunk more"
        )


@test_case(points=1, hidden=True)
def nearly_collinear_float32_is_solved_in_float64(ridge_fit):
    """core: float32 data with nearly collinear columns give the float64 solution.

    Solve in float64 even when `X` is float32
    """
    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(ridge_fit=ridge_fit)
    dev = device()
    g = torch.Generator().manual_seed(5)
    Z = torch.randn(40, 3, generator=g, dtype=torch.float64)
    # two nearly collinear features: X^T X has condition number about 5e5, too many for float32
    X = torch.stack([Z[:, 0], Z[:, 0] + 3e-3 * Z[:, 1], Z[:, 2]], dim=1)
    y = X @ torch.tensor([1.0, -0.5, 2.0], dtype=torch.float64)
    y = y + 0.01 * torch.randn(40, generator=g, dtype=torch.float64)
    X32, y32 = X.float().to(dev), y.float().to(dev)
    for lam in (1e-8, 1e-7):
        w = ridge_fit(X32, y32, lam)
        same_device_and_dtype(w, X32, f"ridge_fit(float32 X, y, {lam})")
        expected = _independent_ridge(X32, y32, lam).float()
        assert torch.allclose(w, expected, rtol=1e-4, atol=1e-6), tidy(
            f"ridge_fit(float32 X with nearly collinear columns, y, lam={lam}) returned {w.tolist()}, "
            f"expected {expected.tolist()} (the float64 solution)"
        )


@test_case(points=1, hidden=True)
def leaves_its_inputs_unchanged(ridge_fit):
    """contract: X and y are the same after the call.

    Do not change `X` or `y`.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require

    require(ridge_fit=ridge_fit)
    dev = device()

    @for_all(_data(), st.floats(-3, 2), st.sampled_from([torch.float32, torch.float64]), examples=10)
    def check(data, log_lam, dtype):
        d, extra, seed = data
        n = d + extra
        g = torch.Generator().manual_seed(seed)
        X = torch.randn(n, d, generator=g, dtype=torch.float64).to(dev, dtype)
        y = torch.randn(n, generator=g, dtype=torch.float64).to(dev, dtype)
        before = (X.clone(), y.clone())
        ridge_fit(X, y, 10.0**log_lam)
        assert torch.equal(X, before[0]) and torch.equal(y, before[1]), (
            f"ridge_fit(X of shape ({n}, {d}), y, lam) in {dtype} changed X or y"
        )


@test_case(points=1, hidden=True)
def rejects_bad_input(ridge_fit):
    """validation: bad shapes of X or y, or lam < 0, raise ValueError.

    Another shape of `y` (for example `(n, 1)`, which would broadcast `X @ w - y` to an `(n, n)`
    matrix), another shape of `X`, or a `lam < 0` raises `ValueError`.
    """
    import torch

    from dl541_testing import require

    require(ridge_fit=ridge_fit)
    X, y = torch.randn(5, 2, generator=torch.Generator().manual_seed(0)), torch.zeros(5)
    cases = [(X[:, 0], y, 1.0), (X, y[:, None], 1.0), (X, torch.zeros(4), 1.0), (X, y, -1.0)]
    for Xb, yb, lam in cases:
        try:
            ridge_fit(Xb, yb, lam)
        except ValueError:
            continue
        raise AssertionError(
            f"ridge_fit(X of shape {tuple(Xb.shape)}, y of shape {tuple(yb.shape)}, lam={lam}) did not raise ValueError"
        )
