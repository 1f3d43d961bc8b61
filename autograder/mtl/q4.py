from helpers import _expected_parts, _num
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
        gone = torch.rand(n, generator=g) < missing
        gone[torch.randint(0, n, (1,), generator=g)] = False  # every task keeps a label
        targets[t][gone] = float("nan")
    return trunk, heads, outputs, {t: v.to(dev) for t, v in targets.items()}


def _weights_strategy(weight):
    """None, or a dict of weights for some of the tasks (the others have weight 1)."""
    from hypothesis import strategies as st

    return st.none() | st.dictionaries(st.sampled_from(TASKS), weight, max_size=3)


def _trunk_gradient(mtl_loss, trunk, outputs, targets, weights):
    """The gradient of mtl_loss's total with respect to the trunk (zeros when it does not reach it)."""
    import torch

    total, _ = mtl_loss(outputs, targets, weights)
    if not (isinstance(total, torch.Tensor) and total.requires_grad):
        return torch.zeros_like(trunk)
    (grad,) = torch.autograd.grad(total, trunk, retain_graph=True, allow_unused=True)
    return torch.zeros_like(trunk) if grad is None else grad


@test_case(points=1, hidden=False)
def zero_weight_sends_no_gradient(mtl_loss):
    """core: with weights {smile 1, age 0, gender 1} the age head gets no gradient, the others do.

    a task with weight 0 sends no gradient anywhere (its head learns nothing)
    """
    from dl541_testing import device, require

    require(mtl_loss=mtl_loss)
    trunk, heads, outputs, targets = _toy_network(0, 8, 3, device())
    total, _ = mtl_loss(outputs, targets, {"smile": 1.0, "age": 0.0, "gender": 1.0})
    total.backward()
    call = "mtl_loss with weights {smile: 1, age: 0, gender: 1} on a small network, then total.backward()"
    grad = heads["age"].grad
    assert grad is None or bool((grad == 0).all()), (
        f"{call}: the age head got gradient {grad.tolist()}, not none"
    )
    for task in ("smile", "gender"):
        assert heads[task].grad is not None and bool((heads[task].grad != 0).any()), (
            f"{call}: the {task} head (weight 1) got no gradient"
        )


@test_case(points=1, hidden=False)
def trunk_gradient_of_the_lecture_weights(mtl_loss):
    """core: with weights {"age": 0.01} the trunk's gradient is smile's + 0.01 age's + gender's.

    the trunk's gradient is the weighted sum of the tasks' gradients

    the trunk is pulled by every task with a non-zero weight

    a task that the dict does not list has weight 1.
    """
    import torch

    from dl541_testing import device, require

    require(mtl_loss=mtl_loss)
    trunk, _, outputs, targets = _toy_network(1, 8, 3, device())
    alone = {
        task: _trunk_gradient(mtl_loss, trunk, outputs, targets, {t: float(t == task) for t in TASKS})
        for task in TASKS
    }
    for task, grad in alone.items():
        assert bool((grad != 0).any()), (
            f"mtl_loss with weight 1 for {task} and 0 for the others on a small network: the shared trunk got "
            "no gradient"
        )
    got = _trunk_gradient(mtl_loss, trunk, outputs, targets, {"age": 0.01})
    want = alone["smile"] + 0.01 * alone["age"] + alone["gender"]
    assert torch.allclose(got, want, rtol=1e-8, atol=1e-10), (
        "mtl_loss with weights {age: 0.01} on a small network: the trunk's gradient is not the smile "
        "gradient + 0.01 * the age gradient + the gender gradient (each taken with weight 1 for that task "
        f"and 0 for the others); largest difference {float((got - want).abs().max()):.3g}"
    )


