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


def _cosines(value, call, count):
    import torch

    from dl541_testing import tidy

    assert isinstance(value, torch.Tensor) and tuple(value.shape) == (count,), tidy(
        f"{call} returned {value!r}, expected a tensor of shape ({count},)"
    )
    return value


def _independent_cosines(A, B):
    import torch

    QA, _ = torch.linalg.qr(A.double().T)
    QB, _ = torch.linalg.qr(B.double().T)
    return torch.linalg.svdvals(QA.T @ QB)[: min(A.shape[0], B.shape[0])]


def _plane_examples(dev):
    """A: the xy-plane spanned by non-orthogonal rows; B: a plane through the x axis tilted by 0.5 rad."""
    import math

    import torch

    A = torch.tensor([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]], device=dev)
    B = torch.tensor([[2.0, 0.0, 0.0], [0.0, math.cos(0.5), math.sin(0.5)]], device=dev)
    return A, B


@test_case(points=1, hidden=False)
def lecture_example(subspace_cosines, same_span):
    """core: two lines at angle 0.5 have the cosine cos(0.5); a line and its multiple have the same span.

    the singular
    values of $Q_A Q_B^\\top$ are the cosines of the principal angles between the two spaces.

    same_span(A, B, tol=1e-3) returns True when the two row spaces have the same rank and
    every cosine is at least 1 - tol.
    """
    import math

    import torch

    from dl541_testing import device, require, tidy

    require(subspace_cosines=subspace_cosines, same_span=same_span)
    t = 0.5
    A = torch.tensor([[1.0, 0.0, 0.0]], device=device())
    B = torch.tensor([[math.cos(t), math.sin(t), 0.0]], device=device())
    got = _cosines(subspace_cosines(A, B), f"subspace_cosines(A = {A.tolist()}, B = {B.tolist()})", 1)
    assert abs(float(got[0]) - math.cos(t)) < 1e-5, tidy(
        f"subspace_cosines of two lines at angle {t} returned {got.tolist()}, expected [{math.cos(t)}]"
    )
    assert _as_bool(same_span(A, -2 * A), "same_span(A, -2 A)") is True, (
        f"same_span(A, -2 A) with A = {A.tolist()} returned False, expected True (one line)"
    )
    assert _as_bool(same_span(A, B), "same_span(A, B)") is False, (
        f"same_span(A, B) with A = {A.tolist()}, B = {B.tolist()} (lines at angle 0.5) returned True, expected False"
    )


@test_case(points=1, hidden=False)
def two_planes(subspace_cosines):
    """core: the xy-plane (from non-orthogonal rows) and a plane tilted by 0.5 about the x axis: cosines [1, cos 0.5].

    Orthonormalise each row space, $Q_A$ (r_A, d) and $Q_B$ (r_B, d); the singular
    values of $Q_A Q_B^\\top$ are the cosines of the principal angles between the two spaces.

    subspace_cosines(A, B) returns these cosines for A (k1, d) and B (k2, d), largest
    first, min(k1, k2) of them
    """
    import math

    import torch

    from dl541_testing import device, require, tidy

    require(subspace_cosines=subspace_cosines)
    A, B = _plane_examples(device())
    call = f"subspace_cosines(A = {A.tolist()}, B = {B.tolist()})"
    got = _cosines(subspace_cosines(A, B), call, 2)
    expected = torch.tensor([1.0, math.cos(0.5)], dtype=torch.float64)
    assert torch.allclose(got.double().cpu(), expected, atol=1e-5), tidy(
        f"{call} returned {got.tolist()}, expected {expected.tolist()} (largest first)"
    )


@test_case(points=1.5, hidden=False)
def same_span_of_planes(same_span):
    """core: a plane and a tilted plane differ; a plane and all of R^3 differ; a plane and its mix agree.

    same_span(A, B, tol=1e-3) returns True when the two row spaces have the same rank and
    every cosine is at least 1 - tol.
    """
    import torch

    from dl541_testing import device, require

    require(same_span=same_span)
    A, B = _plane_examples(device())
    space = torch.eye(3, device=device())
    mix = torch.tensor([[3.0, 1.0], [1.0, 1.0]], device=device()) @ A
    for what, P, Q, expected in [
        ("the xy-plane and a plane tilted by 0.5 (cosines 1 and 0.878)", A, B, False),
        ("the xy-plane and all of R^3 (ranks 2 and 3)", A, space, False),
        ("A and an invertible mix of A's rows", A, mix, True),
    ]:
        got = _as_bool(same_span(P, Q), f"same_span for {what}")
        assert got is expected, f"same_span(A, B) for {what} returned {got}, expected {expected}"


