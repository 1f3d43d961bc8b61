from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


@test_case(points=0.5, hidden=False)
def output_shape(init_mlp, mlp_forward):
    """core: the shallow lecture net maps (7, 2) to (7, 1).

    mlp_forward(params, x, activation=torch.abs) maps x of shape (n, in) to (n, out)
    """
    import torch

    from dl541_testing import device, require

    require(init_mlp=init_mlp, mlp_forward=mlp_forward)
    dev = device()
    params = [(W.to(dev), b.to(dev)) for W, b in init_mlp((2, 20, 1), torch.Generator().manual_seed(0))]
    out = mlp_forward(params, torch.zeros(7, 2, device=dev))
    assert tuple(out.shape) == (7, 1), (
        f"mlp_forward(params of (2, 20, 1), x of shape (7, 2)) returned shape {tuple(out.shape)}, not (7, 1)"
    )


@test_case(points=1, hidden=False)
def hand_computed_example(mlp_forward):
    """core: a (1, 2, 1) abs net computed by hand.

    $h_0 = x$, $h_{\\ell+1} = \\sigma(h_\\ell W_\\ell^\\top + b_\\ell)$, with no activation after the
    last layer.

    The activation follows every hidden layer; the output layer is affine, with no activation.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(mlp_forward=mlp_forward)
    dev = device()
    # z1 = (x - 1, 1 - 2x); h1 = |z1|; f = h1[0] + h1[1] - 3.
    params = [
        (torch.tensor([[1.0], [-2.0]], device=dev), torch.tensor([-1.0, 1.0], device=dev)),
        (torch.tensor([[1.0, 1.0]], device=dev), torch.tensor([-3.0], device=dev)),
    ]
    x = torch.tensor([[0.0], [1.0], [2.0]], device=dev)
    expected = [[-1.0], [-2.0], [1.0]]
    got = mlp_forward(params, x)
    shown = got.tolist() if isinstance(got, torch.Tensor) else got
    assert isinstance(got, torch.Tensor) and shown == expected, tidy(
        "mlp_forward(W0 = [[1], [-2]], b0 = [-1, 1], W1 = [[1, 1]], b1 = [-3]; x = [[0], [1], [2]]) "
        f"returned {shown}; |x W0^T + b0| W1^T + b1 is {expected}"
    )


@test_case(points=1.5, hidden=True)
def agrees_with_layer_by_layer(mlp_forward):
    """core: on random nets with a hidden layer, the output equals the layer-by-layer formula.

    $h_0 = x$, $h_{\\ell+1} = \\sigma(h_\\ell W_\\ell^\\top + b_\\ell)$, with no activation after the
    last layer.

    The activation follows every hidden layer; the output layer is affine, with no activation.

    The output has the device and dtype of x
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, same_device_and_dtype, seeds

    require(mlp_forward=mlp_forward)
    dev = device()
    activations = [torch.abs, torch.tanh, torch.relu, lambda z: z]
    names = ["default (abs)", "tanh", "relu", "identity"]

    @for_all(st.lists(st.integers(1, 6), min_size=3, max_size=5), st.integers(1, 9), st.integers(0, 3), seeds(), examples=30)
    def check(sizes, n, which, seed):
        g = torch.Generator().manual_seed(seed)
        params = [
            (torch.randn(b, a, generator=g).to(dev), torch.randn(b, generator=g).to(dev))
            for a, b in zip(sizes[:-1], sizes[1:])
        ]
        x = torch.randn(n, sizes[0], generator=g).to(dev)
        act = activations[which]
        expected = x
        for k, (W, b) in enumerate(params):
            expected = expected @ W.T + b
            if k < len(params) - 1:
                expected = act(expected)
        got = mlp_forward(params, x, act) if which else mlp_forward(params, x)
        call = f"mlp_forward(random net of sizes {sizes}, x of shape {(n, sizes[0])}, activation {names[which]})"
        same_device_and_dtype(got, expected, f"the output of {call}")
        assert got.shape == expected.shape, f"{call} returned shape {tuple(got.shape)}, not {tuple(expected.shape)}"
        err = float((got - expected).abs().max())
        assert err < 1e-4 * (1 + float(expected.abs().max())), (
            f"{call} is off the layer-by-layer formula by up to {err}"
        )


@test_case(points=0.5, hidden=True)
def no_hidden_layer_is_affine(mlp_forward):
    """edge: a single layer is the affine map x W^T + b.

    With a single layer (no hidden layer) the network is the affine map $x W_0^\\top + b_0$.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(mlp_forward=mlp_forward)
    dev = device()
    W = torch.tensor([[1.0, -2.0], [0.5, 0.0]], device=dev)
    b = torch.tensor([-3.0, 1.0], device=dev)
    x = torch.tensor([[1.0, 1.0], [0.0, 2.0]], device=dev)
    expected = [[-4.0, 1.5], [-7.0, 1.0]]
    got = mlp_forward([(W, b)], x)
    shown = got.tolist() if isinstance(got, torch.Tensor) else got
    assert isinstance(got, torch.Tensor) and shown == expected, tidy(
        f"mlp_forward([(W = [[1, -2], [0.5, 0]], b = [-3, 1])], x = [[1, 1], [0, 2]]) returned {shown}; "
        f"x W^T + b is {expected}"
    )


@test_case(points=0.5, hidden=True)
def rejects_wrong_input_width(init_mlp, mlp_forward):
    """validation: x of the wrong width or rank raises ValueError.

    An x that is not of shape (n, in) raises ValueError.
    """
    import torch

    from dl541_testing import require

    require(init_mlp=init_mlp, mlp_forward=mlp_forward)
    params = init_mlp((3, 4, 1), torch.Generator().manual_seed(0))
    for bad in (torch.zeros(5, 2), torch.zeros(5, 4), torch.zeros(3)):
        try:
            mlp_forward(params, bad)
        except ValueError as exc:
            assert str(exc).strip(), f"mlp_forward(params of (3, 4, 1), x of shape {tuple(bad.shape)}) raised ValueError without a message"
            continue
        raise AssertionError(
            f"mlp_forward(params of (3, 4, 1), x of shape {tuple(bad.shape)}) returned instead of raising ValueError"
        )
