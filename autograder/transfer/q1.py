from helpers import _architectures, _forward_by_hand, _random_sequential
from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


@test_case(points=1, hidden=False)
def lecture_example(chop_off):
    """core: Linear, ReLU, Linear without its last module keeps the first two, as the same objects.

    the model without its last `n` modules; the remaining modules are the same objects
    (parameters shared, not copied).
    """
    import torch
    from torch import nn

    from dl541_testing import device, require

    require(chop_off=chop_off)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)).to(device())
    body = chop_off(model)
    assert isinstance(body, nn.Sequential), f"chop_off(model) returned {type(body).__name__}, expected nn.Sequential"
    assert len(body) == 2, f"chop_off(Linear(4, 8), ReLU, Linear(8, 3)) kept {len(body)} modules, expected 2"
    assert body[0] is model[0] and body[1] is model[1], (
        "chop_off(Linear(4, 8), ReLU, Linear(8, 3)) kept modules that are not model[0] and model[1] themselves"
    )
    out = body(torch.zeros(5, 4, device=device()))
    assert tuple(out.shape) == (5, 8), f"the chopped network maps (5, 4) to {tuple(out.shape)}, expected (5, 8)"


@test_case(points=1, hidden=False)
def shared_and_nested_examples(chop_off):
    """core: a module used twice stays at both places; a nested block counts as one module.

    A module that `model` uses twice (one instance at two places) stays at each of its places that
    is kept, as the same object: the result always has `len(model) - n` modules.

    a block nested inside `model` (an `nn.Sequential` inside the `nn.Sequential`) is one
    module, kept or dropped whole.
    """
    from torch import nn

    from dl541_testing import require

    require(chop_off=chop_off)
    twice = nn.Linear(4, 4)
    model = nn.Sequential(nn.Linear(3, 4), twice, nn.ReLU(), twice, nn.Linear(4, 2))
    body = chop_off(model, 1)
    call = "chop_off(Sequential(Linear(3, 4), L, ReLU, L, Linear(4, 2)), 1) with L one Linear(4, 4) used twice"
    assert isinstance(body, nn.Sequential) and len(body) == 4, (
        f"{call} returned {body!r}, expected an nn.Sequential of 4 modules"
    )
    assert all(body[i] is model[i] for i in range(4)), f"{call}: module i of the result is not model[i] itself"
    block = nn.Sequential(nn.Linear(3, 5), nn.Tanh())
    model = nn.Sequential(block, nn.Sequential(nn.Linear(5, 4), nn.ReLU()), nn.Linear(4, 2))
    call = "chop_off(Sequential(Sequential(Linear, Tanh), Sequential(Linear, ReLU), Linear), 2)"
    body = chop_off(model, 2)
    assert isinstance(body, nn.Sequential) and len(body) == 1 and body[0] is block, (
        f"{call} returned {body!r}, expected an nn.Sequential holding only the first block, the same object"
    )


@test_case(points=1, hidden=False)
def n_zero_keeps_every_module(chop_off):
    """edge: n = 0 gives a new nn.Sequential with every module.

    `n = 0` returns a new `nn.Sequential` with every module.
    """
    from torch import nn

    from dl541_testing import require

    require(chop_off=chop_off)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    body = chop_off(model, 0)
    call = "chop_off(Sequential(Linear(4, 8), ReLU, Linear(8, 3)), 0)"
    assert isinstance(body, nn.Sequential) and len(body) == 3, f"{call} returned {body!r}, expected all 3 modules"
    assert body is not model, f"{call} returned model itself, expected a new nn.Sequential"
    assert all(body[i] is model[i] for i in range(3)), f"{call}: module i of the result is not model[i] itself"


@test_case(points=1, hidden=False)
def model_unchanged_example(chop_off):
    """contract: chopping builds a new nn.Sequential and leaves the model as it was.

    The result is a new `nn.Sequential`, not `model`, and `model` itself must not change.
    """
    from torch import nn

    from dl541_testing import require

    require(chop_off=chop_off)
    modules = [nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)]
    model = nn.Sequential(*modules)
    body = chop_off(model, 1)
    assert body is not model, "chop_off(model, 1) returned model itself, expected a new nn.Sequential"
    assert len(model) == 3 and all(a is b for a, b in zip(model, modules)), (
        f"chop_off(Sequential(Linear(4, 8), ReLU, Linear(8, 3)), 1) changed the model to {model!r} (it must stay unchanged)"
    )


