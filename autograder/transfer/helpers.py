"""Test helpers shared by the question files of transfer (the build writes each into
the files that import it)."""


def _random_sequential(seed, widths, extras, nested, dtype, dev):
    """An nn.Sequential of Linear layers of these widths, each followed by an extra module or none;
    with `nested`, each (Linear, extra) pair is wrapped in its own nn.Sequential block."""
    import torch
    from torch import nn

    g = torch.Generator().manual_seed(seed)
    makers = {"relu": nn.ReLU, "tanh": nn.Tanh, "identity": nn.Identity, "dropout": lambda: nn.Dropout(0.0)}
    modules = []
    for (n_in, n_out), extra in zip(zip(widths[:-1], widths[1:]), extras):
        linear = nn.Linear(n_in, n_out)
        with torch.no_grad():
            linear.weight.copy_(torch.randn(n_out, n_in, generator=g))
            linear.bias.copy_(torch.randn(n_out, generator=g))
        block = [linear] + ([makers[extra]()] if extra != "none" else [])
        modules += [nn.Sequential(*block)] if nested else block
    return nn.Sequential(*modules).to(device=dev, dtype=dtype)


def _architectures():
    from hypothesis import strategies as st

    extra = st.sampled_from(["none", "relu", "tanh", "identity", "dropout"])
    return st.integers(2, 5).flatmap(
        lambda layers: st.tuples(
            st.lists(st.integers(1, 8), min_size=layers + 1, max_size=layers + 1),
            st.lists(extra, min_size=layers, max_size=layers),
            st.booleans(),
        )
    )
