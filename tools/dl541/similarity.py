"""Similarity of what students wrote: the handout's code subtracted, then fingerprinted by copydetect.

`student_code` keeps only what a student wrote. It reads a submission the way grading does
(`submission.read_chunks`: demo cells and Otter calls gone) and keeps, for each function or class
of the skeleton (the built student notebook), the student's last definition of it with every
statement that the skeleton's version also has removed (the docstring, the `...` placeholder, given
lines), recursively into methods; then the student's own top-level functions and classes (helpers)
and their values of the skeleton's `name = ...` answers. Imports and other top-level statements
(scratch prints, the given cells) are dropped. The graded definitions come in the skeleton's order,
so reordering functions changes nothing.

`compare` fingerprints each student's code with copydetect (pygments tokens, names replaced by one
letter so renaming does not matter, comments and layout ignored; every k-gram of `noise` characters
of that token text) and compares every pair. A pair's `similarity` is the larger of the two
shares of fingerprinted code found in the other (`a_in_b`, `b_in_a`): a student who copied part of
another's work is flagged by the share of their own code that was copied. Code shorter than
`noise` (an untouched skeleton, a trivial line) has no fingerprint and is similar to nothing.
"""

from __future__ import annotations

import ast
import csv
import html
import io
import tempfile
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import numpy as np
from copydetect import CodeFingerprint, compare_files
from copydetect.utils import highlight_overlap

from .assignment import Assignment
from .submission import InvalidSubmission, read_chunks

#: copydetect's default noise threshold: matches shorter than NOISE characters of token text are
#: ignored. Every k-gram is kept (winnowing window 1, copydetect's default guarantee == noise), so
#: every longer match is found, and the result does not depend on Python's hash seed (a larger
#: window picks k-grams by their hash values, which `hash()` randomises per process).
NOISE = 25
#: write_report shows the TOP pairs, and any pair at or above THRESHOLD, side by side.
TOP = 20
THRESHOLD = 0.5

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


# -- what the student wrote ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Stmt:
    """A top-level (or nested) statement and the source text it was parsed from."""

    node: ast.stmt
    source: list[str]  # its chunk's lines


def _parsed(sources: Sequence[str]) -> tuple[list[_Stmt], list[str]]:
    """The statements of each source that parses, and the sources that do not parse."""
    statements, broken = [], []
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            broken.append(source)
            continue
        lines = source.splitlines()
        statements.extend(_Stmt(node, lines) for node in tree.body)
    return statements, broken


def _key(node: ast.AST) -> str:
    """What a statement does, whatever its layout and comments."""
    return ast.dump(node, annotate_fields=False, include_attributes=False)


def _text(stmt: _Stmt) -> str:
    """The statement's source, its decorators included, dedented."""
    node = stmt.node
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    if start == node.end_lineno:  # one line: only this statement, in case several share it
        segment = ast.get_source_segment("\n".join(stmt.source), node)
        if segment is not None:
            return segment
    return textwrap.dedent("\n".join(stmt.source[start - 1 : node.end_lineno]))


def _novel(student: list[_Stmt], given: list[ast.stmt]) -> list[str]:
    """The text of what `student` (a body) adds to `given` (the skeleton's body of the same thing).

    A statement identical to one given is dropped; a definition that the skeleton also has is
    replaced by what its body adds (the last definition of a name wins, as when the code runs).
    """
    given_keys = {_key(node) for node in given}
    given_defs = {node.name: node for node in given if isinstance(node, _DEFS)}
    completed: dict[str, _Stmt] = {}
    own: list[str] = []
    for stmt in student:
        if _key(stmt.node) in given_keys:
            continue
        if isinstance(stmt.node, _DEFS) and stmt.node.name in given_defs:
            completed[stmt.node.name] = stmt
        else:
            own.append(_text(stmt))
    pieces = []
    for name, node in given_defs.items():
        if name in completed:
            body = [_Stmt(child, completed[name].source) for child in completed[name].node.body]
            pieces.extend(_novel(body, node.body))
    return pieces + own


