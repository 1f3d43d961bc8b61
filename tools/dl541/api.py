"""dl541 as a library: grade a class, or check one submission, with one call each.

The `dl541` command is a thin layer over these functions; a script, a notebook or a course's own
tooling can call them the same way:

    from dl541 import api
    from dl541.assignment import Assignment

    book = api.grade(Assignment.named("depth"), [Path("submissions/")], Path("graded/"))
    print(book.summary["mean_score"], book.grades_csv)
    for record in book.records:  # dl541.records.Record: typed, one CaseResult per test case
        print(record.who, record.status, record.score, [c.test for c in record.failed_cases()])
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import bundle, feedback, intake, paths, report
from .assignment import Assignment
from .grader import LocalExecutor, Watch, grade_batch, resolve_device
from .records import Record
from .settings import Limits, Options


@dataclass
class Gradebook:
    """What grading a class produced: every record, the summary, and where the files are."""

    out_dir: Path
    records: list[Record]
    summary: dict

    @property
    def grades_csv(self) -> Path:
        return self.out_dir / "grades.csv"

    @property
    def resumed(self) -> int:
        """How many results were kept from an earlier run instead of graded again."""
        return sum(1 for r in self.records if r.resumed)


def options(
    jobs: int | None = None,
    device: str = "auto",
    timeout: float = Options.timeout,
    test_timeout: float = Limits.test_timeout,
    memory_mb: int = Limits.memory_mb,
    regrade: bool = False,
) -> Options:
    """Grading options from the settings a person gives; ValueError for a device that is not there.

    A test or cell can never have longer than the whole submission: its limit is capped at `timeout`.
    """
    limits = Limits(test_timeout=min(test_timeout, timeout), memory_mb=memory_mb)
    chosen = Options(device=resolve_device(device), timeout=timeout, limits=limits, regrade=regrade)
    if jobs is not None:
        chosen.jobs = jobs
    return chosen


def collect_class(
    assignment: Assignment, submissions: Iterable[Path], roster: Path | None = None
) -> intake.Intake:
    """One entry per student of `submissions` (see `intake.collect`); ValueError names a path that
    does not exist, or says that no file was found at all."""
    found = intake.collect(list(map(Path, submissions)), roster=roster, assignment=assignment.name)
    if not found.ignored and not any(entry.path for entry in found.entries):
        raise ValueError("no submission files found")
    return found


def load_autograder(
    assignment: Assignment, dist: Path = paths.DEFAULT_DIST, zip_path: Path | None = None
) -> bundle.Autograder:
    """The assignment's autograder: `zip_path`, or the built one in `dist` (built first if missing)."""
    if zip_path is None:
        zip_path = assignment.distribution(dist).autograder_zip
        if not zip_path.is_file():
            from .build import build_assignment

            build_assignment(assignment, dist)
    return bundle.open_zip(zip_path)


def grade(
    assignment: Assignment,
    submissions: Iterable[Path],
    out_dir: Path,
    options: Options | None = None,
    *,
    ag: bundle.Autograder | None = None,
    roster: Path | None = None,
    scheduler: str | None = None,
    on_result: Callable[[dict], None] | None = None,
    watch: Watch | None = None,
    reveal: bool = False,
    found: intake.Intake | None = None,
) -> Gradebook:
    """Grade a class: `submissions` (files, folders, an LMS download) into `out_dir`, one folder per
    student with its record, results.json and feedback; then the gradebook.

    Students are found by `intake.collect` (folder per student, Canvas and Gradescope naming,
    `roster` for names and missing students). Results already in `out_dir` for the same file,
    autograder and device are kept unless `options.regrade`. `scheduler` (a Dask address, or
    "local") grades on Dask instead of here. `reveal` shows hidden tests' details in the feedback.
    `found`: the class as `collect_class` already found it (else it is found here).
    """
    found = found or collect_class(assignment, submissions, roster)
    ag = ag or load_autograder(assignment)
    if scheduler:
        from .dask_backend import DaskExecutor  # Dask only on this path

        executor = DaskExecutor(scheduler)
    else:
        executor = LocalExecutor(watch=watch)
    out_dir = Path(out_dir)
    options = options or Options()
    records = grade_batch(ag, found.entries, out_dir, options, on_result, assignment.name, executor)
    points = ag.question_points
    for record in records:
        folder = out_dir / record.submission
        output = folder / report.OUTPUT
        feedback.write_feedback(
            folder,
            record,
            output.read_text(errors="replace") if output.is_file() else "",
            points,
            ag.hidden_visibility,
            reveal=reveal,
            assignment_title=assignment.title,
        )
    report.write_ignored(out_dir, found.ignored)
    return Gradebook(out_dir, records, report.write_gradebook(out_dir, records, ag))


def check(
    assignment: Assignment,
    submission: Path,
    options: Options | None = None,
    ag: bundle.Autograder | None = None,
) -> Record:
    """Grade one submission in a scratch folder and return its record (nothing is kept)."""
    ag = ag or load_autograder(assignment)
    chosen = options or Options()
    chosen = Options(device=chosen.device, timeout=chosen.timeout, limits=chosen.limits, regrade=True, jobs=1)
    with tempfile.TemporaryDirectory(prefix="dl541-check-") as tmp:
        (record,) = grade_batch(ag, [submission], Path(tmp), chosen, assignment=assignment.name)
    return record
