from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


@test_case(points=1, hidden=False)
def output_shape(init_mlp, mlp_forward):
    import torch

    from dl541_testing import device, require

    require(init_mlp=init_mlp, mlp_forward=mlp_forward)
    dev = device()
    params = [(W.to(dev), b.to(dev)) for W, b in init_mlp((2, 20, 1), torch.Generator().manual_seed(0))]
    out = mlp_forward(params, torch.zeros(7, 2, device=dev))
    assert tuple(out.shape) == (7, 1), f"output shape {tuple(out.shape)}, expected (7, 1)"


@test_case(points=1, hidden=True)
def agrees_with_layer_by_layer(init_mlp, mlp_forward):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(init_mlp=init_mlp, mlp_forward=mlp_forward)
    dev = device()
    activations = [torch.abs, torch.tanh, torch.relu, lambda z: z]

    @prop(30)
    @given(
        st.lists(st.integers(1, 6), min_size=2, max_size=5),
        st.integers(1, 9),
        st.integers(0, 3),
        st.integers(0, 2**31 - 1),
    )
    def check(sizes, n, which, seed):
        g = torch.Generator().manual_seed(seed)
        params = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            params.append((torch.randn(b, a, generator=g).to(dev), torch.randn(b, generator=g).to(dev)))
        x = torch.randn(n, sizes[0], generator=g).to(dev)
        act = activations[which]
        expected = x
        for k, (W, b) in enumerate(params):
            expected = expected @ W.T + b
            if k < len(params) - 1:
                expected = act(expected)
        got = mlp_forward(params, x, act) if which else mlp_forward(params, x)
        same_device_and_dtype(got, expected, "mlp_forward's output")
        assert got.shape == expected.shape, f"shape {tuple(got.shape)}, expected {tuple(expected.shape)}"
        err = float((got - expected).abs().max())
        assert err < 1e-4 * (1 + float(expected.abs().max())), f"max error {err} for sizes {sizes}"

    run_property(check)


@test_case(points=1, hidden=True)
def homogeneous_and_even_without_bias(mlp_forward):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(mlp_forward=mlp_forward)
    dev = device()

    @prop(30)
    @given(
        st.lists(st.integers(1, 6), min_size=3, max_size=5),
        st.floats(0.1, 10.0),
        st.integers(0, 2**31 - 1),
    )
    def check(sizes, c, seed):
        g = torch.Generator().manual_seed(seed)
        params = [
            (
                torch.randn(b, a, generator=g, dtype=torch.float64).to(dev),
                torch.zeros(b, dtype=torch.float64, device=dev),
            )
            for a, b in zip(sizes[:-1], sizes[1:])
        ]
        x = torch.randn(5, sizes[0], generator=g, dtype=torch.float64).to(dev)
        fx = mlp_forward(params, x)
        scale = 1e-9 * (1 + float(fx.abs().max()))
        assert torch.allclose(mlp_forward(params, c * x), c * fx, atol=c * scale, rtol=1e-9), (
            f"a bias-free abs net is positively homogeneous: f({c:g} x) should equal {c:g} f(x)"
        )
        assert torch.allclose(mlp_forward(params, -x), fx, atol=scale, rtol=1e-9), (
            "a bias-free abs net is even: f(-x) should equal f(x)"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_wrong_input_width(init_mlp, mlp_forward):
    import torch

    from dl541_testing import require

    require(init_mlp=init_mlp, mlp_forward=mlp_forward)
    params = init_mlp((3, 4, 1), torch.Generator().manual_seed(0))
    for bad in (torch.zeros(5, 2), torch.zeros(5, 4), torch.zeros(3)):
        try:
            mlp_forward(params, bad)
        except ValueError as exc:
            assert str(exc).strip(), "mlp_forward raised ValueError without a message"
            continue
        raise AssertionError(f"mlp_forward should raise ValueError for x of shape {tuple(bad.shape)}")
