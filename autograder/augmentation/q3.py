from helpers import _shifted
from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


def _images(seed, shape, dtype):
    """Random images on the device under test, every pixel a different value."""
    import torch

    from dl541_testing import device

    g = torch.Generator().manual_seed(seed)
    count = 1
    for size in shape:
        count *= size
    values = (torch.randperm(count, generator=g) + 1).to(torch.float64) / 4
    return values.reshape(shape).to(dtype).to(device())


def _mirrored(x):
    """out[..., i, j] = x[..., i, W - 1 - j], by index arithmetic."""
    import torch

    W = x.shape[-1]
    return x[..., torch.arange(W - 1, -1, -1, device=x.device)]


def _same_values(got, expected):
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
def mirror_examples(flip_lr):
    """core: a 2x3 image and a batch of two such images, mirrored left to right.

    flip_lr(images) mirrors every image left to right: $\\text{out}[\\dots, i, j] =
    \\text{images}[\\dots, i, W - 1 - j]$

    a batch of images stays in its order, and every row
    of an image stays where it is.
    """
    import torch

    from dl541_testing import device, require

    require(flip_lr=flip_lr)
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], device=device())
    expected = torch.tensor([[3.0, 2.0, 1.0], [6.0, 5.0, 4.0]], device=device())
    got = flip_lr(x)
    assert _same_values(got, expected), (
        f"flip_lr({x.tolist()}) returned {_show(got)}, expected {expected.tolist()}"
    )
    batch = torch.stack([x, 10 * x])
    got = flip_lr(batch)
    assert _same_values(got, torch.stack([expected, 10 * expected])), (
        f"flip_lr(batch) with batch = {batch.tolist()} (two 2x3 images) returned {_show(got)}, expected "
        f"{torch.stack([expected, 10 * expected]).tolist()}: each image mirrored, the batch in its order"
    )


@test_case(points=4, hidden=True)
def flip_is_a_mirror(flip_lr):
    """core: on random batches, out[..., i, j] = images[..., i, W - 1 - j], and flipping twice gives back x.

    flip_lr(images) mirrors every image left to right: $\\text{out}[\\dots, i, j] =
    \\text{images}[\\dots, i, W - 1 - j]$, for images of shape $(\\dots, H, W)$ with any number of
    leading dimensions.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(flip_lr=flip_lr)

    @for_all(
        st.lists(st.integers(1, 3), max_size=2),
        st.integers(2, 6),
        st.integers(2, 6),
        seeds(),
        st.sampled_from([torch.float32, torch.float64]),
        examples=30,
    )
    def check(batch, H, W, seed, dtype):
        x = _images(seed, (*batch, H, W), dtype)
        got = flip_lr(x)
        expected = _mirrored(x)
        assert _same_values(got, expected), (
            f"flip_lr(x) with x of shape {tuple(x.shape)}, x = {x.tolist()}, returned {_show(got)}; expected "
            f"out[..., i, j] = x[..., i, W - 1 - j]: {expected.tolist()}"
        )
        twice = flip_lr(got)
        assert _same_values(twice, x), (
            f"flip_lr(flip_lr(x)) with x of shape {tuple(x.shape)} returned {_show(twice)}, expected x "
            "(a mirror is its own inverse)"
        )


@test_case(points=1, hidden=True)
def mirror_reverses_horizontal_shifts(flip_lr):
    """core: mirroring an image moved by (dx, dy) gives the mirror moved by (-dx, dy).

    flip_lr(images) mirrors every image left to right
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(flip_lr=flip_lr)

    @for_all(
        st.integers(1, 3),
        st.integers(2, 6),
        st.integers(2, 6),
        st.integers(-1, 1),
        st.integers(-1, 1),
        seeds(),
        examples=20,
    )
    def check(n, H, W, dx, dy, seed):
        x = _images(seed, (n, H, W), torch.float64)
        left = flip_lr(_shifted(x, dx, dy))
        right = _shifted(_mirrored(x), -dx, dy)
        assert _same_values(left, right), (
            f"flip_lr(x moved by (dx, dy) = ({dx}, {dy})) with x of shape {tuple(x.shape)} returned {_show(left)}; "
            f"a mirror turns a move to the right into one to the left, so expected the mirror of x moved by "
            f"({-dx}, {dy}): {right.tolist()}"
        )


