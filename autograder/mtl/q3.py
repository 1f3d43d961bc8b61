from helpers import _expected_parts, _num
from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


TASKS = ("smile", "age", "gender")


def _batch_with_gaps(seed, n, missing, dtype, dev):
    """Outputs that require grad and targets where each label is NaN with probability `missing`."""
    import torch

    g = torch.Generator().manual_seed(seed)
    outputs = {
        "smile": 3 * torch.randn(n, generator=g, dtype=dtype),
        "age": 40 + 15 * torch.randn(n, generator=g, dtype=dtype),
        "gender": 3 * torch.randn(n, generator=g, dtype=dtype),
    }
    targets = {
        "smile": torch.randint(0, 2, (n,), generator=g).to(dtype),
        "age": torch.randint(18, 80, (n,), generator=g).to(dtype),
        "gender": torch.randint(0, 2, (n,), generator=g).to(dtype),
    }
    for task in TASKS:
        gone = torch.rand(n, generator=g) < missing
        targets[task][gone] = float("nan")
    outputs = {k: v.to(dev).requires_grad_(True) for k, v in outputs.items()}
    return outputs, {k: v.to(dev) for k, v in targets.items()}


@test_case(points=1, hidden=False)
def lecture_example_with_a_missing_label(mtl_loss):
    import math

    import torch

    from dl541_testing import require, tidy

    require(mtl_loss=mtl_loss)
    nan = float("nan")
    outputs = {
        "smile": torch.tensor([2.0, -1.0, 0.5], requires_grad=True),
        "age": torch.tensor([30.0, 50.0, 20.0], requires_grad=True),
        "gender": torch.tensor([0.0, 0.0, 1.0], requires_grad=True),
    }
    targets = {
        "smile": torch.tensor([1.0, nan, 0.0]),
        "age": torch.tensor([nan, 47.0, nan]),
        "gender": torch.tensor([1.0, 0.0, 1.0]),
    }
    total, parts = mtl_loss(outputs, targets)
    expected = _expected_parts(outputs, targets)
    for task, value in expected.items():
        assert abs(_num(parts[task]) - value) < 1e-5, (
            tidy(f"parts[{task!r}] is {_num(parts[task])}, expected {value} (mean over the present labels only)")
        )
    assert math.isfinite(_num(total)), tidy(f"total is {_num(total)}; a missing label must be left out")
    total.backward()
    for task, predicted in outputs.items():
        assert predicted.grad is not None and bool(torch.isfinite(predicted.grad).all()), (
            f"after total.backward(), outputs[{task!r}].grad is {predicted.grad}; it must be finite everywhere"
        )


@test_case(points=2, hidden=True)
def present_labels_only_and_finite_gradients(mtl_loss):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(mtl_loss=mtl_loss)
    dev = device()

    @prop(40)
    @given(st.integers(1, 9), st.sampled_from([0.0, 0.3, 0.7, 1.0]), st.booleans(), st.integers(0, 2**31 - 1))
    def check(n, missing, double, seed):
        dtype = torch.float64 if double else torch.float32
        outputs, targets = _batch_with_gaps(seed, n, missing, dtype, dev)
        total, parts = mtl_loss(outputs, targets)
        expected = _expected_parts(outputs, targets)
        tol = 1e-9 if double else 1e-4
        for task, value in expected.items():
            got = _num(parts[task])
            assert abs(got - value) <= tol * (1 + value), (
                f"parts[{task!r}] is {got}, expected {value}: the mean over the "
                f"{int((~torch.isnan(targets[task])).sum())} present labels of {n} (0 when none)"
            )
        want = sum(expected.values())
        assert abs(_num(total) - want) <= tol * (1 + want), f"total is {_num(total)}, expected {want}"
        total.backward()
        for task, predicted in outputs.items():
            grad = predicted.grad
            assert grad is not None, f"after total.backward(), outputs[{task!r}].grad is None"
            assert bool(torch.isfinite(grad).all()), (
                f"after total.backward(), outputs[{task!r}].grad is {grad.tolist()} with targets "
                f"{targets[task].tolist()}: a missing label must never put a NaN into a gradient "
                "(select the present labels before computing the loss)"
            )
            gone = torch.isnan(targets[task])
            assert bool((grad[gone] == 0).all()), (
                f"outputs[{task!r}].grad is {grad.tolist()}; it must be 0 where the label is missing"
            )

    run_property(check)


