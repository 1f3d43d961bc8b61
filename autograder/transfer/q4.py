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


@test_case(points=1, hidden=False)
def lecture_example(fine_tune_param_groups):
    from torch import nn

    from dl541_testing import require, tidy

    require(fine_tune_param_groups=fine_tune_param_groups)
    encoder, head = nn.Linear(4, 8), nn.Linear(8, 2)
    call = "fine_tune_param_groups(encoder, head, lr=0.1)"
    groups = _groups(fine_tune_param_groups(encoder, head, lr=0.1), call)
    assert len(groups) == 2, f"{call} returned {len(groups)} groups, expected 2"
    rates = {}
    for params, lr in groups:
        for p in params:
            rates[id(p)] = lr
    for module, expected, what in ((encoder, 0.01, "encoder"), (head, 0.1, "head")):
        for name, p in module.named_parameters():
            got = rates.get(id(p))
            assert got is not None and abs(got - expected) < 1e-12, (
                tidy(f"{call}: the {what}'s {name} has learning rate {got}, expected {expected}")
            )


@test_case(points=2, hidden=True)
def every_trainable_parameter_once_at_its_rate(fine_tune_param_groups):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import device, prop, require, run_property

    require(fine_tune_param_groups=fine_tune_param_groups)
    dev = device()

    @prop(40)
    @given(
        _architectures(), st.data(), st.floats(1e-4, 1.0), st.floats(0.0, 1.0), st.integers(0, 2**31 - 1),
    )
    def check(arch, data, lr, scale, seed):
        widths, extras, nested = arch
        encoder = _random_sequential(seed, widths, extras, nested, torch.float32, dev)
        head = nn.Sequential(nn.Linear(widths[-1], 3), nn.ReLU(), nn.Linear(3, 2)).to(dev)
        everything = list(encoder.parameters()) + list(head.parameters())
        frozen = data.draw(st.lists(st.booleans(), min_size=len(everything), max_size=len(everything)), label="frozen")
        for p, flag in zip(everything, frozen):
            p.requires_grad_(not flag)
        call = f"fine_tune_param_groups(encoder, head, lr={lr}, encoder_lr_scale={scale})"
        groups = _groups(fine_tune_param_groups(encoder, head, lr, encoder_lr_scale=scale), call)
        assert len(groups) <= 2, f"{call} returned {len(groups)} groups, expected two"
        seen = {}
        for params, rate in groups:
            for p in params:
                assert id(p) not in seen, f"{call}: a parameter appears in two groups (or twice in one)"
                seen[id(p)] = rate
        for what, module, expected in (("encoder", encoder, lr * scale), ("head", head, lr)):
            for name, p in module.named_parameters():
                if not p.requires_grad:
                    assert id(p) not in seen, f"{call}: the frozen {what} parameter {name} is in a group"
                    continue
                assert id(p) in seen, f"{call}: the trainable {what} parameter {name} is in no group"
                assert abs(seen[id(p)] - expected) <= 1e-12 * (1 + expected), (
                    f"{call}: the {what}'s {name} trains at {seen[id(p)]}, expected {expected}"
                )
        if all(p.requires_grad for p in everything):
            assert len(groups) == 2, f"{call} returned {len(groups)} groups, expected 2"

    run_property(check)


@test_case(points=1, hidden=True)
def an_optimizer_uses_the_rates(fine_tune_param_groups):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import device, prop, require, run_property

    require(fine_tune_param_groups=fine_tune_param_groups)
    dev = device()

    @prop(15)
    @given(st.floats(1e-3, 1.0), st.floats(0.0, 1.0), st.booleans(), st.integers(0, 2**31 - 1))
    def check(lr, scale, frozen_encoder, seed):
        torch.manual_seed(seed)
        encoder = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 4)).to(dev)
        head = nn.Linear(4, 2).to(dev)
        if frozen_encoder:
            for p in encoder.parameters():
                p.requires_grad_(False)
        groups = fine_tune_param_groups(encoder, head, lr, encoder_lr_scale=scale)
        optimizer = torch.optim.SGD(groups, lr=123.0)  # the groups' own rates must win
        before = {id(p): p.detach().clone() for p in list(encoder.parameters()) + list(head.parameters())}
        for p in list(encoder.parameters()) + list(head.parameters()):
            p.grad = torch.ones_like(p) if p.requires_grad else None
        optimizer.step()
        for what, module, rate in (("encoder", encoder, 0.0 if frozen_encoder else lr * scale), ("head", head, lr)):
            for name, p in module.named_parameters():
                step = float((before[id(p)] - p.detach()).mean())
                assert abs(step - rate) <= 1e-5 * (1 + rate), (
                    f"SGD(fine_tune_param_groups(encoder, head, lr={lr}, encoder_lr_scale={scale})) moved the "
                    f"{what}'s {name} by {step} for a unit gradient, expected {rate}"
                )

    run_property(check)


@test_case(points=1, hidden=True)
def shared_parameters_and_bad_rates(fine_tune_param_groups):
    from torch import nn

    from dl541_testing import require

    require(fine_tune_param_groups=fine_tune_param_groups)
    shared = nn.Linear(4, 4)
    encoder = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), shared)
    head = nn.Sequential(shared, nn.ReLU(), nn.Linear(4, 2))
    call = "fine_tune_param_groups(encoder, head, 0.1) with a layer in both"
    groups = _groups(fine_tune_param_groups(encoder, head, 0.1), call)
    ids = [id(p) for params, _ in groups for p in params]
    assert len(ids) == len(set(ids)), f"{call}: the shared layer's parameters appear in two groups"
    expected = {id(p) for p in encoder.parameters()} | {id(p) for p in head.parameters()}
    assert set(ids) == expected, f"{call}: {len(set(ids))} parameters in the groups, expected {len(expected)}"
    for lr, scale in ((0.0, 0.1), (-0.1, 0.1), (0.1, -0.5)):
        try:
            fine_tune_param_groups(encoder, head, lr, encoder_lr_scale=scale)
        except ValueError:
            continue
        raise AssertionError(f"fine_tune_param_groups with lr={lr}, encoder_lr_scale={scale} should raise ValueError")
