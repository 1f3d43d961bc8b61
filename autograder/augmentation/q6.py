from helpers import _shifted
from otter.test_files import test_case

OK_FORMAT = False
name = "q6"
points = None


def _shift_of(images, out, max_shift):
    """Per image (dim 0): the shift (dx, dy), |dx|, |dy| <= max_shift, that makes out[k] from images[k]
    (the first one found), or None when there is none."""
    import torch

    found = [None] * images.shape[0]
    out = out.to(images.device, images.dtype)
    for dx in range(-max_shift, max_shift + 1):
        for dy in range(-max_shift, max_shift + 1):
            match = (_shifted(images, dx, dy) == out).flatten(1).all(dim=1)
            for k in torch.nonzero(match).flatten().tolist():
                if found[k] is None:
                    found[k] = (dx, dy)
    return found


def _dataset(seed, shape, dtype=None):
    """Random images with no zero pixel and integer labels 0..9, on the device under test."""
    import torch

    from dl541_testing import device

    g = torch.Generator().manual_seed(seed)
    images = (torch.rand(shape, generator=g, dtype=torch.float64) + 0.5).to(dtype or torch.float32)
    labels = torch.randint(0, 10, shape[:1], generator=g)
    return images.to(device()), labels.to(device())


def _pair(result, call):
    """The (images, labels) that `call` returned, after checking that it is a pair of tensors."""
    import torch

    ok = isinstance(result, tuple) and len(result) == 2 and all(isinstance(t, torch.Tensor) for t in result)
    assert ok, f"{call} returned {result!r}, expected a pair (images, labels) of tensors"
    return result


def _equal(a, b):
    """Whether tensor `a` has `b`'s shape and values (on any device)."""
    import torch

    return tuple(a.shape) == tuple(b.shape) and torch.equal(a.to(b.device, b.dtype), b)


@test_case(points=1, hidden=False)
def shapes_and_originals_first(augment):
    """core: 4 images and 2 copies give 12 images, the originals first, labels repeated in order.

    augment(images, labels, copies, max_shift, generator=None) -> (images, labels) — the
    originals first, then copies randomly translated copies of the whole set, labels repeated
    to match.

    so the
    labels are the original labels repeated copies + 1 times, in order.
    """
    import torch

    from dl541_testing import require

    require(augment=augment)
    images, labels = _dataset(0, (4, 8, 8))
    call = "augment(4 images of 8x8, labels, copies=2, max_shift=1)"
    out, out_labels = _pair(augment(images, labels, 2, 1, generator=torch.Generator().manual_seed(0)), call)
    assert tuple(out.shape) == (12, 8, 8) and tuple(out_labels.shape) == (12,), (
        f"{call} returned shapes {tuple(out.shape)} and {tuple(out_labels.shape)}, expected (12, 8, 8) and (12,): "
        "the originals and two copies"
    )
    assert _equal(out[:4], images), f"{call}: the first 4 images of the result are not the originals"
    expected = labels.repeat(3)
    assert _equal(out_labels, expected), (
        f"{call} returned labels {out_labels.tolist()} for labels {labels.tolist()}; expected them repeated "
        f"3 times in order: {expected.tolist()}"
    )


@test_case(points=1, hidden=False)
def copies_are_new_shifts(augment):
    """core: 30 images and 3 copies: each copy is a shift of its original, and the copies differ.

    Copy $c$ of image $i$ sits at index $cN + i$

    Each copy moves every image by a fresh random shift, as random_translate(images, max_shift,
    generator) does: new shifts for every copy, all drawn from generator.
    """
    import torch

    from dl541_testing import require

    require(augment=augment)
    images, labels = _dataset(1, (30, 6, 6))
    call = "augment(30 images of 6x6, labels, copies=3, max_shift=1, generator seeded 5)"
    out, _ = _pair(augment(images, labels, 3, 1, generator=torch.Generator().manual_seed(5)), call)
    assert tuple(out.shape) == (120, 6, 6), (
        f"{call} returned images of shape {tuple(out.shape)}, expected (120, 6, 6)"
    )
    shifts = []
    for c in range(1, 4):
        found = _shift_of(images, out[30 * c : 30 * (c + 1)], 1)
        missing = [i for i, s in enumerate(found) if s is None]
        assert not missing, (
            f"{call}: image {30 * c + missing[0]} (copy {c} of image {missing[0]}) is not the original moved by "
            "some |dx|, |dy| <= 1"
        )
        shifts.append(found)
    for c in (1, 2):
        assert shifts[c - 1] != shifts[c], (
            f"{call}: copies {c} and {c + 1} moved all 30 images by the same shifts; every copy draws new shifts"
        )
    assert len({s for copy in shifts for s in copy}) > 1, (
        f"{call}: every image of every copy moved by {shifts[0][0]}"
    )


