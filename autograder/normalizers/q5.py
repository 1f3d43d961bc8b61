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


@test_case(points=1.5, hidden=False)
def lecture_example(strategy1, strategy2, ZScoreNormalizer):
    """core: a hand-computed example of both strategies with the z-score.

    **strategy 1**: fit the normalizer on the training set only and apply that same
    normalizer to both sets

    **strategy 2**: fit one normalizer on the training set and another on the test set.

    `strategy1(train, test, make_normalizer)` and `strategy2(train, test, make_normalizer)`
    return `(train_n, test_n)`
    """
    import torch

    from dl541_testing import device, require, tidy

    require(strategy1=strategy1, strategy2=strategy2, ZScoreNormalizer=ZScoreNormalizer)
    train = torch.tensor([[0.0], [2.0]], device=device())
    test = torch.tensor([[4.0], [6.0], [8.0]], device=device())
    r = 1.5**0.5
    for strategy, want in [(strategy1, [[3.0], [5.0], [7.0]]), (strategy2, [[-r], [0.0], [r]])]:
        call = f"{strategy.__name__}([[0], [2]], [[4], [6], [8]], ZScoreNormalizer)"
        train_n, test_n = _pair(strategy(train, test, ZScoreNormalizer), call)
        assert train_n.shape == (2, 1) and torch.allclose(
            train_n.double().cpu(), torch.tensor([[-1.0], [1.0]], dtype=torch.float64), atol=1e-6
        ), tidy(f"{call}: normalised training set {train_n.tolist()}, expected [[-1], [1]]")
        assert test_n.shape == (3, 1) and torch.allclose(
            test_n.double().cpu(), torch.tensor(want, dtype=torch.float64), atol=1e-6
        ), tidy(f"{call}: normalised test set {test_n.tolist()}, expected {want}")


@test_case(points=2, hidden=True)
def strategy1_fits_on_train_only(strategy1):
    """core: strategy 1 applies the training set's statistics to both sets.

    **strategy 1**: fit the normalizer on the training set only and apply that same
    normalizer to both sets

    Use only the normalizer's `fit`, `transform` and `fit_transform`: the tests also pass
    normalizers of their own making.
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(strategy1=strategy1)

    @for_all(st.integers(2, 12), st.integers(2, 12), st.integers(1, 4), seeds(),
             st.sampled_from([torch.float32, torch.float64]), examples=20)
    @example(3, 3, 1, 0, torch.float32)
    def check(n_train, n_test, d, seed, dtype):
        train, test = _sets(seed, n_train, n_test, d, dtype)
        train_n, test_n = _pair(strategy1(train, test, _CentreAndHalve), "strategy1(train, test, make)")
        mean = train.double().cpu().mean(dim=0)
        for what, got, data in [("training", train_n, train), ("test", test_n, test)]:
            expected = (data.double().cpu() - mean) / 2
            got = got.double().cpu()
            assert got.shape == expected.shape and torch.allclose(got, expected, atol=1e-5), (
                f"strategy1 with a normalizer x -> (x - mean) / 2: the {what} set became {got.tolist()}, "
                f"expected {expected.tolist()} (the mean of the training set, {mean.tolist()}, for both)"
            )


@test_case(points=2, hidden=True)
def strategy2_fits_each_set(strategy2):
    """core: strategy 2 normalises each set with its own statistics.

    **strategy 2**: fit one normalizer on the training set and another on the test set.

    Use only the normalizer's `fit`, `transform` and `fit_transform`: the tests also pass
    normalizers of their own making.
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(strategy2=strategy2)

    @for_all(st.integers(2, 12), st.integers(2, 12), st.integers(1, 4), seeds(),
             st.sampled_from([torch.float32, torch.float64]), examples=20)
    @example(3, 3, 1, 0, torch.float32)
    def check(n_train, n_test, d, seed, dtype):
        train, test = _sets(seed, n_train, n_test, d, dtype)
        train_n, test_n = _pair(strategy2(train, test, _CentreAndHalve), "strategy2(train, test, make)")
        for what, got, data in [("training", train_n, train), ("test", test_n, test)]:
            data = data.double().cpu()
            expected = (data - data.mean(dim=0)) / 2
            got = got.double().cpu()
            assert got.shape == expected.shape and torch.allclose(got, expected, atol=1e-5), (
                f"strategy2 with a normalizer x -> (x - mean) / 2: the {what} set became {got.tolist()}, "
                f"expected {expected.tolist()} (each set centred on its own mean)"
            )


