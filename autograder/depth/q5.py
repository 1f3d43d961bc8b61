from otter.test_files import test_case

OK_FORMAT = False
name = "q5"
points = None


@test_case(points=1, hidden=False)
def architecture(sawtooth_mlp):
    from dl541_testing import require

    require(sawtooth_mlp=sawtooth_mlp)
    params = sawtooth_mlp(3)
    assert len(params) == 4, f"depth 3 means 3 hidden layers and one output layer, got {len(params)} layers"
    assert params[0][0].shape[1] == 1 and params[-1][0].shape[0] == 1, "one input and one output"
    widths = [W.shape[0] for W, _ in params[:-1]]
    assert all(w <= 2 for w in widths), f"hidden widths {widths}; each must be at most 2"


@test_case(points=1, hidden=True)
def stays_in_unit_interval(sawtooth_mlp):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property

    require(sawtooth_mlp=sawtooth_mlp)

    @prop(8)
    @given(st.integers(1, 8))
    def check(depth):
        params = sawtooth_mlp(depth)
        h = torch.linspace(0, 1, 2001, dtype=torch.float64)[:, None]
        for k, (W, b) in enumerate(params):
            h = h @ W.double().T + b.double()
            if k < len(params) - 1:
                h = h.abs()
        lo, hi = float(h.min()), float(h.max())
        assert -1e-5 <= lo and hi <= 1 + 1e-5, f"depth {depth}: outputs span [{lo:.4f}, {hi:.4f}]"

    run_property(check)


@test_case(points=2, hidden=True)
def regions_double_with_depth(sawtooth_mlp):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property

    require(sawtooth_mlp=sawtooth_mlp)

    @prop(8)
    @given(st.integers(1, 8))
    def check(depth):
        params = sawtooth_mlp(depth)
        assert len(params) == depth + 1, f"depth {depth}: {len(params) - 1} hidden layers"
        widths = [W.shape[0] for W, _ in params[:-1]]
        assert all(w <= 2 for w in widths), f"depth {depth}: hidden widths {widths} exceed 2"
        h = torch.linspace(0, 1, 10_000, dtype=torch.float64)[:, None]
        codes = []
        for W, b in params[:-1]:
            z = h @ W.double().T + b.double()
            codes.append(z > 0)
            h = z.abs()
        pattern = torch.cat(codes, dim=1)
        regions = 1 + int((pattern[1:] != pattern[:-1]).any(dim=1).sum())
        assert regions >= 2**depth, f"depth {depth}: {regions} regions on [0, 1], need {2**depth}"

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_depth_below_one(sawtooth_mlp):
    from dl541_testing import require

    require(sawtooth_mlp=sawtooth_mlp)
    for bad in (0, -3):
        try:
            sawtooth_mlp(bad)
        except ValueError as exc:
            assert str(exc).strip(), f"sawtooth_mlp({bad}) raised ValueError without a message"
            continue
        raise AssertionError(f"sawtooth_mlp({bad}) should raise ValueError")
