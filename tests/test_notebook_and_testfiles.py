import json

import pytest

from dl541 import build, notebook_builder, testfiles
from dl541.assignment import Assignment

SOURCE = """# %% [markdown]
# # Title ({points:total} points)
# {rules}
# %% [reference] __imports__ f
# %% [check] q1
# %% [demo]
print("plot")
# %%
x = 1
"""
REFERENCE = """import math


def f():
    # BEGIN SOLUTION
    return math.pi
    # END SOLUTION
"""


def test_build_notebooks_layout():
    student, solution = notebook_builder.build_notebooks("demo", SOURCE, REFERENCE, {"q1": 2.0, "q2": 3.0})
    kinds = [c.cell_type for c in student.cells]
    assert kinds[0] == "markdown" and "(5 points)" in student.cells[0].source
    assert notebook_builder.GRADING_RULE in student.cells[0].source
    assert 'grader = otter.Notebook("demo.ipynb")' in student.cells[1].source
    ref = student.cells[2].source
    assert ref.startswith(notebook_builder.IMPORTS_MARKER + "\nimport math")
    assert "return math.pi" not in ref and "YOUR CODE HERE" in ref
    assert "return math.pi" in solution.cells[2].source
    assert student.cells[3].source == 'grader.check("q1")'
    assert student.cells[4].metadata["tags"] == [notebook_builder.DEMO_TAG]
    assert student.cells[4].source == (
        f'{notebook_builder.DEMO_MARKER}\ntry:\n    print("plot")\n{notebook_builder.DEMO_SKIPPED}'
    )
    assert student.cells[-1].source.startswith("grader.export(")
    assert len({c["id"] for c in student.cells}) == len(student.cells)


def test_a_demo_skips_in_one_line_when_a_function_is_not_written_yet(capsys):
    body = 'text = """two\nlines"""\n\n\ndef g():\n    return f()\n\n\nprint(text, g())'
    guarded = notebook_builder.guard_demo(body)
    assert 'text = """two\nlines"""' in guarded  # a string's own lines are not indented
    namespace = {"f": lambda: "written"}
    exec(guarded, namespace)
    assert capsys.readouterr().out == "two\nlines written\n"

    def unanswered():
        raise NotImplementedError("f is not written yet (Question 1)")

    exec(guarded, {"f": unanswered})
    assert capsys.readouterr().out == (
        "Skipped this demo: f is not written yet (Question 1). Write it, then run this cell again.\n"
    )


def test_each_definition_names_the_question_of_the_heading_above_it():
    source = """# %% [markdown]
# # Title
# %% [reference] f
# %% [markdown]
# ## The shared part (graded in Question 4)
# %% [reference] g
# %% [markdown]
# ## Question 2 — h
# %% [reference] h
# %% [check] q2
"""
    cells = notebook_builder.parse_source(source)
    labels = notebook_builder.question_labels(cells)
    assert [labels.get(i) for i, c in enumerate(cells) if c.kind == "reference"] == [
        "Question 2",  # no heading above it: the next check
        "Question 4",
        "Question 2",
    ]


@pytest.mark.parametrize(
    "source, message",
    [
        ("# %% [nope]\n", "unknown cell kind"),
        ("stray\n# %%\n", "before the first"),
        ("# %% [reference] g\n", "names \\['g'\\]"),
        ("# %% [check] q9\n", "needs one question"),
        ("# %% [markdown]\n# {points:q7}\n", "names no question"),
    ],
)
def test_bad_sources_are_rejected(source, message):
    with pytest.raises(ValueError, match=message):
        notebook_builder.build_notebooks("demo", source, REFERENCE, {"q1": 1.0})


TEST_FILE = """from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


def _shared():
    return 1


def _secret_oracle():
    return 2


@test_case(points=1, hidden=False)
def public_one(f):
    assert _shared() == 1


@test_case(points=2, hidden=True)
def hidden_two(f):
    assert _secret_oracle() == 2
"""


def test_public_source_keeps_public_cases_and_their_helpers_only(tmp_path):
    public = testfiles.public_source(TEST_FILE)
    assert "public_one" in public and "_shared" in public
    assert "hidden_two" not in public and "_secret_oracle" not in public
    path = tmp_path / "q1.py"
    path.write_text(public)
    assert testfiles.cases(path) == [testfiles.CaseInfo("q1 - 1", 1.0, False)]


HELPERS = """\"\"\"Shared test helpers.\"\"\"


def _base():
    return 40


def _shared():
    return _base() + 2


def _unused():
    return 0
"""


def test_shared_helpers_are_written_into_the_files_that_import_them(tmp_path):
    (tmp_path / "helpers.py").write_text(HELPERS)
    path = tmp_path / "q1.py"
    path.write_text(
        "from helpers import _shared\nfrom otter.test_files import test_case\n\nname = 'q1'\n\n\n"
        "@test_case(points=1, hidden=False)\ndef uses_it(f):\n    assert _shared() == 42\n"
    )
    assembled = testfiles.assembled_source(path)
    assert "from helpers" not in assembled
    assert "def _shared" in assembled and "def _base" in assembled  # and what it calls
    assert "_unused" not in assembled
    namespace: dict = {}
    exec(assembled, namespace)
    assert namespace["_shared"]() == 42
    assert testfiles.cases(path) == [testfiles.CaseInfo("q1 - 1", 1.0, False)]
    path.write_text("from helpers import _missing\n")
    with pytest.raises(ValueError, match="_missing"):
        testfiles.assembled_source(path)


def test_a_file_without_shared_helpers_is_left_as_it_is(tmp_path):
    path = tmp_path / "q1.py"
    path.write_text(TEST_FILE)
    assert testfiles.assembled_source(path) == TEST_FILE


@pytest.mark.parametrize("assignment", Assignment.all(), ids=lambda a: a.name)
def test_committed_student_notebook_is_fresh(assignment):
    student, _, _ = build.render_notebooks(assignment)
    committed = assignment.committed_notebook
    assert committed.is_file(), f"{committed} is missing: run `dl541 build {assignment.name}`"
    assert committed.read_text() == student, f"{committed} is stale: run `dl541 build {assignment.name}`"
    json.loads(student)
