from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
points = None


@test_case(points=0.5, hidden=False)
def shapes_of_lecture_net(init_mlp):
    """core: one (W, b) per layer of the deep lecture network, W of shape (out, in).

    init_mlp(layer_sizes, generator=None) returns one (W, b) per layer, W of shape
    (out, in) and b of shape (out,)
    """
    import torch

    from dl541_testing import require, tidy

    require(init_mlp=init_mlp)
    params = init_mlp((2, 4, 4, 4, 4, 1), generator=torch.Generator().manual_seed(0))
    shapes = [(tuple(W.shape), tuple(b.shape)) for W, b in params]
    expected = [((4, 2), (4,)), ((4, 4), (4,)), ((4, 4), (4,)), ((4, 4), (4,)), ((1, 4), (1,))]
    assert shapes == expected, tidy(
        f"init_mlp((2, 4, 4, 4, 4, 1)) gave (W, b) shapes {shapes}; (out, in) and (out,) per layer are {expected}"
    )


@test_case(points=1, hidden=False)
def draws_look_standard_normal(init_mlp):
    """core: on a wide net, weights and biases each have mean about 0 and std about 1.

    every entry drawn i.i.d. from $\\mathcal N(0, 1)$ in float32 with the given generator.
    """
    import torch

    from dl541_testing import require, tidy

    require(init_mlp=init_mlp)
    params = init_mlp((1, 4000, 1), generator=torch.Generator().manual_seed(0))
    shapes = [(tuple(W.shape), tuple(b.shape)) for W, b in params]
    expected = [((4000, 1), (4000,)), ((1, 4000), (1,))]
    assert shapes == expected, f"init_mlp((1, 4000, 1)) gave (W, b) shapes {shapes}, not {expected}"
    for what, values in (("weights", params[0][0]), ("layer-1 biases", params[0][1]), ("layer-2 weights", params[1][0])):
        values = values.double()
        mean, std = float(values.mean()), float(values.std())
        assert abs(mean) < 0.1 and abs(std - 1) < 0.1, tidy(
            f"init_mlp((1, 4000, 1), generator seeded 0): the 4000 {what} have mean {mean:.4f} and std "
            f"{std:.4f}; N(0, 1) draws have mean 0 and std 1 (within 0.1 here)"
        )


@test_case(points=0.5, hidden=False)
def same_seed_same_parameters(init_mlp):
    """contract: the same seed gives the same parameters, another seed others.

    Draw every entry, weights and biases alike, with generator: the same generator state gives
    the same parameters, whatever torch's global generator did in between.
    """
    import torch

    from dl541_testing import require

    require(init_mlp=init_mlp)
    first = init_mlp((2, 20, 1), generator=torch.Generator().manual_seed(7))
    torch.randn(5)  # the global generator moves
    again = init_mlp((2, 20, 1), generator=torch.Generator().manual_seed(7))
    other = init_mlp((2, 20, 1), generator=torch.Generator().manual_seed(8))
    for k, ((W, b), (W2, b2), (W3, b3)) in enumerate(zip(first, again, other)):
        assert torch.equal(W, W2) and torch.equal(b, b2), (
            f"init_mlp((2, 20, 1)) twice with a generator seeded 7: layer {k} differs between the calls "
            "(same generator state, same parameters)"
        )
        assert not torch.equal(W, W3) and not torch.equal(b, b3), (
            f"init_mlp((2, 20, 1)) with generators seeded 7 and 8: layer {k} is the same (the draws must come from the generator)"
        )


@test_case(points=1, hidden=True)
def standard_normal_on_random_nets(init_mlp):
    """core: on random layer lists, shapes, float32, reproducible draws that pool to N(0, 1).

    init_mlp(layer_sizes, generator=None) returns one (W, b) per layer, W of shape
    (out, in) and b of shape (out,), every entry drawn i.i.d. from $\\mathcal N(0, 1)$ in
    float32 with the given generator.

    Draw every entry, weights and biases alike, with generator: the same generator state gives
    the same parameters, whatever torch's global generator did in between.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(init_mlp=init_mlp)

    @for_all(st.lists(st.integers(1, 12), min_size=2, max_size=6), seeds(), examples=15)
    def check(sizes, seed):
        a = init_mlp(sizes, generator=torch.Generator().manual_seed(seed))
        torch.randn(3)  # the global generator moves
        b = init_mlp(sizes, generator=torch.Generator().manual_seed(seed))
        assert len(a) == len(sizes) - 1, f"init_mlp({sizes}) returned {len(a)} layers, not {len(sizes) - 1}"
        for k, ((W, bias), (W2, bias2)) in enumerate(zip(a, b)):
            assert tuple(W.shape) == (sizes[k + 1], sizes[k]) and tuple(bias.shape) == (sizes[k + 1],), (
                f"init_mlp({sizes}): layer {k} has W {tuple(W.shape)} and b {tuple(bias.shape)}, "
                f"not {(sizes[k + 1], sizes[k])} and {(sizes[k + 1],)}"
            )
            assert W.dtype == torch.float32 and bias.dtype == torch.float32, (
                f"init_mlp({sizes}): layer {k} has dtypes {W.dtype} and {bias.dtype}, not torch.float32"
            )
            assert torch.equal(W, W2) and torch.equal(bias, bias2), (
                f"init_mlp({sizes}) twice with a generator seeded {seed}: layer {k} differs (same state, same parameters)"
            )
        # The same shape made wider, drawn with generators seeded seed + 1, seed + 2, ... until
        # 2000 weights and 2000 biases are pooled: the statistics of (up to 4000 of) each test N(0, 1).
        wide = [min(40 * size, 120) for size in sizes]
        weights, biases = [], []
        n_w = n_b = rep = 0
        while min(n_w, n_b) < 2000:
            rep += 1
            for W, bias in init_mlp(wide, generator=torch.Generator().manual_seed(seed + rep)):
                weights.append(W.flatten())
                biases.append(bias.flatten())
                n_w, n_b = n_w + W.numel(), n_b + bias.numel()
        for what, values in (("weights", torch.cat(weights)[:4000]), ("biases", torch.cat(biases)[:4000])):
            values = values.double()
            mean, std = float(values.mean()), float(values.std())
            tail = float((values.abs() > 2).double().mean())
            assert abs(mean) < 0.1 and abs(std - 1) < 0.1 and 0.02 < tail < 0.075, (
                f"init_mlp({wide}) with {rep} seeds: {values.numel()} {what} have mean {mean:.4f}, std {std:.4f} "
                f"and a share {tail:.4f} beyond 2 in absolute value; N(0, 1) has 0, 1 and 0.0455"
            )


@test_case(points=0.5, hidden=True)
def float32_whatever_the_default_dtype(init_mlp):
    """dtype: float32 parameters under a float64 default dtype.

    Return float32 tensors even when torch's default dtype is another one.
    """
    import torch

    from dl541_testing import require

    require(init_mlp=init_mlp)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        params = init_mlp((3, 2, 1), generator=torch.Generator().manual_seed(0))
    finally:
        torch.set_default_dtype(previous)
    dtypes = sorted({str(t.dtype) for W, b in params for t in (W, b)})
    assert dtypes == ["torch.float32"], (
        f"init_mlp((3, 2, 1)) with float64 as torch's default dtype gave dtypes {dtypes}, not torch.float32"
    )
