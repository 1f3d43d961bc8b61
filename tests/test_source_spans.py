"""One parser of statement spans and solution markers, for every tool that cuts a source."""

from __future__ import annotations

import pytest

from dl541 import skeleton
from dl541.source_spans import definitions, solution_markers, statement_spans

SOURCE = """import os; import sys
x = (1,
     2); y = 3


@staticmethod
@property
def f():
    # BEGIN SOLUTION
    return 1
    # END SOLUTION


class C:
    pass
answer = 4  # SOLUTION
"""


def test_spans_take_decorators_and_merge_statements_sharing_a_line():
    spans = statement_spans(SOURCE)
    assert [(s.start, s.end, len(s.nodes)) for s in spans] == [
        (1, 1, 2),
        (2, 3, 2),
        (6, 10, 1),
        (14, 15, 1),
        (16, 16, 1),
    ]
    lines = SOURCE.splitlines()
    assert spans[1].text(lines) == "x = (1,\n     2); y = 3"
    assert [(span.start, span.end, node.name) for span, node in definitions(spans)] == [
        (6, 10, "f"),
        (14, 15, "C"),
    ]


def test_closing_comments_belong_to_the_definition_above():
    spans = statement_spans(SOURCE, closing_comments=True)
    assert (spans[2].start, spans[2].end) == (6, 11)  # its `# END SOLUTION`
    assert (spans[3].start, spans[3].end) == (14, 15)  # an unindented line ends it


def test_a_source_that_does_not_parse_raises():
    with pytest.raises(SyntaxError):
        statement_spans("def (:\n")
    assert statement_spans("# only a comment\n") == []


def test_markers_regions_inline_and_solution_lines():
    markers = solution_markers(SOURCE)
    assert markers.regions == ((9, 11),)
    assert markers.inline == ((16, "answer ="),)
    assert markers.inside_regions() == {10}
    assert markers.marker_lines() == {9, 11}
    assert markers.solution_lines() == {10, 16}


@pytest.mark.parametrize(
    "bad, message",
    [
        ("# BEGIN SOLUTION\nx = 1\n", "ref.py:1: '# BEGIN SOLUTION' is never closed"),
        ("x = 1\n# END SOLUTION\n", "ref.py:2: '# END SOLUTION' without a"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION\n", "ref.py:2: nested"),
        ("def f(x):  # SOLUTION\n    pass\n", "ref.py:1: '# SOLUTION' needs the form"),
    ],
)
def test_misplaced_markers_are_reported_with_their_line(bad, message):
    with pytest.raises(ValueError, match=message):
        solution_markers(bad, origin="ref.py")


def test_comment_lines_are_not_inline_markers_and_every_view_agrees():
    source = "# Say which: SOLUTION\n#  SOLUTION\nlimit = 3  #SOLUTION\n"
    assert solution_markers(source).inline == ((3, "limit ="),)
    assert skeleton.strip_solutions(source).splitlines()[2] == "limit = ...  # YOUR ANSWER HERE"
    assert skeleton.without_markers(source).splitlines() == [
        "# Say which: SOLUTION",
        "#  SOLUTION",
        "limit = 3",
    ]
