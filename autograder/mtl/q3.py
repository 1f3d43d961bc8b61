from helpers import _expected_parts, _num
from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


TASKS = ("smile", "age", "gender")


def _batch_with_gaps(seed, n, missing, dtype, dev, keep_one=True):
    """Outputs that require grad and targets where each label is NaN with probability `missing`;
    with `keep_one`, every task keeps at least one present label."""
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
        if keep_one:
            gone[torch.randint(0, n, (1,), generator=g)] = False
        targets[task][gone] = float("nan")
    outputs = {k: v.to(dev).requires_grad_(True) for k, v in outputs.items()}
    return outputs, {k: v.to(dev) for k, v in targets.items()}


def _expected_gradient(task, predicted, observed):
    """d(mean loss over the present labels)/d(output), written out: 0 where the label is missing."""
    import torch

    o, y = predicted.detach().double(), observed.double()
    keep = ~torch.isnan(y)
    count = max(int(keep.sum()), 1)
    y = torch.where(keep, y, torch.zeros_like(y))
    slope = 2 * (o - y) if task == "age" else torch.sigmoid(o) - y
    return torch.where(keep, slope / count, torch.zeros_like(o))


def _unchanged_problem(call, before, outputs, targets, weights):
    """What `mtl_loss` changed in its arguments, compared with `before`; None when nothing."""
    import torch

    dicts = {"outputs": outputs, "targets": targets}
    for label, d in dicts.items():
        keys, tensors, values = before[label]
        if list(d) != keys:
            return f"{call} changed the keys of {label} from {keys} to {list(d)}"
        for task, tensor in zip(keys, tensors):
            if d[task] is not tensor:
                return f"{call} replaced {label}[{task}] by another tensor"
        for task, tensor, value in zip(keys, tensors, values):
            now = tensor.detach()
            if (
                now.shape != value.shape
                or not torch.equal(torch.isnan(now), torch.isnan(value))
                or not (torch.equal(torch.nan_to_num(now), torch.nan_to_num(value)))
            ):
                return f"{call} changed the values of {label}[{task}] from {value.tolist()} to {now.tolist()}"
    if weights is not None and weights != before["weights"]:
        return f"{call} changed weights from {before['weights']} to {weights}"
    return None


def _snapshot(outputs, targets, weights):
    return {
        label: (list(d), list(d.values()), [v.detach().clone() for v in d.values()])
        for label, d in (("outputs", outputs), ("targets", targets))
    } | {"weights": None if weights is None else dict(weights)}


def _lecture_batch_with_gaps():
    import torch

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
    return outputs, targets


@test_case(points=1, hidden=False)
def lecture_example_with_a_missing_label(mtl_loss):
    """core: three faces with some labels missing: parts over the present labels, finite gradients.

    A NaN target is a missing label: leave it out. Each part is the mean over the present labels of
    its task

    Missing labels must never put a NaN into any gradient: an output whose label is missing gets
    gradient 0, and the other outputs get the gradient of the loss over the present labels alone.
    """
    import torch

    from dl541_testing import require, tidy

    require(mtl_loss=mtl_loss)
    outputs, targets = _lecture_batch_with_gaps()
    call = "mtl_loss with smile labels [1, nan, 0], ages [nan, 47, nan], gender labels [1, 0, 1]"
    expected = _expected_parts(outputs, targets)
    labels = {t: v.clone() for t, v in targets.items()}
    leaves = dict(outputs)
    total, parts = mtl_loss(outputs, targets)
    for task, value in expected.items():
        assert abs(_num(parts[task]) - value) < 1e-5, tidy(
            f"{call}: parts[{task}] is {_num(parts[task])}, not {value}, the mean over its present labels"
        )
    want = sum(expected.values())
    assert abs(_num(total) - want) < 1e-5, tidy(f"{call}: total is {_num(total)}, not {want}")
    total.backward()
    for task, predicted in leaves.items():
        grad = predicted.grad
        want = _expected_gradient(task, predicted, labels[task])
        assert grad is not None and torch.allclose(grad.double(), want, atol=1e-6), tidy(
            f"{call}: after total.backward(), the gradient of outputs[{task}] is "
            f"{None if grad is None else grad.tolist()}, not {want.tolist()} (0 where the label is missing)"
        )


