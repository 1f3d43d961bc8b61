from otter.test_files import test_case

OK_FORMAT = False
name = "q4"
points = None


def _independent_predict(X_train, y_train, X_test, lam, centre_y=True):
    """z-score with the training mean and population std (constant features -> 0), ridge by SVD.

    The handout says "z-score, fit ridge, predict"; the notebook recommends centring y too.
    Both readings are correct, so the tests accept either (`centre_y`).
    """
    import torch

    Xtr, Xte, ytr = X_train.double(), X_test.double(), y_train.double()
    n = Xtr.shape[0]
    mu = Xtr.sum(0) / n
    sd = ((Xtr - mu) ** 2).sum(0).div(n).sqrt()
    varies = Xtr.max(0).values > Xtr.min(0).values
    Ztr = torch.where(varies, (Xtr - mu) / torch.where(varies, sd, 1.0), 0.0)
    Zte = torch.where(varies, (Xte - mu) / torch.where(varies, sd, 1.0), 0.0)
    ybar = ytr.sum() / n if centre_y else torch.zeros((), dtype=torch.float64, device=ytr.device)
    U, s, Vh = torch.linalg.svd(Ztr, full_matrices=False)
    keep = s > s.max() * 1e-10 if s.numel() and float(s.max()) > 0 else torch.zeros_like(s, dtype=torch.bool)
    shrink = torch.where(keep, s / (s**2 + n * lam / 2), torch.zeros_like(s))
    w = Vh.T @ (shrink * (U.T @ (ytr - ybar)))
    return Zte @ w + ybar


def _weather(n, generator, dev):
    """Synthetic days: today's temperature (deg C), wind speed (km/h); tomorrow's temperature (float64)."""
    import torch

    t = 5 + 20 * torch.rand(n, generator=generator, dtype=torch.float64)
    s = 40 * torch.rand(n, generator=generator, dtype=torch.float64)
    y = 0.9 * t - 0.08 * s + 1.5 + 0.5 * torch.randn(n, generator=generator, dtype=torch.float64)
    X = torch.stack([t, s], dim=1)
    return X.to(dev), y.to(dev)


@test_case(points=1, hidden=False)
def kmh_or_ms_same_forecast(standardized_ridge_predict):
    """core: the weather example gives the same forecast with the wind in km/h or in m/s.

    its predictions do not change when a feature's unit changes

    Return the predictions, of shape `(m,)`, in `X_test`'s dtype on its device.
    """
    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(standardized_ridge_predict=standardized_ridge_predict)
    dev = device()
    g = torch.Generator().manual_seed(0)
    X, y = _weather(30, g, dev)
    X_train, y_train, X_test = X[:20], y[:20], X[20:]
    kmh = standardized_ridge_predict(X_train, y_train, X_test, 1.0)
    same_device_and_dtype(kmh, X_test, "standardized_ridge_predict(X_train, y_train, X_test, 1.0)")
    assert kmh.shape == (10,), f"10 test days gave predictions of shape {tuple(kmh.shape)}, expected (10,)"
    to_ms = torch.tensor([1.0, 1 / 3.6], dtype=X.dtype, device=dev)
    ms = standardized_ridge_predict(X_train * to_ms, y_train, X_test * to_ms, 1.0)
    readings = [_independent_predict(X_train, y_train, X_test, 1.0, centre) for centre in (True, False)]
    assert any(torch.allclose(kmh, e, rtol=1e-9, atol=1e-9) for e in readings), tidy(
        f"wind speed in km/h: standardized_ridge_predict(X_train, y_train, X_test, 1.0) returned {kmh.tolist()[:3]}..., "
        f"expected {readings[0].tolist()[:3]}... (y centred) or {readings[1].tolist()[:3]}... (y not centred)"
    )
    assert torch.allclose(kmh, ms, rtol=1e-9, atol=1e-9), (
        tidy(f"wind speed in km/h gave predictions {kmh.tolist()[:3]}..., in m/s {ms.tolist()[:3]}...: "
        "the forecast must not depend on the unit")
    )


