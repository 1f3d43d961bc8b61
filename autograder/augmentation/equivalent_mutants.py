"""Surviving mutants of reference/augmentation.py that no correct test can tell apart from it.

EQUIVALENT: the same behaviour on every device. CPU_ONLY: identical on the CPU, but computed on
the wrong device; `dl541 verify` on a CUDA machine checks that the same tests kill them.
"""

EQUIVALENT = {
    "add_gaussian_noise:43b04e54a5": (
        "images - std * noise instead of images + std * noise: N(0, std**2) is symmetric, so -noise has "
        "the same distribution (i.i.d. per pixel, zero mean, same std); no test may demand one particular draw"
    ),
    "add_laplacian_noise:412d71b3e1": (
        "images - scale * (up - down) instead of +: up - down is Laplace(0, 1), symmetric about 0, so the "
        "negated noise has the same distribution; no test may demand one particular draw"
    ),
}

CPU_ONLY = {
    "add_gaussian_noise:5991b8e595": (
        "noise.to(None) instead of noise.to(images.device): identical on CPU; on CUDA the noise stays on "
        "the CPU (the tests pass a CPU generator) and images + std * noise fails with mixed devices, which "
        "the CUDA run of the same tests catches (every q4 test puts the images on device())"
    ),
    "add_laplacian_noise:9341976272": (
        "(up - down).to(None) instead of .to(images.device): identical on CPU; on CUDA the noise stays on "
        "the CPU and the sum fails with mixed devices, caught by the CUDA run of the same q5 tests"
    ),
}
