from helpers import _architectures, _random_sequential
from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


@test_case(points=1, hidden=False)
def freezes_a_layer(freeze):
    """core: a Linear layer's weight and bias stop requiring a gradient; the layer itself comes back.

    sets `requires_grad = False` on every parameter of `module`, those of its sub-modules
    included, and returns the same `module`.
    """
    from torch import nn

    from dl541_testing import require

    require(freeze=freeze)
    layer = nn.Linear(3, 2)
    got = freeze(layer)
    assert got is layer, f"freeze(Linear(3, 2)) returned {got!r}, expected the same module object"
    flags = {name: p.requires_grad for name, p in layer.named_parameters()}
    assert not any(flags.values()), f"after freeze(Linear(3, 2)), requires_grad is {flags}; expected all False"


@test_case(points=1, hidden=False)
def freezes_nested_blocks_and_shared_parameters(freeze):
    """core: a nested block is frozen too, and so is a pre-trained layer the chopped network shares.

    sets `requires_grad = False` on every parameter of `module`, those of its sub-modules
    included, and returns the same `module`.

    A chopped network shares them with the pre-trained model, so freezing one freezes the other
    """
    from torch import nn

    from dl541_testing import require

    require(freeze=freeze)
    pretrained = nn.Sequential(nn.Sequential(nn.Linear(4, 3), nn.ReLU()), nn.Linear(3, 2))
    body = nn.Sequential(pretrained[0])  # what chop_off(pretrained) gives
    got = freeze(body)
    assert got is body, f"freeze(body) returned {got!r}, expected the same module object"
    flags = {name: p.requires_grad for name, p in pretrained.named_parameters()}
    expected = {"0.0.weight": False, "0.0.bias": False, "1.weight": True, "1.bias": True}
    assert flags == expected, (
        f"after freeze(body) with body = Sequential(pretrained[0]) and pretrained = Sequential(Sequential(Linear(4, 3), "
        f"ReLU), Linear(3, 2)), pretrained's requires_grad flags are {flags}, expected {expected}"
    )


@test_case(points=3, hidden=True)
def freezes_every_parameter_of_the_module_only(freeze):
    """core: random nets, flat or nested, maybe with a module used twice: exactly the encoder's parameters freeze.

    sets `requires_grad = False` on every parameter of `module`, those of its sub-modules
    included, and returns the same `module`.

    `freeze` changes only the `requires_grad` flags of the parameters of `module`: not their
    values, not what the module computes, and not the flags of parameters outside `module`.
    """
    import torch
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import device, for_all, require

    require(freeze=freeze)
    dev = device()

    @for_all(_architectures(), st.data(), st.integers(0, 2**31 - 1), examples=30)
    def check(arch, data, seed):
        widths, extras, nested, shared = arch
        model = _random_sequential(seed, widths, extras, nested, torch.float32, dev, shared)
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


@test_case(points=2, hidden=True)
def an_optimizer_step_leaves_frozen_parameters_alone(freeze):
    """core: after freeze, backward gives the encoder no gradient and SGD, momentum or Adam leave it alone.

    Backward then computes no gradient for them, and an optimiser skips them, even one built over
    all of a model's parameters.
    """
    import torch
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import device, for_all, require

    require(freeze=freeze)
    dev = device()

    @for_all(_architectures(), st.sampled_from(["sgd", "momentum", "adam"]), st.integers(0, 2**31 - 1), examples=20)
    def check(arch, kind, seed):
        widths, extras, nested, shared = arch
        encoder = _random_sequential(seed, widths, extras, nested, torch.float32, dev, shared)
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
        assert not torch.equal(head.weight, head_before), (
            f"two {kind} steps after freeze(encoder) left the head's weight (not frozen) unchanged"
        )


@test_case(points=1, hidden=True)
def frozen_output_is_unchanged(freeze):
    """core: a frozen module computes the same output, which requires no gradient.

    `freeze` changes only the `requires_grad` flags of the parameters of `module`: not their
    values, not what the module computes, and not the flags of parameters outside `module`.
    """
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
    assert got is model, f"freeze(model) returned {got!r}, expected the module it was given"
    after = model(x)
    assert torch.equal(after, before), "freeze(model) changed what model computes"
    assert not after.requires_grad, "after freeze(model), the output of model still requires a gradient"