@test_case(points=1, hidden=False)
def lecture_example_leaves_its_arguments_alone(mtl_loss):
    """contract: on the lecture example with weights {"age": 0.5}, no dict or tensor is changed.

    mtl_loss changes none of its arguments: no key of the dicts outputs, targets or weights is added,
    removed or replaced, and no tensor is written in place
    """
    from dl541_testing import require

    require(mtl_loss=mtl_loss)
    outputs, targets = _lecture_batch_with_gaps()
    weights = {"age": 0.5}
    before = _snapshot(outputs, targets, weights)
    mtl_loss(outputs, targets, weights)
    problem = _unchanged_problem(
        "mtl_loss on the lecture example with weights {age: 0.5}", before, outputs, targets, weights
    )
    assert problem is None, problem


@test_case(points=3, hidden=True)
def present_labels_only(mtl_loss):
    """core: on random batches with missing labels, each part is the mean over its present labels.

    A NaN target is a missing label: leave it out. Each part is the mean over the present labels of
    its task

    A target that is NaN is a missing label and is left out; each part is the mean over that task's
    present labels
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(mtl_loss=mtl_loss)
    dev = device()

    @for_all(st.integers(2, 9), st.sampled_from([0.2, 0.5, 0.8]), st.booleans(), seeds(), examples=30)
    def check(n, missing, double, seed):
        dtype = torch.float64 if double else torch.float32
        outputs, targets = _batch_with_gaps(seed, n, missing, dtype, dev)
        expected = _expected_parts(outputs, targets)
        labels = {t: targets[t].tolist() for t in TASKS}
        total, parts = mtl_loss(outputs, targets)
        tol = 1e-9 if double else 1e-4
        for task, value in expected.items():
            got = _num(parts[task])
            assert abs(got - value) <= tol * (1 + value), (
                f"mtl_loss on a batch of {n} with labels {labels}: parts[{task}] is {got}, not {value}, the "
                "mean over its present labels"
            )
        want = sum(expected.values())
        assert abs(_num(total) - want) <= tol * (1 + want), (
            f"mtl_loss on a batch of {n} with labels {labels}: total is {_num(total)}, not {want}"
        )


@test_case(points=2, hidden=True)
def no_nan_in_any_gradient(mtl_loss):
    """core: on random batches, the gradient is 0 at missing labels and that of the present ones elsewhere.

    Missing labels must never put a NaN into any gradient: an output whose label is missing gets
    gradient 0, and the other outputs get the gradient of the loss over the present labels alone.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(mtl_loss=mtl_loss)
    dev = device()

    @for_all(st.integers(2, 9), st.sampled_from([0.2, 0.5, 0.8]), st.booleans(), seeds(), examples=30)
    def check(n, missing, double, seed):
        dtype = torch.float64 if double else torch.float32
        outputs, targets = _batch_with_gaps(seed, n, missing, dtype, dev)
        leaves = dict(outputs)
        labels = {t: v.clone() for t, v in targets.items()}
        total, _ = mtl_loss(outputs, targets)
        total.backward()
        tol = 1e-9 if double else 1e-5
        for task, predicted in leaves.items():
            grad = predicted.grad
            want = _expected_gradient(task, predicted, labels[task])
            assert grad is not None and torch.allclose(grad.double(), want, rtol=tol, atol=tol), (
                f"mtl_loss on a batch of {n} with {task} labels {labels[task].tolist()}: after total.backward() "
                f"the gradient of outputs[{task}] is {None if grad is None else grad.tolist()}, not "
                f"{want.tolist()} (0 where the label is missing)"
            )


