from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


def _by_definition(images, dx, dy):
    """out[..., i, j] = images[..., i - dy, j - dx] where that index is inside, else 0: pixel by pixel."""
    import torch

    out = torch.zeros_like(images)
    H, W = images.shape[-2:]
    for i in range(H):
        for j in range(W):
            if 0 <= i - dy < H and 0 <= j - dx < W:
                out[..., i, j] = images[..., i - dy, j - dx]
    return out


def _images(seed, batch, H, W, dtype):
    """Random images of shape (*batch, H, W) with no zero pixel, on the device under test."""
    import torch

    from dl541_testing import device

    g = torch.Generator().manual_seed(seed)
    x = torch.randint(1, 100, (*batch, H, W), generator=g)
    if dtype.is_floating_point:
        x = x * torch.where(torch.rand(x.shape, generator=g) < 0.5, -0.5, 0.25)
    return x.to(dtype).to(device())


@test_case(points=1, hidden=False)
def lecture_example(translate):
    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(translate=translate)
    image = torch.zeros(5, 5, device=device())
    image[1, 1] = 1.0
    got = translate(image, 2, 1)
    same_device_and_dtype(got, image, "translate(image, 2, 1)")
    expected = torch.zeros(5, 5, device=device())
    expected[2, 3] = 1.0
    assert torch.equal(got, expected), (
        tidy(f"translate(image, dx=2, dy=1) with a single 1 at (row 1, column 1) returned a 1 at "
        f"{got.nonzero().tolist()}, expected [[2, 3]] (dx moves right, dy moves down)")
    )
    same = translate(image, 0, 0)
    assert isinstance(same, torch.Tensor) and torch.equal(same, image), "translate(image, 0, 0) should be image"


@test_case(points=1, hidden=True)
def matches_the_definition(translate):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property, same_device_and_dtype

    require(translate=translate)

    @prop(40)
    @given(
        st.lists(st.integers(1, 3), max_size=2), st.integers(1, 6), st.integers(1, 6),
        st.integers(-8, 8), st.integers(-8, 8), st.integers(0, 2**31 - 1),
        st.sampled_from([torch.float32, torch.float64, torch.int64]),
    )
    @example([2], 4, 5, 1, -2, 0, torch.float32)
    def check(batch, H, W, dx, dy, seed, dtype):
        x = _images(seed, batch, H, W, dtype)
        kept = x.clone()
        got = translate(x, dx, dy)
        same_device_and_dtype(got, x, f"translate(images of shape {tuple(x.shape)}, {dx}, {dy})")
        expected = _by_definition(x, dx, dy)
        assert got.shape == x.shape and torch.equal(got, expected), (
            f"translate(images of shape {tuple(x.shape)}, dx={dx}, dy={dy}) returned\n{got.tolist()}\n"
            f"expected out[..., i, j] = images[..., i - dy, j - dx] (0 outside):\n{expected.tolist()}"
        )
        assert torch.equal(x, kept), "translate changed its input images"

    run_property(check)


