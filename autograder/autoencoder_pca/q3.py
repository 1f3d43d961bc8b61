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


@test_case(points=1, hidden=False)
def shapes_and_the_useless_identity(TiedAutoencoder):
    import torch

    from dl541_testing import device, require, tidy

    require(TiedAutoencoder=TiedAutoencoder)
    model = TiedAutoencoder(5, 2)
    shapes = {name: tuple(p.shape) for name, p in model.named_parameters()}
    expected = {"W": (2, 5), "b_enc": (2,), "b_dec": (5,)}
    assert shapes == expected, tidy(f"TiedAutoencoder(5, 2) has parameters {shapes}, expected {expected}")
    # k = d with W = I and zero biases copies its input: a perfect reconstruction that learned nothing.
    model = TiedAutoencoder(3, 3).to(device())
    _set_parameters(model, torch.eye(3), torch.zeros(3), torch.zeros(3))
    x = torch.tensor([[1.0, -2.0, 0.5], [0.0, 3.0, 4.0]], device=device())
    out = model(x)
    assert isinstance(out, torch.Tensor) and torch.allclose(out, x), (
        tidy(f"TiedAutoencoder(3, 3) with W = I and zero biases maps {x.tolist()} to {out!r}, expected the input")
    )


@test_case(points=2, hidden=True)
def encode_decode_forward_formulas(TiedAutoencoder):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(TiedAutoencoder=TiedAutoencoder)
    dev = device()

    @prop(25)
    @given(st.integers(1, 8), st.data(), st.sampled_from([torch.float32, torch.float64]), st.integers(0, 2**31 - 1))
    def check(d, data, dtype, seed):
        k = data.draw(st.integers(1, d), label="k")
        n = data.draw(st.integers(1, 6), label="n")
        g = torch.Generator().manual_seed(seed)
        W, b_enc, b_dec = (torch.randn(*s, generator=g, dtype=dtype).to(dev) for s in ((k, d), (k,), (d,)))
        x = torch.randn(n, d, generator=g, dtype=dtype).to(dev)
        model = TiedAutoencoder(d, k).to(device=dev, dtype=dtype)
        names = sorted(name for name, _ in model.named_parameters())
        assert names == ["W", "b_dec", "b_enc"], f"TiedAutoencoder({d}, {k}) has parameters {names}"
        _set_parameters(model, W, b_enc, b_dec)
        h = model.encode(x)
        same_device_and_dtype(h, x, "encode(x)")
        expected_h = x @ W.T + b_enc
        tol = 1e-4 if dtype == torch.float32 else 1e-10
        assert h.shape == expected_h.shape and torch.allclose(h, expected_h, atol=tol, rtol=tol), (
            f"encode(x) for d={d}, k={k} returned {h.tolist()}, expected x @ W.T + b_enc = {expected_h.tolist()}"
        )
        codes = torch.randn(n, k, generator=g, dtype=dtype).to(dev)
        out = model.decode(codes)
        same_device_and_dtype(out, x, "decode(h)")
        expected_out = codes @ W + b_dec
        assert out.shape == expected_out.shape and torch.allclose(out, expected_out, atol=tol, rtol=tol), (
            f"decode(h) for d={d}, k={k} returned {out.tolist()}, expected h @ W + b_dec = {expected_out.tolist()}"
        )
        recon = model(x)
        same_device_and_dtype(recon, x, "forward(x)")
        expected_recon = expected_h @ W + b_dec
        assert recon.shape == expected_recon.shape and torch.allclose(recon, expected_recon, atol=tol, rtol=tol), (
            f"forward(x) returned {recon.tolist()}, expected decode(encode(x)) = {expected_recon.tolist()}"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def gradients_flow_through_both_uses_of_W(TiedAutoencoder):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(TiedAutoencoder=TiedAutoencoder)
    dev = device()

    @prop(15)
    @given(st.integers(1, 6), st.data(), st.integers(0, 2**31 - 1))
    def check(d, data, seed):
        k = data.draw(st.integers(1, d), label="k")
        g = torch.Generator().manual_seed(seed)
        W, b_enc, b_dec = (torch.randn(*s, generator=g, dtype=torch.float64).to(dev) for s in ((k, d), (k,), (d,)))
        x = torch.randn(7, d, generator=g, dtype=torch.float64).to(dev)
        model = TiedAutoencoder(d, k).to(device=dev, dtype=torch.float64)
        _set_parameters(model, W, b_enc, b_dec)
        ((model(x) - x) ** 2).mean().backward()
        leaves = [t.clone().requires_grad_(True) for t in (W, b_enc, b_dec)]
        Wl, be, bd = leaves
        (((x @ Wl.T + be) @ Wl + bd - x) ** 2).mean().backward()
        for name, leaf in zip(("W", "b_enc", "b_dec"), leaves):
            got = getattr(model, name).grad
            assert got is not None, f"no gradient reached {name}: the loss must depend on it"
            assert torch.allclose(got, leaf.grad, atol=1e-9, rtol=1e-7), (
                f"d(MSE)/d{name} is {got.tolist()}, expected {leaf.grad.tolist()} "
                "(W is used twice, by encode and by decode: both uses carry gradient)"
            )

    run_property(check)


@test_case(points=2, hidden=True)
def training_finds_the_principal_subspace(TiedAutoencoder):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(TiedAutoencoder=TiedAutoencoder)
    dev = device()

    @prop(3)
    @given(st.integers(0, 2**31 - 1))
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

    run_property(check)


@test_case(points=1, hidden=True)
def initial_weights_have_the_scale_of_one_over_d(TiedAutoencoder):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property

    require(TiedAutoencoder=TiedAutoencoder)

    @prop(8)
    @given(st.integers(32, 128), st.data(), st.integers(0, 2**31 - 1))
    def check(d, data, seed):
        k = data.draw(st.integers(1, 16), label="k")
        torch.manual_seed(seed)
        W = TiedAutoencoder(d, k).W.detach().double()
        scaled = float((W**2).mean()) * d
        assert 0.1 <= scaled <= 10, (
            f"TiedAutoencoder({d}, {k}) starts with mean(W**2) = {scaled / d:.3g}, expected about 1/d = {1 / d:.3g} "
            "(within a factor of 10): initialise W with N(0, 1/d) entries"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_bad_sizes(TiedAutoencoder):
    import torch

    from dl541_testing import require

    require(TiedAutoencoder=TiedAutoencoder)
    for d, k in [(3, 0), (0, 0), (3, 4)]:
        try:
            TiedAutoencoder(d, k)
        except ValueError:
            continue
        raise AssertionError(f"TiedAutoencoder({d}, {k}) should raise ValueError (need 1 <= k <= d)")
    model = TiedAutoencoder(4, 2)
    try:
        model.encode(torch.zeros(3, 5))
    except ValueError:
        return
    raise AssertionError("TiedAutoencoder(4, 2).encode(x) with x of shape (3, 5) should raise ValueError")
