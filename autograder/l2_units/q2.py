from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
points = None


@test_case(points=1, hidden=False)
def lecture_examples(kmh_to_ms, with_column_scaled):
    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(kmh_to_ms=kmh_to_ms, with_column_scaled=with_column_scaled)
    dev = device()
    speed = torch.tensor([18.0, 36.0, 0.0], device=dev)
    got = kmh_to_ms(speed)
    same_device_and_dtype(got, speed, "kmh_to_ms(speed)")
    assert torch.allclose(got, torch.tensor([5.0, 10.0, 0.0], device=dev)), (
        tidy(f"kmh_to_ms([18, 36, 0]) returned {got.tolist()}, expected [5, 10, 0]")
    )
    X = torch.tensor([[20.0, 18.0], [15.0, 36.0]], device=dev)
    got = with_column_scaled(X, 1, 0.5)
    same_device_and_dtype(got, X, "with_column_scaled(X, 1, 0.5)")
    expected = torch.tensor([[20.0, 9.0], [15.0, 18.0]], device=dev)
    assert torch.equal(got, expected), tidy(f"with_column_scaled(X, 1, 0.5) returned {got.tolist()}, expected {expected.tolist()}")


@test_case(points=1, hidden=True)
def kmh_to_ms_divides_by_3_6(kmh_to_ms):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(kmh_to_ms=kmh_to_ms)
    dev = device()

    @prop(25)
    @given(
        st.lists(st.floats(0, 300), min_size=1, max_size=6),
        st.sampled_from([torch.float32, torch.float64]),
        st.booleans(),
    )
    def check(values, dtype, as_column):
        speed = torch.tensor(values, dtype=dtype, device=dev)
        if as_column:
            speed = speed[:, None]
        before = speed.clone()
        got = kmh_to_ms(speed)
        call = f"kmh_to_ms({speed.tolist()})"
        same_device_and_dtype(got, speed, call)
        assert got.shape == speed.shape, f"{call} has shape {tuple(got.shape)}, expected {tuple(speed.shape)}"
        expected = speed.double() * 1000 / 3600
        assert torch.allclose(got.double(), expected, rtol=1e-6, atol=1e-9), (
            f"{call} returned {got.tolist()}, expected {expected.tolist()} (1 km/h = 1000 m / 3600 s)"
        )
        assert torch.equal(speed, before), f"{call} changed its input to {speed.tolist()}"

    run_property(check)


@test_case(points=2, hidden=True)
def with_column_scaled_copies_and_scales_one_column(with_column_scaled):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(with_column_scaled=with_column_scaled)
    dev = device()

    @prop(30)
    @given(
        st.integers(1, 5),
        st.integers(1, 5),
        st.data(),
        st.floats(-100, 100),
        st.sampled_from([torch.float32, torch.float64]),
        st.integers(0, 2**31 - 1),
    )
    def check(n, d, data, factor, dtype, seed):
        column = data.draw(st.integers(-d, d - 1))
        X = torch.randn(n, d, generator=torch.Generator().manual_seed(seed), dtype=dtype).to(dev)
        before = X.clone()
        got = with_column_scaled(X, column, factor)
        call = f"with_column_scaled(X of shape ({n}, {d}), column={column}, factor={factor:g})"
        same_device_and_dtype(got, X, call)
        assert torch.equal(X, before), f"{call} changed X: return a copy"
        expected = before.clone()
        expected[:, column] = before[:, column] * factor
        assert got.shape == X.shape and torch.allclose(got, expected, rtol=1e-6, atol=0), (
            f"{call} returned {got.tolist()}, expected {expected.tolist()} (column {column} times {factor:g})"
        )
        got.fill_(123.0)
        assert torch.equal(X, before), f"{call} shares memory with X: writing into the result changed X"

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_bad_columns(with_column_scaled):
    import torch

    from dl541_testing import require

    require(with_column_scaled=with_column_scaled)
    X = torch.ones(4, 3)
    for column in (3, 7, -4):
        try:
            with_column_scaled(X, column, 2.0)
        except ValueError:
            continue
        raise AssertionError(f"with_column_scaled(X with 3 columns, column={column}, 2.0) should raise ValueError")
    try:
        with_column_scaled(torch.ones(4), 0, 2.0)
    except ValueError:
        return
    raise AssertionError("with_column_scaled(X of shape (4,), 0, 2.0) should raise ValueError: X must be 2-D")
