"""`dl541 bench --gradescope` measures (never asserts) the Gradescope path; here only that it runs."""

from __future__ import annotations

from dl541 import testfiles
from dl541.assignment import Assignment
from dl541.bench import time_gradescope


def test_the_gradescope_table_names_each_assignment_with_the_reference_grade():
    fairness = Assignment.named("fairness")
    full = sum(testfiles.question_points(fairness.question_files).values())
    table = time_gradescope([fairness], repeat=1)
    (row,) = [line for line in table.splitlines() if line.strip().startswith("fairness")]
    assert f"{full:g}/{full:g} ok" in row and "(runs: " in row