@test_case(points=2, hidden=False)
def hand_computed_example(standardized_ridge_predict):
    """core: one feature, two training days, two test days, computed by hand.

    compute $\\mu$ and $\\sigma$ (population std, `ddof = 0`) of each column of `X_train`;

    z-score `X_train` **and** `X_test` with these training statistics

    the plain version (z-score, fit ridge, predict) and the version that centres `y` are both
    accepted.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(standardized_ridge_predict=standardized_ridge_predict)
    dev = device()
    # mu = 1, sigma = 1: z_train = [-1, 1], z_test = [3, -1]; Z^T Z / n = 1, so w = (Z^T y / n) / (1 + lam / 2)
    # = 1 / 2 for lam = 2 (with or without centring y), and the predictions are 0.5 z_test (+ 1 with y centred)
    X_train = torch.tensor([[0.0], [2.0]], dtype=torch.float64, device=dev)
    y_train = torch.tensor([0.0, 2.0], dtype=torch.float64, device=dev)
    X_test = torch.tensor([[4.0], [0.0]], dtype=torch.float64, device=dev)
    got = standardized_ridge_predict(X_train, y_train, X_test, 2.0)
    readings = ([2.5, 0.5], [1.5, -0.5])
    ok = isinstance(got, torch.Tensor) and got.shape == (2,) and any(
        torch.allclose(got, torch.tensor(r, dtype=torch.float64, device=dev), atol=1e-9) for r in readings
    )
    assert ok, tidy(
        f"standardized_ridge_predict(X_train=[[0], [2]], y_train=[0, 2], X_test=[[4], [0]], lam=2) returned {got!r}, "
        "expected [2.5, 0.5] (y centred) or [1.5, -0.5] (y not centred): z-scores [-1, 1] and [3, -1], w = 0.5"
    )


@test_case(points=1, hidden=False)
def constant_feature_hand_example(standardized_ridge_predict):
    """edge: a feature constant on the training set z-scores to 0 (hand-computed example).

    A feature that is constant on the training set ($\\sigma_j = 0$; test with `max == min`)
    z-scores to 0 for every row, training and test.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(standardized_ridge_predict=standardized_ridge_predict)
    dev = device()
    X_train = torch.tensor([[0.0, 5.0], [2.0, 5.0]], dtype=torch.float64, device=dev)
    y_train = torch.tensor([0.0, 2.0], dtype=torch.float64, device=dev)
    X_test = torch.tensor([[4.0, 5.0], [0.0, 6.0]], dtype=torch.float64, device=dev)
    got = standardized_ridge_predict(X_train, y_train, X_test, 2.0)
    readings = ([2.5, 0.5], [1.5, -0.5])
    ok = isinstance(got, torch.Tensor) and got.shape == (2,) and any(
        torch.allclose(got, torch.tensor(r, dtype=torch.float64, device=dev), atol=1e-9) for r in readings
    )
    assert ok, tidy(
        f"standardized_ridge_predict(X_train=[[0, 5], [2, 5]], y_train=[0, 2], X_test=[[4, 5], [0, 6]], lam=2) "
        f"returned {got!r}, expected [2.5, 0.5] (y centred) or [1.5, -0.5] (y not centred), the same as without "
        "the second feature, which is constant on the training set"
    )


@test_case(points=4, hidden=True)
def matches_an_independent_pipeline(standardized_ridge_predict):
    """core: random data, features of very different scales, lam > 0: z-score, ridge, predict.

    z-score the features with the training statistics, fit ridge, predict

    compute $\\mu$ and $\\sigma$ (population std, `ddof = 0`) of each column of `X_train`;

    the plain version (z-score, fit ridge, predict) and the version that centres `y` are both
    accepted.

    Return the predictions, of shape `(m,)`, in `X_test`'s dtype on its device.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, same_device_and_dtype

    require(standardized_ridge_predict=standardized_ridge_predict)
    dev = device()

    @for_all(
        st.integers(1, 4),
        st.integers(2, 8),
        st.integers(1, 5),
        st.floats(-2, 1.5),
        st.sampled_from([torch.float32, torch.float64]),
        st.integers(0, 2**31 - 1),
        examples=30,
    )
    def check(d, n, m, log_lam, dtype, seed):
        g = torch.Generator().manual_seed(seed)
        scales = 10.0 ** torch.empty(d, dtype=torch.float64).uniform_(-2, 2, generator=g)
        shifts = 10 * torch.randn(d, generator=g, dtype=torch.float64)
        X_train = (torch.randn(n, d, generator=g, dtype=torch.float64) * scales + shifts).to(dev, dtype)
        X_test = (torch.randn(m, d, generator=g, dtype=torch.float64) * scales + shifts).to(dev, dtype)
        y_train = (5 + torch.randn(n, generator=g, dtype=torch.float64)).to(dev, dtype)
        lam = 10.0**log_lam
        got = standardized_ridge_predict(X_train.clone(), y_train.clone(), X_test.clone(), lam)
        call = f"standardized_ridge_predict(X_train ({n}, {d}), y_train, X_test ({m}, {d}), lam={lam:.3g}) in {dtype}"
        same_device_and_dtype(got, X_test, call)
        assert got.shape == (m,), f"{call} has shape {tuple(got.shape)}, expected ({m},)"
        tol = 1e-4 if dtype == torch.float32 else 1e-9
        readings = [_independent_predict(X_train, y_train, X_test, lam, centre) for centre in (True, False)]
        assert any(torch.allclose(got.double(), e, rtol=tol, atol=tol) for e in readings), (
            f"{call} returned {got.tolist()}, expected {readings[0].tolist()} (y centred) or "
            f"{readings[1].tolist()} (y not centred), the predictions of ridge on the z-scores with the training "
            "mean and population std"
        )


@test_case(points=3, hidden=True)
def invariant_to_the_unit_of_any_feature(standardized_ridge_predict):
    """core: with any feature multiplied by any non-zero factor, the predictions are those of the original unit.

    its predictions do not change when a feature's unit changes
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require

    require(standardized_ridge_predict=standardized_ridge_predict)
    dev = device()

    @for_all(
        st.integers(1, 4),
        st.data(),
        st.floats(-3, 3),
        st.booleans(),
        st.floats(-2, 1.5),
        st.integers(0, 2**31 - 1),
        examples=30,
    )
    def check(d, data, log_c, negative, log_lam, seed):
        j = data.draw(st.integers(0, d - 1))
        g = torch.Generator().manual_seed(seed)
        X = (torch.randn(12, d, generator=g, dtype=torch.float64) + 3).to(dev)
        y = (X @ torch.randn(d, generator=g, dtype=torch.float64).to(dev)) + 2
        c = (-1 if negative else 1) * 10.0**log_c
        lam = 10.0**log_lam
        Xc = X.clone()
        Xc[:, j] *= c
        readings = [_independent_predict(X[:8], y[:8], X[8:], lam, centre) for centre in (True, False)]
        scaled = standardized_ridge_predict(Xc[:8], y[:8], Xc[8:], lam)
        assert any(torch.allclose(scaled, e, rtol=1e-8, atol=1e-8) for e in readings), (
            f"with feature {j} multiplied by {c:.3g}, standardized_ridge_predict(X_train (8, {d}), y_train, "
            f"X_test (4, {d}), lam={lam:.3g}) returned {scaled.tolist()}, expected the predictions in the original "
            f"unit, {readings[0].tolist()} (y centred) or {readings[1].tolist()} (y not centred)"
        )


