"""Grade many submissions against one autograder zip: forked, confined children per submission.

The parent has imported torch and parsed the tests once; each child is a fork of it, so a
submission starts in milliseconds. The parent alone keeps time and writes results: a child
that runs a cell or test past `--test-timeout`, or dies inside one, is killed and replaced by
a new child that resumes after that item, until the submission's `--timeout` is spent.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
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
from .records import Record
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
Graded = tuple[Record, str]


class Executor(Protocol):
    """Runs pending submissions and yields each one's record and output as it finishes; writes nothing."""

    def run(
        self, ag: Autograder, pending: list[Pending], options: Options, assignment: str | None
    ) -> Iterator[Graded]: ...


class Who(Protocol):
    """A submission with its student (what `intake.collect` yields): the id also names its folder."""

    student: str
    name: str
    path: Path | None
    note: str


def _identify(item: Path | Who) -> tuple[str, Path | None, dict]:
    """The submission id, the file, and the record's identity fields of a path or an intake entry."""
    if isinstance(item, (str, Path)):
        path = Path(item)
        return submission_id(path), path, {"student": path.stem, "name": "", "note": ""}
    return item.student, item.path, {"student": item.student, "name": item.name, "note": item.note}


def plan_batch(
    ag: Autograder, items: Iterable[Path | Who], out_dir: Path, options: Options
) -> tuple[list[Graded], list[Pending], dict[str, dict]]:
    """Settle what needs no grading (missing work, duplicates, results already in `out_dir`, marked
    resumed); return those records, the submissions still to grade, and who each submission is."""
    settled: list[Graded] = []
    pending: list[Pending] = []
    who: dict[str, dict] = {}
    seen: dict[str, Path | None] = {}
    duplicates: dict[str, int] = {}
    for item in items:
        sid, path, identity = _identify(item)
        if path is None:
            who[sid] = identity
            detail = "no submission was received"
            settled.append((record_without_run(ag, sid, Path(""), "", options, Status.MISSING, detail), ""))
            continue
        digest = sha256_of(path)
        if sid in seen:
            duplicates[sid] = duplicates.get(sid, 1) + 1
            dup_id = f"{sid}#{duplicates[sid]}"
            who[dup_id] = identity
            detail = f"another submission is already named {sid} ({seen[sid]}); rename one and grade again"
            settled.append(
                (record_without_run(ag, dup_id, path, digest, options, Status.DUPLICATE, detail), "")
            )
            continue
        seen[sid] = path
        who[sid] = identity
        previous = None if options.regrade else report.read_record(out_dir, sid)
        if (
            previous
            and previous.sha256 == digest
            and previous.autograder == ag.fingerprint
            and previous.device == options.device
        ):
            settled.append((dataclasses.replace(previous, resumed=True), ""))
            continue
        pending.append(Pending(sid, path, digest))
    return settled, pending, who


def grade_batch(
    ag: Autograder,
    items: Iterable[Path | Who],
    out_dir: Path,
    options: Options,
    on_result: Callable[[Record], None] | None = None,
    assignment: str | None = None,
    executor: Executor | None = None,
) -> list[Record]:
    """Grade every item (a file, or an intake entry naming its student) into `out_dir`, skipping ones
    already graded unless regrade; return the records.

    The one writer: each result is written atomically as it arrives, whichever executor (this
    machine's children by default, or Dask's workers) graded it.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    records: dict[str, Record] = {}
    settled, pending, who = plan_batch(ag, items, out_dir, options)
    graded = (executor or LocalExecutor()).run(ag, pending, options, assignment)
    for record, output in itertools.chain(settled, graded):
        if not record.resumed:
            record = dataclasses.replace(record, **who.get(record.submission, {}))
            report.write_submission(out_dir, ag, record, output)
        records[record.submission] = record
        if on_result is not None:
            on_result(record)
    return list(records.values())


def warm_guard(ag: Autograder) -> Guard:
    """Import and warm what `ag`'s tests use, then record the integrity snapshot (once per process)."""
    import dl541_testing

    sources = [tf.source for tf in ag.test_files]
    preload(sources)
    guard = Guard()
    support = Path(dl541_testing.__file__).read_text()
    guard.snapshot(referenced_names([*sources, support]))  # every forked child checks its copy against it
    return guard


#: Called about once a second while grading with the running submissions and their seconds so far.
Watch = Callable[[list[tuple[str, float]]], None]


class LocalExecutor:
    """Grades on this machine: one forked, confined child per submission, `options.jobs` at a time."""

    def __init__(self, guard: Guard | None = None, watch: Watch | None = None) -> None:
        self.guard, self.watch = guard, watch

    def run(
        self, ag: Autograder, pending: list[Pending], options: Options, assignment: str | None
    ) -> Iterator[Graded]:
        if not pending:
            return
        if self.guard is None:
            self.guard = warm_guard(ag)
        yield from grade_locally(ag, pending, options, assignment, self.guard, self.watch)


def grade_locally(
    ag: Autograder,
    pending: list[Pending],
    options: Options,
    assignment: str | None,
    guard: Guard,
    watch: Watch | None = None,
) -> Iterator[Graded]:
    """Grade `pending` on this machine, `options.jobs` children at a time; yield each as it finishes."""
    queue = deque(pending)
    ctx = multiprocessing.get_context("fork")
    running: list[Job] = []
    dying: list = []  # children killed once done, reaped without waiting for their exit
    prepared: list = []

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
            if not prepared:
                prepared.append(report.prepare_to_write())  # while the first child grades

    try:
        while queue or running:
            yield from fill()
            if not running:
                continue
            wake = min(job.due(options.limits) for job in running)
            if watch is not None:
                now = time.monotonic()
                watch([(job.sid, now - job.started) for job in running])
                wake = min(wake, now + 1.0)
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
    record.attempts = job.attempts
    record.confinement = job.confinement
    return record, output


def _read_output(scratch: str, cap: int) -> str:
    try:
        with open(os.path.join(scratch, "output.txt"), "rb") as f:
            return f.read(cap).decode("utf-8", "replace")
    except OSError:
        return ""


def record_without_run(ag, sid, path, digest, options, status: Status, detail: str) -> Record:
    """The record of a submission that gets `status` without being run."""
    return report.make_record(ag, sid, path, digest, options.device, status, detail, {}, [], seconds=0.0)
