"""Grade many submissions against one autograder zip: one forked, limited child per submission.

The parent has imported torch and parsed the tests once; each child is a fork of it, so a
submission starts in milliseconds. The parent alone writes results, from what the children
report over pipes and from how they ended.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
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
from .sandbox import MAX_MESSAGE, Limits, child_main

STATUSES = ("ok", "error", "invalid", "duplicate", "timeout", "memory", "crashed", "exited")


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
    sid: str
    path: Path
    sha256: str
    started: float
    deadline: float
    process: multiprocessing.process.BaseProcess
    conn: multiprocessing.connection.Connection
    scratch: str
    messages: list[dict] = field(default_factory=list)
    done: bool = False
    timed_out: bool = False


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


def grade_batch(
    ag: Autograder,
    paths: Iterable[Path],
    out_dir: Path,
    options: Options,
    on_result: Callable[[dict], None] | None = None,
    assignment: str | None = None,
) -> list[dict]:
    """Grade every path into `out_dir` (skipping ones already graded unless regrade); return records."""
    out_dir.mkdir(parents=True, exist_ok=True)
    records: dict[str, dict] = {}
    queue: deque[tuple[str, Path, str]] = deque()
    seen: dict[str, Path] = {}
    for path in paths:
        path = Path(path)
        sid = submission_id(path)
        digest = sha256_of(path)
        if sid in seen:
            dup_id = f"{sid}#{sum(1 for k in records if k.startswith(sid + '#')) + 2}"
            records[dup_id] = _finish_without_run(
                ag,
                dup_id,
                path,
                digest,
                options,
                "duplicate",
                f"another submission is already named {sid} ({seen[sid]}); rename one and grade again",
                out_dir,
            )
            _notify(on_result, records[dup_id])
            continue
        seen[sid] = path
        previous = None if options.regrade else report.read_record(out_dir, sid)
        if (
            previous
            and previous.get("sha256") == digest
            and previous.get("autograder") == ag.fingerprint
            and previous.get("device") == options.device
        ):
            previous["resumed"] = True
            records[sid] = previous
            _notify(on_result, previous)
            continue
        queue.append((sid, path, digest))

    running: list[Job] = []
    ctx = multiprocessing.get_context("fork")
    while queue or running:
        while queue and len(running) < max(1, options.jobs):
            sid, path, digest = queue.popleft()
            try:
                chunks = submission.load(path, assignment)
            except (submission.InvalidSubmission, OSError) as exc:
                records[sid] = _finish_without_run(
                    ag, sid, path, digest, options, "invalid", str(exc), out_dir
                )
                _notify(on_result, records[sid])
                continue
            running.append(_start(ctx, ag, sid, path, digest, chunks, options))
        if not running:
            continue
        now = time.monotonic()
        wait_for = max(0.0, min(job.deadline for job in running) - now)
        ready = wait([job.conn for job in running] + [job.process.sentinel for job in running], wait_for)
        for job in list(running):
            if job.conn in ready or job.process.sentinel in ready:
                _drain(job)
            if not job.done and not job.process.is_alive():
                _drain(job)
                job.done = True
            if not job.done and time.monotonic() >= job.deadline:
                job.timed_out = job.done = True
            if job.done:
                running.remove(job)
                records[job.sid] = _finish(ag, job, options, out_dir)
                _notify(on_result, records[job.sid])
    return list(records.values())


def _notify(callback: Callable[[dict], None] | None, record: dict) -> None:
    if callback is not None:
        callback(record)


def _start(ctx, ag: Autograder, sid, path, digest, chunks, options: Options) -> Job:
    scratch = tempfile.mkdtemp(prefix="dl541-sub-")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=child_main,
        args=(sender, chunks, ag.test_files, scratch, options.device, options.limits),
        daemon=True,
    )
    started = time.monotonic()
    process.start()
    sender.close()
    return Job(sid, path, digest, started, started + options.timeout, process, receiver, scratch)


def _drain(job: Job) -> None:
    try:
        while job.conn.poll():
            data = job.conn.recv_bytes(MAX_MESSAGE)
            try:
                message = json.loads(data)
            except ValueError:
                continue  # garbled bytes are not results
            if isinstance(message, dict):
                job.messages.append(message)
                if message.get("kind") in ("done", "fatal"):
                    job.done = True
    except (EOFError, OSError):
        job.done = True


def _stop(job: Job) -> int | None:
    if job.process.is_alive():
        try:
            os.killpg(job.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            job.process.kill()
    job.process.join(5)
    try:
        os.killpg(job.process.pid, signal.SIGKILL)  # grandchildren it left behind
    except (ProcessLookupError, PermissionError):
        pass
    return job.process.exitcode


def _finish(ag: Autograder, job: Job, options: Options, out_dir: Path) -> dict:
    finished_ok = any(m.get("kind") == "done" for m in job.messages)
    exitcode = (
        _stop(job) if not finished_ok or job.timed_out else (job.process.join(5) or job.process.exitcode)
    )
    output = _read_output(job.scratch, options.limits.output_bytes)
    shutil.rmtree(job.scratch, ignore_errors=True)
    loaded = next((m for m in job.messages if m.get("kind") == "loaded"), None)
    load_errors = loaded.get("errors", []) if loaded else []
    results = {(m.get("question"), m.get("case")): m for m in job.messages if m.get("kind") == "case"}
    fatal = next((m for m in job.messages if m.get("kind") == "fatal"), None)

    status, detail = _status(job, finished_ok, exitcode, load_errors, results, fatal, options)
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
    report.write_submission(out_dir, ag, record, output)
    return record


def _status(job, finished_ok, exitcode, load_errors, results, fatal, options) -> tuple[str, str]:
    kinds = {e.get("kind") for e in load_errors}
    memory = "MemoryError" in kinds or any(
        "MemoryError" in (m.get("message") or "") for m in results.values()
    )
    if job.timed_out:
        return "timeout", f"stopped after {options.timeout:g} s (--timeout); finished tests keep their marks"
    if fatal:
        return "crashed", "the grading process failed: " + (fatal.get("message") or "")[-500:]
    if not finished_ok:
        if exitcode is not None and exitcode < 0:
            name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else str(-exitcode)
            if memory or -exitcode == signal.SIGKILL:
                return "memory" if memory else "crashed", f"the interpreter was killed by {name}"
            return "crashed", f"the interpreter crashed ({name})"
        return (
            "exited",
            f"the submission ended the interpreter (exit code {exitcode}) before grading finished",
        )
    if memory:
        return "memory", f"the submission ran out of memory (limit {options.limits.memory_mb} MiB)"
    if "SystemExit" in kinds:
        return "exited", "; ".join(_describe(e) for e in load_errors)
    if "Timeout" in kinds:
        return "timeout", "; ".join(_describe(e) for e in load_errors)
    slow = [k[1] for k, m in results.items() if "\nTimeout: " in (m.get("message") or "")]
    if slow:
        return "timeout", f"test(s) ran past --test-timeout: {', '.join(slow)}"
    if load_errors:
        return "error", "; ".join(_describe(e) for e in load_errors)
    return "ok", ""


def _describe(error: dict) -> str:
    return f"{error.get('where')}: {error.get('kind')}: {error.get('message')}"[:500]


def _read_output(scratch: str, cap: int) -> str:
    try:
        with open(os.path.join(scratch, "output.txt"), "rb") as f:
            return f.read(cap).decode("utf-8", "replace")
    except OSError:
        return ""


def _finish_without_run(ag, sid, path, digest, options, status, detail, out_dir) -> dict:
    record = report.make_record(ag, sid, path, digest, options.device, status, detail, {}, [], seconds=0.0)
    report.write_submission(out_dir, ag, record, "")
    return record