@test_case(points=4, hidden=True)
def keeps_the_same_modules(chop_off):
    """core: random nets, flat or nested, maybe with a module used twice: the first len - n modules, shared.

    the model without its last `n` modules; the remaining modules are the same objects
    (parameters shared, not copied).

    A module that `model` uses twice (one instance at two places) stays at each of its places that
    is kept, as the same object: the result always has `len(model) - n` modules.

    a block nested inside `model` (an `nn.Sequential` inside the `nn.Sequential`) is one
    module, kept or dropped whole.
    """
    import torch
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import device, for_all, require, same_device_and_dtype

    require(chop_off=chop_off)
    dev = device()

    @for_all(_architectures(), st.data(), st.sampled_from([torch.float32, torch.float64]), st.integers(0, 2**31 - 1), examples=40)
    def check(arch, data, dtype, seed):
        widths, extras, nested, shared = arch
        model = _random_sequential(seed, widths, extras, nested, dtype, dev, shared)
        modules = list(model)
        n = data.draw(st.integers(1, len(model) - 1), label="n")
        what = (
            f"chop_off(model of {len(model)} modules{', nested blocks' if nested else ''}"
            f"{', one module used twice' if shared is not None else ''}, n={n})"
        )
        body = chop_off(model, n)
        assert isinstance(body, nn.Sequential), f"{what} returned {type(body).__name__}, expected nn.Sequential"
        assert len(body) == len(model) - n, f"{what} kept {len(body)} modules, expected {len(model) - n}"
        for i, module in enumerate(body):
            assert module is modules[i], f"{what}: module {i} is not model[{i}] itself (copied or reordered)"
        x = torch.randn(3, widths[0], generator=torch.Generator().manual_seed(seed), dtype=dtype).to(dev)
        expected = _forward_by_hand(modules[: len(model) - n], x)
        got = body(x)
        same_device_and_dtype(got, expected, f"the output of {what}")
        assert torch.equal(got, expected), f"{what} computes something other than the first {len(body)} modules"


@test_case(points=1, hidden=True)
def training_the_body_trains_the_model(chop_off):
    """core: an optimizer step on the chopped network changes the model's own weights.

    so training the chopped network trains the original too
    """
    import torch
    from torch import nn

    from dl541_testing import device, require

    require(chop_off=chop_off)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 2)).to(device())
    body = chop_off(model, 2)
    before = model[2].weight.detach().clone()
    optimizer = torch.optim.SGD(body.parameters(), lr=0.5)
    body(torch.randn(8, 4, device=device())).pow(2).mean().backward()
    optimizer.step()
    assert not torch.equal(model[2].weight, before), (
        "a step of SGD on chop_off(model, 2).parameters() did not change model[2].weight: the chopped "
        "network does not share the model's parameters"
    )


@test_case(points=1, hidden=True)
def random_models_unchanged(chop_off):
    """contract: on random nets the result is a new nn.Sequential and the model keeps its modules.

    The result is a new `nn.Sequential`, not `model`, and `model` itself must not change.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require

    require(chop_off=chop_off)
    dev = device()

    @for_all(_architectures(), st.data(), st.integers(0, 2**31 - 1), examples=15)
    def check(arch, data, seed):
        widths, extras, nested, shared = arch
        model = _random_sequential(seed, widths, extras, nested, torch.float32, dev, shared)
        modules = list(model)
        values = [p.detach().clone() for p in model.parameters()]
        n = data.draw(st.integers(0, len(model) - 1), label="n")
        what = f"chop_off(model of {len(model)} modules, n={n})"
        body = chop_off(model, n)
        assert body is not model, f"{what} returned model itself, expected a new nn.Sequential"
        assert len(model) == len(modules) and all(a is b for a, b in zip(model, modules)), (
            f"{what} changed the model: it now has {len(model)} modules"
        )
        assert all(torch.equal(p, v) for p, v in zip(model.parameters(), values)), f"{what} changed the model's weights"


@test_case(points=1, hidden=True)
def rejects_bad_n(chop_off):
    """validation: n < 0 or n >= len(model) raises ValueError.

    A negative `n`, or one that would leave nothing (`n >= len(model)`), raises `ValueError`.
    """
    from torch import nn

    from dl541_testing import require

    require(chop_off=chop_off)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    for n in (-1, 3, 4, 10):
        try:
            chop_off(model, n)
        except ValueError:
            continue
        raise AssertionError(f"chop_off(model of 3 modules, n={n}) did not raise ValueError (need 0 <= n < 3)")
