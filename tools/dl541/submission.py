"""Read a submission (.ipynb, .py or Otter export .zip) into the code chunks the grader runs."""

from __future__ import annotations

import ast
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .notebook_builder import DEMO_MARKER, DEMO_TAG
from .source_spans import statement_spans

SUFFIXES = (".ipynb", ".py", ".zip")


class InvalidSubmission(ValueError):
    """The file cannot be graded at all (wrong type, unreadable, no code)."""


@dataclass(frozen=True)
class Chunk:
    label: str
    source: str


def read_chunks(path: Path, assignment: str | None = None) -> list[Chunk]:
    """The code chunks of a submission, in run order; InvalidSubmission says why it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidSubmission(f"{path.name}: a submission is a .ipynb, .py or .zip, not '{suffix}'")
    data = path.read_bytes()
    if suffix == ".zip":
        name, data = _from_zip(path.name, data, assignment)
        suffix = Path(name).suffix.lower()
    if suffix == ".py":
        return script_chunks(_decode(path.name, data))
    return _notebook_chunks(path.name, data)


def _decode(label: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidSubmission(f"{label}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _from_zip(label: str, data: bytes, assignment: str | None) -> tuple[str, bytes]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InvalidSubmission(f"{label}: not a readable zip file") from None
    with zf:
        names = [
            n
            for n in zf.namelist()
            if not n.startswith("__MACOSX/") and not n.endswith("/") and "/." not in f"/{n}"
        ]
        for suffix in (".ipynb", ".py"):
            found = [n for n in names if n.lower().endswith(suffix) and "/tests/" not in f"/{n}"]
            found = [n for n in found if Path(n).name != "dl541_testing.py"]
            if len(found) > 1 and assignment:
                found = [n for n in found if Path(n).stem == assignment] or found
            if len(found) == 1:
                return found[0], zf.read(found[0])
            if len(found) > 1:
                raise InvalidSubmission(f"{label}: the zip holds several {suffix} files: {found}")
    raise InvalidSubmission(f"{label}: the zip holds no notebook (.ipynb) or .py file")


def script_chunks(source: str) -> list[Chunk]:
    """A script as one chunk per top-level statement, so one hanging or crashing line costs only itself.

    A script that does not parse stays one chunk, whose syntax error is then reported.
    """
    try:
        spans = statement_spans(source)
    except SyntaxError:
        return [Chunk("script", source)]
    lines = source.splitlines()
    chunks = [Chunk(f"script line {span.start}", span.text(lines) + "\n") for span in spans]
    return chunks or [Chunk("script", source)]


def _notebook_chunks(label: str, data: bytes) -> list[Chunk]:
    try:
        nb = json.loads(_decode(label, data))
    except json.JSONDecodeError as exc:
        raise InvalidSubmission(
            f"{label}: not a notebook (invalid JSON: {exc.msg} at line {exc.lineno})"
        ) from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise InvalidSubmission(f"{label}: not a notebook (no 'cells' list)")
    chunks = []
    for index, cell in enumerate(nb["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        tags = (cell.get("metadata") or {}).get("tags") or []
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if DEMO_TAG in tags or source.startswith(DEMO_MARKER):  # the marker, in case an editor lost the tag
            continue
        code = strip_notebook_only(source)
        if code.strip():
            chunks.append(Chunk(f"cell {index + 1}", code))
    if not chunks:
        raise InvalidSubmission(f"{label}: the notebook has no code to grade")
    return chunks


def strip_notebook_only(source: str) -> str:
    """Comment out IPython magics and drop Otter calls (`import otter`, `grader.*`) from a cell."""
    lines = [
        f"# (removed for grading) {line}" if line.lstrip().startswith(("%", "!")) else line
        for line in source.splitlines()
    ]
    code = "\n".join(lines)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code  # run as is: the syntax error is reported for this cell
    drop = set()
    for node in tree.body:
        if _is_otter_statement(node):
            drop.update(range(node.lineno, node.end_lineno + 1))
    if not drop:
        return code
    return "\n".join(line for number, line in enumerate(lines, 1) if number not in drop)


def _is_otter_statement(node: ast.stmt) -> bool:
    if isinstance(node, ast.Import):
        return all(alias.name.split(".")[0] == "otter" for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0] == "otter"
    value = node.value if isinstance(node, (ast.Expr, ast.Assign)) else None
    if isinstance(value, ast.Call):
        func = value.func
        root = func
        while isinstance(root, ast.Attribute):
            root = root.value
        return isinstance(root, ast.Name) and root.id in ("grader", "otter")
    return False
