from otter.test_files import test_case

OK_FORMAT = False
name = "q4"
points = None


@test_case(points=1, hidden=False)
def lecture_weights(balanced_sample_weights):
    import torch

    from dl541_testing import device, require, tidy

    require(balanced_sample_weights=balanced_sample_weights)
    dev = device()
    counts = {(1, 0): 47, (1, 1): 2, (0, 0): 45, (0, 1): 6}  # the lecture's 100 people
    labels = torch.cat([torch.full((c,), float(lab)) for (lab, _), c in counts.items()]).to(dev)
    groups = torch.cat([torch.full((c,), float(grp)) for (_, grp), c in counts.items()]).to(dev)
    w = balanced_sample_weights(labels, groups)
    assert isinstance(w, torch.Tensor) and tuple(w.shape) == (100,), (
        f"balanced_sample_weights returned {getattr(w, 'shape', w)!r}, expected a tensor of shape (100,)"
    )
    # a smiling woman: 100 / (4 * 2) = 12.5; a smiling man: 100 / (4 * 47)
    assert abs(float(w[47]) - 12.5) < 1e-5, tidy(f"a smiling woman weighs {float(w[47])}, expected 12.5")
    assert abs(float(w[0]) - 100 / 188) < 1e-5, tidy(f"a smiling man weighs {float(w[0])}, expected {100 / 188}")


@test_case(points=2, hidden=True)
def equal_subgroups_summing_to_n(balanced_sample_weights):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import device, prop, require, run_property, same_device_and_dtype

    require(balanced_sample_weights=balanced_sample_weights)
    dev = device()

    @prop(40)
    @given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=1, max_size=40), st.booleans())
    def check(pairs, double):
        dtype = torch.float64 if double else torch.float32
        labels = torch.tensor([p[0] for p in pairs], dtype=dtype, device=dev)
        groups = torch.tensor([p[1] for p in pairs], dtype=dtype, device=dev)
        w = balanced_sample_weights(labels, groups)
        same_device_and_dtype(w, labels, "balanced_sample_weights(labels, groups)")
        n = len(pairs)
        assert tuple(w.shape) == (n,), f"weights have shape {tuple(w.shape)}, expected ({n},)"
        present = sorted(set(pairs))
        for key in present:
            members = [i for i, p in enumerate(pairs) if p == key]
            want = n / (len(present) * len(members))
            got = w[members].double().cpu()
            assert torch.allclose(got, torch.full_like(got, want), rtol=1e-5), (
                f"subgroup (label, group) = {key} of size {len(members)} among {len(present)} present "
                f"subgroups: weights {got.tolist()}, expected each n / (S * n_s) = {want}"
            )
            total = float(got.sum())
            assert abs(total - n / len(present)) < 1e-4 * n, (
                f"subgroup {key} weighs {total} in all, expected n / S = {n / len(present)}"
            )
        assert abs(float(w.double().sum()) - n) < 1e-4 * n, f"the weights sum to {float(w.sum())}, expected {n}"

    run_property(check)


@test_case(points=1, hidden=True)
def balanced_weights_balance_the_table(balanced_sample_weights):
    import torch
    from hypothesis import given
    from hypothesis import strategies as st

    from dl541_testing import prop, require, run_property

    require(balanced_sample_weights=balanced_sample_weights)

    @prop(20)
    @given(st.integers(4, 60), st.integers(0, 2**31 - 1))
    def check(n, seed):
        g = torch.Generator().manual_seed(seed)
        labels = torch.randint(0, 2, (n,), generator=g)
        groups = (torch.rand(n, generator=g) < 0.2).long()
        w = balanced_sample_weights(labels, groups)
        assert isinstance(w, torch.Tensor) and w.is_floating_point(), (
            f"balanced_sample_weights of integer labels returned {w!r}, expected a floating tensor"
        )
        table = torch.zeros(2, 2, dtype=torch.float64)
        for lab, grp, weight in zip(labels.tolist(), groups.tolist(), w.tolist()):
            table[1 - lab, grp] += weight / n
        cells = table[table > 0]
        assert torch.allclose(cells, torch.full_like(cells, 1 / len(cells)), atol=1e-5), (
            f"the weighted joint distribution is {table.tolist()}; with balanced weights every present "
            "subgroup should weigh the same"
        )

    run_property(check)


@test_case(points=1, hidden=True)
def rejects_bad_input(balanced_sample_weights):
    import torch

    from dl541_testing import require

    require(balanced_sample_weights=balanced_sample_weights)
    cases = {
        "a label 2": (torch.tensor([0, 1, 2]), torch.tensor([0, 1, 1])),
        "a group 0.5": (torch.tensor([0.0, 1.0]), torch.tensor([0.5, 1.0])),
        "lengths 3 and 4": (torch.tensor([0, 1, 1]), torch.tensor([0, 1, 1, 0])),
    }
    for what, (labels, groups) in cases.items():
        try:
            balanced_sample_weights(labels, groups)
        except ValueError:
            continue
        raise AssertionError(f"balanced_sample_weights with {what} should raise ValueError")