@test_case(points=1, hidden=True)
def identity_out_of_range_and_mass(translate):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property

    require(translate=translate)

    @prop(40)
    @given(
        st.integers(1, 3), st.integers(1, 7), st.integers(1, 7), st.integers(-10, 10), st.integers(-10, 10),
        st.integers(0, 2**31 - 1),
    )
    @example(2, 5, 5, 5, 0, 0)
    def check(n, H, W, dx, dy, seed):
        x = _images(seed, [n], H, W, torch.float64)
        same = translate(x, 0, 0)
        assert isinstance(same, torch.Tensor) and torch.equal(same, x), (
            f"translate(x, 0, 0) returned {same!r}, expected x itself (a zero shift is the identity)"
        )
        got = translate(x, dx, dy)
        assert isinstance(got, torch.Tensor), f"translate returned {got!r}, expected a tensor"
        if abs(dx) >= W or abs(dy) >= H:
            assert torch.equal(got, torch.zeros_like(x)), (
                f"translate(images of size {H}x{W}, dx={dx}, dy={dy}) moves every pixel out of the frame: "
                f"expected all zeros, got {got.tolist()}"
            )
        mass_in, mass_out = float(x.abs().sum()), float(got.abs().sum())
        assert mass_out <= mass_in + 1e-9, (
            f"translate(x, {dx}, {dy}): sum |out| = {mass_out} exceeds sum |x| = {mass_in}; a shift "
            "moves pixels or drops them at the border, it never creates (or wraps) any"
        )
        kept = (H - min(abs(dy), H)) * (W - min(abs(dx), W)) * n
        nonzero = int((got != 0).sum())
        assert nonzero == kept, (
            f"translate(images of size {H}x{W}, dx={dx}, dy={dy}) has {nonzero} non-zero pixels; "
            f"expected the {kept} that stay inside the frame"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def shifts_compose_and_invert(translate):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(translate=translate)

    @prop(40)
    @given(
        st.integers(2, 7), st.integers(2, 7), st.integers(-4, 4), st.integers(-4, 4),
        st.integers(-4, 4), st.integers(-4, 4), st.integers(0, 2**31 - 1),
    )
    @example(5, 5, 2, 1, -1, 1, 0)
    def check(H, W, a, b, c, d, seed):
        x = _images(seed, [2], H, W, torch.float64)
        i = torch.arange(H, device=device())[:, None]
        j = torch.arange(W, device=device())[None, :]
        twice = translate(translate(x, a, b), c, d)
        assert isinstance(twice, torch.Tensor), f"translate returned {twice!r}, expected a tensor"
        # the first shift must have kept the pixel that the second one brings to (i, j)
        interior = (i - d >= 0) & (i - d < H) & (j - c >= 0) & (j - c < W)
        direct = translate(x, a + c, b + d)
        assert torch.equal(twice, direct * interior), (
            f"translate(translate(x, {a}, {b}), {c}, {d}) should equal translate(x, {a + c}, {b + d}) "
            f"wherever the intermediate pixel was inside the frame; got\n{twice.tolist()}\n"
            f"expected\n{(direct * interior).tolist()}"
        )
        back = translate(translate(x, a, b), -a, -b)
        inside = (i + b >= 0) & (i + b < H) & (j + a >= 0) & (j + a < W)
        assert torch.equal(back, x * inside), (
            f"translate(translate(x, {a}, {b}), {-a}, {-b}) should give back x wherever (i + {b}, j + {a}) "
            f"is inside the frame, and 0 elsewhere; got\n{back.tolist()}\nexpected\n{(x * inside).tolist()}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_bad_input(translate):
    import torch

    from dl541_testing import device, require

    require(translate=translate)
    image = torch.ones(4, 4, device=device())
    for dx, dy in [(1.5, 0), (0, 0.5), ("1", 0), (None, 1)]:
        try:
            translate(image, dx, dy)
        except ValueError:
            continue
        except Exception as exc:  # noqa: BLE001 - the wrong kind of error
            raise AssertionError(
                f"translate(image, {dx!r}, {dy!r}) raised {type(exc).__name__}, expected ValueError"
            ) from None
        raise AssertionError(f"translate(image, {dx!r}, {dy!r}) should raise ValueError: shifts are integers")
    for bad in (torch.ones(4, device=device()), torch.tensor(1.0, device=device())):
        try:
            translate(bad, 1, 0)
        except ValueError:
            continue
        except Exception as exc:  # noqa: BLE001
            raise AssertionError(
                f"translate(x of shape {tuple(bad.shape)}, 1, 0) raised {type(exc).__name__}, expected ValueError"
            ) from None
        raise AssertionError(f"translate(x of shape {tuple(bad.shape)}, 1, 0) should raise ValueError")
