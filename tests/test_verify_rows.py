"""How `verify` judges mutants: survivors must be listed, listings must be true and current."""

from __future__ import annotations

from dl541 import mutants
from dl541.assignment import Assignment
from dl541.records import Record
from dl541.status import Status
from dl541.verify import _mutant_rows

TRANSFER = Assignment.named("transfer")  # lists CPU_ONLY mutants in its equivalent_mutants.py


def _mutant(mutant_id: str, message_only: bool = False) -> mutants.Mutant:
    function = mutant_id.split(":")[0]
    return mutants.Mutant(mutant_id, function, 1, "before", "after", "", message_only)


def _record(score: float) -> Record:
    return Record("mutant.py", "mutant.py", "", "", "cpu", Status.OK, "", score, 22.0, {}, [])


def _rows(every, outcome):
    """Grade each mutant of `every` as `outcome[id]` (True: full marks) and return verify's rows."""
    chosen = {f"mutant-{i:03d}.py": m for i, m in enumerate(every)}
    records = {sid: _record(22.0 if outcome[m.id] else 20.0) for sid, m in chosen.items()}
    return {row.check: row for row in _mutant_rows(TRANSFER, every, chosen, records, 22.0)}


def _listed() -> list[str]:
    return sorted(mutants.cpu_only(TRANSFER)) + sorted(mutants.equivalent(TRANSFER))


def test_listed_survivors_pass_and_unlisted_ones_fail():
    listed = _listed()
    extra = [_mutant("chop_off:new"), _mutant("chop_off:msg", message_only=True)]
    every = [_mutant(i) for i in listed] + extra
    rows = _rows(every, {m.id: True for m in every})
    for mutant_id in listed:
        assert rows[f"surviving mutant {mutant_id} (q2)"].ok is True
    assert rows["surviving mutant chop_off:new (q1)"].ok is False
    assert rows["surviving mutant chop_off:msg (q1)"].ok is True
    assert rows["mutation score (all mutants)"].detail.startswith(f"0/{len(every)} killed")


def test_a_listed_mutant_that_a_test_kills_fails():
    listed = _listed()
    every = [_mutant(i) for i in listed]
    rows = _rows(every, {listed[0]: False, **{i: True for i in listed[1:]}})
    row = rows[f"listed equivalent mutant {listed[0]}"]
    assert row.ok is False and "tells it apart" in row.detail


def test_a_stale_listing_fails():
    listed = _listed()
    every = [_mutant(i) for i in listed[1:]]
    rows = _rows(every, {m.id: True for m in every})
    row = rows[f"listed equivalent mutant {listed[0]}"]
    assert row.ok is False and "no such mutant" in row.detail
