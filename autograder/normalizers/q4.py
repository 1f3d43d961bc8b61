from otter.test_files import test_case

OK_FORMAT = False
name = "q4"
points = None


def _makers(MinMaxNormalizer, ZScoreNormalizer, Whitener):
    """(description, factory) for each normalizer, with non-default settings where they exist."""
    return [
        ("MinMaxNormalizer(low=0.5, high=4.0)", lambda: MinMaxNormalizer(low=0.5, high=4.0)),
        ("ZScoreNormalizer()", lambda: ZScoreNormalizer()),
        ("Whitener(eps=0.01)", lambda: Whitener(eps=0.01)),
    ]


def _data(seed, n, d, dtype=None):
    """n samples of d correlated features, on the device under test."""
    import torch

    from dl541_testing import device

    g = torch.Generator().manual_seed(seed)
    mix = torch.eye(d, dtype=torch.float64) + 0.5 * torch.randn(d, d, generator=g, dtype=torch.float64)
    X = 3 * torch.randn(n, d, generator=g, dtype=torch.float64) @ mix + 2
    return X.to(dtype or torch.float64).to(device())


def _raises(error, function, *args):
    """True when function(*args) raises `error`; False when it returns or raises something else."""
    try:
        function(*args)
    except error:
        return True
    except Exception:  # noqa: BLE001 - another exception is the wrong kind
        return False
    return False


@test_case(points=1, hidden=False)
def fit_returns_self_and_transform_needs_fit(ZScoreNormalizer):
    import torch

    from dl541_testing import device, require, tidy

    require(ZScoreNormalizer=ZScoreNormalizer)
    X = torch.tensor([[1.0, 2.0], [3.0, 5.0]], device=device())
    norm = ZScoreNormalizer()
    assert _raises(RuntimeError, norm.transform, X), (
        "ZScoreNormalizer().transform(X) before fit should raise RuntimeError"
    )
    got = norm.fit(X)
    assert got is norm, tidy(f"ZScoreNormalizer.fit(X) returned {got!r}, expected the normalizer itself")


@test_case(points=1, hidden=True)
def errors_on_misuse(MinMaxNormalizer, ZScoreNormalizer, Whitener):
    import torch

    from dl541_testing import device, require

    require(MinMaxNormalizer=MinMaxNormalizer, ZScoreNormalizer=ZScoreNormalizer, Whitener=Whitener)
    for what, make in _makers(MinMaxNormalizer, ZScoreNormalizer, Whitener):
        X = _data(0, 10, 3)
        for method in ("transform", "inverse_transform"):
            assert _raises(RuntimeError, getattr(make(), method), X), (
                f"{what}.{method}(X) before fit should raise RuntimeError"
            )
        assert _raises(ValueError, make().fit, torch.ones(5, device=device())), (
            f"{what}.fit(X) with X of shape (5,) should raise ValueError (X must be (n, d))"
        )
        assert _raises(ValueError, make().fit, torch.empty(0, 3, device=device())), (
            f"{what}.fit(X) with X of shape (0, 3) should raise ValueError (no samples to fit on)"
        )
        for d_fit, d_bad in [(3, 1), (1, 3), (3, 4), (2, 3)]:
            norm = make().fit(_data(d_fit, 10, d_fit))
            assert norm is not None, f"{what}.fit(X) returned None, expected the normalizer"
            bad = _data(1, 4, d_bad)
            for method in ("transform", "inverse_transform"):
                assert _raises(ValueError, getattr(norm, method), bad), (
                    f"{what} fitted on {d_fit} features: {method}(X) with {d_bad} features should "
                    "raise ValueError"
                )
        norm = make().fit(X)
        assert _raises(ValueError, norm.transform, X[0]), (
            f"{what}.transform(x) with x of shape {tuple(X[0].shape)} should raise ValueError"
        )


