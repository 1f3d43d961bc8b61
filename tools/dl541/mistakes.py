"""Known-wrong solutions: the reference with one catalogued student mistake applied."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from . import paths


@dataclass(frozen=True)
class Mistake:
    id: str
    question: str
    why: str
    replace: tuple[tuple[str, str], ...]


def catalogue(name: str) -> list[Mistake]:
    """The mistakes listed in autograder/NAME/mistakes.py (empty when there is no catalogue)."""
    path = paths.AUTOGRADER_DIR / name / "mistakes.py"
    if not path.is_file():
        return []
    module = paths.load_module(path, f"dl541_mistakes_{name}")
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


def apply(mistake: Mistake, reference: str) -> str:
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


def write_all(name: str, out: Path) -> dict[str, tuple[Mistake, Path]]:
    """Write each mistake of `name` as `out/mistake-ID.py`; map submission id to (mistake, path)."""
    reference = (paths.REFERENCE_DIR / f"{name}.py").read_text()
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for mistake in catalogue(name):
        path = out / f"mistake-{mistake.id}.py"
        path.write_text(apply(mistake, reference))
        written[path.name] = (mistake, path)
    return written
