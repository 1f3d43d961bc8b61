from helpers import _expected_parts, _num
from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
points = None


def _random_batch(seed, n, dtype, dev):
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
    move = lambda d: {k: v.to(dev) for k, v in d.items()}  # noqa: E731
    return move(outputs), move(targets)


def _weights_strategy():
    """None, or a dict of weights for some of the tasks (the others have weight 1)."""
    from hypothesis import strategies as st

    weight = st.floats(0.0, 5.0) | st.sampled_from([0.0, 1.0, 0.01])
    return st.none() | st.dictionaries(st.sampled_from(["smile", "age", "gender"]), weight, max_size=3)


def _lecture_batch():
    import torch

    outputs = {
        "smile": torch.tensor([2.0, -1.0]),
        "age": torch.tensor([30.0, 50.0]),
        "gender": torch.tensor([0.0, 0.0]),
    }
    targets = {
        "smile": torch.tensor([1.0, 0.0]),
        "age": torch.tensor([32.0, 47.0]),
        "gender": torch.tensor([1.0, 0.0]),
    }
    return outputs, targets


@test_case(points=1, hidden=False)
def lecture_example(mtl_loss):
    """core: two faces, every label present: parts are the three mean losses, total their sum.

    smile and gender: binary cross-entropy with logits; age: mean squared error.

    the mean squared error for "age", each the mean over that task's labels

    parts is a dict {task: 0-dim tensor}
    """
    import torch

    from dl541_testing import require, tidy

    require(mtl_loss=mtl_loss)
    outputs, targets = _lecture_batch()
    call = "mtl_loss on smile logits [2, -1], ages [30, 50], gender logits [0, 0]"
    result = mtl_loss(outputs, targets)
    assert isinstance(result, tuple) and len(result) == 2, (
        f"{call} returned a {type(result).__name__}, not a pair (total, parts)"
    )
    total, parts = result
    expected = _expected_parts(outputs, targets)  # smile 0.2201, age 6.5, gender log 2
    assert isinstance(parts, dict) and set(parts) == set(expected), (
        f"{call}: parts is {parts}, not a dict with keys smile, age, gender"
    )
    for task, value in expected.items():
        got = parts[task]
        assert isinstance(got, torch.Tensor) and got.dim() == 0, (
            f"{call}: parts[{task}] is {got}, not a 0-dim tensor"
        )
        assert abs(_num(got) - value) < 1e-5, tidy(f"{call}: parts[{task}] is {_num(got)}, not {value}")
    assert abs(_num(total) - sum(expected.values())) < 1e-5, tidy(
        f"{call}: total is {_num(total)}, not the sum of the parts {sum(expected.values())} (every weight 1)"
    )


@test_case(points=1, hidden=False)
def weighted_lecture_example(mtl_loss):
    """core: with weights {"age": 0.01} the parts stay unweighted and total weighs age by 0.01.

    total = sum(weights[t] * parts[t]), weights default to 1.

    a task that the dict does not list has weight 1.

    parts reports each task's own loss, unweighted: the weights change total, never parts.
    """
    from dl541_testing import require, tidy

    require(mtl_loss=mtl_loss)
    outputs, targets = _lecture_batch()
    call = "mtl_loss(outputs, targets, {age: 0.01}) on the lecture example"
    total, parts = mtl_loss(outputs, targets, {"age": 0.01})
    expected = _expected_parts(outputs, targets)
    for task, value in expected.items():
        assert abs(_num(parts[task]) - value) < 1e-5, tidy(
            f"{call}: parts[{task}] is {_num(parts[task])}, not the unweighted loss {value}"
        )
    want = expected["smile"] + 0.01 * expected["age"] + expected["gender"]
    assert abs(_num(total) - want) < 1e-5, tidy(
        f"{call}: total is {_num(total)}, not smile + 0.01 * age + gender = {want}"
    )


