from otter.test_files import test_case

OK_FORMAT = False
name = "q5"
points = None


def _orthonormal_rows(seed, count, d, dtype, dev):
    import torch

    g = torch.Generator().manual_seed(seed)
    Q, _ = torch.linalg.qr(torch.randn(d, count, generator=g, dtype=torch.float64))
    return Q.T.to(dtype).to(dev)


def _as_bool(value, call):
    import torch

    from dl541_testing import tidy

    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.dtype == torch.bool:
        value = bool(value)
    assert isinstance(value, bool), tidy(f"{call} returned {value!r}, expected True or False")
    return value


def _independent_cosines(A, B):
    import torch

    QA, _ = torch.linalg.qr(A.double().T)
    QB, _ = torch.linalg.qr(B.double().T)
    return torch.linalg.svdvals(QA.T @ QB)[: min(A.shape[0], B.shape[0])]


@test_case(points=1, hidden=False)
def lecture_example(subspace_cosines, same_span):
    import math

    import torch

    from dl541_testing import device, require, same_device_and_dtype, tidy

    require(subspace_cosines=subspace_cosines, same_span=same_span)
    t = 0.5
    A = torch.tensor([[1.0, 0.0, 0.0]], device=device())
    B = torch.tensor([[math.cos(t), math.sin(t), 0.0]], device=device())
    got = subspace_cosines(A, B)
    same_device_and_dtype(got, A, "subspace_cosines(A, B)")
    assert tuple(got.shape) == (1,) and abs(float(got[0]) - math.cos(t)) < 1e-5, (
        tidy(f"subspace_cosines of two lines at angle {t} returned {got.tolist()}, expected [{math.cos(t):.5f}]")
    )
    assert _as_bool(same_span(A, -2 * A), "same_span(A, -2 A)") is True, "same_span(A, -2 A) should be True"
    assert _as_bool(same_span(A, B), "same_span(A, B)") is False, "lines at angle 0.5 do not have the same span"


@test_case(points=2, hidden=True)
def agrees_with_an_independent_computation(subspace_cosines):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(subspace_cosines=subspace_cosines)
    dev = device()

    @prop(30)
    @given(
        st.integers(1, 7), st.data(), st.floats(0.0, 2.0),
        st.sampled_from([torch.float32, torch.float64]), st.integers(0, 2**31 - 1),
    )
    def check(d, data, noise, dtype, seed):
        k1 = data.draw(st.integers(1, d), label="k1")
        k2 = data.draw(st.integers(1, d), label="k2")
        g = torch.Generator().manual_seed(seed)
        A = torch.randn(k1, d, generator=g, dtype=torch.float64)
        # B mixes A's rows with some noise, so its angles to A range from 0 to 90 degrees.
        B = torch.randn(k2, k1, generator=g, dtype=torch.float64) @ A
        B = B + noise * torch.randn(k2, d, generator=g, dtype=torch.float64)
        A, B = A.to(dtype).to(dev), B.to(dtype).to(dev)
        if torch.linalg.matrix_rank(A.double()) < k1 or torch.linalg.matrix_rank(B.double()) < k2:
            return
        got = subspace_cosines(A, B)
        same_device_and_dtype(got, A, "subspace_cosines(A, B)")
        expected = _independent_cosines(A, B)
        assert tuple(got.shape) == (min(k1, k2),), (
            f"subspace_cosines of shapes {tuple(A.shape)} and {tuple(B.shape)} returned shape "
            f"{tuple(got.shape)}, expected ({min(k1, k2)},)"
        )
        tol = 1e-3 if dtype == torch.float32 else 1e-8
        assert torch.allclose(got.double(), expected, atol=tol, rtol=0.0), (
            f"subspace_cosines of shapes {tuple(A.shape)} and {tuple(B.shape)} returned {got.tolist()}, "
            f"expected {expected.tolist()} (largest first)"
        )

    run_property(check)


