from otter.test_files import test_case

OK_FORMAT = False
name = "q4"
points = None


def _smooth_function(shape, generator, dev):
    """A random smooth scalar function of a tensor of `shape`, built from float64 pieces on `dev`."""
    import torch

    d = 1
    for s in shape:
        d *= s
    A = torch.randn(3, d, generator=generator, dtype=torch.float64).to(dev)
    b = torch.randn(3, generator=generator, dtype=torch.float64).to(dev)
    c = torch.randn(3, generator=generator, dtype=torch.float64).to(dev)
    Q = torch.randn(d, d, generator=generator, dtype=torch.float64).to(dev)

    def f(x):
        v = x.reshape(-1).to(torch.float64)
        return (c * torch.tanh(A @ v + b)).sum() + 0.1 * v @ Q @ v + torch.sin(v).sum()

    return f


def _autograd(f, x):
    import torch

    x = x.detach().to(torch.float64).requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x)
    return g.detach()


def _shapes():
    from hypothesis import strategies as st

    return st.lists(st.integers(1, 3), min_size=0, max_size=3).map(tuple).filter(lambda s: len(s) > 0)


@test_case(points=1, hidden=False)
def sum_of_squares_and_relative_error(numerical_gradient, relative_error):
    """core: the gradient of sum(v^2) at [1, 2, 3] is [2, 4, 6]; rel([3, 4], [6, 8]) = 1/3.

    returns the centered differences of `f` at `x`, of the
    same shape as `x`

    `relative_error(a, b)` returns the formula above as a Python `float`.

    relative_error(a, b) -> float — ||a - b|| / max(||a|| + ||b||, 1e-12) (2-norms).
    """
    import torch

    from dl541_testing import device, require, tidy

    require(numerical_gradient=numerical_gradient, relative_error=relative_error)
    dev = device()
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, device=dev)
    got = numerical_gradient(lambda v: (v**2).sum(), x)
    call = "numerical_gradient(lambda v: (v**2).sum(), x = [1.0, 2.0, 3.0] in float64)"
    assert isinstance(got, torch.Tensor) and got.shape == (3,), f"{call} returned {got!r}, expected a tensor of shape (3,)."
    expected = torch.tensor([2.0, 4.0, 6.0], dtype=torch.float64)
    assert torch.allclose(got.detach().double().cpu(), expected, atol=1e-6), tidy(
        f"{call} returned {got.tolist()}, expected [2.0, 4.0, 6.0]."
    )
    a = torch.tensor([3.0, 4.0], device=dev)
    for b, expected_err in ((a.clone(), 0.0), (2 * a, 1 / 3)):
        err = relative_error(a, b)
        call = f"relative_error({a.tolist()}, {b.tolist()})"
        assert isinstance(err, float), f"{call} returned a {type(err).__name__}, expected a Python float."
        assert abs(err - expected_err) < 1e-7, tidy(
            f"{call} returned {err}, expected ||a - b|| / (||a|| + ||b||) = {expected_err}."
        )


@test_case(points=1, hidden=False)
def centered_differences_in_float64(numerical_gradient):
    """core: with eps = 0.1 the centered difference of v^2 is exact; a float32 x is differenced in float64.

    $$\\frac{\\partial f}{\\partial x_i} \\approx \\frac{f(x + \\varepsilon e_i) - f(x - \\varepsilon e_i)}{2\\varepsilon},$$

    Perturb and difference in **float64** (with $\\varepsilon = 10^{-6}$ a
    float32 perturbation is lost in rounding)
    """
    import torch

    from dl541_testing import device, require, tidy

    require(numerical_gradient=numerical_gradient)
    dev = device()
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, device=dev)
    got = numerical_gradient(lambda v: (v**2).sum(), x, eps=0.1)
    call = "numerical_gradient(lambda v: (v**2).sum(), x = [1.0, 2.0, 3.0], eps=0.1)"
    assert isinstance(got, torch.Tensor) and got.shape == (3,) and torch.allclose(
        got.detach().double().cpu(), torch.tensor([2.0, 4.0, 6.0], dtype=torch.float64), atol=1e-9
    ), tidy(f"{call} returned {got}, expected [2.0, 4.0, 6.0]: ((x + eps)^2 - (x - eps)^2) / (2 eps) = 2x.")
    x = torch.tensor([0.5, -1.0, 2.0], device=dev)
    got = numerical_gradient(lambda v: (torch.exp(v) * v).sum(), x)
    x64 = x.double().cpu()
    expected = torch.exp(x64) * (1 + x64)
    call = "numerical_gradient(lambda v: (torch.exp(v) * v).sum(), x = [0.5, -1.0, 2.0] in float32)"
    assert isinstance(got, torch.Tensor) and got.shape == (3,) and torch.allclose(
        got.detach().double().cpu(), expected, rtol=1e-6, atol=1e-6
    ), tidy(f"{call} returned {got}, expected {expected.tolist()} (to 1e-6: the differences taken in float64).")


