"""Test helpers shared by the question files of autoencoder_pca (the build writes each into
the files that import it)."""


def _spread_data(seed, n, d, dtype, dev):
    """Data with a non-zero mean and well separated variances along random orthogonal axes."""
    import torch

    g = torch.Generator().manual_seed(seed)
    Q, _ = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=torch.float64))
    scales = 3.0 * 0.7 ** torch.arange(d, dtype=torch.float64)
    X = (torch.randn(n, d, generator=g, dtype=torch.float64) * scales) @ Q.T
    X = X + 3 * torch.randn(d, generator=g, dtype=torch.float64)
    return X.to(dtype).to(dev)
