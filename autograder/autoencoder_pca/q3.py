from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


def _set_parameters(model, W, b_enc, b_dec):
    import torch

    with torch.no_grad():
        model.W.copy_(W)
        model.b_enc.copy_(b_enc)
        model.b_dec.copy_(b_dec)


def _small_model(TiedAutoencoder, dev, dtype=None):
    """TiedAutoencoder(3, 2) with W = [[1, 0, 1], [0, 2, 0]], b_enc = [1, -1], b_dec = [0.5, 0, -0.5]."""
    import torch

    dtype = dtype or torch.float32
    model = TiedAutoencoder(3, 2).to(device=dev, dtype=dtype)
    W = torch.tensor([[1.0, 0.0, 1.0], [0.0, 2.0, 0.0]])
    _set_parameters(model, W, torch.tensor([1.0, -1.0]), torch.tensor([0.5, 0.0, -0.5]))
    return model


@test_case(points=1, hidden=False)
def shapes_and_the_useless_identity(TiedAutoencoder):
    """core: three parameters of the handout's shapes; with k = d and W = I the model copies its input.

    TiedAutoencoder(d, k) is an nn.Module with three parameters: W of shape (k, d),
    b_enc of shape (k,) and b_dec of shape (d,).
    """
    import torch

    from dl541_testing import device, require, tidy

    require(TiedAutoencoder=TiedAutoencoder)
    model = TiedAutoencoder(5, 2)
    shapes = {name: tuple(p.shape) for name, p in model.named_parameters()}
    expected = {"W": (2, 5), "b_enc": (2,), "b_dec": (5,)}
    assert shapes == expected, tidy(f"TiedAutoencoder(5, 2) has the parameters {shapes}, expected {expected}")
    # k = d with W = I and zero biases copies its input: a perfect reconstruction that learned nothing.
    model = TiedAutoencoder(3, 3).to(device())
    _set_parameters(model, torch.eye(3), torch.zeros(3), torch.zeros(3))
    x = torch.tensor([[1.0, -2.0, 0.5], [0.0, 3.0, 4.0]], device=device())
    out = model(x)
    assert isinstance(out, torch.Tensor) and out.shape == x.shape and torch.allclose(out, x), tidy(
        f"TiedAutoencoder(3, 3) with W = I and zero biases maps {x.tolist()} to {out!r}, expected the input"
    )


@test_case(points=1, hidden=False)
def a_small_example_by_hand(TiedAutoencoder):
    """core: encode, decode and forward of a 3-2 model with given weights, computed by hand.

    $$\\text{encode}(x) = x W^\\top + b_{\\text{enc}}, \\qquad
    \\text{decode}(h) = h W + b_{\\text{dec}}, \\qquad
    \\text{forward}(x) = \\text{decode}(\\text{encode}(x)),$$
    with no non-linearity.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(TiedAutoencoder=TiedAutoencoder)
    model = _small_model(TiedAutoencoder, device())
    x = torch.tensor([[1.0, 1.0, 1.0], [-2.0, 0.5, 0.0]], device=device())
    setup = "TiedAutoencoder(3, 2) with W = [[1, 0, 1], [0, 2, 0]], b_enc = [1, -1], b_dec = [0.5, 0, -0.5]"
    for what, got, expected in [
        (f"encode({x.tolist()})", lambda: model.encode(x), [[3.0, 1.0], [-1.0, 0.0]]),
        (
            "decode([[3, 1], [-1, -3]])",
            lambda: model.decode(torch.tensor([[3.0, 1.0], [-1.0, -3.0]], device=device())),
            [[3.5, 2.0, 2.5], [-0.5, -6.0, -1.5]],
        ),
        (f"forward({x.tolist()})", lambda: model(x), [[3.5, 2.0, 2.5], [-0.5, 0.0, -1.5]]),
    ]:
        out = got()
        want = torch.tensor(expected, device=device())
        assert (
            isinstance(out, torch.Tensor) and out.shape == want.shape and torch.allclose(out, want, atol=1e-5)
        ), tidy(f"{setup}: {what} returned {out!r}, expected {expected}")


@test_case(points=1, hidden=False)
def gradient_of_a_small_example(TiedAutoencoder):
    """core: the gradient of the tied W has both terms, encoder's and decoder's, on a hand example.

    Because W appears twice, its gradient has two terms; autograd adds
    them for you as long as both uses see the same parameter.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(TiedAutoencoder=TiedAutoencoder)
    model = _small_model(TiedAutoencoder, device(), torch.float64)
    x = torch.tensor([[1.0, 1.0, 1.0], [-2.0, 0.5, 0.0]], dtype=torch.float64, device=device())
    out = model(x)
    assert isinstance(out, torch.Tensor) and out.shape == x.shape, (
        f"forward(x) returned {out!r}, expected shape (2, 3)"
    )
    ((out - x) ** 2).sum().backward()
    Wl = torch.tensor(
        [[1.0, 0.0, 1.0], [0.0, 2.0, 0.0]], dtype=torch.float64, device=device(), requires_grad=True
    )
    be = torch.tensor([1.0, -1.0], dtype=torch.float64, device=device())
    bd = torch.tensor([0.5, 0.0, -0.5], dtype=torch.float64, device=device())
    (((x @ Wl.T + be) @ Wl + bd - x) ** 2).sum().backward()
    got = model.W.grad
    assert got is not None and torch.allclose(got, Wl.grad, atol=1e-9), tidy(
        f"for the model of a_small_example_by_hand and x = {x.tolist()}, d(sum of squared errors)/dW is "
        f"{None if got is None else got.tolist()}, expected {Wl.grad.tolist()} (the sum of the terms of "
        "the encoder's use of W and of the decoder's)"
    )