@test_case(points=1, hidden=True)
def missing_rows_change_nothing(mtl_loss):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(mtl_loss=mtl_loss)
    dev = device()

    @prop(25)
    @given(st.integers(1, 7), st.integers(1, 5), st.integers(0, 2**31 - 1))
    def check(n, extra, seed):
        outputs, targets = _batch_with_gaps(seed, n, 0.3, torch.float64, dev)
        total, parts = mtl_loss(outputs, targets)
        total.backward()
        g = torch.Generator().manual_seed(seed + 7)
        where = torch.randperm(n + extra, generator=g).to(dev)
        keep, add = where[:n].sort().values, where[n:]
        big, bigt = {}, {}
        for task in TASKS:  # extra rows: wild outputs, every label missing, interleaved with the others
            o = torch.empty(n + extra, dtype=torch.float64, device=dev)
            o[keep] = outputs[task].detach()
            o[add] = (1e3 * torch.randn(extra, generator=g, dtype=torch.float64)).to(dev)
            t = torch.full((n + extra,), float("nan"), dtype=torch.float64, device=dev)
            t[keep] = targets[task]
            big[task], bigt[task] = o.requires_grad_(True), t
        total2, parts2 = mtl_loss(big, bigt)
        total2.backward()
        for task in TASKS:
            a, b = _num(parts[task]), _num(parts2[task])
            assert abs(a - b) <= 1e-9 * (1 + abs(a)), (
                f"adding {extra} rows whose labels are all missing changed parts[{task!r}] from {a} to {b}"
            )
            grad2 = big[task].grad
            old = outputs[task].grad
            same = grad2 is not None and torch.allclose(grad2[keep], old, rtol=1e-9, atol=1e-12)
            assert same, (
                f"adding rows with missing labels changed the gradient of outputs[{task!r}] at the old rows"
            )
            assert bool((grad2[add] == 0).all()), (
                f"rows whose {task} label is missing got gradient {grad2[add].tolist()}, expected 0"
            )
        assert abs(_num(total) - _num(total2)) <= 1e-9 * (1 + abs(_num(total))), (
            f"adding rows with missing labels changed total from {_num(total)} to {_num(total2)}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def task_without_labels_contributes_zero(mtl_loss):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(mtl_loss=mtl_loss)
    dev = device()

    @prop(20)
    @given(st.integers(1, 6), st.sets(st.sampled_from(TASKS), min_size=1), st.integers(0, 2**31 - 1))
    def check(n, empty, seed):
        outputs, targets = _batch_with_gaps(seed, n, 0.0, torch.float64, dev)
        for task in empty:
            targets[task] = torch.full((n,), float("nan"), dtype=torch.float64, device=dev)
        total, parts = mtl_loss(outputs, targets)
        for task in empty:
            assert isinstance(parts[task], torch.Tensor) and _num(parts[task]) == 0.0, (
                f"task {task!r} has no label in the batch; parts[{task!r}] is {parts[task]!r}, expected tensor 0"
            )
        want = sum(v for t, v in _expected_parts(outputs, targets).items() if t not in empty)
        assert abs(_num(total) - want) <= 1e-9 * (1 + want), (
            f"with no label for {sorted(empty)}, total is {_num(total)}, expected {want}"
        )
        if total.requires_grad:
            total.backward()
        for task in empty:
            grad = outputs[task].grad
            assert grad is None or bool((grad == 0).all()), (
                f"task {task!r} has no label but outputs[{task!r}].grad is {grad.tolist()}, expected no gradient"
            )

    run_property(check)


@test_case(points=1, hidden=True)
def inputs_are_not_changed(mtl_loss):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(mtl_loss=mtl_loss)
    dev = device()

    @prop(10)
    @given(st.integers(1, 6), st.integers(0, 2**31 - 1))
    def check(n, seed):
        outputs, targets = _batch_with_gaps(seed, n, 0.5, torch.float64, dev)
        before_o = {k: v.detach().clone() for k, v in outputs.items()}
        before_t = {k: v.clone() for k, v in targets.items()}
        result = mtl_loss(outputs, targets)
        assert isinstance(result, tuple) and len(result) == 2, (
            f"mtl_loss returned {type(result).__name__}, expected a pair (total, parts)"
        )
        for task in TASKS:
            assert torch.equal(outputs[task].detach(), before_o[task]), f"mtl_loss changed outputs[{task!r}]"
            assert torch.allclose(targets[task], before_t[task], equal_nan=True, rtol=0, atol=0), (
                f"mtl_loss changed targets[{task!r}] from {before_t[task].tolist()} to "
                f"{targets[task].tolist()}; leave the caller's tensors alone"
            )

    run_property(check)
