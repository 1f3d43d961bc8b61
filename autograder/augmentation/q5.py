from helpers import (
    _half_precision_stays_half,
    _moments,
    _neighbour_correlation,
    _noise_is_reproducible,
    _noise_leaves_its_input_alone,
    _noise_of,
    _noise_rejects_bad_input,
    _noisy_images,
    _zero_noise_keeps_the_images,
)
from otter.test_files import test_case

OK_FORMAT = False
name = "q5"
points = None


@test_case(points=1.5, hidden=False)
def laplace_example(add_laplacian_noise):
    """core: 20000 pixels of Laplace noise of scale 2 have mean |x| about 2, std about 2.83 and heavy tails.

    add_laplacian_noise(images, scale, generator=None) adds independent Laplace noise of
    density $\\frac{1}{2b} e^{-|x|/b}$ with $b$ = scale: mean 0, $\\mathbb E|x| = b$, standard
    deviation $\\sqrt2\\, b$, and heavier tails than a Gaussian.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(add_laplacian_noise=add_laplacian_noise)
    x = torch.zeros(50, 20, 20, device=device())
    call = "add_laplacian_noise(zeros of shape (50, 20, 20), scale=2.0, generator seeded 0)"
    noise = _noise_of(add_laplacian_noise(x, 2.0, generator=torch.Generator().manual_seed(0)), x, call)
    mean, sd, mad, kurtosis = _moments(noise)
    assert abs(mean) < 0.15 and abs(mad - 2) < 0.1 and abs(sd - 2 * 2**0.5) < 0.2, tidy(
        f"{call} added noise of mean {mean:.4f}, mean |noise| {mad:.4f} and std {sd:.4f}; Laplace(0, b = 2) "
        "has mean 0, mean |noise| = b = 2 and std sqrt(2) b = 2.83"
    )
    assert 4 < kurtosis < 9, tidy(
        f"{call}: the noise has kurtosis {kurtosis:.3f}; a Laplace distribution's is 6 (a Gaussian's 3)"
    )
    r = _neighbour_correlation(noise)
    assert abs(r) < 0.1, tidy(
        f"{call}: the noise of image k and of image k + 1 have correlation {r:.3f}; independent noise for "
        "every pixel of every image has correlation about 0"
    )


@test_case(points=3, hidden=True)
def laplacian_noise_statistics(add_laplacian_noise):
    """core: for random scales and images, the noise has mean 0, mean |x| = b, std sqrt(2) b, kurtosis 6.

    add_laplacian_noise(images, scale, generator=None) adds independent Laplace noise of
    density $\\frac{1}{2b} e^{-|x|/b}$ with $b$ = scale: mean 0, $\\mathbb E|x| = b$, standard
    deviation $\\sqrt2\\, b$, and heavier tails than a Gaussian.

    Every pixel of every image gets its own noise
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(add_laplacian_noise=add_laplacian_noise)

    @for_all(st.floats(0.01, 20.0), seeds(), st.sampled_from([torch.float32, torch.float64]), examples=10)
    def check(scale, seed, dtype):
        x = _noisy_images(seed, (40, 16, 16), dtype)
        call = f"add_laplacian_noise(images of shape (40, 16, 16) and dtype {dtype}, scale={scale})"
        noise = _noise_of(
            add_laplacian_noise(x, scale, generator=torch.Generator().manual_seed(seed)), x, call
        )
        mean, sd, mad, kurtosis = _moments(noise)
        n = noise.numel()
        assert abs(mean) < 5 * 2**0.5 * scale / n**0.5, f"{call} added noise of mean {mean}; expected 0"
        assert abs(mad / scale - 1) < 0.05 and abs(sd / (2**0.5 * scale) - 1) < 0.08, (
            f"{call}: the noise has mean |noise| {mad} and std {sd}; Laplace(0, b) has mean |noise| = b = "
            f"{scale} and std = sqrt(2) b = {2**0.5 * scale}"
        )
        assert 4 < kurtosis < 9, f"{call}: the noise has kurtosis {kurtosis}; a Laplace distribution's is 6"
        r = _neighbour_correlation(noise)
        assert abs(r) < 0.12, (
            f"{call}: the noise of image k and of image k + 1 have correlation {r}; independent noise for "
            "every pixel of every image has correlation about 0"
        )


@test_case(points=0.5, hidden=True)
def generator_decides_the_noise(add_laplacian_noise):
    """contract: the same generator state gives the same noise; None means torch's global generator.

    Randomness comes only from the generator argument (None means torch's global
    generator): the same generator state gives the same result.
    """
    from dl541_testing import require

    require(add_laplacian_noise=add_laplacian_noise)
    _noise_is_reproducible(add_laplacian_noise, "add_laplacian_noise")


@test_case(points=0.5, hidden=True)
def leaves_its_input_alone(add_laplacian_noise):
    """contract: the input is unchanged, and editing the result never changes it (a noise of zero too).

    No function changes its inputs: the images and labels you are given stay as they were.

    What a function returns is a new tensor: editing the result never changes the images or
    labels passed in, not even when the result equals them (a shift of zero, a noise of zero,
    no copies).
    """
    from dl541_testing import require

    require(add_laplacian_noise=add_laplacian_noise)
    _noise_leaves_its_input_alone(add_laplacian_noise, "add_laplacian_noise")


@test_case(points=0.5, hidden=True)
def zero_scale_keeps_the_images(add_laplacian_noise):
    """edge: a scale of 0 returns the images as they are.

    A std or scale of 0 returns a copy of the images.
    """
    from dl541_testing import require

    require(add_laplacian_noise=add_laplacian_noise)
    _zero_noise_keeps_the_images(add_laplacian_noise, "add_laplacian_noise")


@test_case(points=0.5, hidden=True)
def half_precision_images_stay_half(add_laplacian_noise):
    """dtype: float16 and bfloat16 images get noise of std sqrt(2) scale and keep their dtype and device.

    draw the noise on the CPU in the images' dtype (float16 images
    get float16 noise and stay float16), then move it to the images' device.

    A function returns its images on the device of the input images and with their dtype
    """
    from dl541_testing import require

    require(add_laplacian_noise=add_laplacian_noise)
    _half_precision_stays_half(add_laplacian_noise, "add_laplacian_noise", 2**0.5)


@test_case(points=0.5, hidden=True)
def rejects_bad_input(add_laplacian_noise):
    """validation: a negative, NaN or infinite scale, and integer images, raise ValueError.

    The noise functions need floating images; std and scale must be finite and $\\ge 0$;
    anything else raises ValueError.
    """
    from dl541_testing import require

    require(add_laplacian_noise=add_laplacian_noise)
    _noise_rejects_bad_input(add_laplacian_noise, "add_laplacian_noise")
