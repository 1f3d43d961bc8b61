"""The status of a graded submission: what happened to it, ordered by how serious it is."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum


class Status(str, Enum):
    """Why a submission got its marks. A `str`, so records and gradebooks hold the plain name.

    When several things went wrong, the submission's status is the most serious one
    (`Status.worst`); tests that finished keep their marks whatever the status.
    """

    # most serious first: the order is the precedence
    TAMPERED = "tampered"  # changed the grading environment or forged a result: score voided
    TIMEOUT = "timeout"  # a cell, a test or the whole submission ran past its time limit
    MEMORY = "memory"  # ran out of its memory limit
    CRASHED = "crashed"  # the interpreter was killed (a signal), or grading itself failed
    EXITED = "exited"  # the submission ended the interpreter (exit(), os._exit)
    ERROR = "error"  # a cell or statement raised; the rest still ran
    INVALID = "invalid"  # not gradable at all: wrong file type, broken notebook, empty zip
    DUPLICATE = "duplicate"  # another submission already has this name
    MISSING = "missing"  # on the roster, but nothing was submitted
    OK = "ok"  # everything ran

    __str__ = str.__str__  # "ok", not "Status.OK", in f-strings and messages

    @property
    def severity(self) -> int:
        """Higher is more serious; OK is 0."""
        members = list(Status)
        return len(members) - 1 - members.index(self)

    @property
    def graded(self) -> bool:
        """Whether its marks say something about the work: it ran (statistics count only these)."""
        return self not in (Status.TAMPERED, Status.INVALID, Status.DUPLICATE, Status.MISSING)

    @classmethod
    def worst(cls, statuses: Iterable[Status]) -> Status:
        """The most serious of `statuses` (OK when there are none)."""
        return max(statuses, key=lambda s: s.severity, default=cls.OK)


#: The statuses a running child can lead to, most serious first (the others are decided before running).
RUN_OUTCOMES = (Status.TAMPERED, Status.TIMEOUT, Status.MEMORY, Status.CRASHED, Status.EXITED, Status.ERROR)
