"""Assignments are discovered from their folders, in lecture order, and own every path of theirs."""

from __future__ import annotations

from pathlib import Path

import pytest

from dl541 import build, paths
from dl541.assignment import Assignment

LECTURE = [
    "depth",
    "gradients",
    "l2_units",
    "normalizers",
    "augmentation",
    "autoencoder_pca",
    "transfer",
    "mtl",
    "fairness",
]

REFERENCE = '''import torch


def double(x: torch.Tensor) -> torch.Tensor:
    """Twice `x`."""
    # BEGIN SOLUTION
    return 2 * x
    # END SOLUTION
'''
TEST_FILE = """from otter.test_files import test_case

OK_FORMAT = False
name = "q1"
points = None


@test_case(points=1, hidden=False)
def doubles(double):
    import torch

    assert torch.equal(double(torch.ones(2)), torch.full((2,), 2.0))
"""
SOURCE = """# %% [markdown]
# # DL541 · Assignment {number} — A synthetic topic
#
# {{rules}}
# %% [reference] __imports__
# %% [reference] double
# %% [check] q1
"""


def _make(root: Path, name: str, number: int | str = 10, skip: str = "") -> Assignment:
    """Write the three sources of a small assignment under `root` (all but `skip`)."""
    if skip != "reference":
        (root / "reference").mkdir(parents=True, exist_ok=True)
        (root / "reference" / f"{name}.py").write_text(REFERENCE)
    if skip != "tests":
        (root / "autograder" / name).mkdir(parents=True, exist_ok=True)
        (root / "autograder" / name / "q1.py").write_text(TEST_FILE)
    if skip != "notebook":
        (root / "assignments" / name).mkdir(parents=True, exist_ok=True)
        (root / "assignments" / name / "notebook.py").write_text(SOURCE.format(number=number))
    return Assignment(name, root)


def test_the_nine_are_discovered_in_lecture_order():
    found = Assignment.all()
    assert [a.name for a in found] == LECTURE
    assert [a.number for a in found] == list(range(1, 10))
    assert all(a.root == paths.REPO for a in found)
    assert Assignment.all()[0].title.startswith("DL541 · Assignment 1 — ")


def test_a_tenth_assignment_is_discovered_without_registration(tmp_path):
    _make(tmp_path, "tenth", 10)
    _make(tmp_path, "alpha", 2)  # the title's number orders them, not the name
    _make(tmp_path, "zeta", 1)
    assert [a.name for a in Assignment.all(root=tmp_path)] == ["zeta", "alpha", "tenth"]
    assert Assignment.named("tenth", root=tmp_path) == Assignment("tenth", tmp_path)
    assert Assignment.resolve([], root=tmp_path) == Assignment.all(root=tmp_path)


def test_a_tenth_assignment_builds_with_nothing_registered(tmp_path):
    tenth = _make(tmp_path / "repo", "tenth")
    built = build.build_assignment(tenth, tmp_path / "dist")
    assert built.assignment == tenth and built.points == {"q1": 1.0}
    for path in (built.student_notebook, built.student_zip, built.solution_notebook, built.autograder_zip):
        assert path.is_file(), path
    assert tenth.committed_notebook.read_text() == built.student_notebook.read_text()
    assert "YOUR CODE HERE" in built.student_notebook.read_text()
    assert "return 2 * x" in built.solution_notebook.read_text()


@pytest.mark.parametrize("skip", ["reference", "tests", "notebook"])
def test_an_assignment_missing_a_source_is_not_discovered(tmp_path, skip):
    _make(tmp_path, "whole", 1)
    partial = _make(tmp_path, "partial", 2, skip=skip)
    assert [a.name for a in Assignment.all(root=tmp_path)] == ["whole"]
    assert len(partial.missing_sources()) == 1
    with pytest.raises(ValueError, match=r"partial lacks .*; available: whole"):
        Assignment.named("partial", root=tmp_path)


def test_a_test_folder_without_question_files_is_not_an_assignment(tmp_path):
    _make(tmp_path, "empty", 1)
    (tmp_path / "autograder" / "empty" / "q1.py").unlink()
    (tmp_path / "autograder" / "empty" / "helpers.py").write_text("")
    assert Assignment.all(root=tmp_path) == []


def test_an_unknown_name_lists_the_available_ones():
    with pytest.raises(ValueError, match="unknown assignment\\(s\\) nope; available: " + ", ".join(LECTURE)):
        Assignment.named("nope")
    with pytest.raises(ValueError, match="nope, ../depth;"):
        Assignment.resolve(["depth", "nope", "../depth"])
    assert [a.name for a in Assignment.resolve(["mtl", "depth"])] == ["mtl", "depth"]


def test_two_assignments_with_one_number_or_one_without_fail_clearly(tmp_path):
    _make(tmp_path, "first", 3)
    _make(tmp_path, "second", 3)
    with pytest.raises(ValueError, match="first and second both say 'Assignment 3'"):
        Assignment.all(root=tmp_path)
    _make(tmp_path, "second", "Four")
    with pytest.raises(ValueError, match="assignments/second/notebook.py: its title .* must say"):
        Assignment.all(root=tmp_path)


def test_every_part_has_its_path():
    depth = Assignment.named("depth")
    repo = paths.REPO
    assert depth.notebook_source == repo / "assignments" / "depth" / "notebook.py"
    assert depth.reference == repo / "reference" / "depth.py"
    assert depth.autograder_dir == repo / "autograder" / "depth"
    assert depth.question_files == [repo / "autograder" / "depth" / f"q{i}.py" for i in range(1, 6)]
    assert depth.helpers == repo / "autograder" / "depth" / "helpers.py" and not depth.helpers.exists()
    assert Assignment.named("augmentation").helpers.is_file()
    assert depth.mistakes_catalogue == repo / "autograder" / "depth" / "mistakes.py"
    assert depth.alternative == repo / "autograder" / "depth" / "alternative.py"
    assert depth.equivalent_mutants == repo / "autograder" / "depth" / "equivalent_mutants.py"
    assert depth.committed_notebook == repo / "assignments" / "depth" / "depth.ipynb"
    assert depth.notebook_name == "depth.ipynb"
    assert depth.shown(depth.reference) == "reference/depth.py"
    for part in (depth.notebook_source, depth.reference, depth.mistakes_catalogue, depth.alternative):
        assert part.is_file(), part

    dist = Path("/somewhere/dist")
    files = depth.distribution(dist)
    assert files.folder == depth.folder_in(dist) == dist / "depth"
    assert files.student_dir == dist / "depth" / "student"
    assert files.student_notebook == dist / "depth" / "student" / "depth.ipynb"
    assert files.student_tests_dir == dist / "depth" / "student" / "tests"
    assert files.student_zip == dist / "depth" / "depth-student.zip"
    assert files.solution_notebook == dist / "depth" / "solution" / "depth.ipynb"
    assert files.autograder_zip == dist / "depth" / "autograder.zip"
    assert depth.distribution().folder == paths.DEFAULT_DIST / "depth"


def test_question_files_come_in_question_order(tmp_path):
    many = _make(tmp_path, "many")
    for stem in ("q10", "q2", "q11"):
        (many.autograder_dir / f"{stem}.py").write_text("")
    (many.autograder_dir / "mistakes.py").write_text("")
    assert [p.stem for p in many.question_files] == ["q1", "q2", "q10", "q11"]
