from otter.test_files import test_case

OK_FORMAT = False
name = "q5"
points = None


def _random_parameters(shapes, has_grad, log_scale, dtype, generator, dev):
    import torch

    params = []
    for shape, with_grad in zip(shapes, has_grad):
        p = torch.randn(shape, generator=generator, dtype=dtype).to(dev).requires_grad_(True)
        if with_grad:
            p.grad = (10.0**log_scale * torch.randn(shape, generator=generator, dtype=torch.float64)).to(dev, dtype)
        params.append(p)
    return params


def _copies(params):
    out = []
    for p in params:
        q = p.detach().clone().requires_grad_(True)
        if p.grad is not None:
            q.grad = p.grad.clone()
        out.append(q)
    return out


@test_case(points=1, hidden=False)
def three_four_five(clip_grad_norm_):
    """core: a gradient [3, 4] clipped at 1 becomes [3, 4] / (5 + 1e-6); the result is 5.

    $$g \\leftarrow c\\, g \\quad\\text{with}\\quad c = \\frac{\\text{max\\_norm}}{\\|g\\|_2 + 10^{-6}}

    return the norm before clipping, as torch.nn.utils.clip_grad_norm_ does.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(clip_grad_norm_=clip_grad_norm_)
    dev = device()
    p = torch.zeros(2, device=dev, requires_grad=True)
    p.grad = torch.tensor([3.0, 4.0], device=dev)
    total = clip_grad_norm_([p], 1.0)
    call = "clip_grad_norm_([p], 1.0) with p.grad = [3.0, 4.0]"
    assert isinstance(total, torch.Tensor) and abs(float(total) - 5.0) < 1e-5, tidy(
        f"{call} returned {total!r}, expected tensor(5.), the norm before clipping."
    )
    expected = torch.tensor([3.0, 4.0], device=dev) / (5.0 + 1e-6)
    assert torch.allclose(p.grad, expected, atol=1e-6), tidy(
        f"after {call} p.grad is {p.grad.tolist()}, expected [3, 4] / (5 + 1e-6) = {expected.tolist()}."
    )


@test_case(points=1, hidden=False)
def two_parameters_clipped_together(clip_grad_norm_):
    """core: gradients [3, 0] and [0, 4] (float64) share one coefficient 1 / (5 + 1e-6).

    **Clipping by the global norm** rescales all gradients together, keeping their direction

    with $g$ the concatenation of every gradient and $\\|g\\|_2$ its norm,
    """
    import torch

    from dl541_testing import device, require, tidy

    require(clip_grad_norm_=clip_grad_norm_)
    dev = device()
    p = torch.zeros(2, dtype=torch.float64, device=dev, requires_grad=True)
    q = torch.zeros(2, dtype=torch.float64, device=dev, requires_grad=True)
    p.grad = torch.tensor([3.0, 0.0], dtype=torch.float64, device=dev)
    q.grad = torch.tensor([0.0, 4.0], dtype=torch.float64, device=dev)
    total = clip_grad_norm_([p, q], 1.0)
    call = "clip_grad_norm_([p, q], 1.0) with p.grad = [3.0, 0.0] and q.grad = [0.0, 4.0] in float64"
    assert isinstance(total, torch.Tensor) and abs(float(total) - 5.0) < 1e-12, tidy(
        f"{call} returned {total!r}, expected 5.0, the global norm before clipping."
    )
    c = 1.0 / (5.0 + 1e-6)
    for label, got, want in (("p.grad", p.grad, [3.0 * c, 0.0]), ("q.grad", q.grad, [0.0, 4.0 * c])):
        assert torch.allclose(got.cpu(), torch.tensor(want, dtype=torch.float64), rtol=1e-12, atol=1e-15), tidy(
            f"after {call} {label} is {got.tolist()}, expected {want}: both scaled by "
            "max_norm / (global norm + 1e-6) = 1 / (5 + 1e-6)."
        )


@test_case(points=1, hidden=False)
def small_gradients_are_left_alone(clip_grad_norm_):
    """core: gradients [0.3] and [0.4] (global norm 0.5) are not changed by max_norm 1; the result is 0.5.

    coefficient `max_norm / (total + 1e-6)`, applied only
    when below 1
    """
    import torch

    from dl541_testing import device, require, tidy

    require(clip_grad_norm_=clip_grad_norm_)
    dev = device()
    p = torch.zeros(1, dtype=torch.float64, device=dev, requires_grad=True)
    q = torch.zeros(1, dtype=torch.float64, device=dev, requires_grad=True)
    p.grad = torch.tensor([0.3], dtype=torch.float64, device=dev)
    q.grad = torch.tensor([0.4], dtype=torch.float64, device=dev)
    total = clip_grad_norm_([p, q], 1.0)
    call = "clip_grad_norm_([p, q], 1.0) with p.grad = [0.3] and q.grad = [0.4]"
    assert isinstance(total, torch.Tensor) and abs(float(total) - 0.5) < 1e-12, tidy(
        f"{call} returned {total!r}, expected 0.5, the global norm."
    )
    assert p.grad.tolist() == [0.3] and q.grad.tolist() == [0.4], (
        f"after {call} the gradients are {p.grad.tolist()} and {q.grad.tolist()}, expected [0.3] and [0.4] "
        "unchanged: the coefficient 1 / (0.5 + 1e-6) is above 1."
    )


@test_case(points=4, hidden=True)
def agrees_with_torch(clip_grad_norm_):
    """core: on random gradients of several shapes, the result and the gradients match torch's.

    scale all gradients together so their
    global 2-norm is at most `max_norm` (coefficient `max_norm / (total + 1e-6)`, applied only
    when below 1); return the norm before clipping, as `torch.nn.utils.clip_grad_norm_` does.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(clip_grad_norm_=clip_grad_norm_)
    dev = device()
    shape = st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple)

    @for_all(st.lists(shape, min_size=1, max_size=5), st.floats(-4, 2), st.floats(-5, 3),
             st.sampled_from([torch.float32, torch.float64]), seeds(), examples=40)
    def check(shapes, log_scale, log_max, dtype, seed):
        g = torch.Generator().manual_seed(seed)
        params = _random_parameters(shapes, [True] * len(shapes), log_scale, dtype, g, dev)
        theirs = _copies(params)
        max_norm = 10.0**log_max
        expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm)
        got = clip_grad_norm_(params, max_norm)
        call = f"clip_grad_norm_({len(params)} {dtype} gradients of shapes {shapes} and scale 1e{log_scale:.2f}, max_norm={max_norm:.3g})"
        tol = 1e-5 if dtype == torch.float32 else 1e-10
        assert isinstance(got, torch.Tensor) and abs(float(got) - float(expected)) <= tol * float(expected), (
            f"{call} returned {got!r}, expected the global norm before clipping {float(expected):.8g}."
        )
        for k, (p, q) in enumerate(zip(params, theirs)):
            assert torch.allclose(p.grad, q.grad, rtol=tol, atol=tol * 1e-6 * float(q.grad.abs().max())), (
                f"{call}: gradient {k} is {p.grad.flatten()[:4].tolist()}..., torch.nn.utils.clip_grad_norm_ gives "
                f"{q.grad.flatten()[:4].tolist()}..."
            )


