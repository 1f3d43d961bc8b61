from otter.test_files import test_case

OK_FORMAT = False
name = "q4"
points = None


@test_case(points=1, hidden=False)
def lecture_weights(balanced_sample_weights):
    """core: the lecture's 100 people: a smiling woman weighs 100 / (4 * 2), a smiling man 100 / (4 * 47).

    balanced_sample_weights(labels, groups) gives a sample of a subgroup of size $n_s$ the weight

    $$w = \\frac{n}{S \\, n_s},$$

    where $S$ is the number of subgroups present (at most 4).
    """
    import torch

    from dl541_testing import device, require, tidy

    require(balanced_sample_weights=balanced_sample_weights)
    dev = device()
    counts = {(1, 0): 47, (1, 1): 2, (0, 0): 45, (0, 1): 6}  # the lecture's 100 people
    labels = torch.cat([torch.full((c,), float(lab)) for (lab, _), c in counts.items()]).to(dev)
    groups = torch.cat([torch.full((c,), float(grp)) for (_, grp), c in counts.items()]).to(dev)
    call = "balanced_sample_weights(labels, groups of the lecture's 100 people: 47, 2, 45 and 6 per subgroup)"
    w = balanced_sample_weights(labels, groups)
    assert isinstance(w, torch.Tensor) and tuple(w.shape) == (100,), (
        f"{call} returned {getattr(w, 'shape', w)!r}, not a tensor of shape (100,)"
    )
    assert abs(float(w[47]) - 12.5) < 1e-5, tidy(
        f"{call}: a smiling woman weighs {float(w[47])}; n / (S n_s) = 100 / (4 * 2) = 12.5"
    )
    assert abs(float(w[0]) - 100 / 188) < 1e-5, tidy(
        f"{call}: a smiling man weighs {float(w[0])}; n / (S n_s) = 100 / (4 * 47) = {100 / 188}"
    )


@test_case(points=0.5, hidden=False)
def absent_subgroup_not_counted(balanced_sample_weights):
    """edge: with no smiling woman, S is 3 and the weights still sum to n.

    a subgroup with no sample does not count in $S$.
    """
    import torch

    from dl541_testing import require, tidy

    require(balanced_sample_weights=balanced_sample_weights)
    labels = torch.tensor([1.0, 1.0, 0.0, 0.0, 0.0, 0.0])
    groups = torch.tensor([0.0, 0.0, 0.0, 0.0, 0.0, 1.0])
    w = balanced_sample_weights(labels, groups)
    expected = [1.0, 1.0, 2 / 3, 2 / 3, 2 / 3, 2.0]
    call = "balanced_sample_weights(labels [1, 1, 0, 0, 0, 0], groups [0, 0, 0, 0, 0, 1])"
    shown = w.tolist() if isinstance(w, torch.Tensor) else w
    assert isinstance(w, torch.Tensor) and tuple(w.shape) == (6,) and torch.allclose(
        w.double().cpu(), torch.tensor(expected, dtype=torch.float64), atol=1e-6
    ), tidy(f"{call} returned {shown}; with S = 3 present subgroups of sizes 2, 3 and 1, n / (S n_s) is {expected}")


