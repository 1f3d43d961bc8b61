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
    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(numerical_gradient=numerical_gradient, relative_error=relative_error)
    dev = device()
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, device=dev)
    got = numerical_gradient(lambda v: (v**2).sum(), x)
    same_device_and_dtype(got, x, "numerical_gradient(lambda v: (v**2).sum(), x)")
    expected = torch.tensor([2.0, 4.0, 6.0], dtype=torch.float64, device=dev)
    assert torch.allclose(got, expected, atol=1e-6), (
        tidy(f"numerical_gradient(lambda v: (v**2).sum(), [1, 2, 3]) returned {got.tolist()}, expected [2, 4, 6]")
    )
    a = torch.tensor([3.0, 4.0], device=dev)
    for b, expected_err in ((a.clone(), 0.0), (2 * a, 1 / 3)):
        err = relative_error(a, b)
        assert isinstance(err, float), f"relative_error should return a Python float, got {type(err)}"
        assert abs(err - expected_err) < 1e-7, (
            tidy(f"relative_error({a.tolist()}, {b.tolist()}) returned {err}, expected {expected_err:.6f}")
        )


@test_case(points=2, hidden=True)
def agrees_with_autograd_on_smooth_functions(numerical_gradient, relative_error):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(numerical_gradient=numerical_gradient, relative_error=relative_error)
    dev = device()

    @prop(20)
    @given(_shapes(), st.integers(0, 2**31 - 1))
    def check(shape, seed):
        g = torch.Generator().manual_seed(seed)
        f = _smooth_function(shape, g, dev)
        x = torch.randn(shape, generator=g, dtype=torch.float64).to(dev)
        before = x.clone()
        got = numerical_gradient(f, x)
        call = f"numerical_gradient(f, x of shape {shape})"
        same_device_and_dtype(got, x, call)
        assert got.shape == x.shape, f"{call} has shape {tuple(got.shape)}, expected {shape}"
        assert torch.equal(x, before), f"{call} changed x: perturb copies, never the input"
        expected = _autograd(f, x)
        err = float((got - expected).norm() / (got.norm() + expected.norm()))
        assert err < 1e-7, f"{call} has relative error {err:.2e} against autograd, expected < 1e-7"
        wrong = expected.clone()
        wrong.view(-1)[seed % wrong.numel()] += 0.01 * (1 + expected.abs().max())
        right_err, wrong_err = relative_error(got, expected), relative_error(got, wrong)
        assert right_err < 1e-7 and wrong_err > 1e-4, (
            f"gradient check: relative_error(numerical, autograd) = {right_err:.2e} (expected < 1e-7) and "
            f"relative_error(numerical, a wrong gradient) = {wrong_err:.2e} (expected > 1e-4)"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def centered_differences_are_exact_on_quadratics(numerical_gradient):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(numerical_gradient=numerical_gradient)
    dev = device()

    @prop(20)
    @given(st.integers(1, 6), st.sampled_from([1e-3, 1e-2, 0.1]), st.integers(0, 2**31 - 1))
    def check(d, eps, seed):
        g = torch.Generator().manual_seed(seed)
        Q = torch.randn(d, d, generator=g, dtype=torch.float64).to(dev)
        b = torch.randn(d, generator=g, dtype=torch.float64).to(dev)
        x = torch.randn(d, generator=g, dtype=torch.float64).to(dev)
        got = numerical_gradient(lambda v: v @ Q @ v + b @ v, x, eps=eps)
        expected = (Q + Q.T) @ x + b
        assert isinstance(got, torch.Tensor) and torch.allclose(got, expected, rtol=1e-8, atol=1e-8), (
            f"numerical_gradient of the quadratic x^T Q x + b^T x with eps={eps} returned {got}, expected "
            f"{expected.tolist()}: centered differences (f(x + eps e_i) - f(x - eps e_i)) / (2 eps) are exact here"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def float32_input_is_differenced_in_float64(numerical_gradient):
    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(numerical_gradient=numerical_gradient)
    dev = device()
    x = torch.linspace(-1, 1, 5, device=dev)

    def f(v):
        return (torch.exp(v) * v).sum()

    got = numerical_gradient(f, x)
    same_device_and_dtype(got, x, "numerical_gradient(f, float32 x)")
    x64 = x.double()
    expected = (torch.exp(x64) * (1 + x64)).float()
    assert torch.allclose(got, expected, rtol=1e-6, atol=1e-6), (
        tidy(f"numerical_gradient(sum(exp(v) * v), float32 x) returned {got.tolist()}, expected {expected.tolist()}: "
        "with eps = 1e-6, perturb and difference in float64, then return x's dtype")
    )


@test_case(points=1, hidden=True)
def relative_error_formula(relative_error):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, tidy

    require(relative_error=relative_error)
    dev = device()

    @prop(30)
    @given(_shapes(), st.floats(-6, 6), st.integers(0, 2**31 - 1), st.sampled_from([torch.float32, torch.float64]))
    def check(shape, log_scale, seed, dtype):
        g = torch.Generator().manual_seed(seed)
        a = (10.0**log_scale * torch.randn(shape, generator=g, dtype=torch.float64)).to(dev)
        b = (10.0**log_scale * torch.randn(shape, generator=g, dtype=torch.float64)).to(dev)
        a, b = a.to(dtype), b.to(dtype)
        a64, b64 = a.double(), b.double()
        expected = float((a64 - b64).norm()) / max(float(a64.norm()) + float(b64.norm()), 1e-12)
        got = relative_error(a, b)
        assert isinstance(got, float), f"relative_error should return a Python float, got {type(got)}"
        assert abs(got - expected) <= 1e-6 * expected + 1e-12, (
            f"relative_error(a, b) for shape {shape} returned {got}, expected ||a - b|| / (||a|| + ||b||) = {expected}"
        )
        assert relative_error(b, a) == got or abs(relative_error(b, a) - got) < 1e-12, "relative_error is symmetric"
        assert 0.0 <= got <= 1.0 + 1e-12, f"relative_error returned {got}, outside [0, 1]"

    run_property(check)
    z = torch.zeros(3, device=dev)
    got = relative_error(z, z)
    assert got == 0.0, tidy(f"relative_error(zeros, zeros) returned {got}, expected 0.0 (the denominator is max(..., 1e-12))")
    tiny = torch.full((2,), 1e-14, dtype=torch.float64, device=dev)
    got = relative_error(tiny, torch.zeros(2, dtype=torch.float64, device=dev))
    expected = float(tiny.norm()) / 1e-12
    assert abs(got - expected) < 1e-9, tidy(f"relative_error([1e-14, 1e-14], zeros) returned {got}, expected {expected:.6g}")


@test_case(points=1, hidden=True)
def rejects_bad_input(numerical_gradient, relative_error):
    import torch

    from dl541_testing import require

    require(numerical_gradient=numerical_gradient, relative_error=relative_error)
    x = torch.ones(3, dtype=torch.float64)
    for eps in (0.0, -1e-6):
        try:
            numerical_gradient(lambda v: v.sum(), x, eps=eps)
        except ValueError:
            continue
        raise AssertionError(f"numerical_gradient(f, x, eps={eps}) should raise ValueError")
    for a, b in ((torch.ones(3), torch.ones(4)), (torch.ones(3, 1), torch.ones(3))):
        try:
            relative_error(a, b)
        except ValueError:
            continue
        raise AssertionError(
            f"relative_error of shapes {tuple(a.shape)} and {tuple(b.shape)} should raise ValueError (no broadcasting)"
        )


@test_case(points=1, hidden=True)
def python_float_values_and_integer_points(numerical_gradient):
    import torch

    from dl541_testing import device, require, tidy

    require(numerical_gradient=numerical_gradient)
    dev = device()
    x = torch.tensor([0.3, -1.2, 2.0], dtype=torch.float64, device=dev)

    def f(v):  # returns a Python float, not a tensor
        return float((v**3).sum() + torch.sin(v).sum())

    got = numerical_gradient(f, x)
    expected = 3 * x**2 + torch.cos(x)
    assert isinstance(got, torch.Tensor) and torch.allclose(got, expected, rtol=1e-6, atol=1e-6), (
        tidy(f"numerical_gradient of a function that returns a Python float gave {got}, expected {expected.tolist()}: "
        "keep f's value in float64 (torch.as_tensor(3.5) would round it to float32)")
    )
    k = torch.tensor([1, -2, 3], device=dev)
    got = numerical_gradient(lambda v: (v**3).sum() / 6, k)
    expected = torch.tensor([0.5, 2.0, 4.5], dtype=torch.float64, device=dev)
    assert isinstance(got, torch.Tensor) and got.is_floating_point() and got.shape == (3,), (
        tidy(f"numerical_gradient(sum(v^3) / 6, the integer point [1, -2, 3]) returned {got}, expected a floating "
        "tensor of shape (3,): an integer x gives a float64 gradient")
    )
    assert torch.allclose(got.double(), expected, rtol=1e-6, atol=1e-6), (
        tidy(f"numerical_gradient(sum(v^3) / 6, the integer point [1, -2, 3]) returned {got.tolist()}, "
        f"expected {expected.tolist()}")
    )

