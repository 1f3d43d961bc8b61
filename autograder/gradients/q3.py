from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


@test_case(points=1, hidden=False)
def lecture_cases(diagnose):
    import torch

    from dl541_testing import require, tidy

    require(diagnose=diagnose)
    cases = [
        (torch.tensor([1e-7, 1e-5, 1e-3, 1e-1]), "vanishing"),
        (torch.tensor([1e4, 1e2, 1.0, 1e-2]), "exploding"),
        (torch.tensor([0.5, 0.7, 0.6, 0.4]), "healthy"),
        (torch.tensor([0.5, float("nan"), 0.4]), "exploding"),
    ]
    for norms, expected in cases:
        got = diagnose(norms)
        assert got == expected, tidy(f"diagnose({norms.tolist()}) returned {got!r}, expected {expected!r}.")


@test_case(points=2, hidden=True)
def only_first_over_last_matters(diagnose):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(diagnose=diagnose)
    dev = device()

    @prop(60)
    @given(
        st.floats(-8, 8).filter(lambda e: min(abs(abs(e) - 1), abs(abs(e) - 3)) > 0.05),
        st.sampled_from([10.0, 1e3]),
        st.lists(st.floats(-12, 12), max_size=5),
        st.floats(-3, 3),
        st.sampled_from([torch.float32, torch.float64]),
        st.booleans(),
    )
    def check(log_r, ratio, middle, log_last, dtype, default_ratio):
        if default_ratio:
            ratio = 1e3
        last = 10.0**log_last
        values = [10.0**log_r * last] + [10.0**m for m in middle] + [last]
        norms = torch.tensor(values, dtype=dtype, device=dev)
        r = 10.0**log_r
        expected = "vanishing" if r < 1 / ratio else "exploding" if r > ratio else "healthy"
        got = diagnose(norms) if default_ratio else diagnose(norms, ratio=ratio)
        assert got == expected, (
            f"diagnose({norms.tolist()}, ratio={ratio:g}) returned {got!r}, expected {expected!r}: "
            f"r = norms[0] / norms[-1] = {r:.3g}; the middle norms do not matter"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def thresholds_are_strict(diagnose):
    import torch

    from dl541_testing import device, require, tidy

    require(diagnose=diagnose)
    dev = device()
    ratio = 1024.0
    cases = [
        ([1.0, 1024.0], "healthy"),
        ([1.0, 1025.0], "vanishing"),
        ([1024.0, 1.0], "healthy"),
        ([1025.0, 1.0], "exploding"),
        ([2.0**-20, 5.0, 2.0**-10], "healthy"),
        ([2.0**-20, 5.0, 2.0**-10 * 1.001], "vanishing"),
        ([3.0], "healthy"),
        ([0.0, 1.0], "vanishing"),
        ([1.0, 0.0], "exploding"),
    ]
    for values, expected in cases:
        for dtype in (torch.float32, torch.float64):
            norms = torch.tensor(values, dtype=dtype, device=dev)
            got = diagnose(norms, ratio=ratio)
            assert got == expected, (
                tidy(f"diagnose({values}, ratio={ratio:g}) returned {got!r}, expected {expected!r} "
                "(vanishing if r < 1 / ratio, exploding if r > ratio: both strict; r = norms[0] / norms[-1])")
            )


@test_case(points=1, hidden=True)
def non_finite_anywhere_is_exploding(diagnose):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(diagnose=diagnose)
    dev = device()

    @prop(30)
    @given(
        st.lists(st.floats(1e-9, 1e-6), min_size=2, max_size=6),
        st.data(),
        st.sampled_from([float("nan"), float("inf"), -float("inf")]),
    )
    def check(values, data, bad):
        index = data.draw(st.integers(0, len(values) - 1))
        values[index] = bad
        norms = torch.tensor(values, device=dev)
        got = diagnose(norms)
        assert got == "exploding", f"diagnose({norms.tolist()}) returned {got!r}, expected 'exploding' (a norm that is not finite)."

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_bad_input(diagnose):
    import torch

    from dl541_testing import require

    require(diagnose=diagnose)
    for norms, ratio in [(torch.tensor([]), 1e3), (torch.tensor([1.0, 2.0]), 0.0), (torch.tensor([1.0, 2.0]), -5.0)]:
        try:
            diagnose(norms, ratio=ratio)
        except ValueError:
            continue
        raise AssertionError(f"diagnose({norms.tolist()}, ratio={ratio}) should raise ValueError")


@test_case(points=1, hidden=True)
def ratio_one_and_small_ratios_are_allowed(diagnose):
    import torch

    from dl541_testing import device, require, tidy

    require(diagnose=diagnose)
    dev = device()
    cases = [
        (1.0, [2.0, 2.0], "healthy"),
        (1.0, [1.0, 2.0], "vanishing"),
        (1.0, [2.0, 1.0], "exploding"),
        (1.5, [1.0, 1.4], "healthy"),
        (1.5, [1.4, 1.0], "healthy"),
        (1.5, [1.0, 1.6], "vanishing"),
        (1.5, [1.6, 1.0], "exploding"),
    ]
    for ratio, values, expected in cases:
        norms = torch.tensor(values, dtype=torch.float64, device=dev)
        try:
            got = diagnose(norms, ratio=ratio)
        except ValueError as exc:
            raise AssertionError(
                f"diagnose({values}, ratio={ratio}) raised ValueError({exc}); every ratio >= 1 is allowed"
            ) from None
        assert got == expected, tidy(f"diagnose({values}, ratio={ratio}) returned {got!r}, expected {expected!r}.")

