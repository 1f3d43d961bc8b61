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


def _model(seed, dtype, dev, d=6, k=2):
    """The tests' own tied linear auto-encoder (so that Question 4 does not depend on Question 3),
    with W = 0.3 * N(0, 1) from `seed` and zero biases. It keeps a copy of its parameters at every
    call of forward or encode, in `model.seen`, to tell which parameters a reported loss belongs to."""
    import torch
    from torch import nn

    class Tied(nn.Module):
        def __init__(self):
            super().__init__()
            g = torch.Generator().manual_seed(seed)
            self.W = nn.Parameter(
                (0.3 * torch.randn(k, d, generator=g, dtype=torch.float64)).to(dtype).to(dev)
            )
            self.b_enc = nn.Parameter(torch.zeros(k, dtype=dtype, device=dev))
            self.b_dec = nn.Parameter(torch.zeros(d, dtype=dtype, device=dev))
            self.seen = []

        def encode(self, x):
            self.seen.append([p.detach().clone() for p in (self.W, self.b_enc, self.b_dec)])
            return x @ self.W.t() + self.b_enc

        def decode(self, h):
            return torch.matmul(h, self.W) + self.b_dec

        def forward(self, x):
            code = self.encode(x)
            return self.decode(code)

    return Tied()


def _mse_at(params, X):
    """F.mse_loss of the tied auto-encoder with parameters (W, b_enc, b_dec) on X, as a float."""
    import torch

    W, b_enc, b_dec = params
    with torch.no_grad():
        return float((((X @ W.T + b_enc) @ W + b_dec - X) ** 2).mean())


def _current(model):
    return [p.detach().clone() for p in (model.W, model.b_enc, model.b_dec)]


def _is_the_mse(value, mse, d):
    """Whether `value` is the MSE `mse` (the mean over all entries) or d times it (Question 2's convention)."""
    return any(abs(value - m) <= 1e-4 * abs(m) + 1e-7 for m in (mse, d * mse))


def _losses(history, epochs, call):
    import math

    import torch

    from dl541_testing import tidy

    assert isinstance(history, list), f"{call} returned a {type(history).__name__}, expected a list of floats"
    assert len(history) == epochs, tidy(
        f"{call} returned {len(history)} values, expected one per epoch ({epochs})"
    )
    values = []
    for value in history:
        if isinstance(value, torch.Tensor) and value.numel() == 1:
            value = value.item()
        assert isinstance(value, (float, int)) and not isinstance(value, bool), tidy(
            f"{call} returned {history!r}, expected a list of floats."
        )
        assert math.isfinite(value), tidy(f"{call} returned {history!r}, expected finite values.")
        values.append(float(value))
    return values


@test_case(points=2, hidden=False)
def reports_the_mse_after_training(train_autoencoder):
    """core: the last reported value is the MSE on the whole X of the model as training left it.

    Entry $e$ of the list is the MSE of the model on the whole of X after epoch $e$, with the
    parameters that epoch's last step left: F.mse_loss(model(X), X), the mean over all
    $n \\cdot d$ entries.

    The tests also accept the convention of Question 2, the mean
    over samples of $\\lVert x - \\hat x \\rVert^2$ ($d$ times larger).
    """
    import torch

    from dl541_testing import device, require, tidy

    require(train_autoencoder=train_autoencoder)
    X = _easy_data(0, torch.float32, device(), n=40)
    for epochs in (1, 3):
        model = _model(0, torch.float32, device())
        call = f"train_autoencoder(model, X of shape (40, 6), {epochs}, 0.01, generator=torch.Generator().manual_seed(0))"
        history = _losses(
            train_autoencoder(model, X, epochs, 0.01, torch.Generator().manual_seed(0)), epochs, call
        )
        after = _mse_at(_current(model), X)
        assert _is_the_mse(history[-1], after, 6), tidy(
            f"{call} returned {history}, but after training F.mse_loss(model(X), X) = {after}: the last entry must "
            f"be the MSE on the whole X after the last epoch ({after}, or {6 * after} summed over the features)"
        )