@test_case(points=4, hidden=True)
def copies_are_shifts_with_aligned_labels(augment):
    """core: on random data sets, originals first, copy c of image i at c N + i a random shift of it, labels aligned.

    augment(images, labels, copies, max_shift, generator=None) -> (images, labels) — the
    originals first, then copies randomly translated copies of the whole set, labels repeated
    to match.

    Copy $c$ of image $i$ sits at index $cN + i$, so the
    labels are the original labels repeated copies + 1 times, in order.

    The first $N$ images and labels of the result equal images and labels.

    Each copy moves every image by a fresh random shift
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(augment=augment)

    def with_max_shift(drawn):
        return st.tuples(st.just(drawn), st.integers(1, drawn[2] - 1))

    sets = st.tuples(st.integers(8, 16), st.sampled_from([None, 1, 2]), st.integers(3, 6), st.integers(2, 3))

    @for_all(sets.flatmap(with_max_shift), seeds(), examples=20)
    def check(drawn, seed):
        (n, channels, size, copies), max_shift = drawn
        shape = (n, size, size) if channels is None else (n, channels, size, size)
        images, labels = _dataset(seed, shape, torch.float64)
        call = f"augment({n} images of shape {shape[1:]}, labels, copies={copies}, max_shift={max_shift})"
        out, out_labels = _pair(
            augment(images, labels, copies, max_shift, generator=torch.Generator().manual_seed(seed)), call
        )
        total = (copies + 1) * n
        assert tuple(out.shape) == (total, *shape[1:]) and tuple(out_labels.shape) == (total,), (
            f"{call} returned shapes {tuple(out.shape)} and {tuple(out_labels.shape)}, expected "
            f"{(total, *shape[1:])} and ({total},)"
        )
        assert _equal(out[:n], images), f"{call}: the first {n} images of the result are not the originals"
        moves = set()
        for c in range(copies + 1):
            block = slice(c * n, (c + 1) * n)
            assert _equal(out_labels[block], labels), (
                f"{call}: labels[{c * n}:{(c + 1) * n}] are {out_labels[block].tolist()}, expected the original "
                f"labels {labels.tolist()} (copy c of image i sits at c N + i)"
            )
            if c:
                found = _shift_of(images, out[block], max_shift)
                missing = [i for i, s in enumerate(found) if s is None]
                assert not missing, (
                    f"{call}: image {c * n + missing[0]} (copy {c} of image {missing[0]}) is not the original moved "
                    f"by some |dx|, |dy| <= {max_shift}"
                )
                moves.update(found)
        # at least 16 shifts drawn: all of them equal has a chance below 9**-15
        assert len(moves) > 1, (
            f"{call}: every image of every copy moved by the same shift {moves.pop()}; each copy moves every "
            "image by a fresh random shift"
        )


@test_case(points=4, hidden=True)
def copies_draw_fresh_uniform_shifts(augment):
    """core: over 300 images and 3 copies: originals first, labels aligned, each copy's shifts uniform and new.

    augment(images, labels, copies, max_shift, generator=None) -> (images, labels) — the
    originals first, then copies randomly translated copies of the whole set, labels repeated
    to match.

    Each copy moves every image by a fresh random shift, as random_translate(images, max_shift,
    generator) does: new shifts for every copy, all drawn from generator.

    each image moved by its own integers dx, dy drawn
    uniformly from [-max_shift, max_shift].
    """
    import torch

    from dl541_testing import for_all, require, seeds

    require(augment=augment)

    @for_all(seeds(), examples=3)
    def check(seed):
        n, size = 300, 5
        images, labels = _dataset(seed, (n, size, size))
        call = f"augment({n} images of 5x5, labels, copies=3, max_shift=1, generator seeded {seed})"
        out, out_labels = _pair(
            augment(images, labels, 3, 1, generator=torch.Generator().manual_seed(seed)), call
        )
        assert tuple(out.shape) == (4 * n, size, size) and tuple(out_labels.shape) == (4 * n,), (
            f"{call} returned shapes {tuple(out.shape)} and {tuple(out_labels.shape)}, expected {(4 * n, size, size)} "
            f"and ({4 * n},)"
        )
        assert _equal(out[:n], images), f"{call}: the first {n} images of the result are not the originals"
        assert _equal(out_labels, labels.repeat(4)), (
            f"{call}: the labels of the result are not the original labels repeated 4 times in order (copy c "
            "of image i sits at c N + i)"
        )
        copies = []
        for c in range(1, 4):
            found = _shift_of(images, out[c * n : (c + 1) * n], 1)
            assert None not in found, (
                f"{call}: some image of copy {c} is not its original moved by |dx|, |dy| <= 1"
            )
            counts = torch.zeros(3, 3, dtype=torch.long)
            for dx, dy in found:
                counts[dx + 1, dy + 1] += 1
            assert int(counts.min()) >= 15 and int(counts.max()) <= 55, (
                f"{call}: in copy {c} the counts of each (dx, dy) (rows dx = -1..1, columns dy) are "
                f"{counts.tolist()}; expected about {n / 9:.0f} each (uniform shifts, a new one for every image)"
            )
            copies.append(found)
        for c in (0, 1):
            same = sum(a == b for a, b in zip(copies[c], copies[c + 1]))
            assert same < 0.25 * n, (
                f"{call}: copies {c + 1} and {c + 2} moved {same} of the {n} images by the same shift; with new "
                f"shifts for every copy about {n / 9:.0f} agree by chance"
            )


@test_case(points=0.5, hidden=True)
def same_generator_same_result(augment):
    """contract: generators in the same state give the same data set, another seed another one.

    Randomness comes only from the generator argument (None means torch's global
    generator): the same generator state gives the same result.
    """
    import torch

    from dl541_testing import require

    require(augment=augment)
    images, labels = _dataset(2, (30, 6, 6))
    call = "augment(30 images of 6x6, labels, copies=2, max_shift=1, generator)"
    a, la = _pair(augment(images, labels, 2, 1, generator=torch.Generator().manual_seed(5)), call)
    with torch.random.fork_rng(devices=[]):  # the global generator is moved, then restored
        torch.manual_seed(99)
        b, lb = _pair(augment(images, labels, 2, 1, generator=torch.Generator().manual_seed(5)), call)
    c, _ = _pair(augment(images, labels, 2, 1, generator=torch.Generator().manual_seed(6)), call)
    assert torch.equal(a, b) and torch.equal(la, lb), (
        f"{call} twice with a generator seeded 5, the global generator moved in between, gave different "
        "results; the same generator state gives the same result"
    )
    assert not torch.equal(a, c), f"{call} gave the same images for generators seeded 5 and 6"


@test_case(points=1, hidden=True)
def leaves_its_inputs_alone(augment):
    """contract: images and labels are unchanged, and editing the result never changes them (no copies too).

    No function changes its inputs: the images and labels you are given stay as they were.

    What a function returns is a new tensor: editing the result never changes the images or
    labels passed in, not even when the result equals them (a shift of zero, a noise of zero,
    no copies).

    With copies = 0 the result equals (images, labels), as new tensors
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(augment=augment)

    @for_all(st.integers(1, 8), st.integers(0, 2), st.integers(0, 2), seeds(), examples=12)
    def check(n, copies, max_shift, seed):
        images, labels = _dataset(seed, (n, 5, 5))
        kept = images.clone(), labels.clone()
        call = f"augment({n} images of 5x5, labels, copies={copies}, max_shift={max_shift})"
        out, out_labels = _pair(
            augment(images, labels, copies, max_shift, generator=torch.Generator().manual_seed(seed)), call
        )
        assert torch.equal(images, kept[0]) and torch.equal(labels, kept[1]), (
            f"{call} changed its images or labels: the inputs must stay as they were"
        )
        out += 1
        out_labels += 1
        assert torch.equal(images, kept[0]), (
            f"out, out_labels = {call}; out += 1 changed images: the result must be new"
        )
        assert torch.equal(labels, kept[1]), (
            f"out, out_labels = {call}; out_labels += 1 changed labels: the result must be new"
        )


