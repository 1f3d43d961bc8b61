import ast

import pytest

from dl541 import skeleton
from dl541.assignment import Assignment

REFERENCE = '''import torch


def f(x):
    """Doc."""
    # BEGIN SOLUTION
    y = x + 1
    return y
    # END SOLUTION


answer = "increase"  # SOLUTION
'''


def test_block_becomes_placeholder_and_keeps_handout():
    out = skeleton.strip_solutions(REFERENCE)
    assert "y = x + 1" not in out and "return y" not in out
    assert '"""Doc."""' in out and "def f(x):" in out
    assert '    # YOUR CODE HERE\n    raise NotImplementedError("f is not written yet")\n' in out
    assert "answer = ...  # YOUR ANSWER HERE" in out
    ast.parse(out)


def test_an_unanswered_function_raises_naming_itself_and_its_question():
    source = """class Model:
    def fit(self, X):
        \"\"\"Doc.\"\"\"
        X = list(X)
        # BEGIN SOLUTION
        self.mean = X.mean()
        return self
        # END SOLUTION


def f(x):
    # BEGIN SOLUTION
    return x
    # END SOLUTION
"""
    out = skeleton.strip_solutions(source, questions={"Model": "Question 2", "f": "Question 3"})
    namespace: dict = {}
    exec(out, namespace)
    with pytest.raises(NotImplementedError, match=r"^Model.fit is not written yet \(Question 2\)$"):
        namespace["Model"]().fit([1.0])
    with pytest.raises(NotImplementedError, match=r"^f is not written yet \(Question 3\)$"):
        namespace["f"](1)
    assert "        X = list(X)\n        # YOUR CODE HERE\n" in out  # the given lines stay


def test_a_region_outside_a_function_stays_an_ellipsis():
    out = skeleton.strip_solutions("# BEGIN SOLUTION\nLIMIT = 3\n# END SOLUTION\n")
    assert out == "...  # YOUR CODE HERE\n"


def test_solution_view_drops_only_markers():
    out = skeleton.without_markers(REFERENCE)
    assert "BEGIN SOLUTION" not in out and "# SOLUTION" not in out
    assert "return y" in out and 'answer = "increase"' in out


@pytest.mark.parametrize(
    "bad, message",
    [
        ("# BEGIN SOLUTION\nx = 1\n", "never closed"),
        ("x = 1\n# END SOLUTION\n", "without a"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION\n", "nested"),
        ("def f(x):  # SOLUTION\n    pass\n", "needs the form"),
    ],
)
def test_bad_markers_are_reported_with_line(bad, message):
    with pytest.raises(ValueError, match=message):
        skeleton.strip_solutions(bad, origin="ref.py")


def test_segments_include_closing_marker_and_imports():
    segments = skeleton.top_level_segments(REFERENCE)
    assert segments["__imports__"] == "import torch"
    assert segments["f"].rstrip().endswith("# END SOLUTION")
    assert segments["answer"].endswith("# SOLUTION")


def test_every_reference_strips_to_a_parsing_skeleton_without_solution_lines():
    for assignment in Assignment.all():
        stripped = skeleton.strip_solutions(assignment.reference.read_text(), assignment.name)
        ast.parse(stripped)
        assert stripped.count("YOUR CODE HERE") + stripped.count("YOUR ANSWER HERE") >= 1, assignment.name
