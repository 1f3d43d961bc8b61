from helpers import _architectures, _forward_by_hand, _random_sequential
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
    """core: 64-32-16-5 without its output layer gets a new Linear(16, 5) as its last module.

    the chopped network followed by a new `nn.Linear` whose input width is the `out_features` of
    the last `nn.Linear` left in it.

    The head must be the **last** module of the result.
    """
    import torch
    from torch import nn

    from dl541_testing import device, require

    require(transfer_model=transfer_model)
    pretrained = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 5))
    pretrained = pretrained.to(device())
    model = transfer_model(pretrained, 5)
    call = "transfer_model(Sequential(Linear(64, 32), ReLU, Linear(32, 16), ReLU, Linear(16, 5)), 5)"
    assert isinstance(model, nn.Sequential), f"{call} returned {type(model).__name__}, expected nn.Sequential"
    head = model[-1]
    assert isinstance(head, nn.Linear) and (head.in_features, head.out_features) == (16, 5), (
        f"{call}: the last module is {head}, expected Linear(in_features=16, out_features=5)"
    )
    assert head is not pretrained[-1], f"{call}: the last module is the pre-trained output layer, expected a new nn.Linear"
    out = model(torch.zeros(3, 64, device=device()))
    assert tuple(out.shape) == (3, 5), f"the result of {call} maps (3, 64) to {tuple(out.shape)}, expected (3, 5)"


@test_case(points=1, hidden=False)
def nested_and_shared_examples(transfer_model):
    """core: the last Linear inside a nested block sets the width; a module used twice stays twice.

    The last `nn.Linear` is searched in forward order, inside nested `nn.Sequential` blocks too.

    The kept modules are the same objects as in `pretrained` (parameters shared, not copied), a
    module used twice included.
    """
    import torch
    from torch import nn

    from dl541_testing import require

    require(transfer_model=transfer_model)
    pretrained = nn.Sequential(
        nn.Sequential(nn.Linear(6, 5), nn.ReLU()), nn.Sequential(nn.Linear(5, 4), nn.ReLU()), nn.Linear(4, 3)
    )
    call = "transfer_model(Sequential(Sequential(Linear(6, 5), ReLU), Sequential(Linear(5, 4), ReLU), Linear(4, 3)), 2)"
    model = transfer_model(pretrained, 2)
    head = model[-1] if isinstance(model, nn.Sequential) else None
    assert isinstance(head, nn.Linear) and (head.in_features, head.out_features) == (4, 2), (
        f"{call} ends with {head!r}, expected a new Linear(in_features=4, out_features=2)"
    )
    twice = nn.Linear(4, 4)
    pretrained = nn.Sequential(nn.Linear(3, 4), twice, nn.ReLU(), twice, nn.ReLU(), nn.Linear(4, 2))
    call = "transfer_model(Sequential(Linear(3, 4), L, ReLU, L, ReLU, Linear(4, 2)), 5) with L one Linear(4, 4) used twice"
    model = transfer_model(pretrained, 5)
    x = torch.randn(2, 3, generator=torch.Generator().manual_seed(0))
    assert isinstance(model, nn.Sequential) and isinstance(model[-1], nn.Linear), (
        f"{call} returned {model!r}, expected an nn.Sequential ending with a new nn.Linear"
    )
    expected = model[-1](_forward_by_hand(list(pretrained)[:5], x))
    got = model(x)
    assert torch.allclose(got, expected, atol=1e-6), (
        f"{call} computes something other than head(the first 5 modules of pretrained (x)): L must be applied twice"
    )


@test_case(points=1, hidden=False)
def pretrained_unchanged_example(transfer_model):
    """contract: the pre-trained network keeps its modules, including its output layer.

    `pretrained` itself must not change: build a new network, do not replace a layer of
    `pretrained` in place.
    """
    from torch import nn

    from dl541_testing import require

    require(transfer_model=transfer_model)
    modules = [nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 5)]
    pretrained = nn.Sequential(*modules)
    model = transfer_model(pretrained, 3)
    assert model is not pretrained, "transfer_model(pretrained, 3) returned pretrained itself, expected a new network"
    assert len(pretrained) == 5 and all(a is b for a, b in zip(pretrained, modules)), (
        f"transfer_model(pretrained, 3) changed pretrained to {pretrained!r} (it must stay unchanged)"
    )