@test_case(points=2, hidden=True)
def invariant_to_the_choice_of_rows(subspace_cosines):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(subspace_cosines=subspace_cosines)
    dev = device()

    @prop(30)
    @given(st.integers(2, 7), st.data(), st.integers(0, 2**31 - 1))
    def check(d, data, seed):
        k1 = data.draw(st.integers(1, d), label="k1")
        k2 = data.draw(st.integers(1, d), label="k2")
        g = torch.Generator().manual_seed(seed)
        A = torch.randn(k1, d, generator=g, dtype=torch.float64).to(dev)
        B = torch.randn(k2, d, generator=g, dtype=torch.float64).to(dev)
        base = subspace_cosines(A, B)
        assert isinstance(base, torch.Tensor) and tuple(base.shape) == (min(k1, k2),), (
            f"subspace_cosines of shapes {tuple(A.shape)} and {tuple(B.shape)} returned {base!r} (see the previous failures)."
        )
        assert bool((base[:-1] >= base[1:] - 1e-9).all()), f"cosines {base.tolist()} are not sorted largest first"
        assert bool((base >= -1e-9).all() and (base <= 1 + 1e-9).all()), f"cosines {base.tolist()} not in [0, 1]"
        # An invertible mix of rows: an orthogonal matrix times a diagonal with entries in [0.5, 2].
        Q, _ = torch.linalg.qr(torch.randn(k1, k1, generator=g, dtype=torch.float64))
        M = (Q * (0.5 + 1.5 * torch.rand(k1, generator=g, dtype=torch.float64))).to(dev)
        perm = torch.randperm(k2, generator=g).to(dev)
        for what, got in [
            ("M @ A for an invertible M", subspace_cosines(M @ A, B)),
            ("B with its rows reordered", subspace_cosines(A, B[perm])),
            ("the arguments swapped", subspace_cosines(B, A)),
        ]:
            assert torch.allclose(got, base, atol=1e-8), (
                f"subspace_cosines with {what} returned {got.tolist()}, expected the same cosines "
                f"{base.tolist()}: they depend only on the two row spaces"
            )
        own = subspace_cosines(A, M @ A)
        assert torch.allclose(own, torch.ones_like(own), atol=1e-8), (
            f"subspace_cosines(A, M @ A) returned {own.tolist()}, expected all ones (the same space)"
        )

    run_property(check)


@test_case(points=2, hidden=True)
def same_span_on_constructed_spaces(same_span):
    import math

    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(same_span=same_span)
    dev = device()

    @prop(25)
    @given(st.integers(3, 7), st.data(), st.integers(0, 2**31 - 1))
    def check(d, data, seed):
        k = data.draw(st.integers(1, d - 2), label="k")
        g = torch.Generator().manual_seed(seed)
        E = _orthonormal_rows(seed, k + 2, d, torch.float64, dev)  # k + 2 orthonormal directions
        A = E[:k]
        mix = torch.randn(k, k, generator=g, dtype=torch.float64).to(dev) + 3 * torch.eye(k, device=dev)
        extra = torch.randn(2, k, generator=g, dtype=torch.float64).to(dev) @ A  # dependent rows
        cases = [
            ("A and an invertible mix of A's rows", A, mix @ A, 1e-3, True),
            ("A and A's rows with two dependent rows added (rank k)", A, torch.cat([A, extra]), 1e-3, True),
            ("A and a space holding A plus one more direction", A, E[: k + 1], 1e-3, False),
            ("A and the same rows with the last replaced by an orthogonal one",
             A, torch.cat([A[:-1], E[k : k + 1]]), 1e-3, False),
        ]
        t = math.acos(0.99)  # one principal angle with cosine 0.99
        tilted = torch.cat([A[:-1], math.cos(t) * A[-1:] + math.sin(t) * E[k : k + 1]])
        cases += [
            ("A and a space tilted to cosine 0.99, tol = 1e-3", A, tilted, 1e-3, False),
            ("A and a space tilted to cosine 0.99, tol = 0.02", A, tilted, 0.02, True),
        ]
        for what, P, R, tol, expected in cases:
            got = _as_bool(same_span(P, R, tol=tol), f"same_span for {what}")
            assert got is expected, f"same_span for {what} (d = {d}, k = {k}) returned {got}, expected {expected}"

    run_property(check)


