"""An assignment and every file that belongs to it, found by name or discovered from the folders.

An assignment NAME exists when its three sources do, and nothing else registers it:
- `reference/NAME.py`: the reference solution, its solution regions marked;
- `autograder/NAME/qN.py`: one Otter test file per question (at least one);
- `assignments/NAME/notebook.py`: the notebook source, whose title line says which assignment of
  the lecture it is (`# # DL541 · Assignment 7 — Transfer learning...`). That number orders the
  assignments; two sharing one, or one without, is an error.
This module is the only place that makes an assignment's paths from its name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import paths

#: The folders of the repository (or of any `root`) that hold the assignments' sources.
REFERENCE_DIR = "reference"
AUTOGRADER_DIR = "autograder"
ASSIGNMENTS_DIR = "assignments"
#: The module of test helpers that several question files of an assignment share
#: (`from helpers import _f`, resolved beside the question files).
HELPERS_MODULE = "helpers"

_TITLE = re.compile(r"^# # ")  # the notebook's first level-1 heading, in percent format
_NUMBER = re.compile(r"\bAssignment\s+(\d+)\b")


@dataclass(frozen=True)
class Assignment:
    """One assignment: its name, and the repository `root` whose folders hold its files."""

    name: str
    root: Path = paths.REPO

    # -- finding assignments ---------------------------------------------------------------------

    @classmethod
    def all(cls, root: Path = paths.REPO) -> list[Assignment]:
        """Every assignment under `root` that has its three sources, in lecture order.

        ValueError when an assignment's title gives no number, or two give the same one.
        """
        root = Path(root)
        folder = root / ASSIGNMENTS_DIR
        candidates = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
        found = {a: a.number for a in (cls(name, root) for name in candidates) if not a.missing_sources()}
        owners: dict[int, list[str]] = {}
        for assignment, number in found.items():
            owners.setdefault(number, []).append(assignment.name)
        clashes = [
            f"{' and '.join(names)} both say 'Assignment {n}'"
            for n, names in owners.items()
            if len(names) > 1
        ]
        if clashes:
            raise ValueError(
                f"{'; '.join(clashes)}: each assignment's title gives its own place in the lecture "
                f"(the first '# # ' line of {ASSIGNMENTS_DIR}/NAME/notebook.py)"
            )
        return sorted(found, key=found.__getitem__)

    @classmethod
    def named(cls, name: str, root: Path = paths.REPO) -> Assignment:
        """The assignment called `name`; ValueError naming the available ones when there is none."""
        return cls.resolve([name], root)[0]

    @classmethod
    def resolve(cls, names: list[str] | tuple[str, ...], root: Path = paths.REPO) -> list[Assignment]:
        """The named assignments, in the order given (all of them, in lecture order, when none is
        named); ValueError naming the unknown ones, what they lack, and the available ones."""
        available = cls.all(root)
        if not names:
            return available
        by_name = {a.name: a for a in available}
        unknown = [n for n in names if n not in by_name]
        if unknown:
            lacking = [
                f"{n} lacks {', '.join(missing)}"
                for n in unknown
                if (missing := cls(n, Path(root)).missing_sources()) and len(missing) < 3  # partly there
            ]
            raise ValueError(
                f"unknown assignment(s) {', '.join(unknown)}"
                + (f" ({'; '.join(lacking)})" if lacking else "")
                + f"; available: {', '.join(by_name) or 'none'}"
            )
        return [by_name[n] for n in names]

    def missing_sources(self) -> list[str]:
        """The sources this assignment lacks, relative to the root (empty when it is complete)."""
        missing = [self.shown(path) for path in (self.reference, self.notebook_source) if not path.is_file()]
        if not self.question_files:
            missing.insert(1, self.shown(self.autograder_dir / "qN.py"))
        return missing

    # -- its place in the lecture ----------------------------------------------------------------

    @property
    def title(self) -> str:
        """The notebook's title: its first level-1 heading (`# # ...`), without the `# # `."""
        for line in self.notebook_source.read_text().splitlines():
            if _TITLE.match(line):
                return line[len("# # ") :].strip()
        return ""

    @property
    def number(self) -> int:
        """Its place in the lecture: the N of 'Assignment N' in its title; ValueError when absent."""
        match = _NUMBER.search(self.title)
        if not match:
            raise ValueError(
                f"{self.shown(self.notebook_source)}: its title (the first '# # ' line) must say which "
                f"assignment of the lecture it is, as in '# # DL541 · Assignment 10 — Topic'; "
                f"found {self.title!r}"
            )
        return int(match.group(1))

    # -- its sources -----------------------------------------------------------------------------

    @property
    def notebook_source(self) -> Path:
        """The notebook's prose, demos and layout (percent format): assignments/NAME/notebook.py."""
        return self.root / ASSIGNMENTS_DIR / self.name / "notebook.py"

    @property
    def reference(self) -> Path:
        """The reference solution, solution regions marked: reference/NAME.py."""
        return self.root / REFERENCE_DIR / f"{self.name}.py"

    @property
    def autograder_dir(self) -> Path:
        """The folder of its test files and catalogues: autograder/NAME/."""
        return self.root / AUTOGRADER_DIR / self.name

    @property
    def question_files(self) -> list[Path]:
        """Its Otter test files autograder/NAME/qN.py, in question order (q2 before q10)."""
        found = self.autograder_dir.glob("q*.py") if self.autograder_dir.is_dir() else []
        return sorted(found, key=lambda p: paths.question_key(p.stem))

    @property
    def helpers(self) -> Path:
        """Test helpers that several question files share: autograder/NAME/helpers.py (may be absent)."""
        return self.autograder_dir / f"{HELPERS_MODULE}.py"

    @property
    def mistakes_catalogue(self) -> Path:
        """Its catalogue of realistic wrong solutions: autograder/NAME/mistakes.py."""
        return self.autograder_dir / "mistakes.py"

    @property
    def alternative(self) -> Path:
        """An independently written correct solution: autograder/NAME/alternative.py."""
        return self.autograder_dir / "alternative.py"

    @property
    def trivial_answers(self) -> Path:
        """A submission of trivial answers with the right shapes (zeros, constants, inputs echoed
        back) that passes validation: autograder/NAME/trivial.py; it must score at most 25%."""
        return self.autograder_dir / "trivial.py"

    @property
    def equivalent_mutants(self) -> Path:
        """The automatic mutants shown equivalent, with reasons: autograder/NAME/equivalent_mutants.py."""
        return self.autograder_dir / "equivalent_mutants.py"

    # -- what is built from them -----------------------------------------------------------------

    @property
    def notebook_name(self) -> str:
        """The file name of its notebooks (student, solution, inside an export zip): NAME.ipynb."""
        return f"{self.name}.ipynb"

    @property
    def committed_notebook(self) -> Path:
        """The generated student notebook, committed beside the source: assignments/NAME/NAME.ipynb."""
        return self.notebook_source.parent / self.notebook_name

    def folder_in(self, parent: Path) -> Path:
        """Its own folder under `parent` (a dist or demo folder): PARENT/NAME."""
        return Path(parent) / self.name

    def distribution(self, dist: Path = paths.DEFAULT_DIST) -> Distribution:
        """Where `dl541 build` puts its distributions under `dist`: DIST/NAME/..."""
        return Distribution(self, self.folder_in(dist))

    def shown(self, path: Path) -> str:
        """`path` as messages show it: relative to the root when it is under it."""
        try:
            return Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


@dataclass(frozen=True)
class Distribution:
    """The files `dl541 build` makes for `assignment` in `folder` (DIST/NAME)."""

    assignment: Assignment
    folder: Path

    @property
    def student_dir(self) -> Path:
        """What students get, unzipped: the notebook, tests/ (public tests), dl541_testing/."""
        return self.folder / "student"

    @property
    def student_notebook(self) -> Path:
        """The student notebook: DIST/NAME/student/NAME.ipynb."""
        return self.student_dir / self.assignment.notebook_name

    @property
    def student_tests_dir(self) -> Path:
        """The public test files students get: DIST/NAME/student/tests/."""
        return self.student_dir / "tests"

    @property
    def student_zip(self) -> Path:
        """The zip to hand out: DIST/NAME/NAME-student.zip."""
        return self.folder / f"{self.assignment.name}-student.zip"

    @property
    def solution_notebook(self) -> Path:
        """The solution notebook: DIST/NAME/solution/NAME.ipynb."""
        return self.folder / "solution" / self.assignment.notebook_name

    @property
    def autograder_zip(self) -> Path:
        """The Otter autograder zip (Gradescope, `dl541 grade`): DIST/NAME/autograder.zip."""
        return self.folder / "autograder.zip"
