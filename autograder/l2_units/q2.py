from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
points = None


@test_case(points=1, hidden=False)
def kmh_to_ms_lecture_example(kmh_to_ms):
    """core: 18 km/h is 5 m/s, 36 km/h is 10 m/s, 0 km/h is 0 m/s.

    km/h to m/s (18 km/h is 5 m/s)

    `kmh_to_ms` keeps the shape, dtype and device of `speed`
    """
    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(kmh_to_ms=kmh_to_ms)
    dev = device()
    speed = torch.tensor([18.0, 36.0, 0.0], device=dev)
    for call in ("first", "second"):
        got = kmh_to_ms(speed)
        same_device_and_dtype(got, speed, "kmh_to_ms(speed)")
        assert got.shape == (3,) and torch.allclose(got, torch.tensor([5.0, 10.0, 0.0], device=dev)), (
            tidy(f"kmh_to_ms(speed = [18, 36, 0]), {call} call on the same tensor, returned {got.tolist()}, "
                 "expected [5, 10, 0]")
        )


@test_case(points=1, hidden=False)
def with_column_scaled_lecture_example(with_column_scaled):
    """core: column 1 (and column -1) of a 2 x 2 example multiplied by 0.5.

    a copy of `X` with one column multiplied by `factor`

    `column` follows Python's indexing, so `-1` is the last column
    """
    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(with_column_scaled=with_column_scaled)
    dev = device()
    X = torch.tensor([[20.0, 18.0], [15.0, 36.0]], device=dev)
    expected = torch.tensor([[20.0, 9.0], [15.0, 18.0]], device=dev)
    for column in (1, -1):
        got = with_column_scaled(X, column, 0.5)
        same_device_and_dtype(got, X, f"with_column_scaled(X, {column}, 0.5)")
        assert torch.equal(got, expected), tidy(
            f"with_column_scaled([[20, 18], [15, 36]], {column}, 0.5) returned {got.tolist()}, "
            f"expected {expected.tolist()}"
        )


@test_case(points=1, hidden=False)
def inputs_unchanged_lecture_examples(kmh_to_ms, with_column_scaled):
    """contract: kmh_to_ms and with_column_scaled leave their inputs alone, and the copy is a copy.

    the input is not changed

    `X` itself must not change: not during the call, and not later when someone writes into the
    returned copy (no shared memory).
    """
    import torch

    from dl541_testing import device, require

    require(kmh_to_ms=kmh_to_ms, with_column_scaled=with_column_scaled)
    dev = device()
    speed = torch.tensor([18.0, 36.0, 0.0], device=dev)
    kmh_to_ms(speed)
    assert speed.tolist() == [18.0, 36.0, 0.0], f"kmh_to_ms(speed = [18, 36, 0]) changed speed to {speed.tolist()}"
    X = torch.tensor([[20.0, 18.0], [15.0, 36.0]], device=dev)
    got = with_column_scaled(X, 1, 0.5)
    assert X.tolist() == [[20.0, 18.0], [15.0, 36.0]], (
        f"with_column_scaled(X = [[20, 18], [15, 36]], 1, 0.5) changed X to {X.tolist()}"
    )
    if isinstance(got, torch.Tensor):
        got.fill_(0.0)
    assert X.tolist() == [[20.0, 18.0], [15.0, 36.0]], (
        f"writing zeros into the result of with_column_scaled(X = [[20, 18], [15, 36]], 1, 0.5) changed X to "
        f"{X.tolist()}: the result shares memory with X"
    )