def _top_level(student: list[_Stmt], given: list[ast.stmt]) -> list[tuple[str, list[str]]]:
    """(name, pieces) of each skeleton definition or answer the student completed, in the skeleton's
    order, then the student's own top-level definitions; imports and scratch statements dropped."""
    given_keys = {_key(node) for node in given}
    given_defs = {node.name: node for node in given if isinstance(node, _DEFS)}
    order = [name for node in given for name in ([node.name] if isinstance(node, _DEFS) else _order(node))]
    last: dict[str, _Stmt] = {}
    helpers: dict[str, _Stmt] = {}
    for stmt in student:
        node = stmt.node
        if _key(node) in given_keys:
            continue
        if isinstance(node, _DEFS):
            (last if node.name in given_defs else helpers)[node.name] = stmt
        elif isinstance(node, ast.Assign) and (names := [n for n in _targets(node) if n in order]):
            last[names[0]] = stmt  # an answer, or a graded name bound to something else
    out = []
    for name in dict.fromkeys(order):
        if name not in last:
            continue
        stmt = last[name]
        if isinstance(stmt.node, _DEFS) and name in given_defs:
            body = [_Stmt(child, stmt.source) for child in stmt.node.body]
            out.append((name, _novel(body, given_defs[name].body)))
        else:
            out.append((name, [_text(stmt)]))
    out.extend((name, [_text(stmt)]) for name, stmt in helpers.items())
    return [(name, pieces) for name, pieces in out if pieces]


def _targets(node: ast.Assign) -> list[str]:
    return [t.id for t in node.targets if isinstance(t, ast.Name)]


def _order(node: ast.stmt) -> list[str]:
    return _targets(node) if isinstance(node, ast.Assign) else []


@lru_cache(maxsize=16)
def _skeleton(assignment: Assignment) -> tuple[tuple[ast.stmt, ...], frozenset[str]]:
    """The top-level statements of the handout's code (the student notebook's graded cells), and
    the text of its cells (for submissions whose cells do not parse)."""
    notebook = assignment.committed_notebook
    if notebook.is_file():
        chunks = read_chunks(notebook, assignment.name)
    else:  # not generated here: render it as `dl541 build` does
        from .build import render_notebooks

        with tempfile.TemporaryDirectory() as folder:
            notebook = Path(folder) / assignment.notebook_name
            notebook.write_text(render_notebooks(assignment)[0])
            chunks = read_chunks(notebook, assignment.name)
    statements, _ = _parsed([c.source for c in chunks])
    return tuple(s.node for s in statements), frozenset(c.source.strip() for c in chunks)


def student_code(path: Path, assignment: Assignment) -> str:
    """The code the student wrote in `path` (.ipynb, .py or export .zip), the handout's removed.

    Empty for an untouched skeleton. One `# name` comment heads what was written for each name
    (comments do not count in the comparison). InvalidSubmission when grading could not read it.
    """
    given, given_cells = _skeleton(assignment)
    chunks = read_chunks(Path(path), assignment.name)
    statements, broken = _parsed([c.source for c in chunks])
    parts = [f"# {name}\n" + "\n".join(pieces) for name, pieces in _top_level(statements, list(given))]
    parts += [f"# (does not parse)\n{text.strip()}" for text in broken if text.strip() not in given_cells]
    return "\n\n".join(parts) + "\n" if parts else ""


# -- comparing them ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    """Two submissions: `a_in_b` is the share of a's fingerprinted code also in b (and the reverse);
    the slices are (start, end) character ranges of the matched code in each one's student code."""

    a: str
    b: str
    a_in_b: float
    b_in_a: float
    a_slices: tuple[tuple[int, int], ...] = ()
    b_slices: tuple[tuple[int, int], ...] = ()

    @property
    def similarity(self) -> float:
        """The larger share, in [0, 1]: 1 when one's code is all found in the other's."""
        return max(self.a_in_b, self.b_in_a)