@test_case(points=2, hidden=True)
def encode_decode_forward_formulas(TiedAutoencoder):
    """core: encode, decode and forward follow the formulas for random sizes and weights.

    $$\\text{encode}(x) = x W^\\top + b_{\\text{enc}}, \\qquad
    \\text{decode}(h) = h W + b_{\\text{dec}}, \\qquad
    \\text{forward}(x) = \\text{decode}(\\text{encode}(x)),$$
    with no non-linearity.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(TiedAutoencoder=TiedAutoencoder)
    dev = device()

    @for_all(
        st.integers(1, 8), st.data(), st.sampled_from([torch.float32, torch.float64]), seeds(), examples=25
    )
    def check(d, data, dtype, seed):
        k = data.draw(st.integers(1, d), label="k")
        n = data.draw(st.integers(1, 6), label="n")
        g = torch.Generator().manual_seed(seed)
        W, b_enc, b_dec = (torch.randn(*s, generator=g, dtype=dtype).to(dev) for s in ((k, d), (k,), (d,)))
        x = torch.randn(n, d, generator=g, dtype=dtype).to(dev)
        model = TiedAutoencoder(d, k).to(device=dev, dtype=dtype)
        names = sorted(name for name, _ in model.named_parameters())
        assert names == ["W", "b_dec", "b_enc"], f"TiedAutoencoder({d}, {k}) has the parameters {names}"
        _set_parameters(model, W, b_enc, b_dec)
        tol = 1e-4 if dtype == torch.float32 else 1e-10
        codes = torch.randn(n, k, generator=g, dtype=dtype).to(dev)
        expected_h = x @ W.T + b_enc
        for what, got, expected in [
            ("encode(x)", lambda: model.encode(x), expected_h),
            ("decode(h)", lambda: model.decode(codes), codes @ W + b_dec),
            ("forward(x)", lambda: model(x), expected_h @ W + b_dec),
        ]:
            out = got()
            assert isinstance(out, torch.Tensor) and out.shape == expected.shape, (
                f"TiedAutoencoder({d}, {k}).{what} with {n} rows returned {out!r}, expected shape {tuple(expected.shape)}"
            )
            assert torch.allclose(out.to(expected), expected, atol=tol, rtol=tol), (
                f"TiedAutoencoder({d}, {k}).{what} returned {out.tolist()}, expected {expected.tolist()}"
            )


@test_case(points=2, hidden=True)
def gradients_flow_through_both_uses_of_W(TiedAutoencoder):
    """core: the gradients of W, b_enc and b_dec equal those of the formula, for random sizes.

    Because W appears twice, its gradient has two terms; autograd adds
    them for you as long as both uses see the same parameter.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(TiedAutoencoder=TiedAutoencoder)
    dev = device()

    @for_all(st.integers(1, 6), st.data(), seeds(), examples=15)
    def check(d, data, seed):
        k = data.draw(st.integers(1, d), label="k")
        g = torch.Generator().manual_seed(seed)
        W, b_enc, b_dec = (
            torch.randn(*s, generator=g, dtype=torch.float64).to(dev) for s in ((k, d), (k,), (d,))
        )
        x = torch.randn(7, d, generator=g, dtype=torch.float64).to(dev)
        model = TiedAutoencoder(d, k).to(device=dev, dtype=torch.float64)
        _set_parameters(model, W, b_enc, b_dec)
        ((model(x) - x) ** 2).mean().backward()
        leaves = [t.clone().requires_grad_(True) for t in (W, b_enc, b_dec)]
        Wl, be, bd = leaves
        (((x @ Wl.T + be) @ Wl + bd - x) ** 2).mean().backward()
        for name, leaf in zip(("W", "b_enc", "b_dec"), leaves):
            got = getattr(model, name).grad
            assert got is not None, (
                f"TiedAutoencoder({d}, {k}): no gradient reached {name}, but the loss depends on it"
            )
            assert torch.allclose(got, leaf.grad, atol=1e-9, rtol=1e-7), (
                f"TiedAutoencoder({d}, {k}): d(MSE)/d{name} is {got.tolist()}, expected {leaf.grad.tolist()} "
                "(W is used twice, by encode and by decode, and both uses carry gradient)"
            )


