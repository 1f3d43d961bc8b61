from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


def _reached(net, x):
    """For each task, the parameter entries (tensor index, flat index) its output's gradient reaches."""
    import torch

    params = [p for p in net.parameters() if p.requires_grad]
    reached = {}
    for task in ("smile", "age", "gender"):
        net.zero_grad(set_to_none=True)
        net(x)[task].sum().backward()
        reached[task] = {
            (i, int(j))
            for i, p in enumerate(params)
            if p.grad is not None
            for j in torch.nonzero(p.grad.flatten() != 0).flatten()
        }
    return reached


def _sharing_problem(reached, call):
    """What breaks the rule that the tasks share a trunk and own a head each; None when nothing does."""
    shared = reached["smile"] & reached["age"] & reached["gender"]
    if not shared:
        return f"{call}: no parameter gets gradient from all three outputs, so the tasks share no trunk"
    for task, own in reached.items():
        others = set().union(*(r for t, r in reached.items() if t != task))
        if not own - others:
            return (
                f"{call}: every parameter that the {task} output reaches is also reached by another task, "
                f"so {task} has no head of its own"
            )
    return None


def _fit(net, x, targets, steps, lr):
    """Train `net` with Adam (written out) on the loss of Question 2 (age scaled by 1/100); its losses after."""
    import torch
    import torch.nn.functional as F

    def losses():
        out = net(x)
        return {
            "smile": F.binary_cross_entropy_with_logits(out["smile"], targets["smile"]),
            "gender": F.binary_cross_entropy_with_logits(out["gender"], targets["gender"]),
            "age": F.mse_loss(out["age"], targets["age"]),
        }

    params = [p for p in net.parameters() if p.requires_grad]
    m = [torch.zeros_like(p) for p in params]
    v = [torch.zeros_like(p) for p in params]
    for step in range(1, steps + 1):
        parts = losses()
        loss = parts["smile"] + parts["gender"] + parts["age"] / 100
        grads = torch.autograd.grad(loss, params, allow_unused=True)  # a parameter no output uses: None
        with torch.no_grad():
            for p, gr, mi, vi in zip(params, grads, m, v):
                gr = torch.zeros_like(p) if gr is None else gr
                mi.mul_(0.9).add_(0.1 * gr)
                vi.mul_(0.999).add_(0.001 * gr * gr)
                p -= lr * (mi / (1 - 0.9**step)) / ((vi / (1 - 0.999**step)).sqrt() + 1e-8)
    with torch.no_grad():
        return {task: float(value) for task, value in losses().items()}


@test_case(points=1, hidden=False)
def lecture_shapes(MultiTaskNet):
    """core: MultiTaskNet(8, 16) on a batch of 5 gives three outputs of shape (5,).

    forward(x) returns {"smile": (n,), "age": (n,), "gender": (n,)} (logits, years, logits).

    the keys are exactly "smile", "age", "gender" (the constant TASKS) and each value has shape (n,)
    """
    import torch

    from dl541_testing import device, require

    require(MultiTaskNet=MultiTaskNet)
    dev = device()
    torch.manual_seed(0)
    net = MultiTaskNet(8, 16).to(dev)
    out = net(torch.randn(5, 8, device=dev))
    assert isinstance(out, dict), (
        f"MultiTaskNet(8, 16) on x of shape (5, 8) returned a {type(out).__name__}, not a dict"
    )
    assert set(out) == {"smile", "age", "gender"}, (
        f"MultiTaskNet(8, 16) on x of shape (5, 8) returned the keys {sorted(out)}, not smile, age and gender "
        "(the constant TASKS)"
    )
    for task, value in out.items():
        assert isinstance(value, torch.Tensor) and tuple(value.shape) == (5,), (
            f"MultiTaskNet(8, 16) on x of shape (5, 8): output {task} is {getattr(value, 'shape', value)}, "
            "not a tensor of shape (5,)"
        )


@test_case(points=1, hidden=False)
def raw_outputs_fit_constant_labels(MultiTaskNet):
    """core: trained on labels smile 1, gender 0, age 30, the net fits them closely.

    the outputs are raw: logits for smile and gender (no sigmoid, the loss applies it) and years for
    age (no ReLU or clamp), so that training with the loss of Question 2 can fit any labels
    """
    import torch

    from dl541_testing import require, tidy

    require(MultiTaskNet=MultiTaskNet)
    x = torch.randn(32, 4, generator=torch.Generator().manual_seed(0))
    targets = {"smile": torch.ones(32), "gender": torch.zeros(32), "age": torch.full((32,), 30.0)}
    torch.manual_seed(0)
    got = _fit(MultiTaskNet(4, 8), x, targets, steps=300, lr=0.1)
    limits = {"smile": 0.05, "gender": 0.05, "age": 4.0}
    for task, value in got.items():
        assert value < limits[task], tidy(
            f"MultiTaskNet(4, 8) after 300 Adam steps on 32 rows labelled smile 1, gender 0, age 30: the {task} "
            f"loss is {value:.4f}, not below {limits[task]}; raw outputs (logits, years) can fit these labels"
        )