@test_case(points=4, hidden=True)
def parts_agree_with_functional_losses(mtl_loss):
    """core: on random batches and weights, parts equal torch's BCE-with-logits and MSE, unweighted.

    In this question every label is present, so parts[t] must agree with
    torch.nn.functional.binary_cross_entropy_with_logits and torch.nn.functional.mse_loss.

    parts reports each task's own loss, unweighted: the weights change total, never parts.

    parts is a dict {task: 0-dim tensor}
    """
    import torch
    import torch.nn.functional as F
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(mtl_loss=mtl_loss)
    dev = device()

    @for_all(st.integers(2, 9), st.booleans(), _weights_strategy(), seeds(), examples=30)
    def check(n, double, weights, seed):
        dtype = torch.float64 if double else torch.float32
        outputs, targets = _random_batch(seed, n, dtype, dev)
        _, parts = mtl_loss(outputs, targets, weights)
        call = f"mtl_loss on a random {dtype} batch of {n} with weights {weights}"
        assert isinstance(parts, dict) and set(parts) == {"smile", "age", "gender"}, (
            f"{call}: parts is {parts}, not a dict with keys smile, age, gender"
        )
        functional = {
            "smile": F.binary_cross_entropy_with_logits(outputs["smile"], targets["smile"]),
            "age": F.mse_loss(outputs["age"], targets["age"]),
            "gender": F.binary_cross_entropy_with_logits(outputs["gender"], targets["gender"]),
        }
        tol = 1e-9 if double else 1e-4
        for task, want in functional.items():
            got = parts[task]
            assert isinstance(got, torch.Tensor) and got.dim() == 0, (
                f"{call}: parts[{task}] is {got}, not a 0-dim tensor"
            )
            assert abs(float(got) - float(want)) <= tol * (1 + abs(float(want))), (
                f"{call}: parts[{task}] is {float(got)}, torch.nn.functional gives {float(want)}"
            )


@test_case(points=3, hidden=True)
def total_is_the_weighted_sum(mtl_loss):
    """core: on random batches and weights, total is the sum of weight times task loss.

    total = sum(weights[t] * parts[t]), weights default to 1.

    a task that the dict does not list has weight 1.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(mtl_loss=mtl_loss)
    dev = device()

    @for_all(st.integers(2, 8), _weights_strategy(), seeds(), examples=30)
    def check(n, weights, seed):
        outputs, targets = _random_batch(seed, n, torch.float64, dev)
        total, _ = mtl_loss(outputs, targets, weights)
        expected = _expected_parts(outputs, targets)
        w = {t: (weights or {}).get(t, 1.0) for t in expected}
        want = sum(w[t] * expected[t] for t in expected)
        assert isinstance(total, torch.Tensor) and total.dim() == 0, (
            f"mtl_loss on a random batch of {n} with weights {weights}: total is {total}, not a 0-dim tensor"
        )
        assert abs(_num(total) - want) <= 1e-9 * (1 + abs(want)), (
            f"mtl_loss on a random batch of {n} with weights {weights}: total is {_num(total)}, not "
            f"sum(weights[t] * parts[t]) = {want} (parts {expected})"
        )


@test_case(points=1, hidden=True)
def batch_order_does_not_matter(mtl_loss):
    """core: permuting the rows of a batch changes neither parts nor total.

    each the mean over that task's labels
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(mtl_loss=mtl_loss)
    dev = device()

    @for_all(st.integers(2, 9), seeds(), examples=15)
    def check(n, seed):
        outputs, targets = _random_batch(seed, n, torch.float64, dev)
        perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed + 1)).to(dev)
        total, parts = mtl_loss(outputs, targets)
        shuffled = [{k: v[perm] for k, v in d.items()} for d in (outputs, targets)]
        total2, parts2 = mtl_loss(*shuffled)
        expected = _expected_parts(outputs, targets)
        for task in ("smile", "age", "gender"):
            a, b = _num(parts[task]), _num(parts2[task])
            assert abs(a - b) <= 1e-9 * (1 + abs(a)), (
                f"mtl_loss on a random batch of {n}: permuting its rows changed parts[{task}] from {a} to {b}"
            )
            assert abs(b - expected[task]) <= 1e-9 * (1 + abs(expected[task])), (
                f"mtl_loss on a random batch of {n}, its rows permuted: parts[{task}] is {b}, not {expected[task]}"
            )
        assert abs(_num(total) - _num(total2)) <= 1e-9 * (1 + abs(_num(total))), (
            f"mtl_loss on a random batch of {n}: permuting its rows changed total from {_num(total)} to {_num(total2)}"
        )


