"""Turn reference source into student skeleton source by stripping marked solution regions.

The markers (`source_spans.solution_markers`) are the only source of truth for what students write:
- a line `# BEGIN SOLUTION` ... a line `# END SOLUTION` inside a function: the lines between become
  a `# YOUR CODE HERE` line and `raise NotImplementedError("NAME is not written yet (Question N)")`
  at the marker's indentation, so an unanswered function fails loudly, naming itself and its
  question (a demo cell that calls it prints one line and moves on; a test fails on it); outside a
  function the region becomes one `...  # YOUR CODE HERE` line;
- a line ending in `# SOLUTION` of the form `name = value  # SOLUTION`: becomes
  `name = ...  # YOUR ANSWER HERE` (Ellipsis: no answer, and no test accepts it).
"""

from __future__ import annotations

import ast

from .source_spans import Span, solution_markers, statement_spans, without_inline_marker

PLACEHOLDER = "...  # YOUR CODE HERE"
WRITE_HERE = "# YOUR CODE HERE"


def unanswered_message(name: str, question: str | None = None) -> str:
    """What an unanswered function raises: it names itself and, when known, its question."""
    return f"{name} is not written yet" + (f" ({question})" if question else "")


def strip_solutions(source: str, origin: str = "<source>", questions: dict[str, str] | None = None) -> str:
    """Return `source` with every solution region replaced by a placeholder; ValueError on bad markers.

    `questions` maps a top-level name to the question that asks for it ("Question 3"), for the
    message of the `NotImplementedError` that an unanswered function raises.
    """
    markers = solution_markers(source, origin)
    begins = {begin for begin, _ in markers.regions}
    hidden = markers.inside_regions() | {end for _, end in markers.regions}
    inline = dict(markers.inline)
    owners = _enclosing_functions(source, begins) if begins else {}
    out: list[str] = []
    for number, line in enumerate(source.splitlines(), start=1):
        if number in begins:
            indent = line[: len(line) - len(line.lstrip())]
            owner = owners.get(number)
            if owner is None:
                out.append(f"{indent}{PLACEHOLDER}")
            else:
                message = unanswered_message(owner, (questions or {}).get(owner.split(".")[0]))
                out.append(f"{indent}{WRITE_HERE}")
                out.append(f'{indent}raise NotImplementedError("{message}")')
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


def _enclosing_functions(source: str, lines: set[int]) -> dict[int, str]:
    """For each of `lines` inside a function, the function's qualified name (`Class.method`)."""
    found: dict[int, tuple[int, str]] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    for line in lines:
                        # a region opens after the def line and before the function's last statement;
                        # the innermost function (the one that starts last) owns it
                        inside = child.lineno < line <= child.end_lineno
                        if inside and found.get(line, (0, ""))[0] < child.lineno:
                            found[line] = (child.lineno, name)
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    try:
        visit(ast.parse(source), "")
    except SyntaxError:
        return {}  # the markers' own checks, and the skeleton's parse, report it
    return {line: name for line, (_, name) in found.items()}


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
