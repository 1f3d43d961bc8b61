from helpers import _shifted
from otter.test_files import test_case

OK_FORMAT = False
name = "q4"
points = None


def _is_some_shift(images, out, max_shift):
    """Per image (dim 0): is out[k] a translate of images[k] by some |dx|, |dy| <= max_shift?"""
    import torch

    ok = torch.zeros(images.shape[0], dtype=torch.bool, device=images.device)
    for dx in range(-max_shift, max_shift + 1):
        for dy in range(-max_shift, max_shift + 1):
            ok |= (_shifted(images, dx, dy) == out).flatten(1).all(dim=1)
    return ok


def _dataset(seed, shape, dtype=None):
    """Random images with no zero pixel and integer labels 0..9, on the device under test."""
    import torch

    from dl541_testing import device

    g = torch.Generator().manual_seed(seed)
    images = (torch.rand(shape, generator=g, dtype=torch.float64) + 0.5).to(dtype or torch.float32)
    labels = torch.randint(0, 10, shape[:1], generator=g)
    return images.to(device()), labels.to(device())


@test_case(points=1, hidden=False)
def shapes_and_originals_first(augment):
    import torch

    from dl541_testing import require, same_device_and_dtype

    require(augment=augment)
    images, labels = _dataset(0, (4, 8, 8))
    result = augment(images, labels, 2, 1, generator=torch.Generator().manual_seed(0))
    assert isinstance(result, tuple) and len(result) == 2, f"augment returned {result!r}, expected a pair"
    out, out_labels = result
    same_device_and_dtype(out, images, "augment's images")
    same_device_and_dtype(out_labels, labels, "augment's labels")
    assert tuple(out.shape) == (12, 8, 8) and tuple(out_labels.shape) == (12,), (
        f"augment(4 images of 8x8, copies=2) returned shapes {tuple(out.shape)} and {tuple(out_labels.shape)}, "
        "expected (12, 8, 8) and (12,): the originals and two copies"
    )
    assert torch.equal(out[:4], images) and torch.equal(out_labels[:4], labels), (
        "the first 4 images and labels of augment's output should be the originals"
    )


@test_case(points=1, hidden=True)
def copies_are_shifts_with_aligned_labels(augment):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property, same_device_and_dtype

    require(augment=augment)

    @prop(20)
    @given(
        st.integers(1, 10), st.sampled_from([None, 1, 2]), st.integers(3, 6), st.integers(0, 3),
        st.integers(1, 2), st.integers(0, 2**31 - 1),
    )
    @example(5, None, 5, 2, 1, 0)
    def check(n, channels, size, copies, max_shift, seed):
        shape = (n, size, size) if channels is None else (n, channels, size, size)
        images, labels = _dataset(seed, shape, torch.float64)
        kept = (images.clone(), labels.clone())
        out, out_labels = augment(images, labels, copies, max_shift, generator=torch.Generator().manual_seed(seed))
        same_device_and_dtype(out, images, "augment's images")
        same_device_and_dtype(out_labels, labels, "augment's labels")
        total = (copies + 1) * n
        assert out.shape == (total, *shape[1:]) and out_labels.shape == (total,), (
            f"augment({n} images of shape {shape[1:]}, copies={copies}) returned shapes {tuple(out.shape)} and "
            f"{tuple(out_labels.shape)}, expected {(total, *shape[1:])} and ({total},)"
        )
        assert torch.equal(out[:n], images), "augment: the first N images should be the originals"
        for c in range(copies + 1):
            block = slice(c * n, (c + 1) * n)
            assert torch.equal(out_labels[block], labels), (
                f"augment: labels[{c * n}:{(c + 1) * n}] are {out_labels[block].tolist()}, expected the "
                f"original labels {labels.tolist()} (block c holds copy c of image i at c * N + i)"
            )
            if c:
                ok = _is_some_shift(images, out[block], max_shift)
                assert bool(ok.all()), (
                    f"augment: image {c * n + int((~ok).nonzero()[0])} (copy {c}) is not a translate of the "
                    f"matching original by |dx|, |dy| <= {max_shift}; copy c of image i goes to c * N + i"
                )
        assert torch.equal(images, kept[0]) and torch.equal(labels, kept[1]), "augment changed its inputs"

    run_property(check)


@test_case(points=1, hidden=True)
def copies_differ_and_generator_decides(augment):
    import torch

    from dl541_testing import device, require

    require(augment=augment)
    images, labels = _dataset(1, (30, 6, 6))
    a, la = augment(images, labels, 3, 1, generator=torch.Generator().manual_seed(5))
    b, lb = augment(images, labels, 3, 1, generator=torch.Generator().manual_seed(5))
    assert torch.equal(a, b) and torch.equal(la, lb), "augment with the same generator state gave different results"
    copies = a.reshape(4, 30, 6, 6)
    assert not torch.equal(copies[1], copies[2]) and not torch.equal(copies[2], copies[3]), (
        "augment's copies are identical: every copy needs its own random shifts"
    )
    for what, call in [
        ("9 labels for 30 images", lambda: augment(images, labels[:9], 1, 1)),
        ("copies = -1", lambda: augment(images, labels, -1, 1)),
        ("images of shape (6, 6)", lambda: augment(images[0], labels[:1], 1, 1)),
    ]:
        try:
            call()
        except ValueError:
            continue
        except Exception as exc:  # noqa: BLE001 - the wrong kind of error
            raise AssertionError(f"augment with {what} raised {type(exc).__name__}, expected ValueError") from None
        raise AssertionError(f"augment with {what} should raise ValueError")
    none = augment(images, labels, 0, 2)
    assert torch.equal(none[0], images) and torch.equal(none[1], labels), "augment with copies = 0 is the data set"
    assert none[0].device.type == device().type
