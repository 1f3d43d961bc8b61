from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
points = None


@test_case(points=1, hidden=False)
def shapes_of_lecture_net(init_mlp):
    import torch

    from dl541_testing import require, tidy

    require(init_mlp=init_mlp)
    params = init_mlp((2, 4, 4, 4, 4, 1), generator=torch.Generator().manual_seed(0))
    shapes = [(tuple(W.shape), tuple(b.shape)) for W, b in params]
    expected = [((4, 2), (4,)), ((4, 4), (4,)), ((4, 4), (4,)), ((4, 4), (4,)), ((1, 4), (1,))]
    assert shapes == expected, tidy(f"(W, b) shapes {shapes}, expected {expected}")


@test_case(points=1, hidden=True)
def shapes_dtype_and_generator(init_mlp):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property

    require(init_mlp=init_mlp)

    @prop(30)
    @given(st.lists(st.integers(1, 12), min_size=2, max_size=6), st.integers(0, 2**31 - 1))
    def check(sizes, seed):
        a = init_mlp(sizes, generator=torch.Generator().manual_seed(seed))
        b = init_mlp(sizes, generator=torch.Generator().manual_seed(seed))
        assert len(a) == len(sizes) - 1, f"{len(a)} layers for sizes {sizes}"
        for k, ((W, bias), (W2, bias2)) in enumerate(zip(a, b)):
            assert tuple(W.shape) == (sizes[k + 1], sizes[k]), f"layer {k}: W {tuple(W.shape)}"
            assert tuple(bias.shape) == (sizes[k + 1],), f"layer {k}: b {tuple(bias.shape)}"
            assert W.dtype == torch.float32 and bias.dtype == torch.float32, "use float32"
            assert torch.equal(W, W2) and torch.equal(bias, bias2), (
                "same generator state must give the same parameters"
            )

    run_property(check)


@test_case(points=1, hidden=True)
def standard_normal_entries(init_mlp):
    import torch

    from dl541_testing import require, tidy

    require(init_mlp=init_mlp)
    params = init_mlp((1, 20_000, 1), generator=torch.Generator().manual_seed(1))
    weights = torch.cat([W.flatten() for W, _ in params]).double()
    biases = torch.cat([b.flatten() for _, b in params]).double()
    for what, values in (("weights", weights), ("biases", biases)):
        mean, std = float(values.mean()), float(values.std())
        assert abs(mean) < 0.03 and abs(std - 1) < 0.03, (
            tidy(f"{what} of init_mlp((1, 20000, 1)) have mean {mean:.4f} and std {std:.4f}; "
            "expected i.i.d. N(0, 1) entries")
        )
    other = init_mlp((1, 20_000, 1), generator=torch.Generator().manual_seed(2))
    assert not torch.equal(params[0][0], other[0][0]), "the generator argument must be used"


@test_case(points=1, hidden=True)
def float32_whatever_the_default_dtype(init_mlp):
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
    assert dtypes == ["torch.float32"], f"with float64 as torch's default, init_mlp gave {dtypes}; ask for float32"
