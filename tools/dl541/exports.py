"""Gradebook exports: the class's scores as CSV for Canvas, for Gradescope, or as a plain table.

`export(records, fmt, column, max_score)` -> CSV text; `fmt` is one of `FORMATS`.

canvas
    The layout of Canvas's own gradebook export, which its gradebook import (Grades > Import)
    reads back::

        Student,ID,SIS User ID,SIS Login ID,Section,<column>
            Points Possible,,,,,<max_score>
        "Lovelace, Ada",4711,,,,17

    What Canvas's importer (`GradebookImporter` in canvas-lms) requires and does:
    - the header's first cell contains "Student" and its second "ID"; the student columns end
      with one containing "Section" (here `Student, ID, SIS User ID, SIS Login ID, Section`, as
      Canvas exports them); the columns after them are assignments. Canvas drops its read-only
      columns (Current/Final Score, Points, Grade, Override ...) and never reads SIS columns as
      assignments, so an export of Canvas's own file with this column added also imports.
    - a row whose first cell contains "Points Possible" gives each assignment's points possible:
      a new column is created with it, an existing one takes it. Canvas writes that cell with four
      leading spaces ("    Points Possible"), and so does this export.
    - a student row is matched by ID (Canvas's numeric user id: the id in the names of Canvas's
      "Download Submissions" files, which is the record's `student`), else by SIS User ID or
      SIS Login ID, else by name. Student is filled from the record's `name` (the submission's
      name when there is none), and a record without `student` has an empty ID: Canvas lists
      such rows as unknown students in its import preview, where they can be matched by hand.
    - `<column>`: an existing assignment is matched by its id when the header is
      `Assignment Name (assignment_id)` (the form Canvas exports; the id decides, not the name),
      else by its exact title; any other header creates a new assignment of that name.
    - Canvas shows every change in a preview before it saves anything.

gradescope
    ``Name,SID,Email,<column>``: the student fields of Gradescope's roster (Name, Email, SID;
    Gradescope matches students by email or SID) and one score column headed by the assignment's
    name, as in Gradescope's own grade export. Email is left empty: records do not carry it, and
    Gradescope then matches by SID. Gradescope publishes no specification of a score import; pass
    the header it asks for as `column` (for example "Score").

csv
    ``student,name,status,score,max_score,detail``: every record, for the instructor.

Statuses: `missing` (no submission from a student on the roster) exports an EMPTY score to Canvas
and Gradescope, not 0: whether a missing submission is a 0 or excused is the instructor's call.
Beware that in Canvas an empty cell leaves an ungraded student ungraded but replaces a score
already entered by hand (the preview lists it). Every other status exports the score it got:
`invalid`, `tampered` and `duplicate` score 0; `error`, `timeout`, ... keep the marks of the
tests that finished. A `duplicate` record is left out of the Canvas and Gradescope files when
its student has another record; two other records for one student are an error (which one
counts is the instructor's decision). Rows are sorted by student id (numerically when it is a
number), the plain csv keeping every record.
"""

from __future__ import annotations

import csv
import io

from .records import Record
from .status import Status

FORMATS = ("canvas", "gradescope", "csv")
CANVAS_STUDENT_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
#: The first cell of Canvas's points-possible row, spelled as Canvas exports it.
CANVAS_POINTS_POSSIBLE = "    Points Possible"
GRADESCOPE_STUDENT_COLUMNS = ["Name", "SID", "Email"]
CSV_COLUMNS = ["student", "name", "status", "score", "max_score", "detail"]
#: No submission arrived: exported as an empty score, never as 0.
MISSING = Status.MISSING
DUPLICATE = Status.DUPLICATE


def export(records: list[Record], fmt: str, column: str, max_score: float) -> str:
    """The CSV text of `records` in `fmt` (one of FORMATS); `column` names the assignment's column."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt != "csv" and not str(column).strip():
        raise ValueError("the assignment's column name is empty")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if fmt == "canvas":
        writer.writerow([*CANVAS_STUDENT_COLUMNS, column])
        writer.writerow([CANVAS_POINTS_POSSIBLE, "", "", "", "", _num(max_score)])
        for rec in _one_per_student(records):
            writer.writerow([_name(rec), _student(rec), "", "", "", _score(rec)])
    elif fmt == "gradescope":
        writer.writerow([*GRADESCOPE_STUDENT_COLUMNS, column])
        for rec in _one_per_student(records):
            writer.writerow([_name(rec), _student(rec), "", _score(rec)])
    else:
        writer.writerow(CSV_COLUMNS)
        for rec in sorted(records, key=_order):
            writer.writerow(
                [
                    _student(rec),
                    rec.name,
                    rec.status.value,
                    _score(rec),
                    _num(rec.max_score),
                    " ".join(rec.detail.split()),
                ]
            )
    return buf.getvalue()


def _one_per_student(records: list[Record]) -> list[Record]:
    """The record that counts for each student, in order; ValueError when that is ambiguous."""
    by_student: dict[str, list[Record]] = {}
    rows = []
    for rec in records:
        sid = _student(rec)
        if sid:
            by_student.setdefault(sid, []).append(rec)
        else:
            rows.append(rec)  # not matched to a student: its own row, for the instructor to match
    for sid, recs in by_student.items():
        if len(recs) > 1:
            recs = [r for r in recs if r.status != DUPLICATE] or recs[:1]
        if len(recs) > 1:
            names = ", ".join(r.submission for r in recs)
            raise ValueError(f"student {sid} has {len(recs)} graded submissions ({names}); keep one")
        rows.append(recs[0])
    return sorted(rows, key=_order)


def _order(rec: Record) -> tuple:
    sid = _student(rec)
    return (sid == "", (0, int(sid), "") if sid.isdigit() else (1, 0, sid), rec.submission)


def _student(rec: Record) -> str:
    return rec.student.strip()


def _name(rec: Record) -> str:
    return rec.name or ("" if _student(rec) else rec.submission)


def _score(rec: Record) -> str:
    return "" if rec.status == MISSING else _num(rec.score)


def _num(value: float) -> str:
    return f"{float(value):.4f}".rstrip("0").rstrip(".")
