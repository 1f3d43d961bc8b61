from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
points = None


def _draw(seed, n, dev, p_correct=0.7):
    """labels, predictions (right with probability p_correct) and groups, as float tensors on dev."""
    import torch

    g = torch.Generator().manual_seed(seed)
    y_true = torch.randint(0, 2, (n,), generator=g)
    groups = torch.randint(0, 2, (n,), generator=g)
    wrong = torch.rand(n, generator=g) > p_correct
    y_pred = torch.where(wrong, 1 - y_true, y_true)
    return y_true.float().to(dev), y_pred.float().to(dev), groups.float().to(dev)


@test_case(points=1, hidden=False)
def small_example(subgroup_accuracy, accuracy_gap):
    import torch

    from dl541_testing import require, tidy

    require(subgroup_accuracy=subgroup_accuracy, accuracy_gap=accuracy_gap)
    y_true = torch.tensor([1, 1, 0, 0, 0, 1])
    y_pred = torch.tensor([1, 0, 0, 0, 1, 1])
    groups = torch.tensor([0, 0, 0, 1, 1, 1])
    got = subgroup_accuracy(y_true, y_pred, groups)
    expected = {(1, 0): 0.5, (0, 0): 1.0, (0, 1): 0.5, (1, 1): 1.0}
    assert isinstance(got, dict) and set(got) == set(expected), (
        tidy(f"subgroup_accuracy returned {got!r}, expected keys (label, group) {sorted(expected)}")
    )
    for key, value in expected.items():
        assert abs(got[key] - value) < 1e-9, tidy(f"subgroup_accuracy[{key}] is {got[key]}, expected {value}")
    gap = accuracy_gap(y_true, y_pred, groups)
    assert isinstance(gap, float) and abs(gap - 0.5) < 1e-9, tidy(f"accuracy_gap returned {gap!r}, expected 0.5")


@test_case(points=2, hidden=True)
def agrees_with_counting(subgroup_accuracy, accuracy_gap):
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(subgroup_accuracy=subgroup_accuracy, accuracy_gap=accuracy_gap)
    dev = device()

    @prop(40)
    @given(st.integers(1, 30), st.floats(0.0, 1.0), st.integers(0, 2**31 - 1))
    def check(n, p_correct, seed):
        y_true, y_pred, groups = _draw(seed, n, dev, p_correct)
        rows = list(zip(y_true.tolist(), y_pred.tolist(), groups.tolist()))
        expected = {}
        for label in (0, 1):
            for group in (0, 1):
                members = [t == p for t, p, g in rows if t == label and g == group]
                if members:
                    expected[(label, group)] = sum(members) / len(members)
        got = subgroup_accuracy(y_true, y_pred, groups)
        assert isinstance(got, dict) and set(got) == set(expected), (
            f"subgroup_accuracy returned keys {sorted(got) if isinstance(got, dict) else got!r}, expected "
            f"{sorted(expected)}: one (label, group) key per subgroup present in y_true and groups"
        )
        for key, value in expected.items():
            assert isinstance(got[key], float), f"subgroup_accuracy[{key}] is a {type(got[key])}, expected float"
            assert abs(got[key] - value) < 1e-9, f"subgroup_accuracy[{key}] is {got[key]}, expected {value}"
        gap = accuracy_gap(y_true, y_pred, groups)
        want = max(expected.values()) - min(expected.values())
        assert isinstance(gap, float) and abs(gap - want) < 1e-9, (
            f"accuracy_gap returned {gap!r}, expected max - min of the subgroup accuracies = {want}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def weighted_mean_is_overall_accuracy(subgroup_accuracy):
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(subgroup_accuracy=subgroup_accuracy)
    dev = device()

    @prop(30)
    @given(st.integers(1, 40), st.floats(0.0, 1.0), st.integers(0, 2**31 - 1))
    def check(n, p_correct, seed):
        y_true, y_pred, groups = _draw(seed, n, dev, p_correct)
        acc = subgroup_accuracy(y_true, y_pred, groups)
        weighted = sum(
            value * int(((y_true == label) & (groups == group)).sum()) for (label, group), value in acc.items()
        ) / n
        overall = float((y_true == y_pred).double().mean())
        assert abs(weighted - overall) < 1e-9, (
            f"the size-weighted mean of subgroup_accuracy {acc} is {weighted}, but the overall accuracy is "
            f"{overall}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def perfect_predictions_and_swapped_groups(subgroup_accuracy, accuracy_gap):
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(subgroup_accuracy=subgroup_accuracy, accuracy_gap=accuracy_gap)
    dev = device()

    @prop(30)
    @given(st.integers(1, 30), st.floats(0.0, 1.0), st.integers(0, 2**31 - 1))
    def check(n, p_correct, seed):
        y_true, y_pred, groups = _draw(seed, n, dev, p_correct)
        perfect = accuracy_gap(y_true, y_true.clone(), groups)
        assert perfect == 0.0, f"accuracy_gap of perfect predictions is {perfect!r}, expected 0.0"
        acc = subgroup_accuracy(y_true, y_pred, groups)
        swapped = subgroup_accuracy(y_true, y_pred, 1 - groups)
        mirrored = {(label, 1 - group): value for (label, group), value in acc.items()}
        assert set(swapped) == set(mirrored) and all(abs(swapped[k] - mirrored[k]) < 1e-12 for k in mirrored), (
            f"swapping the group ids turned {acc} into {swapped}, expected {mirrored}"
        )
        a, b = accuracy_gap(y_true, y_pred, groups), accuracy_gap(y_true, y_pred, 1 - groups)
        assert abs(a - b) < 1e-12, f"accuracy_gap is {a}, but {b} after swapping the group ids"

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_bad_input(subgroup_accuracy, accuracy_gap):
    import torch

    from dl541_testing import require

    require(subgroup_accuracy=subgroup_accuracy, accuracy_gap=accuracy_gap)
    ok = torch.tensor([0, 1, 1, 0])
    cases = {
        "a prediction 2": (ok, torch.tensor([0, 1, 2, 0]), ok),
        "a label -1": (torch.tensor([0, -1, 1, 0]), ok, ok),
        "a group 3": (ok, ok, torch.tensor([0, 1, 3, 0])),
        "predictions of length 3": (ok, ok[:3], ok),
        "groups of length 5": (ok, ok, torch.tensor([0, 1, 1, 0, 1])),
    }
    for what, args in cases.items():
        for fn in (subgroup_accuracy, accuracy_gap):
            try:
                fn(*args)
            except ValueError:
                continue
            raise AssertionError(f"{fn.__name__} with {what} should raise ValueError")
