"""What is written from grading records: the record, Gradescope's results.json, grades.csv, the summary."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from dl541 import report
from dl541.protocol import PASSED, failed
from dl541.records import Record
from dl541.status import Status


def _record(ag, passing: set[str], status: Status = Status.OK, **extra) -> Record:
    """A record where exactly the cases named in `passing` passed."""
    results = {
        (tf.name, tc.name): {
            "passed": tc.name in passing,
            "message": PASSED if tc.name in passing else failed("no"),
        }
        for tf in ag.test_files
        for tc in tf.test_cases
    }
    record = report.make_record(ag, "s.py", Path("s.py"), "", "cpu", status, "", results, [], seconds=1.0)
    return dataclasses.replace(record, **extra)


def _every_case(ag) -> set[str]:
    return {tc.name for tf in ag.test_files for tc in tf.test_cases}


def test_marks_are_the_points_of_the_passed_cases(depth_ag):
    q1 = next(tf for tf in depth_ag.test_files if tf.name == "q1")
    record = _record(depth_ag, {tc.name for tc in q1.test_cases})
    assert record.questions["q1"] == q1.possible and record.score == q1.possible
    assert record.max_score == depth_ag.max_score == 22
    assert all(c.passed == (c.question == "q1") for c in record.cases)
    full = _record(depth_ag, _every_case(depth_ag))
    assert full.score == full.max_score


def test_a_case_that_never_ran_says_why(depth_ag):
    record = report.make_record(
        depth_ag, "s.py", Path("s.py"), "", "cpu", Status.TIMEOUT, "stopped", {}, [], 1.0
    )
    assert all(c.message == "❌ Test case not run: timeout. stopped" for c in record.cases)


def test_results_json_follows_the_visibility_setting_and_names_the_confinement(depth_ag):
    record = _record(depth_ag, _every_case(depth_ag), confinement={"seccomp": True, "landlock": False})
    results = report.gradescope_results(depth_ag, record)
    assert results["score"] == 22
    assert results["output"] == "dl541 status: ok (confinement: seccomp on, landlock off)"
    assert results["extra_data"]["dl541"]["confinement"] == {"seccomp": True, "landlock": False}
    by_name = {t["name"]: t for t in results["tests"]}
    assert by_name["Public Tests"]["visibility"] == "visible"
    assert {t["visibility"] for n, t in by_name.items() if n != "Public Tests"} == {
        depth_ag.hidden_visibility
    }
    assert sum(t.get("score", 0) for t in results["tests"]) == results["score"]


def test_the_gradebook_has_a_row_per_submission_and_a_column_per_question(depth_ag):
    records = [
        _record(depth_ag, _every_case(depth_ag), submission="b.py"),
        _record(depth_ag, set(), Status.ERROR, submission="a.py"),
    ]
    lines = report.gradebook_csv(records, depth_ag.questions).splitlines()
    assert lines[0] == "student,name,submission,status,score,max_score,q1,q2,q3,q4,q5,detail,note"
    assert lines[1] == "a.py,,a.py,error,0,22,0,0,0,0,0,," and lines[2].startswith("b.py,,b.py,ok,22,22,")
    summary = report.summarize(records, depth_ag)
    assert summary["statuses"] == {"ok": 1, "error": 1} and summary["mean_score"] == 11
    missing = _record(depth_ag, set(), Status.MISSING, submission="c.py", student="c", name="Cy")
    summary = report.summarize([*records, missing], depth_ag)
    assert summary["graded"] == 2 and summary["left_out"] == {"missing": 1} and summary["mean_score"] == 11
    assert "c,Cy,c.py,missing,0,22" in report.gradebook_csv([missing], depth_ag.questions)
    assert summary["questions"]["q1"]["full_marks_share"] == 0.5


def test_a_submission_is_written_whole_and_read_back(depth_ag, tmp_path):
    record = _record(depth_ag, _every_case(depth_ag))
    report.write_submission(tmp_path, depth_ag, record, "printed\n")
    assert report.read_record(tmp_path, "s.py") == record
    on_disk = json.loads((tmp_path / "s.py" / report.RECORD).read_text())
    assert on_disk == record.to_json() and Record.from_json(on_disk) == record
    assert (tmp_path / "s.py" / "output.txt").read_text() == "printed\n"
    assert report.comparable(report.read_record(tmp_path, "s.py")) == report.comparable(record)
    assert not list(tmp_path.glob("s.py/.*.tmp"))  # no half-written file left behind
