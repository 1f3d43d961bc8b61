from helpers import _cpu64
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


@test_case(points=1.5, hidden=False)
def interface_example(ZScoreNormalizer):
    """core: a hand-computed run through fit, transform, fit_transform and a state dict.

    `fit` returns `self`, and `fit_transform(X)` equals `fit(X).transform(X)`

    `transform` never refits: after `fit(A)`, `transform(B)` uses $A$'s statistics and
    leaves them unchanged

    `state_dict` → `load_state_dict` into a fresh object reproduces `transform` and
    `inverse_transform` exactly
    """
    import torch

    from dl541_testing import device, require, tidy

    require(ZScoreNormalizer=ZScoreNormalizer)
    A = torch.tensor([[1.0, 2.0], [3.0, 6.0]], device=device())  # mean (2, 4), std (1, 2)
    B = torch.tensor([[4.0, 0.0]], device=device())
    norm = ZScoreNormalizer()
    got = norm.fit(A)
    assert got is norm, tidy(f"ZScoreNormalizer().fit(A) returned {got!r}, expected the normalizer itself")
    want = torch.tensor([[2.0, -2.0]], dtype=torch.float64)
    for attempt in ("", " a second time"):
        out = _cpu64(norm.transform(B), "transform(B)")
        assert torch.allclose(out, want, atol=1e-6), (
            tidy(f"after fit(A) with A = {A.tolist()}, transform(B){attempt} with B = {B.tolist()} returned "
                 f"{out.tolist()}, expected {want.tolist()}: (B - mean_A) / std_A")
        )
    out = _cpu64(ZScoreNormalizer().fit_transform(A), "fit_transform(A)")
    assert torch.allclose(out, torch.tensor([[-1.0, -1.0], [1.0, 1.0]], dtype=torch.float64), atol=1e-6), (
        tidy(f"ZScoreNormalizer().fit_transform({A.tolist()}) returned {out.tolist()}, expected "
             "fit(A).transform(A) = [[-1, -1], [1, 1]]")
    )
    state = norm.state_dict()
    assert isinstance(state, dict) and all(isinstance(v, torch.Tensor) for v in state.values()), (
        tidy(f"ZScoreNormalizer.state_dict() returned {state!r}, expected a dict of tensors")
    )
    fresh = ZScoreNormalizer()
    fresh.load_state_dict(state)
    out = _cpu64(fresh.transform(B), "transform(B)")
    assert torch.allclose(out, want, atol=1e-6), (
        tidy(f"a fresh ZScoreNormalizer after load_state_dict(state_dict()) of one fitted on A = {A.tolist()}: "
             f"transform({B.tolist()}) returned {out.tolist()}, expected {want.tolist()}")
    )
    back = _cpu64(fresh.inverse_transform(want.to(B)), "inverse_transform")
    assert torch.allclose(back, B.double().cpu(), atol=1e-6), (
        tidy(f"the loaded ZScoreNormalizer: inverse_transform({want.tolist()}) returned {back.tolist()}, "
             f"expected {B.tolist()}")
    )


@test_case(points=0.5, hidden=False)
def copies_example(ZScoreNormalizer, Whitener):
    """contract: editing a state dict, before or after loading it, changes no normalizer; inputs stay.

    `state_dict()` returns copies: changing the returned dict or its tensors in place does not
    change the normalizer

    `load_state_dict(d)` stores copies: changing `d` or its tensors after the call does not
    change the normalizer.

    `fit`, `transform`, `fit_transform` and `inverse_transform` never change their argument
    """
    import torch

    from dl541_testing import device, require, tidy

    require(ZScoreNormalizer=ZScoreNormalizer, Whitener=Whitener)
    A = torch.tensor([[1.0, 2.0], [3.0, 6.0]], device=device())
    B = torch.tensor([[4.0, 0.0]], device=device())
    want = torch.tensor([[2.0, -2.0]], dtype=torch.float64)
    norm = ZScoreNormalizer().fit(A)
    state = norm.state_dict()
    for value in state.values():
        value.add_(100.0)
    out = _cpu64(norm.transform(B), "transform(B)")
    assert torch.allclose(out, want, atol=1e-6), (
        tidy(f"ZScoreNormalizer().fit({A.tolist()}); adding 100 in place to the tensors of state_dict() "
             f"changed transform({B.tolist()}) to {out.tolist()}, expected {want.tolist()}")
    )
    d = ZScoreNormalizer().fit(A).state_dict()
    fresh = ZScoreNormalizer()
    fresh.load_state_dict(d)
    for value in d.values():
        value.add_(100.0)
    out = _cpu64(fresh.transform(B), "transform(B)")
    assert torch.allclose(out, want, atol=1e-6), (
        tidy(f"after load_state_dict(d) of a ZScoreNormalizer fitted on {A.tolist()}, adding 100 in place to the "
             f"tensors of d changed transform({B.tolist()}) to {out.tolist()}, expected {want.tolist()}")
    )
    X = torch.tensor([[1.0, 2.0], [3.0, 1.0], [0.0, 0.0]], device=device())
    kept = X.clone()
    w = Whitener()
    for method in ("fit", "fit_transform", "transform", "inverse_transform"):
        getattr(w, method)(X)
        assert torch.equal(X, kept), (
            tidy(f"Whitener().{method}(X) changed X from {kept.tolist()} to {X.tolist()}: the argument must not change")
        )


