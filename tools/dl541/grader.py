"""Grade many submissions against one autograder zip: forked, confined children per submission.

The parent has imported torch and parsed the tests once; each child is a fork of it, so a
submission starts in milliseconds. The parent alone keeps time and writes results: a child
that runs a cell or test past `--test-timeout`, or dies inside one, is killed and replaced by
a new child that resumes after that item, until the submission's `--timeout` is spent.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import secrets
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Protocol

from . import report, submission
from .bundle import Autograder
from .guard import Guard, referenced_names
from .jobs import Attempt, Job, Next
from .protocol import Receiver
from .sandbox import child_main, preload
from .settings import Options
from .status import Status


def submission_id(path: Path) -> str:
    """The name a submission is known by in the gradebook: its file name."""
    return path.name


def sha256_of(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def resolve_device(device: str) -> str:
    """'auto' becomes 'cuda' when CUDA is usable, else 'cpu'; ValueError for an unusable choice."""
    import torch

    if device not in ("auto", "cpu", "cuda"):
        raise ValueError(f"--device must be auto, cpu or cuda, got {device!r}")
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("--device cuda: CUDA is not available on this machine; use --device cpu")
    return device


@dataclass
class Pending:
    """A submission that still needs grading."""

    sid: str
    path: Path
    sha256: str


#: A graded submission as an executor hands it back: its record and what it printed.
Graded = tuple[dict, str]


class Executor(Protocol):
    """Runs pending submissions and yields each one's record and output as it finishes; writes nothing."""

    def run(
        self, ag: Autograder, pending: list[Pending], options: Options, assignment: str | None
    ) -> Iterator[Graded]: ...


def plan_batch(
    ag: Autograder, paths: Iterable[Path], out_dir: Path, options: Options
) -> tuple[list[Graded], list[Pending]]:
    """Settle what needs no grading (duplicates; results already in `out_dir`, marked resumed);
    return those records and the submissions still to grade."""
    settled: list[Graded] = []
    pending: list[Pending] = []
    seen: dict[str, Path] = {}
    duplicates: dict[str, int] = {}
    for path in map(Path, paths):
        sid, digest = submission_id(path), sha256_of(path)
        if sid in seen:
            duplicates[sid] = duplicates.get(sid, 1) + 1
            dup_id = f"{sid}#{duplicates[sid]}"
            detail = f"another submission is already named {sid} ({seen[sid]}); rename one and grade again"
            settled.append(
                (record_without_run(ag, dup_id, path, digest, options, Status.DUPLICATE, detail), "")
            )
            continue
        seen[sid] = path
        previous = None if options.regrade else report.read_record(out_dir, sid)
        if (
            previous
            and previous.get("sha256") == digest
            and previous.get("autograder") == ag.fingerprint
            and previous.get("device") == options.device
        ):
            settled.append((dict(previous, resumed=True), ""))
            continue
        pending.append(Pending(sid, path, digest))
    return settled, pending


def grade_batch(
    ag: Autograder,
    paths: Iterable[Path],
    out_dir: Path,
    options: Options,
    on_result: Callable[[dict], None] | None = None,
    assignment: str | None = None,
    executor: Executor | None = None,
) -> list[dict]:
    """Grade every path into `out_dir` (skipping ones already graded unless regrade); return records.

    The one writer: each result is written atomically as it arrives, whichever executor (this
    machine's children by default, or Dask's workers) graded it.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    records: dict[str, dict] = {}
    settled, pending = plan_batch(ag, paths, out_dir, options)
    graded = (executor or LocalExecutor()).run(ag, pending, options, assignment)
    for record, output in _chain(settled, graded):
        if not record.get("resumed"):
            report.write_submission(out_dir, ag, record, output)
        records[record["submission"]] = record
        if on_result is not None:
            on_result(record)
    return list(records.values())


def _chain(first: list[Graded], then: Iterator[Graded]) -> Iterator[Graded]:
    yield from first
    yield from then


def warm_guard(ag: Autograder) -> Guard:
    """Import and warm what `ag`'s tests use, then record the integrity snapshot (once per process)."""
    import dl541_testing

    sources = [tf.source for tf in ag.test_files]
    preload(sources)
    guard = Guard()
    support = Path(dl541_testing.__file__).read_text()
    guard.snapshot(referenced_names([*sources, support]))  # every forked child checks its copy against it
    return guard


