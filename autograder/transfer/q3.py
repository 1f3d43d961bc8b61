from helpers import _architectures, _random_sequential
from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


@test_case(points=1, hidden=False)
def freezes_a_layer(freeze):
    from torch import nn

    from dl541_testing import require, tidy

    require(freeze=freeze)
    layer = nn.Linear(3, 2)
    got = freeze(layer)
    assert got is layer, tidy(f"freeze(layer) returned {got!r}, expected the same module object")
    flags = {name: p.requires_grad for name, p in layer.named_parameters()}
    assert not any(flags.values()), f"after freeze(layer), requires_grad is {flags}; expected all False"


@test_case(points=2, hidden=True)
def freezes_every_parameter_of_the_module_only(freeze):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import device, prop, require, run_property

    require(freeze=freeze)
    dev = device()

    @prop(30)
    @given(_architectures(), st.data(), st.integers(0, 2**31 - 1))
    def check(arch, data, seed):
        widths, extras, nested = arch
        model = _random_sequential(seed, widths, extras, nested, torch.float32, dev)
        cut = data.draw(st.integers(1, len(model) - 1), label="cut")
        encoder = nn.Sequential(*list(model)[:cut])  # shares the first `cut` modules with model
        values = [p.detach().clone() for p in model.parameters()]
        got = freeze(encoder)
        assert got is encoder, f"freeze(encoder) returned {got!r}, expected the module it was given"
        inside = {id(p) for p in encoder.parameters()}
        for (name, p), value in zip(model.named_parameters(), values):
            if id(p) in inside:
                assert not p.requires_grad, f"freeze(encoder) left {name} (inside the encoder) trainable"
            else:
                assert p.requires_grad, f"freeze(encoder) froze {name}, which is not part of the encoder"
            assert torch.equal(p, value), f"freeze(encoder) changed the values of {name}"

    run_property(check)


@test_case(points=2, hidden=True)
def an_optimizer_step_leaves_frozen_parameters_alone(freeze):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import device, prop, require, run_property

    require(freeze=freeze)
    dev = device()

    @prop(20)
    @given(_architectures(), st.sampled_from(["sgd", "momentum", "adam"]), st.integers(0, 2**31 - 1))
    def check(arch, kind, seed):
        widths, extras, nested = arch
        encoder = _random_sequential(seed, widths, extras, nested, torch.float32, dev)
        head = nn.Linear(widths[-1], 2).to(dev)
        freeze(encoder)
        model = nn.Sequential(encoder, head)
        frozen = [p.detach().clone() for p in encoder.parameters()]
        head_before = head.weight.detach().clone()
        params = list(model.parameters())  # the frozen ones too: the optimizer must skip them
        if kind == "adam":
            optimizer = torch.optim.Adam(params, lr=0.1, weight_decay=0.1)
        else:
            optimizer = torch.optim.SGD(params, lr=0.1, momentum=0.9 if kind == "momentum" else 0.0, weight_decay=0.1)
        g = torch.Generator().manual_seed(seed)
        x = torch.randn(6, widths[0], generator=g).to(dev)
        target = torch.randn(6, 2, generator=g).to(dev)
        for _ in range(2):
            optimizer.zero_grad()
            ((model(x) - target) ** 2).mean().backward()
            optimizer.step()
        for (name, p), value in zip(encoder.named_parameters(), frozen):
            assert p.grad is None, f"after freeze(encoder), backward still gave {name} a gradient"
            assert torch.equal(p, value), f"two {kind} steps changed the frozen parameter {name}"
        assert not torch.equal(head.weight, head_before), "the head (not frozen) should still train"

    run_property(check)


@test_case(points=1, hidden=True)
def frozen_output_is_unchanged(freeze):
    import torch
    from torch import nn

    from dl541_testing import device, require

    require(freeze=freeze)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Sequential(nn.Linear(4, 6), nn.Tanh()), nn.Linear(6, 3)).to(device())
    x = torch.randn(5, 4, device=device())
    with torch.no_grad():
        before = model(x)
    got = freeze(model)
    assert got is model, "freeze must return the module it was given"
    after = model(x)
    assert torch.equal(after, before), "freeze must not change what the module computes"
    assert not after.requires_grad, "the output of a frozen module should not require a gradient"
