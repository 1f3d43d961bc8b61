from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
points = None


def _random_sequential(sizes, which, generator, dtype, dev, nest=False):
    """Linear layers of `sizes` with activations between them; `nest` wraps blocks in inner nn.Sequentials."""
    import torch
    from torch import nn

    acts = [nn.Tanh, nn.Sigmoid, nn.ReLU, nn.Identity]
    blocks = []
    for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layer = nn.Linear(a, b)
        layer.weight.data = torch.randn(b, a, generator=generator)
        layer.bias.data = torch.randn(b, generator=generator)
        block = [layer]
        if k < len(sizes) - 2:
            block.append(acts[(which + k) % len(acts)]())
        blocks.append(block)
    if nest:
        inner = [nn.Sequential(*block) if k % 2 == 0 else nn.Sequential(nn.Sequential(*block)) for k, block in
                 enumerate(blocks)]
        model = nn.Sequential(*inner)
    else:
        model = nn.Sequential(*[m for block in blocks for m in block])
    return model.to(device=dev, dtype=dtype)


def _expected_norms(model, x, y):
    """The Frobenius norms of d mean((f(x) - y)^2) / d W per nn.Linear, by an independent computation."""
    import torch
    from torch import nn

    weights = [m.weight for m in model.modules() if isinstance(m, nn.Linear)]
    loss = ((model(x) - y) ** 2).sum() / y.numel()
    grads = torch.autograd.grad(loss, weights)
    return torch.stack([(g**2).sum().sqrt() for g in grads]).detach()


def _two_scalar_layers(dev):
    """nn.Sequential(Linear(1, 1) with w = 3, Linear(1, 1) with w = 2), zero biases."""
    from torch import nn

    model = nn.Sequential(nn.Linear(1, 1), nn.Linear(1, 1)).to(dev)
    nn.init.constant_(model[0].weight, 3.0)
    nn.init.constant_(model[1].weight, 2.0)
    nn.init.zeros_(model[0].bias)
    nn.init.zeros_(model[1].bias)
    return model


@test_case(points=1, hidden=False)
def one_layer_by_hand(layer_grad_norms):
    """core: one Linear(1, 1) with w = 2 on x = [1, 2], y = 0 has gradient norm 10.

    the Frobenius norm of d(MSE loss)/d(weight) of each nn.Linear in forward order

    of the mean squared error
    """
    import torch
    from torch import nn

    from dl541_testing import device, require, tidy

    require(layer_grad_norms=layer_grad_norms)
    dev = device()
    model = nn.Sequential(nn.Linear(1, 1)).to(dev)
    nn.init.constant_(model[0].weight, 2.0)
    nn.init.zeros_(model[0].bias)
    x = torch.tensor([[1.0], [2.0]], device=dev)
    y = torch.zeros(2, 1, device=dev)
    got = layer_grad_norms(model, x, y)
    # loss = mean((w x)^2), d loss / d w = mean(2 w x^2) = (4 * 1 + 4 * 4) / 2 = 10
    call = "layer_grad_norms(Linear(1, 1) with w = 2 and b = 0, x = [[1], [2]], y = [[0], [0]])"
    assert isinstance(got, torch.Tensor) and got.shape == (1,), (
        f"{call} returned {got!r}, expected a tensor of shape (1,): one norm per nn.Linear."
    )
    assert abs(float(got[0]) - 10.0) < 1e-4, tidy(
        f"{call} returned {got.tolist()}, expected [10.0] = |mean(2 w x^2)|, the gradient of the mean squared error."
    )


@test_case(points=1.5, hidden=False)
def two_layers_in_forward_order(layer_grad_norms):
    """core: Linear(1, 1) w = 3 then Linear(1, 1) w = 2 at x = 1, y = 0 gives [24, 36].

    for each `nn.Linear` of `model` in forward order, the Frobenius norm
    """
    import torch

    from dl541_testing import device, require, tidy

    require(layer_grad_norms=layer_grad_norms)
    dev = device()
    model = _two_scalar_layers(dev)
    x = torch.tensor([[1.0]], device=dev)
    y = torch.zeros(1, 1, device=dev)
    # f = 2 * 3 * x = 6, loss = 36, d loss / d f = 12: d / d w1 = 12 * 2 = 24, d / d w2 = 12 * 3 = 36
    got = layer_grad_norms(model, x, y)
    call = "layer_grad_norms(Linear(1, 1) with w = 3 then Linear(1, 1) with w = 2, zero biases, x = [[1]], y = [[0]])"
    assert isinstance(got, torch.Tensor) and got.shape == (2,), (
        f"{call} returned {got!r}, expected a tensor of shape (2,): one norm per nn.Linear."
    )
    assert torch.allclose(got.double().cpu(), torch.tensor([24.0, 36.0], dtype=torch.float64), atol=1e-4), tidy(
        f"{call} returned {got.tolist()}, expected [24.0, 36.0]: the first layer's norm first."
    )