@test_case(points=0.5, hidden=False)
def errors_example(ZScoreNormalizer):
    """validation: transform before fit, three features after fitting on one, fit on no samples.

    `transform` before `fit` raises `RuntimeError`; a wrong number of features raises `ValueError`.

    `fit` on zero samples raises `ValueError`
    """
    import torch

    from dl541_testing import device, require

    require(ZScoreNormalizer=ZScoreNormalizer)
    X = torch.tensor([[1.0, 2.0], [3.0, 5.0]], device=device())
    assert _raises(RuntimeError, ZScoreNormalizer().transform, X), (
        "ZScoreNormalizer().transform(X) before fit did not raise RuntimeError"
    )
    one = torch.tensor([[1.0], [3.0]], device=device())
    norm = ZScoreNormalizer().fit(one)
    three = torch.ones(2, 3, device=device())
    assert _raises(ValueError, norm.transform, three), (
        "ZScoreNormalizer fitted on X of shape (2, 1): transform(X) with X of shape (2, 3) did not raise ValueError"
    )
    assert _raises(ValueError, ZScoreNormalizer().fit, torch.empty(0, 2, device=device())), (
        "ZScoreNormalizer().fit(X) with X of shape (0, 2) did not raise ValueError"
    )


@test_case(points=0.5, hidden=False)
def dtype_example(ZScoreNormalizer):
    """dtype: statistics fitted in float64, applied to a float32 batch, give float32.

    a normalizer fitted on `float64` data and applied to a `float32` batch returns `float32`
    """
    import torch

    from dl541_testing import device, require, same_device_and_dtype

    require(ZScoreNormalizer=ZScoreNormalizer)
    A = torch.tensor([[1.0, 2.0], [3.0, 6.0]], dtype=torch.float64, device=device())
    B = torch.tensor([[4.0, 0.0]], dtype=torch.float32, device=device())
    norm = ZScoreNormalizer().fit(A)
    same_device_and_dtype(norm.transform(B), B, "ZScoreNormalizer fitted on float64 data: transform(B) of a float32 B")
    same_device_and_dtype(norm.inverse_transform(B), B,
                          "ZScoreNormalizer fitted on float64 data: inverse_transform(B) of a float32 B")


