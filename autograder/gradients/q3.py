from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


@test_case(points=1, hidden=False)
def lecture_cases(diagnose):
    """core: four profiles of the lecture, one per answer, and a nan in the middle.

    `"exploding"` if any norm is not finite (`nan` or `±inf`);

    `"vanishing"` if $r < 1/\\text{ratio}$,

    `"exploding"` if $r > \\text{ratio}$, else `"healthy"`.

    Only the first and the last norm enter $r$; the layers in between do not matter.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(diagnose=diagnose)
    dev = device()
    cases = [
        (torch.tensor([1e-7, 1e-5, 1e-3, 1e-1], device=dev), "vanishing"),
        (torch.tensor([1e4, 1e2, 1.0, 1e-2], device=dev), "exploding"),
        (torch.tensor([0.5, 0.7, 0.6, 0.4], device=dev), "healthy"),
        (torch.tensor([0.5, float("nan"), 0.4], device=dev), "exploding"),
        (torch.tensor([1.0, 1e-9, 1e9, 2.0], device=dev), "healthy"),
    ]
    for norms, expected in cases:
        got = diagnose(norms)
        assert got == expected, tidy(
            f"diagnose({norms.tolist()}) returned {got!r}, expected {expected!r} (r = norms[0] / norms[-1], ratio 1000)."
        )
    for values, expected in (([1.0, 50.0], "vanishing"), ([50.0, 1.0], "exploding"), ([5.0, 1.0], "healthy")):
        got = diagnose(torch.tensor(values, device=dev), ratio=10.0)
        assert got == expected, (
            f"diagnose({values}, ratio=10) returned {got!r}, expected {expected!r}: r = {values[0] / values[1]:g}, "
            "thresholds 1 / 10 and 10."
        )


@test_case(points=0.5, hidden=False)
def exact_tie_is_healthy(diagnose):
    """edge: norms [1, 1000] and [1000, 1] in float64 (r = 1 / 1000 and r = 1000 exactly) are healthy.

    Both comparisons are strict, so $r = \\text{ratio}$ exactly is `"healthy"`, and so is
    $r = 1/\\text{ratio}$ exactly.
    """
    import torch

    from dl541_testing import device, require

    require(diagnose=diagnose)
    for values in ([1.0, 1000.0], [1000.0, 1.0]):
        norms = torch.tensor(values, dtype=torch.float64, device=device())
        got = diagnose(norms)
        assert got == "healthy", (
            f"diagnose({values} in float64) returned {got!r}, expected 'healthy': r = {values[0] / values[1]:g} "
            "equals a threshold and both comparisons are strict."
        )


@test_case(points=4, hidden=True)
def only_first_over_last_matters(diagnose):
    """core: the answer is set by r = norms[0] / norms[-1] alone, away from the thresholds.

    otherwise, with $r$ = `norms[0] / norms[-1]`: `"vanishing"` if $r < 1/\\text{ratio}$,

    `"exploding"` if $r > \\text{ratio}$, else `"healthy"`.

    Only the first and the last norm enter $r$; the layers in between do not matter.
    """
    import math

    import torch
    from hypothesis import assume
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require

    require(diagnose=diagnose)
    dev = device()

    @for_all(
        st.floats(-8, 8),
        st.sampled_from([1.5, 10.0, 1e3]),
        st.lists(st.floats(-12, 12), max_size=5),
        st.floats(-3, 3),
        st.sampled_from([torch.float32, torch.float64]),
        st.booleans(),
        examples=60,
    )
    def check(log_r, ratio, middle, log_last, dtype, default_ratio):
        if default_ratio:
            ratio = 1e3
        assume(abs(abs(log_r) - math.log10(ratio)) > 1e-3)  # r clear of the thresholds: ties are an edge case
        last = 10.0**log_last
        values = [10.0**log_r * last] + [10.0**m for m in middle] + [last]
        norms = torch.tensor(values, dtype=dtype, device=dev)
        r = float(norms[0].double() / norms[-1].double())
        expected = "vanishing" if r < 1 / ratio else "exploding" if r > ratio else "healthy"
        got = diagnose(norms) if default_ratio else diagnose(norms, ratio=ratio)
        call = f"diagnose({norms.tolist()})" if default_ratio else f"diagnose({norms.tolist()}, ratio={ratio:g})"
        assert got == expected, f"{call} returned {got!r}, expected {expected!r}: r = norms[0] / norms[-1] = {r:.3g}."



@test_case(points=1.5, hidden=True)
def non_finite_anywhere_is_exploding(diagnose):
    """core: a nan or an infinity at any place makes the profile exploding.

    `"exploding"` if any norm is not finite (`nan` or `±inf`);
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require

    require(diagnose=diagnose)
    dev = device()

    @for_all(
        st.lists(st.floats(1e-9, 1e-6), min_size=2, max_size=6),
        st.data(),
        st.sampled_from([float("nan"), float("inf"), -float("inf")]),
        examples=30,
    )
    def check(values, data, bad):
        index = data.draw(st.integers(0, len(values) - 1))
        values[index] = bad
        norms = torch.tensor(values, device=dev)
        got = diagnose(norms)
        assert got == "exploding", f"diagnose({norms.tolist()}) returned {got!r}, expected 'exploding': norm {index} is not finite."



