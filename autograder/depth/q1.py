from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


@test_case(points=1, hidden=False)
def lecture_examples(count_weights):
    """core: both lecture networks have 60 weights.

    (2, 20, 1) and (2, 4, 4, 4, 4, 1) both give 60.
    """
    from dl541_testing import require, tidy

    require(count_weights=count_weights)
    for sizes in [(2, 20, 1), (2, 4, 4, 4, 4, 1), (3, 5)]:
        expected = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        got = count_weights(sizes)
        assert got == expected, tidy(
            f"count_weights({sizes}) returned {got!r}; the sum of n_l * n_(l+1) is {expected}"
        )


@test_case(points=1.5, hidden=True)
def random_layer_lists(count_weights):
    """core: the sum of products of consecutive sizes, for tuples and lists.

    count_weights(layer_sizes: Sequence[int]) -> int — weights only, no biases.

    layer_sizes may be a tuple or a list; return a Python int.
    """
    from hypothesis import strategies as st

    from dl541_testing import for_all, require

    require(count_weights=count_weights)

    @for_all(st.lists(st.integers(1, 50), min_size=2, max_size=8), examples=60)
    def check(sizes):
        expected = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        for form in (tuple(sizes), list(sizes)):
            got = count_weights(form)
            assert got == expected, (
                f"count_weights({form}) returned {got!r}; the sum of n_l * n_(l+1) is {expected}"
            )
            assert isinstance(got, int), f"count_weights({form}) returned a {type(got).__name__}, not an int"


@test_case(points=0.5, hidden=True)
def rejects_bad_sizes(count_weights):
    """validation: fewer than two sizes, or a size below 1, raise ValueError.

    Fewer than two sizes, or a size below 1, is bad input: raise ValueError.
    """
    from dl541_testing import require

    require(count_weights=count_weights)
    for bad in [(), (5,), (2, 0, 1), (3, -1)]:
        try:
            count_weights(bad)
        except ValueError as exc:
            assert str(exc).strip(), f"count_weights({bad}) raised ValueError without a message"
            continue
        raise AssertionError(f"count_weights({bad}) returned instead of raising ValueError (bad sizes)")
