"""`dl541 verify`'s rows on fairness and sharpness: every rule stated, points that follow the
lecture, trivial answers scoring little, mistakes losing much, public checks that catch.

Thresholds (issue: hidden tests fair to every correct solution, sharp on every real mistake):
- every test case quotes, word for word, the notebook or SPEC.md sentence it enforces;
- in each question, core tests carry at least 60% of the points and checks at most 25%;
- the trivial-answers sample scores at most 25% of the assignment;
- a catalogued mistake loses, on average, at least half of the points of its question;
- each question's public checks fail on at least half of its catalogued mistakes.
"""

from __future__ import annotations

from pathlib import Path

from . import casebook
from .assignment import Assignment
from .records import Record
from .status import Status
from .verify_table import Row

TRIVIAL_SHARE_MAX = 0.25
MISTAKE_LOSS_MIN = 0.5
PUBLIC_CATCH_MIN = 0.5


def rule_rows(assignment: Assignment, student_notebook: Path, cases: list[casebook.Case]) -> list[Row]:
    """One row: every case names its kind and quotes a sentence the student can read."""
    bad = [f"{c.question}:{c.name}: {p}" for c in cases for p in c.problems()]
    missing = casebook.unstated(cases, casebook.student_texts(student_notebook))
    bad += [f"{c.question}:{c.name}: not in the notebook or SPEC.md: {q!r}" for c, q in missing]
    quotes = sum(len(c.quotes) for c in cases)
    return [
        Row(
            "every test case quotes the rule it enforces",
            not bad,
            f"{len(cases)} cases, {quotes} quotes found word for word"
            if not bad
            else f"{len(bad)} problems: " + "; ".join(bad[:4]) + (" ..." if len(bad) > 4 else ""),
        )
    ]


def share_rows(cases: list[casebook.Case]) -> list[Row]:
    """One row per question: the share of its points each kind of test carries."""
    return [
        Row(
            f"points by kind, {question}",
            casebook.balanced(shares),
            casebook.describe_shares(shares)
            + ("" if casebook.balanced(shares) else " (want core >= 60%, validation+dtype+device <= 25%)"),
        )
        for question, shares in casebook.shares_by_question(cases).items()
    ]


def trivial_row(assignment: Assignment, record: Record | None) -> Row:
    """The trivial-answers sample scores at most 25% of the assignment."""
    check = f"trivial answers score at most {TRIVIAL_SHARE_MAX:.0%}"
    if record is None:
        return Row(check, False, f"no {assignment.shown(assignment.trivial_answers)}")
    share = record.score / record.max_score if record.max_score else 0.0
    passed = sorted({f"{c.question}:{c.test}" for c in record.cases if c.passed and c.points > 0})
    return Row(
        check,
        share <= TRIVIAL_SHARE_MAX + 1e-9,
        f"{record.score:g} / {record.max_score:g} ({share:.0%}); passes {', '.join(passed) or 'nothing'}",
    )


def question_loss(record: Record, question: str, possible: dict[str, float]) -> float:
    """The share of `question`'s points that `record` lost."""
    whole = possible.get(question, 0.0)
    return 1.0 - record.questions.get(question, 0.0) / whole if whole else 0.0


def mistake_loss_row(known: dict, records: dict[str, Record], possible: dict[str, float]) -> Row:
    """Catalogued mistakes lose, on average, at least half of the points of their question."""
    losses = {
        mistake.id: question_loss(records[sid], mistake.question, possible)
        for sid, (mistake, _) in known.items()
    }
    if not losses:
        return Row("mistakes lose at least half their question", False, "no catalogued mistakes")
    average = sum(losses.values()) / len(losses)
    light = sorted((loss, mid) for mid, loss in losses.items() if loss < MISTAKE_LOSS_MIN)
    return Row(
        f"mistakes lose at least {MISTAKE_LOSS_MIN:.0%} of their question on average",
        average >= MISTAKE_LOSS_MIN - 1e-9,
        f"average {average:.0%} over {len(losses)}"
        + (
            f"; under {MISTAKE_LOSS_MIN:.0%}: " + ", ".join(f"{m} {v:.0%}" for v, m in light[:6])
            if light
            else ""
        ),
    )


def binary_answers(cases: list[casebook.Case]) -> set[str]:
    """The questions that are one answer graded all or nothing: a single hidden case holds every
    point (a public check there may test only the answer's form, or it would give the answer away)."""
    scored: dict[str, list[casebook.Case]] = {}
    for case in cases:
        if case.points > 0:
            scored.setdefault(case.question, []).append(case)
    return {q for q, graded in scored.items() if len(graded) == 1 and graded[0].hidden}


def public_catch_rows(known: dict, records: dict[str, Record], cases: list[casebook.Case]) -> list[Row]:
    """One row per question: its public checks fail on at least half of its catalogued mistakes
    (a binary answer is exempt: its public check must not tell the right answer)."""
    rows = []
    answers = binary_answers(cases)
    for question in dict.fromkeys(c.question for c in cases):
        mine = [(m, records[sid]) for sid, (m, _) in known.items() if m.question == question]
        check = f"public checks catch mistakes, {question}"
        if question in answers:
            rows.append(
                Row(
                    check, True, "a binary answer, graded by one hidden test: its public check tests the form"
                )
            )
            continue
        caught = [
            m.id
            for m, rec in mine
            if rec.status != Status.OK
            or any(c.question == question and not c.hidden and not c.passed for c in rec.cases)
        ]
        missed = sorted(m.id for m, _ in mine if m.id not in caught)
        share = len(caught) / len(mine) if mine else 0.0
        rows.append(
            Row(
                check,
                bool(mine) and share >= PUBLIC_CATCH_MIN - 1e-9,
                (f"{len(caught)}/{len(mine)} ({share:.0%})" if mine else "no catalogued mistake")
                + (f"; missed: {', '.join(missed)}" if missed else ""),
            )
        )
    return rows
