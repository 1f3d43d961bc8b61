"""Feedback for each student: `feedback.md` and `feedback.html` beside the submission's record.

For the student, from the record and output.txt: the score, the status in plain words, the score
per question, each failing public test with its message and counter-example, and the output's end.
Hidden tests follow the instructor's visibility setting, as on Gradescope: their details appear
when it is "visible", or with `reveal` (after the due date; never when it is "hidden"); otherwise
each question says only how many hidden points were earned, and when the details appear.
Everything from the submission is untrusted: the HTML escapes it (and its Content-Security-Policy
forbids scripts besides), the Markdown puts it in code blocks or backslash-escapes it.
"""

from __future__ import annotations

import html
import re
from collections import namedtuple
from pathlib import Path

from .bundle import VISIBILITIES
from .protocol import reason
from .records import CaseResult, Record
from .report import OUTPUT, atomic_write, read_record
from .status import Status

MARKDOWN = "feedback.md"
HTML = "feedback.html"
#: How much of what the submission printed is shown: its end, where the last error usually is.
OUTPUT_TAIL = 4000
#: How much of one test's message is shown.
MESSAGE_CAP = 4000

#: When hidden tests' details appear, for each visibility that does not show them now.
_WHEN = {"hidden": "are not shown", "after_due_date": "appear after the due date"}
_WHEN["after_published"] = "appear when grades are published"
#: Statuses for which no test's result means anything: the tests did not run, or were voided.
_NOTHING_RAN = {Status.INVALID, Status.DUPLICATE, Status.MISSING, Status.TAMPERED}
_LATER = "Tests that finished keep their marks; the rest earned nothing."
#: What each status means, for the student ({kind}: notebook or script; {detail}: why).
_SAY = {
    Status.OK: "Your {kind} ran to the end.",
    Status.MISSING: "No submission was received.",
    Status.INVALID: "Your submission could not be read, so no test ran: {detail}.",
    # a duplicate's detail names another student's file: not for this student
    Status.DUPLICATE: "Two submissions arrived under the same name, so this one was not graded; "
    "ask your instructor.",
    Status.TAMPERED: "The submission changed the grading environment, so it received 0 ({detail}).",
    Status.MEMORY: "Your {kind} ran out of memory ({detail}). " + _LATER,
    Status.CRASHED: "The Python process grading your {kind} was killed ({detail}). " + _LATER,
    Status.EXITED: "Your {kind} ended the Python interpreter ({detail}): remove calls to exit(), "
    "sys.exit() or os._exit(). " + _LATER,
    Status.TIMEOUT: "Grading stopped: {detail}. " + _LATER,
}


# -- the document: a few kinds of block, rendered to Markdown and to HTML --------------------------
Heading = namedtuple("Heading", "level text")
Para = namedtuple("Para", "text lead css", defaults=("", ""))  # lead: bold before the text
Items = namedtuple("Items", "items")
Pre = namedtuple("Pre", "text label", defaults=("",))
Table = namedtuple("Table", "caption header rows lost")  # lost: per row, whether it lost marks


# -- the public functions -----------------------------------------------------------------------------
def write_feedback(
    folder: Path,
    record: Record,
    output: str,
    max_score_per_question: dict[str, float],
    visibility: str,
    reveal: bool = False,
    assignment_title: str = "",
) -> None:
    """Write feedback.md and feedback.html for one graded submission into `folder`.

    `visibility` is the autograder's hidden-test visibility (`Autograder.hidden_visibility`);
    `reveal` shows hidden tests' details too (after the due date), unless it is "hidden".
    """
    if visibility not in VISIBILITIES:
        raise ValueError(f"visibility {visibility!r} is not one of {', '.join(VISIBILITIES)}")
    blocks = _document(record, output, max_score_per_question, visibility, reveal, assignment_title)
    folder = Path(folder)
    atomic_write(folder / MARKDOWN, _markdown(blocks))
    atomic_write(folder / HTML, _html(blocks, _title(record, assignment_title)))