@test_case(points=1, hidden=False)
def loss_drops_on_easy_data(train_autoencoder):
    """core: 30 epochs at lr = 0.05 on nearly rank-2 data train the model in place and lower the loss.

    trains model **in place** to
    reconstruct X
    """
    import torch

    from dl541_testing import device, require, tidy

    require(train_autoencoder=train_autoencoder)
    X = _easy_data(1, torch.float32, device())
    model = _model(1, torch.float32, device())
    before = _mse_at(_current(model), X)
    call = (
        "train_autoencoder(model, X of shape (64, 6), 30, 0.05, generator=torch.Generator().manual_seed(1))"
    )
    history = _losses(train_autoencoder(model, X, 30, 0.05, torch.Generator().manual_seed(1)), 30, call)
    after = _mse_at(_current(model), X)
    assert after < 0.9 * before, tidy(
        f"{call}: the MSE of the model passed in went from {before} to {after}, expected it to drop by 10% or more"
    )
    assert history[-1] < history[0], tidy(f"{call} returned {history}, which does not decrease")


@test_case(points=0.5, hidden=False)
def a_tiny_lr_takes_tiny_steps(train_autoencoder):
    """core: with lr = 1e-7, three epochs move no parameter by more than 1e-4.

    any optimiser on all of model.parameters()
    with learning rate lr (plain SGD, SGD with momentum, Adam)
    """
    import torch

    from dl541_testing import device, require, tidy

    require(train_autoencoder=train_autoencoder)
    X = _easy_data(4, torch.float32, device(), n=20)
    model = _model(4, torch.float32, device())
    before = _current(model)
    train_autoencoder(model, X, 3, 1e-7, generator=torch.Generator().manual_seed(0))
    moved = max(float((p - q).abs().max()) for p, q in zip(_current(model), before))
    assert moved < 1e-4, tidy(
        f"train_autoencoder(model, X of shape (20, 6), 3, 1e-7, generator) moved a parameter by {moved}, "
        "expected steps of the size the learning rate lr = 1e-7 gives (under 1e-4 in all)"
    )


@test_case(points=0.5, hidden=False)
def same_generator_seed_same_run(train_autoencoder):
    """contract: two runs with the same generator seed give the same losses, whatever the global seed.

    Randomness comes only from generator: the same model, data and generator seed give the same
    losses and the same trained parameters, whatever torch's global generator holds.
    """
    import torch

    from dl541_testing import device, require, tidy

    require(train_autoencoder=train_autoencoder)
    X = _easy_data(2, torch.float32, device(), n=150)
    runs = []
    for global_seed in (1, 2):
        torch.manual_seed(global_seed)
        model = _model(2, torch.float32, device())
        history = train_autoencoder(model, X, 3, 0.02, generator=torch.Generator().manual_seed(7))
        runs.append(_losses(history, 3, "train_autoencoder(model, X, 3, 0.02, generator)"))
    assert torch.allclose(torch.tensor(runs[0]), torch.tensor(runs[1]), rtol=1e-6, atol=0.0), tidy(
        f"train_autoencoder(model, X of shape (150, 6), 3, 0.02, generator=torch.Generator().manual_seed(7)) "
        f"returned {runs[0]} after torch.manual_seed(1) and {runs[1]} after torch.manual_seed(2), expected the same"
    )


@test_case(points=0.5, hidden=False)
def leaves_X_unchanged(train_autoencoder):
    """contract: training does not modify the data.

    X must not be modified: shuffle an index, not the data.
    """
    import torch

    from dl541_testing import device, require

    require(train_autoencoder=train_autoencoder)
    X = _easy_data(3, torch.float32, device(), n=100)
    original = X.clone()
    train_autoencoder(
        _model(3, torch.float32, device()), X, 2, 0.01, generator=torch.Generator().manual_seed(0)
    )
    assert torch.equal(X, original), (
        "train_autoencoder(model, X of shape (100, 6), 2, 0.01, generator) changed X; X must not be modified"
    )