@test_case(points=1, hidden=False)
def x_is_not_changed(numerical_gradient):
    """contract: numerical_gradient(sum(sin v), x = [0.7, 1.3, -1.7]) leaves x exactly as it was.

    `x` is not changed: after the call it holds exactly the values it held before
    """
    import torch

    from dl541_testing import device, require

    require(numerical_gradient=numerical_gradient)
    dev = device()
    for dtype in (torch.float64, torch.float32):
        x = torch.tensor([0.7, 1.3, -1.7], dtype=dtype, device=dev)
        before = x.clone()
        numerical_gradient(lambda v: torch.sin(v).sum(), x)
        assert torch.equal(x, before), (
            f"numerical_gradient(lambda v: torch.sin(v).sum(), x = {before.tolist()} in {dtype}) changed x to "
            f"{x.tolist()}; x must hold exactly the values it held before the call."
        )


@test_case(points=0.5, hidden=False)
def zero_vectors_have_relative_error_zero(relative_error):
    """edge: relative_error(zeros(3), zeros(3)) is 0.0.

    Two zero vectors have relative error 0: the denominator is at least $10^{-12}$.
    """
    import torch

    from dl541_testing import device, require

    require(relative_error=relative_error)
    z = torch.zeros(3, device=device())
    got = relative_error(z, z.clone())
    assert isinstance(got, float) and got == 0.0, f"relative_error(zeros(3), zeros(3)) returned {got!r}, expected 0.0."


@test_case(points=5, hidden=True)
def agrees_with_autograd_on_smooth_functions(numerical_gradient, relative_error):
    """core: on random smooth functions the centered differences match autograd to 1e-7.

    returns the centered differences of `f` at `x`, of the
    same shape as `x`

    Rule of thumb for a float64 check: below $10^{-7}$ is right, above $10^{-4}$ is a bug.

    Perturb and difference in **float64** (with $\\varepsilon = 10^{-6}$ a
    float32 perturbation is lost in rounding)

    `x` is not changed: after the call it holds exactly the values it held before
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(numerical_gradient=numerical_gradient, relative_error=relative_error)
    dev = device()

    @for_all(_shapes(), st.sampled_from([torch.float64, torch.float32]), seeds(), examples=20)
    def check(shape, dtype, seed):
        g = torch.Generator().manual_seed(seed)
        f = _smooth_function(shape, g, dev)
        x = torch.randn(shape, generator=g, dtype=torch.float64).to(dev, dtype)
        before = x.clone()
        got = numerical_gradient(f, x)
        call = f"numerical_gradient(f, x of shape {shape} and dtype {dtype}) for a smooth f"
        assert isinstance(got, torch.Tensor) and got.shape == x.shape, (
            f"{call} returned {got!r}, expected a tensor of shape {shape}."
        )
        assert torch.equal(x, before), f"{call} changed x from {before.tolist()} to {x.tolist()}."
        got = got.detach().double().cpu()
        expected = _autograd(f, x).cpu()
        err = float((got - expected).norm() / (got.norm() + expected.norm()))
        assert err < 1e-7, f"{call} has relative error {err:.2e} against autograd, expected below 1e-7."
        wrong = expected.clone()
        wrong.view(-1)[seed % wrong.numel()] += 0.01 * (1 + expected.abs().max())
        right_err, wrong_err = relative_error(got, expected), relative_error(got, wrong)
        assert right_err < 1e-7 and wrong_err > 1e-4, (
            f"relative_error(numerical, autograd) = {right_err:.2e}, expected below 1e-7, and "
            f"relative_error(numerical, autograd with one entry off by 1%) = {wrong_err:.2e}, expected above 1e-4."
        )


@test_case(points=1.5, hidden=True)
def centered_differences_are_exact_on_quadratics(numerical_gradient):
    """core: for x^T Q x + b^T x and any eps the centered differences are (Q + Q^T) x + b.

    $$\\frac{\\partial f}{\\partial x_i} \\approx \\frac{f(x + \\varepsilon e_i) - f(x - \\varepsilon e_i)}{2\\varepsilon},$$
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(numerical_gradient=numerical_gradient)
    dev = device()

    @for_all(st.integers(1, 6), st.sampled_from([1e-3, 1e-2, 0.1]), seeds(), examples=20)
    def check(d, eps, seed):
        g = torch.Generator().manual_seed(seed)
        Q = torch.randn(d, d, generator=g, dtype=torch.float64).to(dev)
        b = torch.randn(d, generator=g, dtype=torch.float64).to(dev)
        x = torch.randn(d, generator=g, dtype=torch.float64).to(dev)
        got = numerical_gradient(lambda v: v @ Q @ v + b @ v, x, eps=eps)
        expected = ((Q + Q.T) @ x + b).cpu()
        assert isinstance(got, torch.Tensor) and got.shape == (d,) and torch.allclose(
            got.detach().double().cpu(), expected, rtol=1e-8, atol=1e-8
        ), (
            f"numerical_gradient(x^T Q x + b^T x, x of shape ({d},), eps={eps}) returned {got}, expected "
            f"(Q + Q^T) x + b = {expected.tolist()}: the centered difference of a quadratic is exact."
        )