@test_case(points=0.5, hidden=False)
def keeps_the_dtype(subspace_cosines):
    """dtype: the cosines come back in A's dtype, on its device.

    in A's dtype and on its device.
    """
    import torch

    from dl541_testing import device, require, same_device_and_dtype

    require(subspace_cosines=subspace_cosines)
    for dtype in (torch.float32, torch.float64):
        A, B = (M.to(dtype) for M in _plane_examples(device()))
        same_device_and_dtype(
            subspace_cosines(A, B), A, f"subspace_cosines(A, B) for A and B of dtype {dtype}"
        )


@test_case(points=2, hidden=True)
def agrees_with_an_independent_computation(subspace_cosines):
    """core: on random full-rank A and B (B partly in A's span), the cosines match an independent QR + SVD.

    Orthonormalise each row space, $Q_A$ (r_A, d) and $Q_B$ (r_B, d); the singular
    values of $Q_A Q_B^\\top$ are the cosines of the principal angles between the two spaces.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(subspace_cosines=subspace_cosines)
    dev = device()

    @for_all(
        st.integers(1, 7),
        st.data(),
        st.floats(0.05, 2.0),
        st.sampled_from([torch.float32, torch.float64]),
        seeds(),
        examples=30,
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
        if torch.linalg.svdvals(A.double()).min() < 1e-3 or torch.linalg.svdvals(B.double()).min() < 1e-3:
            return  # nearly rank-deficient: rank_deficient_inputs covers those
        call = f"subspace_cosines(A of shape {tuple(A.shape)}, B of shape {tuple(B.shape)}) in {dtype}"
        got = _cosines(subspace_cosines(A, B), call, min(k1, k2))
        expected = _independent_cosines(A, B)
        tol = 1e-3 if dtype == torch.float32 else 1e-8
        assert torch.allclose(got.double().to(dev), expected, atol=tol, rtol=0.0), (
            f"{call} returned {got.tolist()}, expected {expected.tolist()} (largest first)"
        )


@test_case(points=2, hidden=True)
def invariant_to_the_choice_of_rows(subspace_cosines):
    """core: the cosines are sorted, in [0, 1], unchanged by mixing or reordering rows or swapping A and B; 0 against the orthogonal complement.

    They depend only on the two
    row spaces: not on the order of the rows, nor on any invertible mix of them.

    subspace_cosines(A, B) returns these cosines for A (k1, d) and B (k2, d), largest
    first, min(k1, k2) of them
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(subspace_cosines=subspace_cosines)
    dev = device()

    @for_all(st.integers(2, 7), st.data(), seeds(), examples=30)
    def check(d, data, seed):
        k1 = data.draw(st.integers(1, d), label="k1")
        k2 = data.draw(st.integers(1, d), label="k2")
        g = torch.Generator().manual_seed(seed)
        A = torch.randn(k1, d, generator=g, dtype=torch.float64).to(dev)
        B = torch.randn(k2, d, generator=g, dtype=torch.float64).to(dev)
        call = f"subspace_cosines(A of shape {tuple(A.shape)}, B of shape {tuple(B.shape)})"
        base = _cosines(subspace_cosines(A, B), call, min(k1, k2))
        assert bool((base[:-1] >= base[1:] - 1e-9).all()), (
            f"{call} returned {base.tolist()}, not sorted largest first"
        )
        assert bool((base >= -1e-9).all() and (base <= 1 + 1e-9).all()), (
            f"{call} returned {base.tolist()}, not in [0, 1]"
        )
        # An invertible mix of rows: an orthogonal matrix times a diagonal with entries in [0.5, 2].
        Q, _ = torch.linalg.qr(torch.randn(k1, k1, generator=g, dtype=torch.float64))
        M = (Q * (0.5 + 1.5 * torch.rand(k1, generator=g, dtype=torch.float64))).to(dev)
        perm = torch.randperm(k2, generator=g).to(dev)
        for what, P, R in [
            ("M @ A for an invertible M", M @ A, B),
            ("B with its rows reordered", A, B[perm]),
            ("the arguments swapped", B, A),
        ]:
            got = _cosines(subspace_cosines(P, R), f"subspace_cosines with {what}", min(k1, k2))
            assert torch.allclose(got, base, atol=1e-8), (
                f"subspace_cosines with {what} returned {got.tolist()}, expected the cosines {base.tolist()} "
                f"of {call}, since they depend only on the two row spaces"
            )
        own = _cosines(subspace_cosines(A, M @ A), "subspace_cosines(A, M @ A)", k1)
        assert torch.allclose(own, torch.ones_like(own), atol=1e-8), (
            f"subspace_cosines(A, M @ A) returned {own.tolist()}, expected all ones (the same space)"
        )
        if k1 < d:
            complement = torch.linalg.svd(A, full_matrices=True).Vh[k1:]  # rows orthogonal to A's row space
            count = min(k1, d - k1)
            got = _cosines(
                subspace_cosines(A, complement), "subspace_cosines(A, its orthogonal complement)", count
            )
            assert torch.allclose(got, torch.zeros_like(got), atol=1e-8), (
                f"subspace_cosines(A, rows orthogonal to every row of A) returned {got.tolist()}, expected all zeros"
            )