def write_all_feedback(out_dir: Path, ag, reveal: bool = False, title: str = "") -> list[Path]:
    """(Re)write the feedback of every graded submission in `out_dir` (a `dl541 grade --out` folder).

    Reads each folder's grade.json and output.txt; `reveal=True` after the due date shows hidden
    tests' details (unless the autograder's visibility is "hidden"). Returns the folders written.
    """
    out_dir = Path(out_dir)
    maxima = ag.question_points
    title = title or (ag.assignment or "")
    written = []
    for folder in sorted(p for p in out_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if (record := read_record(out_dir, folder.name)) is None:
            continue
        printed = folder / OUTPUT
        output = printed.read_text(encoding="utf-8", errors="replace") if printed.is_file() else ""
        write_feedback(folder, record, output, maxima, ag.hidden_visibility, reveal, title)
        written.append(folder)
    return written


# -- what the feedback says ---------------------------------------------------------------------------
def _document(
    record: Record, output: str, maxima: dict[str, float], visibility: str, reveal: bool, title: str
) -> list:
    status = record.status
    show_hidden = visibility == "visible" or (reveal and visibility != "hidden")
    questions = list(maxima) + [q for q in record.questions if q not in maxima]
    cases = record.cases
    blocks: list = [Heading(1, _title(record, title))]

    who = _clean(record.name).strip()
    sid = _clean(record.student).strip()
    if who or sid:
        blocks.append(Para(f"{who} ({sid})" if who and sid else who or sid, lead="Student:"))
    if record.submission and status != Status.MISSING:
        blocks.append(Para(_clean(record.submission), lead="Submission:"))
    total = float(record.max_score or sum(maxima.values()))
    score = "—" if status == Status.MISSING else _num(record.score)
    blocks.append(Para(f"{score} / {_num(total)}", lead="Score:", css="score"))
    css = "status " + ("good" if status == Status.OK else "bad")
    blocks.append(Para(_status_sentence(record), lead=f"Status: {status}.", css=css))
    errors = record.load_errors
    if errors and not (status == Status.ERROR and len(errors) == 1):
        blocks.append(Para("Your code raised these errors (each stopped only its own cell or line):"))
        blocks.append(Items([_error_text(e, _kind_of_file(record)) for e in errors]))
    if record.note:
        blocks.append(Para(_clean(record.note), lead="Note:"))

    blocks.append(Heading(2, "Score per question"))
    header = ["Question", "Score", "Out of"] + ([] if show_hidden else ["Hidden tests"])
    rows, lost = [], []
    for q in questions:
        got = record.questions.get(q, 0.0)
        most = float(maxima.get(q, got))
        row = [q, "—" if status == Status.MISSING else _num(got), _num(most)]
        if not show_hidden:
            row.append("—" if status == Status.MISSING else _hidden_summary(cases, q) or "none")
        rows.append(row)
        lost.append(status != Status.MISSING and got < most - 1e-9)
    blocks.append(Table("Points per question", header, rows, lost))

    if status in _NOTHING_RAN:
        return blocks + _output_blocks(output, status)
    failing = [
        q
        for q in questions
        if any(not c.passed and (show_hidden or not c.hidden) for c in _of(cases, q))
        or (not show_hidden and _hidden_lost(cases, q))
    ]
    if not failing:
        return blocks + [Heading(2, "Tests"), Para("Every test passed.")] + _output_blocks(output, status)
    blocks.append(Heading(2, "What to fix"))
    if not show_hidden and any(_hidden_lost(cases, q) for q in questions):
        when = f"Hidden tests: their names, messages and counter-examples {_WHEN[visibility]}; "
        blocks.append(Para(when + "until then you see only how many of their points you earned."))
    for q in failing:
        got = record.questions.get(q, 0.0)
        blocks.append(Heading(3, f"{q}: {_num(got)} of {_num(float(maxima.get(q, got)))} points"))
        for case in _of(cases, q):
            if case.passed or (case.hidden and not show_hidden):
                continue
            kind = "hidden test" if case.hidden else "public test"
            heading = f"{_humanise(case.test)} ({_points(case.points)}, {kind})"
            blocks.append(Heading(4, heading))
            blocks.append(Pre(_message(case.message), label=f"Why {case.case} failed"))
        if not show_hidden and _hidden_points(cases, q)[1]:
            blocks.append(Para(f"Hidden tests: {_hidden_summary(cases, q)}."))
    return blocks + _output_blocks(output, status)


def _title(record: Record, title: str) -> str:
    title = _clean(title).strip()
    return f"Feedback on {title}" if title else "Feedback on your submission"


def _status_sentence(record: Record) -> str:
    status, kind = record.status, _kind_of_file(record)
    detail = _plain_detail(record.detail)
    errors = record.load_errors
    if status == Status.ERROR and len(errors) == 1:
        where = _error_text(errors[0], kind)
        return f"Your {kind} raised an error {where}; the questions after it may have lost marks."
    if status == Status.ERROR:
        what = f"errors in {len(errors)} places (listed below)" if errors else f"an error: {detail}"
        after = "them" if errors else "it"
        return f"Your {kind} raised {what}; the questions after {after} may have lost marks."
    whole = re.match(r"stopped after ([\d.]+) s\b[;,]?\s*(.*)", detail)
    if status == Status.TIMEOUT and whole:
        rest = f" ({whole.group(2)})" if whole.group(2) else ""
        return f"Grading stopped after {whole.group(1)} s, the time limit for a submission{rest}. {_LATER}"
    return _SAY[status].format(kind=kind, detail=detail) if status in _SAY else detail or str(status)


def _kind_of_file(record: Record) -> str:
    return "script" if record.file.endswith(".py") else "notebook"


def _error_text(error: dict, kind: str) -> str:
    where = _clean(str(error.get("where", ""))).strip()
    place = {"": f"in your {kind}", "script": "in your script"}.get(where, f"in {where}")
    place = re.sub(r"^in script line (\d+)$", r"at line \1", place)
    parts = (_clean(str(error.get("kind", ""))), _clean(str(error.get("message", ""))))
    text = ": ".join(part for part in parts if part)
    return f"{place}: {_one_line(text)}" if text else place


#: The grader's words for the instructor, shortened where the sentence around them says it already.
_PLAINER = [
    (r"the submission ended the interpreter \(([^)]*)\)", r"\1"),
    (r"the submission ran out of memory \(([^)]*)\)", r"\1"),
    (r"the interpreter was killed by (\w+)", r"by \1"),
    (r"\b(\w+): \1:", r"\1:"),
    (r"\b(cell|test) ran past ([\d.]+) s\b", r"\1 ran past \2 s, the limit for one cell or test"),
]


def _plain_detail(detail: str) -> str:
    """The record's detail for a student: the command-line flags named in it left out."""
    detail = re.sub(r"\s*\(--[a-z-]+\)", "", _clean(detail))
    detail = detail.replace("; finished tests keep their marks", "")
    for said, plain in _PLAINER:
        detail = re.sub(said, plain, detail)
    return _one_line(detail).rstrip(".") or "no detail was recorded"


def _of(cases: list[CaseResult], question: str) -> list[CaseResult]:
    return [c for c in cases if c.question == question]


def _hidden_points(cases: list[CaseResult], question: str) -> tuple[float, float]:
    hidden = [c for c in _of(cases, question) if c.hidden]
    return sum(c.points for c in hidden if c.passed), sum(c.points for c in hidden)


def _hidden_lost(cases: list[CaseResult], question: str) -> bool:
    return _hidden_points(cases, question)[0] < _hidden_points(cases, question)[1] - 1e-9


def _hidden_summary(cases: list[CaseResult], question: str) -> str:
    got, most = _hidden_points(cases, question)
    return f"{_num(got)} of {_num(most)} points" if most else ""


def _output_blocks(output: str, status: Status | str) -> list:
    if status == Status.MISSING:
        return []
    text = _clean(output)
    blocks: list = [Heading(2, "What your submission printed")]
    if not text.strip():
        return blocks + [Para("Nothing.")]
    if len(text) > OUTPUT_TAIL:
        blocks.append(Para(f"Only the last {OUTPUT_TAIL:,} of its {len(text):,} characters are shown."))
        text = "…" + text[-OUTPUT_TAIL:]
    return blocks + [Pre(text, label="What your submission printed")]


def _message(message: str) -> str:
    text = _clean(reason(str(message))).removeprefix("❌ ").strip("\n")
    return (text[:MESSAGE_CAP] + "\n… [cut]" if len(text) > MESSAGE_CAP else text) or "(no message)"


# -- text helpers -----------------------------------------------------------------------------------
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """Untrusted text made printable: UTF-8, no terminal escapes or controls, \r as a terminal shows it."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = _ANSI.sub("", text).replace("\r\n", "\n")
    text = "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))
    return _CONTROL.sub("", text)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _points(value: float) -> str:
    return f"{_num(float(value))} point" + ("" if float(value) == 1 else "s")


def _humanise(name: str) -> str:
    """`random_layer_lists` -> "Random layer lists"."""
    words = _one_line(_clean(name).replace("_", " "))
    return words[:1].upper() + words[1:]


# -- Markdown -----------------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")


def _md(text: str) -> str:
    """Inline text for Markdown: one line, every character that could start markup escaped."""
    return _MD_SPECIAL.sub(r"\\\1", _one_line(text))


def _fence(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _markdown(blocks: list) -> str:
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {_md(block.text)}")
        elif isinstance(block, Para):
            lead = f"**{_md(block.lead)}** " if block.lead else ""
            out.append(lead + _md(block.text))
        elif isinstance(block, Items):
            out.append("\n".join(f"- {_md(item)}" for item in block.items))
        elif isinstance(block, Pre):
            fence = _fence(block.text)
            out.append(f"{fence}text\n{block.text}\n{fence}")
        elif isinstance(block, Table):
            lines = ["| " + " | ".join(_md(h) for h in block.header) + " |"]
            lines.append("|" + "|".join([" --- "] + [" ---: "] * (len(block.header) - 1)) + "|")
            lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in block.rows]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


# -- HTML ---------------------------------------------------------------------------------------------
_CSS = """
body { margin: 0; background: #fff; color: #1f2328; font: 16px/1.55 system-ui, "Segoe UI", sans-serif; }
main { max-width: 50rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; } p { margin: .35rem 0; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; } h3 { font-size: 1.08rem; margin: 1.4rem 0 .4rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 1px solid #d0d7de; }
h4 { font-size: 1rem; font-weight: 600; margin: 1rem 0 .3rem; } .score { font-size: 1.3rem; }
.status { border-left: .35rem solid; padding: .55rem .8rem; margin: .8rem 0; border-radius: .2rem; }
.status.good { border-color: #1a7f37; background: #dafbe1; }
.status.bad { border-color: #cf222e; background: #ffebe9; }
table { border-collapse: collapse; margin: .5rem 0; min-width: 22rem; }
caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
th, td { border: 1px solid #d0d7de; padding: .35rem .75rem; text-align: right; }
th:first-child, td:first-child { text-align: left; } thead th { background: #f0f3f6; }
tr.lost td:nth-child(2) { color: #a40e26; font-weight: 600; }
ul { margin: .3rem 0 .6rem; padding-left: 1.4rem; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: .3rem; padding: .7rem .9rem;
  margin: .3rem 0 .8rem; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere;
  font: .87rem/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
"""


#: No scripts, images, fonts or connections: only the inline style. A second guard after escaping.
_CSP = "default-src 'none'; style-src 'unsafe-inline'"


_h = html.escape  # quotes too


def _html(blocks: list, title: str) -> str:
    body = []
    for block in blocks:
        if isinstance(block, Heading):
            body.append(f"<h{block.level}>{_h(_one_line(block.text))}</h{block.level}>")
        elif isinstance(block, Para):
            css = f' class="{block.css}"' if block.css else ""
            lead = f"<strong>{_h(block.lead)}</strong> " if block.lead else ""
            body.append(f"<p{css}>{lead}{_h(_one_line(block.text))}</p>")
        elif isinstance(block, Items):
            body.append("<ul>" + "".join(f"<li>{_h(_one_line(i))}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Pre):
            label = f' aria-label="{_h(block.label)}"' if block.label else ""
            body.append(f"<pre{label}><code>{_h(block.text)}</code></pre>")
        elif isinstance(block, Table):
            head = "".join(f'<th scope="col">{_h(h)}</th>' for h in block.header)
            rows = []
            for i, row in enumerate(block.rows):
                css = ' class="lost"' if i < len(block.lost) and block.lost[i] else ""
                cells = f'<th scope="row">{_h(row[0])}</th>' + "".join(f"<td>{_h(c)}</td>" for c in row[1:])
                rows.append(f"<tr{css}>{cells}</tr>")
            body.append(
                f"<table><caption>{_h(block.caption)}</caption><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>"
            )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        f"<title>{_h(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )
