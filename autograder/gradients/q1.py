from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


@test_case(points=1, hidden=False)
def lecture_architecture(make_deep_mlp):
    import torch
    from torch import nn

    from dl541_testing import require, tidy

    require(make_deep_mlp=make_deep_mlp)
    model = make_deep_mlp(3, 8, "tanh", 1.0, generator=torch.Generator().manual_seed(0))
    assert isinstance(model, nn.Sequential), f"make_deep_mlp returned {type(model)}, expected nn.Sequential"
    kinds = [type(m).__name__ for m in model]
    expected = ["Linear", "Tanh", "Linear", "Tanh", "Linear", "Tanh", "Linear"]
    assert kinds == expected, tidy(f"make_deep_mlp(3, 8, 'tanh', 1.0) has modules {kinds}, expected {expected}")
    shapes = [tuple(m.weight.shape) for m in model if isinstance(m, nn.Linear)]
    assert shapes == [(8, 8), (8, 8), (8, 8), (1, 8)], f"weight shapes {shapes}, expected 3 x (8, 8) then (1, 8)"


@test_case(points=1, hidden=True)
def architecture_for_every_activation(make_deep_mlp):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import prop, require, run_property

    require(make_deep_mlp=make_deep_mlp)
    reference = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "linear": lambda z: z}

    @prop(25)
    @given(
        st.integers(1, 6),
        st.integers(1, 9),
        st.sampled_from(sorted(reference)),
        st.floats(0.1, 3.0),
        st.integers(0, 2**31 - 1),
    )
    def check(depth, width, activation, init_scale, seed):
        call = f"make_deep_mlp({depth}, {width}, {activation!r}, {init_scale:g})"
        model = make_deep_mlp(depth, width, activation, init_scale, generator=torch.Generator().manual_seed(seed))
        assert isinstance(model, nn.Sequential), f"{call} returned {type(model)}, expected nn.Sequential"
        assert len(model) == 2 * depth + 1, f"{call} has {len(model)} modules, expected {2 * depth + 1}"
        z = torch.linspace(-3, 3, 13)
        for k in range(depth):
            layer, act = model[2 * k], model[2 * k + 1]
            assert isinstance(layer, nn.Linear), f"{call}: module {2 * k} is {type(layer).__name__}, not Linear"
            assert (layer.in_features, layer.out_features) == (width, width), (
                f"{call}: layer {k} is Linear({layer.in_features}, {layer.out_features}), "
                f"expected Linear({width}, {width})"
            )
            assert layer.bias is not None, f"{call}: layer {k} has no bias"
            got = act(z)
            assert torch.allclose(got, reference[activation](z)), (
                f"{call}: module {2 * k + 1} ({type(act).__name__}) is not the {activation} activation"
            )
        last = model[-1]
        assert isinstance(last, nn.Linear) and (last.in_features, last.out_features) == (width, 1), (
            f"{call}: the last module is {last}, expected Linear({width}, 1)"
        )
        for m in model:
            for p in m.parameters():
                assert p.dtype == torch.float32, f"{call}: a parameter has dtype {p.dtype}, expected float32"
                assert p.requires_grad, f"{call}: every parameter must require a gradient"
            if isinstance(m, nn.Linear):
                assert torch.count_nonzero(m.bias) == 0, f"{call}: biases must be 0, got {m.bias.tolist()}"

    run_property(check)