@test_case(points=1, hidden=True)
def state_dict_round_trip(MinMaxNormalizer, ZScoreNormalizer, Whitener):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property

    require(MinMaxNormalizer=MinMaxNormalizer, ZScoreNormalizer=ZScoreNormalizer, Whitener=Whitener)
    makers = _makers(MinMaxNormalizer, ZScoreNormalizer, Whitener)

    @prop(12)
    @given(st.integers(0, 2), st.integers(1, 4), st.integers(0, 2**31 - 1),
           st.sampled_from([torch.float32, torch.float64]))
    @example(1, 2, 0, torch.float32)
    def check(which, d, seed, dtype):
        what, make = makers[which]
        X, Y = _data(seed, 12, d, dtype), _data(seed + 1, 5, d, dtype)
        norm = make().fit(X)
        state = norm.state_dict()
        assert isinstance(state, dict) and state, f"{what}.state_dict() returned {state!r}, expected a dict"
        for key, value in state.items():
            assert isinstance(key, str) and isinstance(value, torch.Tensor), (
                f"{what}.state_dict() maps {key!r} to {type(value).__name__}, expected str -> Tensor"
            )
        fresh = make()
        fresh.load_state_dict(state)
        for method in ("transform", "inverse_transform"):
            want, got = getattr(norm, method)(Y), getattr(fresh, method)(Y)
            assert isinstance(got, torch.Tensor) and torch.allclose(got, want, rtol=1e-6, atol=1e-6), (
                f"a fresh {what} after load_state_dict(state_dict()) gave {method}(Y) = "
                f"{got.tolist() if isinstance(got, torch.Tensor) else got!r}, expected the original's "
                f"{want.tolist()}"
            )
        # the state is a snapshot: refitting the original does not change the loaded copy
        want = fresh.transform(Y)
        norm.fit(_data(seed + 2, 12, d, dtype))
        again = fresh.transform(Y)
        assert torch.allclose(again, want), (
            f"refitting the original {what} changed the normalizer loaded from its state_dict"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def output_keeps_the_input_dtype_and_device(MinMaxNormalizer, ZScoreNormalizer, Whitener):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property, same_device_and_dtype

    require(MinMaxNormalizer=MinMaxNormalizer, ZScoreNormalizer=ZScoreNormalizer, Whitener=Whitener)
    makers = _makers(MinMaxNormalizer, ZScoreNormalizer, Whitener)

    @prop(12)
    @given(st.integers(0, 2), st.integers(1, 4), st.integers(0, 2**31 - 1), st.booleans())
    @example(1, 2, 0, True)
    def check(which, d, seed, fit_in_float64):
        what, make = makers[which]
        fit_dtype, use_dtype = (torch.float64, torch.float32) if fit_in_float64 else (torch.float32, torch.float64)
        X, Y = _data(seed, 12, d, fit_dtype), _data(seed + 1, 5, d, use_dtype)
        fitted = make().fit(X)
        # statistics saved on the CPU and loaded for data on the device under test (a no-op on CPU)
        loaded = make()
        loaded.load_state_dict({key: value.cpu() for key, value in fitted.state_dict().items()})
        exact = make().fit(X.double())
        for how, norm in [(f"fit on {fit_dtype} data", fitted), ("loaded from a CPU state_dict", loaded)]:
            for method in ("transform", "inverse_transform"):
                got = getattr(norm, method)(Y)
                same_device_and_dtype(got, Y, f"{what} {how}: {method}(Y) with Y in {use_dtype}")
                want = getattr(exact, method)(Y.double())
                err = float((got.double() - want).abs().max())
                assert err <= 1e-4 * (1 + float(want.abs().max())), (
                    f"{what} {how}: {method}(Y) with Y in {use_dtype} differs by up to {err:.3g} from the "
                    f"same call in float64"
                )

    run_property(check)


@test_case(points=1, hidden=True)
def transform_never_refits(MinMaxNormalizer, ZScoreNormalizer, Whitener):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property, same_device_and_dtype

    require(MinMaxNormalizer=MinMaxNormalizer, ZScoreNormalizer=ZScoreNormalizer, Whitener=Whitener)
    makers = _makers(MinMaxNormalizer, ZScoreNormalizer, Whitener)

    @prop(15)
    @given(st.integers(0, 2), st.integers(1, 4), st.integers(0, 2**31 - 1))
    @example(1, 2, 0)
    def check(which, d, seed):
        what, make = makers[which]
        A, B, C = _data(seed, 12, d), 5 * _data(seed + 1, 9, d) - 40, _data(seed + 2, 4, d)
        norm = make().fit(A)
        before = norm.transform(C)
        same_device_and_dtype(before, C, f"{what}.transform(C)")
        on_b = norm.transform(B)
        after = norm.transform(C)
        assert torch.allclose(before, after, rtol=1e-12, atol=1e-12), (
            f"{what}.fit(A); transform(C) gave {before.tolist()}, but after transform(B) transform(C) "
            f"gave {after.tolist()}: transform must not refit"
        )
        own = make().fit_transform(B)
        assert not torch.allclose(on_b, own, rtol=1e-3, atol=1e-3), (
            f"{what}.fit(A).transform(B) equals fit_transform(B): transform must use A's statistics"
        )
        both = make().fit(A).transform(A)
        via = make().fit_transform(A)
        assert torch.allclose(via, both, rtol=1e-12, atol=1e-12), (
            f"{what}.fit_transform(A) returned {via.tolist()}, expected fit(A).transform(A) = {both.tolist()}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def inputs_are_not_modified(MinMaxNormalizer, ZScoreNormalizer, Whitener):
    import torch

    from dl541_testing import require, tidy

    require(MinMaxNormalizer=MinMaxNormalizer, ZScoreNormalizer=ZScoreNormalizer, Whitener=Whitener)
    for what, make in _makers(MinMaxNormalizer, ZScoreNormalizer, Whitener):
        for method in ("fit", "fit_transform", "transform", "inverse_transform"):
            X = _data(3, 8, 3)
            Y = _data(4, 5, 3)
            norm = make()
            if method in ("transform", "inverse_transform"):
                norm.fit(X)
                arg = Y
            else:
                arg = X
            kept = arg.clone()
            out = getattr(norm, method)(arg)
            if method == "fit":
                assert out is norm, tidy(f"{what}.fit(X) returned {out!r}, expected the normalizer itself")
            else:
                assert isinstance(out, torch.Tensor) and out.shape == arg.shape, (
                    tidy(f"{what}.{method}(X) with X of shape {tuple(arg.shape)} returned {out!r}, "
                    "expected a tensor of the same shape")
                )
            assert bool((arg == kept).all()), f"{what}.{method}(X) changed its argument X in place"
