from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


@test_case(points=1, hidden=False)
def answer_is_one_of_two_words(l2_effect_answer):
    from dl541_testing import require

    require(l2_effect_answer=l2_effect_answer)
    assert l2_effect_answer in ("increase", "decrease"), (
        f"l2_effect_answer is {l2_effect_answer!r}; it must be the string 'increase' or 'decrease'."
    )


@test_case(points=2, hidden=True)
def answer_is_correct(l2_effect_answer):
    from dl541_testing import require

    require(l2_effect_answer=l2_effect_answer)
    assert l2_effect_answer == "increase", (
        f"l2_effect_answer is {l2_effect_answer!r}, which is not right: in m/s the wind speeds are 3.6 times "
        "smaller, so w2 must be 3.6 times larger for the same prediction, and lam / 2 * w2**2 penalises it "
        "3.6**2 = 12.96 times more"
    )