@test_case(points=0.5, hidden=True)
def exact_ties_are_healthy(diagnose):
    """edge: r equal to ratio or to 1 / ratio exactly is healthy; a bit beyond is not.

    Both comparisons are strict, so $r = \\text{ratio}$ exactly is `"healthy"`, and so is
    $r = 1/\\text{ratio}$ exactly.
    """
    import torch

    from dl541_testing import device, require

    require(diagnose=diagnose)
    dev = device()
    cases = [
        ([1.0, 1024.0], "healthy"),
        ([1.0, 1025.0], "vanishing"),
        ([1024.0, 1.0], "healthy"),
        ([1025.0, 1.0], "exploding"),
        ([2.0**-20, 5.0, 2.0**-10], "healthy"),
    ]
    for values, expected in cases:
        for dtype in (torch.float32, torch.float64):
            norms = torch.tensor(values, dtype=dtype, device=dev)
            got = diagnose(norms, ratio=1024.0)
            assert got == expected, (
                f"diagnose({values}, ratio=1024) returned {got!r}, expected {expected!r}: "
                f"r = {values[0] / values[-1]:g} and both comparisons are strict."
            )


@test_case(points=0.5, hidden=True)
def single_norm_is_healthy(diagnose):
    """edge: a profile of one norm has r = 1.

    A profile of a single norm has $r = 1$: `"healthy"`.
    """
    import torch

    from dl541_testing import device, require

    require(diagnose=diagnose)
    for value in (3.0, 1e-20, 1e20):
        norms = torch.tensor([value], device=device())
        got = diagnose(norms)
        assert got == "healthy", f"diagnose([{value:g}]) returned {got!r}, expected 'healthy': r = 1."


@test_case(points=0.5, hidden=True)
def zero_first_or_last_norm(diagnose):
    """edge: a last norm of 0 is exploding, a first norm of 0 vanishing.

    a last norm of
    exactly 0 gives $r = \\infty$, `"exploding"`, and a first norm of 0 gives $r = 0$,
    `"vanishing"`
    """
    import torch

    from dl541_testing import device, require

    require(diagnose=diagnose)
    for values, expected in (([0.0, 1.0], "vanishing"), ([1.0, 0.0], "exploding"), ([0.0, 3.0, 2.0], "vanishing")):
        got = diagnose(torch.tensor(values, device=device()))
        assert got == expected, f"diagnose({values}) returned {got!r}, expected {expected!r}."


@test_case(points=0.5, hidden=True)
def ratio_one_is_allowed(diagnose):
    """edge: with ratio = 1 only r = 1 is healthy.

    Every `ratio >= 1` is allowed (with `ratio = 1` only $r = 1$ is `"healthy"`).
    """
    import torch

    from dl541_testing import device, require

    require(diagnose=diagnose)
    for values, expected in (([2.0, 2.0], "healthy"), ([1.0, 2.0], "vanishing"), ([2.0, 1.0], "exploding")):
        norms = torch.tensor(values, dtype=torch.float64, device=device())
        try:
            got = diagnose(norms, ratio=1.0)
        except ValueError as exc:
            raise AssertionError(f"diagnose({values}, ratio=1) raised ValueError({exc}), expected {expected!r}.") from None
        assert got == expected, f"diagnose({values}, ratio=1) returned {got!r}, expected {expected!r}."


@test_case(points=1, hidden=True)
def rejects_bad_input(diagnose):
    """validation: an empty profile or a ratio below 1 raises ValueError.

    An empty `norms` or a `ratio` below 1 raises `ValueError`.
    """
    import torch

    from dl541_testing import require

    require(diagnose=diagnose)
    for norms, ratio in [(torch.tensor([]), 1e3), (torch.tensor([1.0, 2.0]), 0.0), (torch.tensor([1.0, 2.0]), -5.0),
                         (torch.tensor([1.0, 2.0]), 0.5)]:
        try:
            diagnose(norms, ratio=ratio)
        except ValueError:
            continue
        raise AssertionError(f"diagnose({norms.tolist()}, ratio={ratio:g}) returned without raising, expected ValueError.")