@test_case(points=1, hidden=False)
def left_over_gradients_do_not_count(layer_grad_norms):
    """contract: with 100 in every p.grad, and on a second call, the norms stay [24, 36].

    The result must not depend on gradients left over in `p.grad` from earlier `backward()` calls

    two calls on the same model and data return the same norms, whatever is left in `p.grad`.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(layer_grad_norms=layer_grad_norms)
    dev = device()
    model = _two_scalar_layers(dev)
    for p in model.parameters():
        p.grad = torch.full_like(p, 100.0)
    x = torch.tensor([[1.0]], device=dev)
    y = torch.zeros(1, 1, device=dev)
    call = "layer_grad_norms(Linear(1, 1) with w = 3 then Linear(1, 1) with w = 2, x = [[1]], y = [[0]])"
    expected = torch.tensor([24.0, 36.0], dtype=torch.float64)
    for when in ("with 100 in every p.grad", "called a second time"):
        got = layer_grad_norms(model, x, y)
        assert isinstance(got, torch.Tensor) and got.shape == (2,) and torch.allclose(
            got.double().cpu(), expected, atol=1e-4
        ), tidy(f"{call} {when} returned {got}, expected [24.0, 36.0]: left-over gradients must not change the norms.")


@test_case(points=0.5, hidden=False)
def target_of_shape_n(layer_grad_norms):
    """edge: y of shape (2,) is compared row by row: gradient norm 9, not 8.5.

    `y` has the output's shape `(n, 1)` or the shape `(n,)`; in the second case compare row by
    row (`y.reshape(n, 1)`), never broadcast `(n, 1)` against `(n,)` to an `(n, n)` matrix.
    """
    import torch
    from torch import nn

    from dl541_testing import device, require, tidy

    require(layer_grad_norms=layer_grad_norms)
    dev = device()
    model = nn.Sequential(nn.Linear(1, 1)).to(dev)
    nn.init.constant_(model[0].weight, 2.0)
    nn.init.zeros_(model[0].bias)
    x = torch.tensor([[1.0], [2.0]], device=dev)
    y = torch.tensor([1.0, 0.0], device=dev)
    # residuals [2 - 1, 4 - 0] = [1, 4]; d loss / d w = mean(2 r x) = (2 + 16) / 2 = 9
    got = layer_grad_norms(model, x, y)
    call = "layer_grad_norms(Linear(1, 1) with w = 2 and b = 0, x = [[1], [2]], y = [1, 0] of shape (2,))"
    assert isinstance(got, torch.Tensor) and got.shape == (1,) and abs(float(got[0]) - 9.0) < 1e-4, tidy(
        f"{call} returned {got}, expected [9.0]: the rows of y pair with the rows of the output."
    )


@test_case(points=6, hidden=True)
def agrees_with_autograd_on_random_nets(layer_grad_norms):
    """core: on random nets with hidden layers, each call returns the autograd norms.

    for each `nn.Linear` of `model` in forward order, the Frobenius norm

    of the mean squared error

    two calls on the same model and data return the same norms, whatever is left in `p.grad`.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(layer_grad_norms=layer_grad_norms)
    dev = device()

    @for_all(st.lists(st.integers(1, 6), min_size=3, max_size=6).map(lambda s: s[:-1] + [1]), st.integers(1, 8),
             st.integers(0, 3), seeds(), examples=25)
    def check(sizes, n, which, seed):
        g = torch.Generator().manual_seed(seed)
        model = _random_sequential(sizes, which, g, torch.float32, dev)
        x = torch.randn(n, sizes[0], generator=g).to(dev)
        y = torch.randn(n, 1, generator=g).to(dev)
        expected = _expected_norms(model, x, y).double().cpu()
        call = f"layer_grad_norms(model with layer sizes {sizes}, x of shape {tuple(x.shape)}, y of shape ({n}, 1))"
        for when in ("", " called a second time"):
            got = layer_grad_norms(model, x, y)
            assert isinstance(got, torch.Tensor) and got.shape == expected.shape, (
                f"{call}{when} returned {got!r}, expected a tensor of shape {tuple(expected.shape)}."
            )
            assert torch.allclose(got.detach().double().cpu(), expected, rtol=1e-4, atol=1e-5), (
                f"{call}{when} returned {got.tolist()}, expected {expected.tolist()}: the Frobenius norms of "
                "d mean((f(x) - y)^2) / d W, one per nn.Linear, in forward order."
            )


