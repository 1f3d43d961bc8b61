"""intake.collect: one entry per student from files, folders, Canvas and Gradescope downloads, a roster."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dl541.intake import Entry, collect, read_roster


def touch(path: Path, text: str = "{}", mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def by_student(entries: list[Entry]) -> dict[str, Entry]:
    found = {e.student: e for e in entries}
    assert len(found) == len(entries), "Entry.student must be unique"
    return found


def reasons(intake, root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): why for p, why in intake.ignored}


def test_folders_are_searched_recursively_and_skipped_files_are_listed_with_why(tmp_path):
    cls = tmp_path / "class"
    deep = touch(cls / "alice" / "work" / "deep" / "depth.ipynb")
    touch(cls / "alice" / ".ipynb_checkpoints" / "depth-checkpoint.ipynb")
    touch(cls / "alice" / "__pycache__" / "helper.cpython-311.pyc")
    touch(cls / "alice" / "report.pdf")
    touch(cls / "__MACOSX" / "alice" / "._depth.ipynb")
    touch(cls / ".git" / "config")
    touch(cls / ".DS_Store")
    touch(cls / "bob" / "sub" / ".hidden.py")
    bob = touch(cls / "bob" / "sub" / "depth.py")
    carol = touch(cls / "carol.ipynb")
    touch(cls / "readme.txt")

    intake = collect([cls])

    assert [(e.student, e.path, e.note) for e in intake.entries] == [
        ("alice", deep, ""),
        ("bob", bob, ""),
        ("carol", carol, ""),
    ]
    assert reasons(intake, cls) == {
        "alice/.ipynb_checkpoints": "checkpoints",
        "alice/__pycache__": "cache",
        "alice/report.pdf": "not a submission type (.pdf)",
        "__MACOSX": "macOS metadata",
        ".git": "hidden folder",
        ".DS_Store": "hidden file",
        "bob/sub/.hidden.py": "hidden file",
        "readme.txt": "not a submission type (.txt)",
    }


def test_a_folder_per_student_is_one_student_whatever_the_depth_and_empty_ones_are_kept(tmp_path):
    cls = tmp_path / "class"
    touch(cls / "s1" / "a" / "b" / "c" / "depth.ipynb")
    touch(cls / "s2" / "depth.zip")
    touch(cls / "s3" / "answers.pdf")
    touch(cls / "s10" / "x" / "depth.py")

    entries = collect([cls]).entries

    # numbers in ids sort by value; a student with nothing gradable comes last, with no file
    assert [(e.student, e.path and e.path.name) for e in entries] == [
        ("s1", "depth.ipynb"),
        ("s2", "depth.zip"),
        ("s10", "depth.py"),
        ("s3", None),
    ]
    assert entries[-1].note == "no .ipynb, .py or .zip in the folder s3"


def test_canvas_bulk_download_names(tmp_path):
    dl = tmp_path / "submissions"
    plain = touch(dl / "smithjohn_1001_5001_depth.ipynb")
    late = touch(dl / "doejane_LATE_1002_5002_depth.ipynb")
    touch(dl / "leeann_1003_5003_depth.ipynb", mtime=2_000_000_000)  # newer on disk, older attempt
    newest = touch(dl / "leeann_1003_5010_depth-1.ipynb", mtime=1_000_000_000)
    no_attempt = touch(dl / "kimbo_1004_my_depth_v2.ipynb")
    underscores = touch(dl / "mary_LATE_1005_5030_final_depth_v3-2.py")
    other = touch(dl / "notes_final.ipynb")  # does not match: a plain file
    upper = touch(dl / "Smith_1006_5040_depth.ipynb")  # Canvas writes the name in lowercase

    intake = collect([dl], assignment="depth")
    found = by_student(intake.entries)

    assert set(found) == {"1001", "1002", "1003", "1004", "1005", "notes_final", "Smith_1006_5040_depth"}
    assert found["1001"] == Entry("1001", "smithjohn", plain, "")
    assert found["1002"] == Entry("1002", "doejane", late, "late")
    assert found["1003"].path == newest and found["1003"].name == "leeann"
    assert found["1003"].note == (
        "2 files: graded the newest notebook leeann_1003_5010_depth-1.ipynb over "
        "leeann_1003_5003_depth.ipynb (by Canvas attempt)"
    )
    assert (
        dl / "leeann_1003_5003_depth.ipynb",
        "older attempt of 1003 (leeann_1003_5010_depth-1.ipynb is graded)",
    ) in (intake.ignored)
    assert found["1004"] == Entry("1004", "kimbo", no_attempt, "")
    assert found["1005"] == Entry("1005", "mary", underscores, "late")
    assert found["notes_final"] == Entry("notes_final", "", other, "")
    assert found["Smith_1006_5040_depth"].path == upper
    assert [e.student for e in intake.entries][:5] == ["1001", "1002", "1003", "1004", "1005"]


def test_canvas_short_form_counts_only_when_clearly_canvas(tmp_path):
    alone = touch(tmp_path / "mine" / "lab_1_solution.py")
    late = touch(tmp_path / "late" / "ann_LATE_7_depth.py")
    found = by_student(collect([alone, late]).entries)
    assert found["lab_1_solution"].path == alone  # no Canvas file beside it: a plain file
    assert found["7"] == Entry("7", "ann", late, "late")


def test_canvas_resubmission_suffix_orders_attempts_without_attachment_id(tmp_path):
    dl = tmp_path / "dl"
    touch(dl / "other_2_900_depth.ipynb")  # a full-form name: this folder is a Canvas download
    touch(dl / "kim_1_depth.ipynb", mtime=2_000_000_000)
    second = touch(dl / "kim_1_depth-1.ipynb", mtime=1_000_000_000)
    assert by_student(collect([dl]).entries)["1"].path == second


def test_a_canvas_download_inside_a_folder_is_not_one_student(tmp_path):
    root = tmp_path / "downloads"
    a = touch(root / "submissions" / "smithjohn_1_10_depth.ipynb")
    b = touch(root / "submissions" / "doejane_2_11_depth.ipynb")
    entries = collect([root]).entries
    assert [(e.student, e.name, e.path) for e in entries] == [("1", "smithjohn", a), ("2", "doejane", b)]


GRADESCOPE_YAML = """\
---
submission_101:
  :submitters:
  - :name: Ada Lovelace
    :sid: '1815'
    :email: ada@example.edu
  :created_at: 2024-02-01 10:00:00.123456000 -08:00
  :score: 10.0
  :status: processed
  :results: !ruby/hash:ActiveSupport::HashWithIndifferentAccess
    score: 10.0
    tests:
    - name: q1
