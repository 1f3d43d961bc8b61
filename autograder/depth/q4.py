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


@test_case(points=0.5, hidden=False)
def one_region_for_a_point(init_mlp, count_activation_regions):
    """edge: a single point (start = end, or num_points=1) has one region.

    Return the number of maximal runs of equal consecutive patterns (so at least 1).
    """
    import torch

    from dl541_testing import require, tidy

    require(init_mlp=init_mlp, count_activation_regions=count_activation_regions)
    params = init_mlp((2, 20, 1), torch.Generator().manual_seed(0))
    p = torch.tensor([0.3, -0.2])
    got = count_activation_regions(params, p, p, num_points=100)
    assert got == 1, tidy(
        f"count_activation_regions(params of (2, 20, 1), start = end = [0.3, -0.2], num_points=100) returned {got}; "
        "100 equal points have one pattern, so 1 run"
    )
    got = count_activation_regions(params, p, -p, num_points=1)
    assert got == 1, tidy(
        f"count_activation_regions(params of (2, 20, 1), start [0.3, -0.2], end [-0.3, 0.2], num_points=1) returned {got}; "
        "one point has one pattern, so 1 run"
    )


@test_case(points=1, hidden=False)
def hand_counted_example(count_activation_regions):
    """core: a (1, 2, 1, 1) abs net whose patterns are counted by hand.

    The activation pattern of a point is the tuple of signs ($z > 0$) of every hidden
    pre-activation.

    Return the number of maximal runs of equal consecutive patterns (so at least 1).

    The network is an abs network: each hidden layer passes $|z|$ on to the next layer.

    Only hidden pre-activations make the pattern: the output layer's sign is not part of it.
    """
    import torch

    from dl541_testing import require

    require(count_activation_regions=count_activation_regions)
    # At t = 0, 0.25, 0.5, 0.75, 1: z1 = (t - 0.3, 0.6 - t), z2 = |z1_0| - 2 |z1_1| + 0.05,
    # patterns (F,T,F) (F,T,F) (T,T,T) (T,F,T) (T,F,F): 4 runs. The output's sign (T,F,F,F,F) is left out.
    params = [
        (torch.tensor([[1.0], [-1.0]]), torch.tensor([-0.3, 0.6])),
        (torch.tensor([[1.0, -2.0]]), torch.tensor([0.05])),
        (torch.tensor([[1.0]]), torch.tensor([-0.7])),
    ]
    got = count_activation_regions(params, torch.tensor([0.0]), torch.tensor([1.0]), num_points=5)
    assert got == 4, (
        "count_activation_regions(W0 = [[1], [-1]], b0 = [-0.3, 0.6], W1 = [[1, -2]], b1 = [0.05], W2 = [[1]], "
        f"b2 = [-0.7]; start [0], end [1], num_points=5) returned {got}; the hidden patterns at t = 0, 0.25, "
        "0.5, 0.75, 1 are (F,T,F) (F,T,F) (T,T,T) (T,F,T) (T,F,F), 4 runs"
    )


@test_case(points=0.5, hidden=False)
def zero_preactivation_is_not_positive(count_activation_regions):
    """edge: an exact tie at 0 counts as not positive.

    A pre-activation of exactly 0 counts as not positive.
    """
    import torch

    from dl541_testing import require

    require(count_activation_regions=count_activation_regions)
    # z = x on the points 0, 0.5, 1: signs (z > 0) are F, T, T -> 2 runs (z >= 0 would give 1).
    params = [(torch.tensor([[1.0]]), torch.tensor([0.0])), (torch.tensor([[1.0]]), torch.tensor([0.0]))]
    got = count_activation_regions(params, torch.tensor([0.0]), torch.tensor([1.0]), num_points=3)
    assert got == 2, (
        "count_activation_regions(W0 = [[1]], b0 = [0], W1 = [[1]], b1 = [0]; start [0], end [1], num_points=3) "
        f"returned {got}; z = x at x = 0, 0.5, 1 has signs (z > 0) F, T, T, so 2 runs"
    )


@test_case(points=0.5, hidden=True)
def no_hidden_layer_one_region(count_activation_regions):
    """edge: a network without a hidden layer has one region.

    A network with no hidden layer has one pattern, so one region.
    """
    import torch

    from dl541_testing import require

    require(count_activation_regions=count_activation_regions)
    params = [(torch.tensor([[1.0, -1.0]]), torch.tensor([0.5]))]
    got = count_activation_regions(params, torch.tensor([-2.0, 0.0]), torch.tensor([2.0, 1.0]), num_points=50)
    assert got == 1, (
        "count_activation_regions(one layer W = [[1, -1]], b = [0.5]; start [-2, 0], end [2, 1], num_points=50) "
        f"returned {got}; without a hidden layer every pattern is empty, so 1 run"
    )