class LocalExecutor:
    """Grades on this machine: one forked, confined child per submission, `options.jobs` at a time."""

    def __init__(self, guard: Guard | None = None) -> None:
        self.guard = guard

    def run(
        self, ag: Autograder, pending: list[Pending], options: Options, assignment: str | None
    ) -> Iterator[Graded]:
        if not pending:
            return
        if self.guard is None:
            self.guard = warm_guard(ag)
        yield from grade_locally(ag, pending, options, assignment, self.guard)


def grade_locally(
    ag: Autograder, pending: list[Pending], options: Options, assignment: str | None, guard: Guard
) -> Iterator[Graded]:
    """Grade `pending` on this machine, `options.jobs` children at a time; yield each as it finishes."""
    queue = deque(pending)
    ctx = multiprocessing.get_context("fork")
    running: list[Job] = []
    dying: list = []  # children killed once done, reaped without waiting for their exit

    def fill() -> Iterator[Graded]:
        while queue and len(running) < max(1, options.jobs):
            item = queue.popleft()
            try:
                chunks = submission.read_chunks(item.path, assignment)
            except (submission.InvalidSubmission, OSError) as exc:
                yield (
                    record_without_run(
                        ag, item.sid, item.path, item.sha256, options, Status.INVALID, str(exc)
                    ),
                    "",
                )
                continue
            now = time.monotonic()
            job = Job(
                item.sid,
                item.path,
                item.sha256,
                chunks,
                tempfile.mkdtemp(prefix="dl541-sub-"),
                now,
                now + options.timeout,
            )
            _start_attempt(ctx, ag, job, options, guard)
            running.append(job)

    try:
        while queue or running:
            yield from fill()
            if not running:
                continue
            wake = min(job.due(options.limits) for job in running)
            # Not the process sentinels: a child closes every inherited descriptor, its end of the
            # sentinel included, so those read as "ended" at once. Its channel ends when it dies.
            ready = wait([job.attempt.conn for job in running], max(0.0, wake - time.monotonic()))
            done = []
            for job in list(running):
                if job.attempt.conn in ready:
                    job.read()
                step = job.step(time.monotonic(), options.timeout, options.limits)
                if step is Next.RESTART:
                    _start_attempt(ctx, ag, job, options, guard)
                elif step is Next.FINISH:
                    running.remove(job)
                    done.append(job)
            yield from fill()  # the next children start before this round's results are handed on
            for job in done:
                dying.append(job.release())
                yield _record(ag, job, options)
            dying = [p for p in dying if p is not None and p.exitcode is None]  # reaps the exited
    finally:
        for process in dying:
            if process is not None:
                process.join()


def _start_attempt(ctx, ag: Autograder, job: Job, options: Options, guard: Guard) -> None:
    key = secrets.token_bytes(32)
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=child_main,
        args=(
            sender,
            key,
            job.chunks,
            ag.test_files,
            job.plan,
            guard,
            job.scratch,
            str(ag.root),
            options.device,
            options.limits,
        ),
        daemon=True,
    )
    process.start()
    sender.close()
    job.begin(Attempt(process, receiver, Receiver(key), since=time.monotonic()))


def _record(ag: Autograder, job: Job, options: Options) -> Graded:
    """The record of a finished job (its child already released), and what it printed."""
    output = _read_output(job.scratch, options.limits.output_bytes)
    shutil.rmtree(job.scratch, ignore_errors=True)
    status, detail = job.outcome(options.limits.memory_mb)
    results = {} if status is Status.TAMPERED else job.cases
    record = report.make_record(
        ag,
        job.sid,
        job.path,
        job.sha256,
        options.device,
        status,
        detail,
        results,
        job.load_errors(),
        seconds=time.monotonic() - job.started,
    )
    record["attempts"] = job.attempts
    record["confinement"] = job.confinement
    return record, output


def _read_output(scratch: str, cap: int) -> str:
    try:
        with open(os.path.join(scratch, "output.txt"), "rb") as f:
            return f.read(cap).decode("utf-8", "replace")
    except OSError:
        return ""


def record_without_run(ag, sid, path, digest, options, status: Status, detail: str) -> dict:
    """The record of a submission that gets `status` without being run."""
    return report.make_record(ag, sid, path, digest, options.device, status, detail, {}, [], seconds=0.0)
