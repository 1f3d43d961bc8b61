from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


@test_case(points=1, hidden=False)
def lecture_shapes(MultiTaskNet):
    import torch

    from dl541_testing import device, require

    require(MultiTaskNet=MultiTaskNet)
    dev = device()
    torch.manual_seed(0)
    net = MultiTaskNet(8, 16).to(dev)
    out = net(torch.randn(5, 8, device=dev))
    assert isinstance(out, dict), f"MultiTaskNet(8, 16)(x) returned {type(out)}, expected a dict"
    assert set(out) == {"smile", "age", "gender"}, (
        f"MultiTaskNet(8, 16)(x) has keys {sorted(out)}, expected 'smile', 'age' and 'gender' (the constant TASKS)."
    )
    for task, value in out.items():
        assert isinstance(value, torch.Tensor) and tuple(value.shape) == (5,), (
            f"output {task!r} for x of shape (5, 8) is {getattr(value, 'shape', value)!r}, "
            "expected shape (5,)"
        )


@test_case(points=1, hidden=True)
def shapes_device_and_dtype(MultiTaskNet):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(MultiTaskNet=MultiTaskNet)
    dev = device()

    @prop(20)
    @given(
        st.integers(1, 10), st.integers(1, 12), st.integers(1, 7), st.booleans(), st.integers(0, 2**31 - 1)
    )
    def check(d_in, hidden, n, double, seed):
        torch.manual_seed(seed)
        net = MultiTaskNet(d_in, hidden).to(dev)
        assert isinstance(net, torch.nn.Module), f"MultiTaskNet(...) is a {type(net)}, expected an nn.Module"
        dtype = torch.float64 if double else torch.float32
        net = net.to(dtype)
        x = torch.randn(n, d_in, generator=torch.Generator().manual_seed(seed), dtype=dtype).to(dev)
        out = net(x)
        assert isinstance(out, dict) and set(out) == {"smile", "age", "gender"}, (
            f"MultiTaskNet({d_in}, {hidden})(x) returned {type(out).__name__} "
            f"{sorted(out) if isinstance(out, dict) else ''}, expected a dict with smile, age, gender"
        )
        for task, value in out.items():
            same_device_and_dtype(value, x, f"output {task!r}")
            assert tuple(value.shape) == (n,), (
                f"MultiTaskNet({d_in}, {hidden}) on x of shape {(n, d_in)}: output {task!r} has shape "
                f"{tuple(value.shape)}, expected ({n},)"
            )

    run_property(check)