@test_case(points=1, hidden=True)
def float32_input_is_differenced_in_float64(numerical_gradient):
    """core: a float32 x with eps = 1e-6 still gives the gradient to 1e-6.

    Perturb and difference in **float64** (with $\\varepsilon = 10^{-6}$ a
    float32 perturbation is lost in rounding)

    `f` receives float64 tensors of `x`'s shape and returns a scalar.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(numerical_gradient=numerical_gradient)
    dev = device()
    x = torch.linspace(-1, 1, 5, device=dev)
    got = numerical_gradient(lambda v: (torch.exp(v) * v).sum(), x)
    x64 = x.double().cpu()
    expected = torch.exp(x64) * (1 + x64)
    assert isinstance(got, torch.Tensor) and got.shape == (5,) and torch.allclose(
        got.detach().double().cpu(), expected, rtol=1e-6, atol=1e-6
    ), tidy(
        f"numerical_gradient(lambda v: (torch.exp(v) * v).sum(), float32 x = linspace(-1, 1, 5)) returned {got}, "
        f"expected {expected.tolist()} to 1e-6."
    )


@test_case(points=3, hidden=True)
def relative_error_formula(relative_error):
    """core: relative_error is ||a - b|| / (||a|| + ||b||) at every scale, symmetric, in [0, 1].

    relative_error(a, b) -> float — ||a - b|| / max(||a|| + ||b||, 1e-12) (2-norms).

    `relative_error(a, b)` returns the formula above as a Python `float`.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(relative_error=relative_error)
    dev = device()

    @for_all(_shapes(), st.floats(-6, 6), seeds(), st.sampled_from([torch.float32, torch.float64]), examples=30)
    def check(shape, log_scale, seed, dtype):
        g = torch.Generator().manual_seed(seed)
        a = (10.0**log_scale * torch.randn(shape, generator=g, dtype=torch.float64)).to(dev, dtype)
        b = (10.0**log_scale * torch.randn(shape, generator=g, dtype=torch.float64)).to(dev, dtype)
        a64, b64 = a.double(), b.double()
        expected = float((a64 - b64).norm()) / max(float(a64.norm()) + float(b64.norm()), 1e-12)
        got = relative_error(a, b)
        call = f"relative_error(a, b) for random a, b of shape {shape} and scale 1e{log_scale:.2f}"
        assert isinstance(got, float), f"{call} returned a {type(got).__name__}, expected a Python float."
        assert abs(got - expected) <= 1e-6 * expected + 1e-12, (
            f"{call} returned {got}, expected ||a - b|| / (||a|| + ||b||) = {expected}."
        )
        swapped = relative_error(b, a)
        assert abs(swapped - got) < 1e-12, f"{call} returned {got} but relative_error(b, a) returned {swapped}."


@test_case(points=0.5, hidden=True)
def relative_error_floor(relative_error):
    """edge: below 1e-12 the denominator is 1e-12: rel([1e-14, 1e-14], zeros) = 1.41e-2.

    relative_error(a, b) -> float — ||a - b|| / max(||a|| + ||b||, 1e-12) (2-norms).
    """
    import torch

    from dl541_testing import device, require, tidy

    require(relative_error=relative_error)
    dev = device()
    tiny = torch.full((2,), 1e-14, dtype=torch.float64, device=dev)
    got = relative_error(tiny, torch.zeros(2, dtype=torch.float64, device=dev))
    expected = float(tiny.norm()) / 1e-12
    assert isinstance(got, float) and abs(got - expected) < 1e-9, tidy(
        f"relative_error([1e-14, 1e-14], [0.0, 0.0]) returned {got}, expected ||a|| / 1e-12 = {expected}."
    )
    z = torch.zeros(3, device=dev)
    got = relative_error(z, z.clone())
    assert got == 0.0, f"relative_error(zeros(3), zeros(3)) returned {got!r}, expected 0.0."