@test_case(points=4, hidden=True)
def reports_the_mse_after_each_epoch(train_autoencoder):
    """core: every entry is the MSE on the whole X of parameters the model held, in order; the last is the final one.

    Entry $e$ of the list is the MSE of the model on the whole of X after epoch $e$, with the
    parameters that epoch's last step left: F.mse_loss(model(X), X), the mean over all
    $n \\cdot d$ entries.

    It is not a running mean of mini-batch losses, and not a loss computed
    before the epoch's last step.

    The tests also accept the convention of Question 2, the mean
    over samples of $\\lVert x - \\hat x \\rVert^2$ ($d$ times larger).
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(train_autoencoder=train_autoencoder)
    dev = device()

    @for_all(
        st.integers(2, 5),
        st.integers(10, 150),
        st.sampled_from([0.003, 0.01, 0.03]),
        st.sampled_from([torch.float32, torch.float64]),
        seeds(),
        examples=8,
    )
    def check(epochs, n, lr, dtype, seed):
        X = _easy_data(seed, dtype, dev, n=n)
        model = _model(seed, dtype, dev)
        call = f"train_autoencoder(model, X of shape ({n}, 6) and dtype {dtype}, {epochs}, {lr}, generator)"
        history = _losses(
            train_autoencoder(model, X, epochs, lr, torch.Generator().manual_seed(seed)), epochs, call
        )
        final = _mse_at(_current(model), X)
        assert _is_the_mse(history[-1], final, 6), (
            f"{call} returned {history}, but after training F.mse_loss(model(X), X) = {final}: the last entry "
            "must be the MSE on the whole X after the last epoch"
        )
        # The parameters after epoch e are those the model holds at its next call (or at the end).
        mses = [_mse_at(params, X) for params in model.seen] + [final]
        at = 0
        for e, value in enumerate(history):
            found = next((i for i in range(at, len(mses)) if _is_the_mse(value, mses[i], 6)), None)
            assert found is not None, (
                f"{call} returned {history}: entry {e} = {value} is not the MSE on the whole X of any parameters "
                f"the model held after entry {e - 1} (those MSEs range from {min(mses[at:])} to {max(mses[at:])})"
            )
            at = found


@test_case(points=2, hidden=True)
def trains_the_model_in_place(train_autoencoder):
    """core: on random nearly rank-2 data, the model passed in ends with a lower MSE and the losses drop.

    trains model **in place** to
    reconstruct X
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(train_autoencoder=train_autoencoder)
    dev = device()

    @for_all(st.sampled_from([torch.float32, torch.float64]), seeds(), examples=4)
    def check(dtype, seed):
        X = _easy_data(seed, dtype, dev)
        model = _model(seed, dtype, dev)
        before = _mse_at(_current(model), X)
        call = f"train_autoencoder(model, X, 30, 0.05, generator) on nearly rank-2 {dtype} data"
        history = _losses(
            train_autoencoder(model, X, 30, 0.05, torch.Generator().manual_seed(seed)), 30, call
        )
        after = _mse_at(_current(model), X)
        assert after < 0.9 * before, (
            f"{call}: the MSE of the model passed in went from {before} to {after}, expected it to drop by 10% or more"
        )
        assert history[-1] < history[0], f"{call} returned {history}, which does not decrease"


@test_case(points=1, hidden=True)
def the_generator_makes_it_reproducible(train_autoencoder):
    """contract: the same generator seed gives the same losses and parameters, whatever the global state.

    Randomness comes only from generator: the same model, data and generator seed give the same
    losses and the same trained parameters, whatever torch's global generator holds.
    """
    import torch

    from dl541_testing import device, for_all, require, seeds

    require(train_autoencoder=train_autoencoder)
    dev = device()

    @for_all(seeds(), examples=3)
    def check(seed):
        X = _easy_data(seed, torch.float32, dev, n=150)
        runs, params = [], []
        for global_seed in (1, 2):
            torch.manual_seed(global_seed)
            model = _model(seed, torch.float32, dev)
            history = train_autoencoder(model, X, 4, 0.02, generator=torch.Generator().manual_seed(seed))
            runs.append(_losses(history, 4, "train_autoencoder(model, X, 4, 0.02, generator)"))
            params.append(_current(model))
        call = "train_autoencoder(model, X of shape (150, 6), 4, 0.02, generator) with one generator seed"
        assert torch.allclose(torch.tensor(runs[0]), torch.tensor(runs[1]), rtol=1e-6, atol=0.0), (
            f"{call} returned {runs[0]} and {runs[1]} under two global seeds, expected the same"
        )
        for name, p, q in zip(("W", "b_enc", "b_dec"), *params):
            assert torch.allclose(p, q, rtol=1e-6, atol=1e-7), (
                f"{call} ended with two different {name} under two global seeds"
            )


