"""Grade many submissions against one autograder zip: forked, confined children per submission.

The parent has imported torch and parsed the tests once; each child is a fork of it, so a
submission starts in milliseconds. The parent alone keeps time and writes results: a child
that runs a cell or test past `--test-timeout`, or dies inside one, is killed and replaced by
a new child that resumes after that item, until the submission's `--timeout` is spent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import multiprocessing
import os
import secrets
import shutil
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from . import report, submission
from .autograder import Autograder
from .guard import Guard, referenced_names
from .sandbox import MAX_MESSAGE, Limits, Plan, child_main, preload, sign

#: When several things went wrong, the status names the most serious.
_PRECEDENCE = ("tampered", "timeout", "memory", "crashed", "exited", "error")
MAX_ATTEMPTS = 8


@dataclass
class Options:
    """How to grade: parallel children, device, limits, and whether to redo finished work."""

    jobs: int = 1
    device: str = "cpu"
    timeout: float = 600.0
    limits: Limits = field(default_factory=Limits)
    regrade: bool = False


@dataclass
class Job:
    """One submission being graded, across however many child attempts it takes."""

    sid: str
    path: Path
    sha256: str
    chunks: list
    scratch: str
    started: float
    deadline: float
    plan: Plan = field(default_factory=Plan)
    cells: dict[int, dict | None] = field(default_factory=dict)
    cases: dict[tuple[str, str], dict] = field(default_factory=dict)
    events: list[tuple[str, str]] = field(default_factory=list)
    confinement: dict = field(default_factory=dict)
    attempts: int = 0
    finished: bool = False
    # the attempt in flight
    process: multiprocessing.process.BaseProcess | None = None
    conn: multiprocessing.connection.Connection | None = None
    key: bytes = b""
    seq: int = 0
    current: tuple | None = None
    current_since: float = 0.0
    attempt_done: bool = False


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


def plan_batch(
    ag: Autograder,
    paths: Iterable[Path],
    out_dir: Path,
    options: Options,
    finish: Callable[[dict], None],
) -> list[Pending]:
    """Settle what needs no grading (duplicates, results already in `out_dir`); return the rest."""
    pending: list[Pending] = []
    seen: dict[str, Path] = {}
    duplicates: dict[str, int] = {}
    for path in map(Path, paths):
        sid, digest = submission_id(path), sha256_of(path)
        if sid in seen:
            duplicates[sid] = duplicates.get(sid, 1) + 1
            dup_id = f"{sid}#{duplicates[sid]}"
            detail = f"another submission is already named {sid} ({seen[sid]}); rename one and grade again"
            finish(record_without_run(ag, dup_id, path, digest, options, "duplicate", detail, out_dir))
            continue
        seen[sid] = path
        previous = None if options.regrade else report.read_record(out_dir, sid)
        if (
            previous
            and previous.get("sha256") == digest
            and previous.get("autograder") == ag.fingerprint
            and previous.get("device") == options.device
        ):
            finish(dict(previous, resumed=True))
            continue
        pending.append(Pending(sid, path, digest))
    return pending


def grade_batch(
    ag: Autograder,
    paths: Iterable[Path],
    out_dir: Path,
    options: Options,
    on_result: Callable[[dict], None] | None = None,
    assignment: str | None = None,
    scheduler: str | None = None,
) -> list[dict]:
    """Grade every path into `out_dir` (skipping ones already graded unless regrade); return records.

    With `scheduler` (a Dask scheduler address, or "local"), each submission is one Dask task.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    records: dict[str, dict] = {}

    def finish(record: dict) -> None:
        records[record["submission"]] = record
        if on_result is not None:
            on_result(record)

    pending = plan_batch(ag, paths, out_dir, options, finish)
    if scheduler:
        from .dask_backend import grade_on_dask  # Dask only on this path

        grade_on_dask(ag, pending, out_dir, options, scheduler, finish, assignment)
    else:
        grade_locally(ag, pending, out_dir, options, finish, assignment)
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


