"""What each test case claims to check: its kind, its points, and the rule it quotes.

Every test case's docstring opens with its kind and a few words, then quotes, one paragraph per
quote, the sentences of the student notebook (or of SPEC.md) that it enforces, word for word:

    @test_case(points=2, hidden=True)
    def agrees_with_layer_by_layer(init_mlp, mlp_forward):
        \"\"\"core: the output equals the layer-by-layer formula.

        the activation follows every layer but the last
        \"\"\"

Kinds: `core` (the lecture's idea, on the general domain), `edge` (one edge case: empty, size 0,
no hidden layer, an exact tie), `contract` (the handout's conventions: the generator, inputs left
unchanged, returned state independent of the object), and the checks `validation` (ValueError on
bad input), `dtype` and `device`. A question's core tests carry at least 60% of its points and its
checks at most 25%. Quotes are compared with whitespace collapsed and markdown's `*` and backticks
removed; a quote must be at least four words long.
"""

from __future__ import annotations

import inspect
import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import paths, testfiles
from .assignment import Assignment

KINDS = ("core", "edge", "contract", "validation", "dtype", "device")
#: The kinds that check the form of an answer rather than the idea; together at most 25%.
CHECK_KINDS = frozenset({"validation", "dtype", "device"})
CORE_SHARE_MIN = 0.60
CHECKS_SHARE_MAX = 0.25
QUOTE_MIN_WORDS = 4

_HEAD = re.compile(r"^(?P<kind>[a-z]+):\s*(?P<summary>.*)$")


@dataclass(frozen=True)
class Case:
    """One test case of a question, as its file and its docstring describe it."""

    question: str
    name: str
    points: float
    hidden: bool
    kind: str | None  # None when the docstring does not open with a known kind
    summary: str
    quotes: tuple[str, ...]

    def problems(self) -> list[str]:
        """What is wrong with how the case describes itself (empty when it is well described)."""
        out = []
        if self.kind is None:
            out.append(f"docstring does not open with one of {', '.join(KINDS)} and a colon")
        if not self.quotes:
            out.append("quotes no sentence of the notebook or SPEC.md")
        out += [
            f"quote too short to be a rule: {q!r}" for q in self.quotes if len(q.split()) < QUOTE_MIN_WORDS
        ]
        return out


def read_cases(assignment: Assignment) -> list[Case]:
    """Every test case of `assignment`, in question order, read with Otter's own parser."""
    out = []
    for path in assignment.question_files:
        for tc in testfiles.parse_test_file(path).test_cases:
            func = getattr(tc.body, "test_func", None)
            kind, summary, quotes = parse_docstring(inspect.getdoc(func) or "" if func else "")
            name = getattr(func, "__name__", tc.name)
            out.append(Case(path.stem, name, float(tc.points), bool(tc.hidden), kind, summary, quotes))
    return out


def parse_docstring(doc: str) -> tuple[str | None, str, tuple[str, ...]]:
    """(kind, summary, quotes) of a test case's docstring; kind None when the head line is not
    `KIND: summary` with a known kind."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", doc.strip()) if p.strip()]
    if not paragraphs:
        return None, "", ()
    head = _HEAD.match(paragraphs[0])
    if not head or head.group("kind") not in KINDS:
        return None, paragraphs[0], tuple(paragraphs[1:])
    return head.group("kind"), head.group("summary"), tuple(paragraphs[1:])


def normalized(text: str) -> str:
    """`text` as quotes are compared: markdown's `*` and backticks removed, whitespace collapsed."""
    return " ".join(re.sub(r"[*`]", "", text).split())


def notebook_text(notebook: Path) -> str:
    """Everything a student reads in a notebook: its markdown and its code cells, one string."""
    cells = json.loads(Path(notebook).read_text()).get("cells", [])
    return "\n".join("".join(cell.get("source", "")) for cell in cells)


def student_texts(notebook: Path, spec: Path = paths.SPEC) -> list[str]:
    """The normalized texts a quote may come from: the student notebook, and SPEC.md when present."""
    texts = [normalized(notebook_text(notebook))]
    if spec.is_file():
        texts.append(normalized(spec.read_text()))
    return texts


def unstated(cases: list[Case], texts: list[str]) -> list[tuple[Case, str]]:
    """The (case, quote) pairs whose quote is in none of `texts` (see `student_texts`)."""
    return [(c, q) for c in cases for q in c.quotes if not any(normalized(q) in t for t in texts)]


def shares_by_question(cases: list[Case]) -> dict[str, dict[str, float]]:
    """For each question, the share of its points each kind carries (kinds without points left out)."""
    totals: dict[str, dict[str, float]] = {}
    for case in cases:
        kinds = totals.setdefault(case.question, {})
        kind = case.kind or "undescribed"
        kinds[kind] = kinds.get(kind, 0.0) + case.points
    out = {}
    for question, kinds in totals.items():
        whole = sum(kinds.values())
        out[question] = {k: (v / whole if whole else 0.0) for k, v in kinds.items() if v}
    return out


def balanced(shares: dict[str, float]) -> bool:
    """Whether one question's points follow the lecture: core at least 60%, checks at most 25%."""
    checks = sum(v for k, v in shares.items() if k in CHECK_KINDS)
    return shares.get("core", 0.0) >= CORE_SHARE_MIN - 1e-9 and checks <= CHECKS_SHARE_MAX + 1e-9


def describe_shares(shares: dict[str, float]) -> str:
    """`core 70%, edge 10%, validation 20%`: the kinds in the order of KINDS."""
    order = [*KINDS, "undescribed"]
    return ", ".join(f"{k} {shares[k]:.0%}" for k in order if k in shares)
