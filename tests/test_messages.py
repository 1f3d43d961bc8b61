"""Failure messages reach the student intact: Otter strips quote characters from both ends of a
message (`str(exc).strip("'")` in otter/test_files/exception_test.py), so none starts or ends with
one, and float noise is rounded away (`dl541_testing.tidy`)."""

from __future__ import annotations

import ast

import pytest

from dl541 import paths
from dl541.assignment import Assignment
from dl541_testing import run_property, tidy


@pytest.mark.parametrize(
    "message, shown",
    [
        (
            "a smiling man weighs 0.44999998807907104, expected 0.45",
            "a smiling man weighs 0.45, expected 0.45",
        ),
        (
            "got [1.225336489125606, 4.682357754476674] for x of shape (2, 3)",
            "got [1.23, 4.68] for x of shape (2, 3)",
        ),
        ("gradient [-1.0000004589706868], torch gives [-1.0]", "gradient [-1.0000005], torch gives [-1.0]"),
        ("eps 1e-06, ratio 0.001, nan and inf stay", "eps 1e-06, ratio 0.001, nan and inf stay"),
    ],
)
def test_tidy_rounds_floats_and_keeps_different_values_apart(message, shown):
    assert tidy(message) == shown


def test_run_property_tidies_the_message_but_not_the_example():
    def check():
        exc = AssertionError("returned 0.30000001192092896, expected 0.3")
        exc.add_note("Falsifying example: check(x=0.30000001192092896)")
        raise exc

    with pytest.raises(AssertionError) as caught:
        run_property(check)
    assert str(caught.value) == "returned 0.3, expected 0.3\nFalsifying example: check(x=0.30000001192092896)"


def _pieces(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "tidy" and node.args:
        return _pieces(node.args[0])
    if isinstance(node, ast.JoinedStr):
        return [v for v in node.values if not (isinstance(v, ast.Constant) and v.value == "")]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _pieces(node.left) + _pieces(node.right)
    return [node]


def _quoted_end(piece: ast.expr, first: bool) -> bool:
    """Whether this end of a message is (or may be, for a repr) a quote character."""
    if isinstance(piece, ast.Constant) and isinstance(piece.value, str):
        return (piece.value[:1] if first else piece.value[-1:]) in ("'", '"')
    return isinstance(piece, ast.FormattedValue) and piece.conversion == ord("r")


def test_no_assertion_message_starts_or_ends_with_a_quote():
    files = [p for a in Assignment.all() for p in a.question_files + [a.helpers] if p.is_file()]
    files.append(paths.TESTING_MODULE)
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assert) and node.msg is not None:
                pieces = _pieces(node.msg)
                if pieces and (_quoted_end(pieces[0], True) or _quoted_end(pieces[-1], False)):
                    found.append(
                        f"{path.relative_to(paths.REPO)}:{node.lineno}: {ast.unparse(node.msg)[:90]}"
                    )
    assert not found, "messages that Otter would cut (end them with text, not a quote):\n" + "\n".join(found)
