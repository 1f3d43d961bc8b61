from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


@test_case(points=1, hidden=False)
def lecture_architecture(make_deep_mlp):
    """core: make_deep_mlp(3, 8, tanh, 1.0) has the handout's modules, shapes and biases.

    depth blocks of Linear(width, width) then the activation

    followed by `Linear(width, 1)`

    every bias is 0

    Every weight, the output layer's included, is drawn i.i.d. from
    """
    import torch
    from torch import nn

    from dl541_testing import require

    require(make_deep_mlp=make_deep_mlp)
    call = "make_deep_mlp(3, 8, 'tanh', 1.0)"
    model = make_deep_mlp(3, 8, "tanh", 1.0, generator=torch.Generator().manual_seed(0))
    assert isinstance(model, nn.Sequential), f"{call} returned a {type(model).__name__}, expected an nn.Sequential."
    kinds = [type(m).__name__ for m in model]
    expected = ["Linear", "Tanh", "Linear", "Tanh", "Linear", "Tanh", "Linear"]
    assert kinds == expected, f"{call} has the modules {kinds}, expected {expected}."
    shapes = [tuple(m.weight.shape) for m in model if isinstance(m, nn.Linear)]
    assert shapes == [(8, 8), (8, 8), (8, 8), (1, 8)], (
        f"{call} has weight shapes {shapes}, expected [(8, 8), (8, 8), (8, 8), (1, 8)]."
    )
    for k, m in enumerate(model):
        if isinstance(m, nn.Linear):
            assert m.bias is not None and torch.count_nonzero(m.bias) == 0, (
                f"{call}: module {k} has bias {None if m.bias is None else m.bias.tolist()}, expected all 0."
            )
            assert torch.count_nonzero(m.weight) > 0, f"{call}: module {k} has all weights 0, expected N(0, 1 / 8) draws."
    hidden = [model[0], model[2], model[4]]
    assert len({id(m) for m in hidden}) == 3 and not torch.equal(hidden[0].weight, hidden[1].weight), (
        f"{call}: modules 0, 2 and 4 are not three separate nn.Linear layers with their own weights; "
        "every weight is an independent draw."
    )


@test_case(points=1, hidden=False)
def wide_layer_statistics(make_deep_mlp):
    """core: in make_deep_mlp(1, 400, relu, 2.0) every weight has std 2 / sqrt(400) = 0.1.

    every weight ~ N(0, init_scale**2 / width)

    Every weight, the output layer's included, is drawn i.i.d. from

    The output layer's fan-in is `width` too, so its weights have the same standard deviation
    """
    import torch
    from torch import nn

    from dl541_testing import require, tidy

    require(make_deep_mlp=make_deep_mlp)
    call = "make_deep_mlp(1, 400, 'relu', 2.0)"
    model = make_deep_mlp(1, 400, "relu", 2.0, generator=torch.Generator().manual_seed(0))
    linears = [m for m in model if isinstance(m, nn.Linear)] if isinstance(model, nn.Sequential) else []
    assert len(linears) == 2, f"{call} has {len(linears)} nn.Linear modules, expected 2."
    hidden_std = float(linears[0].weight.detach().double().std())
    assert abs(hidden_std / 0.1 - 1) < 0.05, tidy(
        f"{call}: the weights of Linear(400, 400) have std {hidden_std}, expected 2 / sqrt(400) = 0.1."
    )
    out_std = float(linears[1].weight.detach().double().std())
    assert abs(out_std / 0.1 - 1) < 0.25, tidy(
        f"{call}: the weights of the output layer Linear(400, 1) have std {out_std}, expected 2 / sqrt(400) = 0.1."
    )


@test_case(points=1, hidden=False)
def same_generator_same_weights(make_deep_mlp):
    """contract: generators of one seed give the same weights whatever the global seed.

    Draw every weight from the `generator` argument: two calls with generators of the same seed
    return the same weights, whatever the global seed.
    """
    import torch

    from dl541_testing import require

    require(make_deep_mlp=make_deep_mlp)
    call = "make_deep_mlp(2, 5, 'relu', 1.0, generator=torch.Generator().manual_seed(7))"
    torch.manual_seed(1)
    a = make_deep_mlp(2, 5, "relu", 1.0, generator=torch.Generator().manual_seed(7))
    torch.manual_seed(2)
    b = make_deep_mlp(2, 5, "relu", 1.0, generator=torch.Generator().manual_seed(7))
    for (name, p), q in zip(a.named_parameters(), b.parameters()):
        assert torch.equal(p, q), (
            f"{call} after torch.manual_seed(1) and again after torch.manual_seed(2) gave two different {name}; "
            "the same generator seed must give the same weights."
        )
    c = make_deep_mlp(2, 5, "relu", 1.0, generator=torch.Generator().manual_seed(8))
    assert not torch.equal(a[0].weight, c[0].weight), (
        "make_deep_mlp(2, 5, 'relu', 1.0) with generator seeds 7 and 8 gave the same first weight matrix; "
        "the weights must be drawn from the generator."
    )


