"""Build an assignment's distributions: student folder and zip, solution notebook, Otter autograder zip."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import __version__, notebook_builder, paths, testfiles
from .assignment import Assignment, Distribution
from .bundle import DEFAULT_VISIBILITY, SETTINGS, VISIBILITIES
from .wheel import build_wheel, wheel_name

#: Where Gradescope unzips the autograder (Otter's templates assume it too).
GRADESCOPE_ROOT = "/autograder"
#: The grading environment of the autograder zip (Gradescope builds it with Otter's setup.sh);
#: the last line installs the dl541 engine itself from the wheel inside the zip.
GRADING_REQUIREMENTS = f"""\
otter-grader[grading]==7.0.0
--extra-index-url https://download.pytorch.org/whl/cpu
torch==2.13.0
numpy==2.4.6
hypothesis==6.170.17
scikit-learn==1.9.1
matplotlib==3.11.2
click==8.5.1
{GRADESCOPE_ROOT}/source/{wheel_name()}
"""

#: `otter run -a autograder.zip` hands grading to dl541's confined engine through this plugin.
OTTER_PLUGIN = "dl541.otter_plugin.ConfinedGrading"


def otter_config(hidden_visibility: str) -> dict:
    """Otter's configuration for the zip (PDFs off; hidden results shown per the instructor's choice)."""
    return {
        "lang": "python",
        "pdf": False,
        "show_stdout": False,
        "show_hidden": hidden_visibility in ("after_published", "visible"),
        "plugins": [OTTER_PLUGIN],
    }


@dataclass(frozen=True)
class Built(Distribution):
    """A distribution that `build_assignment` has made, and the points of each question."""

    points: dict[str, float]


def render_notebooks(assignment: Assignment) -> tuple[str, str, dict[str, float]]:
    """Return (student, solution) notebook JSON text and the points per question."""
    points = testfiles.question_points(assignment.question_files)
    student, solution = notebook_builder.build_notebooks(
        assignment.name,
        assignment.notebook_source.read_text(),
        assignment.reference.read_text(),
        points,
        source_origin=assignment.shown(assignment.notebook_source),
        reference_origin=assignment.shown(assignment.reference),
    )
    return notebook_builder.dumps(student), notebook_builder.dumps(solution), points


def build_assignment(
    assignment: Assignment, dist: Path = paths.DEFAULT_DIST, hidden_visibility: str = DEFAULT_VISIBILITY
) -> Built:
    """Build every distribution of `assignment` under `dist/NAME/` and refresh the committed notebook.

    `hidden_visibility` is when students see hidden tests' results on Gradescope: one of
    `bundle.VISIBILITIES`; every grading path reads it from the autograder zip.
    """
    if hidden_visibility not in VISIBILITIES:
        choices = ", ".join(VISIBILITIES)
        raise ValueError(f"hidden_visibility must be one of {choices}, not {hidden_visibility!r}")
    student_nb, solution_nb, points = render_notebooks(assignment)
    assignment.committed_notebook.write_text(student_nb)

    built = Built(assignment, assignment.distribution(dist).folder, points)
    if built.folder.exists():
        shutil.rmtree(built.folder)
    built.student_tests_dir.mkdir(parents=True)
    built.student_notebook.write_text(student_nb)
    _copy_support_package(built.student_dir)
    for path in assignment.question_files:
        public = testfiles.public_source(testfiles.assembled_source(path))
        (built.student_tests_dir / path.name).write_text(public)

    built.solution_notebook.parent.mkdir()
    built.solution_notebook.write_text(solution_nb)

    _zip_dir(built.student_dir, built.student_zip)
    generate_autograder_zip(assignment, built.autograder_zip, hidden_visibility)
    return built


def generate_autograder_zip(
    assignment: Assignment, target: Path, hidden_visibility: str = DEFAULT_VISIBILITY
) -> None:
    """Make the Otter autograder zip with `otter generate`'s own code, then make dl541 its engine.

    The tests stay Otter test files; `run_autograder` (Gradescope) calls `dl541 run-autograder`,
    and Otter's own runner (`otter run`) reaches the same engine through `OTTER_PLUGIN`.
    """
    from otter.generate import main as otter_generate

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "otter_config.json").write_text(json.dumps(otter_config(hidden_visibility), indent=2))
        (tmp_path / "requirements.txt").write_text(GRADING_REQUIREMENTS)
        tests = tmp_path / "tests"
        tests.mkdir()
        for path in assignment.question_files:
            (tests / path.name).write_text(testfiles.assembled_source(path))
        _copy_support_package(tmp_path)
        with _chdir(tmp_path), contextlib.redirect_stdout(open(os.devnull, "w")):
            otter_generate(
                tests_dir="tests",
                output_path="autograder.zip",
                config="otter_config.json",
                requirements="requirements.txt",
                overwrite_requirements=True,
                files=[SUPPORT_PACKAGE],
                python_version="3.11",
                no_environment=True,
            )
        settings = {
            "assignment": assignment.name,
            "hidden_visibility": hidden_visibility,
            "dl541": __version__,
        }
        _finish_zip(tmp_path / "autograder.zip", target, settings)


SUPPORT_PACKAGE = "dl541_testing"


def _copy_support_package(folder: Path) -> None:
    # A package folder, not a .py file: Otter refuses a .py submission that has another .py beside it.
    package = folder / SUPPORT_PACKAGE
    package.mkdir(parents=True, exist_ok=True)
    shutil.copy(paths.TESTING_MODULE, package / "__init__.py")


RUN_OTTER = f'''"""Grades {GRADESCOPE_ROOT} with dl541's confined engine, as `run_autograder` does."""

from pathlib import Path

from dl541.gradescope import run_autograder

if __name__ == "__main__":
    run_autograder(Path("{GRADESCOPE_ROOT}"))
'''


def _finish_zip(source: Path, target: Path, settings: dict) -> None:
    # PDFs are off, so Playwright's browser that Otter's setup.sh installs is never used; the
    # last line of run_autograder (Otter's in-kernel runner) becomes dl541's confined engine.
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "setup.sh":
                lines = data.decode().splitlines(keepends=True)
                data = "".join(line for line in lines if "playwright" not in line).encode()
            elif info.filename == "run_autograder":
                lines = data.decode().splitlines()
                if not lines or "run_otter.py" not in lines[-1]:
                    raise RuntimeError(f"otter generate's run_autograder changed shape: {lines[-1:]}")
                lines[-1] = f"dl541 run-autograder --root {GRADESCOPE_ROOT}"
                data = ("\n".join(lines) + "\n").encode()
            elif info.filename == "run_otter.py":
                data = RUN_OTTER.encode()
            zout.writestr(info, data)
        zout.writestr(SETTINGS, json.dumps(settings, indent=2) + "\n")
        zout.writestr(wheel_name(), build_wheel())


def _zip_dir(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder))


@contextlib.contextmanager
def _chdir(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)