@test_case(points=1, hidden=False)
def float64_pretrained_gets_a_float64_head(transfer_model):
    """dtype: the head has the pre-trained weights' dtype and device.

    The head gets the pre-trained weights' device and dtype
    """
    import torch
    from torch import nn

    from dl541_testing import device, require, same_device_and_dtype

    require(transfer_model=transfer_model)
    pretrained = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)).to(device(), torch.float64)
    model = transfer_model(pretrained, 2)
    same_device_and_dtype(model[-1].weight, pretrained[0].weight, "the head's weight of transfer_model(float64 net, 2)")


@test_case(points=3, hidden=True)
def head_is_a_new_linear_of_the_right_width(transfer_model):
    """core: random nets, flat or nested, maybe with a module used twice: the head is a new Linear(width, n_outputs).

    the chopped network followed by a new `nn.Linear` whose input width is the `out_features` of
    the last `nn.Linear` left in it.

    The last `nn.Linear` is searched in forward order, inside nested `nn.Sequential` blocks too.

    The head must be the **last** module of the result.
    """
    import torch
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import device, for_all, require, same_device_and_dtype

    require(transfer_model=transfer_model)
    dev = device()

    @for_all(
        _architectures(), st.data(), st.integers(1, 9),
        st.sampled_from([torch.float32, torch.float64]), st.integers(0, 2**31 - 1), examples=30,
    )
    def check(arch, data, n_outputs, dtype, seed):
        widths, extras, nested, shared = arch
        pretrained = _random_sequential(seed, widths, extras, nested, dtype, dev, shared)
        n_chop = data.draw(st.integers(1, len(pretrained) - 1), label="n_chop")
        kept = list(pretrained)[: len(pretrained) - n_chop]
        width = _last_linear_width(kept)
        what = f"transfer_model(pretrained of {len(pretrained)} modules, n_outputs={n_outputs}, n_chop={n_chop})"
        model = transfer_model(pretrained, n_outputs, n_chop)
        assert isinstance(model, nn.Sequential), f"{what} returned {type(model).__name__}, expected nn.Sequential"
        head = model[-1]
        assert isinstance(head, nn.Linear), f"{what}: the last module is {type(head).__name__}, expected nn.Linear"
        assert (head.in_features, head.out_features) == (width, n_outputs), (
            f"{what}: the head is {head}, expected Linear(in_features={width}, out_features={n_outputs}) "
            f"({width} = out_features of the last nn.Linear left after chopping)"
        )
        old = {id(m) for m in pretrained.modules()}
        assert id(head) not in old, f"{what}: the head is one of the pre-trained modules, expected a new nn.Linear"
        same_device_and_dtype(head.weight, next(pretrained.parameters()), f"{what}: the head's weight")


@test_case(points=3, hidden=True)
def keeps_the_chopped_modules_and_computes_head_of_body(transfer_model):
    """core: random nets: the result holds the kept modules themselves and computes head(chopped(x)).

    The kept modules are the same objects as in `pretrained` (parameters shared, not copied), a
    module used twice included.

    the chopped network followed by a new `nn.Linear` whose input width is the `out_features` of
    the last `nn.Linear` left in it.
    """
    import torch
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import device, for_all, require, same_device_and_dtype

    require(transfer_model=transfer_model)
    dev = device()

    @for_all(
        _architectures(), st.data(), st.integers(1, 9),
        st.sampled_from([torch.float32, torch.float64]), st.integers(0, 2**31 - 1), examples=30,
    )
    def check(arch, data, n_outputs, dtype, seed):
        widths, extras, nested, shared = arch
        pretrained = _random_sequential(seed, widths, extras, nested, dtype, dev, shared)
        n_chop = data.draw(st.integers(1, len(pretrained) - 1), label="n_chop")
        kept = list(pretrained)[: len(pretrained) - n_chop]
        dropped = list(pretrained)[len(pretrained) - n_chop :]
        what = f"transfer_model(pretrained of {len(pretrained)} modules, n_outputs={n_outputs}, n_chop={n_chop})"
        model = transfer_model(pretrained, n_outputs, n_chop)
        assert isinstance(model, nn.Sequential), f"{what} returned {type(model).__name__}, expected nn.Sequential"
        head = model[-1]
        contained = {id(m) for m in model.modules()}
        for i, module in enumerate(kept):
            assert id(module) in contained, f"{what}: module {i} of the pre-trained model is missing (or was copied)"
        params = {id(p) for p in model.parameters()}
        expected = {id(p) for m in kept for p in m.parameters()} | {id(p) for p in head.parameters()}
        assert params == expected, (
            f"{what}: the parameters are not exactly those of the kept pre-trained modules (shared, not "
            f"copied) and of the new head: {len(params)} parameters found, {len(expected)} expected"
        )
        kept_ids = {id(m) for m in kept}
        for module in dropped:
            if id(module) not in kept_ids:
                assert all(id(p) not in params for p in module.parameters()), f"{what} kept a chopped-off module"
        x = torch.randn(4, widths[0], generator=torch.Generator().manual_seed(seed), dtype=dtype).to(dev)
        got = model(x)
        same_device_and_dtype(got, x, f"the output of {what}")
        expected_out = head(_forward_by_hand(kept, x))
        assert torch.allclose(got, expected_out, atol=1e-6, rtol=1e-5), (
            f"{what} computes something other than head(chopped(x)): the outputs differ by "
            f"{float((got - expected_out).detach().abs().max())}"
        )