@test_case(points=2, hidden=True)
def missing_rows_change_nothing(mtl_loss):
    """core: adding rows whose labels are all missing changes no part and no old row's gradient.

    A NaN target is a missing label: leave it out. Each part is the mean over the present labels of
    its task

    Missing labels must never put a NaN into any gradient: an output whose label is missing gets
    gradient 0, and the other outputs get the gradient of the loss over the present labels alone.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(mtl_loss=mtl_loss)
    dev = device()

    @for_all(st.integers(2, 7), st.integers(1, 5), seeds(), examples=20)
    def check(n, extra, seed):
        outputs, targets = _batch_with_gaps(seed, n, 0.3, torch.float64, dev)
        leaves = dict(outputs)
        labels = {t: v.clone() for t, v in targets.items()}
        expected = _expected_parts(outputs, targets)
        total, parts = mtl_loss(outputs, targets)
        parts = {t: _num(v) for t, v in parts.items()}
        total.backward()
        g = torch.Generator().manual_seed(seed + 7)
        where = torch.randperm(n + extra, generator=g).to(dev)
        keep, add = where[:n].sort().values, where[n:]
        big, bigt = {}, {}
        for task in TASKS:  # extra rows: wild outputs, every label missing, interleaved with the others
            o = torch.empty(n + extra, dtype=torch.float64, device=dev)
            o[keep] = leaves[task].detach()
            o[add] = (1e3 * torch.randn(extra, generator=g, dtype=torch.float64)).to(dev)
            t = torch.full((n + extra,), float("nan"), dtype=torch.float64, device=dev)
            t[keep] = labels[task]
            big[task], bigt[task] = o.requires_grad_(True), t
        bigger = dict(big)
        total2, parts2 = mtl_loss(big, bigt)
        total2.backward()
        call = f"mtl_loss on a batch of {n} and again with {extra} rows added whose labels are all missing"
        for task in TASKS:
            a, b = parts[task], _num(parts2[task])
            assert abs(a - b) <= 1e-9 * (1 + abs(a)), f"{call}: parts[{task}] changed from {a} to {b}"
            assert abs(b - expected[task]) <= 1e-9 * (1 + expected[task]), (
                f"{call}: parts[{task}] is {b}, not {expected[task]}, the mean over its present labels"
            )
            grad2, old = bigger[task].grad, leaves[task].grad
            same = (
                grad2 is not None
                and old is not None
                and torch.allclose(grad2[keep], old, rtol=1e-9, atol=1e-12)
            )
            assert same, (
                f"{call}: the gradient of outputs[{task}] at the old rows changed from "
                f"{None if old is None else old.tolist()} to {None if grad2 is None else grad2[keep].tolist()}"
            )
            assert bool((grad2[add] == 0).all()), (
                f"{call}: the added rows got gradient {grad2[add].tolist()} for {task}, not 0"
            )
        assert abs(_num(total) - _num(total2)) <= 1e-9 * (1 + abs(_num(total))), (
            f"{call}: total changed from {_num(total)} to {_num(total2)}"
        )


@test_case(points=0.5, hidden=True)
def task_without_labels_contributes_zero(mtl_loss):
    """edge: a task with no label in the batch has part 0 and sends no gradient.

    a task with no present label in the batch contributes exactly 0.

    A task with no present label (all its labels missing, or a batch of one whose label is missing)
    has a part that is a 0-dim tensor equal to 0; its head then gets no gradient, or a zero one.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(mtl_loss=mtl_loss)
    dev = device()

    @for_all(st.integers(2, 6), st.sets(st.sampled_from(TASKS), min_size=1, max_size=2), seeds(), examples=12)
    def check(n, empty, seed):
        outputs, targets = _batch_with_gaps(seed, n, 0.0, torch.float64, dev)
        for task in empty:
            targets[task] = torch.full((n,), float("nan"), dtype=torch.float64, device=dev)
        leaves = dict(outputs)
        want = sum(v for t, v in _expected_parts(outputs, targets).items() if t not in empty)
        total, parts = mtl_loss(outputs, targets)
        call = f"mtl_loss on a batch of {n} with no label for {sorted(empty)}"
        for task in empty:
            part = parts[task]
            assert isinstance(part, torch.Tensor) and part.dim() == 0 and _num(part) == 0.0, (
                f"{call}: parts[{task}] is {part}, not a 0-dim tensor equal to 0"
            )
        assert abs(_num(total) - want) <= 1e-9 * (1 + want), f"{call}: total is {_num(total)}, not {want}"
        total.backward()
        for task, predicted in leaves.items():
            grad = predicted.grad
            if task in empty:
                assert grad is None or bool((grad == 0).all()), (
                    f"{call}: the gradient of outputs[{task}] is {grad.tolist()}, not none or 0"
                )
            else:
                assert grad is not None and bool(torch.isfinite(grad).all()), (
                    f"{call}: the gradient of outputs[{task}] is {None if grad is None else grad.tolist()}, "
                    "not finite"
                )