@test_case(points=1, hidden=True)
def rank_deficient_inputs(subspace_cosines, same_span):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(subspace_cosines=subspace_cosines, same_span=same_span)
    dev = device()

    @prop(12)
    @given(st.integers(3, 6), st.data(), st.sampled_from([torch.float32, torch.float64]), st.integers(0, 2**31 - 1))
    def check(d, data, dtype, seed):
        k = data.draw(st.integers(2, d), label="k")
        scale = data.draw(st.sampled_from([1e-6, 1.0, 1e6]), label="scale")
        g = torch.Generator().manual_seed(seed)
        B = torch.randn(d, d, generator=g, dtype=torch.float64).to(dtype).to(dev)  # spans all of R^d
        # k rows along k distinct axes; the last is shorter than the others by far more than the
        # dtype's precision, so A has rank k - 1 at every scale.
        tiny = 1e-12 if dtype == torch.float32 else 1e-20
        axes = torch.randperm(d, generator=g)[:k]
        A = torch.zeros(k, d, dtype=torch.float64)
        A[torch.arange(k), axes] = scale
        A[-1, axes[-1]] = scale * tiny
        A = A.to(dtype).to(dev)
        expected = [1.0] * (k - 1) + [0.0]
        for what, P, Q, want in [
            (f"A (rank {k - 1}: one row {tiny:g} times shorter) and B (rank {d})", A, B, expected),
            ("a zero matrix and B", torch.zeros_like(A), B, [0.0] * k),
        ]:
            got = subspace_cosines(P, Q)
            same_device_and_dtype(got, P, "subspace_cosines(A, B)")
            assert tuple(got.shape) == (k,) and torch.allclose(
                got.double().cpu(), torch.tensor(want, dtype=torch.float64), atol=1e-4, rtol=0.0
            ), (
                f"subspace_cosines of {what} at scale {scale:g} returned {got.tolist()}, expected {want}: a "
                "singular value below max(k, d) * eps * sigma_max does not count, and missing cosines are 0"
            )
        full = A.clone()
        full[-1] = full[-1] / tiny
        got = _as_bool(same_span(A, A[:-1]), "same_span(A, A without its tiny row)")
        assert got is True, f"same_span(A, A without its tiny row) at scale {scale:g} returned {got}, expected True"
        got = _as_bool(same_span(A, full), "same_span(A, A with the tiny row at full length)")
        assert got is False, (
            f"same_span(A, A with the tiny row at full length) at scale {scale:g} returned {got}, expected False "
            f"(ranks {k - 1} and {k})"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def tol_one_compares_only_the_ranks(same_span):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(same_span=same_span)
    dev = device()

    @prop(10)
    @given(st.integers(2, 6), st.data(), st.integers(0, 2**31 - 1))
    def check(d, data, seed):
        r = data.draw(st.integers(1, d // 2), label="r")
        g = torch.Generator().manual_seed(seed)
        axes = torch.randperm(d, generator=g)
        eye = torch.eye(d, dtype=torch.float64)
        A = (eye[axes[:r]] * (0.5 + torch.rand(r, 1, generator=g, dtype=torch.float64))).to(dev)
        B = (eye[axes[r : 2 * r]] * (0.5 + torch.rand(r, 1, generator=g, dtype=torch.float64))).to(dev)
        # Orthogonal spaces: every cosine is 0, and 0 >= 1 - tol holds for tol = 1 ("at least").
        got = _as_bool(same_span(A, B, tol=1.0), "same_span(A, B, tol=1.0)")
        assert got is True, (
            f"same_span(A, B, tol=1.0) for two orthogonal spaces of dimension {r} returned {got}, expected True: "
            "every cosine (0) is at least 1 - tol = 0, and the ranks agree"
        )
        if 2 * r < d:
            bigger = torch.cat([B, eye[axes[2 * r :][:1]].to(dev)])
            got = _as_bool(same_span(A, bigger, tol=1.0), "same_span(A, B, tol=1.0)")
            assert got is False, (
                f"same_span(A, B, tol=1.0) for spaces of dimension {r} and {r + 1} returned {got}, expected False"
            )

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_mismatched_widths(subspace_cosines, same_span):
    import torch

    from dl541_testing import require

    require(subspace_cosines=subspace_cosines, same_span=same_span)
    A, B = torch.randn(2, 4), torch.randn(2, 5)
    for fn in (subspace_cosines, same_span):
        for args, what in [((A, B), "widths 4 and 5"), ((A[0], A), "a 1-D A"), ((A, A[0]), "a 1-D B")]:
            try:
                fn(*args)
            except ValueError:
                continue
            raise AssertionError(f"{fn.__name__} with {what} should raise ValueError")
