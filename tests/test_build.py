"""The distributions are valid Otter distributions and leak nothing."""

import json
import zipfile

import pytest

from dl541 import verify


def test_autograder_zip_is_an_otter_zip(depth_build):
    with zipfile.ZipFile(depth_build.autograder_zip) as zf:
        names = set(zf.namelist())
        config = json.loads(zf.read("otter_config.json"))
        setup = zf.read("setup.sh").decode()
        env = zf.read("environment.yml").decode()
    assert {"run_autograder", "run_otter.py", "setup.sh", "environment.yml"} <= names
    assert {f"tests/q{i}.py" for i in range(1, 6)} <= names
    assert "files/dl541_testing/__init__.py" in names
    assert config["pdf"] is False and config["lang"] == "python"
    assert "playwright" not in setup
    assert "torch==2.13.0" in env and "otter-grader[grading]==7.0.0" in env


def test_student_distribution_has_public_tests_only(depth_build):
    student = depth_build.student_dir
    assert sorted(p.name for p in (student / "tests").iterdir()) == [f"q{i}.py" for i in range(1, 6)]
    text = "\n".join(p.read_text() for p in student.rglob("*") if p.is_file())
    for name in verify.hidden_case_names(depth_build.assignment):
        assert name not in text, f"hidden test {name} leaked into the student distribution"
    code = {line.strip() for line in text.splitlines()} | verify._code_lines(
        "depth.ipynb", depth_build.student_notebook.read_text()
    )
    for line in verify.distinctive_solution_lines(depth_build.assignment):
        assert line not in code, f"solution line {line!r} leaked into the student distribution"
    assert "hidden=True" not in text
    with zipfile.ZipFile(depth_build.student_zip) as zf:
        assert "depth.ipynb" in zf.namelist() and "tests/q1.py" in zf.namelist()


@pytest.mark.parametrize("which, expected", [("solution", 1.0), ("skeleton", 0.0)])
def test_otter_own_runner_grades_solution_full_and_skeleton_zero(depth_build, tmp_path, which, expected):
    from otter.run import main as otter_run

    notebook = depth_build.solution_notebook if which == "solution" else depth_build.student_notebook
    results = otter_run(
        str(notebook), autograder=str(depth_build.autograder_zip), output_dir=str(tmp_path), no_logo=True
    )
    assert results.possible == sum(depth_build.points.values())
    assert results.total == pytest.approx(expected * results.possible)
    gradescope = json.loads((tmp_path / "results.json").read_text())
    assert [t["name"] for t in gradescope["tests"]][1:] == [f"q{i}" for i in range(1, 6)]
