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
name = "q4"
points = None


@test_case(points=1.5, hidden=False)
def gaussian_example(add_gaussian_noise):
    """core: 20000 pixels of Gaussian noise of std 2 have mean about 0, std about 2, and differ image to image.

    add_gaussian_noise(images, std, generator=None) adds independent $\\mathcal N(0,
    \\text{std}^2)$ noise to every pixel of every image.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(add_gaussian_noise=add_gaussian_noise)
    x = torch.zeros(50, 20, 20, device=device())
    call = "add_gaussian_noise(zeros of shape (50, 20, 20), std=2.0, generator seeded 0)"
    noise = _noise_of(add_gaussian_noise(x, 2.0, generator=torch.Generator().manual_seed(0)), x, call)
    mean, sd, _, kurtosis = _moments(noise)
    assert abs(mean) < 0.1 and abs(sd - 2) < 0.1, tidy(
        f"{call} added noise of mean {mean:.4f} and std {sd:.4f}; N(0, std**2) noise has mean 0 and std 2"
    )
    assert 2.5 < kurtosis < 3.5, tidy(f"{call}: the noise has kurtosis {kurtosis:.3f}; a Gaussian's is 3")
    r = _neighbour_correlation(noise)
    assert abs(r) < 0.1, tidy(
        f"{call}: the noise of image k and of image k + 1 have correlation {r:.3f}; independent noise for "
        "every pixel of every image has correlation about 0"
    )


@test_case(points=3, hidden=True)
def gaussian_noise_statistics(add_gaussian_noise):
    """core: for random std and images, the noise has mean 0, the std asked for, a Gaussian's kurtosis, no correlation.

    add_gaussian_noise(images, std, generator=None) adds independent $\\mathcal N(0,
    \\text{std}^2)$ noise to every pixel of every image.

    Every pixel of every image gets its own noise
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(add_gaussian_noise=add_gaussian_noise)

    @for_all(st.floats(0.01, 20.0), seeds(), st.sampled_from([torch.float32, torch.float64]), examples=10)
    def check(std, seed, dtype):
        x = _noisy_images(seed, (20, 16, 16), dtype)
        call = f"add_gaussian_noise(images of shape (20, 16, 16) and dtype {dtype}, std={std})"
        noise = _noise_of(add_gaussian_noise(x, std, generator=torch.Generator().manual_seed(seed)), x, call)
        mean, sd, _, kurtosis = _moments(noise)
        n = noise.numel()
        assert abs(mean) < 5 * std / n**0.5 and abs(sd / std - 1) < 0.06, (
            f"{call} added noise of mean {mean} and std {sd} over {n} pixels; expected mean 0 and std {std}"
        )
        assert 2.5 < kurtosis < 3.5, f"{call}: the noise has kurtosis {kurtosis}; a Gaussian's is 3"
        r = _neighbour_correlation(noise)
        assert abs(r) < 0.12, (
            f"{call}: the noise of image k and of image k + 1 have correlation {r}; independent noise for "
            "every pixel of every image has correlation about 0"
        )


@test_case(points=0.5, hidden=True)
def generator_decides_the_noise(add_gaussian_noise):
    """contract: the same generator state gives the same noise; None means torch's global generator.

    Randomness comes only from the generator argument (None means torch's global
    generator): the same generator state gives the same result.
    """
    from dl541_testing import require

    require(add_gaussian_noise=add_gaussian_noise)
    _noise_is_reproducible(add_gaussian_noise, "add_gaussian_noise")


@test_case(points=0.5, hidden=True)
def leaves_its_input_alone(add_gaussian_noise):
    """contract: the input is unchanged, and editing the result never changes it (a noise of zero too).

    No function changes its inputs: the images and labels you are given stay as they were.

    What a function returns is a new tensor: editing the result never changes the images or
    labels passed in, not even when the result equals them (a shift of zero, a noise of zero,
    no copies).
    """
    from dl541_testing import require

    require(add_gaussian_noise=add_gaussian_noise)
    _noise_leaves_its_input_alone(add_gaussian_noise, "add_gaussian_noise")


@test_case(points=0.5, hidden=True)
def zero_std_keeps_the_images(add_gaussian_noise):
    """edge: a std of 0 returns the images as they are.

    A std or scale of 0 returns a copy of the images.
    """
    from dl541_testing import require

    require(add_gaussian_noise=add_gaussian_noise)
    _zero_noise_keeps_the_images(add_gaussian_noise, "add_gaussian_noise")


@test_case(points=0.5, hidden=True)
def half_precision_images_stay_half(add_gaussian_noise):
    """dtype: float16 and bfloat16 images get noise of the right std and keep their dtype and device.

    draw the noise on the CPU in the images' dtype (float16 images
    get float16 noise and stay float16), then move it to the images' device.

    A function returns its images on the device of the input images and with their dtype
    """
    from dl541_testing import require

    require(add_gaussian_noise=add_gaussian_noise)
    _half_precision_stays_half(add_gaussian_noise, "add_gaussian_noise", 1.0)


@test_case(points=0.5, hidden=True)
def rejects_bad_input(add_gaussian_noise):
    """validation: a negative, NaN or infinite std, and integer images, raise ValueError.

    The noise functions need floating images; std and scale must be finite and $\\ge 0$;
    anything else raises ValueError.
    """
    from dl541_testing import require

    require(add_gaussian_noise=add_gaussian_noise)
    _noise_rejects_bad_input(add_gaussian_noise, "add_gaussian_noise")
