from helpers import _num
from otter.test_files import test_case

OK_FORMAT = False
name = "q4"
points = None


TASKS = ("smile", "age", "gender")


def _toy_network(seed, n, d_in, dev, missing=0.0):
    """A shared trunk and three linear heads built here, their outputs, and targets with gaps."""
    import torch

    g = torch.Generator().manual_seed(seed)
    trunk = torch.randn(d_in, 6, generator=g, dtype=torch.float64).to(dev).requires_grad_(True)
    heads = {t: torch.randn(6, generator=g, dtype=torch.float64).to(dev).requires_grad_(True) for t in TASKS}
    x = torch.randn(n, d_in, generator=g, dtype=torch.float64).to(dev)
    h = torch.tanh(x @ trunk)
    outputs = {t: h @ w for t, w in heads.items()}
    outputs["age"] = 40 + 10 * outputs["age"]
    targets = {
        "smile": torch.randint(0, 2, (n,), generator=g).double(),
        "age": torch.randint(18, 80, (n,), generator=g).double(),
        "gender": torch.randint(0, 2, (n,), generator=g).double(),
    }
    for t in TASKS:
        targets[t][torch.rand(n, generator=g) < missing] = float("nan")
    return trunk, heads, outputs, {t: v.to(dev) for t, v in targets.items()}


@test_case(points=1, hidden=False)
def zero_weight_sends_no_gradient(mtl_loss):
    from dl541_testing import device, require, tidy

    require(mtl_loss=mtl_loss)
    trunk, heads, outputs, targets = _toy_network(0, 8, 3, device())
    total, _ = mtl_loss(outputs, targets, {"smile": 1.0, "age": 0.0, "gender": 1.0})
    total.backward()
    grad = heads["age"].grad
    assert grad is None or bool((grad == 0).all()), (
        tidy(f"with weights {{'smile': 1, 'age': 0, 'gender': 1}}, the age head got gradient {grad.tolist()}, "
        "expected none")
    )
    for task in ("smile", "gender"):
        assert heads[task].grad is not None and bool((heads[task].grad != 0).any()), (
            f"the {task} head (weight 1) got no gradient"
        )


@test_case(points=1, hidden=True)
def zero_weights_and_nonzero_weights(mtl_loss):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(mtl_loss=mtl_loss)
    dev = device()
    weight = st.sampled_from([0.0, 0.0, 0.01, 1.0, 3.0])

    @prop(25)
    @given(st.integers(2, 8), weight, weight, weight, st.integers(0, 2**31 - 1))
    def check(n, w_smile, w_age, w_gender, seed):
        trunk, heads, outputs, targets = _toy_network(seed, n, 3, dev, missing=0.3)
        weights = {"smile": w_smile, "age": w_age, "gender": w_gender}
        total, _ = mtl_loss(outputs, targets, weights)
        total.backward()
        for task, w in weights.items():
            grad = heads[task].grad
            labelled = bool((~torch.isnan(targets[task])).any())
            if w == 0:
                assert grad is None or bool((grad == 0).all()), (
                    f"with weights {weights}, the {task} head got gradient {grad.tolist()}, expected none"
                )
            elif labelled:
                assert grad is not None and bool((grad != 0).any()) and bool(torch.isfinite(grad).all()), (
                    f"with weights {weights}, the {task} head got gradient "
                    f"{None if grad is None else grad.tolist()}, expected a finite non-zero gradient"
                )

    run_property(check)


@test_case(points=2, hidden=True)
def trunk_gradient_is_the_weighted_sum(mtl_loss):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(mtl_loss=mtl_loss)
    dev = device()
    weight = st.floats(0.0, 3.0)

    @prop(20)
    @given(st.integers(2, 8), weight, weight, weight, st.integers(0, 2**31 - 1))
    def check(n, w_smile, w_age, w_gender, seed):
        weights = {"smile": w_smile, "age": w_age, "gender": w_gender}
        trunk, heads, outputs, targets = _toy_network(seed, n, 3, dev, missing=0.25)
        alone = {}
        for task in TASKS:  # the trunk's gradient from each task on its own (weight 1, others 0)
            only = {t: float(t == task) for t in TASKS}
            total, _ = mtl_loss(outputs, targets, only)
            (grad,) = torch.autograd.grad(total, trunk, retain_graph=True, allow_unused=True)
            grad = torch.zeros_like(trunk) if grad is None else grad
            alone[task] = grad
            if bool((~torch.isnan(targets[task])).any()):
                assert bool((grad != 0).any()), (
                    f"with weights {only}, the shared trunk got no gradient: every task with a non-zero "
                    "weight and a label must reach the trunk"
                )
        total, _ = mtl_loss(outputs, targets, weights)
        (grad,) = torch.autograd.grad(total, trunk)
        want = sum(weights[t] * alone[t] for t in TASKS)
        assert torch.allclose(grad, want, rtol=1e-8, atol=1e-10), (
            f"with weights {weights}, the trunk's gradient is not sum(weights[t] * gradient of task t); "
            f"largest difference {float((grad - want).abs().max())}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def unlisted_weights_default_to_one(mtl_loss):
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(mtl_loss=mtl_loss)
    dev = device()

    @prop(15)
    @given(st.integers(1, 6), st.sampled_from(TASKS), st.floats(0.0, 4.0), st.integers(0, 2**31 - 1))
    def check(n, task, w, seed):
        _, _, outputs, targets = _toy_network(seed, n, 2, dev)
        total, parts = mtl_loss(outputs, targets, {task: w})
        want = sum((w if t == task else 1.0) * _num(parts[t]) for t in TASKS)
        assert abs(_num(total) - want) <= 1e-9 * (1 + abs(want)), (
            f"mtl_loss(..., weights={{{task!r}: {w}}}) total is {_num(total)}, expected {want}: a task "
            "missing from weights has weight 1"
        )
        total2, _ = mtl_loss(outputs, targets, {})
        want2 = sum(_num(parts[t]) for t in TASKS)
        assert abs(_num(total2) - want2) <= 1e-9 * (1 + want2), (
            f"mtl_loss(..., weights={{}}) total is {_num(total2)}, expected {want2} (every weight 1)"
        )

    run_property(check)