@dataclass
class Report:
    """Every pair of readable submissions, highest similarity first, and what each student wrote."""

    assignment: str
    codes: dict[str, str]  # label -> student_code
    pairs: list[Pair]
    unreadable: dict[str, str] = field(default_factory=dict)  # label -> why grading cannot read it
    blank: list[str] = field(default_factory=list)  # labels whose code is too short to fingerprint
    noise: int = NOISE


def compare(paths: Sequence[Path], assignment: Assignment, *, noise: int = NOISE) -> Report:
    """Compare every pair of `paths`, labelled by file name (by the path given when names clash)."""
    paths = [Path(p) for p in paths]
    names = [p.name for p in paths]
    labels = [p.name if names.count(p.name) == 1 else str(p) for p in paths]
    return compare_students(dict(zip(labels, paths)), assignment, noise=noise)


def compare_students(files: Mapping[str, Path], assignment: Assignment, *, noise: int = NOISE) -> Report:
    """Compare every pair of `files` (label -> submission); unreadable ones are listed, not compared."""
    if noise < 1:
        raise ValueError(f"noise must be at least 1 character, not {noise}")
    codes, unreadable = {}, {}
    for label, path in files.items():
        try:
            codes[label] = student_code(Path(path), assignment)
        except InvalidSubmission as exc:
            unreadable[label] = str(exc)
    prints = {label: _fingerprint(label, code, noise) for label, code in codes.items()}
    pairs = [_pair(a, b, prints[a], prints[b]) for a, b in combinations(codes, 2)]
    pairs.sort(key=lambda p: -p.similarity)  # stable: ties keep the order given
    blank = [label for label, fingerprint in prints.items() if not fingerprint.hashes]
    return Report(assignment.name, codes, pairs, unreadable, blank, noise)


def _fingerprint(label: str, code: str, noise: int) -> CodeFingerprint:
    """copydetect's fingerprint of `code`: k-grams of `noise` characters of its filtered tokens, all
    kept (winnowing window 1). A matched region's marks run on to the next code token, so they take
    in the blank lines and comments right after it."""
    return CodeFingerprint(f"{label}.py", noise, 1, language="python", fp=io.StringIO(code))


def _pair(a: str, b: str, fa: CodeFingerprint, fb: CodeFingerprint) -> Pair:
    if not fa.hashes or not fb.hashes:  # nothing fingerprinted (empty or trivial code): similar to none
        return Pair(a, b, 0.0, 0.0)
    _, (a_in_b, b_in_a), (sa, sb) = compare_files(fa, fb)
    return Pair(a, b, _share(a_in_b), _share(b_in_a), _slices(sa), _slices(sb))


def _share(value) -> float:
    return float(min(max(float(value), 0.0), 1.0))


def _slices(array) -> tuple[tuple[int, int], ...]:
    array = np.asarray(array)
    if array.size == 0:
        return ()
    return tuple((int(s), int(e)) for s, e in zip(array[0], array[1]))


# -- the report ----------------------------------------------------------------------------------


def write_report(report: Report, out_dir: Path, *, top: int = TOP, threshold: float = THRESHOLD) -> None:
    """Write out_dir/similarity.csv (a,b,similarity, every pair, highest first) and
    out_dir/similarity.html (the `top` pairs and any at or above `threshold`, matched code marked)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["a", "b", "similarity"])
    writer.writerows([p.a, p.b, f"{p.similarity:.4f}"] for p in report.pairs)
    _atomic_write(out_dir / "similarity.csv", buffer.getvalue())
    shown = [
        p for i, p in enumerate(report.pairs) if (i < top and p.similarity > 0) or p.similarity >= threshold
    ]
    _atomic_write(out_dir / "similarity.html", _html(report, shown, threshold))


def _atomic_write(path: Path, text: str) -> None:
    scratch = path.with_name(f".{path.name}.part")
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(path)


_CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 2em; }
table.pairs { border-collapse: collapse; }
table.pairs td, table.pairs th { padding: 2px 10px; border-bottom: 1px solid #ddd; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.flag td { background: #fde8e8; }
.bar { display: inline-block; height: 0.7em; background: #c0392b; vertical-align: middle; }
.side { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 12px; }
.side h3 { font-size: 0.95em; margin: 0 0 4px 0; }
pre { background: #f7f7f7; border: 1px solid #ddd; padding: 8px; margin: 0; overflow-x: auto;
  font-size: 12px; line-height: 1.35; white-space: pre; }
mark { background: #ffd36b; color: inherit; }
.note { color: #555; font-size: 0.9em; max-width: 60em; }
"""


