"""What a grading produces: one `CaseResult` per test case, one `Record` per submission.

A record is written as grade.json (`Record.to_json`, keys in a fixed order) and read back with
`Record.from_json`, which accepts records written by earlier versions (missing fields get their
defaults).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from .status import Status


@dataclass(frozen=True)
class CaseResult:
    """The result of one test case: where it is, what it was worth, and what the student sees."""

    question: str
    case: str  # Otter's name of the case
    test: str  # the test function's name
    points: float
    hidden: bool
    passed: bool
    message: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CaseResult:
        """A case result from its grade.json form (`test` defaults to `case`)."""
        return cls(
            question=str(data["question"]),
            case=str(data["case"]),
            test=str(data.get("test") or data["case"]),
            points=float(data["points"]),
            hidden=bool(data["hidden"]),
            passed=bool(data["passed"]),
            message=str(data.get("message", "")),
        )

    def to_json(self) -> dict[str, Any]:
        """The grade.json form."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class Record:
    """The full grade of one submission: who, which file, the status, the marks and every case."""

    submission: str
    file: str
    sha256: str
    autograder: str  # fingerprint of the autograder that graded it
    device: str
    status: Status
    detail: str
    score: float
    max_score: float
    questions: dict[str, float]
    cases: list[CaseResult]
    load_errors: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    attempts: int | None = None  # None: settled without running the submission
    confinement: dict[str, bool] | None = None
    student: str = ""
    name: str = ""
    note: str = ""
    resumed: bool = False  # read back from an earlier run, not graded now; never written

    _OPTIONAL = ("attempts", "confinement")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        """A record from its grade.json form; ValueError naming what is missing or wrong."""
        try:
            known = {f.name for f in fields(cls)} - {"resumed"}
            values = {k: v for k, v in data.items() if k in known}
            values["status"] = Status(values["status"])
            values["cases"] = [CaseResult.from_json(c) for c in values.get("cases", [])]
            values["questions"] = {str(q): float(p) for q, p in values.get("questions", {}).items()}
            return cls(**values)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a dl541 grade record ({type(exc).__name__}: {exc})") from None

    def to_json(self) -> dict[str, Any]:
        """The grade.json form: every field in order, `attempts` and `confinement` only when set."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "resumed" or (f.name in self._OPTIONAL and value is None):
                continue
            if f.name == "status":
                value = str(value.value)
            elif f.name == "cases":
                value = [c.to_json() for c in value]
            out[f.name] = value
        return out

    @property
    def who(self) -> str:
        """The student id when the intake knew one, else the submission id."""
        return self.student or self.submission

    def failed_cases(self, question: str | None = None) -> list[CaseResult]:
        """The cases that did not pass (of `question` only, when given)."""
        return [c for c in self.cases if not c.passed and (question is None or c.question == question)]

    def comparable(self) -> tuple:
        """What two gradings of one submission must agree on: status, marks, every case and its message."""
        return (
            self.status,
            self.score,
            self.questions,
            [(c.question, c.case, c.passed, c.message) for c in self.cases],
        )
