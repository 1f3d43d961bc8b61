"""Test helpers shared by the question files of transfer (the build writes each into
the files that import it)."""


def _random_sequential(seed, widths, extras, nested, dtype, dev, shared=None):
    """An nn.Sequential of Linear layers of these widths, each followed by an extra module or none;
    with `nested`, each (Linear, extra) pair is wrapped in its own nn.Sequential block.

    With `shared = k`, one square Linear(widths[k], widths[k]) is used twice where the width is
    widths[k]: as `S, Tanh, S` at the top level, or (nested) as one block `Sequential(S, Tanh)`
    placed twice."""
    import torch
    from torch import nn

    g = torch.Generator().manual_seed(seed)
    makers = {"relu": nn.ReLU, "tanh": nn.Tanh, "identity": nn.Identity, "dropout": lambda: nn.Dropout(0.0)}

    def linear(n_in, n_out):
        layer = nn.Linear(n_in, n_out)
        with torch.no_grad():
            layer.weight.copy_(torch.randn(n_out, n_in, generator=g) / max(1, n_in) ** 0.5)
            layer.bias.copy_(torch.randn(n_out, generator=g))
        return layer

    groups = []
    for (n_in, n_out), extra in zip(zip(widths[:-1], widths[1:]), extras):
        block = [linear(n_in, n_out)] + ([makers[extra]()] if extra != "none" else [])
        groups.append([nn.Sequential(*block)] if nested else block)
    if shared is not None:
        square = linear(widths[shared], widths[shared])
        if nested:
            twice = nn.Sequential(square, nn.Tanh())
            groups.insert(shared, [twice, twice])
        else:
            groups.insert(shared, [square, nn.Tanh(), square])
    modules = [m for group in groups for m in group]
    return nn.Sequential(*modules).to(device=dev, dtype=dtype)


def _architectures():
    """(widths, extras, nested, shared): 2 to 5 Linear layers, widths 1 to 8, and maybe one module
    used twice (shared is the index of its width, or None)."""
    from hypothesis import strategies as st

    extra = st.sampled_from(["none", "relu", "tanh", "identity", "dropout"])
    return st.integers(2, 5).flatmap(
        lambda layers: st.tuples(
            st.lists(st.integers(1, 8), min_size=layers + 1, max_size=layers + 1),
            st.lists(extra, min_size=layers, max_size=layers),
            st.booleans(),
            st.one_of(st.none(), st.integers(0, layers)),
        )
    )


def _forward_by_hand(modules, x):
    """x through `modules` one after the other."""
    for module in modules:
        x = module(x)
    return x
