from otter.test_files import test_case

OK_FORMAT = False
name = "q5"
points = None


class _CentreAndHalve:
    """A normalizer written for the tests: x -> (x - mean) / 2, with the mean of the data it was fitted on."""

    def __init__(self):
        self.mean = None

    def fit(self, X):
        self.mean = X.mean(dim=0)
        return self

    def transform(self, X):
        if self.mean is None:
            raise RuntimeError("transform before fit")
        if X.dim() != 2 or X.shape[1] != self.mean.shape[0]:
            raise ValueError(f"expected (n, {self.mean.shape[0]}), got {tuple(X.shape)}")
        return (X - self.mean) / 2

    def fit_transform(self, X):
        return self.fit(X).transform(X)

    def inverse_transform(self, Z):
        if self.mean is None:
            raise RuntimeError("inverse_transform before fit")
        return 2 * Z + self.mean


def _sets(seed, n_train, n_test, d, dtype):
    """A training set and a shifted, stretched test set, on the device under test."""
    import torch

    from dl541_testing import device

    g = torch.Generator().manual_seed(seed)
    train = torch.randn(n_train, d, generator=g, dtype=torch.float64) * 2 + 1
    test = torch.randn(n_test, d, generator=g, dtype=torch.float64) * 5 + 8
    return train.to(dtype).to(device()), test.to(dtype).to(device())


def _pair(result, call):
    import torch

    assert isinstance(result, tuple) and len(result) == 2, f"{call} returned {result!r}, expected a pair"
    assert all(isinstance(t, torch.Tensor) for t in result), f"{call} returned {result!r}, expected tensors"
    return result


@test_case(points=1, hidden=False)
def lecture_example(strategy1, strategy2, ZScoreNormalizer):
    import torch

    from dl541_testing import device, require, tidy

    require(strategy1=strategy1, strategy2=strategy2, ZScoreNormalizer=ZScoreNormalizer)
    train = torch.tensor([[0.0], [2.0]], device=device())
    test = torch.tensor([[4.0], [6.0]], device=device())
    for strategy, want in [(strategy1, [[3.0], [5.0]]), (strategy2, [[-1.0], [1.0]])]:
        call = f"{strategy.__name__}([[0], [2]], [[4], [6]], ZScoreNormalizer)"
        train_n, test_n = _pair(strategy(train, test, ZScoreNormalizer), call)
        expected = torch.tensor(want, device=device())
        assert torch.allclose(train_n, torch.tensor([[-1.0], [1.0]], device=device()), atol=1e-6), (
            tidy(f"{call}: normalised training set {train_n.tolist()}, expected [[-1], [1]]")
        )
        assert torch.allclose(test_n, expected, atol=1e-6), (
            tidy(f"{call}: normalised test set {test_n.tolist()}, expected {want}")
        )


@test_case(points=1, hidden=True)
def strategy1_fits_on_train_only(strategy1):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property, same_device_and_dtype

    require(strategy1=strategy1)

    @prop(20)
    @given(st.integers(1, 12), st.integers(1, 12), st.integers(1, 4), st.integers(0, 2**31 - 1),
           st.sampled_from([torch.float32, torch.float64]))
    @example(3, 3, 1, 0, torch.float32)
    def check(n_train, n_test, d, seed, dtype):
        train, test = _sets(seed, n_train, n_test, d, dtype)
        kept = (train.clone(), test.clone())
        train_n, test_n = _pair(strategy1(train, test, _CentreAndHalve), "strategy1(train, test, make)")
        same_device_and_dtype(train_n, train, "strategy1's normalised training set")
        same_device_and_dtype(test_n, test, "strategy1's normalised test set")
        mean = train.mean(dim=0)
        for what, got, data in [("training", train_n, train), ("test", test_n, test)]:
            expected = (data - mean) / 2
            assert got.shape == expected.shape and torch.allclose(got, expected, atol=1e-5), (
                f"strategy1 with a normalizer x -> (x - mean) / 2: the {what} set became {got.tolist()}, "
                f"expected {expected.tolist()} (the mean of the training set, {mean.tolist()}, for both)"
            )
        assert torch.equal(train, kept[0]) and torch.equal(test, kept[1]), "strategy1 changed its inputs"

    run_property(check)