@test_case(points=2, hidden=True)
def weights_have_variance_scale_squared_over_width(make_deep_mlp):
    import math

    import torch
    from torch import nn

    from dl541_testing import require, tidy

    require(make_deep_mlp=make_deep_mlp)
    for width, scale, activation in [(150, 0.5, "relu"), (120, 2.0, "tanh"), (100, 1.0, "linear")]:
        call = f"make_deep_mlp(3, {width}, {activation!r}, {scale})"
        expected_std = scale / math.sqrt(width)
        last_layers = []
        for seed in range(40):
            model = make_deep_mlp(3, width, activation, scale, generator=torch.Generator().manual_seed(seed))
            linears = [m for m in model if isinstance(m, nn.Linear)]
            if seed == 0:
                for k, layer in enumerate(linears[:-1]):
                    w = layer.weight.detach().double()
                    std, mean = float(w.std()), float(w.mean())
                    assert abs(std / expected_std - 1) < 0.03, (
                        f"{call}: hidden layer {k} weights have std {std:.5f}, expected "
                        f"init_scale / sqrt(width) = {expected_std:.5f}"
                    )
                    assert abs(mean) < 4 * expected_std / width, tidy(f"{call}: layer {k} weights have mean {mean:.5f}")
                    kurtosis = float(((w - w.mean()) ** 4).mean() / w.var(unbiased=False) ** 2)
                    assert abs(kurtosis - 3) < 0.3, (
                        f"{call}: layer {k} weights have kurtosis {kurtosis:.2f}; normal entries have 3"
                    )
            last_layers.append(linears[-1].weight.detach().double().flatten())
        w = torch.cat(last_layers)
        std = float(w.std())
        assert abs(std / expected_std - 1) < 0.05, (
            f"{call}: the output layer Linear({width}, 1) has weight std {std:.5f}, expected "
            f"init_scale / sqrt(width) = {expected_std:.5f} (its fan-in is width too)"
        )


@test_case(points=1, hidden=True)
def uses_the_generator(make_deep_mlp):
    import torch

    from dl541_testing import require

    require(make_deep_mlp=make_deep_mlp)
    torch.manual_seed(1)
    a = make_deep_mlp(2, 5, "relu", 1.0, generator=torch.Generator().manual_seed(7))
    torch.manual_seed(2)
    b = make_deep_mlp(2, 5, "relu", 1.0, generator=torch.Generator().manual_seed(7))
    c = make_deep_mlp(2, 5, "relu", 1.0, generator=torch.Generator().manual_seed(8))
    for (name, p), q in zip(a.named_parameters(), b.parameters()):
        assert torch.equal(p, q), (
            f"two calls with the same generator seed gave different {name} (the global seed differed): "
            "draw the weights from the generator argument"
        )
    assert not torch.equal(a[0].weight, c[0].weight), "generator seeds 7 and 8 gave the same first weight"


@test_case(points=1, hidden=True)
def rejects_bad_arguments(make_deep_mlp):
    from dl541_testing import require

    require(make_deep_mlp=make_deep_mlp)
    for args in [(2, 4, "swish", 1.0), (2, 4, "softmax", 1.0), (-1, 4, "relu", 1.0), (2, 0, "relu", 1.0),
                 (2, 4, "relu", -1.0)]:
        try:
            make_deep_mlp(*args)
        except ValueError:
            continue
        raise AssertionError(f"make_deep_mlp{args} should raise ValueError")


@test_case(points=1, hidden=True)
def depth_zero_and_scale_zero_are_allowed(make_deep_mlp):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import prop, require, run_property

    require(make_deep_mlp=make_deep_mlp)

    @prop(10)
    @given(st.integers(1, 6), st.sampled_from(["sigmoid", "tanh", "relu", "linear"]), st.integers(0, 3),
           st.integers(0, 2**31 - 1))
    def check(width, activation, depth, seed):
        call = f"make_deep_mlp(0, {width}, {activation!r}, 1.0)"
        model = make_deep_mlp(0, width, activation, 1.0, generator=torch.Generator().manual_seed(seed))
        kinds = [type(m).__name__ for m in model] if isinstance(model, nn.Sequential) else model
        assert kinds == ["Linear"] and model[0].weight.shape == (1, width), (
            f"{call} gave {kinds}, expected nn.Sequential(Linear({width}, 1)): depth 0 is the output layer alone"
        )
        assert torch.count_nonzero(model[0].weight) > 0, f"{call}: the output layer's weights are all 0"
        call = f"make_deep_mlp({depth}, {width}, {activation!r}, 0.0)"
        model = make_deep_mlp(depth, width, activation, 0.0, generator=torch.Generator().manual_seed(seed))
        assert isinstance(model, nn.Sequential) and len(model) == 2 * depth + 1, (
            f"{call} returned {model}, expected {2 * depth + 1} modules"
        )
        for p in model.parameters():
            assert torch.count_nonzero(p) == 0, f"{call}: init_scale 0 must give all-zero weights, got {p.tolist()}"

    run_property(check)