@test_case(points=1, hidden=True)
def n_chop_zero_keeps_everything(transfer_model):
    """edge: n_chop = 0 puts the head after every module of pretrained.

    `n_chop = 0` keeps every module and puts the head after them.
    """
    import torch
    from torch import nn

    from dl541_testing import device, require

    require(transfer_model=transfer_model)
    torch.manual_seed(0)
    pretrained = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3)).to(device())
    model = transfer_model(pretrained, 2, 0)
    call = "transfer_model(Sequential(Linear(4, 6), ReLU, Linear(6, 3)), 2, n_chop=0)"
    head = model[-1] if isinstance(model, nn.Sequential) else None
    assert isinstance(head, nn.Linear) and (head.in_features, head.out_features) == (3, 2), (
        f"{call} ends with {head!r}, expected a new Linear(in_features=3, out_features=2)"
    )
    x = torch.randn(5, 4, device=device())
    assert torch.allclose(model(x), head(pretrained(x)), atol=1e-6), f"{call} computes something other than head(pretrained(x))"


@test_case(points=1, hidden=True)
def random_pretrained_unchanged(transfer_model):
    """contract: on random nets the pre-trained network keeps its modules and weights.

    `pretrained` itself must not change: build a new network, do not replace a layer of
    `pretrained` in place.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require

    require(transfer_model=transfer_model)
    dev = device()

    @for_all(_architectures(), st.data(), st.integers(0, 2**31 - 1), examples=15)
    def check(arch, data, seed):
        widths, extras, nested, shared = arch
        pretrained = _random_sequential(seed, widths, extras, nested, torch.float32, dev, shared)
        modules = list(pretrained)
        values = [p.detach().clone() for p in pretrained.parameters()]
        n_chop = data.draw(st.integers(1, len(pretrained) - 1), label="n_chop")
        what = f"transfer_model(pretrained of {len(pretrained)} modules, 3, n_chop={n_chop})"
        model = transfer_model(pretrained, 3, n_chop)
        assert model is not pretrained, f"{what} returned pretrained itself, expected a new network"
        assert len(pretrained) == len(modules) and all(a is b for a, b in zip(pretrained, modules)), (
            f"{what} changed pretrained: it now has {len(pretrained)} modules"
        )
        assert all(torch.equal(p, v) for p, v in zip(pretrained.parameters(), values)), f"{what} changed the weights"


@test_case(points=1, hidden=True)
def rejects_bad_input(transfer_model):
    """validation: no nn.Linear left, a bad n_chop, or n_outputs < 1 raise ValueError.

    When no `nn.Linear` is left, or `n_outputs < 1`, raise `ValueError`; a bad `n_chop` raises
    as in Question 1.
    """
    from torch import nn

    from dl541_testing import require

    require(transfer_model=transfer_model)
    for pretrained, n_outputs, n_chop, what in [
        (nn.Sequential(nn.ReLU(), nn.Linear(4, 2)), 3, 1, "only a ReLU is left"),
        (nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)), 3, 3, "n_chop = 3 removes every module"),
        (nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)), 3, -1, "n_chop = -1"),
        (nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)), 0, 1, "n_outputs = 0"),
        (nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)), -5, 1, "n_outputs = -5"),
    ]:
        try:
            transfer_model(pretrained, n_outputs, n_chop)
        except ValueError:
            continue
        raise AssertionError(f"transfer_model(pretrained, {n_outputs}, {n_chop}) did not raise ValueError ({what})")
