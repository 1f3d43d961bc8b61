"""Build an assignment's notebooks (student and solution) from its percent-format source.

The source (`Assignment.notebook_source`, assignments/NAME/notebook.py) is a sequence of cells,
each opened by a header line:
- `# %% [markdown]`: prose; every line loses its leading `# `. `{points:qN}` becomes qN's
  points, `{points:total}` the assignment's total, and `{rules}` the grading rule (GRADING_RULE),
  which every notebook states once in its opening prose.
- `# %% [reference] NAME ...`: the reference's top-level definitions NAME... (or `__imports__`),
  stripped of their solutions in the student notebook and complete in the solution notebook.
- `# %% [check] qN`: a cell running qN's public tests (`grader.check("qN")`).
- `# %% [demo]`: code the student runs to see the lecture's experiment; every grading path skips
  it. It is tagged DEMO_TAG and opens with DEMO_MARKER, so the student sees which cells are not
  graded (and the grader still knows when an editor lost the tag). Its body runs inside
  `try: ... except NotImplementedError` (`guard_demo`): a function the student has not written
  yet raises NotImplementedError naming itself and its question (`skeleton.strip_solutions`), and
  the demo then prints that in one line and moves on, so a fresh notebook runs top to bottom.
- `# %%`: ordinary code.
An Otter set-up cell is added first and an export cell last.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

import nbformat

from . import skeleton

_HEADER = re.compile(r"^# %%(?:\s*\[(?P<kind>\w+)\](?P<args>.*))?\s*$")
DEMO_TAG = "dl541-demo"
DEMO_MARKER = "# Demo: not run by the grader"
IMPORTS_MARKER = "# Imports: the names every question may use"
# Grading runs every code cell but the demo cells, so a name that a function needs must come from
# the imports cell or the student's own cells (tests/test_notebook_rules.py checks each notebook).
GRADING_RULE = (
    "**How your notebook is graded.** The grader runs your code cells from the top, except the demo\n"
    f"cells: those start with `{DEMO_MARKER}`. So the functions you write may use\n"
    "only the names imported in the imports cell below and those your own cells define, never\n"
    "something that a demo cell imports or defines. It runs your code in one process with one\n"
    "thread: `torch.set_num_threads(...)` and a `DataLoader`'s `num_workers` are fine (it ignores\n"
    "them and loads batches in the main process), but starting a thread or a process (`threading`,\n"
    "`subprocess`, `os.system`, `multiprocessing`) raises an error and fails the tests that reach it."
)
KINDS = ("markdown", "reference", "check", "demo", "code")
# The Otter set-up cell. The export cell's local check runs the notebook in a fresh kernel, and Otter
# re-raises whatever that kernel wrote on stderr as a RuntimeWarning: on a student's machine only
# ipykernel's notice that it talks over local TCP without encryption. The filter hides exactly that
# notice (a message that is nothing else), never another warning.
KERNEL_NOTICE = r"\[IPKernelApp\] WARNING \| Kernel is running over TCP[^\n]*\s*\Z"
SETUP = (
    "# Initialize Otter: the public checks below run tests/qN.py\n"
    "import warnings\n\n"
    "import otter\n\n"
    'grader = otter.Notebook("{name}.ipynb")\n'
    "# The export cell's check starts a kernel that notes it talks over local TCP unencrypted: harmless.\n"
    f'warnings.filterwarnings("ignore", r"{KERNEL_NOTICE}", RuntimeWarning)'
)
DEMO_SKIPPED = (
    "except NotImplementedError as unanswered:  # a function this demo calls is not written yet\n"
    '    print(f"Skipped this demo: {unanswered}. Write it, then run this cell again.")'
)


@dataclass
class SourceCell:
    kind: str
    args: list[str]
    body: str


def parse_source(text: str, origin: str = "notebook.py") -> list[SourceCell]:
    """Split percent-format source into cells; ValueError for an unknown cell kind."""
    cells: list[SourceCell] = []
    current: SourceCell | None = None
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line)
        if match:
            if current is not None:
                current.body = "\n".join(lines).strip("\n")
                cells.append(current)
            kind = match.group("kind") or "code"
            if kind not in KINDS:
                raise ValueError(f"{origin}:{number}: unknown cell kind [{kind}]; use one of {KINDS}")
            current, lines = SourceCell(kind, (match.group("args") or "").split(), ""), []
        elif current is None:
            if line.strip():
                raise ValueError(f"{origin}:{number}: text before the first '# %%' cell header")
        else:
            lines.append(line)
    if current is not None:
        current.body = "\n".join(lines).strip("\n")
        cells.append(current)
    return cells


def _markdown(body: str) -> str:
    out = []
    for line in body.splitlines():
        if line.startswith("# "):
            out.append(line[2:])
        elif line.startswith("#"):
            out.append(line[1:])
        else:
            out.append(line)
    return "\n".join(out)


def _fill_placeholders(text: str, points: dict[str, float]) -> str:
    text = text.replace("{rules}", GRADING_RULE)

    def repl(match: re.Match) -> str:
        key = match.group(1)
        value = sum(points.values()) if key == "total" else points.get(key)
        if value is None:
            raise ValueError(f"{{points:{key}}} names no question; questions: {sorted(points)}")
        return f"{value:g}"

    return re.sub(r"\{points:(\w+)\}", repl, text)


def guard_demo(body: str) -> str:
    """`body` inside `try:` ... `except NotImplementedError`, which prints one line (DEMO_SKIPPED).

    Every line is indented by four spaces except the continuation lines of a multi-line string,
    whose text would change.
    """
    lines = body.splitlines()
    inside_strings: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(body + "\n").readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                inside_strings.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise ValueError(f"a demo cell does not tokenize ({exc}): {body[:60]!r}") from exc
    indented = [
        line if number in inside_strings or not line.strip() else f"    {line}"
        for number, line in enumerate(lines, start=1)
    ]
    return "try:\n" + "\n".join(indented) + "\n" + DEMO_SKIPPED


_QUESTION = re.compile(r"\bQuestion (\d+)\b")


def question_labels(cells: list[SourceCell]) -> dict[int, str]:
    """For each [reference] cell (by index), the question it answers, e.g. "Question 3".

    The question named in the nearest heading above the cell ("## Question 3 — ...", or "(graded
    in Question 4)"), else the first [check] cell after it; no entry when neither says.
    """
    labels: dict[int, str] = {}
    heading: str | None = None
    for index, cell in enumerate(cells):
        if cell.kind == "markdown":
            for line in cell.body.splitlines():
                if re.match(r"#\s*#+\s", line):
                    match = _QUESTION.search(line)
                    heading = f"Question {match.group(1)}" if match else None
        elif cell.kind == "reference" and cell.args[:1] != ["__imports__"]:
            if heading:
                labels[index] = heading
                continue
            following = next((c for c in cells[index + 1 :] if c.kind == "check" and c.args), None)
            if following and re.fullmatch(r"q\d+", following.args[0]):
                labels[index] = f"Question {following.args[0][1:]}"
    return labels


def build_notebooks(
    name: str,
    source_text: str,
    reference_text: str,
    points: dict[str, float],
    source_origin: str = "notebook.py",
    reference_origin: str = "reference.py",
) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """Return (student, solution) notebooks for assignment `name` (the notebooks' file stem).

    `source_origin` and `reference_origin` name the two sources in error messages.
    """
    segments = skeleton.top_level_segments(reference_text)
    student, solution = _new_notebook(), _new_notebook()
    setup = SETUP.replace("{name}", name)
    first = True
    cells = parse_source(source_text, origin=source_origin)
    labels = question_labels(cells)
    for index, cell in enumerate(cells):
        if cell.kind == "markdown":
            pair = [nbformat.v4.new_markdown_cell(_fill_placeholders(_markdown(cell.body), points))] * 2
        elif cell.kind == "reference":
            missing = [n for n in cell.args if n not in segments]
            if missing or not cell.args:
                raise ValueError(
                    f"{source_origin}: [reference] cell names {missing or 'nothing'}; {reference_origin} "
                    f"defines {sorted(k for k in segments if k != '__imports__')}"
                )
            code = "\n\n\n".join(segments[n] for n in cell.args)
            if cell.args[0] == "__imports__":
                code = f"{IMPORTS_MARKER}\n{code}"
            questions = dict.fromkeys(cell.args, labels[index]) if index in labels else None
            pair = [
                nbformat.v4.new_code_cell(
                    skeleton.strip_solutions(code, reference_origin, questions).rstrip("\n")
                ),
                nbformat.v4.new_code_cell(skeleton.without_markers(code, reference_origin).rstrip("\n")),
            ]
        elif cell.kind == "check":
            if len(cell.args) != 1 or cell.args[0] not in points:
                raise ValueError(f"{source_origin}: [check] needs one question of {sorted(points)}")
            pair = [nbformat.v4.new_code_cell(f'grader.check("{cell.args[0]}")')] * 2
        else:
            body = cell.body
            if cell.kind == "demo":
                body = guard_demo(body.removeprefix(DEMO_MARKER).lstrip("\n"))
                body = f"{DEMO_MARKER}\n{body}"
            code_cell = nbformat.v4.new_code_cell(body)
            if cell.kind == "demo":
                code_cell.metadata["tags"] = [DEMO_TAG]
            pair = [code_cell, code_cell]
        for nb, new in zip((student, solution), pair):
            nb.cells.append(nbformat.from_dict(dict(new)))
        if first:
            for nb in (student, solution):
                nb.cells.append(nbformat.v4.new_code_cell(setup))
            first = False
    export = (
        "## Submission\n\nRun every cell from the top, then run the cell below: it checks all "
        f"public tests and writes `{name}_<timestamp>.zip`. Upload that zip (or this notebook)."
    )
    for nb in (student, solution):
        nb.cells.append(nbformat.v4.new_markdown_cell(export))
        nb.cells.append(nbformat.v4.new_code_cell("grader.export(pdf=False, run_tests=True)"))
        for index, cell in enumerate(nb.cells):
            cell["id"] = f"{name}-{index:03d}"
    return student, solution


def _new_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def dumps(nb: nbformat.NotebookNode) -> str:
    """Serialise a notebook byte-for-byte reproducibly."""
    return nbformat.writes(nb) + "\n"
