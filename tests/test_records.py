"""Records: the typed results of a grading, and their grade.json form."""

from __future__ import annotations

import json

import pytest

from dl541.records import CaseResult, Record
from dl541.status import Status


def _record(**changes) -> Record:
    cases = [
        CaseResult("q1", "q1 - 1", "lecture_examples", 1.0, False, True, "✅ passed"),
        CaseResult("q1", "q1 - 2", "random_layer_lists", 2.0, True, False, "❌ Test case failed\ncount 3"),
    ]
    fields = dict(
        submission="s.py",
        file="/class/s.py",
        sha256="ab",
        autograder="cd",
        device="cpu",
        status=Status.OK,
        detail="",
        score=1.0,
        max_score=3.0,
        questions={"q1": 1.0},
        cases=cases,
    )
    return Record(**{**fields, **changes})


def test_the_json_form_round_trips_and_keeps_the_field_order():
    record = _record(attempts=1, confinement={"seccomp": True}, student="7", name="Ada", note="late")
    data = json.loads(json.dumps(record.to_json()))
    assert Record.from_json(data) == record
    assert list(data) == [
        "submission",
        "file",
        "sha256",
        "autograder",
        "device",
        "status",
        "detail",
        "score",
        "max_score",
        "questions",
        "cases",
        "load_errors",
        "seconds",
        "attempts",
        "confinement",
        "student",
        "name",
        "note",
    ]
    assert data["status"] == "ok" and data["cases"][1]["test"] == "random_layer_lists"


def test_a_record_settled_without_running_has_no_attempts_and_is_never_written_resumed():
    data = _record(status=Status.MISSING, resumed=True).to_json()
    assert "attempts" not in data and "confinement" not in data and "resumed" not in data
    assert Record.from_json(data).status is Status.MISSING


def test_older_records_read_with_defaults():
    data = _record().to_json()
    for key in ("student", "name", "note", "load_errors", "seconds"):
        data.pop(key)
    data["cases"][0].pop("test")
    record = Record.from_json(data)
    assert record.who == "s.py" and record.cases[0].test == "q1 - 1"


@pytest.mark.parametrize("broken", [{}, {"status": "fine"}, {"cases": "no"}])
def test_what_is_not_a_record_is_refused_by_name(broken):
    data = {**_record().to_json(), **broken} if broken else {}
    with pytest.raises(ValueError, match="not a dl541 grade record"):
        Record.from_json(data)


def test_failed_cases_and_comparable():
    record = _record()
    assert [c.test for c in record.failed_cases()] == ["random_layer_lists"]
    assert record.failed_cases("q2") == []
    assert record.comparable() == _record(seconds=9.0, attempts=2).comparable()
    assert record.comparable() != _record(score=3.0).comparable()
