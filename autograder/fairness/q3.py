from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


@test_case(points=1, hidden=False)
def lecture_examples(majority_baseline, predicts_one_class):
    import torch

    from dl541_testing import require, tidy

    require(majority_baseline=majority_baseline, predicts_one_class=predicts_one_class)
    labels = torch.tensor([1] * 49 + [0] * 51)  # the lecture: 49 % smile
    got = majority_baseline(labels)
    assert isinstance(got, float) and abs(got - 0.51) < 1e-9, tidy(f"majority_baseline returned {got!r}, expected 0.51")
    for y_pred, want in ((torch.zeros(10), True), (torch.tensor([0, 1, 0]), False)):
        got = predicts_one_class(y_pred)
        assert got is want, tidy(f"predicts_one_class({y_pred.tolist()}) returned {got!r}, expected {want}")


@test_case(points=2, hidden=True)
def majority_baseline_cases(majority_baseline):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(majority_baseline=majority_baseline)
    dev = device()

    @prop(40)
    @given(st.integers(0, 30), st.integers(0, 30), st.sampled_from(["float", "long", "bool"]), st.integers(0, 99))
    def check(ones, zeros, kind, seed):
        if ones + zeros == 0:
            return
        labels = torch.tensor([1] * ones + [0] * zeros)
        labels = labels[torch.randperm(ones + zeros, generator=torch.Generator().manual_seed(seed))]
        labels = labels.to({"float": torch.float32, "long": torch.long, "bool": torch.bool}[kind]).to(dev)
        got = majority_baseline(labels)
        want = max(ones, zeros) / (ones + zeros)
        assert isinstance(got, float), f"majority_baseline returned a {type(got)}, expected float"
        assert abs(got - want) < 1e-9, (
            f"majority_baseline of {ones} ones and {zeros} zeros returned {got}, expected {want}"
        )
        constant = torch.full((ones + zeros,), int(ones >= zeros), device=dev)
        accuracy = float((constant == labels.long()).double().mean())
        assert abs(got - accuracy) < 1e-9, (
            f"majority_baseline is {got}, but always predicting the majority label scores {accuracy}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def predicts_one_class_cases(predicts_one_class):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(predicts_one_class=predicts_one_class)
    dev = device()

    @prop(40)
    @given(st.lists(st.integers(0, 1), min_size=1, max_size=20), st.sampled_from([torch.float32, torch.long]))
    def check(values, dtype):
        y_pred = torch.tensor(values, dtype=dtype, device=dev)
        got = predicts_one_class(y_pred)
        want = len(set(values)) == 1
        assert isinstance(got, bool) and got == want, (
            f"predicts_one_class({values}) returned {got!r}, expected {want}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_bad_input(majority_baseline, predicts_one_class):
    import torch

    from dl541_testing import require

    require(majority_baseline=majority_baseline, predicts_one_class=predicts_one_class)
    for bad in (torch.tensor([0, 2, 2]), torch.tensor([0.5, 0.5]), torch.zeros(0)):
        for fn in (majority_baseline, predicts_one_class):
            try:
                fn(bad)
            except ValueError:
                continue
            raise AssertionError(f"{fn.__name__}({bad.tolist()}) should raise ValueError")
