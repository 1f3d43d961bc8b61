"""The rows of `dl541 verify`'s table, and the table itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    """One check of `verify`: what was checked, whether it held, and the evidence."""

    check: str
    ok: bool | None  # None: skipped, or only a warning
    detail: str
    mark: str = ""  # shown instead of ok/FAIL/skip when set


#: How a row's outcome reads in the table (None: skipped, or only a warning).
_MARKS = {True: "pass", False: "FAIL", None: "skip"}


def table(name: str, max_score: float, rows: list[Row]) -> str:
    """The rows of one assignment as the aligned table `verify` prints."""
    width = max(len(r.check) for r in rows)
    lines = [f"== verify {name} ({max_score:g} points)"]
    for row in rows:
        mark = row.mark or _MARKS[row.ok]
        lines.append(f"  {mark:<4}  {row.check:<{width}}  {row.detail}")
    return "\n".join(lines)