@test_case(points=0.5, hidden=True)
def no_copies_is_the_data_set(augment):
    """edge: copies 0 returns the images and labels as they are.

    With copies = 0 the result equals (images, labels), as new tensors
    """
    import torch

    from dl541_testing import require

    require(augment=augment)
    for shape in [(7, 5, 5), (3, 2, 4, 4)]:
        images, labels = _dataset(3, shape)
        call = f"augment(images of shape {shape}, labels, copies=0, max_shift=2)"
        out, out_labels = _pair(
            augment(images, labels, 0, 2, generator=torch.Generator().manual_seed(0)), call
        )
        assert _equal(out, images) and _equal(out_labels, labels), (
            f"{call} returned images of shape {tuple(out.shape)} and labels {out_labels.tolist()}; expected the "
            f"data set itself, labels {labels.tolist()}"
        )


@test_case(points=0.5, hidden=True)
def zero_shift_copies_the_originals(augment):
    """edge: max_shift 0 makes every copy equal to the originals.

    with max_shift = 0
    every copy equals the originals.
    """
    import torch

    from dl541_testing import require

    require(augment=augment)
    images, labels = _dataset(4, (6, 2, 4, 4))
    call = "augment(images of shape (6, 2, 4, 4), labels, copies=2, max_shift=0)"
    out, out_labels = _pair(augment(images, labels, 2, 0, generator=torch.Generator().manual_seed(0)), call)
    assert _equal(out, images.repeat(3, 1, 1, 1)) and _equal(out_labels, labels.repeat(3)), (
        f"{call} returned images of shape {tuple(out.shape)} and labels {out_labels.tolist()}; expected the "
        f"originals three times, labels {labels.repeat(3).tolist()}"
    )