def _html(report: Report, shown: list[Pair], threshold: float) -> str:
    e = html.escape
    flagged = sum(p.similarity >= threshold for p in report.pairs)
    rows = "".join(
        f'<tr class="{"flag" if p.similarity >= threshold else ""}"><td class="num">{i}</td>'
        f'<td><a href="#pair-{i}">{e(p.a)}</a></td><td><a href="#pair-{i}">{e(p.b)}</a></td>'
        f'<td class="num">{p.similarity:.2f}</td>'
        f'<td><span class="bar" style="width:{p.similarity * 120:.0f}px"></span></td>'
        f'<td class="num">{p.a_in_b:.0%}</td><td class="num">{p.b_in_a:.0%}</td></tr>'
        for i, p in enumerate(shown, 1)
    )
    sections = "".join(_pair_section(report, i, p) for i, p in enumerate(shown, 1))
    notes = ""
    if report.blank:
        notes += (
            "<p class='note'>Nothing to compare (the handout only, or too little code of their own): "
            f"{e(', '.join(report.blank))}.</p>"
        )
    if report.unreadable:
        items = "".join(f"<li>{e(label)}: {e(why)}</li>" for label, why in report.unreadable.items())
        notes += f"<p class='note'>Not compared, grading cannot read them:</p><ul class='note'>{items}</ul>"
    title = f"Similarity — {e(report.assignment)}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title><style>{_CSS}</style></head>
<body><h1>{title}</h1>
<p class="note">{len(report.codes)} submissions, {len(report.pairs)} pairs; {flagged} at or above
{threshold:.2f}. Only what students wrote is compared: the handout's code (skeleton, docstrings,
imports, Otter calls, demo cells) is removed first, and names, comments and layout do not count.
<i>a&nbsp;in&nbsp;b</i> is the share of a's code found in b. The full list is in similarity.csv.</p>
{notes}
<table class="pairs"><tr><th>#</th><th>a</th><th>b</th><th>similarity</th><th></th>
<th>a in b</th><th>b in a</th></tr>{rows}</table>
{sections}
</body></html>
"""


def _pair_section(report: Report, index: int, pair: Pair) -> str:
    e = html.escape
    left = _marked(report.codes[pair.a], pair.a_slices)
    right = _marked(report.codes[pair.b], pair.b_slices)
    return (
        f'<h2 id="pair-{index}">{index}. {e(pair.a)} and {e(pair.b)}: {pair.similarity:.2f}</h2>'
        f'<div class="side"><div><h3>{e(pair.a)} ({pair.a_in_b:.0%} found in the other)</h3>'
        f"<pre>{left}</pre></div><div><h3>{e(pair.b)} ({pair.b_in_a:.0%} found in the other)</h3>"
        f"<pre>{right}</pre></div></div>"
    )


def _marked(code: str, slices: tuple[tuple[int, int], ...]) -> str:
    """`code`, escaped, its matched slices in <mark>."""
    if not slices:
        return html.escape(code)
    merged: list[list[int]] = []
    for start, end in sorted(slices):
        start, end = max(0, start), min(len(code), end)
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif start < end:
            merged.append([start, end])
    if not merged:
        return html.escape(code)
    array = np.array(merged).T
    marked, _ = highlight_overlap(code, array, "<mark>", "</mark>", escape_html=True)
    return marked
