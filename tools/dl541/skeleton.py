"""Turn reference source into student skeleton source by stripping marked solution regions.

Markers (the only source of truth for what students write):
- a line `# BEGIN SOLUTION` ... a line `# END SOLUTION`: the lines between are replaced by one
  `...` line at the marker's indentation;
- a line ending in `# SOLUTION` of the form `name = value  # SOLUTION`: becomes `name = ...`.
"""

from __future__ import annotations

import ast
import re

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
_INLINE = re.compile(r"^(?P<lhs>\s*[\w.\[\]'\" ,:]+?=)\s*.*#\s*SOLUTION\s*$")
PLACEHOLDER = "...  # YOUR CODE HERE"


def strip_solutions(source: str, origin: str = "<source>") -> str:
    """Return `source` with every solution region replaced by a placeholder; ValueError on bad markers."""
    out: list[str] = []
    open_at: int | None = None
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if open_at is not None:
                raise ValueError(f"{origin}:{number}: nested '{BEGIN}' (previous one at line {open_at})")
            open_at = number
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}{PLACEHOLDER}")
        elif stripped == END:
            if open_at is None:
                raise ValueError(f"{origin}:{number}: '{END}' without a '{BEGIN}'")
            open_at = None
        elif open_at is not None:
            continue
        elif stripped.endswith("# SOLUTION") and not stripped.startswith("#"):
            match = _INLINE.match(line)
            if not match:
                raise ValueError(f"{origin}:{number}: '# SOLUTION' needs the form 'name = value  # SOLUTION'")
            out.append(f"{match.group('lhs')} ...  # YOUR ANSWER HERE")
        else:
            out.append(line)
    if open_at is not None:
        raise ValueError(f"{origin}:{open_at}: '{BEGIN}' is never closed by '{END}'")
    result = "\n".join(out) + ("\n" if source.endswith("\n") else "")
    try:
        ast.parse(result)
    except SyntaxError as exc:
        raise ValueError(f"{origin}: the skeleton does not parse ({exc}); check the markers") from exc
    return result


def without_markers(source: str) -> str:
    """Return `source` with the marker lines and inline markers removed (the solution view)."""
    lines = []
    for line in source.splitlines():
        if line.strip() in (BEGIN, END):
            continue
        lines.append(re.sub(r"\s*#\s*SOLUTION\s*$", "", line))
    return "\n".join(lines) + ("\n" if source.endswith("\n") else "")


def top_level_segments(source: str) -> dict[str, str]:
    """Map each top-level def/class/assignment name (and '__imports__') to its source text."""
    tree = ast.parse(source)
    lines = source.splitlines()
    segments: dict[str, str] = {}
    imports: list[str] = []
    last_import_end = None
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        end = node.end_lineno
        # ast ends a def at its last statement; a closing '# END SOLUTION' comment belongs to it.
        while end < len(lines) and lines[end].startswith((" ", "\t")) and lines[end].strip().startswith("#"):
            end += 1
        text = "\n".join(lines[start - 1 : end])
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            # A blank line between two imports separates isort's groups: keep one in the notebook.
            gap = lines[last_import_end : start - 1] if imports else []
            if gap and not any(line.strip() for line in gap):
                imports.append("")
            imports.append(text)
            last_import_end = end
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            segments[node.name] = text
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    segments[target.id] = text
    segments["__imports__"] = "\n".join(imports)
    return segments
