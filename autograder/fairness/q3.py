from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


@test_case(points=1, hidden=False)
def lecture_examples(majority_baseline, predicts_one_class):
    """core: 49 % smiles give a baseline of 0.51; all zeros is one class, mixed predictions are not.

    majority_baseline(labels) — the share of the most frequent label: the accuracy of a
    "classifier" that always answers the dominant class;

    predicts_one_class(y_pred) — True when every prediction is the same
    """
    import torch

    from dl541_testing import require

    require(majority_baseline=majority_baseline, predicts_one_class=predicts_one_class)
    labels = torch.tensor([1] * 49 + [0] * 51)  # the lecture: 49 % smile
    got = majority_baseline(labels)
    assert isinstance(got, float) and abs(got - 0.51) < 1e-6, (
        f"majority_baseline(49 ones and 51 zeros) returned {got!r}; the most frequent label, 0, has the share 0.51"
    )
    for y_pred, want in ((torch.zeros(10), True), (torch.ones(4), True), (torch.tensor([0, 1, 0]), False)):
        got = predicts_one_class(y_pred)
        assert got is want, f"predicts_one_class({y_pred.tolist()}) returned {got!r}, not {want}"


@test_case(points=2, hidden=True)
def majority_baseline_cases(majority_baseline):
    """core: the share of the most frequent label, the accuracy of always predicting it.

    majority_baseline(labels) -> float — the share of the most frequent label.

    both work for labels of any dtype (bool, integer or float); the baseline is a share between
    0.5 and 1, not a count.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require

    require(majority_baseline=majority_baseline)
    dev = device()

    @for_all(st.integers(0, 30), st.integers(0, 30), st.sampled_from(["float", "long", "bool"]), st.integers(0, 99), examples=40)
    def check(ones, zeros, kind, seed):
        zeros = max(zeros, 1 - ones)  # at least one label
        labels = torch.tensor([1] * ones + [0] * zeros)
        labels = labels[torch.randperm(ones + zeros, generator=torch.Generator().manual_seed(seed))]
        labels = labels.to({"float": torch.float32, "long": torch.long, "bool": torch.bool}[kind]).to(dev)
        got = majority_baseline(labels)
        want = max(ones, zeros) / (ones + zeros)
        call = f"majority_baseline({ones} ones and {zeros} zeros as {kind})"
        assert isinstance(got, float), f"{call} returned a {type(got).__name__}, not a float"
        assert abs(got - want) < 1e-6, (
            f"{call} returned {got}; the most frequent label has the share {want}, the accuracy of always predicting it"
        )


@test_case(points=1, hidden=True)
def predicts_one_class_cases(predicts_one_class):
    """core: True exactly when every prediction is the same, for 0s and for 1s.

    predicts_one_class(y_pred) -> bool — every prediction is the same.

    both work for labels of any dtype (bool, integer or float)
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require

    require(predicts_one_class=predicts_one_class)
    dev = device()

    @for_all(
        st.lists(st.integers(0, 1), min_size=1, max_size=20),
        st.sampled_from([torch.float32, torch.long, torch.bool]),
        examples=40,
    )
    def check(values, dtype):
        y_pred = torch.tensor(values, device=dev).to(dtype)
        got = predicts_one_class(y_pred)
        want = len(set(values)) == 1
        assert isinstance(got, bool) and got == want, (
            f"predicts_one_class({values} as {dtype}) returned {got!r}, not {want}"
        )


@test_case(points=0.5, hidden=True)
def rejects_bad_input(majority_baseline, predicts_one_class):
    """validation: values other than 0 and 1 and empty tensors raise ValueError.

    each tensor must be 1-D, non-empty, hold only 0 and 1, and all inputs of one call must have
    the same length; otherwise raise ValueError.
    """
    import torch

    from dl541_testing import require

    require(majority_baseline=majority_baseline, predicts_one_class=predicts_one_class)
    for bad in (torch.tensor([0, 2, 2]), torch.tensor([0.5, 0.5]), torch.zeros(0)):
        for fn in (majority_baseline, predicts_one_class):
            try:
                fn(bad)
            except ValueError:
                continue
            raise AssertionError(f"{fn.__name__}({bad.tolist()}) returned instead of raising ValueError")