@test_case(points=2, hidden=True)
def zero_weights_and_nonzero_weights(mtl_loss):
    """core: on random weights, a task of weight 0 reaches no head, a task of non-zero weight its own.

    a task with weight 0 sends no gradient anywhere (its head learns nothing)

    a task that the dict does not list has weight 1.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(mtl_loss=mtl_loss)
    dev = device()

    @for_all(
        st.integers(2, 8),
        _weights_strategy(st.sampled_from([0.0, 0.0, 0.01, 1.0, 3.0])),
        seeds(),
        examples=25,
    )
    def check(n, weights, seed):
        trunk, heads, outputs, targets = _toy_network(seed, n, 3, dev, missing=0.3)
        total, _ = mtl_loss(outputs, targets, weights)
        total.backward()
        for task in TASKS:
            w = (weights or {}).get(task, 1.0)
            grad = heads[task].grad
            if w == 0:
                assert grad is None or bool((grad == 0).all()), (
                    f"mtl_loss with weights {weights} on a small network: the {task} head (weight 0) got "
                    f"gradient {grad.tolist()}, not none"
                )
            else:
                assert grad is not None and bool((grad != 0).any()) and bool(torch.isfinite(grad).all()), (
                    f"mtl_loss with weights {weights} on a small network: the {task} head (weight {w}) got "
                    f"gradient {None if grad is None else grad.tolist()}, not a finite non-zero one"
                )


@test_case(points=3, hidden=True)
def trunk_gradient_is_the_weighted_sum(mtl_loss):
    """core: on random weights, the trunk's gradient is the weighted sum of the tasks' own gradients.

    the trunk's gradient is the weighted sum of the tasks' gradients

    the trunk is pulled by every task with a non-zero weight
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(mtl_loss=mtl_loss)
    dev = device()

    @for_all(st.integers(2, 8), _weights_strategy(st.floats(0.0, 3.0)), seeds(), examples=20)
    def check(n, weights, seed):
        trunk, _, outputs, targets = _toy_network(seed, n, 3, dev, missing=0.25)
        alone = {}
        for task in TASKS:  # the trunk's gradient from each task on its own (weight 1, others 0)
            only = {t: float(t == task) for t in TASKS}
            alone[task] = _trunk_gradient(mtl_loss, trunk, outputs, targets, only)
            assert bool((alone[task] != 0).any()), (
                f"mtl_loss with weights {only} on a small network: the shared trunk got no gradient"
            )
        got = _trunk_gradient(mtl_loss, trunk, outputs, targets, weights)
        want = sum((weights or {}).get(t, 1.0) * alone[t] for t in TASKS)
        assert torch.allclose(got, want, rtol=1e-8, atol=1e-10), (
            f"mtl_loss with weights {weights} on a small network: the trunk's gradient is not "
            f"sum(weights[t] * gradient of task t alone); largest difference {float((got - want).abs().max())}"
        )


@test_case(points=1, hidden=True)
def unlisted_weights_default_to_one(mtl_loss):
    """core: a weights dict that lists one task gives every other task weight 1.

    a task that the dict does not list has weight 1.
    """
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(mtl_loss=mtl_loss)
    dev = device()

    @for_all(st.integers(2, 6), st.sampled_from(TASKS), st.floats(0.0, 4.0), seeds(), examples=15)
    def check(n, task, w, seed):
        _, _, outputs, targets = _toy_network(seed, n, 2, dev)
        parts = _expected_parts(outputs, targets)
        total, _ = mtl_loss(outputs, targets, {task: w})
        want = sum((w if t == task else 1.0) * parts[t] for t in TASKS)
        assert abs(_num(total) - want) <= 1e-9 * (1 + abs(want)), (
            f"mtl_loss with weights {{{task}: {w}}} on a small network: total is {_num(total)}, not {want}, "
            "where the unlisted tasks have weight 1"
        )
        total2, _ = mtl_loss(outputs, targets, {})
        want2 = sum(parts.values())
        assert abs(_num(total2) - want2) <= 1e-9 * (1 + want2), (
            f"mtl_loss with weights {{}} on a small network: total is {_num(total2)}, not {want2} (every weight 1)"
        )
