from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


def _images(seed, shape, dtype):
    """Random images on the device under test."""
    import torch

    from dl541_testing import device

    g = torch.Generator().manual_seed(seed)
    return (torch.rand(shape, generator=g, dtype=torch.float64) * 16).to(dtype).to(device())


def _moments(noise):
    """mean, population std, mean |x| and kurtosis E[(x - m)^4] / var^2 of all entries, in float64."""
    x = noise.double().flatten()
    m = x.mean()
    var = ((x - m) ** 2).mean()
    return float(m), float(var.sqrt()), float(x.abs().mean()), float(((x - m) ** 4).mean() / var**2)


@test_case(points=1, hidden=False)
def flip_example_and_zero_noise(flip_lr, add_gaussian_noise):
    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(flip_lr=flip_lr, add_gaussian_noise=add_gaussian_noise)
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], device=device())
    got = flip_lr(x)
    same_device_and_dtype(got, x, "flip_lr(x)")
    expected = torch.tensor([[3.0, 2.0, 1.0], [6.0, 5.0, 4.0]], device=device())
    assert torch.equal(got, expected), tidy(f"flip_lr({x.tolist()}) returned {got.tolist()}, expected {expected.tolist()}")
    same = add_gaussian_noise(x, 0.0, generator=torch.Generator().manual_seed(0))
    same_device_and_dtype(same, x, "add_gaussian_noise(x, 0.0)")
    assert torch.equal(same, x), tidy(f"add_gaussian_noise(x, std=0) returned {same.tolist()}, expected x")


@test_case(points=1, hidden=True)
def flip_is_a_mirror(flip_lr):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(flip_lr=flip_lr)

    @prop(30)
    @given(
        st.lists(st.integers(1, 3), max_size=2), st.integers(1, 6), st.integers(1, 6),
        st.integers(0, 2**31 - 1), st.sampled_from([torch.float32, torch.float64, torch.int64]),
    )
    @example([2], 3, 4, 0, torch.float32)
    def check(batch, H, W, seed, dtype):
        x = _images(seed, (*batch, H, W), dtype)
        kept = x.clone()
        got = flip_lr(x)
        same_device_and_dtype(got, x, f"flip_lr(images of shape {tuple(x.shape)})")
        expected = x[..., torch.arange(W - 1, -1, -1, device=device())]
        assert torch.equal(got, expected), (
            f"flip_lr(x) of shape {tuple(x.shape)} returned {got.tolist()}; expected out[..., i, j] = "
            f"x[..., i, W - 1 - j]: {expected.tolist()}"
        )
        twice = flip_lr(got)
        assert torch.equal(twice, x), "flip_lr(flip_lr(x)) should be x (a mirror is its own inverse)"
        assert torch.equal(x, kept), "flip_lr changed its input images"

    run_property(check)


@test_case(points=1, hidden=True)
def gaussian_noise_statistics(add_gaussian_noise):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property, same_device_and_dtype

    require(add_gaussian_noise=add_gaussian_noise)

    @prop(10)
    @given(st.floats(0.01, 20.0), st.integers(0, 2**31 - 1), st.sampled_from([torch.float32, torch.float64]))
    @example(1.0, 0, torch.float32)
    def check(std, seed, dtype):
        x = _images(seed, (20, 16, 16), dtype)
        kept = x.clone()
        out = add_gaussian_noise(x, std, generator=torch.Generator().manual_seed(seed))
        same_device_and_dtype(out, x, f"add_gaussian_noise(x, {std})")
        noise = out - x
        mean, sd, _, kurtosis = _moments(noise)
        n = noise.numel()
        assert abs(mean) < 5 * std / n**0.5 and abs(sd / std - 1) < 0.06, (
            f"add_gaussian_noise(x, std={std}) added noise of mean {mean:.4g} and std {sd:.4g} over {n} "
            f"pixels; expected mean 0 and std {std}"
        )
        assert 2.5 < kurtosis < 3.5, f"the noise has kurtosis {kurtosis:.3g}; a Gaussian's is 3"
        per_image = noise.flatten(1)
        assert not torch.allclose(per_image[0], per_image[1]), "every pixel of every image needs its own noise"
        again = add_gaussian_noise(x, std, generator=torch.Generator().manual_seed(seed))
        assert torch.equal(out, again), "the same generator state must give the same noisy images"
        assert torch.equal(x, kept), "add_gaussian_noise changed its input images"
        for bad in (-1.0, float("nan")):
            try:
                add_gaussian_noise(x, bad)
            except ValueError:
                continue
            raise AssertionError(f"add_gaussian_noise(x, std={bad}) should raise ValueError")

    run_property(check)