@test_case(points=2.5, hidden=True)
def transform_never_refits(MinMaxNormalizer, ZScoreNormalizer, Whitener):
    """core: transform uses the statistics of fit, and fit_transform is fit then transform.

    `transform` never refits: after `fit(A)`, `transform(B)` uses $A$'s statistics and
    leaves them unchanged

    `fit` returns `self`, and `fit_transform(X)` equals `fit(X).transform(X)`
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(MinMaxNormalizer=MinMaxNormalizer, ZScoreNormalizer=ZScoreNormalizer, Whitener=Whitener)
    makers = _makers(MinMaxNormalizer, ZScoreNormalizer, Whitener)

    @for_all(st.integers(0, 2), st.integers(1, 4), seeds(), examples=15)
    @example(1, 2, 0)
    def check(which, d, seed):
        what, make = makers[which]
        A, B, C = _data(seed, 12, d), 5 * _data(seed + 1, 9, d) - 40, _data(seed + 2, 4, d)
        norm = make()
        got = norm.fit(A)
        assert got is norm, f"{what}.fit(A) returned {got!r}, expected the normalizer itself"
        before = _cpu64(norm.transform(C), f"{what}.fit(A).transform(C)")
        on_b = _cpu64(norm.transform(B), f"{what}.fit(A).transform(B)")
        after = _cpu64(norm.transform(C), f"{what}.fit(A).transform(C)")
        assert torch.allclose(before, after, rtol=1e-12, atol=1e-12), (
            f"{what}.fit(A); transform(C) gave {before.tolist()}, but after transform(B) transform(C) "
            f"gave {after.tolist()}: transform must not refit"
        )
        own = _cpu64(make().fit_transform(B), f"{what}.fit_transform(B)")
        assert not torch.allclose(on_b, own, rtol=1e-3, atol=1e-3), (
            f"{what}.fit(A).transform(B) equals fit_transform(B): transform must use the statistics of A"
        )
        both = _cpu64(make().fit(A).transform(A), f"{what}.fit(A).transform(A)")
        via = _cpu64(make().fit_transform(A), f"{what}.fit_transform(A)")
        assert torch.allclose(via, both, rtol=1e-12, atol=1e-12), (
            f"{what}.fit_transform(A) returned {via.tolist()}, expected fit(A).transform(A) = {both.tolist()}"
        )


@test_case(points=3, hidden=True)
def state_dict_round_trip(MinMaxNormalizer, ZScoreNormalizer, Whitener):
    """core: a fresh normalizer loaded from a state dict transforms and inverts like the original.

    `state_dict()` | the fitted statistics as a `dict[str, Tensor]` (copies)

    `state_dict` → `load_state_dict` into a fresh object reproduces `transform` and
    `inverse_transform` exactly

    `state_dict` holds statistics only, not constructor settings (`low`, `high`, `eps`), as in
    `torch.nn`: the tests load a state dict into a **fresh** object built with the same
    arguments
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(MinMaxNormalizer=MinMaxNormalizer, ZScoreNormalizer=ZScoreNormalizer, Whitener=Whitener)
    makers = _makers(MinMaxNormalizer, ZScoreNormalizer, Whitener)

    @for_all(st.integers(0, 2), st.integers(1, 4), seeds(), st.sampled_from([torch.float32, torch.float64]),
             examples=15)
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
            want = _cpu64(getattr(norm, method)(Y), f"{what}.{method}(Y)")
            got = _cpu64(getattr(fresh, method)(Y), f"a fresh {what} after load_state_dict: {method}(Y)")
            assert torch.allclose(got, want, rtol=1e-6, atol=1e-6), (
                f"a fresh {what} after load_state_dict(state_dict()) gave {method}(Y) = {got.tolist()}, "
                f"expected the original's {want.tolist()}"
            )
        back = _cpu64(fresh.inverse_transform(fresh.transform(Y)), f"the loaded {what}: inverse_transform(transform(Y))")
        tol = 1e-3 if dtype == torch.float32 else 1e-8
        assert torch.allclose(back, Y.double().cpu(), rtol=tol, atol=tol), (
            f"the loaded {what}: inverse_transform(transform(Y)) returned {back.tolist()}, expected Y = {Y.tolist()}"
        )