@test_case(points=4, hidden=True)
def architecture_for_every_activation(make_deep_mlp):
    """core: depth >= 1 blocks Linear then activation, then Linear(width, 1), zero biases, scaled weights.

    depth blocks of Linear(width, width) then the activation

    (`nn.Sigmoid()`, `nn.Tanh()`, `nn.ReLU()`, `nn.Identity()`)

    so every model has `2 * depth + 1` modules

    every bias is 0. Parameters are `float32`.

    every weight ~ N(0, init_scale**2 / width)

    The output layer's fan-in is `width` too, so its weights have the same standard deviation

    Every weight, the output layer's included, is drawn i.i.d. from
    """
    import math

    import torch
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import for_all, require, seeds, tidy

    require(make_deep_mlp=make_deep_mlp)
    reference = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "linear": lambda z: z}

    @for_all(st.integers(1, 4), st.integers(16, 40), st.sampled_from(sorted(reference)), st.floats(0.1, 3.0),
             seeds(), examples=25)
    def check(depth, width, activation, init_scale, seed):
        call = f"make_deep_mlp({depth}, {width}, {activation!r}, {init_scale:g})"
        model = make_deep_mlp(depth, width, activation, init_scale, generator=torch.Generator().manual_seed(seed))
        assert isinstance(model, nn.Sequential), f"{call} returned a {type(model).__name__}, expected an nn.Sequential."
        assert len(model) == 2 * depth + 1, f"{call} has {len(model)} modules, expected 2 * depth + 1 = {2 * depth + 1}."
        z = torch.linspace(-3, 3, 13)
        for k in range(depth):
            layer, act = model[2 * k], model[2 * k + 1]
            assert isinstance(layer, nn.Linear) and (layer.in_features, layer.out_features) == (width, width), (
                f"{call}: module {2 * k} is {layer}, expected Linear({width}, {width})."
            )
            got = act(z)
            assert isinstance(got, torch.Tensor) and torch.allclose(got, reference[activation](z)), (
                f"{call}: module {2 * k + 1} ({type(act).__name__}) maps -3..3 to a different curve than {activation}."
            )
        last = model[-1]
        assert isinstance(last, nn.Linear) and (last.in_features, last.out_features) == (width, 1), (
            f"{call}: the last module is {last}, expected Linear({width}, 1)."
        )
        for k, m in enumerate(model):
            for p in m.parameters():
                assert p.dtype == torch.float32, f"{call}: a parameter of module {k} has dtype {p.dtype}, expected float32."
                assert p.requires_grad, f"{call}: a parameter of module {k} does not require a gradient."
            if isinstance(m, nn.Linear):
                assert m.bias is not None and torch.count_nonzero(m.bias) == 0, (
                    f"{call}: module {k} has bias {None if m.bias is None else m.bias.tolist()}, expected all 0."
                )
        linears = [model[2 * k] for k in range(depth + 1)]
        assert len({id(m) for m in linears}) == depth + 1, (
            f"{call}: one nn.Linear object appears at several places; every weight is an independent draw."
        )
        # Loose bounds, far outside the sampling error of the std of depth * width**2 (or width) normal draws.
        expected_std = init_scale / math.sqrt(width)
        hidden = torch.cat([model[2 * k].weight.detach().double().flatten() for k in range(depth)])
        hidden_std = float(hidden.std())
        assert abs(hidden_std / expected_std - 1) < 0.25, tidy(
            f"{call}: the hidden weights have std {hidden_std}, expected init_scale / sqrt(width) = {expected_std}."
        )
        out_std = float(last.weight.detach().double().std())
        assert expected_std / 2.5 < out_std < 2.5 * expected_std, tidy(
            f"{call}: the output layer's weights have std {out_std}, expected init_scale / sqrt(width) = {expected_std}."
        )


@test_case(points=3, hidden=True)
def weights_are_normal_with_variance_scale_squared_over_width(make_deep_mlp):
    """core: every weight, the output layer's too, is N(0, init_scale**2 / width).

    every weight ~ N(0, init_scale**2 / width)

    Every weight, the output layer's included, is drawn i.i.d. from

    The output layer's fan-in is `width` too, so its weights have the same standard deviation
    """
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
            assert len(linears) == 4, f"{call} has {len(linears)} nn.Linear modules, expected 4."
            if seed == 0:
                for k, layer in enumerate(linears[:-1]):
                    w = layer.weight.detach().double()
                    std, mean = float(w.std()), float(w.mean())
                    assert abs(std / expected_std - 1) < 0.03, tidy(
                        f"{call}: the weights of hidden layer {k} have std {std}, expected "
                        f"init_scale / sqrt(width) = {expected_std}."
                    )
                    assert abs(mean) < 4 * expected_std / width, tidy(
                        f"{call}: the weights of hidden layer {k} have mean {mean}, expected 0."
                    )
                    kurtosis = float(((w - w.mean()) ** 4).mean() / w.var(unbiased=False) ** 2)
                    assert abs(kurtosis - 3) < 0.3, tidy(
                        f"{call}: the weights of hidden layer {k} have kurtosis {kurtosis}, expected 3 (normal draws)."
                    )
            last_layers.append(linears[-1].weight.detach().double().flatten())
        w = torch.cat(last_layers)
        std = float(w.std())
        assert abs(std / expected_std - 1) < 0.05, tidy(
            f"{call}, 40 seeds: the weights of the output layer Linear({width}, 1) have std {std}, expected "
            f"init_scale / sqrt(width) = {expected_std}."
        )