@test_case(points=1, hidden=True)
def parts_stay_on_the_graph(mtl_loss):
    """core: backward through a part gives the gradient of that task's mean loss.

    still attached to the graph (no .item()); total is a 0-dim tensor you can call .backward() on.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(mtl_loss=mtl_loss)
    dev = device()

    @for_all(st.integers(2, 7), st.sampled_from(["smile", "age", "gender"]), seeds(), examples=12)
    def check(n, task, seed):
        outputs, targets = _random_batch(seed, n, torch.float64, dev)
        outputs = {k: v.requires_grad_(True) for k, v in outputs.items()}
        _, parts = mtl_loss(outputs, targets)
        part = parts[task]
        assert isinstance(part, torch.Tensor) and part.requires_grad, (
            f"mtl_loss on a batch of {n} outputs that require grad: parts[{task}] is {part}, not a tensor "
            "attached to the graph"
        )
        (grad,) = torch.autograd.grad(part, outputs[task])
        o, y = outputs[task].detach(), targets[task]
        want = 2 * (o - y) / n if task == "age" else (torch.sigmoid(o) - y) / n
        assert torch.allclose(grad, want, rtol=1e-9, atol=1e-12), (
            f"mtl_loss on a batch of {n}: the gradient of parts[{task}] with respect to outputs[{task}] is "
            f"{grad.tolist()}, not the gradient of the mean loss {want.tolist()}"
        )


@test_case(points=0.5, hidden=True)
def single_face_batch(mtl_loss):
    """edge: a batch of one face gives that face's three losses.

    each the mean over that task's labels
    """
    import torch

    from dl541_testing import device, for_all, require, seeds

    require(mtl_loss=mtl_loss)
    dev = device()

    @for_all(seeds(), examples=8)
    def check(seed):
        outputs, targets = _random_batch(seed, 1, torch.float64, dev)
        total, parts = mtl_loss(outputs, targets)
        expected = _expected_parts(outputs, targets)
        for task, value in expected.items():
            assert abs(_num(parts[task]) - value) <= 1e-9 * (1 + value), (
                f"mtl_loss on a batch of one: parts[{task}] is {_num(parts[task])}, not {value}"
            )
        want = sum(expected.values())
        assert abs(_num(total) - want) <= 1e-9 * (1 + want), (
            f"mtl_loss on a batch of one: total is {_num(total)}, not {want}"
        )


@test_case(points=1, hidden=True)
def keeps_dtype_and_device(mtl_loss):
    """dtype: parts and total have the outputs' dtype and device, also with float64 targets.

    Targets are floats (0./1. for the binary tasks, years for age) and are converted to the output's
    dtype (float64 targets with a float32 model give float32 parts).

    parts is a dict {task: 0-dim tensor} on the outputs' device and dtype
    """
    import torch

    from dl541_testing import device, require, same_device_and_dtype

    require(mtl_loss=mtl_loss)
    dev = device()
    for out_dtype, target_dtype in (
        (torch.float32, torch.float32),
        (torch.float64, torch.float64),
        (torch.float32, torch.float64),
    ):
        outputs, targets = _random_batch(3, 6, out_dtype, dev)
        targets = {k: v.to(target_dtype) for k, v in targets.items()}
        total, parts = mtl_loss(outputs, targets)
        what = f"mtl_loss on {out_dtype} outputs and {target_dtype} targets"
        assert isinstance(parts, dict) and set(parts) == set(outputs), (
            f"{what}: parts is {parts}, not a dict with keys smile, age, gender"
        )
        for task in outputs:
            same_device_and_dtype(parts[task], outputs[task], f"{what}: parts[{task}]")
        same_device_and_dtype(total, outputs["smile"], f"{what}: total")


@test_case(points=1, hidden=True)
def rejects_bad_input(mtl_loss):
    """validation: different keys, a wrong shape, an unknown task or weight raise a clear ValueError.

    raise ValueError whose message names the task or shows the shapes at fault.
    """
    import torch

    from dl541_testing import require

    require(mtl_loss=mtl_loss)
    outputs, targets = _random_batch(0, 4, torch.float32, "cpu")
    cases = {  # what is wrong: (outputs, targets, weights, a word the message must contain)
        "targets without age": (outputs, {k: v for k, v in targets.items() if k != "age"}, None, "age"),
        "a smile target of shape (3,) for outputs of shape (4,)": (
            outputs,
            {**targets, "smile": targets["smile"][:3]},
            None,
            "3",
        ),
        "an unknown task hair in outputs and targets": (
            {**outputs, "hair": outputs["smile"]},
            {**targets, "hair": targets["smile"]},
            None,
            "hair",
        ),
        "a weight for the unknown task smiles": (outputs, targets, {"smiles": 1.0}, "smiles"),
    }
    for what, (o, t, w, word) in cases.items():
        try:
            mtl_loss(o, t, w)
        except ValueError as exc:
            assert word in str(exc), (
                f"mtl_loss with {what} raised ValueError({str(exc)}), whose message does not mention {word}"
            )
            continue
        raise AssertionError(f"mtl_loss with {what} returned without raising ValueError")
