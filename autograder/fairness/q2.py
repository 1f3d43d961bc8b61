from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
points = None


def _draw(seed, n, dev, p_correct=0.7):
    """labels, predictions (right with probability p_correct) and groups, as float tensors on dev;
    n >= 4 samples, among them one of each (label, group) subgroup, so that all four are present."""
    import torch

    g = torch.Generator().manual_seed(seed)
    y_true = torch.cat([torch.tensor([0, 0, 1, 1]), torch.randint(0, 2, (n - 4,), generator=g)])
    groups = torch.cat([torch.tensor([0, 1, 0, 1]), torch.randint(0, 2, (n - 4,), generator=g)])
    order = torch.randperm(n, generator=g)
    y_true, groups = y_true[order], groups[order]
    wrong = torch.rand(n, generator=g) > p_correct
    y_pred = torch.where(wrong, 1 - y_true, y_true)
    return y_true.float().to(dev), y_pred.float().to(dev), groups.float().to(dev)


@test_case(points=1, hidden=False)
def small_example(subgroup_accuracy, accuracy_gap):
    """core: eight samples whose four subgroup accuracies are counted by hand.

    subgroup_accuracy(y_true, y_pred, groups) returns a dict keyed (label, group) (Python
    ints, the true label) whose value is the accuracy on the samples of that subgroup.

    accuracy_gap(y_true, y_pred, groups) is the largest minus the smallest of those accuracies
    """
    import torch

    from dl541_testing import require

    require(subgroup_accuracy=subgroup_accuracy, accuracy_gap=accuracy_gap)
    y_true = torch.tensor([1, 1, 0, 0, 0, 0, 0, 1])
    y_pred = torch.tensor([1, 0, 0, 0, 1, 1, 1, 0])
    groups = torch.tensor([0, 0, 0, 1, 1, 1, 1, 1])
    call = "(y_true [1, 1, 0, 0, 0, 0, 0, 1], y_pred [1, 0, 0, 0, 1, 1, 1, 0], groups [0, 0, 0, 1, 1, 1, 1, 1])"
    got = subgroup_accuracy(y_true, y_pred, groups)
    expected = {(1, 0): 0.5, (0, 0): 1.0, (0, 1): 0.25, (1, 1): 0.0}
    assert isinstance(got, dict) and set(got) == set(expected), (
        f"subgroup_accuracy{call} returned {got!r}; the keys (true label, group) present are {sorted(expected)}"
    )
    for key, value in expected.items():
        assert abs(got[key] - value) < 1e-6, (
            f"subgroup_accuracy{call} gives {key} the accuracy {got[key]}; {value} of that subgroup's samples are right"
        )
    gap = accuracy_gap(y_true, y_pred, groups)
    assert isinstance(gap, float) and abs(gap - 1.0) < 1e-6, (
        f"accuracy_gap{call} returned {gap!r}; the largest minus the smallest subgroup accuracy is 1.0 - 0.0 = 1.0"
    )


@test_case(points=0.5, hidden=False)
def absent_subgroups_left_out(subgroup_accuracy, accuracy_gap):
    """edge: subgroups with no sample are left out of the dict and of the gap.

    A subgroup with no sample is left out of the dict (its accuracy is undefined, not 0).
    """
    import torch

    from dl541_testing import require

    require(subgroup_accuracy=subgroup_accuracy, accuracy_gap=accuracy_gap)
    y_true, y_pred, groups = torch.tensor([1, 1, 0]), torch.tensor([1, 0, 0]), torch.tensor([0, 0, 0])
    call = "(y_true [1, 1, 0], y_pred [1, 0, 0], groups [0, 0, 0])"
    got = subgroup_accuracy(y_true, y_pred, groups)
    expected = {(1, 0): 0.5, (0, 0): 1.0}
    assert isinstance(got, dict) and set(got) == set(expected) and all(
        abs(got[k] - v) < 1e-6 for k, v in expected.items()
    ), f"subgroup_accuracy{call} returned {got!r}; only the men are present, so the dict is {expected}"
    gap = accuracy_gap(y_true, y_pred, groups)
    assert isinstance(gap, float) and abs(gap - 0.5) < 1e-6, (
        f"accuracy_gap{call} returned {gap!r}; over the two present subgroups it is 1.0 - 0.5 = 0.5"
    )