@test_case(points=2, hidden=True)
def training_finds_the_principal_subspace(TiedAutoencoder):
    """core: after Adam on nearly rank-2 data, the rows of W span the top-2 principal subspace.

    For a linear auto-encoder the answer is classical: it keeps the span of
    the top-$k$ principal components, the same subspace PCA finds, but in a basis of its own
    choosing.
    """
    import torch

    from dl541_testing import device, for_all, require, seeds

    require(TiedAutoencoder=TiedAutoencoder)
    dev = device()

    @for_all(seeds(), examples=3)
    def check(seed):
        d, k, n = 6, 2, 64
        g = torch.Generator().manual_seed(seed)
        Q, _ = torch.linalg.qr(torch.randn(d, d, generator=g))
        scales = torch.tensor([1.5, 1.2] + [0.05] * (d - 2))
        X = ((torch.randn(n, d, generator=g) * scales) @ Q.T + 0.5 * torch.randn(d, generator=g)).to(dev)
        model = TiedAutoencoder(d, k).to(dev)
        _set_parameters(model, 0.3 * torch.randn(k, d, generator=g), torch.zeros(k), torch.zeros(d))
        optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
        for _ in range(80):
            optimizer.zero_grad()
            ((model(X) - X) ** 2).mean().backward()
            optimizer.step()
        centred = X.double() - X.double().mean(dim=0)
        top = torch.linalg.eigh(centred.T @ centred / n)[1][:, -k:]  # (d, k), orthonormal columns
        basis, _ = torch.linalg.qr(model.W.detach().double().T)
        cosines = torch.linalg.svdvals(top.T @ basis)
        assert float(cosines.min()) > 0.99, (
            f"after 80 Adam steps on rank-{k} data, the rows of W should span the top-{k} principal "
            f"subspace; the cosines of the principal angles are {cosines.tolist()}"
        )


@test_case(points=0.5, hidden=True)
def keeps_the_dtype_and_device(TiedAutoencoder):
    """dtype: encode, decode and forward return the input's dtype on its device.

    encode, decode and forward return tensors in the input's dtype and on its device
    """
    import torch

    from dl541_testing import device, require, same_device_and_dtype

    require(TiedAutoencoder=TiedAutoencoder)
    for dtype in (torch.float32, torch.float64):
        model = _small_model(TiedAutoencoder, device(), dtype)
        x = torch.ones(2, 3, dtype=dtype, device=device())
        h = model.encode(x)
        same_device_and_dtype(h, x, f"encode(x) for x of dtype {dtype}")
        same_device_and_dtype(model.decode(h), x, f"decode(h) for h of dtype {dtype}")
        same_device_and_dtype(model(x), x, f"forward(x) for x of dtype {dtype}")


@test_case(points=0.5, hidden=True)
def initial_weights_have_the_scale_of_one_over_d(TiedAutoencoder):
    """contract: the mean of W**2 at initialisation is within a factor of 10 of 1/d.

    the mean of W**2 must be within
    a factor of 10 of $1/d$.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(TiedAutoencoder=TiedAutoencoder)

    @for_all(st.integers(32, 128), st.data(), seeds(), examples=8)
    def check(d, data, seed):
        k = data.draw(st.integers(1, 16), label="k")
        torch.manual_seed(seed)
        W = TiedAutoencoder(d, k).W.detach().double()
        scaled = float((W**2).mean()) * d
        assert 0.1 <= scaled <= 10, (
            f"TiedAutoencoder({d}, {k}) starts with mean(W**2) = {scaled / d}, expected about 1/d = {1 / d} "
            "(within a factor of 10)"
        )


@test_case(points=1, hidden=True)
def rejects_bad_sizes(TiedAutoencoder):
    """validation: k outside 1..d, and encode on the wrong width, raise ValueError.

    A bottleneck means $1 \\le k \\le d$; other sizes raise ValueError, and so does encode on
    an input whose last axis is not d wide.
    """
    import torch

    from dl541_testing import require

    require(TiedAutoencoder=TiedAutoencoder)
    for d, k in [(3, 0), (0, 0), (3, 4)]:
        try:
            TiedAutoencoder(d, k)
        except ValueError:
            continue
        raise AssertionError(
            f"TiedAutoencoder({d}, {k}) returned without raising ValueError (need 1 <= k <= d)"
        )
    model = TiedAutoencoder(4, 2)
    try:
        model.encode(torch.zeros(3, 5))
    except ValueError:
        return
    raise AssertionError(
        "TiedAutoencoder(4, 2).encode(x) with x of shape (3, 5) returned without raising ValueError"
    )
