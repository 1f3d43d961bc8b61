from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
points = None


def _random_sequential(sizes, which, generator, dtype, dev):
    import torch
    from torch import nn

    acts = [nn.Tanh, nn.Sigmoid, nn.ReLU, nn.Identity]
    modules = []
    for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layer = nn.Linear(a, b)
        layer.weight.data = torch.randn(b, a, generator=generator)
        layer.bias.data = torch.randn(b, generator=generator)
        modules.append(layer)
        if k < len(sizes) - 2:
            modules.append(acts[(which + k) % len(acts)]())
    return nn.Sequential(*modules).to(device=dev, dtype=dtype)


def _expected_norms(model, x, y):
    import torch
    from torch import nn

    weights = [m.weight for m in model.modules() if isinstance(m, nn.Linear)]
    loss = ((model(x) - y) ** 2).sum() / y.numel()
    grads = torch.autograd.grad(loss, weights)
    return torch.stack([(g**2).sum().sqrt() for g in grads]).detach()


@test_case(points=1, hidden=False)
def one_layer_by_hand(layer_grad_norms):
    import torch
    from torch import nn

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(layer_grad_norms=layer_grad_norms)
    dev = device()
    model = nn.Sequential(nn.Linear(1, 1)).to(dev)
    nn.init.constant_(model[0].weight, 2.0)
    nn.init.zeros_(model[0].bias)
    x = torch.tensor([[1.0], [2.0]], device=dev)
    y = torch.zeros(2, 1, device=dev)
    got = layer_grad_norms(model, x, y)
    # loss = mean((w x)^2), d loss / d w = mean(2 w x^2) = (4 * 1 + 4 * 4) / 2 = 10
    same_device_and_dtype(got, x, "layer_grad_norms(model, x, y)")
    assert got.shape == (1,), f"layer_grad_norms of a one-Linear model returned shape {tuple(got.shape)}, expected (1,)"
    assert abs(float(got[0]) - 10.0) < 1e-4, tidy(f"layer_grad_norms returned {got.tolist()}, expected [10.0]")


@test_case(points=2, hidden=True)
def agrees_with_autograd_on_random_nets(layer_grad_norms):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(layer_grad_norms=layer_grad_norms)
    dev = device()

    @prop(25)
    @given(
        st.lists(st.integers(1, 6), min_size=2, max_size=6).map(lambda s: s[:-1] + [1]),
        st.integers(1, 8),
        st.integers(0, 3),
        st.sampled_from([torch.float32, torch.float64]),
        st.integers(0, 2**31 - 1),
    )
    def check(sizes, n, which, dtype, seed):
        g = torch.Generator().manual_seed(seed)
        model = _random_sequential(sizes, which, g, dtype, dev)
        x = torch.randn(n, sizes[0], generator=g).to(device=dev, dtype=dtype)
        y = torch.randn(n, 1, generator=g).to(device=dev, dtype=dtype)
        expected = _expected_norms(model, x, y)
        got = layer_grad_norms(model, x, y)
        call = f"layer_grad_norms(model with layer sizes {sizes}, x of shape {tuple(x.shape)}, y)"
        same_device_and_dtype(got, x, call)
        assert got.shape == expected.shape, f"{call} has shape {tuple(got.shape)}, expected {tuple(expected.shape)}"
        tol = 1e-4 if dtype == torch.float32 else 1e-10
        assert torch.allclose(got, expected, rtol=tol, atol=tol), (
            f"{call} returned {got.tolist()}, expected {expected.tolist()} "
            "(Frobenius norms of d mean((f(x) - y)^2) / d W, one per nn.Linear, in forward order)"
        )

    run_property(check)


@test_case(points=2, hidden=True)
def ignores_left_over_gradients(layer_grad_norms):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(layer_grad_norms=layer_grad_norms)
    dev = device()

    @prop(15)
    @given(st.lists(st.integers(1, 5), min_size=3, max_size=5).map(lambda s: s[:-1] + [1]), st.integers(0, 2**31 - 1))
    def check(sizes, seed):
        g = torch.Generator().manual_seed(seed)
        model = _random_sequential(sizes, seed % 4, g, torch.float32, dev)
        x = torch.randn(6, sizes[0], generator=g).to(dev)
        y = torch.randn(6, 1, generator=g).to(dev)
        expected = _expected_norms(model, x, y)
        for p in model.parameters():
            p.grad = 100 * torch.randn(p.shape, generator=g).to(dev)
        first = layer_grad_norms(model, x, y)
        second = layer_grad_norms(model, x, y)
        for label, got in (("with garbage in .grad", first), ("on a second call", second)):
            assert isinstance(got, torch.Tensor) and torch.allclose(got, expected, rtol=1e-4, atol=1e-5), (
                f"layer_grad_norms {label} returned {got}, expected {expected.tolist()}: "
                "gradients left over in p.grad must not change the result (zero them or use torch.autograd.grad)"
            )

    run_property(check)


@test_case(points=1, hidden=True)
def accepts_y_of_shape_n(layer_grad_norms):
    import torch

    from dl541_testing import device, require, tidy

    require(layer_grad_norms=layer_grad_norms)
    dev = device()
    g = torch.Generator().manual_seed(3)
    model = _random_sequential([3, 4, 4, 1], 1, g, torch.float32, dev)
    x = torch.randn(7, 3, generator=g).to(dev)
    y = torch.randn(7, generator=g).to(dev)
    expected = _expected_norms(model, x, y[:, None])
    got = layer_grad_norms(model, x, y)
    assert isinstance(got, torch.Tensor) and torch.allclose(got, expected, rtol=1e-4, atol=1e-6), (
        tidy(f"layer_grad_norms(model, x, y) with y of shape (7,) returned {got}, expected {expected.tolist()}: "
        "a target of shape (n,) is compared with the output (n, 1) row by row, not broadcast to (n, n)")
    )


@test_case(points=1, hidden=True)
def rejects_bad_targets(layer_grad_norms):
    import torch
    from torch import nn

    from dl541_testing import require

    require(layer_grad_norms=layer_grad_norms)
    model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
    x = torch.randn(5, 3, generator=torch.Generator().manual_seed(0))
    for bad in (torch.zeros(4, 1), torch.zeros(6), torch.zeros(5, 2)):
        try:
            layer_grad_norms(model, x, bad)
        except ValueError:
            continue
        raise AssertionError(
            f"layer_grad_norms(model, x of shape (5, 3), y of shape {tuple(bad.shape)}) should raise ValueError"
        )
    try:
        layer_grad_norms(nn.Sequential(nn.Tanh()), torch.zeros(5, 1), torch.zeros(5, 1))
    except ValueError:
        return
    raise AssertionError("layer_grad_norms of a model without nn.Linear should raise ValueError")
