"""Feedback to each student (feedback.md, feedback.html) from real records of the depth samples."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dl541 import feedback
from dl541.feedback import write_all_feedback, write_feedback
from dl541.grader import grade_batch
from dl541.settings import Options
from dl541.status import Status

#: Every element a feedback page may hold: no script, link, image, form or frame.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "h4", "p", "strong",
    "table", "caption", "thead", "tbody", "tr", "th", "td", "pre", "code", "ul", "li",
}  # fmt: skip
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)></pre></code>```'


@pytest.fixture(scope="module")
def graded(depth_ag, depth_samples, tmp_path_factory) -> tuple[Path, dict[str, dict]]:
    """The depth samples graded once: the output folder and each record by sample name."""
    out = tmp_path_factory.mktemp("feedback-graded")
    records = grade_batch(depth_ag, list(depth_samples.values()), out, Options(jobs=2))
    return out, {r.submission.removeprefix("depth-"): r for r in records}


@pytest.fixture(scope="module")
def maxima(depth_ag) -> dict[str, float]:
    return {tf.name: float(tf.possible) for tf in depth_ag.test_files}


def _write(folder: Path, record: dict, maxima, visibility="after_due_date", output="", **kw):
    folder.mkdir(parents=True, exist_ok=True)
    write_feedback(folder, record, output, maxima, visibility, assignment_title="Depth", **kw)
    return (folder / "feedback.md").read_text(encoding="utf-8"), (folder / "feedback.html").read_text(
        encoding="utf-8"
    )


def _hidden_failure(record: dict) -> dict:
    """A failing hidden case whose message carries hypothesis's counter-example."""
    return next(c for c in record.cases if c.hidden and "Failing test case" in c.message)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs += attrs


