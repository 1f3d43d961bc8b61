from helpers import _shifted
from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
points = None


def _which_shifts(images, out, max_shift):
    """For each image (dim 0), the list of shifts (dx, dy) with |dx|, |dy| <= max_shift that explain out."""
    import torch

    found = [[] for _ in range(images.shape[0])]
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


@test_case(points=1, hidden=False)
def zero_shift_keeps_the_images(random_translate):
    import torch

    from dl541_testing import require, same_device_and_dtype

    require(random_translate=random_translate)
    x = _images(0, (6, 8, 8), torch.float32)
    got = random_translate(x, 0, generator=torch.Generator().manual_seed(0))
    same_device_and_dtype(got, x, "random_translate(x, 0)")
    assert got.shape == x.shape and torch.equal(got, x), (
        "random_translate(x, max_shift=0) should return the images unchanged (the only shift is (0, 0))"
    )


@test_case(points=1, hidden=True)
def each_image_moves_by_an_allowed_shift(random_translate):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property, same_device_and_dtype

    require(random_translate=random_translate)

    @prop(25)
    @given(
        st.integers(1, 12), st.sampled_from([None, 1, 3]), st.integers(2, 6), st.integers(2, 6),
        st.integers(0, 3), st.integers(0, 2**31 - 1), st.sampled_from([torch.float32, torch.float64]),
    )
    @example(4, None, 5, 5, 1, 0, torch.float32)
    def check(n, channels, H, W, max_shift, seed, dtype):
        shape = (n, H, W) if channels is None else (n, channels, H, W)
        x = _images(seed, shape, dtype)
        kept = x.clone()
        got = random_translate(x, max_shift, generator=torch.Generator().manual_seed(seed))
        same_device_and_dtype(got, x, f"random_translate(images of shape {shape}, {max_shift})")
        assert got.shape == x.shape, f"random_translate returned shape {tuple(got.shape)}, expected {shape}"
        found = _which_shifts(x, got, max_shift)
        for k, shifts in enumerate(found):
            assert shifts, (
                f"random_translate(images of shape {shape}, max_shift={max_shift}): image {k} is not "
                f"translate(images[{k}], dx, dy) for any |dx|, |dy| <= {max_shift}"
                + ("" if channels is None else " with one shift for all its channels")
            )
        assert torch.equal(x, kept), "random_translate changed its input images"

    run_property(check)


@test_case(points=1, hidden=True)
def shifts_are_uniform_and_independent(random_translate):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(random_translate=random_translate)

    @prop(3)
    @given(st.integers(0, 2**31 - 1), st.sampled_from([1, 2]))
    def check(seed, max_shift):
        # one bright pixel in the middle of each image: where it lands is the image's shift
        size, n = 2 * max_shift + 3, 1800
        x = torch.zeros(n, 1, size, size, device=device())
        x[:, 0, size // 2, size // 2] = 1.0
        got = random_translate(x, max_shift, generator=torch.Generator().manual_seed(seed))
        assert isinstance(got, torch.Tensor) and got.shape == x.shape, f"random_translate returned {got!r}, expected a tensor of shape {tuple(x.shape)}"
        where = torch.nonzero(got[:, 0] == 1.0)
        assert where.shape[0] == n and bool((where[:, 0] == torch.arange(n, device=where.device)).all()), (
            "random_translate lost or duplicated the single bright pixel of some images"
        )
        dy = where[:, 1] - size // 2
        dx = where[:, 2] - size // 2
        k = 2 * max_shift + 1
        counts = torch.zeros(k, k, dtype=torch.long)
        for a, b in zip(dx.tolist(), dy.tolist()):
            counts[a + max_shift, b + max_shift] += 1
        expected = n / k**2
        low, high = int(0.55 * expected), int(1.45 * expected) + 1
        assert int(counts.min()) >= low and int(counts.max()) <= high, (
            f"random_translate(..., max_shift={max_shift}) over {n} images: counts of each (dx, dy) "
            f"(rows dx = -{max_shift}..{max_shift}, columns dy) are {counts.tolist()}; expected about "
            f"{expected:.0f} each: dx and dy independent and uniform on the integers in "
            f"[-{max_shift}, {max_shift}], both ends included, a new shift for every image"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def same_generator_same_result(random_translate):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property

    require(random_translate=random_translate)

    @prop(10)
    @given(st.integers(0, 2**31 - 1), st.sampled_from([None, 2]))
    def check(seed, channels):
        shape = (40, 6, 6) if channels is None else (40, channels, 6, 6)
        x = _images(seed, shape, torch.float32)
        with torch.random.fork_rng(devices=[]):  # the global generator is moved, then restored
            torch.manual_seed(seed)
            a = random_translate(x, 2, generator=torch.Generator().manual_seed(seed))
            torch.manual_seed(seed + 1)
            b = random_translate(x, 2, generator=torch.Generator().manual_seed(seed))
        assert isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and torch.equal(a, b), (
            "random_translate(x, 2, generator) twice with generators in the same state gave different "
            "images; draw every random number from `generator`, not from torch's global one"
        )
        c = random_translate(x, 2, generator=torch.Generator().manual_seed(seed + 12345))
        assert not torch.equal(a, c), (
            "random_translate(x, 2, generator) gave the same 40 shifts for two different seeds; "
            "use the generator argument"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def no_generator_means_the_global_one(random_translate):
    import torch

    from dl541_testing import require, same_device_and_dtype

    require(random_translate=random_translate)
    x = _images(3, (40, 2, 6, 6), torch.float32)
    with torch.random.fork_rng(devices=[]):  # the global generator is moved, then restored
        torch.manual_seed(7)
        a = random_translate(x, 2)
        torch.manual_seed(7)
        b = random_translate(x, 2)
        torch.manual_seed(8)
        c = random_translate(x, 2)
    same_device_and_dtype(a, x, "random_translate(x, 2) without a generator")
    assert all(_which_shifts(x, a, 2)), "random_translate(x, 2) without a generator: some image is not a shift of x"
    assert torch.equal(a, b) and not torch.equal(a, c), (
        "random_translate(x, 2) without a generator should draw from torch's global generator: the same "
        "torch.manual_seed must give the same images, another seed other images"
    )


@test_case(points=1, hidden=True)
def rejects_bad_input(random_translate):
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
        raise AssertionError(f"random_translate with {what} should raise ValueError")
