from helpers import _shifted
from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
points = None


def _which_shifts(images, out, max_shift):
    """For each image (dim 0), the list of shifts (dx, dy) with |dx|, |dy| <= max_shift that explain out."""
    import torch

    found = [[] for _ in range(images.shape[0])]
    out = out.to(images.device, images.dtype)
    for dx in range(-max_shift, max_shift + 1):
        for dy in range(-max_shift, max_shift + 1):
            match = (_shifted(images, dx, dy) == out).flatten(1).all(dim=1)
            for k in torch.nonzero(match).flatten().tolist():
                found[k].append((dx, dy))
    return found


def _images(seed, shape, dtype):
    """Random images with no zero pixel, on the device under test."""
    import torch

    from dl541_testing import device

    g = torch.Generator().manual_seed(seed)
    return (torch.rand(shape, generator=g, dtype=torch.float64) + 0.5).to(dtype).to(device())


def _dots(n, channels, size):
    """n images of shape (channels, size, size), all zero but for one pixel in the middle, whose value
    is the channel's number plus 1: where it lands in each channel is that image's shift."""
    import torch

    from dl541_testing import device

    x = torch.zeros(n, channels, size, size, device=device())
    for c in range(channels):
        x[:, c, size // 2, size // 2] = float(c + 1)
    return x


def _landings(got, channels, size):
    """The (dx, dy) of every channel of every image of `got` (from `_dots`), or a message saying which
    image does not hold its single pixel of value c + 1 in channel c."""
    import torch

    if not isinstance(got, torch.Tensor):
        return None, f"returned {got!r}, expected a tensor"
    if tuple(got.shape) != (got.shape[0], channels, size, size):
        return (
            None,
            f"returned a tensor of shape {tuple(got.shape)}, expected (N, {channels}, {size}, {size})",
        )
    shifts = []
    for k in range(got.shape[0]):
        per_channel = []
        for c in range(channels):
            where = torch.nonzero(got[k, c]).tolist()
            if len(where) != 1 or float(got[k, c][tuple(where[0])]) != float(c + 1):
                return None, (
                    f"image {k}, channel {c} holds {got[k, c].tolist()}; expected the single pixel of value "
                    f"{c + 1} moved by some (dx, dy)"
                )
            per_channel.append((where[0][1] - size // 2, where[0][0] - size // 2))
        shifts.append(per_channel)
    return shifts, ""


@test_case(points=1, hidden=False)
def each_image_its_own_shift(random_translate):
    """core: 150 images with one bright pixel: every shift of {-1, 0, 1}^2 occurs, one per image for all channels.

    moves each image by its own integers $d_x, d_y$, drawn independently
    and uniformly from $\\{-m, \\dots, m\\}$ with $m$ = max_shift (both ends included

    All channels of one image move together, by the same shift.
    """
    import torch

    from dl541_testing import require

    require(random_translate=random_translate)
    x = _dots(150, 2, 5)
    got = random_translate(x, 1, generator=torch.Generator().manual_seed(0))
    shifts, problem = _landings(got, 2, 5)
    assert shifts is not None, f"random_translate(150 images of shape (2, 5, 5), max_shift=1): {problem}"
    for k, (first, second) in enumerate(shifts):
        assert first == second, (
            f"random_translate(150 images of shape (2, 5, 5), max_shift=1): image {k} moved channel 0 by "
            f"(dx, dy) = {first} and channel 1 by {second}; all channels of an image move by one shift"
        )
        assert max(abs(first[0]), abs(first[1])) <= 1, (
            f"random_translate(150 images of shape (2, 5, 5), max_shift=1): image {k} moved by (dx, dy) = "
            f"{first}, outside [-1, 1]"
        )
    seen = {first for first, _ in shifts}
    every = {(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
    assert seen == every, (
        f"random_translate(150 images, max_shift=1, generator seeded 0) used only the shifts {sorted(seen)}; "
        f"each image draws its own (dx, dy) uniformly from {{-1, 0, 1}}^2, so over 150 images all 9 occur"
    )


@test_case(points=0.5, hidden=False)
def same_seed_same_shifts(random_translate):
    """contract: a generator seeded 7 twice gives the same images, seeded 8 others.

    Randomness comes only from the generator argument (None means torch's global
    generator): the same generator state gives the same result.
    """
    import torch

    from dl541_testing import require

    require(random_translate=random_translate)
    x = _images(0, (40, 6, 6), torch.float32)
    a = random_translate(x, 2, generator=torch.Generator().manual_seed(7))
    with torch.random.fork_rng(devices=[]):  # the global generator is moved, then restored
        torch.manual_seed(123)
        b = random_translate(x, 2, generator=torch.Generator().manual_seed(7))
    c = random_translate(x, 2, generator=torch.Generator().manual_seed(8))
    tensors = all(isinstance(t, torch.Tensor) and t.shape == x.shape for t in (a, b, c))
    assert tensors, (
        f"random_translate(40 images of 6x6, 2, generator) returned {a!r}, expected a tensor of shape (40, 6, 6)"
    )
    assert torch.equal(a, b), (
        "random_translate(40 images of 6x6, 2, generator seeded 7) twice, the global generator moved in "
        "between, gave different images; the same generator state gives the same result"
    )
    assert not torch.equal(a, c), (
        "random_translate(40 images of 6x6, 2) with generators seeded 7 and 8 gave the same images; the "
        "shifts come from the generator"
    )


@test_case(points=0.5, hidden=False)
def zero_shift_keeps_the_images(random_translate):
    """edge: max_shift 0 returns the images as they are.

    max_shift = 0 returns a copy of the images.
    """
    import torch

    from dl541_testing import require

    require(random_translate=random_translate)
    for shape in [(6, 8, 8), (3, 2, 5, 4)]:
        x = _images(0, shape, torch.float32)
        got = random_translate(x, 0, generator=torch.Generator().manual_seed(0))
        assert isinstance(got, torch.Tensor) and got.shape == x.shape and torch.equal(got.to(x.device), x), (
            f"random_translate(images of shape {shape}, max_shift=0) returned {got!r}; expected the images "
            "unchanged (the only shift is (0, 0))"
        )


@test_case(points=4, hidden=True)
def each_image_moves_by_an_allowed_shift(random_translate):
    """core: on random batches of 16 to 30 images, each is moved by its own shift within max_shift.

    moves each image by its own integers $d_x, d_y$

    Image $k$ of the result is
    translate(images[k], dx, dy) for its own shift.

    All channels of one image move together, by the same shift.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(random_translate=random_translate)

    def with_max_shift(drawn):
        n, channels, H, W = drawn
        shape = (n, H, W) if channels is None else (n, channels, H, W)
        return st.tuples(st.just(shape), st.integers(1, min(H, W) - 1))

    batches = st.tuples(
        st.integers(16, 30), st.sampled_from([None, 1, 3]), st.integers(2, 6), st.integers(2, 6)
    )

    @for_all(batches.flatmap(with_max_shift), seeds(), examples=25)
    def check(batch, seed):
        shape, max_shift = batch
        x = _images(seed, shape, torch.float64)
        got = random_translate(x, max_shift, generator=torch.Generator().manual_seed(seed))
        assert isinstance(got, torch.Tensor) and got.shape == x.shape, (
            f"random_translate(images of shape {shape}, {max_shift}) returned {got!r}, expected a tensor of shape {shape}"
        )
        found = _which_shifts(x, got, max_shift)
        for k, shifts in enumerate(found):
            assert shifts, (
                f"random_translate(images of shape {shape}, max_shift={max_shift}): image {k} of the result, "
                f"{got[k].tolist()}, is not translate(images[{k}], dx, dy) for any |dx|, |dy| <= {max_shift}"
                + ("" if len(shape) == 3 else " with one shift for all its channels")
            )
        # with 16 or more images, all drawing the same shift has a chance below 9**-15
        assert len({shifts[0] for shifts in found}) > 1, (
            f"random_translate(images of shape {shape}, max_shift={max_shift}) moved all {shape[0]} images by "
            f"the same shift {found[0][0]}; each image draws its own shift"
        )


@test_case(points=4, hidden=True)
def shifts_are_uniform_and_independent(random_translate):
    """core: over 1800 two-channel images every (dx, dy) occurs about equally often, one per image.

    random_translate(images, max_shift, generator=None) -> Tensor — images of shape
    (N, H, W) or (N, C, H, W); each image moved by its own integers dx, dy drawn
    uniformly from [-max_shift, max_shift].

    All channels of one image move together, by the same shift.

    drawn independently
    and uniformly from $\\{-m, \\dots, m\\}$ with $m$ = max_shift (both ends included
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(random_translate=random_translate)

    @for_all(seeds(), st.sampled_from([1, 2]), examples=3)
    def check(seed, max_shift):
        size, n = 2 * max_shift + 3, 1800
        x = _dots(n, 2, size)
        got = random_translate(x, max_shift, generator=torch.Generator().manual_seed(seed))
        shifts, problem = _landings(got, 2, size)
        assert shifts is not None, (
            f"random_translate({n} images of shape (2, {size}, {size}), {max_shift}): {problem}"
        )
        k = 2 * max_shift + 1
        counts = torch.zeros(k, k, dtype=torch.long)
        for index, ((dx, dy), other) in enumerate(shifts):
            assert (dx, dy) == other, (
                f"random_translate({n} images of shape (2, {size}, {size}), {max_shift}): image {index} moved "
                f"channel 0 by (dx, dy) = {(dx, dy)} and channel 1 by {other}; all channels move by one shift"
            )
            assert abs(dx) <= max_shift and abs(dy) <= max_shift, (
                f"random_translate(..., max_shift={max_shift}) moved an image by (dx, dy) = ({dx}, {dy})"
            )
            counts[dx + max_shift, dy + max_shift] += 1
        expected = n / k**2
        low, high = int(0.55 * expected), int(1.45 * expected) + 1
        assert int(counts.min()) >= low and int(counts.max()) <= high, (
            f"random_translate({n} images, max_shift={max_shift}): the counts of each (dx, dy) (rows dx = "
            f"-{max_shift}..{max_shift}, columns dy) are {counts.tolist()}; expected about {expected:.0f} each "
            f"(dx and dy independent and uniform on the integers of [-{max_shift}, {max_shift}], both ends "
            "included, a new shift for every image)"
        )


@test_case(points=1, hidden=True)
def same_generator_same_result(random_translate):
    """contract: generators in the same state give the same images, whatever the global generator did.

    Draw every random number from generator (None: torch's global generator).

    Randomness comes only from the generator argument (None means torch's global
    generator): the same generator state gives the same result.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(random_translate=random_translate)

    @for_all(seeds(), st.sampled_from([None, 2]), examples=8)
    def check(seed, channels):
        shape = (40, 6, 6) if channels is None else (40, channels, 6, 6)
        x = _images(seed, shape, torch.float32)
        with torch.random.fork_rng(devices=[]):  # the global generator is moved, then restored
            torch.manual_seed(seed)
            a = random_translate(x, 2, generator=torch.Generator().manual_seed(seed))
            torch.manual_seed(seed + 1)
            b = random_translate(x, 2, generator=torch.Generator().manual_seed(seed))
        assert isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and torch.equal(a, b), (
            f"random_translate(images of shape {shape}, 2, generator seeded {seed}) twice, with torch's global "
            "generator in two different states, gave different images; the same generator state gives the "
            "same result"
        )
        c = random_translate(x, 2, generator=torch.Generator().manual_seed(seed + 12345))
        assert not torch.equal(a, c), (
            f"random_translate(images of shape {shape}, 2) gave the same images for generators seeded "
            f"{seed} and {seed + 12345}; the shifts come from the generator"
        )


@test_case(points=0.5, hidden=True)
def no_generator_means_the_global_one(random_translate):
    """contract: without a generator, the same torch.manual_seed gives the same images, another seed others.

    Draw every random number from generator (None: torch's global generator).
    """
    import torch

    from dl541_testing import require

    require(random_translate=random_translate)
    x = _images(3, (40, 2, 6, 6), torch.float32)
    with torch.random.fork_rng(devices=[]):  # the global generator is moved, then restored
        torch.manual_seed(7)
        a = random_translate(x, 2)
        torch.manual_seed(7)
        b = random_translate(x, 2)
        torch.manual_seed(8)
        c = random_translate(x, 2)
    ok = all(isinstance(t, torch.Tensor) and t.shape == x.shape for t in (a, b, c))
    assert ok, (
        f"random_translate(images of shape (40, 2, 6, 6), 2) returned {a!r}, expected a tensor of that shape"
    )
    assert all(_which_shifts(x, a, 2)), (
        "random_translate(images of shape (40, 2, 6, 6), 2) without a generator: some image is not a shift of "
        "its original by |dx|, |dy| <= 2"
    )
    assert torch.equal(a, b) and not torch.equal(a, c), (
        "random_translate(images of shape (40, 2, 6, 6), 2) without a generator, after torch.manual_seed(7), "
        "(7) and (8): "
        + ("the two seeded 7 differ" if not torch.equal(a, b) else "the seeds 7 and 8 agree")
        + "; None means torch's global generator"
    )


@test_case(points=1, hidden=True)
def leaves_its_input_alone(random_translate):
    """contract: the input is unchanged, and editing the result never changes it (max_shift 0 too).

    No function changes its inputs: the images and labels you are given stay as they were.

    What a function returns is a new tensor: editing the result never changes the images or
    labels passed in, not even when the result equals them (a shift of zero, a noise of zero,
    no copies).
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(random_translate=random_translate)

    @for_all(st.integers(1, 10), st.sampled_from([None, 2]), st.integers(3, 6), seeds(), examples=12)
    def check(n, channels, size, seed):
        shape = (n, size, size) if channels is None else (n, channels, size, size)
        x = _images(seed, shape, torch.float32)
        kept = x.clone()
        for max_shift in (1, 0):
            got = random_translate(x, max_shift, generator=torch.Generator().manual_seed(seed))
            assert torch.equal(x, kept), (
                f"random_translate(x of shape {shape}, {max_shift}) changed x: the input must stay as it was"
            )
            assert isinstance(got, torch.Tensor), f"random_translate returned {got!r}, expected a tensor"
            got += 1
            assert torch.equal(x, kept), (
                f"out = random_translate(x of shape {shape}, {max_shift}); out += 1 changed x: the result must "
                "be a new tensor, not x or a view of it"
            )


@test_case(points=0.5, hidden=True)
def far_max_shift_is_allowed(random_translate):
    """edge: a max_shift of the image size or more moves some images out of the frame.

    A max_shift of the image size or more is allowed: a shift can then move an image out of
    the frame entirely, leaving zeros.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(random_translate=random_translate)

    @for_all(st.integers(1, 8), st.integers(1, 4), st.integers(0, 3), seeds(), examples=12)
    def check(n, size, extra, seed):
        max_shift = size + extra
        x = _images(seed, (n, size, size), torch.float64)
        got = random_translate(x, max_shift, generator=torch.Generator().manual_seed(seed))
        assert isinstance(got, torch.Tensor) and got.shape == x.shape, (
            f"random_translate(images of shape {(n, size, size)}, {max_shift}) returned {got!r}, expected a "
            f"tensor of shape {(n, size, size)}"
        )
        for k, shifts in enumerate(_which_shifts(x, got, max_shift)):
            assert shifts, (
                f"random_translate(images of shape {(n, size, size)}, max_shift={max_shift}): image {k}, "
                f"{got[k].tolist()}, is not translate(images[{k}], dx, dy) for any |dx|, |dy| <= {max_shift}"
            )


@test_case(points=0.5, hidden=True)
def keeps_dtype_and_device(random_translate):
    """dtype: float16, bfloat16, float32 and float64 batches keep their dtype and device.

    A function returns its images on the device of the input images
    and with their dtype
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, same_device_and_dtype, seeds

    require(random_translate=random_translate)

    @for_all(
        st.sampled_from([(5, 4, 4), (3, 2, 5, 5)]),
        seeds(),
        st.sampled_from([torch.float16, torch.bfloat16, torch.float32, torch.float64]),
        examples=8,
    )
    def check(shape, seed, dtype):
        x = _images(seed, shape, dtype)
        got = random_translate(x, 1, generator=torch.Generator().manual_seed(seed))
        same_device_and_dtype(got, x, f"random_translate(images of shape {shape} and dtype {dtype}, 1)")


@test_case(points=0.5, hidden=True)
def rejects_bad_input(random_translate):
    """validation: other shapes, and a max_shift that is not an integer >= 0, raise ValueError.

    Any other shape than $(N, H, W)$ or $(N, C, H, W)$, or a max_shift that is not an
    integer $\\ge 0$, raises ValueError.
    """
    import torch

    from dl541_testing import device, require

    require(random_translate=random_translate)
    calls = [
        ("images of shape (8, 8)", torch.ones(8, 8, device=device()), 1),
        ("images of shape (1, 1, 1, 8, 8)", torch.ones(1, 1, 1, 8, 8, device=device()), 1),
        ("max_shift = -1", torch.ones(3, 8, 8, device=device()), -1),
        ("max_shift = 1.5", torch.ones(3, 8, 8, device=device()), 1.5),
    ]
    for what, images, max_shift in calls:
        try:
            random_translate(images, max_shift)
        except ValueError:
            continue
        except Exception as exc:  # noqa: BLE001 - the wrong kind of error
            raise AssertionError(
                f"random_translate with {what} raised {type(exc).__name__}, expected ValueError"
            ) from None
        raise AssertionError(f"random_translate with {what} returned without raising; expected ValueError")
