"""Test helpers shared by the question files of normalizers (the build writes each into
the files that import it)."""


def _features(seed, n, d, dtype, constant=()):
    """n samples of d features with very different units; the columns in `constant` are constant.

    Constant columns hold an integer, so that every way of computing their mean is exact.
    """
    import torch

    from dl541_testing import device

    g = torch.Generator().manual_seed(seed)
    scales = torch.exp(torch.empty(d, dtype=torch.float64).uniform_(-3, 4, generator=g))
    offsets = 50 * torch.randn(d, generator=g, dtype=torch.float64)
    X = torch.randn(n, d, generator=g, dtype=torch.float64) * scales + offsets
    for j in constant:
        X[:, j] = torch.round(offsets[j])
    return X.to(dtype).to(device())


def _cpu64(t, call):
    """`t` as a float64 CPU tensor, to compare values whatever its dtype and device (those have tests
    of their own); AssertionError naming `call` when `t` is not a tensor."""
    import torch

    assert isinstance(t, torch.Tensor), f"{call} returned {type(t).__name__}, expected a torch.Tensor"
    return t.detach().double().cpu()
