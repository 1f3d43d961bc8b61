"""Sample submissions made from an assignment's built notebooks: right, empty and broken ones."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .assignment import Assignment
from .source_spans import definitions, statement_spans

#: What each sample should get: "full", "zero" or "less" (some marks, not all).
EXPECTED = {
    "reference.ipynb": "full",
    "reference.py": "full",
    "reference-export.zip": "full",
    "skeleton.ipynb": "zero",
    "syntax-error.ipynb": "less",
    "missing-name.py": "less",
    "raises.ipynb": "less",
    "not-a-notebook.ipynb": "zero",
}


@dataclass(frozen=True)
class Sample:
    path: Path
    expect: str


def write_samples(assignment: Assignment, solution_nb: Path, student_nb: Path, out: Path) -> list[Sample]:
    """Write the sample submissions of `assignment` into `out` (as NAME-KIND files) and return them
    with their expectations."""
    out.mkdir(parents=True, exist_ok=True)
    solution = json.loads(solution_nb.read_text())
    reference_py = assignment.reference.read_text()

    files: dict[str, str | bytes] = {
        "reference.ipynb": solution_nb.read_text(),
        "reference.py": reference_py,
        "skeleton.ipynb": student_nb.read_text(),
        "not-a-notebook.ipynb": '{"cells": [ this is not JSON',
    }
    code_cells = [
        i
        for i, c in enumerate(solution["cells"])
        if c["cell_type"] == "code" and "def " in "".join(c["source"])
    ]
    broken = json.loads(json.dumps(solution))
    first = broken["cells"][code_cells[0]]
    first["source"] = "".join(first["source"]).replace("def ", "def (", 1)
    files["syntax-error.ipynb"] = json.dumps(broken, indent=1)

    raising = json.loads(json.dumps(solution))
    last = raising["cells"][code_cells[-1]]
    last["source"] = "raise RuntimeError('unfinished work')\n" + "".join(last["source"])
    files["raises.ipynb"] = json.dumps(raising, indent=1)

    files["missing-name.py"] = _drop_last_function(reference_py)

    written = []
    for filename, content in files.items():
        target = out / f"{assignment.name}-{filename}"
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
        written.append(Sample(target, EXPECTED[filename]))
    export = out / f"{assignment.name}-reference-export.zip"
    with zipfile.ZipFile(export, "w") as zf:
        zf.writestr(assignment.notebook_name, solution_nb.read_text())
    written.append(Sample(export, EXPECTED["reference-export.zip"]))
    return sorted(written, key=lambda s: s.path.name)


def _drop_last_function(source: str) -> str:
    last, _ = definitions(statement_spans(source))[-1]
    lines = source.splitlines()
    kept = lines[: last.start - 1] + lines[last.end :]
    return "\n".join(kept) + "\n"
