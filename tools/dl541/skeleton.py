"""Turn reference source into student skeleton source by stripping marked solution regions.

The markers (`source_spans.solution_markers`) are the only source of truth for what students write:
- a line `# BEGIN SOLUTION` ... a line `# END SOLUTION`: the lines between are replaced by one
  `...` line at the marker's indentation;
- a line ending in `# SOLUTION` of the form `name = value  # SOLUTION`: becomes `name = ...`.
"""

from __future__ import annotations

import ast

from .source_spans import Span, solution_markers, statement_spans, without_inline_marker

PLACEHOLDER = "...  # YOUR CODE HERE"


def strip_solutions(source: str, origin: str = "<source>") -> str:
    """Return `source` with every solution region replaced by a placeholder; ValueError on bad markers."""
    markers = solution_markers(source, origin)
    begins = {begin for begin, _ in markers.regions}
    hidden = markers.inside_regions() | {end for _, end in markers.regions}
    inline = dict(markers.inline)
    out: list[str] = []
    for number, line in enumerate(source.splitlines(), start=1):
        if number in begins:
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}{PLACEHOLDER}")
        elif number in inline:
            out.append(f"{inline[number]} ...  # YOUR ANSWER HERE")
        elif number not in hidden:
            out.append(line)
    result = "\n".join(out) + ("\n" if source.endswith("\n") else "")
    try:
        ast.parse(result)
    except SyntaxError as exc:
        raise ValueError(f"{origin}: the skeleton does not parse ({exc}); check the markers") from exc
    return result


def without_markers(source: str, origin: str = "<source>") -> str:
    """Return `source` with the marker lines and inline markers removed (the solution view)."""
    markers = solution_markers(source, origin)
    dropped = markers.marker_lines()
    inline = dict(markers.inline)
    lines = [
        without_inline_marker(line) if number in inline else line
        for number, line in enumerate(source.splitlines(), start=1)
        if number not in dropped
    ]
    return "\n".join(lines) + ("\n" if source.endswith("\n") else "")


def top_level_segments(source: str) -> dict[str, str]:
    """Map each top-level def/class/assignment name (and '__imports__') to its source text."""
    lines = source.splitlines()
    segments: dict[str, str] = {}
    imports: list[str] = []
    last_import: Span | None = None
    for span in statement_spans(source, closing_comments=True):
        text = span.text(lines)
        if any(isinstance(node, (ast.Import, ast.ImportFrom)) for node in span.nodes):
            # A blank line between two imports separates isort's groups: keep one in the notebook.
            gap = lines[last_import.end : span.start - 1] if last_import else []
            if gap and not any(line.strip() for line in gap):
                imports.append("")
            imports.append(text)
            last_import = span
        for node in span.nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                segments[node.name] = text
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        segments[target.id] = text
    segments["__imports__"] = "\n".join(imports)
    return segments
