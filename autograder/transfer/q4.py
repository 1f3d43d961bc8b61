from helpers import _architectures, _random_sequential
from otter.test_files import test_case

OK_FORMAT = False
name = "q4"
points = None


def _groups(result, call):
    assert isinstance(result, list), f"{call} returned {type(result).__name__}, expected a list of dicts"
    groups = []
    for group in result:
        assert isinstance(group, dict) and "params" in group and "lr" in group, (
            f"{call} returned {result!r}: every group is a dict with keys 'params' and 'lr'."
        )
        groups.append((list(group["params"]), float(group["lr"])))
    return groups


def _rates(groups):
    """{id(parameter): [its learning rate in each group that holds it]}."""
    rates = {}
    for params, lr in groups:
        for p in params:
            rates.setdefault(id(p), []).append(lr)
    return rates


@test_case(points=1, hidden=False)
def lecture_example(fine_tune_param_groups):
    """core: encoder Linear(4, 8) at lr * 0.1, head Linear(8, 2) at lr.

    the encoder's trainable parameters at `lr * encoder_lr_scale`, the head's
    at `lr`
    """
    from torch import nn

    from dl541_testing import require, tidy

    require(fine_tune_param_groups=fine_tune_param_groups)
    encoder, head = nn.Linear(4, 8), nn.Linear(8, 2)
    call = "fine_tune_param_groups(Linear(4, 8), Linear(8, 2), lr=0.1)"
    groups = _groups(fine_tune_param_groups(encoder, head, lr=0.1), call)
    assert len(groups) == 2, f"{call} returned {len(groups)} groups, expected 2"
    rates = _rates(groups)
    for module, expected, what in ((encoder, 0.01, "encoder"), (head, 0.1, "head")):
        for name, p in module.named_parameters():
            got = rates.get(id(p))
            assert got is not None and len(got) == 1 and abs(got[0] - expected) < 1e-12, (
                tidy(f"{call}: the {what}'s {name} has learning rates {got}, expected [{expected}]")
            )


@test_case(points=1, hidden=False)
def frozen_and_shared_examples(fine_tune_param_groups):
    """core: a frozen parameter is in no group; a layer in both encoder and head is in one group, once.

    Frozen parameters (`requires_grad = False`) are in no group, and every
    trainable parameter is in exactly one.

    A parameter that the encoder and the head share goes into the head's group (either group is
    accepted, but never both).
    """
    from torch import nn

    from dl541_testing import require

    require(fine_tune_param_groups=fine_tune_param_groups)
    encoder, head = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8)), nn.Linear(8, 2)
    encoder[0].weight.requires_grad_(False)
    call = "fine_tune_param_groups(encoder, head, 0.1) with the encoder's first weight frozen"
    rates = _rates(_groups(fine_tune_param_groups(encoder, head, 0.1), call))
    assert id(encoder[0].weight) not in rates, f"{call}: the frozen weight is in a group"
    for name, p in list(encoder.named_parameters())[1:] + list(head.named_parameters()):
        assert len(rates.get(id(p), [])) == 1, f"{call}: the trainable {name} is in {len(rates.get(id(p), []))} groups, expected 1"
    shared = nn.Linear(4, 4)
    encoder = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), shared)
    head = nn.Sequential(shared, nn.ReLU(), nn.Linear(4, 2))
    call = "fine_tune_param_groups(encoder, head, 0.1) with one Linear(4, 4) the last module of encoder and the first of head"
    rates = _rates(_groups(fine_tune_param_groups(encoder, head, 0.1), call))
    for name, p in list(encoder.named_parameters()) + list(head.named_parameters()):
        assert len(rates.get(id(p), [])) == 1, f"{call}: {name} is in {len(rates.get(id(p), []))} groups, expected 1"