@test_case(points=1, hidden=False)
def tasks_share_the_trunk(MultiTaskNet):
    """core: in MultiTaskNet(4, 8), some parameters serve every task and each task has its own.

    some parameters are reached by every task's output (the shared trunk) and each task reaches
    parameters no other task reaches (its head)
    """
    import torch

    from dl541_testing import require

    require(MultiTaskNet=MultiTaskNet)
    torch.manual_seed(0)
    net = MultiTaskNet(4, 8).double()
    x = torch.randn(16, 4, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    problem = _sharing_problem(_reached(net, x), "MultiTaskNet(4, 8) on 16 random rows")
    assert problem is None, problem


@test_case(points=0.5, hidden=False)
def batch_of_one(MultiTaskNet):
    """edge: a batch of one row gives outputs of shape (1,).

    each value has shape (n,), not (n, 1), also when n = 1
    """
    import torch

    from dl541_testing import device, require

    require(MultiTaskNet=MultiTaskNet)
    dev = device()
    torch.manual_seed(0)
    net = MultiTaskNet(3, 4).to(dev)
    out = net(torch.randn(1, 3, device=dev))
    assert isinstance(out, dict) and set(out) == {"smile", "age", "gender"}, (
        f"MultiTaskNet(3, 4) on x of shape (1, 3) returned {type(out).__name__} "
        f"{sorted(out) if isinstance(out, dict) else ''}, not a dict with keys smile, age, gender"
    )
    for task, value in out.items():
        assert isinstance(value, torch.Tensor) and tuple(value.shape) == (1,), (
            f"MultiTaskNet(3, 4) on x of shape (1, 3): output {task} has shape "
            f"{tuple(getattr(value, 'shape', ()))}, not (1,)"
        )


@test_case(points=0.5, hidden=False)
def rejects_a_wrong_width(MultiTaskNet):
    """validation: MultiTaskNet(4, 8) on x of shape (3, 5) raises ValueError.

    x that is not of shape (n, d_in) raises ValueError
    """
    import torch

    from dl541_testing import require

    require(MultiTaskNet=MultiTaskNet)
    torch.manual_seed(0)
    net = MultiTaskNet(4, 8)
    try:
        net(torch.zeros(3, 5))
    except ValueError:
        return
    raise AssertionError("MultiTaskNet(4, 8) on x of shape (3, 5) returned without raising ValueError")


@test_case(points=1, hidden=True)
def shapes_on_random_nets(MultiTaskNet):
    """core: on random sizes, the outputs are a dict of three tensors of shape (n,).

    forward(x) returns {"smile": (n,), "age": (n,), "gender": (n,)} (logits, years, logits).

    the keys are exactly "smile", "age", "gender" (the constant TASKS) and each value has shape (n,)
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(MultiTaskNet=MultiTaskNet)
    dev = device()

    @for_all(st.integers(1, 10), st.integers(1, 12), st.integers(2, 7), seeds(), examples=15)
    def check(d_in, hidden, n, seed):
        torch.manual_seed(seed)
        net = MultiTaskNet(d_in, hidden).to(dev)
        assert isinstance(net, torch.nn.Module), (
            f"MultiTaskNet({d_in}, {hidden}) is a {type(net).__name__}, not an nn.Module"
        )
        x = torch.randn(n, d_in, generator=torch.Generator().manual_seed(seed)).to(dev)
        out = net(x)
        assert isinstance(out, dict) and set(out) == {"smile", "age", "gender"}, (
            f"MultiTaskNet({d_in}, {hidden}) on x of shape {(n, d_in)} returned {type(out).__name__} "
            f"{sorted(out) if isinstance(out, dict) else ''}, not a dict with keys smile, age, gender"
        )
        for task, value in out.items():
            assert isinstance(value, torch.Tensor) and tuple(value.shape) == (n,), (
                f"MultiTaskNet({d_in}, {hidden}) on x of shape {(n, d_in)}: output {task} has shape "
                f"{tuple(getattr(value, 'shape', ()))}, not ({n},)"
            )


@test_case(points=4, hidden=True)
def shared_trunk_and_own_heads(MultiTaskNet):
    """core: on random sizes, some parameters serve every task and each task has its own.

    some parameters are reached by every task's output (the shared trunk) and each task reaches
    parameters no other task reaches (its head)
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(MultiTaskNet=MultiTaskNet)

    @for_all(st.integers(1, 8), st.integers(4, 16), seeds(), examples=8)
    def check(d_in, hidden, seed):
        torch.manual_seed(seed)
        net = MultiTaskNet(d_in, hidden).double()
        x = torch.randn(64, d_in, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
        problem = _sharing_problem(_reached(net, x), f"MultiTaskNet({d_in}, {hidden}) on 64 random rows")
        assert problem is None, problem


@test_case(points=4, hidden=True)
def learns_all_three_tasks(MultiTaskNet):
    """core: trained on an easy data set, every task's loss gets small.

    the outputs are raw: logits for smile and gender (no sigmoid, the loss applies it) and years for
    age (no ReLU or clamp), so that training with the loss of Question 2 can fit any labels
    """
    import torch

    from dl541_testing import require, tidy

    require(MultiTaskNet=MultiTaskNet)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(128, 6, generator=g)
    targets = {
        "smile": (x[:, 0] > 0).float(),
        "gender": (x[:, 1] + 0.5 * x[:, 3] > 0).float(),
        "age": 35 + 10 * x[:, 2],
    }
    torch.manual_seed(0)
    got = _fit(MultiTaskNet(6, 32), x, targets, steps=150, lr=0.05)
    limits = {"smile": 0.15, "gender": 0.15, "age": 200.0}  # the ages have variance 100; 0 for all: over 1000
    for task, value in got.items():
        assert value < limits[task], tidy(
            f"MultiTaskNet(6, 32) after 150 Adam steps on 128 rows whose labels are simple functions of x: "
            f"the {task} loss is {value:.3f}, not below {limits[task]}; raw outputs (logits, years) fit them"
        )


@test_case(points=1, hidden=True)
def trunk_is_nonlinear(MultiTaskNet):
    """core: on random segments, some output at the midpoint is not the mean of the ends.

    the trunk is nonlinear (a ReLU, or another nonlinearity, after its nn.Linear): with a linear trunk
    every output would be an affine function of x
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(MultiTaskNet=MultiTaskNet)

    @for_all(st.integers(1, 5), st.integers(4, 16), seeds(), examples=8)
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
            f"MultiTaskNet({d_in}, {hidden}) on 64 random segments: every output at the midpoint is the mean "
            f"of the outputs at the ends (largest gap {max(gaps.values()):.2e}), so the outputs are affine in x"
        )


@test_case(points=0.5, hidden=True)
def keeps_the_model_dtype_and_device(MultiTaskNet):
    """dtype: a float32 or float64 model gives outputs of its dtype, on its device.

    outputs have the dtype and device of the model
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, same_device_and_dtype, seeds

    require(MultiTaskNet=MultiTaskNet)
    dev = device()

    @for_all(st.integers(1, 6), st.integers(1, 8), st.booleans(), seeds(), examples=8)
    def check(d_in, hidden, double, seed):
        torch.manual_seed(seed)
        dtype = torch.float64 if double else torch.float32
        net = MultiTaskNet(d_in, hidden).to(device=dev, dtype=dtype)
        x = torch.randn(3, d_in, generator=torch.Generator().manual_seed(seed), dtype=dtype).to(dev)
        out = net(x)
        assert isinstance(out, dict) and set(out) == {"smile", "age", "gender"}, (
            f"MultiTaskNet({d_in}, {hidden}) on x of shape (3, {d_in}) returned {type(out).__name__}, "
            "not a dict with keys smile, age, gender"
        )
        for task, value in out.items():
            same_device_and_dtype(value, x, f"MultiTaskNet({d_in}, {hidden}).to({dtype}) output {task}")


@test_case(points=0.5, hidden=True)
def rejects_wrong_input_shape(MultiTaskNet):
    """validation: x of a wrong width or number of dimensions raises ValueError.

    x that is not of shape (n, d_in) raises ValueError
    """
    import torch

    from dl541_testing import require

    require(MultiTaskNet=MultiTaskNet)
    torch.manual_seed(0)
    net = MultiTaskNet(4, 8)
    for bad in (torch.zeros(3, 3), torch.zeros(2, 6), torch.zeros(4), torch.zeros(2, 3, 4)):
        try:
            net(bad)
        except ValueError:
            continue
        raise AssertionError(
            f"MultiTaskNet(4, 8) on x of shape {tuple(bad.shape)} returned without raising ValueError"
        )


@test_case(points=0.5, hidden=True)
def rejects_sizes_below_one(MultiTaskNet):
    """validation: MultiTaskNet with d_in or hidden below 1 raises ValueError.

    and so does a d_in or a hidden below 1
    """
    from dl541_testing import require

    require(MultiTaskNet=MultiTaskNet)
    for d_in, hidden in ((0, 8), (4, 0), (-2, 8), (4, -1)):
        try:
            MultiTaskNet(d_in, hidden)
        except ValueError:
            continue
        raise AssertionError(f"MultiTaskNet({d_in}, {hidden}) returned without raising ValueError")
