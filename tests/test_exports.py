"""Gradebook exports for Canvas, Gradescope and a plain CSV."""

from __future__ import annotations

import csv
import io
import re

import pytest

from dl541.exports import FORMATS, export
from dl541.records import Record

COLUMN = "Depth (31415)"


def _record(student: str | None, name: str, status: str = "ok", score: float = 17.0, **extra) -> Record:
    return Record.from_json(
        {
            "submission": f"{student or 'unmatched'}.ipynb",
            "file": "",
            "sha256": "",
            "autograder": "",
            "device": "cpu",
            "status": status,
            "detail": "" if status == "ok" else f"why it is {status}",
            "score": 0.0 if status in ("invalid", "tampered", "missing", "duplicate") else score,
            "max_score": 22.0,
            "questions": {},
            "cases": [],
            "name": name,
            "student": student or "",
            **extra,
        }
    )


RECORDS = [
    _record("10", "Lovelace, Ada", score=22.0),
    _record("9", 'Hopper, Grace "Amazing"', score=17.5),
    _record("100", "Turing, Alan", "missing"),
    _record("11", "Noether, Emmy", "invalid"),
    _record("12", "Curie, Marie", "tampered"),
    _record("13", "Gauss, Carl", "timeout", score=6.0),
]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _canvas_reads(text: str) -> tuple[dict[str, str], str, dict[str, str]]:
    """What Canvas's GradebookImporter takes from a file: assignment column -> points possible,
    and each student id -> score. Its rules: the header's first cell holds "Student" and its
    second "ID"; SIS User ID + SIS Login ID follow; the last student column holds "Section"; a row
    whose first cell holds "Points Possible" gives the points; the other rows are students."""
    rows = _rows(text)
    header = rows[0]
    assert len(header) > 3 and "Student" in header[0] and "ID" in header[1]
    columns = 3
    if re.search(r"SIS\s+Login\s+ID", header[2]):
        columns += 1
    elif re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        columns += 2
    assert "Section" in header[columns - 1]
    assignments = header[columns:]
    points, scores = {}, {}
    for row in rows[1:]:
        if "Points Possible" in row[0]:
            points = dict(zip(assignments, row[columns:]))
        else:
            scores[row[1]] = row[columns]
    return points, assignments[0], scores


def test_canvas_header_and_points_possible_row():
    lines = export(RECORDS, "canvas", COLUMN, 22.0).splitlines()
    assert lines[0] == "Student,ID,SIS User ID,SIS Login ID,Section,Depth (31415)"
    assert lines[1] == "    Points Possible,,,,,22"
    points, column, scores = _canvas_reads(export(RECORDS, "canvas", COLUMN, 22.0))
    assert points == {COLUMN: "22"} and column == COLUMN
    assert scores == {"9": "17.5", "10": "22", "11": "0", "12": "0", "13": "6", "100": ""}


def test_canvas_rows_sorted_by_student_id_with_names():
    rows = _rows(export(RECORDS, "canvas", COLUMN, 22.0))[2:]
    assert [r[1] for r in rows] == ["9", "10", "11", "12", "13", "100"]  # numerically
    assert rows[0] == ['Hopper, Grace "Amazing"', "9", "", "", "", "17.5"]
    assert rows[-1] == ["Turing, Alan", "100", "", "", "", ""]  # missing: empty, not 0


def test_names_with_commas_and_quotes_are_quoted():
    for fmt in FORMATS:
        text = export(RECORDS, fmt, COLUMN, 22.0)
        assert '"Hopper, Grace ""Amazing"""' in text
        assert '"Lovelace, Ada"' in text
        names = [row[1] if fmt == "csv" else row[0] for row in _rows(text)]
        assert 'Hopper, Grace "Amazing"' in names and "Lovelace, Ada" in names


def test_a_column_name_with_a_comma_is_quoted():
    text = export(RECORDS, "canvas", "Depth, part 1", 22.0)
    assert text.splitlines()[0] == 'Student,ID,SIS User ID,SIS Login ID,Section,"Depth, part 1"'


def test_gradescope_layout():
    text = export(RECORDS, "gradescope", "Score", 22.0)
    rows = _rows(text)
    assert text.splitlines()[0] == "Name,SID,Email,Score"
    assert rows[1] == ['Hopper, Grace "Amazing"', "9", "", "17.5"]
    assert [r[1] for r in rows[1:]] == ["9", "10", "11", "12", "13", "100"]
    by_sid = {r[1]: r[3] for r in rows[1:]}
    assert by_sid["100"] == ""  # missing: empty
    assert by_sid["11"] == "0" and by_sid["12"] == "0"  # invalid, tampered: their 0


def test_plain_csv_keeps_status_and_detail():
    text = export(RECORDS, "csv", COLUMN, 22.0)
    rows = _rows(text)
    assert text.splitlines()[0] == "student,name,status,score,max_score,detail"
    assert rows[1] == ["9", 'Hopper, Grace "Amazing"', "ok", "17.5", "22", ""]
    by_sid = {r[0]: r for r in rows[1:]}
    assert by_sid["100"] == ["100", "Turing, Alan", "missing", "", "22", "why it is missing"]
    assert by_sid["12"][2:4] == ["tampered", "0"]


def test_unknown_format_names_the_allowed_ones():
    with pytest.raises(ValueError, match="canvas, gradescope, csv"):
        export(RECORDS, "excel", COLUMN, 22.0)


def test_a_duplicate_does_not_displace_the_graded_submission():
    records = RECORDS + [_record("10", "Lovelace, Ada", "duplicate")]
    for fmt, score_at in (("canvas", 5), ("gradescope", 3)):
        rows = [r for r in _rows(export(records, fmt, COLUMN, 22.0)) if r[1] == "10"]
        assert len(rows) == 1 and rows[0][score_at] == "22"
    assert len([r for r in _rows(export(records, "csv", COLUMN, 22.0)) if r[0] == "10"]) == 2


def test_two_graded_submissions_of_one_student_are_refused():
    records = RECORDS + [_record("10", "Lovelace, Ada", score=3.0, submission="second.ipynb")]
    with pytest.raises(ValueError, match="student 10 has 2 graded submissions"):
        export(records, "canvas", COLUMN, 22.0)


def test_a_record_without_a_student_id_keeps_its_submission_name_for_matching():
    records = RECORDS + [_record(None, "", score=4.0)]
    rows = _rows(export(records, "canvas", COLUMN, 22.0))
    assert rows[-1] == ["unmatched.ipynb", "", "", "", "", "4"]  # last, for Canvas's "unknown students"


def test_empty_class_has_headers_only():
    assert export([], "canvas", COLUMN, 22.0) == (
        "Student,ID,SIS User ID,SIS Login ID,Section,Depth (31415)\n    Points Possible,,,,,22\n"
    )
    assert export([], "gradescope", "Score", 22.0) == "Name,SID,Email,Score\n"
