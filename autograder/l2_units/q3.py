from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
points = None


@test_case(points=0, hidden=False)
def answer_is_one_of_the_two_words(l2_effect_answer):
    """validation: the answer is one of the two words, in lower case.

    `"increase"` or `"decrease"` (lower case, one of these two words)
    """
    from dl541_testing import require

    require(l2_effect_answer=l2_effect_answer)
    assert l2_effect_answer in ("increase", "decrease"), (
        f"l2_effect_answer is {l2_effect_answer!r}; it must be the string increase or decrease, in lower case."
    )


@test_case(points=2, hidden=True)
def answer_is_correct(l2_effect_answer):
    """core: the penalty on w2 increases when the wind is measured in m/s.

    does the regularization effect on `w2` increase or decrease when wind speed changes from km/h to m/s?

    The answer is graded all or nothing
    """
    from dl541_testing import require

    require(l2_effect_answer=l2_effect_answer)
    assert l2_effect_answer == "increase", (
        f"l2_effect_answer is {l2_effect_answer!r}, which is not the effect the demo measures: compare how much "
        "of the wind weight survives the penalty in km/h and in m/s."
    )