@test_case(points=1, hidden=True)
def lam_zero_is_least_squares(standardized_ridge_predict):
    """edge: lam = 0 gives least squares with an intercept (y centred) or on the z-scores.

    with `lam = 0` that pipeline is exactly least squares with an intercept.

    the plain version (z-score, fit ridge, predict) and the version that centres `y` are both
    accepted.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require

    require(standardized_ridge_predict=standardized_ridge_predict)
    dev = device()

    @for_all(st.integers(1, 3), st.integers(0, 2**31 - 1), examples=15)
    def check(d, seed):
        g = torch.Generator().manual_seed(seed)
        X, y = _weather(15, g, dev)
        X = torch.cat([X, torch.randn(15, d, generator=g, dtype=torch.float64).to(dev)], dim=1)
        ones = torch.ones(10, 1, dtype=torch.float64, device=dev)
        coef = torch.linalg.lstsq(torch.cat([X[:10], ones], 1).cpu(), y[:10, None].cpu()).solution.to(dev)
        with_intercept = (torch.cat([X[10:], ones[:5]], 1) @ coef)[:, 0]
        mu, sd = X[:10].mean(0), X[:10].std(0, correction=0)
        Z = (X - mu) / sd
        w = torch.linalg.lstsq(Z[:10].cpu(), y[:10, None].cpu()).solution.to(dev)
        without = (Z[10:] @ w)[:, 0]
        got = standardized_ridge_predict(X[:10], y[:10], X[10:], 0.0)
        assert any(torch.allclose(got, e, rtol=1e-8, atol=1e-8) for e in (with_intercept, without)), (
            f"standardized_ridge_predict(..., lam=0) returned {got.tolist()}, expected {with_intercept.tolist()} "
            f"(y centred: least squares with an intercept) or {without.tolist()} (y not centred: least squares "
            "on the z-scores)"
        )


@test_case(points=1, hidden=True)
def constant_feature_is_ignored(standardized_ridge_predict):
    """edge: a feature constant on the training set changes no prediction.

    A feature that is constant on the training set ($\\sigma_j = 0$; test with `max == min`)
    z-scores to 0 for every row, training and test.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(standardized_ridge_predict=standardized_ridge_predict)
    dev = device()
    g = torch.Generator().manual_seed(4)
    X, y = _weather(20, g, dev)
    for value in (0.1, 7.0):
        constant = torch.full((20, 1), value, dtype=torch.float64, device=dev)
        with_constant = torch.cat([X, constant], dim=1)
        with_constant[15:, 2] = value + 1  # a test day may differ; the feature still carries no information
        got = standardized_ridge_predict(with_constant[:15], y[:15], with_constant[15:], 0.5)
        readings = [_independent_predict(X[:15], y[:15], X[15:], 0.5, centre) for centre in (True, False)]
        ok = isinstance(got, torch.Tensor) and got.shape == (5,) and torch.isfinite(got).all()
        assert ok and any(torch.allclose(got, e, rtol=1e-9, atol=1e-9) for e in readings), tidy(
            f"a feature that is constant ({value}) on the training set gave predictions {got!r}, expected "
            f"{readings[0].tolist()} (y centred) or {readings[1].tolist()} (y not centred), the predictions "
            "without that feature"
        )


