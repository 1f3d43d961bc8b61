from otter.test_files import test_case

OK_FORMAT = False
name = "q5"
points = None


def _sawtooth_facts(params):
    """(hidden widths, in, out, output range on [0, 1], regions on [0, 1]) of an abs net, in float64."""
    import torch

    h = torch.linspace(0, 1, 10_000, dtype=torch.float64)[:, None]
    codes = []
    for k, (W, b) in enumerate(params):
        z = h @ W.detach().double().cpu().T + b.detach().double().cpu()
        if k < len(params) - 1:
            codes.append(z > 0)
            h = z.abs()
        else:
            h = z
    pattern = torch.cat(codes, dim=1)
    regions = 1 + int((pattern[1:] != pattern[:-1]).any(dim=1).sum())
    widths = [W.shape[0] for W, _ in params[:-1]]
    return widths, params[0][0].shape[1], params[-1][0].shape[0], (float(h.min()), float(h.max())), regions


def _check_sawtooth(sawtooth_mlp, depth):
    params = sawtooth_mlp(depth)
    call = f"sawtooth_mlp({depth})"
    assert len(params) == depth + 1, f"{call} has {len(params) - 1} hidden layers, not {depth}"
    widths, n_in, n_out, (lo, hi), regions = _sawtooth_facts(params)
    assert n_in == 1 and n_out == 1, f"{call} has {n_in} inputs and {n_out} outputs, not 1 and 1"
    assert all(w <= 2 for w in widths), f"{call} has hidden widths {widths}; each must be at most 2"
    assert -1e-5 <= lo and hi <= 1 + 1e-5, f"{call}: the output on [0, 1] spans [{lo:.4f}, {hi:.4f}], not inside [0, 1]"
    assert regions >= 2**depth, f"{call} crosses {regions} activation regions on [0, 1], fewer than 2**{depth} = {2**depth}"


@test_case(points=1.5, hidden=False)
def small_depths(sawtooth_mlp):
    """core: depths 1 and 2 stay in [0, 1] and cross 2 and 4 regions.

    returns a 1-input, 1-output abs network with depth hidden layers, each at most 2 units wide,
    whose output on $[0, 1]$ stays in $[0, 1]$ and crosses at least $2^{\\text{depth}}$
    activation regions there.
    """
    from dl541_testing import require, tidy

    require(sawtooth_mlp=sawtooth_mlp)
    for depth in (1, 2):
        try:
            _check_sawtooth(sawtooth_mlp, depth)
        except AssertionError as exc:
            raise AssertionError(tidy(str(exc))) from None


@test_case(points=3, hidden=True)
def regions_double_with_depth(sawtooth_mlp):
    """core: for depths 1 to 8, the architecture, the range and at least 2**depth regions.

    returns a 1-input, 1-output abs network with depth hidden layers, each at most 2 units wide,
    whose output on $[0, 1]$ stays in $[0, 1]$ and crosses at least $2^{\\text{depth}}$
    activation regions there.

    The regions are counted as in Question 4: the signs of the hidden pre-activations, with $|z|$
    passed on.
    """
    from hypothesis import strategies as st

    from dl541_testing import for_all, require

    require(sawtooth_mlp=sawtooth_mlp)

    @for_all(st.integers(1, 8), examples=8)
    def check(depth):
        _check_sawtooth(sawtooth_mlp, depth)


@test_case(points=0.5, hidden=True)
def rejects_depth_below_one(sawtooth_mlp):
    """validation: depth 0 or below raises ValueError.

    A depth below 1 raises ValueError.
    """
    from dl541_testing import require

    require(sawtooth_mlp=sawtooth_mlp)
    for bad in (0, -3):
        try:
            sawtooth_mlp(bad)
        except ValueError as exc:
            assert str(exc).strip(), f"sawtooth_mlp({bad}) raised ValueError without a message"
            continue
        raise AssertionError(f"sawtooth_mlp({bad}) returned instead of raising ValueError")