@test_case(points=2.5, hidden=True)
def same_span_on_constructed_spaces(same_span):
    """core: same_span on mixes, dependent rows, bigger spaces, swapped and tilted directions.

    same_span(A, B, tol=1e-3) returns True when the two row spaces have the same rank and
    every cosine is at least 1 - tol.
    """
    import math

    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(same_span=same_span)
    dev = device()

    @for_all(st.integers(3, 7), st.data(), seeds(), examples=25)
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
            (
                "A and the same rows with the last replaced by an orthogonal one",
                A,
                torch.cat([A[:-1], E[k : k + 1]]),
                1e-3,
                False,
            ),
        ]
        t = math.acos(0.99)  # one principal angle with cosine 0.99
        tilted = torch.cat([A[:-1], math.cos(t) * A[-1:] + math.sin(t) * E[k : k + 1]])
        cases += [
            ("A and a space tilted to cosine 0.99, tol = 1e-3", A, tilted, 1e-3, False),
            ("A and a space tilted to cosine 0.99, tol = 0.02", A, tilted, 0.02, True),
        ]
        for what, P, R, tol, expected in cases:
            got = _as_bool(same_span(P, R, tol=tol), f"same_span for {what}")
            assert got is expected, (
                f"same_span for {what} (d = {d}, k = {k}) returned {got}, expected {expected}"
            )


@test_case(points=1, hidden=True)
def rank_deficient_inputs(subspace_cosines, same_span):
    """edge: a row far below the rank threshold does not count, at every scale; missing cosines are 0.

    The rank of a matrix of shape (k, d) is the number of its singular values above
    $\\max(k, d) \\cdot \\varepsilon \\cdot \\sigma_{\\max}$, with $\\varepsilon$ the machine epsilon
    of its dtype (what torch.linalg.matrix_rank computes); being relative to $\\sigma_{\\max}$,
    it does not change when the matrix is scaled.

    When a matrix has fewer independent rows than min(k1, k2), the missing cosines are 0 (a zero
    matrix has rank 0).
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(subspace_cosines=subspace_cosines, same_span=same_span)
    dev = device()

    @for_all(
        st.integers(3, 6), st.data(), st.sampled_from([torch.float32, torch.float64]), seeds(), examples=12
    )
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
            (f"A (rank {k - 1}: one row {tiny} times shorter) and B (rank {d})", A, B, expected),
            ("a zero matrix and B", torch.zeros_like(A), B, [0.0] * k),
        ]:
            got = _cosines(subspace_cosines(P, Q), f"subspace_cosines of {what}", k)
            assert torch.allclose(
                got.double().cpu(), torch.tensor(want, dtype=torch.float64), atol=1e-4, rtol=0.0
            ), f"subspace_cosines of {what} at scale {scale} returned {got.tolist()}, expected {want}"
        full = A.clone()
        full[-1] = full[-1] / tiny
        got = _as_bool(same_span(A, A[:-1]), "same_span(A, A without its tiny row)")
        assert got is True, (
            f"same_span(A, A without its tiny row) at scale {scale} returned {got}, expected True"
        )
        got = _as_bool(same_span(A, full), "same_span(A, A with the tiny row at full length)")
        assert got is False, (
            f"same_span(A, A with the tiny row at full length) at scale {scale} returned {got}, expected False "
            f"(ranks {k - 1} and {k})"
        )


@test_case(points=0.5, hidden=True)
def tol_one_compares_only_the_ranks(same_span):
    """edge: with tol = 1 two orthogonal spaces of one dimension have the same span, of two dimensions not.

    "At least" is inclusive: with tol = 1 every cosine passes, so same_span then compares only
    the ranks.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(same_span=same_span)
    dev = device()

    @for_all(st.integers(2, 6), st.data(), seeds(), examples=10)
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


@test_case(points=1, hidden=True)
def rejects_mismatched_widths(subspace_cosines, same_span):
    """validation: different widths or a 1-D input raise ValueError, in both functions.

    Inputs that are not 2-D, or of different widths d, raise ValueError.
    """
    import torch

    from dl541_testing import device, require

    require(subspace_cosines=subspace_cosines, same_span=same_span)
    A, B = torch.randn(2, 4).to(device()), torch.randn(2, 5).to(device())
    for fn in (subspace_cosines, same_span):
        for args, what in [((A, B), "widths 4 and 5"), ((A[0], A), "a 1-D A"), ((A, A[0]), "a 1-D B")]:
            try:
                fn(*args)
            except ValueError:
                continue
            raise AssertionError(f"{fn.__name__} with {what} returned without raising ValueError")
