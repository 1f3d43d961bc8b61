from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


def _lecture_sample(dev):
    """100 people whose table is exactly the lecture's P = [[0.47, 0.02], [0.45, 0.06]]."""
    import torch

    counts = {(1, 0): 47, (1, 1): 2, (0, 0): 45, (0, 1): 6}  # (label, group): count
    labels = torch.cat([torch.full((c,), lab) for (lab, _), c in counts.items()])
    groups = torch.cat([torch.full((c,), grp) for (_, grp), c in counts.items()])
    return labels.float().to(dev), groups.float().to(dev)


@test_case(points=1, hidden=False)
def lecture_table(joint_distribution):
    """core: the lecture's 100 people give the lecture's table.

    P[i, j] = P(label = 1 - i, group = j): rows smile, non-smile; columns male, female (the
    lecture's table layout).

    Rules: divide each cell's count by the number $n$ of all samples (not by the size of a group)
    """
    import torch

    from dl541_testing import device, require, tidy

    require(joint_distribution=joint_distribution)
    labels, groups = _lecture_sample(device())
    P = joint_distribution(labels, groups)
    expected = torch.tensor([[0.47, 0.02], [0.45, 0.06]])
    call = "joint_distribution(labels, groups of the lecture's 100 people: 47 smiling men, 2 smiling women, 45 men and 6 women not smiling)"
    assert isinstance(P, torch.Tensor) and tuple(P.shape) == (2, 2), (
        tidy(f"{call} returned {P!r}, not a (2, 2) tensor")
    )
    assert torch.allclose(P.cpu().float(), expected, atol=1e-6), tidy(
        f"{call} returned {P.tolist()}; P[i, j] = P(label = 1 - i, group = j) is {expected.tolist()} "
        "(rows smile, non-smile; columns male, female)"
    )


@test_case(points=2.5, hidden=True)
def layout_and_sums(joint_distribution):
    """core: on random samples, each cell is the share of all samples with label 1 - i and group j.

    P[i, j] = P(label = 1 - i, group = j): rows smile, non-smile; columns male, female (the
    lecture's table layout).

    Rules: divide each cell's count by the number $n$ of all samples (not by the size of a group);
    a cell with no sample is 0.

    A returned tensor is on the input's device and has the floating dtype of the first input
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, same_device_and_dtype

    require(joint_distribution=joint_distribution)
    dev = device()

    @for_all(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=2, max_size=40), st.booleans(), examples=40)
    def check(pairs, double):
        dtype = torch.float64 if double else torch.float32
        labels = torch.tensor([p[0] for p in pairs], dtype=dtype, device=dev)
        groups = torch.tensor([p[1] for p in pairs], dtype=dtype, device=dev)
        P = joint_distribution(labels, groups)
        call = f"joint_distribution(labels, groups) for the (label, group) pairs {pairs}"
        same_device_and_dtype(P, labels, f"the table of {call}")
        assert tuple(P.shape) == (2, 2), f"{call} returned shape {tuple(P.shape)}, not (2, 2)"
        n = len(pairs)
        for i in range(2):
            for j in range(2):
                want = sum(1 for lab, grp in pairs if lab == 1 - i and grp == j) / n
                got = float(P[i, j])
                assert abs(got - want) < 1e-6, (
                    f"{call}: P[{i}, {j}] is {got}; the share of all {n} samples with label {1 - i} and group {j} is {want}"
                )


@test_case(points=0.5, hidden=True)
def integer_and_bool_inputs(joint_distribution):
    """dtype: bool and integer inputs give a float32 table.

    (float32 when that input is bool or integer)
    """
    import torch

    from dl541_testing import device, require

    require(joint_distribution=joint_distribution)
    dev = device()
    labels, groups = _lecture_sample(dev)
    for kind in (torch.long, torch.bool):
        P = joint_distribution(labels.to(kind), groups.to(kind))
        got = P.dtype if isinstance(P, torch.Tensor) else type(P).__name__
        assert isinstance(P, torch.Tensor) and P.dtype == torch.float32, (
            f"joint_distribution(labels, groups of the lecture's 100 people as {kind}) returned {got}, not a float32 tensor"
        )


@test_case(points=0.5, hidden=True)
def rejects_bad_input(joint_distribution):
    """validation: values other than 0 and 1, unequal lengths and empty tensors raise ValueError.

    each tensor must be 1-D, non-empty, hold only 0 and 1, and all inputs of one call must have
    the same length; otherwise raise ValueError.
    """
    import torch

    from dl541_testing import require

    require(joint_distribution=joint_distribution)
    cases = {
        "a label 2": (torch.tensor([0.0, 1.0, 2.0]), torch.tensor([0.0, 1.0, 1.0])),
        "a group -1": (torch.tensor([0.0, 1.0, 1.0]), torch.tensor([0.0, -1.0, 1.0])),
        "a label 0.5": (torch.tensor([0.5, 1.0]), torch.tensor([0.0, 1.0])),
        "lengths 3 and 2": (torch.tensor([0.0, 1.0, 1.0]), torch.tensor([0.0, 1.0])),
        "empty tensors": (torch.zeros(0), torch.zeros(0)),
        "2-D tensors": (torch.zeros(2, 2), torch.zeros(2, 2)),
    }
    for what, (labels, groups) in cases.items():
        try:
            joint_distribution(labels, groups)
        except ValueError:
            continue
        raise AssertionError(f"joint_distribution(labels, groups with {what}) returned instead of raising ValueError")