@test_case(points=1, hidden=True)
def laplacian_noise_statistics(add_laplacian_noise):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property, same_device_and_dtype

    require(add_laplacian_noise=add_laplacian_noise)

    @prop(10)
    @given(st.floats(0.01, 20.0), st.integers(0, 2**31 - 1), st.sampled_from([torch.float32, torch.float64]))
    @example(1.0, 0, torch.float32)
    def check(scale, seed, dtype):
        x = _images(seed, (40, 16, 16), dtype)
        kept = x.clone()
        out = add_laplacian_noise(x, scale, generator=torch.Generator().manual_seed(seed))
        same_device_and_dtype(out, x, f"add_laplacian_noise(x, {scale})")
        noise = out - x
        mean, sd, mad, kurtosis = _moments(noise)
        n = noise.numel()
        assert abs(mean) < 5 * 2**0.5 * scale / n**0.5, (
            f"add_laplacian_noise(x, scale={scale}) added noise of mean {mean:.4g}; expected 0"
        )
        assert abs(mad / scale - 1) < 0.05 and abs(sd / (2**0.5 * scale) - 1) < 0.08, (
            f"add_laplacian_noise(x, scale={scale}): the noise has mean |noise| {mad:.4g} and std {sd:.4g}; "
            f"Laplace(0, b) has mean |noise| = b = {scale} and std = sqrt(2) b = {2**0.5 * scale:.4g}"
        )
        assert 4 < kurtosis < 9, (
            f"add_laplacian_noise: the noise has kurtosis {kurtosis:.3g}; a Laplace distribution's is 6 "
            "(a Gaussian's is 3)"
        )
        per_image = noise.flatten(1)
        assert not torch.allclose(per_image[0], per_image[1]), "every pixel of every image needs its own noise"
        again = add_laplacian_noise(x, scale, generator=torch.Generator().manual_seed(seed))
        assert torch.equal(out, again), "the same generator state must give the same noisy images"
        assert torch.equal(x, kept), "add_laplacian_noise changed its input images"
        for bad in (-1.0, float("nan")):
            try:
                add_laplacian_noise(x, bad)
            except ValueError:
                continue
            raise AssertionError(f"add_laplacian_noise(x, scale={bad}) should raise ValueError")

    run_property(check)


@test_case(points=1, hidden=True)
def noise_keeps_dtype_and_uses_the_global_generator(add_gaussian_noise, add_laplacian_noise):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(add_gaussian_noise=add_gaussian_noise, add_laplacian_noise=add_laplacian_noise)
    functions = {"add_gaussian_noise": add_gaussian_noise, "add_laplacian_noise": add_laplacian_noise}
    expected_sd = {"add_gaussian_noise": 1.0, "add_laplacian_noise": 2**0.5}

    @prop(4)
    @given(st.integers(0, 2**31 - 1), st.sampled_from([torch.float16, torch.bfloat16]))
    def check(seed, dtype):
        x = (_images(seed, (16, 16, 16), torch.float64) / 16).to(dtype)  # pixels in [0, 1)
        kept = x.clone()
        for name, noisy in functions.items():
            out = noisy(x, 0.5, generator=torch.Generator().manual_seed(seed))
            same_device_and_dtype(out, x, f"{name}(images of dtype {dtype}, 0.5)")
            _, sd, _, _ = _moments(out.double() - x.double())
            assert abs(sd / (0.5 * expected_sd[name]) - 1) < 0.1, (
                f"{name}(images of dtype {dtype}, 0.5) added noise of std {sd:.4g}, expected "
                f"{0.5 * expected_sd[name]:.4g}"
            )
            with torch.random.fork_rng(devices=[]):  # the global generator is moved, then restored
                torch.manual_seed(seed)
                a = noisy(x, 0.5)
                torch.manual_seed(seed)
                b = noisy(x, 0.5)
            assert isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and torch.equal(a, b), (
                f"{name}(x, 0.5) without a generator gave different images after the same "
                "torch.manual_seed; generator=None means torch's global generator"
            )
            assert torch.equal(x, kept), f"{name} changed its input images"

    run_property(check)
    whole = torch.arange(12, device=device()).reshape(3, 4)
    for name, noisy in functions.items():
        try:
            noisy(whole, 1.0)
        except ValueError:
            continue
        except Exception as exc:  # noqa: BLE001 - the wrong kind of error
            raise AssertionError(
                f"{name}(integer images, 1.0) raised {type(exc).__name__}, expected ValueError"
            ) from None
        raise AssertionError(f"{name}(integer images, 1.0) should raise ValueError: the images must be floating")
