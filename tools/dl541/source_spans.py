"""Where things are in a Python source: its top-level statements, and its solution regions.

One definition of each, for every tool that cuts a source into pieces:
- `statement_spans`: the lines of each top-level statement, its decorators included, statements
  that share a line merged (`a = 1; b = 2` is one span). A `.py` submission is graded one span
  at a time; the notebook builder, the mutants and the samples cut the reference by them.
- `solution_markers`: the solution regions of a reference, which the student writes:
  - a line `# BEGIN SOLUTION` ... a line `# END SOLUTION` (the lines between are the solution);
  - a line `name = value  # SOLUTION` (the value is the solution).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
INLINE = "# SOLUTION"
# The inline marker ending a line (with the blanks before it), and the `name =` its line opens with.
_INLINE_SUFFIX = re.compile(r"\s*#\s*SOLUTION\s*$")
_INLINE_FORM = re.compile(r"^(?P<lhs>\s*[\w.\[\]'\" ,:]+?=)\s*.*#\s*SOLUTION\s*$")


@dataclass(frozen=True)
class Span:
    """Lines `start`..`end` (1-based, inclusive) of a source, holding the top-level `nodes`."""

    start: int
    end: int
    nodes: tuple[ast.stmt, ...]

    def text(self, lines: list[str]) -> str:
        """The span's lines of `lines` (the source's `splitlines()`), joined without a final newline."""
        return "\n".join(lines[self.start - 1 : self.end])


def statement_spans(source: str, closing_comments: bool = False) -> list[Span]:
    """The spans of the top-level statements of `source`, in order; SyntaxError if it does not parse.

    A span starts at the first decorator of a decorated definition. Statements sharing a line
    are one span. With `closing_comments`, a span also takes the indented comment lines right
    after it (`ast` ends a def at its last statement, but its closing `# END SOLUTION` belongs
    to it).
    """
    spans: list[Span] = []
    for node in ast.parse(source).body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        if spans and start <= spans[-1].end:
            last = spans[-1]
            spans[-1] = Span(last.start, max(last.end, node.end_lineno), last.nodes + (node,))
        else:
            spans.append(Span(start, node.end_lineno, (node,)))
    if closing_comments:
        lines = source.splitlines()
        for index, span in enumerate(spans):
            end = span.end
            while (
                end < len(lines) and lines[end].startswith((" ", "\t")) and lines[end].strip().startswith("#")
            ):
                end += 1
            spans[index] = Span(span.start, end, span.nodes)
    return spans


def definitions(spans: list[Span]) -> list[tuple[Span, ast.stmt]]:
    """Each top-level function or class (a def, async def or class node) with its span, in order."""
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return [(span, node) for span in spans for node in span.nodes if isinstance(node, kinds)]


@dataclass(frozen=True)
class SolutionMarkers:
    """The solution markers of a source; line numbers are 1-based."""

    regions: tuple[tuple[int, int], ...]  # (line of `# BEGIN SOLUTION`, line of its `# END SOLUTION`)
    inline: tuple[tuple[int, str], ...]  # (line, its `name =`) of each `name = value  # SOLUTION`

    def inside_regions(self) -> set[int]:
        """The lines strictly between a `# BEGIN SOLUTION` and its `# END SOLUTION`."""
        return {number for begin, end in self.regions for number in range(begin + 1, end)}

    def marker_lines(self) -> set[int]:
        """The `# BEGIN SOLUTION` and `# END SOLUTION` lines."""
        return {number for region in self.regions for number in region}

    def solution_lines(self) -> set[int]:
        """Every line a student writes: inside a region, or an inline `# SOLUTION` line."""
        return self.inside_regions() | {number for number, _ in self.inline}


def solution_markers(source: str, origin: str = "<source>") -> SolutionMarkers:
    """Parse the solution markers of `source`; ValueError (with `origin:line`) for a misplaced one.

    A region must be closed and may not nest; an inline marker outside the regions must end a
    line of the form `name = value  # SOLUTION` (comment lines are not markers).
    """
    regions: list[tuple[int, int]] = []
    inline: list[tuple[int, str]] = []
    open_at: int | None = None
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if open_at is not None:
                raise ValueError(f"{origin}:{number}: nested '{BEGIN}' (previous one at line {open_at})")
            open_at = number
        elif stripped == END:
            if open_at is None:
                raise ValueError(f"{origin}:{number}: '{END}' without a '{BEGIN}'")
            regions.append((open_at, number))
            open_at = None
        elif open_at is None and _INLINE_SUFFIX.search(stripped) and not stripped.startswith("#"):
            match = _INLINE_FORM.match(line)
            if not match:
                raise ValueError(f"{origin}:{number}: '{INLINE}' needs the form 'name = value  {INLINE}'")
            inline.append((number, match.group("lhs")))
    if open_at is not None:
        raise ValueError(f"{origin}:{open_at}: '{BEGIN}' is never closed by '{END}'")
    return SolutionMarkers(tuple(regions), tuple(inline))


def without_inline_marker(line: str) -> str:
    """`line` without its trailing `# SOLUTION`."""
    return _INLINE_SUFFIX.sub("", line)