submission_102:
  :submitters:
  - :name: Alan Turing
    :sid: '1912'
    :email: alan@example.edu
  - :name: Grace Hopper
    :sid: '1906'
    :email: grace@example.edu
  :created_at: 2024-02-01 11:00:00.000000000 -08:00
submission_103:
  :submitters:
  - :name: No Sid
    :sid:
    :email: nosid@example.edu
  :created_at: 2024-02-01 12:00:00.000000000 -08:00
submission_104:
  :submitters:
  - :name: Only Pdf
    :sid: '7'
    :email: pdf@example.edu
  :created_at: 2024-02-01 12:00:00.000000000 -08:00
submission_105:
  :submitters:
  - :name: Ada Lovelace
    :sid: '1815'
    :email: ada@example.edu
  :created_at: 2024-02-01 09:00:00.000000000 -08:00
submission_106:
  :submitters:
  - :name: Lost Folder
    :sid: '99'
    :email: lost@example.edu
  :created_at: 2024-02-01 09:00:00.000000000 -08:00
"""


def test_gradescope_export(tmp_path):
    export = tmp_path / "assignment_1_export"
    touch(export / "submission_metadata.yml", GRADESCOPE_YAML)
    ada = touch(export / "submission_101" / "depth.ipynb", mtime=1_000_000_000)
    older = touch(export / "submission_105" / "depth.ipynb", mtime=2_000_000_000)
    group = touch(export / "submission_102" / "work" / "depth.py")
    nosid = touch(export / "submission_103" / "depth.zip")
    touch(export / "submission_104" / "depth.pdf")
    unlisted = touch(export / "submission_200" / "depth.ipynb")

    intake = collect([export])
    found = by_student(intake.entries)

    assert found["1815"].path == ada and found["1815"].name == "Ada Lovelace"
    assert "by Gradescope time" in found["1815"].note
    assert (older, "older attempt of 1815 (submission_101/depth.ipynb is graded)") in intake.ignored
    # a group submission: one entry per submitter, the same file, a note saying so
    assert found["1912"] == Entry("1912", "Alan Turing", group, "group submission (submission_102) with 1906")
    assert found["1906"] == Entry(
        "1906", "Grace Hopper", group, "group submission (submission_102) with 1912"
    )
    assert found["nosid@example.edu"].path == nosid
    assert found["nosid@example.edu"].note == "no SID in Gradescope: id is the email"
    assert found["7"] == Entry("7", "Only Pdf", None, "no .ipynb, .py or .zip in submission_104")
    assert found["99"] == Entry("99", "Lost Folder", None, "Gradescope submission_106: no folder")
    assert found["submission_200"].path == unlisted  # a folder the metadata does not list: a student folder
    assert (export / "submission_metadata.yml", "Gradescope export metadata (read)") in intake.ignored
    assert [e.student for e in intake.entries if e.path is None] == ["7", "99"]


def test_gradescope_export_inside_a_folder_and_files_named_after_the_assignment(tmp_path):
    export = tmp_path / "downloads" / "export"
    touch(export / "submission_metadata.yml", GRADESCOPE_YAML.split("submission_102")[0])
    touch(export / "submission_101" / "scratch.ipynb", mtime=2_000_000_000)
    chosen = touch(export / "submission_101" / "Depth.ipynb", mtime=1_000_000_000)
    found = by_student(collect([tmp_path / "downloads"], assignment="depth").entries)
    assert list(found) == ["1815"]  # not a student called "export"
    assert found["1815"].path == chosen
    assert found["1815"].note == (
        "2 files: graded the notebook submission_101/Depth.ipynb (the assignment's name) over "
        "submission_101/scratch.ipynb"
    )


def test_malformed_gradescope_metadata_is_an_error(tmp_path):
    touch(tmp_path / "export" / "submission_metadata.yml", "submission_1: [unclosed\n")
    with pytest.raises(ValueError, match="submission_metadata.yml"):
        collect([tmp_path / "export"])


def test_a_notebook_is_graded_over_an_export_zip_over_a_py(tmp_path):
    cls = tmp_path / "class"
    touch(cls / "alice" / "depth.py", mtime=3_000_000_000)
    touch(cls / "alice" / "depth.zip", mtime=2_000_000_000)
    notebook = touch(cls / "alice" / "depth.ipynb", mtime=1_000_000_000)
    flat_nb = touch(cls / "s9.ipynb")
    touch(cls / "s9.py")

    intake = collect([cls])
    found = by_student(intake.entries)

    assert found["alice"].path == notebook
    assert found["alice"].note == "3 files: graded the notebook depth.ipynb over depth.zip, depth.py"
    assert found["s9"].path == flat_nb
    assert found["s9"].note == "2 files: graded the notebook s9.ipynb over s9.py"
    assert reasons(intake, cls) == {
        "alice/depth.zip": "not graded for alice: the notebook depth.ipynb is graded over this export zip",
        "alice/depth.py": "not graded for alice: the notebook depth.ipynb is graded over this .py",
        "s9.py": "not graded for s9: the notebook s9.ipynb is graded over this .py",
    }


def test_among_files_of_one_kind_the_newest_is_graded(tmp_path):
    touch(tmp_path / "class" / "bob" / "a.ipynb", mtime=1_000_000_000)
    newest = touch(tmp_path / "class" / "bob" / "b" / "a.ipynb", mtime=2_000_000_000)
    entry = collect([tmp_path / "class"]).entries[0]
    assert entry.path == newest
    assert entry.note == "2 files: graded the newest notebook b/a.ipynb over a.ipynb (by modification time)"


def test_duplicates_are_never_merged(tmp_path):
    cls = tmp_path / "class"
    a = touch(cls / "alice" / "depth.ipynb")
    b = touch(cls / "bob" / "depth.ipynb")
    x = touch(tmp_path / "x" / "depth.ipynb")
    y = touch(tmp_path / "y" / "depth.ipynb")

    intake = collect([cls, x, y, x])  # also `dl541 grade depth class/*`: each file named by its stem
    entries = by_student(intake.entries)

    assert {s: e.path for s, e in entries.items()} == {"alice": a, "bob": b, "depth": x, "depth-2": y}
    assert (
        entries["depth-2"].note == "id 'depth' written as depth-2 (another submission elsewhere has this id)"
    )
    assert (x, "already collected (given twice)") in intake.ignored


def test_student_folders_of_one_name_under_different_folders_stay_two_students(tmp_path):
    # `dl541 grade depth class/*` where each student unzipped a `depth/` folder
    a = touch(tmp_path / "class" / "alice" / "depth" / "depth.ipynb")
    b = touch(tmp_path / "class" / "bob" / "depth" / "depth.ipynb")
    entries = collect([tmp_path / "class" / "alice", tmp_path / "class" / "bob"]).entries
    assert [(e.student, e.path) for e in entries] == [("depth", a), ("depth-2", b)]
    assert entries[1].note == "id 'depth' written as depth-2 (another submission elsewhere has this id)"


def test_student_ids_are_safe_unique_folder_names(tmp_path):
    people = {"1": "a/b", "2": "a_b", "3": ".hidden", "4": "Alice", "5": "alice", "6": " spaced "}
    meta = "".join(
        f"submission_{n}:\n  :submitters:\n  - :name: N{n}\n    :sid: '{sid}'\n" for n, sid in people.items()
    )
    export = tmp_path / "export"
    touch(export / "submission_metadata.yml", meta)
    for n in people:
        touch(export / f"submission_{n}" / "depth.ipynb")

    found = by_student(collect([export]).entries)

    assert {e.name: e.student for e in found.values()} == {
        "N1": "a_b-2",
        "N2": "a_b",
        "N3": "hidden",
        "N4": "Alice",
        "N5": "alice-2",
        "N6": "spaced",
    }
    assert found["a_b-2"].note == "id 'a/b' written as a_b-2 (made safe)"
    assert found["spaced"].note == ""  # ids are stripped


def test_roster_names_missing_students_and_submissions_not_on_it(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "\ufeffemail,Name,ID\n\na@x.edu,Ann Able,s1\n\nb@x.edu,Bob Baker,s2\n", encoding="utf-8"
    )
    cls = tmp_path / "class"
    s1 = touch(cls / "s1" / "depth.ipynb")
    other = touch(cls / "s3.ipynb")

    entries = collect([cls], roster=roster).entries

    assert entries == [
        Entry("s1", "Ann Able", s1, ""),
        Entry("s3", "", other, "not on the roster"),
        Entry("s2", "Bob Baker", None, ""),
    ]


def test_read_roster_accepts_a_bom_blank_lines_and_other_columns(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text('\ufeffid,section,name\n\n 42 ,A,"Doe, Jane"\n7,B,\n\n', encoding="utf-8")
    assert read_roster(roster) == {"42": "Doe, Jane", "7": ""}


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty, needs a header line with columns id and name"),
        ("id,email\n1,a@x\n", "line 1: needs columns id and name"),
        ("id;name\n1;Ann\n", "(separate columns with commas)"),
        ("id,name,id\n", "line 1: needs columns id and name"),
        ("id,name\n1,Ann\n\n2,Bob,extra\n", "line 4: 3 fields, the header has 2"),
        ("name,id\nAnn,1\nBob, \n", "line 3, column 2 (id): empty id"),
        (
            "id,name\n1,Ann\n2,Bob\n1,Ann again\n2,Bo\n",
            "ids given more than once: '1' (lines 2, 4); '2' (lines 3, 5)",
        ),
        ('id,name\n1,"Ann\n', "line 2: unexpected end of data"),
    ],
)
def test_a_malformed_roster_is_an_error_that_names_the_problem(tmp_path, text, message):
    roster = tmp_path / "roster.csv"
    roster.write_text(text)
    with pytest.raises(ValueError) as caught:
        read_roster(roster)
    assert message in str(caught.value) and "roster.csv" in str(caught.value)


def test_a_roster_that_is_not_utf8_names_the_line(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(b"id,name\n1,Ann\n2,Ren\xe9e\n")
    with pytest.raises(ValueError, match=r"line 3: not UTF-8"):
        read_roster(roster)


def test_a_path_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        collect([tmp_path / "nope"])
