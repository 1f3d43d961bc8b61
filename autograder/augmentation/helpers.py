"""Test helpers shared by the question files of augmentation (the build writes each into
the files that import it)."""


def _shifted(images, dx, dy):
    """An independent translate: pad every side with zeros, then cut the frame out at an offset."""
    import torch

    rows, cols = images.shape[-2], images.shape[-1]
    if abs(dx) >= cols or abs(dy) >= rows:
        return torch.zeros_like(images)
    padded = torch.nn.functional.pad(images, (cols, cols, rows, rows))
    return padded[..., rows - dy : 2 * rows - dy, cols - dx : 2 * cols - dx]


def _noisy_images(seed, shape, dtype):
    """Random images with pixels in [0, 16), on the device under test (for the noise tests)."""
    import torch

    from dl541_testing import device

    g = torch.Generator().manual_seed(seed)
    return (torch.rand(shape, generator=g, dtype=torch.float64) * 16).to(dtype).to(device())


def _noise_of(out, x, call):
    """out - x in float64 (on x's device), after checking that out is a tensor of x's shape."""
    import torch

    assert isinstance(out, torch.Tensor) and tuple(out.shape) == tuple(x.shape), (
        f"{call} returned {out!r}, expected a tensor of shape {tuple(x.shape)}"
        if not isinstance(out, torch.Tensor)
        else f"{call} returned a tensor of shape {tuple(out.shape)}, expected {tuple(x.shape)}"
    )
    return out.to(x.device).double() - x.double()


def _moments(noise):
    """mean, population std, mean |x| and kurtosis E[(x - m)^4] / var^2 of all entries, in float64."""
    x = noise.double().flatten()
    m = x.mean()
    var = ((x - m) ** 2).mean().clamp(min=1e-300)
    return float(m), float(var.sqrt()), float(x.abs().mean()), float(((x - m) ** 4).mean() / var**2)


def _neighbour_correlation(noise):
    """The correlation of the noise of image k with that of image k + 1, over all pixels and all k."""
    a, b = noise[:-1].flatten().double(), noise[1:].flatten().double()
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).mean() / ((a * a).mean() * (b * b).mean()).sqrt().clamp(min=1e-300))


def _noise_is_reproducible(noisy, name):
    """The same generator state gives the same noise; without a generator, torch's global one decides."""
    import torch

    from dl541_testing import for_all, seeds

    @for_all(seeds(), examples=6)
    def check(seed):
        x = _noisy_images(seed, (4, 8, 8), torch.float32)
        with torch.random.fork_rng(devices=[]):  # the global generator is moved, then restored
            torch.manual_seed(seed)
            a = noisy(x, 0.5, generator=torch.Generator().manual_seed(seed))
            torch.manual_seed(seed + 1)
            b = noisy(x, 0.5, generator=torch.Generator().manual_seed(seed))
            torch.manual_seed(seed)
            c = noisy(x, 0.5)
            torch.manual_seed(seed)
            d = noisy(x, 0.5)
        ok = all(isinstance(t, torch.Tensor) for t in (a, b, c, d))
        assert ok, f"{name}(x, 0.5) returned {a!r}, expected a tensor"
        assert torch.equal(a, b), (
            f"{name}(x, 0.5, generator seeded {seed}) twice, with torch's global generator in two different "
            "states, gave different images; the same generator state gives the same result"
        )
        assert torch.equal(c, d), (
            f"{name}(x, 0.5) without a generator gave different images after the same torch.manual_seed({seed}); "
            "None means torch's global generator"
        )
        e = noisy(x, 0.5, generator=torch.Generator().manual_seed(seed + 12345))
        assert not torch.equal(a, e), (
            f"{name}(x, 0.5) gave the same images for generators seeded {seed} and {seed + 12345}; the noise "
            "comes from the generator"
        )


def _noise_leaves_its_input_alone(noisy, name):
    """The input is unchanged, and editing the result never changes it (a noise of zero too)."""
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, seeds

    @for_all(seeds(), st.sampled_from([0.0, 1.5]), examples=8)
    def check(seed, amount):
        x = _noisy_images(seed, (3, 5, 5), torch.float32)
        kept = x.clone()
        got = noisy(x, amount, generator=torch.Generator().manual_seed(seed))
        assert torch.equal(x, kept), f"{name}(x, {amount}) changed x: the input must stay as it was"
        assert isinstance(got, torch.Tensor), f"{name}(x, {amount}) returned {got!r}, expected a tensor"
        got += 1
        assert torch.equal(x, kept), (
            f"out = {name}(x, {amount}); out += 1 changed x: the result must be a new tensor, not x or a view of it"
        )


def _zero_noise_keeps_the_images(noisy, name):
    """A std or scale of 0 gives the images back."""
    import torch

    for shape in [(3, 6, 6), (2, 2, 3, 3)]:
        x = _noisy_images(1, shape, torch.float32)
        got = noisy(x, 0.0, generator=torch.Generator().manual_seed(0))
        assert (
            isinstance(got, torch.Tensor) and tuple(got.shape) == shape and torch.equal(got.to(x.device), x)
        ), f"{name}(images of shape {shape}, 0.0) returned {got!r}; expected the images unchanged"


def _half_precision_stays_half(noisy, name, sd_per_unit):
    """float16 and bfloat16 images get noise of std 0.5 * sd_per_unit and keep their dtype and device."""
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, same_device_and_dtype, seeds

    @for_all(seeds(), st.sampled_from([torch.float16, torch.bfloat16]), examples=4)
    def check(seed, dtype):
        x = (_noisy_images(seed, (16, 16, 16), torch.float64) / 16).to(dtype)  # pixels in [0, 1)
        out = noisy(x, 0.5, generator=torch.Generator().manual_seed(seed))
        same_device_and_dtype(out, x, f"{name}(images of dtype {dtype}, 0.5)")
        _, sd, _, _ = _moments(out.double() - x.double())
        assert abs(sd / (0.5 * sd_per_unit) - 1) < 0.1, (
            f"{name}(images of shape (16, 16, 16) and dtype {dtype}, 0.5) added noise of std {sd}, expected "
            f"{0.5 * sd_per_unit}"
        )


def _noise_rejects_bad_input(noisy, name):
    """A negative, NaN or infinite std or scale, and integer images, raise ValueError."""
    import torch

    from dl541_testing import device

    floats = torch.ones(3, 4, device=device())
    whole = torch.arange(12, device=device()).reshape(3, 4)
    for what, images, amount in [
        ("float images, -1.0", floats, -1.0),
        ("float images, nan", floats, float("nan")),
        ("float images, inf", floats, float("inf")),
        ("integer images, 1.0", whole, 1.0),
    ]:
        try:
            noisy(images, amount)
        except ValueError:
            continue
        except Exception as exc:  # noqa: BLE001 - the wrong kind of error
            raise AssertionError(f"{name}({what}) raised {type(exc).__name__}, expected ValueError") from None
        raise AssertionError(f"{name}({what}) returned without raising; expected ValueError")