@test_case(points=1.5, hidden=True)
def ignores_left_over_gradients(layer_grad_norms):
    """contract: random garbage in p.grad does not change the norms.

    The result must not depend on gradients left over in `p.grad` from earlier `backward()` calls
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(layer_grad_norms=layer_grad_norms)
    dev = device()

    @for_all(st.lists(st.integers(1, 5), min_size=3, max_size=5).map(lambda s: s[:-1] + [1]), seeds(), examples=15)
    def check(sizes, seed):
        g = torch.Generator().manual_seed(seed)
        model = _random_sequential(sizes, seed % 4, g, torch.float32, dev)
        x = torch.randn(6, sizes[0], generator=g).to(dev)
        y = torch.randn(6, 1, generator=g).to(dev)
        expected = _expected_norms(model, x, y).double().cpu()
        for p in model.parameters():
            p.grad = 100 * torch.randn(p.shape, generator=g).to(dev)
        got = layer_grad_norms(model, x, y)
        call = f"layer_grad_norms(model with layer sizes {sizes} and random values up to 100s in every p.grad, x, y)"
        assert isinstance(got, torch.Tensor) and got.shape == expected.shape and torch.allclose(
            got.detach().double().cpu(), expected, rtol=1e-4, atol=1e-5
        ), f"{call} returned {got}, expected {expected.tolist()}: left-over gradients must not change the norms."


@test_case(points=2.5, hidden=True)
def nested_containers(layer_grad_norms):
    """core: every nn.Linear inside nested nn.Sequentials counts, in forward order.

    `model` may nest containers (an `nn.Sequential` inside an `nn.Sequential`): every `nn.Linear`
    inside it counts, in forward order.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(layer_grad_norms=layer_grad_norms)
    dev = device()

    @for_all(st.lists(st.integers(1, 5), min_size=3, max_size=5).map(lambda s: s[:-1] + [1]), seeds(), examples=10)
    def check(sizes, seed):
        g = torch.Generator().manual_seed(seed)
        model = _random_sequential(sizes, seed % 4, g, torch.float32, dev, nest=True)
        x = torch.randn(5, sizes[0], generator=g).to(dev)
        y = torch.randn(5, 1, generator=g).to(dev)
        expected = _expected_norms(model, x, y).double().cpu()
        got = layer_grad_norms(model, x, y)
        call = f"layer_grad_norms(nested nn.Sequentials with layer sizes {sizes}, x, y)"
        assert isinstance(got, torch.Tensor) and got.shape == expected.shape and torch.allclose(
            got.detach().double().cpu(), expected, rtol=1e-4, atol=1e-5
        ), f"{call} returned {got}, expected {expected.tolist()}: one norm per nn.Linear at any depth of nesting."


@test_case(points=0.5, hidden=True)
def accepts_y_of_shape_n(layer_grad_norms):
    """edge: a target of shape (n,) gives the norms of the target reshaped to (n, 1).

    `y` has the output's shape `(n, 1)` or the shape `(n,)`; in the second case compare row by
    row (`y.reshape(n, 1)`), never broadcast `(n, 1)` against `(n,)` to an `(n, n)` matrix.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(layer_grad_norms=layer_grad_norms)
    dev = device()
    g = torch.Generator().manual_seed(3)
    model = _random_sequential([3, 4, 4, 1], 1, g, torch.float32, dev)
    x = torch.randn(7, 3, generator=g).to(dev)
    y = torch.randn(7, generator=g).to(dev)
    expected = _expected_norms(model, x, y[:, None]).cpu()
    got = layer_grad_norms(model, x, y)
    assert isinstance(got, torch.Tensor) and torch.allclose(got.detach().cpu(), expected, rtol=1e-4, atol=1e-6), tidy(
        f"layer_grad_norms(model with layer sizes [3, 4, 4, 1], x of shape (7, 3), y of shape (7,)) returned {got}, "
        f"expected {expected.tolist()}: the rows of y pair with the rows of the output."
    )


@test_case(points=1, hidden=True)
def rejects_bad_targets(layer_grad_norms):
    """validation: a y of another shape, or a model without nn.Linear, raises ValueError.

    Any other shape of `y`, or a model without an `nn.Linear`, raises `ValueError`.
    """
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
            f"layer_grad_norms(model, x of shape (5, 3), y of shape {tuple(bad.shape)}) returned without raising, "
            "expected ValueError."
        )
    try:
        layer_grad_norms(nn.Sequential(nn.Tanh()), torch.zeros(5, 1), torch.zeros(5, 1))
    except ValueError:
        return
    raise AssertionError("layer_grad_norms(nn.Sequential(nn.Tanh()), x, y) returned without raising, expected ValueError.")


@test_case(points=0.5, hidden=True)
def keeps_dtype_and_device(layer_grad_norms):
    """dtype: float64 nets give float64 norms to float64 precision, on x's device.

    Return it on `x`'s device in `x`'s dtype.
    """
    import torch

    from dl541_testing import device, require, same_device_and_dtype

    require(layer_grad_norms=layer_grad_norms)
    dev = device()
    for dtype in (torch.float32, torch.float64):
        g = torch.Generator().manual_seed(5)
        model = _random_sequential([3, 4, 2, 1], 2, g, dtype, dev)
        x = torch.randn(6, 3, generator=g).to(device=dev, dtype=dtype)
        y = torch.randn(6, 1, generator=g).to(device=dev, dtype=dtype)
        expected = _expected_norms(model, x, y)
        got = layer_grad_norms(model, x, y)
        call = f"layer_grad_norms(model with layer sizes [3, 4, 2, 1], x and y of dtype {dtype})"
        same_device_and_dtype(got, x, call)
        tol = 1e-4 if dtype == torch.float32 else 1e-10
        assert torch.allclose(got, expected, rtol=tol, atol=tol), (
            f"{call} returned {got.tolist()}, expected {expected.tolist()} to a relative {tol:g}."
        )