@test_case(points=1.5, hidden=True)
def uses_the_generator(make_deep_mlp):
    """contract: the weights come from the generator argument and from it alone.

    Draw every weight from the `generator` argument: two calls with generators of the same seed
    return the same weights, whatever the global seed.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(make_deep_mlp=make_deep_mlp)

    @for_all(st.integers(1, 3), st.integers(2, 6), st.sampled_from(["sigmoid", "tanh", "relu", "linear"]), seeds(),
             examples=10)
    def check(depth, width, activation, seed):
        call = f"make_deep_mlp({depth}, {width}, {activation!r}, 1.0, generator seeded {seed})"
        torch.manual_seed(seed + 1)
        a = make_deep_mlp(depth, width, activation, 1.0, generator=torch.Generator().manual_seed(seed))
        torch.manual_seed(seed + 2)
        b = make_deep_mlp(depth, width, activation, 1.0, generator=torch.Generator().manual_seed(seed))
        for (name, p), q in zip(a.named_parameters(), b.parameters()):
            assert torch.equal(p, q), (
                f"{call}, called twice under two global seeds, gave two different {name}; "
                "the same generator seed must give the same weights."
            )
        c = make_deep_mlp(depth, width, activation, 1.0, generator=torch.Generator().manual_seed(seed + 1))
        assert not torch.equal(a[0].weight, c[0].weight), (
            f"{call} and the same call with seed {seed + 1} gave the same first weight matrix; "
            "the weights must be drawn from the generator."
        )


@test_case(points=0.5, hidden=True)
def depth_zero_is_the_output_layer_alone(make_deep_mlp):
    """edge: depth 0 gives nn.Sequential(Linear(width, 1)) with random weights.

    `depth = 0` (the output layer `Linear(width, 1)` alone) and `init_scale = 0` (every weight 0)
    are allowed.
    """
    import torch
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import for_all, require, seeds

    require(make_deep_mlp=make_deep_mlp)

    @for_all(st.integers(1, 6), st.sampled_from(["sigmoid", "tanh", "relu", "linear"]), seeds(), examples=8)
    def check(width, activation, seed):
        call = f"make_deep_mlp(0, {width}, {activation!r}, 1.0)"
        model = make_deep_mlp(0, width, activation, 1.0, generator=torch.Generator().manual_seed(seed))
        kinds = [type(m).__name__ for m in model] if isinstance(model, nn.Sequential) else type(model).__name__
        assert kinds == ["Linear"] and model[0].weight.shape == (1, width), (
            f"{call} returned {kinds}, expected nn.Sequential(Linear({width}, 1))."
        )
        assert torch.count_nonzero(model[0].weight) > 0, f"{call}: the output layer's weights are all 0."


@test_case(points=0.5, hidden=True)
def scale_zero_gives_zero_weights(make_deep_mlp):
    """edge: init_scale 0 gives the full architecture with every weight 0.

    `depth = 0` (the output layer `Linear(width, 1)` alone) and `init_scale = 0` (every weight 0)
    are allowed.
    """
    import torch
    from hypothesis import strategies as st
    from torch import nn

    from dl541_testing import for_all, require, seeds

    require(make_deep_mlp=make_deep_mlp)

    @for_all(st.integers(1, 6), st.sampled_from(["sigmoid", "tanh", "relu", "linear"]), st.integers(0, 3), seeds(),
             examples=8)
    def check(width, activation, depth, seed):
        call = f"make_deep_mlp({depth}, {width}, {activation!r}, 0.0)"
        model = make_deep_mlp(depth, width, activation, 0.0, generator=torch.Generator().manual_seed(seed))
        assert isinstance(model, nn.Sequential) and len(model) == 2 * depth + 1, (
            f"{call} returned {model}, expected an nn.Sequential of {2 * depth + 1} modules."
        )
        for name, p in model.named_parameters():
            assert torch.count_nonzero(p) == 0, f"{call}: {name} is {p.tolist()}, expected all 0."


@test_case(points=1, hidden=True)
def rejects_bad_arguments(make_deep_mlp):
    """validation: unknown activations, depth < 0, width < 1, init_scale < 0 raise ValueError.

    An unknown activation name (names are lower case, exactly as above), a negative `depth`, a
    `width` below 1 or a negative `init_scale` raises `ValueError`.
    """
    from dl541_testing import require

    require(make_deep_mlp=make_deep_mlp)
    for args in [(2, 4, "swish", 1.0), (2, 4, "softmax", 1.0), (-1, 4, "relu", 1.0), (2, 0, "relu", 1.0),
                 (2, 4, "relu", -1.0)]:
        try:
            make_deep_mlp(*args)
        except ValueError:
            continue
        raise AssertionError(f"make_deep_mlp{args} returned without raising, expected ValueError.")
