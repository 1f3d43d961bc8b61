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
  graded (and the grader still knows when an editor lost the tag).
- `# %%`: ordinary code.
An Otter set-up cell is added first and an export cell last.
"""

from __future__ import annotations

import re
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
    setup = (
        "# Initialize Otter: the public checks below run tests/qN.py\n"
        "import otter\n"
        f'grader = otter.Notebook("{name}.ipynb")'
    )
    first = True
    for cell in parse_source(source_text, origin=source_origin):
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
            pair = [
                nbformat.v4.new_code_cell(skeleton.strip_solutions(code, reference_origin).rstrip("\n")),
                nbformat.v4.new_code_cell(skeleton.without_markers(code, reference_origin).rstrip("\n")),
            ]
        elif cell.kind == "check":
            if len(cell.args) != 1 or cell.args[0] not in points:
                raise ValueError(f"{source_origin}: [check] needs one question of {sorted(points)}")
            pair = [nbformat.v4.new_code_cell(f'grader.check("{cell.args[0]}")')] * 2
        else:
            body = cell.body
            if cell.kind == "demo" and not body.startswith(DEMO_MARKER):
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