@test_case(points=2, hidden=True)
def matches_an_independent_count(count_activation_regions):
    """core: on random nets with a hidden layer, the count of an independent implementation.

    takes num_points equally spaced points from start to end (both included).

    The activation pattern of a point is the tuple of signs ($z > 0$) of every hidden
    pre-activation.

    Return the number of maximal runs of equal consecutive patterns (so at least 1).

    The points are $x_i = \\text{start} + t_i(\\text{end} - \\text{start})$ with
    $t_i$ = torch.linspace(0, 1, num_points), computed in the dtype of start.

    The network is an abs network: each hidden layer passes $|z|$ on to the next layer.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(count_activation_regions=count_activation_regions)
    dev = device()

    @for_all(st.lists(st.integers(1, 6), min_size=3, max_size=5), st.integers(2, 400), seeds(), examples=30)
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
        assert got == expected, (
            f"count_activation_regions(random net of sizes {sizes}, random start and end, num_points={num_points}) "
            f"returned {got}; the runs of equal hidden patterns number {expected}"
        )


@test_case(points=1, hidden=True)
def shallow_net_counts_crossings(count_activation_regions):
    """core: for one hidden layer, 1 + the sample gaps in which some unit's hyperplane is crossed.

    The activation pattern of a point is the tuple of signs ($z > 0$) of every hidden
    pre-activation.

    Return the number of maximal runs of equal consecutive patterns (so at least 1).
    """
    import math

    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(count_activation_regions=count_activation_regions)
    num_points = 2000

    @for_all(st.integers(1, 20), seeds(), examples=20)
    def check(width, seed):
        g = torch.Generator().manual_seed(seed)
        params = [(torch.randn(width, 2, generator=g), torch.randn(width, generator=g)),
                  (torch.randn(1, width, generator=g), torch.randn(1, generator=g))]
        start, end = 4 * torch.randn(2, generator=g), 4 * torch.randn(2, generator=g)
        # Unit j's pre-activation along the segment is a + c t (float64): it changes sign once, at -a / c.
        W, b = params[0][0].double(), params[0][1].double()
        a = W @ start.double() + b
        c = W @ (end - start).double()
        gaps, unsure = set(), 0
        for a_j, c_j in zip(a.tolist(), c.tolist()):
            if c_j == 0:
                continue
            k = -a_j / c_j * (num_points - 1)  # the crossing, in units of the sample spacing
            if abs(k - round(k)) < 0.05:
                unsure += 1  # a crossing this close to a sample point may fall on either side
            elif 0 < k < num_points - 1:
                gaps.add(math.floor(k))
        low, high = 1 + len(gaps), 1 + len(gaps) + unsure
        got = count_activation_regions(params, start, end, num_points=num_points)
        assert low <= got <= high, (
            f"count_activation_regions(random (2, {width}, 1) net, random start and end, num_points={num_points}) "
            f"returned {got}; the hidden units' hyperplanes cross the segment in {len(gaps)} gaps between samples, "
            f"so {low} regions" + (f" (up to {high} with crossings on a sample point)" if unsure else "")
        )


@test_case(points=0.5, hidden=True)
def rejects_bad_endpoints(init_mlp, count_activation_regions):
    """validation: endpoints of the wrong shape and num_points below 1 raise ValueError.

    start or end not of shape (in,), or num_points below 1, raises ValueError.
    """
    import torch

    from dl541_testing import require

    require(init_mlp=init_mlp, count_activation_regions=count_activation_regions)
    params = init_mlp((2, 4, 1), torch.Generator().manual_seed(0))
    cases = [
        (torch.zeros(3), torch.ones(3), {}),
        (torch.zeros(2), torch.ones(3), {}),
        (torch.zeros(3), torch.ones(2), {}),
        (torch.zeros(1, 2), torch.ones(1, 2), {}),
        (torch.zeros(2), torch.ones(2), {"num_points": 0}),
    ]
    for start, end, kwargs in cases:
        call = (
            f"count_activation_regions(params of a 2-input net, start of shape {tuple(start.shape)}, "
            f"end of shape {tuple(end.shape)}, {kwargs})"
        )
        try:
            count_activation_regions(params, start, end, **kwargs)
        except ValueError as exc:
            assert str(exc).strip(), f"{call} raised ValueError without a message"
            continue
        raise AssertionError(f"{call} returned instead of raising ValueError")


@test_case(points=0.5, hidden=True)
def leaves_inputs_unchanged(count_activation_regions):
    """contract: params, start and end are left as they were.

    No function changes its inputs: the tensors you are given stay as they were.
    """
    import torch

    from dl541_testing import require

    require(count_activation_regions=count_activation_regions)
    g = torch.Generator().manual_seed(3)
    params = [(torch.randn(4, 2, generator=g), torch.randn(4, generator=g)),
              (torch.randn(3, 4, generator=g), torch.randn(3, generator=g)),
              (torch.randn(1, 3, generator=g), torch.randn(1, generator=g))]
    start, end = torch.tensor([-2.0, 1.0]), torch.tensor([2.0, 3.0])
    copies = [(W.clone(), b.clone()) for W, b in params], start.clone(), end.clone()
    count_activation_regions(params, start, end, num_points=50)
    assert torch.equal(start, copies[1]) and torch.equal(end, copies[2]), (
        f"count_activation_regions(net of sizes (2, 4, 3, 1), start [-2, 1], end [2, 3]) changed its inputs: "
        f"start is now {start.tolist()} and end {end.tolist()}"
    )
    for k, ((W, b), (W0, b0)) in enumerate(zip(params, copies[0])):
        assert torch.equal(W, W0) and torch.equal(b, b0), (
            f"count_activation_regions(net of sizes (2, 4, 3, 1), start [-2, 1], end [2, 3]) changed layer {k}'s W or b"
        )