@test_case(points=1.5, hidden=True)
def never_increases_a_norm(clip_grad_norm_):
    """core: afterwards the global norm is at most max_norm and never above the old one; one factor for all.

    scale all gradients together so their
    global 2-norm is at most `max_norm`
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(clip_grad_norm_=clip_grad_norm_)
    dev = device()

    @for_all(st.lists(st.integers(1, 6), min_size=1, max_size=4), st.floats(-3, 3), st.floats(-3, 3), seeds(),
             examples=40)
    def check(sizes, log_scale, log_max, seed):
        g = torch.Generator().manual_seed(seed)
        params = _random_parameters([(s,) for s in sizes], [True] * len(sizes), log_scale, torch.float64, g, dev)
        before = [p.grad.clone() for p in params]
        total_before = float(torch.cat([b.flatten() for b in before]).norm())
        max_norm = 10.0**log_max
        clip_grad_norm_(params, max_norm)
        after = [p.grad for p in params]
        total_after = float(torch.cat([a.flatten() for a in after]).norm())
        call = f"clip_grad_norm_ of float64 gradients with global norm {total_before:.4g}, max_norm {max_norm:.4g}"
        assert total_after <= total_before * (1 + 1e-12), f"{call} raised the global norm to {total_after:.6g}."
        assert total_after <= max_norm * (1 + 1e-9), f"{call} left a global norm of {total_after:.6g}, above max_norm."
        if total_before + 1e-6 <= max_norm:
            for k, (a, b) in enumerate(zip(after, before)):
                assert torch.equal(a, b), f"{call} changed gradient {k} from {b.tolist()} to {a.tolist()}."
        else:
            coef = [float((a * b).sum() / (b * b).sum()) for a, b in zip(after, before)]
            assert max(coef) - min(coef) < 1e-9 * max(coef) + 1e-15, (
                f"{call} scaled the gradients by the factors {coef}, expected one factor for all."
            )


@test_case(points=1, hidden=True)
def accepts_model_parameters_generator(clip_grad_norm_):
    """contract: clip_grad_norm_(model.parameters(), 0.5) clips every gradient of the model.

    `parameters` may be a list, a generator such as `model.parameters()`
    """
    import torch
    from torch import nn

    from dl541_testing import device, require, tidy

    require(clip_grad_norm_=clip_grad_norm_)
    dev = device()
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 1)).to(dev)
    x = torch.randn(8, 4, generator=torch.Generator().manual_seed(1)).to(dev)
    (100 * model(x).pow(2).sum()).backward()
    theirs = [p.grad.clone() for p in model.parameters()]
    shadow = [torch.zeros_like(p, requires_grad=True) for p in model.parameters()]
    for s, t in zip(shadow, theirs):
        s.grad = t
    expected = torch.nn.utils.clip_grad_norm_(shadow, 0.5)
    got = clip_grad_norm_(model.parameters(), 0.5)
    call = "clip_grad_norm_(model.parameters(), 0.5) for Linear(4, 3), Tanh, Linear(3, 1)"
    assert isinstance(got, torch.Tensor) and torch.allclose(got, expected, rtol=1e-5), tidy(
        f"{call} returned {got!r}, expected {float(expected)}, the global norm before clipping."
    )
    for k, (p, t) in enumerate(zip(model.parameters(), theirs)):
        assert torch.allclose(p.grad, t, rtol=1e-5, atol=1e-7), tidy(
            f"after {call} the gradient of parameter {k} has norm {float(p.grad.norm())}, expected "
            f"{float(t.norm())} (torch.nn.utils.clip_grad_norm_ on the same gradients)."
        )


@test_case(points=0.5, hidden=True)
def a_single_tensor(clip_grad_norm_):
    """edge: a lone tensor is clipped like a list of one.

    or a single tensor (a list of one).
    """
    import torch

    from dl541_testing import device, require, tidy

    require(clip_grad_norm_=clip_grad_norm_)
    dev = device()
    p = torch.zeros(3, device=dev, requires_grad=True)
    p.grad = torch.tensor([3.0, 0.0, 4.0], device=dev)
    total = clip_grad_norm_(p, 1.0)
    call = "clip_grad_norm_(p, 1.0) with the tensor p, p.grad = [3.0, 0.0, 4.0]"
    assert isinstance(total, torch.Tensor) and abs(float(total) - 5.0) < 1e-5, tidy(
        f"{call} returned {total!r}, expected tensor(5.)."
    )
    expected = torch.tensor([3.0, 0.0, 4.0], device=dev) / (5.0 + 1e-6)
    assert torch.allclose(p.grad, expected, atol=1e-6), tidy(
        f"after {call} p.grad is {p.grad.tolist()}, expected {expected.tolist()}."
    )


@test_case(points=0.5, hidden=True)
def missing_gradients_are_skipped(clip_grad_norm_):
    """edge: parameters whose .grad is None keep None and do not count.

    Parameters whose `.grad` is `None` are skipped
    """
    import torch

    from dl541_testing import device, require, tidy

    require(clip_grad_norm_=clip_grad_norm_)
    dev = device()
    p = torch.zeros(2, device=dev, requires_grad=True)
    q = torch.zeros(3, device=dev, requires_grad=True)
    r = torch.zeros(2, device=dev, requires_grad=True)
    p.grad = torch.tensor([3.0, 0.0], device=dev)
    r.grad = torch.tensor([0.0, 4.0], device=dev)
    total = clip_grad_norm_([p, q, r], 1.0)
    call = "clip_grad_norm_([p, q, r], 1.0) with p.grad = [3, 0], q.grad None, r.grad = [0, 4]"
    assert isinstance(total, torch.Tensor) and abs(float(total) - 5.0) < 1e-5, tidy(
        f"{call} returned {total!r}, expected tensor(5.)."
    )
    assert q.grad is None, f"after {call} q.grad is {q.grad}, expected None."
    assert torch.allclose(r.grad, torch.tensor([0.0, 4.0], device=dev) / (5.0 + 1e-6), atol=1e-6), tidy(
        f"after {call} r.grad is {r.grad.tolist()}, expected [0, 4] / (5 + 1e-6)."
    )
    s = torch.zeros(2, device=dev, requires_grad=True)
    total = clip_grad_norm_([s], 1.0)
    assert isinstance(total, torch.Tensor) and float(total) == 0.0 and s.grad is None, (
        f"clip_grad_norm_([s], 1.0) with s.grad None returned {total!r} and left s.grad = {s.grad}, "
        "expected tensor(0.) and None."
    )


@test_case(points=0.5, hidden=True)
def max_norm_zero(clip_grad_norm_):
    """edge: max_norm = 0 zeroes every gradient and returns the old norm.

    `max_norm = 0` is allowed and zeroes every gradient.
    """
    import math

    import torch

    from dl541_testing import device, require, tidy

    require(clip_grad_norm_=clip_grad_norm_)
    dev = device()
    r = torch.zeros(2, device=dev, requires_grad=True)
    r.grad = torch.tensor([1.0, 2.0], device=dev)
    call = "clip_grad_norm_([r], 0.0) with r.grad = [1.0, 2.0]"
    try:
        total = clip_grad_norm_([r], 0.0)
    except ValueError as exc:
        raise AssertionError(f"{call} raised ValueError({exc}), expected tensor(2.236).") from None
    assert isinstance(total, torch.Tensor) and abs(float(total) - math.sqrt(5)) < 1e-5, tidy(
        f"{call} returned {total!r}, expected sqrt(5) = 2.236, the norm before clipping."
    )
    assert torch.count_nonzero(r.grad) == 0, tidy(f"after {call} r.grad is {r.grad.tolist()}, expected [0.0, 0.0].")


@test_case(points=0.5, hidden=True)
def rejects_negative_max_norm(clip_grad_norm_):
    """validation: a negative max_norm raises ValueError.

    A negative `max_norm` raises `ValueError`.
    """
    import torch

    from dl541_testing import require

    require(clip_grad_norm_=clip_grad_norm_)
    p = torch.zeros(2, requires_grad=True)
    p.grad = torch.ones(2)
    try:
        clip_grad_norm_([p], -1.0)
    except ValueError:
        return
    raise AssertionError("clip_grad_norm_([p], -1.0) returned without raising, expected ValueError.")


@test_case(points=0.5, hidden=True)
def keeps_dtype_and_device(clip_grad_norm_):
    """dtype: the result has the gradients' dtype and device.

    returns the
    norm **before** clipping as a tensor (in the gradients' dtype and device)
    """
    import torch

    from dl541_testing import device, require, same_device_and_dtype

    require(clip_grad_norm_=clip_grad_norm_)
    dev = device()
    for dtype in (torch.float32, torch.float64):
        p = torch.zeros(2, dtype=dtype, device=dev, requires_grad=True)
        p.grad = torch.tensor([3.0, 4.0], dtype=dtype, device=dev)
        total = clip_grad_norm_([p], 1.0)
        same_device_and_dtype(total, p.grad, f"clip_grad_norm_([p], 1.0) with a {dtype} gradient")