@test_case(points=1, hidden=True)
def shared_trunk_and_own_heads(MultiTaskNet):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property

    require(MultiTaskNet=MultiTaskNet)

    @prop(8)
    @given(st.integers(2, 8), st.integers(4, 16), st.integers(0, 2**31 - 1))
    def check(d_in, hidden, seed):
        torch.manual_seed(seed)
        net = MultiTaskNet(d_in, hidden).double()
        params = [p for p in net.parameters() if p.requires_grad]
        x = torch.randn(64, d_in, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
        reached = {}  # task -> the parameter entries (tensor index, flat index) its output depends on
        for task in ("smile", "age", "gender"):
            net.zero_grad(set_to_none=True)
            net(x)[task].sum().backward()
            reached[task] = {
                (i, int(j))
                for i, p in enumerate(params)
                if p.grad is not None
                for j in torch.nonzero(p.grad.flatten() != 0).flatten()
            }
        shared = reached["smile"] & reached["age"] & reached["gender"]
        assert shared, (
            f"MultiTaskNet({d_in}, {hidden}): no parameter gets gradient from all three outputs; "
            "the tasks must share a trunk"
        )
        for task, own in reached.items():
            others = set().union(*(r for t, r in reached.items() if t != task))
            assert own - others, (
                f"MultiTaskNet({d_in}, {hidden}): every parameter that {task!r} reaches is also reached "
                "by another task; each task needs its own head"
            )

    run_property(check)


@test_case(points=1, hidden=True)
def learns_all_three_tasks(MultiTaskNet):
    import torch
    import torch.nn.functional as F

    from dl541_testing import require, tidy

    require(MultiTaskNet=MultiTaskNet)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(128, 6, generator=g)
    smile = (x[:, 0] > 0).float()
    gender = (x[:, 1] + 0.5 * x[:, 3] > 0).float()
    age = 35 + 10 * x[:, 2]
    torch.manual_seed(0)
    net = MultiTaskNet(6, 32)
    params = [p for p in net.parameters() if p.requires_grad]
    m = [torch.zeros_like(p) for p in params]
    v = [torch.zeros_like(p) for p in params]
    for step in range(1, 151):  # Adam, written out
        out = net(x)
        loss = (
            F.binary_cross_entropy_with_logits(out["smile"], smile)
            + F.binary_cross_entropy_with_logits(out["gender"], gender)
            + F.mse_loss(out["age"], age) / 100
        )
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, gr, mi, vi in zip(params, grads, m, v):
                mi.mul_(0.9).add_(0.1 * gr)
                vi.mul_(0.999).add_(0.001 * gr * gr)
                p -= 0.05 * (mi / (1 - 0.9**step)) / ((vi / (1 - 0.999**step)).sqrt() + 1e-8)
    with torch.no_grad():
        out = net(x)
        got = {
            "smile": float(F.binary_cross_entropy_with_logits(out["smile"], smile)),
            "gender": float(F.binary_cross_entropy_with_logits(out["gender"], gender)),
            "age": float(F.mse_loss(out["age"], age)),
        }
    limits = {"smile": 0.15, "gender": 0.15, "age": 20.0}
    for task, value in got.items():
        assert value < limits[task], (
            tidy(f"after training MultiTaskNet(6, 32) on an easy task, the {task} loss is {value:.3f}, expected "
            f"below {limits[task]}: smile and gender outputs must be raw logits and age raw years "
            "(no sigmoid, clamp or ReLU after the heads)")
        )


@test_case(points=1, hidden=True)
def rejects_wrong_input_shape(MultiTaskNet):
    import torch

    from dl541_testing import require

    require(MultiTaskNet=MultiTaskNet)
    torch.manual_seed(0)
    net = MultiTaskNet(4, 8)
    for bad in (torch.zeros(3, 5), torch.zeros(3, 3), torch.zeros(4)):
        try:
            net(bad)
        except ValueError:
            continue
        raise AssertionError(
            f"MultiTaskNet(4, 8) on x of shape {tuple(bad.shape)} should raise ValueError"
        )


@test_case(points=1, hidden=True)
def rejects_sizes_below_one(MultiTaskNet):
    from dl541_testing import require

    require(MultiTaskNet=MultiTaskNet)
    for d_in, hidden in ((0, 8), (4, 0), (-2, 8), (4, -1)):
        try:
            MultiTaskNet(d_in, hidden)
        except ValueError:
            continue
        raise AssertionError(f"MultiTaskNet({d_in}, {hidden}) should raise ValueError: d_in and hidden are >= 1")


@test_case(points=1, hidden=True)
def trunk_is_nonlinear(MultiTaskNet):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property

    require(MultiTaskNet=MultiTaskNet)

    @prop(8)
    @given(st.integers(1, 5), st.integers(4, 16), st.integers(0, 2**31 - 1))
    def check(d_in, hidden, seed):
        torch.manual_seed(seed)
        net = MultiTaskNet(d_in, hidden).double()
        g = torch.Generator().manual_seed(seed)
        a = 3 * torch.randn(64, d_in, generator=g, dtype=torch.float64)
        b = 3 * torch.randn(64, d_in, generator=g, dtype=torch.float64)
        with torch.no_grad():
            fa, fb, fm = net(a), net(b), net((a + b) / 2)
        gaps = {t: float(((fa[t] + fb[t]) / 2 - fm[t]).abs().max()) for t in ("smile", "age", "gender")}
        scale = max(float(fa[t].abs().max()) + float(fb[t].abs().max()) for t in gaps) + 1e-12
        assert max(gaps.values()) > 1e-6 * scale, (
            f"MultiTaskNet({d_in}, {hidden}): on 64 random segments every output at the midpoint is the mean of "
            f"the outputs at the ends (largest gap {max(gaps.values()):.2e}): the network is affine in x; "
            "the shared trunk needs a nonlinearity (a ReLU after its Linear)"
        )

    run_property(check)

