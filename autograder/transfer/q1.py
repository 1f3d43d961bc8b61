from helpers import _architectures, _random_sequential
from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


@test_case(points=1, hidden=False)
def lecture_example(chop_off):
    import torch
    from torch import nn

    from dl541_testing import device, require

    require(chop_off=chop_off)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)).to(device())
    body = chop_off(model)
    assert isinstance(body, nn.Sequential), f"chop_off(model) returned {type(body).__name__}, expected nn.Sequential"
    assert len(body) == 2, f"chop_off(model) kept {len(body)} modules, expected 2 (Linear(4, 8), ReLU)"
    assert body[0] is model[0] and body[1] is model[1], "chop_off must keep the same module objects, not copies"
    out = body(torch.zeros(5, 4, device=device()))
    assert tuple(out.shape) == (5, 8), f"the chopped network maps (5, 4) to {tuple(out.shape)}, expected (5, 8)"


@test_case(points=2, hidden=True)
def keeps_the_same_modules(chop_off):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(chop_off=chop_off)
    dev = device()

    @prop(40)
    @given(_architectures(), st.data(), st.sampled_from([torch.float32, torch.float64]), st.integers(0, 2**31 - 1))
    def check(arch, data, dtype, seed):
        widths, extras, nested = arch
        model = _random_sequential(seed, widths, extras, nested, dtype, dev)
        before = list(model)
        n = data.draw(st.integers(0, len(model) - 1), label="n")
        body = chop_off(model, n)
        what = f"chop_off(model with {len(model)} modules, n={n})"
        assert isinstance(body, nn.Sequential), f"{what} returned {type(body).__name__}, expected nn.Sequential"
        assert list(model) == before and all(a is b for a, b in zip(model, before)), (
            f"{what} changed the model; it must build a new nn.Sequential and leave the model as it was"
        )
        assert len(body) == len(model) - n, f"{what} kept {len(body)} modules, expected {len(model) - n}"
        for i, module in enumerate(body):
            assert module is model[i], f"{what}: module {i} is not model[{i}] itself (copied or reordered)"
        expected_ids = [id(p) for i in range(len(model) - n) for p in model[i].parameters()]
        got_ids = [id(p) for p in body.parameters()]
        assert got_ids == expected_ids, f"{what}: the parameters must be the model's own tensors, shared not copied"
        x = torch.randn(3, widths[0], generator=torch.Generator().manual_seed(seed), dtype=dtype).to(dev)
        expected = x
        for i in range(len(model) - n):
            expected = model[i](expected)
        got = body(x)
        same_device_and_dtype(got, expected, f"the output of {what}")
        assert torch.equal(got, expected), f"{what} computes something other than the first {len(body)} modules"

    run_property(check)


@test_case(points=1, hidden=True)
def training_the_body_trains_the_model(chop_off):
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
        "network must share the model's parameters (same tensors), not copy them"
    )


@test_case(points=1, hidden=True)
def rejects_bad_n(chop_off):
    from torch import nn

    from dl541_testing import require

    require(chop_off=chop_off)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    for n in (-1, 3, 4, 10):
        try:
            chop_off(model, n)
        except ValueError:
            continue
        raise AssertionError(f"chop_off(model of 3 modules, n={n}) should raise ValueError (need 0 <= n < 3)")
