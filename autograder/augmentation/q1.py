from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


def _by_definition(images, dx, dy):
    """out[..., i, j] = images[..., i - dy, j - dx] where that index is inside, else 0: pixel by pixel."""
    import torch

    out = torch.zeros_like(images)
    H, W = images.shape[-2], images.shape[-1]
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
    x = x * torch.where(torch.rand(x.shape, generator=g) < 0.5, -0.5, 0.25)
    return x.to(dtype).to(device())


def _frames():
    """(batch, H, W, dx, dy): a frame of 2 to 7 pixels a side and a shift that keeps some pixels,
    never (0, 0) (the general case: both edge cases have their own tests)."""
    from hypothesis import strategies as st

    def shifts(frame):
        batch, H, W = frame
        dx, dy = st.integers(-(W - 1), W - 1), st.integers(-(H - 1), H - 1)
        return st.tuples(st.just(frame), dx, dy, st.sampled_from([-1, 1]))

    def general(drawn):
        (batch, H, W), dx, dy, sign = drawn
        return (batch, H, W, sign, dy) if dx == 0 and dy == 0 else (batch, H, W, dx, dy)

    frames = st.tuples(st.lists(st.integers(1, 3), max_size=2), st.integers(2, 7), st.integers(2, 7))
    return frames.flatmap(shifts).map(general)


def _values_equal(got, expected):
    """Whether `got` is a tensor of `expected`'s shape with its values (on any device, of any dtype)."""
    import torch

    return (
        isinstance(got, torch.Tensor)
        and tuple(got.shape) == tuple(expected.shape)
        and torch.equal(got.to(expected.device, expected.dtype), expected)
    )


def _show(t):
    """A tensor as nested lists, or what came back when it is not a tensor."""
    import torch

    return t.tolist() if isinstance(t, torch.Tensor) else repr(t)


@test_case(points=1, hidden=False)
def lecture_example(translate):
    """core: a single bright pixel moves dx to the right and dy down.

    translate(images, dx, dy) -> Tensor — out[..., i, j] = images[..., i - dy, j - dx] where that
    index is inside the image, else 0 (positive dx moves right, positive dy down).
    """
    import torch

    from dl541_testing import device, require

    require(translate=translate)
    image = torch.zeros(5, 5, device=device())
    image[1, 1] = 1.0
    for dx, dy, where in [(2, 1, [[2, 3]]), (-1, 0, [[1, 0]]), (0, 3, [[4, 1]])]:
        got = translate(image, dx, dy)
        expected = torch.zeros(5, 5, device=device())
        expected[where[0][0], where[0][1]] = 1.0
        assert _values_equal(got, expected), (
            f"translate(image, dx={dx}, dy={dy}) on a 5x5 image with a single 1 at (row 1, column 1) "
            f"returned {_show(got)}; out[i, j] = image[i - dy, j - dx] puts the 1 at (row, column) {where[0]}"
        )