@test_case(points=1, hidden=True)
def only_strategy2_fits_the_test_set_exactly(strategy1, strategy2, MinMaxNormalizer, ZScoreNormalizer):
    """core: with the real normalizers, only strategy 2 gives the test set mean 0, std 1 or range [-1, 1].

    `strategy1(train, test, make_normalizer)` and `strategy2(train, test, make_normalizer)`
    return `(train_n, test_n)`

    **strategy 1**: fit the normalizer on the training set only and apply that same
    normalizer to both sets

    **strategy 2**: fit one normalizer on the training set and another on the test set.
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(strategy1=strategy1, strategy2=strategy2, MinMaxNormalizer=MinMaxNormalizer,
            ZScoreNormalizer=ZScoreNormalizer)

    @for_all(st.integers(3, 20), st.integers(3, 20), st.integers(1, 3), seeds(), examples=15)
    @example(5, 5, 1, 0)
    def check(n_train, n_test, d, seed):
        train, test = _sets(seed, n_train, n_test, d, torch.float64)
        for strategy, exact in [(strategy1, False), (strategy2, True)]:
            call = f"{strategy.__name__}(train, test, ZScoreNormalizer) with {n_train} training and {n_test} test samples"
            train_z, z = _pair(strategy(train, test, ZScoreNormalizer), call)
            assert train_z.shape == train.shape and z.shape == test.shape, (
                f"{call} returned sets of shapes {tuple(train_z.shape)} and {tuple(z.shape)}, expected "
                f"(train_n, test_n) of shapes {tuple(train.shape)} and {tuple(test.shape)}"
            )
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


@test_case(points=0.5, hidden=True)
def one_test_sample(strategy1):
    """edge: strategy 1 normalises a single test sample as it would inside a larger test set.

    down to a single test sample, which strategy 1 normalises exactly as it would inside a
    larger test set.
    """
    import torch
    from hypothesis import example
    from hypothesis import strategies as st

    from dl541_testing import for_all, require, seeds

    require(strategy1=strategy1)

    @for_all(st.integers(2, 12), st.integers(1, 4), seeds(), examples=10)
    @example(3, 1, 0)
    def check(n_train, d, seed):
        train, test = _sets(seed, n_train, 4, d, torch.float64)
        _, whole = _pair(strategy1(train, test, _CentreAndHalve), "strategy1(train, test, make)")
        for i in range(test.shape[0]):
            _, alone = _pair(strategy1(train, test[i : i + 1], _CentreAndHalve), "strategy1(train, x, make)")
            assert alone.shape == (1, d) and torch.allclose(alone, whole[i : i + 1], atol=1e-9), (
                f"strategy1(train, x, make) with the single test sample x = test[{i}] gave {alone.tolist()}, "
                f"expected row {i} of strategy1(train, test, make): {whole[i].tolist()}"
            )


@test_case(points=0.5, hidden=True)
def inputs_are_not_modified(strategy1, strategy2, ZScoreNormalizer, Whitener):
    """contract: both strategies leave train and test unchanged.

    Do not change the inputs: `train` and `test` hold the same values after the call.
    """
    import torch

    from dl541_testing import require

    require(strategy1=strategy1, strategy2=strategy2, ZScoreNormalizer=ZScoreNormalizer, Whitener=Whitener)
    for strategy in (strategy1, strategy2):
        for make in (_CentreAndHalve, ZScoreNormalizer, Whitener):
            train, test = _sets(5, 8, 6, 3, torch.float64)
            kept = (train.clone(), test.clone())
            strategy(train, test, make)
            assert torch.equal(train, kept[0]) and torch.equal(test, kept[1]), (
                f"{strategy.__name__}(train, test, {make.__name__}) changed its inputs train or test in place"
            )