@test_case(points=1, hidden=True)
def strategy2_fits_each_set(strategy2):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property, same_device_and_dtype

    require(strategy2=strategy2)

    @prop(20)
    @given(st.integers(1, 12), st.integers(1, 12), st.integers(1, 4), st.integers(0, 2**31 - 1),
           st.sampled_from([torch.float32, torch.float64]))
    @example(3, 3, 1, 0, torch.float32)
    def check(n_train, n_test, d, seed, dtype):
        train, test = _sets(seed, n_train, n_test, d, dtype)
        kept = (train.clone(), test.clone())
        train_n, test_n = _pair(strategy2(train, test, _CentreAndHalve), "strategy2(train, test, make)")
        same_device_and_dtype(train_n, train, "strategy2's normalised training set")
        same_device_and_dtype(test_n, test, "strategy2's normalised test set")
        for what, got, data in [("training", train_n, train), ("test", test_n, test)]:
            expected = (data - data.mean(dim=0)) / 2
            assert got.shape == expected.shape and torch.allclose(got, expected, atol=1e-5), (
                f"strategy2 with a normalizer x -> (x - mean) / 2: the {what} set became {got.tolist()}, "
                f"expected {expected.tolist()} (each set centred on its own mean)"
            )
        assert torch.equal(train, kept[0]) and torch.equal(test, kept[1]), "strategy2 changed its inputs"

    run_property(check)


@test_case(points=1, hidden=True)
def only_strategy2_fits_the_test_set_exactly(strategy1, strategy2, MinMaxNormalizer, ZScoreNormalizer):
    import torch
    from hypothesis import example, given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property

    require(strategy1=strategy1, strategy2=strategy2, MinMaxNormalizer=MinMaxNormalizer,
            ZScoreNormalizer=ZScoreNormalizer)

    @prop(15)
    @given(st.integers(3, 20), st.integers(3, 20), st.integers(1, 3), st.integers(0, 2**31 - 1))
    @example(5, 5, 1, 0)
    def check(n_train, n_test, d, seed):
        train, test = _sets(seed, n_train, n_test, d, torch.float64)
        for strategy, exact in [(strategy1, False), (strategy2, True)]:
            _, z = _pair(strategy(train, test, ZScoreNormalizer), f"{strategy.__name__}(..., ZScoreNormalizer)")
            fits = bool(torch.allclose(z.mean(dim=0), torch.zeros(d).to(z), atol=1e-6)) and bool(
                torch.allclose(z.std(dim=0, correction=0), torch.ones(d).to(z), atol=1e-6)
            )
            assert fits == exact, (
                f"{strategy.__name__}(train, test, ZScoreNormalizer): normalised test set has means "
                f"{z.mean(dim=0).tolist()} and stds {z.std(dim=0, correction=0).tolist()}; expected "
                + ("exactly 0 and 1" if exact else "the training statistics to leave them off 0 and 1")
            )
            _, m = _pair(strategy(train, test, MinMaxNormalizer), f"{strategy.__name__}(..., MinMaxNormalizer)")
            ranged = bool(torch.allclose(m.amin(dim=0), -torch.ones(d).to(m), atol=1e-6)) and bool(
                torch.allclose(m.amax(dim=0), torch.ones(d).to(m), atol=1e-6)
            )
            assert ranged == exact, (
                f"{strategy.__name__}(train, test, MinMaxNormalizer): normalised test set spans "
                f"{m.amin(dim=0).tolist()} to {m.amax(dim=0).tolist()}; expected "
                + ("exactly -1 to 1" if exact else "the training range to leave it off [-1, 1]")
            )

    run_property(check)
