"""Known-wrong solutions: the reference with one catalogued student mistake applied.

The catalogue is `Assignment.mistakes_catalogue` (autograder/NAME/mistakes.py):
`MISTAKES = [{"id", "question", "why", "replace": [(old, new), ...]}]`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .assignment import Assignment


@dataclass(frozen=True)
class Mistake:
    id: str
    question: str
    why: str
    replace: tuple[tuple[str, str], ...]


def load_mistakes(assignment: Assignment) -> list[Mistake]:
    """The mistakes listed in the assignment's catalogue (empty when there is no catalogue)."""
    path = assignment.mistakes_catalogue
    if not path.is_file():
        return []
    module = paths.load_module(path, f"dl541_mistakes_{assignment.name}")
    out = []
    for entry in module.MISTAKES:
        out.append(
            Mistake(
                entry["id"],
                entry["question"],
                entry["why"],
                tuple((old, new) for old, new in entry["replace"]),
            )
        )
    return out


def apply_mistake(mistake: Mistake, reference: str) -> str:
    """The reference source with the mistake's replacements; ValueError if a snippet is not unique."""
    source = reference
    for old, new in mistake.replace:
        count = source.count(old)
        if count != 1:
            raise ValueError(
                f"mistake {mistake.id}: snippet {old!r} occurs {count} times in the reference; "
                "it must occur exactly once"
            )
        source = source.replace(old, new)
    try:
        ast.parse(source)
    except SyntaxError as exc:
        raise ValueError(f"mistake {mistake.id}: the changed reference does not parse ({exc})") from None
    return source


def write_known_wrong(assignment: Assignment, out: Path) -> dict[str, tuple[Mistake, Path]]:
    """Write each catalogued mistake as `out/mistake-ID.py`; map submission id to (mistake, path)."""
    reference = assignment.reference.read_text()
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for mistake in load_mistakes(assignment):
        path = out / f"mistake-{mistake.id}.py"
        path.write_text(apply_mistake(mistake, reference))
        written[path.name] = (mistake, path)
    return written