@test_case(points=3, hidden=True)
def every_trainable_parameter_once_at_its_rate(fine_tune_param_groups):
    """core: random nets, flat or nested, maybe with a module used twice or shared with the head, some frozen.

    the encoder's trainable parameters at `lr * encoder_lr_scale`, the head's
    at `lr`; every trainable parameter in exactly one group.

    Frozen parameters (`requires_grad = False`) are in no group, and every
    trainable parameter is in exactly one.

    A module used twice (one instance at two places of the encoder, say) has its parameters in
    one group, once each.

    A parameter that the encoder and the head share goes into the head's group (either group is
    accepted, but never both).
    """
    import torch
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import device, for_all, require

    require(fine_tune_param_groups=fine_tune_param_groups)
    dev = device()

    @for_all(
        _architectures(), st.booleans(), st.booleans(), st.data(), st.floats(1e-4, 1.0), st.floats(0.01, 1.0),
        st.integers(0, 2**31 - 1), examples=40,
    )
    def check(arch, head_twice, head_shares, data, lr, scale, seed):
        widths, extras, nested, shared = arch
        encoder = _random_sequential(seed, widths, extras, nested, torch.float32, dev, shared)
        inner = nn.Linear(3, 3)
        middle = [inner, nn.ReLU(), inner] if head_twice else [inner]
        first = [encoder[-1]] if head_shares else []  # the head reuses the encoder's last module
        head = nn.Sequential(*first, nn.Linear(widths[-1], 3), *middle, nn.ReLU(), nn.Linear(3, 2)).to(dev)
        in_encoder = {id(p) for p in encoder.parameters()}
        head_own = [p for p in head.parameters() if id(p) not in in_encoder]
        everything = list(encoder.parameters()) + head_own
        frozen = data.draw(st.lists(st.booleans(), min_size=len(everything), max_size=len(everything)), label="frozen")
        frozen[0] = frozen[len(in_encoder)] = False  # each group keeps a trainable parameter
        for p, flag in zip(everything, frozen):
            p.requires_grad_(not flag)
        call = (
            f"fine_tune_param_groups(encoder, head, lr={lr}, encoder_lr_scale={scale})"
            f"{' (a module used twice in the encoder)' if shared is not None else ''}"
            f"{' (a module used twice in the head)' if head_twice else ''}"
            f"{' (the head starts with the encoder last module)' if head_shares else ''}"
        )
        groups = _groups(fine_tune_param_groups(encoder, head, lr, encoder_lr_scale=scale), call)
        assert len(groups) == 2, f"{call} returned {len(groups)} groups, expected 2"
        rates = _rates(groups)
        in_head = {id(p) for p in head.parameters()}
        for what, module, expected in (("encoder", encoder, lr * scale), ("head", head, lr)):
            for name, p in module.named_parameters():
                if not p.requires_grad:
                    assert id(p) not in rates, f"{call}: the frozen {what} parameter {name} is in a group"
                    continue
                got = rates.get(id(p), [])
                assert len(got) == 1, f"{call}: the trainable {what} parameter {name} is in {len(got)} groups, expected 1"
                allowed = (lr * scale, lr) if id(p) in in_encoder and id(p) in in_head else (expected,)
                assert any(abs(got[0] - rate) <= 1e-12 * (1 + rate) for rate in allowed), (
                    f"{call}: the {what}'s {name} trains at {got[0]}, expected {' or '.join(map(str, allowed))}"
                )


@test_case(points=1, hidden=True)
def an_optimizer_uses_the_rates(fine_tune_param_groups):
    """core: SGD built on the groups moves each parameter by its group's rate.

    Use it as `torch.optim.Adam(fine_tune_param_groups(...))`.
    """
    import torch
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import device, for_all, require

    require(fine_tune_param_groups=fine_tune_param_groups)
    dev = device()

    @for_all(st.floats(1e-3, 1.0), st.floats(0.01, 1.0), st.integers(0, 2**31 - 1), examples=15)
    def check(lr, scale, seed):
        torch.manual_seed(seed)
        encoder = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 4)).to(dev)
        head = nn.Linear(4, 2).to(dev)
        groups = fine_tune_param_groups(encoder, head, lr, encoder_lr_scale=scale)
        optimizer = torch.optim.SGD(groups, lr=123.0)  # the groups' own rates must win
        before = {id(p): p.detach().clone() for p in list(encoder.parameters()) + list(head.parameters())}
        for p in list(encoder.parameters()) + list(head.parameters()):
            p.grad = torch.ones_like(p)
        optimizer.step()
        for what, module, rate in (("encoder", encoder, lr * scale), ("head", head, lr)):
            for name, p in module.named_parameters():
                step = float((before[id(p)] - p.detach()).mean())
                assert abs(step - rate) <= 1e-5 * (1 + rate), (
                    f"SGD(fine_tune_param_groups(encoder, head, lr={lr}, encoder_lr_scale={scale})) moved the "
                    f"{what}'s {name} by {step} for a unit gradient, expected {rate}"
                )


