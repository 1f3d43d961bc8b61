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


@test_case(points=1, hidden=False)
def lecture_example(mtl_loss):
    import torch

    from dl541_testing import require, tidy

    require(mtl_loss=mtl_loss)
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
    result = mtl_loss(outputs, targets)
    assert isinstance(result, tuple) and len(result) == 2, (
        f"mtl_loss(outputs, targets) returned {type(result).__name__}, expected a pair (total, parts)"
    )
    total, parts = result
    expected = _expected_parts(outputs, targets)  # smile 0.2201, age 6.5, gender log 2
    assert isinstance(parts, dict) and set(parts) == set(expected), (
        f"parts is {parts!r}, expected a dict with keys smile, age, gender"
    )
    for task, value in expected.items():
        got = _num(parts[task])
        assert abs(got - value) < 1e-5, tidy(f"parts[{task!r}] is {got}, expected {value}")
    assert abs(_num(total) - sum(expected.values())) < 1e-5, (
        tidy(f"total is {_num(total)}, expected {sum(expected.values())} (weights default to 1)")
    )


@test_case(points=2, hidden=True)
def parts_agree_with_functional_losses(mtl_loss):
    import torch
    import torch.nn.functional as F
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(mtl_loss=mtl_loss)
    dev = device()

    @prop(30)
    @given(st.integers(1, 9), st.booleans(), st.integers(0, 2**31 - 1))
    def check(n, double, seed):
        dtype = torch.float64 if double else torch.float32
        outputs, targets = _random_batch(seed, n, dtype, dev)
        total, parts = mtl_loss(outputs, targets)
        assert isinstance(parts, dict) and set(parts) == {"smile", "age", "gender"}, (
            f"parts is {parts!r}, expected a dict keyed smile, age, gender"
        )
        functional = {
            "smile": F.binary_cross_entropy_with_logits(outputs["smile"], targets["smile"]),
            "age": F.mse_loss(outputs["age"], targets["age"]),
            "gender": F.binary_cross_entropy_with_logits(outputs["gender"], targets["gender"]),
        }
        tol = 1e-9 if double else 1e-4
        for task, want in functional.items():
            got = parts[task]
            same_device_and_dtype(got, outputs[task], f"parts[{task!r}]")
            assert got.dim() == 0, f"parts[{task!r}] has shape {tuple(got.shape)}, expected a 0-dim tensor"
            assert abs(float(got) - float(want)) <= tol * (1 + abs(float(want))), (
                f"parts[{task!r}] is {float(got)}, torch.nn.functional gives {float(want)} (n = {n})"
            )
        same_device_and_dtype(total, outputs["smile"], "total")
        assert total.dim() == 0, f"total has shape {tuple(total.shape)}, expected a 0-dim tensor"
        want_total = sum(float(v) for v in functional.values())
        assert abs(_num(total) - want_total) <= tol * (1 + abs(want_total)), (
            f"total is {_num(total)}, expected the sum of the parts {want_total} (weights default to 1)"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def total_is_the_weighted_sum(mtl_loss):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(mtl_loss=mtl_loss)
    dev = device()
    weight = st.floats(0.0, 5.0) | st.sampled_from([0.0, 1.0, 0.01])

    @prop(30)
    @given(st.integers(1, 6), weight, weight, weight, st.integers(0, 2**31 - 1))
    def check(n, w_smile, w_age, w_gender, seed):
        outputs, targets = _random_batch(seed, n, torch.float64, dev)
        weights = {"smile": w_smile, "age": w_age, "gender": w_gender}
        total, parts = mtl_loss(outputs, targets, weights)
        expected = _expected_parts(outputs, targets)
        for task, value in expected.items():
            assert abs(_num(parts[task]) - value) <= 1e-9 * (1 + value), (
                f"with weights {weights}, parts[{task!r}] is {_num(parts[task])}, expected the unweighted "
                f"loss {value}"
            )
        want = sum(weights[t] * _num(parts[t]) for t in weights)
        assert abs(_num(total) - want) <= 1e-9 * (1 + abs(want)), (
            f"mtl_loss(..., weights={weights}) total is {_num(total)}, expected "
            f"sum(weights[t] * parts[t]) = {want}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def batch_order_does_not_matter(mtl_loss):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(mtl_loss=mtl_loss)
    dev = device()

    @prop(20)
    @given(st.integers(2, 9), st.integers(0, 2**31 - 1))
    def check(n, seed):
        outputs, targets = _random_batch(seed, n, torch.float64, dev)
        perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed + 1)).to(dev)
        total, parts = mtl_loss(outputs, targets)
        shuffled = [{k: v[perm] for k, v in d.items()} for d in (outputs, targets)]
        total2, parts2 = mtl_loss(*shuffled)
        for task in ("smile", "age", "gender"):
            a, b = _num(parts[task]), _num(parts2[task])
            assert abs(a - b) <= 1e-9 * (1 + abs(a)), (
                f"permuting the batch changed parts[{task!r}] from {a} to {b}"
            )
        assert abs(_num(total) - _num(total2)) <= 1e-9 * (1 + abs(_num(total))), (
            f"permuting the batch changed total from {_num(total)} to {_num(total2)}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_bad_input(mtl_loss):
    import torch

    from dl541_testing import require

    require(mtl_loss=mtl_loss)
    outputs, targets = _random_batch(0, 4, torch.float32, "cpu")
    cases = {  # what is wrong: (outputs, targets, weights, a word the message must contain)
        "targets without 'age'": (outputs, {k: v for k, v in targets.items() if k != "age"}, None, "age"),
        "a target of shape (3,) for outputs of shape (4,)": (
            outputs, {**targets, "smile": targets["smile"][:3]}, None, "3"
        ),
        "an unknown task 'hair' in outputs and targets": (
            {**outputs, "hair": outputs["smile"]}, {**targets, "hair": targets["smile"]}, None, "hair"
        ),
        "a weight for the unknown task 'smiles'": (outputs, targets, {"smiles": 1.0}, "smiles"),
    }
    for what, (o, t, w, word) in cases.items():
        try:
            mtl_loss(o, t, w)
        except ValueError as exc:
            assert word in str(exc), (
                f"mtl_loss with {what} raised ValueError({str(exc)!r}); the message should say what was "
                f"wrong (mention {word!r})"
            )
            continue
        raise AssertionError(f"mtl_loss with {what} should raise ValueError")


@test_case(points=1, hidden=True)
def float64_targets_with_a_float32_model(mtl_loss):
    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(mtl_loss=mtl_loss)
    dev = device()
    outputs, targets = _random_batch(3, 6, torch.float32, dev)
    targets64 = {k: v.double() for k, v in targets.items()}
    total, parts = mtl_loss(outputs, targets64)
    expected = _expected_parts(outputs, targets)
    for task, value in expected.items():
        same_device_and_dtype(parts[task], outputs[task], f"parts[{task!r}] for float32 outputs, float64 targets")
        assert abs(_num(parts[task]) - value) <= 1e-4 * (1 + abs(value)), (
            tidy(f"parts[{task!r}] is {_num(parts[task])}, expected {value}")
        )
    same_device_and_dtype(total, outputs["smile"], "total for float32 outputs and float64 targets")