@test_case(points=0.5, hidden=True)
def all_labels_missing(mtl_loss):
    """edge: a batch whose labels are all missing gives parts 0, total 0, and no NaN gradient.

    a task with no present label in the batch contributes exactly 0.

    A task with no present label (all its labels missing, or a batch of one whose label is missing)
    has a part that is a 0-dim tensor equal to 0; its head then gets no gradient, or a zero one.
    """
    import torch

    from dl541_testing import device, require

    require(mtl_loss=mtl_loss)
    dev = device()
    outputs, targets = _batch_with_gaps(5, 4, 1.0, torch.float64, dev, keep_one=False)
    leaves = dict(outputs)
    call = "mtl_loss on a batch of 4 whose labels are all NaN"
    total, parts = mtl_loss(outputs, targets)
    for task in TASKS:
        part = parts[task]
        assert isinstance(part, torch.Tensor) and part.dim() == 0 and _num(part) == 0.0, (
            f"{call}: parts[{task}] is {part}, not a 0-dim tensor equal to 0"
        )
    assert isinstance(total, torch.Tensor) and _num(total) == 0.0, f"{call}: total is {total}, not 0"
    if total.requires_grad:
        total.backward()
    for task, predicted in leaves.items():
        grad = predicted.grad
        assert grad is None or bool((grad == 0).all()), (
            f"{call}: the gradient of outputs[{task}] is {grad.tolist()}, not none or 0"
        )


@test_case(points=0.5, hidden=True)
def single_face_with_gaps(mtl_loss):
    """edge: a batch of one face, each label present or missing: its own loss or 0, finite gradients.

    A task with no present label (all its labels missing, or a batch of one whose label is missing)
    has a part that is a 0-dim tensor equal to 0; its head then gets no gradient, or a zero one.
    """
    import torch

    from dl541_testing import device, for_all, require, seeds

    require(mtl_loss=mtl_loss)
    dev = device()

    @for_all(seeds(), examples=10)
    def check(seed):
        outputs, targets = _batch_with_gaps(seed, 1, 0.5, torch.float64, dev, keep_one=False)
        leaves = dict(outputs)
        expected = _expected_parts(outputs, targets)
        kept = {t: v.clone() for t, v in targets.items()}
        labels = {t: targets[t].tolist() for t in TASKS}
        total, parts = mtl_loss(outputs, targets)
        for task, value in expected.items():
            assert abs(_num(parts[task]) - value) <= 1e-9 * (1 + value), (
                f"mtl_loss on one face with labels {labels}: parts[{task}] is {_num(parts[task])}, not {value}"
            )
        if total.requires_grad:
            total.backward()
        for task, predicted in leaves.items():
            grad = predicted.grad
            want = _expected_gradient(task, predicted, kept[task])
            got = torch.zeros_like(want) if grad is None else grad.double()
            assert torch.allclose(got, want, rtol=1e-9, atol=1e-12), (
                f"mtl_loss on one face with labels {labels}: the gradient of outputs[{task}] is "
                f"{None if grad is None else grad.tolist()}, not {want.tolist()}"
            )


@test_case(points=2.5, hidden=True)
def arguments_are_left_unchanged(mtl_loss):
    """contract: on random batches and weights, no dict or tensor given to mtl_loss is changed.

    mtl_loss changes none of its arguments: no key of the dicts outputs, targets or weights is added,
    removed or replaced, and no tensor is written in place
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(mtl_loss=mtl_loss)
    dev = device()
    weight = st.sampled_from([0.0, 0.5, 1.0, 2.0])

    @for_all(
        st.integers(2, 6),
        st.booleans(),
        st.none() | st.dictionaries(st.sampled_from(TASKS), weight, max_size=2),
        seeds(),
        examples=12,
    )
    def check(n, wide_targets, weights, seed):
        outputs, targets = _batch_with_gaps(seed, n, 0.5, torch.float32, dev)
        if wide_targets:
            targets = {t: v.double() for t, v in targets.items()}
        before = _snapshot(outputs, targets, weights)
        result = mtl_loss(outputs, targets, weights)
        assert isinstance(result, tuple) and len(result) == 2, (
            f"mtl_loss returned a {type(result).__name__}, not a pair (total, parts)"
        )
        kind = "float64" if wide_targets else "float32"
        call = f"mtl_loss on a batch of {n} with {kind} targets and weights {weights}"
        problem = _unchanged_problem(call, before, outputs, targets, weights)
        assert problem is None, problem