@test_case(points=2, hidden=True)
def kmh_to_ms_divides_by_3_6(kmh_to_ms):
    """core: every speed is multiplied by 1000 / 3600, in the input's shape, dtype and device.

    km/h to m/s (18 km/h is 5 m/s)

    `kmh_to_ms` keeps the shape, dtype and device of `speed`
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, same_device_and_dtype

    require(kmh_to_ms=kmh_to_ms)
    dev = device()

    @for_all(
        st.lists(st.floats(0.5, 300), min_size=1, max_size=6),
        st.sampled_from([torch.float32, torch.float64]),
        st.booleans(),
        examples=25,
    )
    def check(values, dtype, as_column):
        speed = torch.tensor(values, dtype=dtype, device=dev)
        if as_column:
            speed = speed[:, None]
        expected = speed.double() * 1000 / 3600
        for turn in ("first", "second"):
            call = f"kmh_to_ms({expected.mul(3.6).tolist()}), {turn} call on the same tensor,"
            got = kmh_to_ms(speed)
            same_device_and_dtype(got, speed, call)
            assert got.shape == speed.shape, f"{call} has shape {tuple(got.shape)}, expected {tuple(speed.shape)}"
            assert torch.allclose(got.double(), expected, rtol=1e-6, atol=1e-9), (
                f"{call} returned {got.tolist()}, expected {expected.tolist()} (1 km/h = 1000 m / 3600 s)"
            )


@test_case(points=2, hidden=True)
def with_column_scaled_scales_one_column(with_column_scaled):
    """core: exactly the chosen column is multiplied by factor, for any shape and column index.

    a copy of `X` with one column multiplied by `factor`

    `column` follows Python's indexing, so `-1` is the last column
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, same_device_and_dtype

    require(with_column_scaled=with_column_scaled)
    dev = device()

    @for_all(
        st.integers(1, 5),
        st.integers(1, 5),
        st.data(),
        st.floats(-100, 100).filter(lambda f: abs(f - 1) > 1e-3),
        st.sampled_from([torch.float32, torch.float64]),
        st.integers(0, 2**31 - 1),
        examples=30,
    )
    def check(n, d, data, factor, dtype, seed):
        columns = data.draw(st.lists(st.integers(-d, d - 1), min_size=1, max_size=3))
        X = torch.randn(n, d, generator=torch.Generator().manual_seed(seed), dtype=dtype).to(dev)
        original = X.clone()
        for column in columns:  # one X, several columns scaled in turn, as the demos do
            expected = original.clone()
            expected[:, column] = original[:, column] * factor
            got = with_column_scaled(X, column, factor)
            call = (
                f"with_column_scaled(X of shape ({n}, {d}), column={column}, factor={factor:g}) "
                f"(columns {columns} scaled in turn on the same X)"
            )
            same_device_and_dtype(got, X, call)
            assert got.shape == X.shape and torch.allclose(got, expected, rtol=1e-6, atol=0), (
                f"{call} returned {got.tolist()}, expected {expected.tolist()} (column {column} times {factor:g})"
            )


@test_case(points=1, hidden=True)
def random_inputs_stay_unchanged(kmh_to_ms, with_column_scaled):
    """contract: random inputs are the same after the calls; the copy shares no memory with X.

    the input is not changed

    `X` itself must not change: not during the call, and not later when someone writes into the
    returned copy (no shared memory).
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require

    require(kmh_to_ms=kmh_to_ms, with_column_scaled=with_column_scaled)
    dev = device()

    @for_all(
        st.integers(1, 5),
        st.integers(1, 5),
        st.floats(-10, 10),
        st.sampled_from([torch.float32, torch.float64]),
        st.integers(0, 2**31 - 1),
        examples=15,
    )
    def check(n, d, factor, dtype, seed):
        X = torch.randn(n, d, generator=torch.Generator().manual_seed(seed), dtype=dtype).to(dev)
        speed = X[:, 0].abs() * 50
        before_speed, before = speed.clone(), X.clone()
        kmh_to_ms(speed)
        assert torch.equal(speed, before_speed), f"kmh_to_ms({before_speed.tolist()}) changed its input to {speed.tolist()}"
        call = f"with_column_scaled(X of shape ({n}, {d}), column={d - 1}, factor={factor:g})"
        got = with_column_scaled(X, d - 1, factor)
        assert torch.equal(X, before), f"{call} changed X"
        if isinstance(got, torch.Tensor):
            got.fill_(123.0)
        assert torch.equal(X, before), f"writing into the result of {call} changed X: the result shares memory with X"


@test_case(points=1, hidden=True)
def rejects_bad_columns(with_column_scaled):
    """validation: a column outside [-d, d - 1] or an X that is not 2-D raises ValueError.

    a column outside `[-d, d - 1]` or an `X` that is not 2-D raises `ValueError`
    """
    import torch

    from dl541_testing import require

    require(with_column_scaled=with_column_scaled)
    X = torch.ones(4, 3)
    for column in (3, 7, -4):
        try:
            with_column_scaled(X, column, 2.0)
        except ValueError:
            continue
        raise AssertionError(f"with_column_scaled(X with 3 columns, column={column}, 2.0) did not raise ValueError")
    try:
        with_column_scaled(torch.ones(4), 0, 2.0)
    except ValueError:
        return
    raise AssertionError("with_column_scaled(X of shape (4,), 0, 2.0) did not raise ValueError: X must be 2-D")