@test_case(points=2, hidden=True)
def equal_subgroups_summing_to_n(balanced_sample_weights):
    """core: on random samples with all four subgroups, w = n / (S n_s): equal subgroups, sum n.

    n / (S * n_s) for a sample in a subgroup of size n_s, with S present subgroups: every
    subgroup weighs the same and the weights sum to n.

    A returned tensor is on the input's device and has the floating dtype of the first input
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, same_device_and_dtype

    require(balanced_sample_weights=balanced_sample_weights)
    dev = device()
    four = [(0, 0), (0, 1), (1, 0), (1, 1)]

    @for_all(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), max_size=36), st.booleans(), examples=40)
    def check(extra, double):
        pairs = four + extra
        dtype = torch.float64 if double else torch.float32
        labels = torch.tensor([p[0] for p in pairs], dtype=dtype, device=dev)
        groups = torch.tensor([p[1] for p in pairs], dtype=dtype, device=dev)
        w = balanced_sample_weights(labels, groups)
        call = f"balanced_sample_weights(labels, groups) for the (label, group) pairs {pairs}"
        same_device_and_dtype(w, labels, f"the weights of {call}")
        n = len(pairs)
        assert tuple(w.shape) == (n,), f"{call} returned shape {tuple(w.shape)}, not ({n},)"
        for key in four:
            members = [i for i, p in enumerate(pairs) if p == key]
            want = n / (4 * len(members))
            got = w[members].double().cpu()
            assert torch.allclose(got, torch.full_like(got, want), rtol=1e-5), (
                f"{call}: subgroup {key} of size {len(members)} has weights {got.tolist()}; "
                f"n / (S n_s) = {n} / (4 * {len(members)}) = {want}"
            )
        assert abs(float(w.double().sum()) - n) < 1e-4 * n, f"{call}: the weights sum to {float(w.sum())}, not n = {n}"


@test_case(points=1, hidden=True)
def balanced_weights_balance_the_table(balanced_sample_weights):
    """core: with the weights, the weighted joint distribution is uniform over the cells.

    the weighted joint distribution is uniform over the present cells.

    A returned tensor is on the input's device and has the floating dtype of the first input
    (float32 when that input is bool or integer)
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(balanced_sample_weights=balanced_sample_weights)

    @for_all(st.integers(4, 60), seeds(), examples=20)
    def check(n, seed):
        g = torch.Generator().manual_seed(seed)
        labels = torch.cat([torch.tensor([0, 0, 1, 1]), torch.randint(0, 2, (n - 4,), generator=g)])
        groups = torch.cat([torch.tensor([0, 1, 0, 1]), (torch.rand(n - 4, generator=g) < 0.2).long()])
        w = balanced_sample_weights(labels, groups)
        call = f"balanced_sample_weights(integer labels {labels.tolist()}, groups {groups.tolist()})"
        assert isinstance(w, torch.Tensor) and w.dtype == torch.float32, (
            f"{call} returned {getattr(w, 'dtype', type(w).__name__)}, not a float32 tensor"
        )
        table = torch.zeros(2, 2, dtype=torch.float64)
        for lab, grp, weight in zip(labels.tolist(), groups.tolist(), w.tolist()):
            table[1 - lab, grp] += weight / n
        assert torch.allclose(table, torch.full_like(table, 0.25), atol=1e-5), (
            f"{call}: the weighted joint distribution is {table.tolist()}, not 0.25 in every cell"
        )


@test_case(points=0.5, hidden=True)
def rejects_bad_input(balanced_sample_weights):
    """validation: values other than 0 and 1 and unequal lengths raise ValueError.

    each tensor must be 1-D, non-empty, hold only 0 and 1, and all inputs of one call must have
    the same length; otherwise raise ValueError.
    """
    import torch

    from dl541_testing import require

    require(balanced_sample_weights=balanced_sample_weights)
    cases = {
        "a label 2": (torch.tensor([0, 1, 2]), torch.tensor([0, 1, 1])),
        "a group 0.5": (torch.tensor([0.0, 1.0]), torch.tensor([0.5, 1.0])),
        "lengths 3 and 4": (torch.tensor([0, 1, 1]), torch.tensor([0, 1, 1, 0])),
    }
    for what, (labels, groups) in cases.items():
        try:
            balanced_sample_weights(labels, groups)
        except ValueError:
            continue
        raise AssertionError(f"balanced_sample_weights(labels, groups with {what}) returned instead of raising ValueError")


@test_case(points=0.5, hidden=True)
def leaves_inputs_unchanged(balanced_sample_weights):
    """contract: labels and groups are left as they were.

    No function changes its inputs: the tensors you are given stay as they were.
    """
    import torch

    from dl541_testing import require

    require(balanced_sample_weights=balanced_sample_weights)
    for dtype in (torch.float32, torch.long):
        labels = torch.tensor([1, 0, 1, 1, 0, 0], dtype=dtype)
        groups = torch.tensor([0, 0, 1, 0, 1, 0], dtype=dtype)
        before = labels.clone(), groups.clone()
        balanced_sample_weights(labels, groups)
        assert torch.equal(labels, before[0]) and torch.equal(groups, before[1]), (
            f"balanced_sample_weights(labels [1, 0, 1, 1, 0, 0], groups [0, 0, 1, 0, 1, 0] as {dtype}) changed its "
            f"inputs: labels are now {labels.tolist()} and groups {groups.tolist()}"
        )