@test_case(points=0.5, hidden=True)
def leaves_random_X_unchanged(train_autoencoder):
    """contract: training on random data of either dtype does not modify the data.

    X must not be modified: shuffle an index, not the data.
    """
    import torch
    from hypothesis import strategies as st

    from dl541_testing import device, for_all, require, seeds

    require(train_autoencoder=train_autoencoder)
    dev = device()

    @for_all(st.integers(1, 100), st.sampled_from([torch.float32, torch.float64]), seeds(), examples=4)
    def check(n, dtype, seed):
        X = _easy_data(seed, dtype, dev, n=n)
        original = X.clone()
        train_autoencoder(_model(seed, dtype, dev), X, 2, 0.01, torch.Generator().manual_seed(seed))
        assert torch.equal(X, original), (
            f"train_autoencoder(model, X of shape ({n}, 6) and dtype {dtype}, 2, 0.01) changed X"
        )


@test_case(points=0.5, hidden=True)
def zero_epochs(train_autoencoder):
    """edge: epochs = 0 returns [] and leaves the model alone.

    epochs = 0 returns [] and leaves the model as it is.
    """
    import torch

    from dl541_testing import device, require

    require(train_autoencoder=train_autoencoder)
    X = _easy_data(0, torch.float32, device())
    model = _model(0, torch.float32, device())
    before = _current(model)
    history = train_autoencoder(model, X, 0, 0.01)
    assert history == [], f"train_autoencoder(model, X, 0, 0.01) returned {history!r}, expected []"
    assert all(torch.equal(p, q) for p, q in zip(_current(model), before)), (
        "train_autoencoder(model, X, 0, 0.01) changed the model's parameters, expected them left as they were"
    )


@test_case(points=0.5, hidden=True)
def trains_on_a_single_sample(train_autoencoder):
    """edge: one sample is a data set: every epoch trains on it and the loss drops.

    A single sample (n = 1) is a valid
    data set.
    """
    import torch

    from dl541_testing import device, for_all, require, seeds

    require(train_autoencoder=train_autoencoder)
    dev = device()

    @for_all(seeds(), examples=3)
    def check(seed):
        x = _easy_data(seed, torch.float32, dev, n=1)
        model = _model(seed, torch.float32, dev)
        before = _mse_at(_current(model), x)
        call = "train_autoencoder(model, x of shape (1, 6), 10, 0.01, generator)"
        history = _losses(
            train_autoencoder(model, x, 10, 0.01, torch.Generator().manual_seed(seed)), 10, call
        )
        after = _mse_at(_current(model), x)
        assert after < before and history[-1] < history[0], (
            f"{call}: the MSE went from {before} to {after} and the losses were {history}, expected both to drop"
        )


@test_case(points=0.5, hidden=True)
def rejects_bad_arguments(train_autoencoder):
    """validation: negative epochs, lr <= 0, a 1-D or an empty X raise ValueError.

    epochs < 0, lr <= 0, or an X that is not 2-D or is empty raises ValueError.
    """
    import torch

    from dl541_testing import device, require

    require(train_autoencoder=train_autoencoder)
    X = _easy_data(0, torch.float32, device())
    model = _model(0, torch.float32, device())
    cases = [
        ((X, -1, 0.01), "epochs = -1"),
        ((X, 3, 0.0), "lr = 0"),
        ((X, 3, -0.1), "lr = -0.1"),
        ((X[0], 3, 0.01), "a 1-D X"),
        ((X[:0], 3, 0.01), "an empty X (n = 0)"),
    ]
    for args, what in cases:
        try:
            train_autoencoder(model, *args)
        except ValueError:
            continue
        raise AssertionError(f"train_autoencoder with {what} returned without raising ValueError")