@test_case(points=1, hidden=True)
def leaves_its_inputs_unchanged(standardized_ridge_predict):
    """contract: X_train, y_train and X_test are the same after the call.

    No input is changed.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require

    require(standardized_ridge_predict=standardized_ridge_predict)
    dev = device()

    @for_all(st.integers(1, 3), st.sampled_from([torch.float32, torch.float64]), st.integers(0, 2**31 - 1), examples=10)
    def check(d, dtype, seed):
        g = torch.Generator().manual_seed(seed)
        X_train = (torch.randn(8, d, generator=g, dtype=torch.float64) + 3).to(dev, dtype)
        X_test = (torch.randn(4, d, generator=g, dtype=torch.float64) + 3).to(dev, dtype)
        y_train = (5 + torch.randn(8, generator=g, dtype=torch.float64)).to(dev, dtype)
        originals = [t.clone() for t in (X_train, y_train, X_test)]
        standardized_ridge_predict(X_train, y_train, X_test, 0.5)
        for t, o, what in zip((X_train, y_train, X_test), originals, ("X_train", "y_train", "X_test")):
            assert torch.equal(t, o), (
                f"standardized_ridge_predict(X_train ({8}, {d}), y_train, X_test ({4}, {d}), 0.5) in {dtype} "
                f"changed {what}"
            )


@test_case(points=1, hidden=True)
def rejects_bad_input(standardized_ridge_predict):
    """validation: shapes that do not fit together, or lam < 0, raise ValueError.

    Shapes that do not fit together (`X_train` or `X_test` not 2-D, `X_test` with another number
    of columns, `y_train` not of shape `(n,)`) or `lam < 0` raise `ValueError`.
    """
    import torch

    from dl541_testing import require

    require(standardized_ridge_predict=standardized_ridge_predict)
    X = torch.randn(6, 2, generator=torch.Generator().manual_seed(0))
    cases = [
        (X, torch.zeros(6), torch.zeros(3, 3), 1.0),
        (X, torch.zeros(5), X, 1.0),
        (X, torch.zeros(6), X, -1.0),
        (X[:, 0], torch.zeros(6), X[:, 0], 1.0),
        (X, torch.zeros(6), X[0], 1.0),
        (X[:, 0], torch.zeros(6), X, 1.0),
    ]
    for Xtr, ytr, Xte, lam in cases:
        try:
            standardized_ridge_predict(Xtr, ytr, Xte, lam)
        except ValueError:
            continue
        raise AssertionError(
            f"standardized_ridge_predict(X_train {tuple(Xtr.shape)}, y_train {tuple(ytr.shape)}, "
            f"X_test {tuple(Xte.shape)}, lam={lam}) did not raise ValueError"
        )


@test_case(points=1, hidden=True)
def integer_targets_in_whole_degrees(standardized_ridge_predict):
    """dtype: integer targets are converted to float64; the predictions keep X_test's dtype.

    `y_train` may come in another dtype than the features, e.g. an integer tensor of whole
    degrees: convert it to float64 too.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, same_device_and_dtype

    require(standardized_ridge_predict=standardized_ridge_predict)
    dev = device()

    @for_all(st.floats(-2, 1), st.sampled_from([torch.float32, torch.float64]), st.integers(0, 2**31 - 1), examples=10)
    def check(log_lam, dtype, seed):
        g = torch.Generator().manual_seed(seed)
        X, y = _weather(16, g, dev)
        X = X.to(dtype)
        y_int = y.round().to(torch.int64)
        lam = 10.0**log_lam
        call = f"standardized_ridge_predict(X_train in {dtype}, y_train as int64 whole degrees, X_test, {lam:.3g})"
        got = standardized_ridge_predict(X[:12], y_int[:12], X[12:], lam)
        same_device_and_dtype(got, X, call)
        tol = 1e-4 if dtype == torch.float32 else 1e-9
        readings = [_independent_predict(X[:12], y_int[:12], X[12:], lam, centre) for centre in (True, False)]
        assert any(torch.allclose(got.double(), e, rtol=tol, atol=tol) for e in readings), (
            f"{call} returned {got.tolist()}, expected {readings[0].tolist()} (y centred) or "
            f"{readings[1].tolist()} (y not centred)"
        )
