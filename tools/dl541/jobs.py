"""One submission's grading across child attempts: the state machine the grader's loop drives.

A job is RUNNING while a child attempt runs its cells and test cases and reports them; the
parent reads the child's messages (`Job.read`) and then asks what comes next (`Job.step`):
- WAIT: nothing is due yet;
- RESTART: the attempt ended early (a cell or test hung past --test-timeout, or the child died
  inside one): that item is failed and skipped, and a new attempt resumes after it;
- FINISH: every item ran, the submission's --timeout passed, the grade was voided, or the job
  gave up after MAX_ATTEMPTS. The job is then FINISHED and its record can be made.
The parent alone keeps time and decides; a child only reports.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass, field
from enum import Enum
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .protocol import MAX_MESSAGE, Forged, Kind, Receiver, failed
from .sandbox import Plan
from .settings import Limits
from .status import RUN_OUTCOMES, Status
from .submission import Chunk

MAX_ATTEMPTS = 8


class State(Enum):
    RUNNING = "running"  # a child attempt is (or is about to be) running
    FINISHED = "finished"  # decided: no attempt will follow


class Next(Enum):
    WAIT = "wait"
    RESTART = "restart"
    FINISH = "finish"


@dataclass
class Attempt:
    """One forked child: its process, its end of the channel, and the item it is running."""

    process: Any  # a multiprocessing Process (anything with pid, is_alive, kill, join, exitcode)
    conn: Connection | None
    receiver: Receiver
    since: float  # when the current item (or the attempt) began
    current: tuple | None = None  # ("cell", index) or ("case", (question, case))
    ended: bool = False  # its channel closed, or it sent its last message


@dataclass
class Job:
    """One submission being graded, across however many child attempts it takes."""

    sid: str
    path: Path
    sha256: str
    chunks: list[Chunk]
    scratch: str
    started: float
    deadline: float
    state: State = State.RUNNING
    plan: Plan = field(default_factory=Plan)
    cells: dict[int, dict | None] = field(default_factory=dict)
    cases: dict[tuple[str, str], dict] = field(default_factory=dict)
    events: list[tuple[Status, str]] = field(default_factory=list)
    confinement: dict = field(default_factory=dict)
    attempts: int = 0
    attempt: Attempt | None = None

    def begin(self, attempt: Attempt) -> None:
        """A new child attempt has started."""
        self.attempts += 1
        self.attempt = attempt

    def due(self, limits: Limits) -> float:
        """When this job next needs attention even if its child says nothing."""
        if self.attempt is not None and self.attempt.current is not None:
            return min(self.deadline, self.attempt.since + limits.test_timeout)
        return self.deadline

    # -- reading the child's messages --------------------------------------------------------------
    def read(self) -> None:
        """Take every message waiting on the channel; a forged one voids the grade."""
        attempt = self.attempt
        try:
            while attempt.conn is not None and attempt.conn.poll():
                self._take(attempt, attempt.receiver.open(attempt.conn.recv_bytes(MAX_MESSAGE)))
        except EOFError:
            attempt.ended = True
        except (OSError, Forged) as exc:  # OSError: a frame of impossible length
            what = (
                str(exc) if isinstance(exc, Forged) else "the grading channel received bytes it did not send"
            )
            self.events.append((Status.TAMPERED, what))
            self._finish(attempt)

    def _take(self, attempt: Attempt, message: dict) -> None:
        kind, now = message["kind"], time.monotonic()
        if kind is Kind.READY:
            self.confinement = {
                "seccomp": bool(message.get("seccomp")),
                "landlock": bool(message.get("landlock")),
            }
        elif kind is Kind.BEGIN:
            attempt.current = (
                ("cell", message["cell"])
                if "cell" in message
                else ("case", (message["question"], message["case"]))
            )
            attempt.since = now
        elif kind is Kind.CELL:
            self.cells[int(message["cell"])] = message.get("error")
            attempt.current = None
        elif kind is Kind.CASE:
            key = (str(message["question"]), str(message["case"]))
            self.cases[key] = {
                "passed": message.get("passed") is True,
                "message": str(message.get("message", "")),
            }
            attempt.current = None
        elif kind is Kind.DONE:
            self._finish(attempt)
        elif kind is Kind.TAMPERED:
            self.events.append((Status.TAMPERED, str(message.get("what", ""))))
            self._finish(attempt)
        elif kind is Kind.FATAL:
            what = "the grading process failed: " + str(message.get("what", ""))[-500:]
            self.events.append((Status.CRASHED, what))
            self._finish(attempt)

    def _finish(self, attempt: Attempt) -> None:
        attempt.ended = True
        self.state = State.FINISHED

    # -- deciding what comes next ------------------------------------------------------------------
    def step(self, now: float, timeout: float, limits: Limits) -> Next:
        """After reading: wait, restart after a failed item, or finish (killing the child as needed)."""
        if self.state is State.FINISHED:
            return Next.FINISH  # the caller releases its child
        attempt = self.attempt
        if now >= self.deadline:
            self.stop()
            self.events.append(
                (Status.TIMEOUT, f"stopped after {timeout:g} s (--timeout); finished tests keep their marks")
            )
            self._fail_current(attempt, "Timeout: the submission's time limit (--timeout) was reached")
            self.state = State.FINISHED
            return Next.FINISH
        overdue = attempt.current is not None and now >= attempt.since + limits.test_timeout
        if overdue:
            self.stop()
            what = "cell" if attempt.current[0] == "cell" else "test"
            self.events.append(
                (Status.TIMEOUT, f"a {what} ran past {limits.test_timeout:g} s (--test-timeout)")
            )
            self._fail_current(attempt, f"Timeout: the {what} ran past {limits.test_timeout:g} s")
        elif attempt.ended or not attempt.process.is_alive():
            self.read()
            if self.state is State.FINISHED:
                return Next.FINISH
            exitcode = self.stop()
            if exitcode is not None and exitcode < 0:
                name = (
                    signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else str(-exitcode)
                )
                self.events.append((Status.CRASHED, f"the interpreter was killed by {name}"))
                self._fail_current(attempt, f"the interpreter was killed by {name} during this item")
            else:
                self.events.append(
                    (Status.EXITED, f"the submission ended the interpreter (exit code {exitcode})")
                )
                self._fail_current(
                    attempt, f"the submission ended the interpreter (exit code {exitcode}) here"
                )
            if attempt.current is None:
                self.state = State.FINISHED  # it died outside any cell or test: nothing to skip, do not loop
                return Next.FINISH
        else:
            return Next.WAIT
        if self.attempts >= MAX_ATTEMPTS:
            self.events.append(
                (Status.TIMEOUT if overdue else Status.CRASHED, f"gave up after {self.attempts} attempts")
            )
            self.state = State.FINISHED
            return Next.FINISH
        return Next.RESTART

    def _fail_current(self, attempt: Attempt, why: str) -> None:
        if attempt.current is None:
            return
        kind, item = attempt.current
        if kind == "cell":
            self.cells[item] = {"kind": "Timeout" if why.startswith("Timeout") else "Died", "message": why}
            self.plan.skip_cells.add(item)
        else:
            self.cases[item] = {"passed": False, "message": failed(why)}
            self.plan.skip_cases.add(item)
        self.plan.skip_cases.update(self.cases)

    # -- the child process -------------------------------------------------------------------------
    def stop(self) -> int | None:
        """Kill the attempt's child and its group, wait for it, close its channel; its exit code."""
        attempt = self.attempt
        process = attempt.process
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
        _kill_group(process.pid)  # anything it left behind in its group
        _close(attempt)
        attempt.since = time.monotonic()
        return process.exitcode

    def release(self) -> Any:
        """Kill a finished job's child and its group now; return the process, to be reaped later."""
        attempt = self.attempt
        process, attempt.process = attempt.process, None
        if process is not None:
            _kill_group(process.pid)  # not yet reaped, so the group cannot be another's
        _close(attempt)
        return process

    # -- the outcome -------------------------------------------------------------------------------
    def load_errors(self) -> list[dict]:
        """Each cell (or statement) that raised, with where it is."""
        return [dict(error, where=self.chunks[i].label) for i, error in sorted(self.cells.items()) if error]

    def outcome(self, memory_mb: int) -> tuple[Status, str]:
        """The status (the most serious thing that happened) and the detail that explains it."""
        events = list(self.events)
        for error in self.load_errors():
            kind = error.get("kind")
            text = f"{error['where']}: {kind}: {error.get('message')}"[:500]
            events.append((_CELL_STATUS.get(kind, Status.ERROR), text))
        if any("MemoryError" in c["message"] for c in self.cases.values()):
            events.append((Status.MEMORY, f"the submission ran out of memory (limit {memory_mb} MiB)"))
        for status in RUN_OUTCOMES:
            details = [d for s, d in events if s is status]
            if details:
                others = [d for s, d in events if s is not status]
                return status, "; ".join(dict.fromkeys(details + others))[:1500]
        return Status.OK, ""


#: How a cell that raised colours the submission's status.
_CELL_STATUS = {"SystemExit": Status.EXITED, "MemoryError": Status.MEMORY, "Timeout": Status.TIMEOUT}


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _close(attempt: Attempt) -> None:
    if attempt.conn is not None:
        attempt.conn.close()
        attempt.conn = None
