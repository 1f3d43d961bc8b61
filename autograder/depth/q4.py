from otter.test_files import test_case

OK_FORMAT = False
name = "q4"
points = None


def _independent_count(params, start, end, num_points):
    import torch

    t = torch.linspace(0, 1, num_points, dtype=start.dtype, device=start.device)
    h = start + t[:, None] * (end - start)
    previous, runs = None, 0
    codes = []
    for W, b in params[:-1]:
        z = h @ W.T + b
        codes.append((z > 0).long())
        h = z.abs()
    if not codes:
        return 1
    rows = torch.cat(codes, dim=1).tolist()
    for row in rows:
        if row != previous:
            runs += 1
            previous = row
    return runs


@test_case(points=1, hidden=False)
def one_region_for_a_point(init_mlp, count_activation_regions):
    import torch

    from dl541_testing import require, tidy

    require(init_mlp=init_mlp, count_activation_regions=count_activation_regions)
    params = init_mlp((2, 20, 1), torch.Generator().manual_seed(0))
    p = torch.tensor([0.3, -0.2])
    got = count_activation_regions(params, p, p, num_points=100)
    assert got == 1, tidy(f"a segment of length 0 has one pattern, got {got}")


@test_case(points=2, hidden=True)
def matches_an_independent_count(count_activation_regions):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(count_activation_regions=count_activation_regions)
    dev = device()

    @prop(30)
    @given(
        st.lists(st.integers(1, 6), min_size=2, max_size=5),
        st.integers(1, 400),
        st.integers(0, 2**31 - 1),
    )
    def check(sizes, num_points, seed):
        g = torch.Generator().manual_seed(seed)
        params = [
            (torch.randn(b, a, generator=g).to(dev), torch.randn(b, generator=g).to(dev))
            for a, b in zip(sizes[:-1], sizes[1:])
        ]
        start = (3 * torch.randn(sizes[0], generator=g)).to(dev)
        end = (3 * torch.randn(sizes[0], generator=g)).to(dev)
        expected = _independent_count(params, start, end, num_points)
        got = count_activation_regions(params, start, end, num_points=num_points)
        assert got == expected, f"{got} regions, expected {expected} (sizes {sizes}, {num_points} points)"

    run_property(check)


@test_case(points=1, hidden=True)
def shallow_net_bound(count_activation_regions):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property

    require(count_activation_regions=count_activation_regions)

    @prop(20)
    @given(st.integers(1, 20), st.integers(0, 2**31 - 1))
    def check(width, seed):
        g = torch.Generator().manual_seed(seed)
        params = [(torch.randn(width, 2, generator=g), torch.randn(width, generator=g)),
                  (torch.randn(1, width, generator=g), torch.randn(1, generator=g))]
        start, end = 4 * torch.randn(2, generator=g), 4 * torch.randn(2, generator=g)
        got = count_activation_regions(params, start, end)
        assert 1 <= got <= width + 1, (
            f"a line crosses each of the {width} hidden units' hyperplanes at most once, "
            f"so at most {width + 1} regions; got {got}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_bad_endpoints(init_mlp, count_activation_regions):
    import torch

    from dl541_testing import require

    require(init_mlp=init_mlp, count_activation_regions=count_activation_regions)
    params = init_mlp((2, 4, 1), torch.Generator().manual_seed(0))
    cases = [
        (torch.zeros(3), torch.ones(3), {}),
        (torch.zeros(2), torch.ones(3), {}),
        (torch.zeros(3), torch.ones(2), {}),
        (torch.zeros(2), torch.ones(2), {"num_points": 0}),
    ]
    for start, end, kwargs in cases:
        call = f"count_activation_regions(params of a 2-input net, start {tuple(start.shape)}, end {tuple(end.shape)}, {kwargs})"
        try:
            count_activation_regions(params, start, end, **kwargs)
        except ValueError as exc:
            assert str(exc).strip(), f"{call} raised ValueError without a message"
            continue
        raise AssertionError(f"{call} should raise ValueError")


@test_case(points=1, hidden=True)
def zero_preactivation_is_not_positive(count_activation_regions):
    import torch

    from dl541_testing import require, tidy

    require(count_activation_regions=count_activation_regions)
    # z = x on the points 0, 0.5, 1: signs (z > 0) are F, T, T -> 2 runs (z >= 0 would give 1).
    params = [(torch.tensor([[1.0]]), torch.tensor([0.0])), (torch.tensor([[1.0]]), torch.tensor([0.0]))]
    got = count_activation_regions(params, torch.tensor([0.0]), torch.tensor([1.0]), num_points=3)
    assert got == 2, tidy(f"z = x at x = 0, 0.5, 1 has patterns F, T, T (z > 0): 2 runs; got {got}")