@test_case(points=1, hidden=True)
def x_is_never_changed(numerical_gradient):
    """contract: after numerical_gradient(f, x) the tensor x holds exactly its old values.

    `x` is not changed: after the call it holds exactly the values it held before
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(numerical_gradient=numerical_gradient)
    dev = device()

    @for_all(_shapes(), st.sampled_from([torch.float32, torch.float64]), st.sampled_from([1e-6, 1e-3]), seeds(),
             examples=15)
    def check(shape, dtype, eps, seed):
        g = torch.Generator().manual_seed(seed)
        x = (3 * torch.rand(shape, generator=g, dtype=torch.float64) + 0.1).to(dev, dtype)
        before = x.clone()
        numerical_gradient(lambda v: torch.sin(v).sum(), x, eps=eps)
        assert torch.equal(x, before), (
            f"numerical_gradient(lambda v: torch.sin(v).sum(), x of shape {shape} in {dtype}, eps={eps}) changed x "
            f"from {before.flatten().tolist()} to {x.flatten().tolist()}."
        )


@test_case(points=0.5, hidden=True)
def python_float_values(numerical_gradient):
    """contract: an f that returns a Python float is differenced in float64.

    `f` may return a 0-dim tensor or a Python `float`: keep its value in float64
    """
    import torch

    from dl541_testing import device, require, tidy

    require(numerical_gradient=numerical_gradient)
    dev = device()
    x = torch.tensor([0.3, -1.2, 2.0], dtype=torch.float64, device=dev)
    got = numerical_gradient(lambda v: float((v**3).sum() + torch.sin(v).sum()), x)
    expected = (3 * x**2 + torch.cos(x)).cpu()
    assert isinstance(got, torch.Tensor) and got.shape == (3,) and torch.allclose(
        got.detach().double().cpu(), expected, rtol=1e-8, atol=1e-8
    ), tidy(
        f"numerical_gradient(lambda v: float((v**3).sum() + torch.sin(v).sum()), x = [0.3, -1.2, 2.0]) returned "
        f"{got}, expected 3 x^2 + cos(x) = {expected.tolist()}."
    )


@test_case(points=0.5, hidden=True)
def integer_points(numerical_gradient):
    """edge: an integer x gives a float64 gradient.

    an integer `x` (a grid point) gives a float64 gradient.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(numerical_gradient=numerical_gradient)
    dev = device()
    k = torch.tensor([1, -2, 3], device=dev)
    got = numerical_gradient(lambda v: (v**3).sum() / 6, k)
    call = "numerical_gradient(lambda v: (v**3).sum() / 6, x = torch.tensor([1, -2, 3]))"
    assert isinstance(got, torch.Tensor) and got.dtype == torch.float64 and got.shape == (3,), (
        f"{call} returned {got!r}, expected a float64 tensor of shape (3,)."
    )
    expected = torch.tensor([0.5, 2.0, 4.5], dtype=torch.float64)
    assert torch.allclose(got.cpu(), expected, rtol=1e-8, atol=1e-8), tidy(
        f"{call} returned {got.tolist()}, expected [0.5, 2.0, 4.5]."
    )


@test_case(points=0.5, hidden=True)
def keeps_dtype_and_device(numerical_gradient):
    """dtype: the gradient has x's dtype (float32 or float64) and x's device.

    then return the result in `x`'s dtype on `x`'s
    device
    """
    import torch

    from dl541_testing import device, require, same_device_and_dtype

    require(numerical_gradient=numerical_gradient)
    dev = device()
    for dtype in (torch.float32, torch.float64):
        x = torch.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=dtype, device=dev)
        got = numerical_gradient(lambda v: (v**2).sum(), x)
        same_device_and_dtype(got, x, f"numerical_gradient(lambda v: (v**2).sum(), x of dtype {dtype})")


@test_case(points=1, hidden=True)
def rejects_bad_input(numerical_gradient, relative_error):
    """validation: eps <= 0 and tensors of different shapes raise ValueError.

    `eps <= 0` raises `ValueError`; `relative_error` of tensors of different shapes raises
    `ValueError` (no broadcasting).
    """
    import torch

    from dl541_testing import require

    require(numerical_gradient=numerical_gradient, relative_error=relative_error)
    x = torch.ones(3, dtype=torch.float64)
    for eps in (0.0, -1e-6):
        try:
            numerical_gradient(lambda v: v.sum(), x, eps=eps)
        except ValueError:
            continue
        raise AssertionError(f"numerical_gradient(f, x, eps={eps}) returned without raising, expected ValueError.")
    for a, b in ((torch.ones(3), torch.ones(4)), (torch.ones(3, 1), torch.ones(3))):
        try:
            relative_error(a, b)
        except ValueError:
            continue
        raise AssertionError(
            f"relative_error(ones{tuple(a.shape)}, ones{tuple(b.shape)}) returned without raising, expected ValueError."
        )
