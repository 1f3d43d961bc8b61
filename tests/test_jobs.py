"""The state machine of one submission across child attempts, driven with a stand-in child (no fork)."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from dl541.jobs import MAX_ATTEMPTS, Attempt, Job, Next, State
from dl541.protocol import Kind, Receiver, Sender, failed
from dl541.settings import Limits
from dl541.status import Status
from dl541.submission import Chunk

LIMITS = Limits(test_timeout=5.0)
KEY = b"k" * 32
NO_SUCH_GROUP = 2**22 + 12345  # killpg on it fails quietly, as on a child already gone


class StandIn:
    """What the job needs of a child process: alive or not, and how it ended."""

    def __init__(self) -> None:
        self.pid, self.exitcode, self.alive = NO_SUCH_GROUP, None, True

    def is_alive(self) -> bool:
        return self.alive

    def kill(self) -> None:
        self.alive, self.exitcode = False, -9

    def join(self, timeout=None) -> None:
        pass


@pytest.fixture
def job(tmp_path):
    made = Job(
        "s.py", tmp_path / "s.py", "", [Chunk("cell 1", "x = 1"), Chunk("cell 2", "y = 2")], "", 0.0, 1e12
    )
    yield made
    if made.attempt is not None and made.attempt.conn is not None:
        made.attempt.conn.close()


def start(job: Job) -> tuple[Sender, StandIn]:
    receiver, sender = multiprocessing.Pipe(duplex=False)
    child = StandIn()
    job.begin(Attempt(child, receiver, Receiver(KEY), since=time.monotonic()))
    return Sender(sender, KEY), child


def test_a_child_that_reports_everything_finishes_ok(job):
    channel, _ = start(job)
    channel.send(Kind.READY, seccomp=True, landlock=True)
    channel.send(Kind.BEGIN, question="q1", case="q1 - 1")
    channel.send(Kind.CASE, question="q1", case="q1 - 1", passed=True, message="ok")
    channel.send(Kind.DONE)
    job.read()
    assert job.step(time.monotonic(), 600, LIMITS) is Next.FINISH and job.state is State.FINISHED
    assert job.cases == {("q1", "q1 - 1"): {"passed": True, "message": "ok"}}
    assert job.confinement == {"seccomp": True, "landlock": True}
    assert job.outcome(4096) == (Status.OK, "")


def test_a_test_past_its_time_is_failed_skipped_and_resumed_after(job):
    channel, child = start(job)
    channel.send(Kind.BEGIN, question="q2", case="q2 - 3")
    job.read()
    assert job.step(time.monotonic(), 600, LIMITS) is Next.WAIT  # not yet due
    assert job.step(time.monotonic() + LIMITS.test_timeout + 1, 600, LIMITS) is Next.RESTART
    assert not child.alive  # the parent killed it
    assert job.cases[("q2", "q2 - 3")] == {
        "passed": False,
        "message": failed("Timeout: the test ran past 5 s"),
    }
    assert ("q2", "q2 - 3") in job.plan.skip_cases
    assert job.outcome(4096)[0] is Status.TIMEOUT


def test_a_child_killed_inside_a_cell_fails_that_cell_only(job):
    channel, child = start(job)
    channel.send(Kind.BEGIN, cell=1)
    job.read()
    child.alive, child.exitcode = False, -11
    assert job.step(time.monotonic(), 600, LIMITS) is Next.RESTART
    assert job.plan.skip_cells == {1} and job.cells[1]["kind"] == "Died"
    status, detail = job.outcome(4096)
    assert status is Status.CRASHED and "SIGSEGV" in detail and "cell 2" in detail


def test_a_child_that_exits_outside_any_item_finishes_without_looping(job):
    _, child = start(job)
    child.alive, child.exitcode = False, 3
    assert job.step(time.monotonic(), 600, LIMITS) is Next.FINISH
    assert job.outcome(4096) == (Status.EXITED, "the submission ended the interpreter (exit code 3)")


def test_the_submission_deadline_finishes_the_job(job):
    channel, _ = start(job)
    channel.send(Kind.BEGIN, cell=0)
    job.read()
    assert job.step(job.deadline, 600, LIMITS) is Next.FINISH
    assert job.cells[0]["kind"] == "Timeout" and job.outcome(4096)[0] is Status.TIMEOUT


def test_a_forged_message_voids_the_grade(job):
    _, _ = start(job)
    receiver, sender = multiprocessing.Pipe(duplex=False)
    job.attempt.conn.close()
    job.attempt.conn = receiver
    Sender(sender, b"not the key" + b"!" * 21).send(
        Kind.CASE, question="q1", case="c", passed=True, message=""
    )
    job.read()
    assert job.state is State.FINISHED and job.cases == {}
    assert job.outcome(4096)[0] is Status.TAMPERED


def test_it_gives_up_after_max_attempts(job):
    for _ in range(MAX_ATTEMPTS):
        channel, _ = start(job)
        channel.send(Kind.BEGIN, cell=0)
        job.read()
        step = job.step(time.monotonic() + 60, 600, LIMITS)
    assert step is Next.FINISH and "gave up after 8 attempts" in job.outcome(4096)[1]


@pytest.mark.parametrize(
    ("kind", "status"),
    [("SystemExit", Status.EXITED), ("MemoryError", Status.MEMORY), ("ValueError", Status.ERROR)],
)
def test_a_cell_error_colours_the_status(job, kind, status):
    job.cells[0] = {"kind": kind, "message": "m"}
    assert job.outcome(4096) == (status, f"cell 1: {kind}: m")


def test_statuses_are_plain_names_ordered_by_seriousness():
    assert Status.worst([Status.ERROR, Status.TAMPERED, Status.OK]) is Status.TAMPERED
    assert Status.worst([]) is Status.OK and Status.OK.severity == 0
    assert f"{Status.TIMEOUT}" == "timeout" and Status("crashed") is Status.CRASHED