@test_case(points=1, hidden=True)
def frozen_encoder_leaves_an_empty_group(fine_tune_param_groups):
    """edge: a wholly frozen encoder gives an empty encoder group (or none) and the head at lr.

    Both groups are always returned, even when one has no trainable parameter left (PyTorch
    accepts an empty group); dropping an empty group is accepted too.
    """
    from torch import nn

    from dl541_testing import require

    require(fine_tune_param_groups=fine_tune_param_groups)
    encoder, head = nn.Sequential(nn.Linear(3, 4), nn.ReLU()), nn.Linear(4, 2)
    for p in encoder.parameters():
        p.requires_grad_(False)
    call = "fine_tune_param_groups(frozen encoder, head, 0.1)"
    groups = _groups(fine_tune_param_groups(encoder, head, 0.1), call)
    non_empty = [(params, lr) for params, lr in groups if params]
    assert len(groups) in (1, 2) and len(non_empty) == 1, (
        f"{call} returned {len(groups)} groups, {len(non_empty)} of them non-empty; expected the head's group "
        "and an empty (or no) encoder group"
    )
    params, lr = non_empty[0]
    assert {id(p) for p in params} == {id(p) for p in head.parameters()} and len(params) == 2 and abs(lr - 0.1) < 1e-12, (
        f"{call}: the non-empty group holds {len(params)} parameters at lr {lr}, expected the head's 2 at 0.1"
    )


@test_case(points=1, hidden=True)
def scale_zero_is_allowed(fine_tune_param_groups):
    """edge: encoder_lr_scale = 0 gives the encoder a learning rate of 0.

    a scale of 0 is allowed (the encoder is then effectively frozen).
    """
    from torch import nn

    from dl541_testing import require

    require(fine_tune_param_groups=fine_tune_param_groups)
    encoder, head = nn.Linear(3, 4), nn.Linear(4, 2)
    call = "fine_tune_param_groups(Linear(3, 4), Linear(4, 2), 0.1, encoder_lr_scale=0.0)"
    rates = _rates(_groups(fine_tune_param_groups(encoder, head, 0.1, encoder_lr_scale=0.0), call))
    got = [rates.get(id(p)) for p in list(encoder.parameters()) + list(head.parameters())]
    assert got == [[0.0], [0.0], [0.1], [0.1]], (
        f"{call}: the learning rates of encoder weight, encoder bias, head weight, head bias are {got}, "
        "expected [[0.0], [0.0], [0.1], [0.1]]"
    )


@test_case(points=1, hidden=True)
def rejects_bad_rates(fine_tune_param_groups):
    """validation: lr <= 0 or encoder_lr_scale < 0 raises ValueError.

    `lr <= 0` or `encoder_lr_scale < 0` raises `ValueError`
    """
    from torch import nn

    from dl541_testing import require

    require(fine_tune_param_groups=fine_tune_param_groups)
    encoder, head = nn.Linear(3, 4), nn.Linear(4, 2)
    for lr, scale in ((0.0, 0.1), (-0.1, 0.1), (0.1, -0.5)):
        try:
            fine_tune_param_groups(encoder, head, lr, encoder_lr_scale=scale)
        except ValueError:
            continue
        raise AssertionError(f"fine_tune_param_groups(encoder, head, lr={lr}, encoder_lr_scale={scale}) did not raise ValueError")