@test_case(points=0.5, hidden=True)
def one_pixel_wide_is_its_own_mirror(flip_lr):
    """edge: images of width 1 come back unchanged.

    An image one pixel wide is its own mirror.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(flip_lr=flip_lr)

    @for_all(st.lists(st.integers(1, 3), max_size=2), st.integers(1, 6), seeds(), examples=10)
    def check(batch, H, seed):
        x = _images(seed, (*batch, H, 1), torch.float32)
        got = flip_lr(x)
        assert _same_values(got, x), (
            f"flip_lr(x) with x of shape {tuple(x.shape)} (one pixel wide), x = {x.tolist()}, returned "
            f"{_show(got)}, expected x"
        )


@test_case(points=0.5, hidden=True)
def leaves_its_input_alone(flip_lr):
    """contract: the input is unchanged, and editing the result never changes it.

    No function changes its inputs: the images and labels you are given stay as they were.

    What a function returns is a new tensor: editing the result never changes the images or
    labels passed in
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(flip_lr=flip_lr)

    @for_all(
        st.lists(st.integers(1, 3), max_size=2), st.integers(1, 5), st.integers(1, 5), seeds(), examples=12
    )
    def check(batch, H, W, seed):
        x = _images(seed, (*batch, H, W), torch.float32)
        kept = x.clone()
        got = flip_lr(x)
        assert torch.equal(x, kept), (
            f"flip_lr(x) with x of shape {tuple(x.shape)} changed x: the input must stay as it was"
        )
        assert isinstance(got, torch.Tensor), f"flip_lr(x) returned {got!r}, expected a tensor"
        got += 1
        assert torch.equal(x, kept), (
            f"out = flip_lr(x) with x of shape {tuple(x.shape)}; out += 1 changed x: the result must be a new "
            "tensor, not x or a view of it"
        )


@test_case(points=0.5, hidden=True)
def keeps_dtype_and_device(flip_lr):
    """dtype: float16, bfloat16, float32 and float64 images keep their dtype and device.

    A function returns its images on the device of the input images and with their dtype
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, same_device_and_dtype, seeds

    require(flip_lr=flip_lr)

    @for_all(
        st.sampled_from([(3, 4), (2, 3, 3)]),
        seeds(),
        st.sampled_from([torch.float16, torch.bfloat16, torch.float32, torch.float64]),
        examples=8,
    )
    def check(shape, seed, dtype):
        x = _images(seed, shape, dtype)
        same_device_and_dtype(flip_lr(x), x, f"flip_lr(images of shape {shape} and dtype {dtype})")


@test_case(points=0.5, hidden=True)
def rejects_bad_input(flip_lr):
    """validation: images of fewer than 2 dimensions raise ValueError.

    images with fewer than 2 dimensions raises ValueError.
    """
    import torch

    from dl541_testing import device, require

    require(flip_lr=flip_lr)
    for bad in (torch.ones(4, device=device()), torch.tensor(1.0, device=device())):
        try:
            flip_lr(bad)
        except ValueError:
            continue
        except Exception as exc:  # noqa: BLE001 - the wrong kind of error
            raise AssertionError(
                f"flip_lr(x of shape {tuple(bad.shape)}) raised {type(exc).__name__}, expected ValueError "
                "(images have at least 2 dimensions)"
            ) from None
        raise AssertionError(
            f"flip_lr(x of shape {tuple(bad.shape)}) returned without raising; expected ValueError "
            "(images have at least 2 dimensions)"
        )
