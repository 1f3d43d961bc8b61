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
    import torch

    from dl541_testing import device, require, tidy

    require(joint_distribution=joint_distribution)
    labels, groups = _lecture_sample(device())
    P = joint_distribution(labels, groups)
    expected = torch.tensor([[0.47, 0.02], [0.45, 0.06]])
    assert isinstance(P, torch.Tensor) and tuple(P.shape) == (2, 2), (
        tidy(f"joint_distribution returned {P!r}, expected a (2, 2) tensor")
    )
    assert torch.allclose(P.cpu().float(), expected, atol=1e-6), (
        tidy(f"joint_distribution on the lecture's 100 people returned {P.tolist()}, expected {expected.tolist()} "
        "(rows smile, non-smile; columns male, female)")
    )


@test_case(points=2, hidden=True)
def layout_and_sums(joint_distribution):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(joint_distribution=joint_distribution)
    dev = device()

    @prop(40)
    @given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=1, max_size=40), st.booleans())
    def check(pairs, double):
        dtype = torch.float64 if double else torch.float32
        labels = torch.tensor([p[0] for p in pairs], dtype=dtype, device=dev)
        groups = torch.tensor([p[1] for p in pairs], dtype=dtype, device=dev)
        P = joint_distribution(labels, groups)
        same_device_and_dtype(P, labels, "joint_distribution(labels, groups)")
        assert tuple(P.shape) == (2, 2), f"joint_distribution returned shape {tuple(P.shape)}, expected (2, 2)"
        n = len(pairs)
        for i in range(2):
            for j in range(2):
                want = sum(1 for lab, grp in pairs if lab == 1 - i and grp == j) / n
                got = float(P[i, j])
                assert abs(got - want) < 1e-6, (
                    f"joint_distribution: P[{i}, {j}] is {got}, expected P(label = {1 - i}, group = {j}) = "
                    f"{want} for (label, group) pairs {pairs}"
                )
        assert abs(float(P.sum()) - 1) < 1e-6, f"the table sums to {float(P.sum())}, expected 1"

    run_property(check)


@test_case(points=1, hidden=True)
def integer_and_bool_inputs(joint_distribution):
    import torch

    from dl541_testing import device, require, tidy

    require(joint_distribution=joint_distribution)
    dev = device()
    labels, groups = _lecture_sample(dev)
    expected = torch.tensor([[0.47, 0.02], [0.45, 0.06]])
    for kind in (torch.long, torch.bool):
        P = joint_distribution(labels.to(kind), groups.to(kind))
        assert isinstance(P, torch.Tensor) and P.dtype == torch.float32, (
            f"joint_distribution of {kind} labels returned {getattr(P, 'dtype', P)}, expected float32"
        )
        assert torch.allclose(P.cpu(), expected, atol=1e-6), (
            tidy(f"joint_distribution of {kind} inputs returned {P.tolist()}, expected {expected.tolist()}")
        )


@test_case(points=1, hidden=True)
def rejects_bad_input(joint_distribution):
    import torch

    from dl541_testing import require

    require(joint_distribution=joint_distribution)
    cases = {  # what is wrong: (labels, groups, the words the message must contain)
        "a label 2": (torch.tensor([0.0, 1.0, 2.0]), torch.tensor([0.0, 1.0, 1.0]), ["2"]),
        "a group -1": (torch.tensor([0.0, 1.0, 1.0]), torch.tensor([0.0, -1.0, 1.0]), ["-1"]),
        "a label 0.5": (torch.tensor([0.5, 1.0]), torch.tensor([0.0, 1.0]), ["0.5"]),
        "lengths 3 and 2": (torch.tensor([0.0, 1.0, 1.0]), torch.tensor([0.0, 1.0]), ["3", "2"]),
        "empty tensors": (torch.zeros(0), torch.zeros(0), []),
    }
    for what, (labels, groups, words) in cases.items():
        try:
            joint_distribution(labels, groups)
        except ValueError as exc:
            missing = [w for w in words if w not in str(exc)]
            assert not missing, (
                f"joint_distribution with {what} raised ValueError({str(exc)!r}); the message should say "
                f"what was wrong, with the value (mention {missing})"
            )
            continue
        raise AssertionError(f"joint_distribution with {what} should raise ValueError")