@test_case(points=0.5, hidden=True)
def keeps_dtypes_and_devices(augment):
    """dtype: the images keep their dtype and device, the labels theirs.

    A function returns its images on the device of the input images
    and with their dtype (labels keep the device and dtype of the labels).
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, same_device_and_dtype, seeds

    require(augment=augment)

    @for_all(
        seeds(),
        st.sampled_from([torch.float16, torch.float32, torch.float64]),
        st.sampled_from([torch.int64, torch.int32, torch.float32]),
        examples=8,
    )
    def check(seed, dtype, label_dtype):
        images, labels = _dataset(seed, (5, 4, 4), dtype)
        labels = labels.to(label_dtype)
        out, out_labels = _pair(
            augment(images, labels, 1, 1, generator=torch.Generator().manual_seed(seed)), "augment"
        )
        same_device_and_dtype(out, images, f"augment's images (from images of dtype {dtype})")
        same_device_and_dtype(out_labels, labels, f"augment's labels (from labels of dtype {label_dtype})")


@test_case(points=0.5, hidden=True)
def rejects_bad_input(augment):
    """validation: wrong shapes of images or labels, and copies that are not an integer >= 0, raise ValueError.

    images of a shape other than $(N, H, W)$ or $(N, C, H, W)$, labels of a shape other
    than $(N,)$, or a copies that is not an integer $\\ge 0$, raises ValueError.
    """
    from dl541_testing import require

    require(augment=augment)
    images, labels = _dataset(1, (30, 6, 6))
    for what, call in [
        ("9 labels for 30 images", lambda: augment(images, labels[:9], 1, 1)),
        ("labels of shape (30, 1)", lambda: augment(images, labels[:, None], 1, 1)),
        ("copies = -1", lambda: augment(images, labels, -1, 1)),
        ("copies = 1.5", lambda: augment(images, labels, 1.5, 1)),
        ("images of shape (6, 6)", lambda: augment(images[0], labels[:1], 1, 1)),
    ]:
        try:
            call()
        except ValueError:
            continue
        except Exception as exc:  # noqa: BLE001 - the wrong kind of error
            raise AssertionError(
                f"augment with {what} raised {type(exc).__name__}, expected ValueError"
            ) from None
        raise AssertionError(f"augment with {what} returned without raising; expected ValueError")
