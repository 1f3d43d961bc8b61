from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


@test_case(points=1, hidden=False)
def lecture_examples(count_weights):
    from dl541_testing import require, tidy

    require(count_weights=count_weights)
    for sizes in [(2, 20, 1), (2, 4, 4, 4, 4, 1)]:
        got = count_weights(sizes)
        assert got == 60, tidy(f"count_weights({sizes}) returned {got!r}, expected 60")


@test_case(points=1, hidden=True)
def random_layer_lists(count_weights):
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property

    require(count_weights=count_weights)

    @prop(60)
    @given(st.lists(st.integers(1, 50), min_size=2, max_size=8))
    def check(sizes):
        expected = 0
        for i in range(len(sizes) - 1):
            expected += sizes[i] * sizes[i + 1]
        for form in (tuple(sizes), list(sizes)):
            got = count_weights(form)
            assert got == expected, f"count_weights({form}) returned {got!r}, expected {expected}"
            assert isinstance(got, int), f"count_weights should return an int, got {type(got)}"

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_bad_sizes(count_weights):
    from dl541_testing import require

    require(count_weights=count_weights)
    for bad in [(), (5,), (2, 0, 1), (3, -1)]:
        try:
            count_weights(bad)
        except ValueError as exc:
            assert str(exc).strip(), f"count_weights({bad}) raised ValueError without a message"
            continue
        raise AssertionError(f"count_weights({bad}) should raise ValueError")
