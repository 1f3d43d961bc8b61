from otter.test_files import test_case

OK_FORMAT = False
name = "q4"
points = None


def _easy_data(seed, dtype, dev, n=64, d=6):
    """Nearly rank-2 data with a non-zero mean: easy for a 2-unit linear auto-encoder."""
    import torch

    g = torch.Generator().manual_seed(seed)
    Q, _ = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=torch.float64))
    scales = torch.tensor([1.5, 1.2] + [0.05] * (d - 2), dtype=torch.float64)
    X = (torch.randn(n, d, generator=g, dtype=torch.float64) * scales) @ Q.T
    return (X + 0.5 * torch.randn(d, generator=g, dtype=torch.float64)).to(dtype).to(dev)


def _losses(history, epochs, call):
    import math

    import torch

    assert isinstance(history, list), f"{call} returned {type(history).__name__}, expected a list of floats"
    assert len(history) == epochs, f"{call} returned {len(history)} values, expected one per epoch ({epochs})"
    values = []
    for value in history:
        if isinstance(value, torch.Tensor) and value.numel() == 1:
            value = value.item()
        assert isinstance(value, (float, int)) and not isinstance(value, bool), (
            f"{call} returned {history!r}: every entry should be a float"
        )
        assert math.isfinite(value), f"{call} returned {history!r}: every entry should be finite"
        values.append(float(value))
    return values


def _mse(model, X):
    import torch

    with torch.no_grad():
        return float(((model(X) - X) ** 2).mean())


@test_case(points=1, hidden=False)
def one_float_per_epoch(TiedAutoencoder, train_autoencoder):
    import torch

    from dl541_testing import device, require

    require(TiedAutoencoder=TiedAutoencoder, train_autoencoder=train_autoencoder)
    X = _easy_data(0, torch.float32, device())
    model = TiedAutoencoder(6, 2).to(device())
    call = "train_autoencoder(model, X, epochs=5, lr=0.01, generator=torch.Generator().manual_seed(0))"
    history = train_autoencoder(model, X, epochs=5, lr=0.01, generator=torch.Generator().manual_seed(0))
    _losses(history, 5, call)


@test_case(points=2, hidden=True)
def trains_the_model_in_place(TiedAutoencoder, train_autoencoder):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(TiedAutoencoder=TiedAutoencoder, train_autoencoder=train_autoencoder)
    dev = device()

    @prop(4)
    @given(st.sampled_from([torch.float32, torch.float64]), st.integers(0, 2**31 - 1))
    def check(dtype, seed):
        X = _easy_data(seed, dtype, dev)
        original = X.clone()
        torch.manual_seed(seed)
        model = TiedAutoencoder(6, 2).to(device=dev, dtype=dtype)
        with torch.no_grad():
            model.W.copy_(0.3 * torch.randn(2, 6, generator=torch.Generator().manual_seed(seed)))
        before = _mse(model, X)
        call = f"train_autoencoder(model, X, epochs=30, lr=0.05, generator) on nearly rank-2 {dtype} data"
        history = _losses(train_autoencoder(model, X, 30, 0.05, torch.Generator().manual_seed(seed)), 30, call)
        assert torch.equal(X, original), f"{call} changed X; it must not modify the data"
        after = _mse(model, X)
        assert after < 0.9 * before, (
            f"{call}: the model's MSE went from {before:.4g} to {after:.4g}; train the model you are given, "
            "in place, so that the loss drops"
        )
        assert history[-1] < history[0], f"{call}: the loss did not decrease over the epochs: {history}"

    run_property(check)


@test_case(points=1, hidden=True)
def the_generator_makes_it_reproducible(TiedAutoencoder, train_autoencoder):
    import copy

    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(TiedAutoencoder=TiedAutoencoder, train_autoencoder=train_autoencoder)
    dev = device()

    @prop(3)
    @given(st.integers(0, 2**31 - 1))
    def check(seed):
        X = _easy_data(seed, torch.float32, dev, n=150)
        model = TiedAutoencoder(6, 2).to(dev)
        twin = copy.deepcopy(model)
        runs = []
        for m in (model, twin):
            torch.manual_seed(len(runs) + 1)  # a different global state each time: only the generator counts
            history = train_autoencoder(m, X, 4, 0.02, generator=torch.Generator().manual_seed(seed))
            runs.append(_losses(history, 4, "train_autoencoder(model, X, 4, 0.02, generator)"))
        assert runs[0] == runs[1] or torch.allclose(torch.tensor(runs[0]), torch.tensor(runs[1]), rtol=1e-6), (
            f"two runs from the same model and the same generator seed gave {runs[0]} and {runs[1]}; "
            "draw every random number from the generator"
        )
        for (name, p), q in zip(model.named_parameters(), twin.parameters()):
            assert torch.allclose(p, q, rtol=1e-6, atol=1e-7), (
                f"two runs with the same generator seed ended with different {name}"
            )

    run_property(check)


@test_case(points=1, hidden=True)
def zero_epochs_and_bad_arguments(TiedAutoencoder, train_autoencoder):
    import torch

    from dl541_testing import require

    require(TiedAutoencoder=TiedAutoencoder, train_autoencoder=train_autoencoder)
    X = _easy_data(0, torch.float32, torch.device("cpu"))
    model = TiedAutoencoder(6, 2)
    before = [p.detach().clone() for p in model.parameters()]
    history = train_autoencoder(model, X, 0, 0.01)
    assert history == [], f"train_autoencoder(model, X, epochs=0, lr=0.01) returned {history!r}, expected []"
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), before)), "0 epochs must not change the model"
    cases = [
        ((X, -1, 0.01), "epochs = -1"), ((X, 3, 0.0), "lr = 0"), ((X, 3, -0.1), "lr = -0.1"),
        ((X[0], 3, 0.01), "a 1-D X"), ((X[:0], 3, 0.01), "an empty X (n = 0)"),
    ]
    for args, what in cases:
        try:
            train_autoencoder(model, *args)
        except ValueError:
            continue
        raise AssertionError(f"train_autoencoder with {what} should raise ValueError")


@test_case(points=1, hidden=True)
def trains_on_a_single_sample(TiedAutoencoder, train_autoencoder):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property

    require(TiedAutoencoder=TiedAutoencoder, train_autoencoder=train_autoencoder)
    dev = device()

    @prop(3)
    @given(st.integers(0, 2**31 - 1))
    def check(seed):
        x = _easy_data(seed, torch.float32, dev, n=1)
        model = TiedAutoencoder(6, 2).to(dev)
        with torch.no_grad():
            model.W.copy_(0.3 * torch.randn(2, 6, generator=torch.Generator().manual_seed(seed)))
        before = _mse(model, x)
        call = "train_autoencoder(model, x, epochs=10, lr=0.01, generator) with x of shape (1, 6)"
        history = _losses(train_autoencoder(model, x, 10, 0.01, torch.Generator().manual_seed(seed)), 10, call)
        after = _mse(model, x)
        assert after < before and history[-1] < history[0], (
            f"{call}: the MSE went from {before:.4g} to {after:.4g} (per epoch: {history}); a single sample is "
            "a valid data set and every epoch must train on it"
        )

    run_property(check)
