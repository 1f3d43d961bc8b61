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

from . import notebook, paths, testfiles

#: The grading environment of the autograder zip (Gradescope builds it with Otter's setup.sh).
GRADING_REQUIREMENTS = """\
otter-grader[grading]==7.0.0
--extra-index-url https://download.pytorch.org/whl/cpu
torch==2.13.0
numpy==2.4.6
hypothesis==6.170.17
scikit-learn==1.9.1
matplotlib==3.11.2
"""

OTTER_CONFIG = {"lang": "python", "pdf": False, "show_stdout": False, "show_hidden": True}


@dataclass
class Built:
    name: str
    student_dir: Path
    student_zip: Path
    solution_notebook: Path
    autograder_zip: Path
    points: dict[str, float]


def render_notebooks(name: str) -> tuple[str, str, dict[str, float]]:
    """Return (student, solution) notebook JSON text and the points per question."""
    points = testfiles.question_points(paths.test_files(name))
    source = (paths.ASSIGNMENTS_DIR / name / "notebook.py").read_text()
    reference = (paths.REFERENCE_DIR / f"{name}.py").read_text()
    student, solution = notebook.build_notebooks(name, source, reference, points)
    return notebook.dumps(student), notebook.dumps(solution), points


def committed_notebook(name: str) -> Path:
    """The generated student notebook that is committed beside the assignment's source."""
    return paths.ASSIGNMENTS_DIR / name / f"{name}.ipynb"


def build(name: str, dist: Path = paths.DEFAULT_DIST) -> Built:
    """Build every distribution of `name` under `dist/name/` and refresh the committed notebook."""
    student_nb, solution_nb, points = render_notebooks(name)
    committed_notebook(name).write_text(student_nb)

    out = dist / name
    if out.exists():
        shutil.rmtree(out)
    student_dir = out / "student"
    (student_dir / "tests").mkdir(parents=True)
    (student_dir / f"{name}.ipynb").write_text(student_nb)
    _copy_support_package(student_dir)
    for path in paths.test_files(name):
        public = testfiles.public_source(testfiles.assembled_source(path))
        (student_dir / "tests" / path.name).write_text(public)

    solution_dir = out / "solution"
    solution_dir.mkdir()
    (solution_dir / f"{name}.ipynb").write_text(solution_nb)

    student_zip = out / f"{name}-student.zip"
    _zip_dir(student_dir, student_zip)
    autograder_zip = out / "autograder.zip"
    generate_autograder_zip(name, autograder_zip)
    return Built(name, student_dir, student_zip, solution_dir / f"{name}.ipynb", autograder_zip, points)


def generate_autograder_zip(name: str, target: Path) -> None:
    """Make the Otter autograder zip with `otter generate`'s own code, then slim its setup.sh."""
    from otter.generate import main as otter_generate

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "otter_config.json").write_text(json.dumps(OTTER_CONFIG, indent=2))
        (tmp_path / "requirements.txt").write_text(GRADING_REQUIREMENTS)
        tests = tmp_path / "tests"
        tests.mkdir()
        for path in paths.test_files(name):
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
        _slim_setup(tmp_path / "autograder.zip", target)


SUPPORT_PACKAGE = "dl541_testing"


def _copy_support_package(folder: Path) -> None:
    # A package folder, not a .py file: Otter refuses a .py submission that has another .py beside it.
    package = folder / SUPPORT_PACKAGE
    package.mkdir(parents=True, exist_ok=True)
    shutil.copy(paths.TESTING_MODULE, package / "__init__.py")


def _slim_setup(source: Path, target: Path) -> None:
    # PDFs are off, so Playwright's browser that Otter's setup.sh installs is never used.
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "setup.sh":
                lines = data.decode().splitlines(keepends=True)
                data = "".join(line for line in lines if "playwright" not in line).encode()
            zout.writestr(info, data)


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
