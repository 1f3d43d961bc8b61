"""`dl541 bench`: time `dl541 grade` against a loop of `otter run`, and against the floor.

The floor is the same work (load each submission, run every test) done in one warm process
with no isolation: what grading cannot beat on one core.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import build, bundle, gradescope, paths, submission
from .assignment import Assignment
from .grader import grade_batch
from .samples import write_samples
from .sandbox import preload
from .settings import Options


@dataclass
class BenchResult:
    n: int
    jobs: int
    grade_s: float
    otter_s: float | None
    otter_timed: int
    floor_s: float

    def table(self) -> str:
        lines = [f"{self.n} submissions, dl541 grade --jobs {self.jobs}"]
        lines.append(
            f"  dl541 grade          {self.grade_s:8.1f} s   {self.grade_s / self.n:6.2f} s/submission"
        )
        if self.otter_s is not None:
            note = "" if self.otter_timed == self.n else f" (timed {self.otter_timed}, scaled to {self.n})"
            lines.append(
                f"  otter run loop       {self.otter_s:8.1f} s   "
                f"{self.otter_s / self.n:6.2f} s/submission{note}"
            )
            lines.append(f"  speed-up vs otter    {self.otter_s / self.grade_s:8.1f} x   (target >= 5)")
        lines.append(
            f"  floor, 1 process     {self.floor_s:8.1f} s   (same tests, one warm process, no isolation)"
        )
        lines.append(f"  grade / floor        {self.grade_s / self.floor_s:8.2f} x   (target <= 1.3)")
        ideal = self.floor_s / self.jobs
        lines.append(
            f"  floor / jobs         {ideal:8.1f} s   "
            f"(perfect parallelism; grade is {self.grade_s / ideal:.2f} x of it)"
        )
        return "\n".join(lines)


def make_mix(assignment: Assignment, n: int, out: Path) -> list[Path]:
    """`n` submissions cycling through the sample kinds (reference, skeleton and broken ones)."""
    built = build.build_assignment(assignment)
    samples = write_samples(assignment, built.solution_notebook, built.student_notebook, out / "kinds")
    files = []
    for i in range(n):
        sample = samples[i % len(samples)]
        target = out / "subs" / f"s{i:03d}-{sample.path.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(sample.path, target)
        files.append(target)
    return files


def time_grade(ag, files: list[Path], jobs: int, out: Path) -> float:
    start = time.perf_counter()
    grade_batch(ag, files, out, Options(jobs=jobs, regrade=True))
    return time.perf_counter() - start


def time_otter(zip_path: Path, files: list[Path], limit: int | None) -> tuple[float, int]:
    """Seconds for `otter run` over the files, one after another (scaled up if `limit` < n)."""
    chosen = files[: limit or len(files)]
    start = time.perf_counter()
    for path in chosen:
        gradescope.otter_run(zip_path, path)
    elapsed = time.perf_counter() - start
    return elapsed * len(files) / len(chosen), len(chosen)


def time_floor(ag, files: list[Path]) -> float:
    """One warm process, no isolation: exec each submission, run every test case."""
    import torch

    torch.set_num_threads(1)
    start = time.perf_counter()
    for path in files:
        try:
            chunks = submission.read_chunks(path)
        except submission.InvalidSubmission:
            continue
        env: dict = {"__name__": "__main__"}
        for chunk in chunks:
            try:
                exec(compile(chunk.source, f"<{chunk.label}>", "exec"), env)
            except BaseException:  # noqa: BLE001 - broken samples raise on purpose
                pass
        for tf in ag.test_files:
            for tc in tf.test_cases:
                try:
                    tc.body.call_func(env)
                except BaseException:  # noqa: BLE001
                    pass
    return time.perf_counter() - start


def bench_grading(
    assignment: Assignment, n: int, jobs: int, otter_limit: int | None, skip_otter: bool
) -> BenchResult:
    """Run the benchmark on `assignment` and return its figures."""
    sys.path.insert(0, str(paths.TESTING_MODULE.parent))
    with tempfile.TemporaryDirectory(prefix="dl541-bench-") as tmp:
        tmp_path = Path(tmp)
        files = make_mix(assignment, n, tmp_path)
        ag = bundle.open_zip(assignment.distribution(paths.DEFAULT_DIST).autograder_zip)
        preload()  # both contestants start from a warm process (torch, hypothesis imported)
        grade_s = time_grade(ag, files, jobs, tmp_path / "out")
        otter_s, timed = (None, 0) if skip_otter else time_otter(ag.zip_path, files, otter_limit)
        floor_s = time_floor(ag, files)
    return BenchResult(n, jobs, grade_s, otter_s, timed, floor_s)


#: The Gradescope path's target: a reference notebook graded in at most this many seconds.
GRADESCOPE_TARGET_S = 5.0


def time_gradescope(assignments: list[Assignment], repeat: int = 3) -> str:
    """A table of the wall seconds (best of `repeat`) of a fresh `dl541 run-autograder` process on
    each assignment's solution notebook: everything Gradescope's run_autograder does after setup."""
    lines = [f"dl541 run-autograder on each reference notebook (fresh process, best of {repeat})"]
    with tempfile.TemporaryDirectory(prefix="dl541-bench-gs-") as tmp:
        for assignment in assignments:
            built = build.build_assignment(assignment)
            times, record = [], None
            for _ in range(repeat):
                root = gradescope.layout(
                    assignment.folder_in(Path(tmp)), built.autograder_zip, built.solution_notebook
                )
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "dl541", "run-autograder", "--root", str(root)],
                    cwd=tmp,
                    stdout=subprocess.DEVNULL,
                    check=True,
                )
                times.append(time.perf_counter() - start)
                record = gradescope.graded_record(root)
            best = min(times)
            mark = "met" if best <= GRADESCOPE_TARGET_S else "SLOW"
            name = assignment.name
            lines.append(
                f"  {name:<16} {best:5.1f} s  {mark:<4}  {record.score:g}/{record.max_score:g} "
                f"{record.status}   (runs: {', '.join(f'{t:.1f}' for t in times)})"
            )
    lines.append(f"  target: <= {GRADESCOPE_TARGET_S:g} s per reference notebook")
    return "\n".join(lines)
