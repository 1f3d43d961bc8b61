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
    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(clip_grad_norm_=clip_grad_norm_)
    dev = device()
    p = torch.zeros(2, device=dev, requires_grad=True)
    p.grad = torch.tensor([3.0, 4.0], device=dev)
    total = clip_grad_norm_([p], 1.0)
    same_device_and_dtype(total, p.grad, "clip_grad_norm_([p], 1.0)")
    assert abs(float(total) - 5.0) < 1e-5, tidy(f"clip_grad_norm_ returned {total}, expected the norm before clipping, 5")
    expected = torch.tensor([3.0, 4.0], device=dev) / (5.0 + 1e-6)
    assert torch.allclose(p.grad, expected, atol=1e-6), (
        tidy(f"after clip_grad_norm_([p], 1.0) p.grad is {p.grad.tolist()}, expected {expected.tolist()}")
    )


@test_case(points=2, hidden=True)
def agrees_with_torch(clip_grad_norm_):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(clip_grad_norm_=clip_grad_norm_)
    dev = device()
    shape = st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple)

    @prop(40)
    @given(
        st.lists(st.tuples(shape, st.booleans()), min_size=1, max_size=5).filter(lambda s: any(h for _, h in s)),
        st.floats(-4, 2),
        st.floats(-5, 3),
        st.sampled_from([torch.float32, torch.float64]),
        st.integers(0, 2**31 - 1),
    )
    def check(spec, log_scale, log_max, dtype, seed):
        g = torch.Generator().manual_seed(seed)
        shapes, has_grad = [s for s, _ in spec], [h for _, h in spec]
        params = _random_parameters(shapes, has_grad, log_scale, dtype, g, dev)
        theirs = _copies(params)
        max_norm = 10.0**log_max
        expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm)
        got = clip_grad_norm_(params, max_norm)
        call = f"clip_grad_norm_({len(params)} parameters of shapes {shapes}, max_norm={max_norm:.3g})"
        same_device_and_dtype(got, expected, call)
        tol = 1e-5 if dtype == torch.float32 else 1e-10
        assert torch.allclose(got, expected, rtol=tol, atol=0), (
            f"{call} returned {float(got):.8g}, expected the global norm before clipping {float(expected):.8g}"
        )
        for k, (p, q) in enumerate(zip(params, theirs)):
            if q.grad is None:
                assert p.grad is None, f"{call}: parameter {k} had no gradient and must keep none"
                continue
            assert torch.allclose(p.grad, q.grad, rtol=tol, atol=tol * 1e-6 * float(q.grad.abs().max())), (
                f"{call}: gradient {k} is {p.grad.flatten()[:4].tolist()}..., torch's clip_grad_norm_ gives "
                f"{q.grad.flatten()[:4].tolist()}... (coefficient max_norm / (total + 1e-6), applied when below 1)"
            )

    run_property(check)


@test_case(points=1, hidden=True)
def never_increases_a_norm(clip_grad_norm_):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(clip_grad_norm_=clip_grad_norm_)
    dev = device()

    @prop(40)
    @given(st.lists(st.integers(1, 6), min_size=1, max_size=4), st.floats(-3, 3), st.floats(-3, 3),
           st.integers(0, 2**31 - 1))
    def check(sizes, log_scale, log_max, seed):
        g = torch.Generator().manual_seed(seed)
        params = _random_parameters([(s,) for s in sizes], [True] * len(sizes), log_scale, torch.float64, g, dev)
        before = [p.grad.clone() for p in params]
        total_before = float(torch.cat([b.flatten() for b in before]).norm())
        max_norm = 10.0**log_max
        clip_grad_norm_(params, max_norm)
        after = [p.grad for p in params]
        total_after = float(torch.cat([a.flatten() for a in after]).norm())
        call = f"clip_grad_norm_ with total norm {total_before:.4g} and max_norm {max_norm:.4g}"
        assert total_after <= total_before * (1 + 1e-12), f"{call} increased the norm to {total_after:.6g}"
        assert total_after <= max_norm * (1 + 1e-9), f"{call} left a global norm of {total_after:.6g} > max_norm"
        if total_before + 1e-6 <= max_norm:
            for a, b in zip(after, before):
                assert torch.equal(a, b), f"{call} changed gradients although they were within max_norm"
        else:
            coef = [float((a * b).sum() / (b * b).sum()) for a, b in zip(after, before)]
            assert max(coef) - min(coef) < 1e-9 * max(coef) + 1e-15, (
                f"{call} scaled the gradients by different factors {coef}: scale all of them together"
            )

    run_property(check)