@test_case(points=2.5, hidden=True)
def agrees_with_counting(subgroup_accuracy, accuracy_gap):
    """core: on random samples with all four subgroups, accuracies and gap agree with counting.

    accuracy within each present subgroup, keyed (label, group).

    a subgroup is a pair (true label, group), so there are up to 4 of them; the accuracy of a
    subgroup is the share of its samples with y_pred == y_true.

    accuracy_gap(y_true, y_pred, groups) is the largest minus the smallest of those accuracies

    Accuracies, gaps and baselines are Python floats
    """
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(subgroup_accuracy=subgroup_accuracy, accuracy_gap=accuracy_gap)
    dev = device()

    @for_all(st.integers(4, 30), st.floats(0.0, 1.0), seeds(), examples=40)
    def check(n, p_correct, seed):
        y_true, y_pred, groups = _draw(seed, n, dev, p_correct)
        rows = list(zip(y_true.tolist(), y_pred.tolist(), groups.tolist()))
        call = f"(y_true {[int(r[0]) for r in rows]}, y_pred {[int(r[1]) for r in rows]}, groups {[int(r[2]) for r in rows]})"
        expected = {}
        for label in (0, 1):
            for group in (0, 1):
                members = [t == p for t, p, g in rows if t == label and g == group]
                expected[(label, group)] = sum(members) / len(members)
        got = subgroup_accuracy(y_true, y_pred, groups)
        assert isinstance(got, dict) and set(got) == set(expected), (
            f"subgroup_accuracy{call} returned {got!r}; the keys (true label, group) are {sorted(expected)}"
        )
        for key, value in expected.items():
            assert isinstance(got[key], float), f"subgroup_accuracy{call}[{key}] is a {type(got[key]).__name__}, not a float"
            assert abs(got[key] - value) < 1e-6, (
                f"subgroup_accuracy{call}[{key}] is {got[key]}; the share of that subgroup's samples that are right is {value}"
            )
        gap = accuracy_gap(y_true, y_pred, groups)
        want = max(expected.values()) - min(expected.values())
        assert isinstance(gap, float) and abs(gap - want) < 1e-6, (
            f"accuracy_gap{call} returned {gap!r}; the largest minus the smallest subgroup accuracy is {want}"
        )


@test_case(points=1, hidden=True)
def weighted_mean_is_overall_accuracy(subgroup_accuracy):
    """core: the subgroup accuracies weighted by the subgroup sizes average to the overall accuracy.

    why is the overall accuracy the mean of the subgroup accuracies weighted by the subgroup sizes?
    """
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(subgroup_accuracy=subgroup_accuracy)
    dev = device()

    @for_all(st.integers(4, 40), st.floats(0.0, 1.0), seeds(), examples=30)
    def check(n, p_correct, seed):
        y_true, y_pred, groups = _draw(seed, n, dev, p_correct)
        acc = subgroup_accuracy(y_true, y_pred, groups)
        weighted = sum(
            value * int(((y_true == label) & (groups == group)).sum()) for (label, group), value in acc.items()
        ) / n
        overall = float((y_true == y_pred).double().mean())
        assert abs(weighted - overall) < 1e-6, (
            f"subgroup_accuracy on {n} random samples returned {acc}: weighted by the subgroup sizes it averages "
            f"to {weighted}, but the overall accuracy is {overall}"
        )


@test_case(points=0.5, hidden=True)
def perfect_predictions_and_swapped_groups(subgroup_accuracy, accuracy_gap):
    """core: perfect predictions have gap 0, and swapping the group ids swaps the keys.

    Relabelling the groups (0 and 1 swapped) swaps the keys and changes no accuracy.
    """
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(subgroup_accuracy=subgroup_accuracy, accuracy_gap=accuracy_gap)
    dev = device()

    @for_all(st.integers(4, 30), st.floats(0.0, 1.0), seeds(), examples=30)
    def check(n, p_correct, seed):
        y_true, y_pred, groups = _draw(seed, n, dev, p_correct)
        perfect = accuracy_gap(y_true, y_true.clone(), groups)
        assert perfect == 0.0, f"accuracy_gap(y_true, y_pred = y_true, groups) on {n} random samples is {perfect!r}, not 0.0"
        acc = subgroup_accuracy(y_true, y_pred, groups)
        swapped = subgroup_accuracy(y_true, y_pred, 1 - groups)
        mirrored = {(label, 1 - group): value for (label, group), value in acc.items()}
        assert set(swapped) == set(mirrored) and all(abs(swapped[k] - mirrored[k]) < 1e-6 for k in mirrored), (
            f"subgroup_accuracy on {n} random samples returned {acc}, and {swapped} with the groups swapped; "
            f"swapping the group ids gives {mirrored}"
        )
        a, b = accuracy_gap(y_true, y_pred, groups), accuracy_gap(y_true, y_pred, 1 - groups)
        assert abs(a - b) < 1e-6, f"accuracy_gap on {n} random samples is {a}, but {b} with the groups swapped"


@test_case(points=0.5, hidden=True)
def rejects_bad_input(subgroup_accuracy, accuracy_gap):
    """validation: values other than 0 and 1 and unequal lengths raise ValueError.

    each tensor must be 1-D, non-empty, hold only 0 and 1, and all inputs of one call must have
    the same length; otherwise raise ValueError.
    """
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
            raise AssertionError(f"{fn.__name__}(y_true, y_pred, groups with {what}) returned instead of raising ValueError")