@test_case(points=1, hidden=True)
def state_is_independent_of_the_normalizer(MinMaxNormalizer, ZScoreNormalizer, Whitener):
    """contract: returned and loaded state dicts share nothing with the normalizer, in either direction.

    `state_dict()` returns copies: changing the returned dict or its tensors in place does not
    change the normalizer, and neither does a later `fit` of the normalizer change the returned
    tensors.

    `load_state_dict(d)` stores copies: changing `d` or its tensors after the call does not
    change the normalizer.

    later refits of the original do not leak into the copy
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(MinMaxNormalizer=MinMaxNormalizer, ZScoreNormalizer=ZScoreNormalizer, Whitener=Whitener)
    makers = _makers(MinMaxNormalizer, ZScoreNormalizer, Whitener)

    @for_all(st.integers(0, 2), st.integers(1, 4), seeds(), examples=12)
    @example(1, 2, 0)
    def check(which, d, seed):
        what, make = makers[which]
        X, Y, other = _data(seed, 12, d), _data(seed + 1, 5, d), 3 * _data(seed + 2, 12, d) + 7
        norm = make().fit(X)
        want = _cpu64(norm.transform(Y), f"{what}.transform(Y)")
        state = norm.state_dict()
        for key in list(state):
            state[key].mul_(3).add_(1)
            state[key] = torch.zeros(1)
        got = _cpu64(norm.transform(Y), f"{what}.transform(Y)")
        assert torch.allclose(got, want, rtol=1e-12, atol=1e-12), (
            f"{what}.fit(X); editing the dict returned by state_dict() (its tensors in place, then its "
            f"entries) changed transform(Y) from {want.tolist()} to {got.tolist()}"
        )
        state = norm.state_dict()
        kept = {key: value.clone() for key, value in state.items()}
        norm.fit(other)
        changed = sorted(key for key in kept if not torch.equal(state[key], kept[key]))
        assert not changed, f"{what}: refitting the normalizer changed the tensors {changed} of a state_dict() returned before"
        d = make().fit(X).state_dict()
        fresh = make()
        fresh.load_state_dict(d)
        for key in list(d):
            d[key].mul_(3).add_(1)
            d[key] = torch.zeros(1)
        got = _cpu64(fresh.transform(Y), f"the loaded {what}.transform(Y)")
        assert torch.allclose(got, want, rtol=1e-12, atol=1e-12), (
            f"{what}: after load_state_dict(d), editing d (its tensors in place, then its entries) changed "
            f"transform(Y) from {want.tolist()} to {got.tolist()}"
        )
        source = make().fit(X)
        loaded = make()
        loaded.load_state_dict(source.state_dict())
        source.fit(other)
        got = _cpu64(loaded.transform(Y), f"the loaded {what}.transform(Y)")
        assert torch.allclose(got, want, rtol=1e-12, atol=1e-12), (
            f"refitting the original {what} changed the normalizer loaded from its state_dict: transform(Y) "
            f"went from {want.tolist()} to {got.tolist()}"
        )


@test_case(points=0.5, hidden=True)
def inputs_are_not_modified(MinMaxNormalizer, ZScoreNormalizer, Whitener):
    """contract: fit, fit_transform, transform and inverse_transform leave their argument unchanged.

    `fit`, `transform`, `fit_transform` and `inverse_transform` never change their argument:
    the caller's tensor holds the same values after the call.
    """
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
            assert torch.equal(arg, kept), f"{what}.{method}(X) changed its argument X in place"


@test_case(points=0.5, hidden=True)
def errors_on_misuse(MinMaxNormalizer, ZScoreNormalizer, Whitener):
    """validation: RuntimeError before fit, ValueError for a wrong shape, wrong feature count or no samples.

    `transform` or `inverse_transform` before `fit` (or `load_state_dict`) raises
    `RuntimeError`; an `X` that is not a 2-D floating tensor, or whose number of features differs
    from the fitted one, raises `ValueError`; `fit` on zero samples raises `ValueError`.
    """
    import torch

    from dl541_testing import device, require

    require(MinMaxNormalizer=MinMaxNormalizer, ZScoreNormalizer=ZScoreNormalizer, Whitener=Whitener)
    for what, make in _makers(MinMaxNormalizer, ZScoreNormalizer, Whitener):
        X = _data(0, 10, 3)
        for method in ("transform", "inverse_transform"):
            assert _raises(RuntimeError, getattr(make(), method), X), (
                f"{what}.{method}(X) before fit did not raise RuntimeError"
            )
        assert _raises(ValueError, make().fit, torch.ones(5, device=device())), (
            f"{what}.fit(X) with X of shape (5,) did not raise ValueError (X must be (n, d))"
        )
        assert _raises(ValueError, make().fit, torch.empty(0, 3, device=device())), (
            f"{what}.fit(X) with X of shape (0, 3) did not raise ValueError (no samples to fit on)"
        )
        for d_fit, d_bad in [(3, 1), (1, 3), (3, 4), (2, 3)]:
            norm = make().fit(_data(d_fit, 10, d_fit))
            assert norm is not None, f"{what}.fit(X) returned None, expected the normalizer"
            bad = _data(1, 4, d_bad)
            for method in ("transform", "inverse_transform"):
                assert _raises(ValueError, getattr(norm, method), bad), (
                    f"{what} fitted on {d_fit} features: {method}(X) with {d_bad} features did not raise ValueError"
                )
        norm = make().fit(X)
        assert _raises(ValueError, norm.transform, X[0]), (
            f"{what}.transform(x) with x of shape {tuple(X[0].shape)} did not raise ValueError"
        )


@test_case(points=0.5, hidden=True)
def output_keeps_the_input_dtype_and_device(MinMaxNormalizer, ZScoreNormalizer, Whitener):
    """dtype: outputs keep the argument's dtype and device, whatever the statistics were fitted on.

    `transform` and `inverse_transform` return their argument's dtype and device even when the
    statistics come from elsewhere: a normalizer fitted on `float64` data and applied to a
    `float32` batch returns `float32`, and statistics loaded from a state dict saved on the CPU
    work on GPU data.
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, same_device_and_dtype, seeds

    require(MinMaxNormalizer=MinMaxNormalizer, ZScoreNormalizer=ZScoreNormalizer, Whitener=Whitener)
    makers = _makers(MinMaxNormalizer, ZScoreNormalizer, Whitener)

    @for_all(st.integers(0, 2), st.integers(1, 4), seeds(), st.booleans(), examples=12)
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
