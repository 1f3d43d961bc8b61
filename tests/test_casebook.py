"""What each test case claims (casebook): its kind, its quoted rule, and the points each kind carries."""

from __future__ import annotations

import pytest

from dl541 import casebook, paths
from dl541.assignment import Assignment
from dl541.casebook import Case


def test_a_docstring_gives_kind_summary_and_one_quote_per_paragraph():
    doc = """core: the output equals the layer-by-layer formula.

    the activation follows every layer
    but the last

    `x` of shape `(n, in)` to `(n, out)`
    """
    kind, summary, quotes = casebook.parse_docstring(doc)
    assert kind == "core" and summary == "the output equals the layer-by-layer formula."
    assert quotes == (
        "the activation follows every layer but the last",
        "`x` of shape `(n, in)` to `(n, out)`",
    )


@pytest.mark.parametrize(
    "doc", ["", "checks the output", "central: a kind that is not one", "Core: capitalised"]
)
def test_an_unknown_or_missing_kind_is_none(doc):
    assert casebook.parse_docstring(doc)[0] is None


def test_problems_name_what_a_case_lacks():
    good = Case("q1", "t", 1.0, True, "core", "s", ("the activation follows every layer",))
    assert good.problems() == []
    bare = Case("q1", "t", 1.0, True, None, "", ())
    assert len(bare.problems()) == 2
    short = Case("q1", "t", 1.0, True, "edge", "", ("z > 0",))
    assert short.problems() == ["quote too short to be a rule: 'z > 0'"]


def test_quotes_match_ignoring_layout_emphasis_and_backticks():
    text = casebook.normalized("the sign of every *hidden*\n   pre-activation, `z > 0`, counts")
    case = Case("q4", "t", 1.0, True, "core", "", ("the sign of every hidden pre-activation, z > 0",))
    assert casebook.unstated([case], [text]) == []
    other = Case("q4", "t", 1.0, True, "core", "", ("the sign of every output pre-activation",))
    assert casebook.unstated([other], [text]) == [(other, "the sign of every output pre-activation")]


def _case(question: str, kind: str, points: float) -> Case:
    return Case(question, f"{kind}-{points}", points, True, kind, "", ("four words at least",))


def test_shares_and_the_lecture_balance():
    cases = [
        _case("q1", "core", 6),
        _case("q1", "edge", 2),
        _case("q1", "validation", 2),
        _case("q2", "core", 1),
    ]
    shares = casebook.shares_by_question(cases)
    assert shares == {"q1": {"core": 0.6, "edge": 0.2, "validation": 0.2}, "q2": {"core": 1.0}}
    assert casebook.balanced(shares["q1"]) and casebook.balanced(shares["q2"])
    assert casebook.describe_shares(shares["q1"]) == "core 60%, edge 20%, validation 20%"
    assert not casebook.balanced({"core": 0.55, "edge": 0.45})
    assert not casebook.balanced({"core": 0.7, "dtype": 0.15, "device": 0.15})


@pytest.mark.parametrize("assignment", Assignment.all(), ids=lambda a: a.name)
def test_every_case_of_the_repository_quotes_a_rule_the_student_can_read(assignment):
    cases = casebook.read_cases(assignment)
    described = [f"{c.question}:{c.name}: {p}" for c in cases for p in c.problems()]
    assert not described, described
    texts = casebook.student_texts(assignment.committed_notebook, paths.SPEC)
    missing = [f"{c.question}:{c.name}: {q!r}" for c, q in casebook.unstated(cases, texts)]
    assert not missing, missing
    unbalanced = {q: s for q, s in casebook.shares_by_question(cases).items() if not casebook.balanced(s)}
    assert not unbalanced, unbalanced


@pytest.mark.parametrize("assignment", Assignment.all(), ids=lambda a: a.name)
def test_no_requirement_hides_under_an_instructors_note(assignment):
    text = casebook.notebook_text(assignment.committed_notebook)
    assert "Instructor's note" not in text and "Instructor’s note" not in text