@test_case(points=1, hidden=False)
def border_is_lost_not_wrapped(translate):
    """core: what leaves the frame is lost and the uncovered border is 0.

    Pixels pushed over the border are lost and the uncovered border is filled with 0 (the
    background of the digits), so the image never wraps around
    """
    import torch

    from dl541_testing import device, require

    require(translate=translate)
    x = torch.arange(1.0, 10.0, device=device()).reshape(3, 3)
    cases = [
        (1, 0, [[0.0, 1.0, 2.0], [0.0, 4.0, 5.0], [0.0, 7.0, 8.0]]),
        (0, -1, [[4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [0.0, 0.0, 0.0]]),
        (-2, 1, [[0.0, 0.0, 0.0], [3.0, 0.0, 0.0], [6.0, 0.0, 0.0]]),
    ]
    for dx, dy, rows in cases:
        got = translate(x, dx, dy)
        expected = torch.tensor(rows, device=device())
        assert _values_equal(got, expected), (
            f"translate(x, dx={dx}, dy={dy}) with x = {x.tolist()} returned {_show(got)}, expected {rows}: "
            "pixels pushed over the border are lost and the uncovered border is 0 (no wrapping around)"
        )


@test_case(points=0.5, hidden=False)
def far_shift_leaves_zeros(translate):
    """edge: a shift of the image size or more leaves an all-zero image (fixed examples).

    A shift of $|d_x| \\ge W$ or $|d_y| \\ge H$ leaves an all-zero image.
    """
    import torch

    from dl541_testing import device, require

    require(translate=translate)
    x = torch.arange(1.0, 10.0, device=device()).reshape(3, 3)
    for dx, dy in [(3, 0), (4, 0), (0, -4), (-1, 7), (-9, -9)]:
        got = translate(x, dx, dy)
        assert _values_equal(got, torch.zeros_like(x)), (
            f"translate(x, dx={dx}, dy={dy}) on a 3x3 image returned {_show(got)}; a shift of at least the "
            "image size moves every pixel out of the frame: expected all zeros"
        )


@test_case(points=4, hidden=True)
def matches_the_definition(translate):
    """core: on random batches, frames and shifts, every pixel is the one the formula names.

    translate(images, dx, dy) -> Tensor — out[..., i, j] = images[..., i - dy, j - dx] where that
    index is inside the image, else 0 (positive dx moves right, positive dy down).

    moves every image of images (shape $(\\dots, H, W)$: any number of leading dimensions)
    """
    import torch

    from dl541_testing import for_all, require, seeds

    require(translate=translate)

    @for_all(_frames(), seeds(), examples=40)
    def check(frame, seed):
        batch, H, W, dx, dy = frame
        x = _images(seed, batch, H, W, torch.float64)
        got = translate(x, dx, dy)
        expected = _by_definition(x, dx, dy)
        assert _values_equal(got, expected), (
            f"translate(images of shape {tuple(x.shape)}, dx={dx}, dy={dy}) returned\n{_show(got)}\n"
            f"expected out[..., i, j] = images[..., i - dy, j - dx] (0 outside the frame):\n{expected.tolist()}"
        )


@test_case(points=2.5, hidden=True)
def shifts_compose_and_invert(translate):
    """core: two shifts make their sum inside a frame; a shift then its inverse give back the interior.

    translate(images, dx, dy) -> Tensor — out[..., i, j] = images[..., i - dy, j - dx] where that
    index is inside the image, else 0 (positive dx moves right, positive dy down).

    Pixels pushed over the border are lost and the uncovered border is filled with 0
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(translate=translate)

    @for_all(
        st.integers(5, 8),
        st.integers(5, 8),
        st.integers(-2, 2),
        st.integers(-2, 2),
        st.integers(-2, 2),
        st.integers(-2, 2),
        seeds(),
        examples=40,
    )
    def check(H, W, a, b, c, d, seed):
        x = _images(seed, [2], H, W, torch.float64)
        i = torch.arange(H, device=device())[:, None]
        j = torch.arange(W, device=device())[None, :]
        first = translate(x, a, b)
        assert isinstance(first, torch.Tensor), (
            f"translate(x, {a}, {b}) returned {first!r}, expected a tensor"
        )
        twice = translate(first, c, d)
        # the first shift must have kept the pixel that the second one brings to (i, j)
        interior = (i - d >= 0) & (i - d < H) & (j - c >= 0) & (j - c < W)
        direct = translate(x, a + c, b + d)
        assert isinstance(direct, torch.Tensor), (
            f"translate(x, {a + c}, {b + d}) returned {direct!r}, expected a tensor"
        )
        expected = direct.to(x.device, x.dtype) * interior
        assert _values_equal(twice, expected), (
            f"translate(translate(x, {a}, {b}), {c}, {d}) on {H}x{W} images returned\n{_show(twice)}\n"
            f"expected translate(x, {a + c}, {b + d}) wherever the intermediate pixel was inside the frame, "
            f"0 elsewhere:\n{expected.tolist()}"
        )
        back = translate(first, -a, -b)
        inside = (i + b >= 0) & (i + b < H) & (j + a >= 0) & (j + a < W)
        assert _values_equal(back, x * inside), (
            f"translate(translate(x, {a}, {b}), {-a}, {-b}) on {H}x{W} images returned\n{_show(back)}\n"
            f"expected x wherever (i + {b}, j + {a}) is inside the frame and 0 elsewhere:\n{(x * inside).tolist()}"
        )


@test_case(points=0.5, hidden=True)
def zero_shift_is_the_identity(translate):
    """edge: a shift of (0, 0) gives the images back.

    A shift of $(0, 0)$ returns a copy of the images.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(translate=translate)

    @for_all(
        st.lists(st.integers(1, 3), max_size=2), st.integers(1, 6), st.integers(1, 6), seeds(), examples=15
    )
    def check(batch, H, W, seed):
        x = _images(seed, batch, H, W, torch.float32)
        got = translate(x, 0, 0)
        assert _values_equal(got, x), (
            f"translate(x, 0, 0) with x of shape {tuple(x.shape)} returned {_show(got)}, expected x: "
            "a shift of (0, 0) leaves every pixel where it is"
        )


@test_case(points=0.5, hidden=True)
def far_shifts_leave_zeros(translate):
    """edge: on random frames, a shift of at least the image size leaves all zeros.

    A shift of $|d_x| \\ge W$ or $|d_y| \\ge H$ leaves an all-zero image.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(translate=translate)

    @for_all(
        st.integers(1, 6),
        st.integers(1, 6),
        st.integers(0, 8),
        st.integers(-8, 8),
        st.sampled_from([1, -1]),
        st.booleans(),
        seeds(),
        examples=20,
    )
    def check(H, W, extra, other, sign, along_x, seed):
        x = _images(seed, [2], H, W, torch.float32)
        dx, dy = (sign * (W + extra), other) if along_x else (other, sign * (H + extra))
        got = translate(x, dx, dy)
        assert _values_equal(got, torch.zeros_like(x)), (
            f"translate(images of size {H}x{W}, dx={dx}, dy={dy}) returned {_show(got)}; the shift moves "
            "every pixel out of the frame: expected all zeros"
        )


@test_case(points=1, hidden=True)
def leaves_its_input_alone(translate):
    """contract: the input is unchanged, and editing the result never changes it (a zero shift too).

    No function changes its inputs: the images and labels you are given stay as they were.

    What a function returns is a new tensor: editing the result never changes the images or
    labels passed in, not even when the result equals them (a shift of zero, a noise of zero,
    no copies).
    """
    import torch

    from dl541_testing import for_all, require, seeds

    require(translate=translate)

    @for_all(_frames(), seeds(), examples=15)
    def check(frame, seed):
        batch, H, W, dx, dy = frame
        x = _images(seed, batch, H, W, torch.float32)
        kept = x.clone()
        for shift in [(dx, dy), (0, 0)]:
            got = translate(x, *shift)
            assert torch.equal(x, kept), (
                f"translate(x, {shift[0]}, {shift[1]}) with x of shape {tuple(x.shape)} changed x: "
                "the input must stay as it was"
            )
            assert isinstance(got, torch.Tensor), (
                f"translate(x, {shift[0]}, {shift[1]}) returned {got!r}, expected a tensor"
            )
            got += 1
            assert torch.equal(x, kept), (
                f"out = translate(x, {shift[0]}, {shift[1]}); out += 1 changed x: the result must be a new "
                "tensor, not x or a view of it"
            )


@test_case(points=0.5, hidden=True)
def keeps_dtype_and_device(translate):
    """dtype: float16, bfloat16, float32 and float64 images keep their dtype and device.

    A function returns its images on the device of the input images and with their dtype
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, same_device_and_dtype, seeds

    require(translate=translate)

    @for_all(
        _frames(),
        seeds(),
        st.sampled_from([torch.float16, torch.bfloat16, torch.float32, torch.float64]),
        examples=12,
    )
    def check(frame, seed, dtype):
        batch, H, W, dx, dy = frame
        x = _images(seed, batch, H, W, dtype)
        got = translate(x, dx, dy)
        same_device_and_dtype(
            got, x, f"translate(images of shape {tuple(x.shape)} and dtype {dtype}, {dx}, {dy})"
        )


@test_case(points=0.5, hidden=True)
def rejects_bad_input(translate):
    """validation: shifts that are not integers, and images of fewer than 2 dimensions, raise ValueError.

    dx and dy are integers: a Python int, a NumPy integer or an integer 0-d tensor.
    Anything else (1.5, "1", None) raises ValueError.

    images with fewer than 2 dimensions raises ValueError.
    """
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
                f"translate(4x4 image, {dx!r}, {dy!r}) raised {type(exc).__name__}, expected ValueError "
                "(the shifts are integers)"
            ) from None
        raise AssertionError(
            f"translate(4x4 image, {dx!r}, {dy!r}) returned without raising; expected ValueError (the shifts are integers)"
        )
    for bad in (torch.ones(4, device=device()), torch.tensor(1.0, device=device())):
        try:
            translate(bad, 1, 0)
        except ValueError:
            continue
        except Exception as exc:  # noqa: BLE001
            raise AssertionError(
                f"translate(x of shape {tuple(bad.shape)}, 1, 0) raised {type(exc).__name__}, expected ValueError "
                "(images have at least 2 dimensions)"
            ) from None
        raise AssertionError(
            f"translate(x of shape {tuple(bad.shape)}, 1, 0) returned without raising; expected ValueError "
            "(images have at least 2 dimensions)"
        )