def _tags(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def _markdown_prose(md: str) -> str:
    """The Markdown outside its fenced code blocks (each fence closes on the same fence)."""
    return re.sub(r"^(`{3,})text\n.*?\n\1$", "", md, flags=re.S | re.M)


def test_failing_submission_shows_public_failures_and_only_hidden_points(graded, maxima, tmp_path):
    record = graded[1]["skeleton.ipynb"]
    md, page = _write(tmp_path, record, maxima)
    hidden = _hidden_failure(record)
    for text in (md, page):
        assert "Feedback on Depth" in text
        assert "0 / 22" in text
        assert "Lecture examples (1 point, public test)" in text  # q1's public test, humanised
        assert "NotImplementedError: count_weights is not written yet (Question 1)" in text  # its message
        assert "Hidden tests: 0 of 2 points." in text  # q1: the hidden tests' points only
        assert "appear after the due date" in text
        # nothing of a hidden test: not its name, message or counter-example
        assert feedback._humanise(hidden.test) not in text
        assert "Failing test case" not in text
        assert "hidden test)" not in text
    assert "| q1 | 0 | 3 | 0 of 2 points |" in md


@pytest.mark.parametrize(
    ("visibility", "reveal", "shown", "when"),
    [
        ("after_due_date", False, False, "appear after the due date"),
        ("after_due_date", True, True, None),
        ("after_published", False, False, "appear when grades are published"),
        ("after_published", True, True, None),
        ("hidden", False, False, "are not shown"),
        ("hidden", True, False, "are not shown"),  # never revealed
        ("visible", False, True, None),
    ],
)
def test_hidden_tests_follow_the_visibility(graded, maxima, tmp_path, visibility, reveal, shown, when):
    record = graded[1]["skeleton.ipynb"]
    hidden = _hidden_failure(record)
    md, page = _write(tmp_path, record, maxima, visibility, reveal=reveal)
    for text in (md, page):
        assert (feedback._humanise(hidden.test) in text) is shown
        assert ("Failing test case" in text) is shown  # the counter-example
        assert ("Hidden tests: 0 of 2 points." in text) is not shown
        if when:
            assert when in text
    if shown:
        assert "hidden test)" in md
        assert "| Hidden tests |" not in md  # the table has no hidden column when they are shown


def test_revealed_counter_example_is_preformatted(graded, maxima, tmp_path):
    record = graded[1]["skeleton.ipynb"]
    md, page = _write(tmp_path, record, maxima, "after_due_date", reveal=True)
    example = feedback._message(_hidden_failure(record).message)
    assert example.startswith("Error at line") and "Failing test case: check(" in example
    assert f"```text\n{example}\n```" in md
    assert "<pre aria-label=" in page and "Failing test case: check(\n" in page


def test_full_marks(graded, maxima, tmp_path):
    md, page = _write(tmp_path, graded[1]["reference.ipynb"], maxima)
    for text in (md, page):
        assert "22 / 22" in text
        assert "Every test passed." in text
        assert "What to fix" not in text
        assert "Your notebook ran to the end." in text
        assert "What your submission printed" in text and "Nothing." in text


def test_an_error_is_said_plainly(graded, maxima, tmp_path):
    record = graded[1]["raises.ipynb"]
    assert record.status == "error"
    md, page = _write(tmp_path, record, maxima)
    sentence = (
        "Your notebook raised an error in cell 22: RuntimeError: unfinished work; "
        "the questions after it may have lost marks."
    )
    assert sentence in page
    assert sentence in md.replace("\\", "")
    assert "q5: 0 of 5 points" in md


@pytest.mark.parametrize(
    ("status", "detail", "says", "not_said"),
    [
        (
            "timeout",
            "stopped after 600 s (--timeout); finished tests keep their marks",
            "Grading stopped after 600 s, the time limit for a submission.",
            "--timeout",
        ),
        (
            "tampered",
            "torch.allclose was replaced",
            "The submission changed the grading environment, so it received 0",
            "What to fix",
        ),
        ("missing", "", "No submission was received.", "What your submission printed"),
        (
            "duplicate",
            "another submission is already named s1 (/class/other-student.ipynb); rename one",
            "Two submissions arrived under the same name, so this one was not graded",
            "other-student",  # another student's file is not named to this one
        ),
        (
            "exited",
            "the submission ended the interpreter (exit code 3)",
            "Your notebook ended the Python interpreter (exit code 3)",
            "--",
        ),
    ],
)
def test_statuses_in_plain_words(graded, maxima, tmp_path, status, detail, says, not_said):
    record = dataclasses.replace(
        copy.deepcopy(graded[1]["skeleton.ipynb"]), status=Status(status), detail=detail
    )
    md, page = _write(tmp_path, record, maxima, output="printed")
    assert says in page
    assert not_said not in page
    assert f"Status: {status}." in page
    if status == "missing":
        assert "— / 22" in page
        assert "| q1 | — | 3 | — |" in md and "0 of 2 points" not in md
    if status in ("tampered", "missing", "duplicate"):
        assert "Lecture examples" not in page  # no test ran (or its results were voided)


def test_student_name_and_note(graded, maxima, tmp_path):
    record = dataclasses.replace(
        graded[1]["reference.py"], student="4711", name="Ada Lovelace", note="graded late"
    )
    md, page = _write(tmp_path, record, maxima)
    assert "<strong>Student:</strong> Ada Lovelace (4711)" in page
    assert "**Student:** Ada Lovelace (4711)" in md
    assert "graded late" in md and "graded late" in page


def test_untrusted_text_is_escaped(graded, maxima, tmp_path):
    record = copy.deepcopy(graded[1]["raises.ipynb"])
    record.name = record.note = record.detail = HOSTILE
    record.load_errors[0]["message"] = HOSTILE
    index = next(i for i, c in enumerate(record.cases) if not c.passed and not c.hidden)
    message = "❌ Test case failed\n" + HOSTILE + "\n```` more ` backticks"
    record.cases[index] = dataclasses.replace(record.cases[index], message=message)
    output = "ran\n" + HOSTILE + "\x1b[31m\x00\x07red\r\nbar 10%\rbar 100%\n"
    md, page = _write(tmp_path, record, maxima, output=output)

    tags = _tags(page)
    assert tags.tags <= ALLOWED_TAGS, tags.tags - ALLOWED_TAGS
    assert not any(name.startswith("on") or name in ("src", "href") for name, _ in tags.attrs)
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert page.count("&lt;/pre&gt;&lt;/code&gt;") >= 3  # the message, the output, the name...
    assert "\x1b" not in page and "\x00" not in page and "\x07" not in page
    assert "red\nbar 100%" in page  # a progress bar as the terminal left it

    prose = _markdown_prose(md)
    assert "alert" in prose  # the name and the note are in the prose, escaped
    assert re.search(r"(?<!\\)[<>`]", prose) is None  # no live HTML or code span outside fences
    assert "`````text\n" in md  # a fence longer than the longest run of backticks inside
    assert "\x1b" not in md and "\x00" not in md


def test_output_is_capped_at_its_end(graded, maxima, tmp_path):
    output = "START\n" + "x" * 9000 + "\nEND"
    md, page = _write(tmp_path, graded[1]["reference.ipynb"], maxima, output=output)
    for text in (md, page):
        assert "END" in text and "START" not in text
        assert f"Only the last 4,000 of its {len(output):,} characters are shown." in text


def test_html_is_self_contained_and_accessible(graded, maxima, tmp_path):
    _, page = _write(tmp_path, graded[1]["skeleton.ipynb"], maxima)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page and '<meta charset="utf-8">' in page
    assert "<title>Feedback on Depth</title>" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"https?://|<link|<script|\bsrc=|\burl\(|@import", page)
    assert '<th scope="col">Question</th>' in page and '<th scope="row">q1</th>' in page
    assert "<caption>" in page
    levels = [int(n) for n in re.findall(r"<h([1-6])>", page)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:]))  # no skipped level
    page.encode("utf-8")


def test_unknown_visibility_is_refused(graded, maxima, tmp_path):
    with pytest.raises(ValueError, match="after_due_date"):
        write_feedback(tmp_path, graded[1]["reference.ipynb"], "", maxima, "sometimes")


def test_write_all_feedback_regenerates_every_folder(graded, depth_ag, tmp_path):
    out, records = graded
    (out / "not-graded").mkdir(exist_ok=True)  # a folder without grade.json is left alone
    written = write_all_feedback(out, depth_ag)
    assert {p.name for p in written} == {r.submission for r in records.values()}
    assert not (out / "not-graded" / "feedback.html").exists()
    skeleton = out / records["skeleton.ipynb"].submission
    hidden = feedback._humanise(_hidden_failure(records["skeleton.ipynb"]).test)
    assert hidden not in (skeleton / "feedback.html").read_text(encoding="utf-8")
    assert "Feedback on depth" in (skeleton / "feedback.md").read_text(encoding="utf-8")

    write_all_feedback(out, depth_ag, reveal=True, title="Depth, after the due date")
    page = (skeleton / "feedback.html").read_text(encoding="utf-8")
    assert hidden in page and "Feedback on Depth, after the due date" in page
    record = json.loads((skeleton / "grade.json").read_text())
    assert record == records["skeleton.ipynb"].to_json()  # the record itself is not touched