@test_case(points=1, hidden=True)
def accepts_model_parameters_generator(clip_grad_norm_):
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
    assert isinstance(got, torch.Tensor) and torch.allclose(got, expected, rtol=1e-5), (
        tidy(f"clip_grad_norm_(model.parameters(), 0.5) returned {got}, expected {float(expected):.6g}")
    )
    for k, (p, t) in enumerate(zip(model.parameters(), theirs)):
        assert torch.allclose(p.grad, t, rtol=1e-5, atol=1e-7), (
            f"clip_grad_norm_(model.parameters(), 0.5) left parameter {k}'s gradient unclipped or wrong: "
            "model.parameters() is a generator and can be iterated only once (make a list first)"
        )


@test_case(points=1, hidden=True)
def rejects_negative_max_norm(clip_grad_norm_):
    import torch

    from dl541_testing import require

    require(clip_grad_norm_=clip_grad_norm_)
    p = torch.zeros(2, requires_grad=True)
    p.grad = torch.ones(2)
    try:
        clip_grad_norm_([p], -1.0)
    except ValueError:
        return
    raise AssertionError("clip_grad_norm_([p], -1.0) should raise ValueError: max_norm must be >= 0")


@test_case(points=1, hidden=True)
def single_tensor_no_gradient_and_max_norm_zero(clip_grad_norm_):
    import math

    import torch

    from dl541_testing import device, require, tidy

    require(clip_grad_norm_=clip_grad_norm_)
    dev = device()
    p = torch.zeros(3, device=dev, requires_grad=True)
    p.grad = torch.tensor([3.0, 0.0, 4.0], device=dev)
    total = clip_grad_norm_(p, 1.0)
    expected = torch.tensor([3.0, 0.0, 4.0], device=dev) / (5.0 + 1e-6)
    assert isinstance(total, torch.Tensor) and abs(float(total) - 5.0) < 1e-5, (
        tidy(f"clip_grad_norm_(p, 1.0) with a single tensor p returned {total}, expected tensor(5.)")
    )
    assert torch.allclose(p.grad, expected, atol=1e-6), (
        tidy(f"clip_grad_norm_(p, 1.0) with a single tensor p left p.grad = {p.grad.tolist()}, expected "
        f"{expected.tolist()} (a lone tensor counts as a list of one)")
    )
    q = torch.zeros(2, device=dev, requires_grad=True)
    total = clip_grad_norm_([q], 1.0)
    assert total is not None and float(total) == 0.0 and q.grad is None, (
        tidy(f"clip_grad_norm_([q], 1.0) with q.grad None returned {total}, expected tensor(0.) and q.grad still None")
    )
    r = torch.zeros(2, device=dev, requires_grad=True)
    r.grad = torch.tensor([1.0, 2.0], device=dev)
    try:
        total = clip_grad_norm_([r], 0.0)
    except ValueError as exc:
        raise AssertionError(f"clip_grad_norm_([r], 0.0) raised ValueError({exc}); max_norm = 0 is allowed") from None
    assert isinstance(total, torch.Tensor) and abs(float(total) - math.sqrt(5)) < 1e-5, (
        tidy(f"clip_grad_norm_([r], 0.0) returned {total}, expected the norm before clipping, sqrt(5)")
    )
    assert torch.count_nonzero(r.grad) == 0, (
        tidy(f"clip_grad_norm_([r], 0.0) left r.grad = {r.grad.tolist()}, expected zeros (coefficient 0)")
    )

