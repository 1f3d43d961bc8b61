from helpers import _architectures, _random_sequential
from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
points = None


def _last_linear_width(modules):
    """out_features of the last nn.Linear in forward order, looking inside blocks; None if there is none."""
    from torch import nn

    stack = list(modules)
    while stack:  # depth first from the end: the last module, and the last inside a block, come first
        module = stack.pop()
        if isinstance(module, nn.Linear):
            return module.out_features
        if isinstance(module, nn.Sequential):
            stack.extend(module)
    return None


@test_case(points=1, hidden=False)
def lecture_example(transfer_model):
    import torch
    from torch import nn

    from dl541_testing import device, require

    require(transfer_model=transfer_model)
    pretrained = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 5))
    pretrained = pretrained.to(device())
    model = transfer_model(pretrained, 5)
    assert isinstance(model, nn.Sequential), f"transfer_model returned {type(model).__name__}, expected nn.Sequential"
    head = model[-1]
    assert isinstance(head, nn.Linear) and (head.in_features, head.out_features) == (16, 5), (
        f"the new head is {head}, expected Linear(in_features=16, out_features=5)"
    )
    assert head is not pretrained[-1], "the head must be a new nn.Linear, not the pre-trained output layer"
    out = model(torch.zeros(3, 64, device=device()))
    assert tuple(out.shape) == (3, 5), f"the transfer model maps (3, 64) to {tuple(out.shape)}, expected (3, 5)"


@test_case(points=3, hidden=True)
def chopped_body_and_a_new_head(transfer_model):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(transfer_model=transfer_model)
    dev = device()

    @prop(40)
    @given(
        _architectures(), st.data(), st.integers(1, 9),
        st.sampled_from([torch.float32, torch.float64]), st.integers(0, 2**31 - 1),
    )
    def check(arch, data, n_outputs, dtype, seed):
        widths, extras, nested = arch
        pretrained = _random_sequential(seed, widths, extras, nested, dtype, dev)
        usable = [n for n in range(len(pretrained)) if _last_linear_width(list(pretrained)[: len(pretrained) - n])]
        n_chop = data.draw(st.sampled_from(usable), label="n_chop")
        kept = list(pretrained)[: len(pretrained) - n_chop]
        dropped = list(pretrained)[len(pretrained) - n_chop :]
        width = _last_linear_width(kept)
        before = list(pretrained)
        what = f"transfer_model(pretrained with {len(pretrained)} modules, n_outputs={n_outputs}, n_chop={n_chop})"
        model = transfer_model(pretrained, n_outputs, n_chop)
        assert isinstance(model, nn.Sequential), f"{what} returned {type(model).__name__}, expected nn.Sequential"
        assert all(a is b for a, b in zip(pretrained, before)) and len(pretrained) == len(before), (
            f"{what} changed the pre-trained model; leave it as it was"
        )
        head = model[-1]
        assert isinstance(head, nn.Linear), f"{what}: the last module is {type(head).__name__}, expected nn.Linear"
        assert (head.in_features, head.out_features) == (width, n_outputs), (
            f"{what}: the head is {head}, expected Linear(in_features={width}, out_features={n_outputs}) "
            f"({width} = out_features of the last nn.Linear left after chopping)"
        )
        old = {id(m) for m in pretrained.modules()}
        assert id(head) not in old, f"{what}: the head must be a new nn.Linear, not one of the pre-trained modules"
        same_device_and_dtype(head.weight, next(pretrained.parameters()), f"{what}: the head's weight")
        contained = {id(m) for m in model.modules()}
        for i, module in enumerate(kept):
            assert id(module) in contained, f"{what}: module {i} of the pre-trained model is missing (or was copied)"
        params = {id(p) for p in model.parameters()}
        expected = {id(p) for m in kept for p in m.parameters()} | {id(p) for p in head.parameters()}
        assert params == expected, (
            f"{what}: the parameters should be exactly those of the kept pre-trained modules (shared, not "
            f"copied) and of the new head; {len(params)} parameters found, {len(expected)} expected"
        )
        for module in dropped:
            assert all(id(p) not in params for p in module.parameters()), f"{what} kept a chopped-off module"
        x = torch.randn(4, widths[0], generator=torch.Generator().manual_seed(seed), dtype=dtype).to(dev)
        features = x
        for module in kept:
            features = module(features)
        got = model(x)
        same_device_and_dtype(got, x, f"the output of {what}")
        expected_out = head(features)
        assert torch.allclose(got, expected_out, atol=1e-6, rtol=1e-5), (
            f"{what} should compute head(chopped(x)); the outputs differ by {float((got - expected_out).detach().abs().max())}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_a_body_without_linear(transfer_model):
    from torch import nn

    from dl541_testing import require

    require(transfer_model=transfer_model)
    for pretrained, n_chop, what in [
        (nn.Sequential(nn.ReLU(), nn.Linear(4, 2)), 1, "only a ReLU is left"),
        (nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)), 3, "n_chop = 3 removes every module"),
        (nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)), -1, "n_chop = -1"),
    ]:
        try:
            transfer_model(pretrained, 3, n_chop)
        except ValueError:
            continue
        raise AssertionError(f"transfer_model should raise ValueError when {what}")


@test_case(points=1, hidden=True)
def rejects_n_outputs_below_one(transfer_model):
    from torch import nn

    from dl541_testing import require

    require(transfer_model=transfer_model)
    for n_outputs in (0, -1, -5):
        pretrained = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
        try:
            transfer_model(pretrained, n_outputs)
        except ValueError:
            continue
        raise AssertionError(
            f"transfer_model(pretrained, n_outputs={n_outputs}) should raise ValueError (need n_outputs >= 1)"
        )