def grade_locally(
    ag: Autograder,
    pending: list[Pending],
    out_dir: Path,
    options: Options,
    finish: Callable[[dict], None],
    assignment: str | None,
    guard: Guard | None = None,
) -> None:
    """Grade `pending` on this machine, `options.jobs` children at a time."""
    queue = deque(pending)
    ctx = multiprocessing.get_context("fork")
    if guard is None:
        guard = warm_guard(ag)
    running: list[Job] = []
    dying: list = []  # children killed once done, reaped without waiting for their exit

    def fill() -> None:
        while queue and len(running) < max(1, options.jobs):
            item = queue.popleft()
            try:
                chunks = submission.load(item.path, assignment)
            except (submission.InvalidSubmission, OSError) as exc:
                finish(
                    record_without_run(
                        ag, item.sid, item.path, item.sha256, options, "invalid", str(exc), out_dir
                    )
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
            fill()
            if not running:
                continue
            wake = min(_next_deadline(job, options) for job in running)
            # Not the process sentinels: a child closes every inherited descriptor, its end of the
            # sentinel included, so those read as "ended" at once. Its channel ends when it dies.
            ready = wait([job.conn for job in running], max(0.0, wake - time.monotonic()))
            done = []
            for job in list(running):
                if job.conn in ready:
                    _drain(job)
                _advance(ctx, ag, job, options, guard)
                if job.finished:
                    running.remove(job)
                    done.append(job)
            fill()  # the next children start before this round's results are written
            for job in done:
                dying.append(_release(job))
                finish(_finish(ag, job, options, out_dir))
            dying = [p for p in dying if p.exitcode is None]  # reaps the exited
    finally:
        for process in dying:
            process.join()


def _next_deadline(job: Job, options: Options) -> float:
    if job.current is not None:
        return min(job.deadline, job.current_since + options.limits.test_timeout)
    return job.deadline


def _start_attempt(ctx, ag: Autograder, job: Job, options: Options, guard: Guard) -> None:
    job.attempts += 1
    job.key, job.seq, job.current, job.attempt_done = secrets.token_bytes(32), 0, None, False
    receiver, sender = ctx.Pipe(duplex=False)
    job.process = ctx.Process(
        target=child_main,
        args=(
            sender,
            job.key,
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
    job.process.start()
    sender.close()
    job.conn = receiver
    job.current_since = time.monotonic()


def _drain(job: Job) -> None:
    try:
        while job.conn.poll():
            frame = job.conn.recv_bytes(MAX_MESSAGE)
            _accept(job, frame)
    except EOFError:
        job.attempt_done = True
    except OSError:  # a frame of impossible length: something other than the grader wrote it
        job.events.append(("tampered", "the grading channel received bytes the grader did not send"))
        job.attempt_done = job.finished = True


def _accept(job: Job, frame: bytes) -> None:
    try:
        outer = json.loads(frame)
        payload = outer["body"].encode()
        genuine = outer["seq"] == job.seq and hmac.compare_digest(
            outer["mac"], sign(job.key, job.seq, payload)
        )
        message = json.loads(payload) if genuine else None
    except (ValueError, KeyError, TypeError, AttributeError):
        genuine, message = False, None
    if not genuine or not isinstance(message, dict):
        job.events.append(("tampered", "a message on the grading channel was forged"))
        job.attempt_done = job.finished = True
        return
    job.seq += 1
    kind = message.get("kind")
    now = time.monotonic()
    if kind == "ready":
        job.confinement = {"seccomp": bool(message.get("seccomp")), "landlock": bool(message.get("landlock"))}
    elif kind == "begin":
        job.current = (
            ("cell", message["cell"])
            if "cell" in message
            else ("case", (message["question"], message["case"]))
        )
        job.current_since = now
    elif kind == "cell":
        job.cells[int(message["cell"])] = message.get("error")
        job.current = None
    elif kind == "case":
        key = (str(message["question"]), str(message["case"]))
        job.cases[key] = {"passed": message.get("passed") is True, "message": str(message.get("message", ""))}
        job.current = None
    elif kind == "done":
        job.attempt_done = job.finished = True
    elif kind == "tampered":
        job.events.append(("tampered", str(message.get("what", ""))))
        job.attempt_done = job.finished = True
    elif kind == "fatal":
        job.events.append(("crashed", "the grading process failed: " + str(message.get("what", ""))[-500:]))
        job.attempt_done = job.finished = True


def _advance(ctx, ag: Autograder, job: Job, options: Options, guard: Guard) -> None:
    """Decide what happens to a job after its messages were read: wait, restart, or finish."""
    now = time.monotonic()
    if job.finished:
        return  # the caller releases its child
    if now >= job.deadline:
        _stop(job)
        job.events.append(
            ("timeout", f"stopped after {options.timeout:g} s (--timeout); finished tests keep their marks")
        )
        _fail_current(job, "Timeout: the submission's time limit (--timeout) was reached")
        job.finished = True
        return
    item_overdue = job.current is not None and now >= job.current_since + options.limits.test_timeout
    if item_overdue:
        _stop(job)
        what = "cell" if job.current[0] == "cell" else "test"
        job.events.append(
            ("timeout", f"a {what} ran past {options.limits.test_timeout:g} s (--test-timeout)")
        )
        _fail_current(job, f"Timeout: the {what} ran past {options.limits.test_timeout:g} s")
    elif job.attempt_done or not job.process.is_alive():
        _drain(job)
        if job.finished:
            return
        exitcode = _stop(job)
        if exitcode is not None and exitcode < 0:
            name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else str(-exitcode)
            job.events.append(("crashed", f"the interpreter was killed by {name}"))
            _fail_current(job, f"the interpreter was killed by {name} during this item")
        else:
            job.events.append(("exited", f"the submission ended the interpreter (exit code {exitcode})"))
            _fail_current(job, f"the submission ended the interpreter (exit code {exitcode}) here")
        if job.current is None:
            job.finished = True  # it died outside any cell or test: nothing to skip, do not loop
            return
    else:
        return
    if job.attempts >= MAX_ATTEMPTS:
        job.events.append(
            ("timeout" if item_overdue else "crashed", f"gave up after {job.attempts} attempts")
        )
        job.finished = True
        return
    _start_attempt(ctx, ag, job, options, guard)


def _fail_current(job: Job, why: str) -> None:
    if job.current is None:
        return
    kind, item = job.current
    if kind == "cell":
        job.cells[item] = {"kind": "Timeout" if why.startswith("Timeout") else "Died", "message": why}
        job.plan.skip_cells.add(item)
    else:
        job.cases[item] = {"passed": False, "message": f"❌ Test case failed\n{why}"}
        job.plan.skip_cases.add(item)
    job.plan.skip_cases.update(job.cases)


def _release(job: Job):
    """Kill a finished job's child and its group now; return the process, to be reaped later."""
    process, job.process = job.process, None
    try:
        os.killpg(process.pid, signal.SIGKILL)  # not yet reaped, so the group cannot be another's
    except (ProcessLookupError, PermissionError):
        pass
    _close_channel(job)
    return process


def _close_channel(job: Job) -> None:
    if job.conn is not None:
        job.conn.close()
        job.conn = None


def _stop(job: Job) -> int | None:
    process = job.process
    if process is None:
        return None
    if process.is_alive():
        for kill in (lambda: os.killpg(process.pid, signal.SIGKILL), process.kill):
            try:
                kill()
                break
            except (ProcessLookupError, PermissionError):
                continue
    process.join(5)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # anything it left behind in its group
    except (ProcessLookupError, PermissionError):
        pass
    _close_channel(job)
    job.current_since = time.monotonic()
    return process.exitcode


def _finish(ag: Autograder, job: Job, options: Options, out_dir: Path) -> dict:
    """Write the record of a finished job (its child already released) and return it."""
    output = _read_output(job.scratch, options.limits.output_bytes)
    shutil.rmtree(job.scratch, ignore_errors=True)
    load_errors = [dict(error, where=job.chunks[i].label) for i, error in sorted(job.cells.items()) if error]
    status, detail = _status(job, load_errors, options)
    results = {} if status == "tampered" else job.cases
    record = report.make_record(
        ag,
        job.sid,
        job.path,
        job.sha256,
        options.device,
        status,
        detail,
        results,
        load_errors,
        seconds=time.monotonic() - job.started,
    )
    record["attempts"] = job.attempts
    record["confinement"] = job.confinement
    report.write_submission(out_dir, ag, record, output)
    return record


def _status(job: Job, load_errors: list[dict], options: Options) -> tuple[str, str]:
    events = list(job.events)
    for error in load_errors:
        kind = error.get("kind")
        text = f"{error['where']}: {kind}: {error.get('message')}"[:500]
        mapped = {"SystemExit": "exited", "MemoryError": "memory", "Timeout": "timeout"}.get(kind, "error")
        events.append((mapped, text))
    if any("MemoryError" in c["message"] for c in job.cases.values()):
        events.append(("memory", f"the submission ran out of memory (limit {options.limits.memory_mb} MiB)"))
    for status in _PRECEDENCE:
        details = [d for s, d in events if s == status]
        if details:
            others = [d for s, d in events if s != status]
            return status, "; ".join(dict.fromkeys(details + others))[:1500]
    return "ok", ""


def _read_output(scratch: str, cap: int) -> str:
    try:
        with open(os.path.join(scratch, "output.txt"), "rb") as f:
            return f.read(cap).decode("utf-8", "replace")
    except OSError:
        return ""


def record_without_run(ag, sid, path, digest, options, status, detail, out_dir) -> dict:
    """Write (and return) the record of a submission that gets `status` without being run."""
    record = report.make_record(ag, sid, path, digest, options.device, status, detail, {}, [], seconds=0.0)
    report.write_submission(out_dir, ag, record, "")
    return record
