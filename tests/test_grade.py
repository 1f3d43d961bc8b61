"""`dl541 grade` and `dl541 check` end to end, with broken and hostile submissions."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dl541.assignment import Assignment
from dl541.cli import main
from dl541.grader import grade_batch
from dl541.settings import Limits, Options

REFERENCE = Assignment.named("depth").reference.read_text()


def depth_build_max(built) -> float:
    return float(sum(built.points.values()))


def _q5_points(ag) -> float:
    return float(next(tf.possible for tf in ag.test_files if tf.name == "q5"))


def _rows(out: Path) -> dict[str, dict]:
    with open(out / "grades.csv") as f:
        return {row["student"]: row for row in csv.DictReader(f)}


def _grade(args: list[str]) -> str:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_grade_samples_of_every_kind(depth_build, depth_samples, tmp_path):
    out = tmp_path / "out"
    files = [str(p) for p in depth_samples.values()]
    output = _grade(
        [
            "grade",
            "depth",
            *files,
            "--out",
            str(out),
            "--jobs",
            "2",
            "--autograder",
            str(depth_build.autograder_zip),
        ]
    )
    rows = _rows(out)
    assert list(next(iter(rows.values())).keys()) == [
        "student",
        "name",
        "submission",
        "status",
        "score",
        "max_score",
        "q1",
        "q2",
        "q3",
        "q4",
        "q5",
        "detail",
        "note",
    ]
    # depth-reference.ipynb and depth-reference.py are one student's two files: the notebook is graded
    assert "graded the notebook depth-reference.ipynb" in rows["depth-reference"]["note"]
    ignored = (out / "ignored.csv").read_text()
    assert "depth-reference.py" in ignored and "notebook depth-reference.ipynb is graded" in ignored
    for student in ("depth-reference", "depth-reference-export"):
        assert float(rows[student]["score"]) == depth_build_max(depth_build), student
        assert rows[student]["status"] == "ok" and rows[student]["detail"] == ""
    assert rows["depth-skeleton"]["score"] == "0"
    assert (
        rows["depth-not-a-notebook"]["status"] == "invalid"
        and "not a notebook" in rows["depth-not-a-notebook"]["detail"]
    )
    assert (
        rows["depth-syntax-error"]["status"] == "error"
        and "SyntaxError" in rows["depth-syntax-error"]["detail"]
    )
    assert 0 < float(rows["depth-syntax-error"]["score"]) < depth_build_max(depth_build)
    assert rows["depth-raises"]["status"] == "error"
    assert rows["depth-missing-name"]["q5"] == "0" and rows["depth-missing-name"]["q1"] == "3"
    results = json.loads((out / "depth-reference" / "results.json").read_text())
    assert results["score"] == depth_build_max(depth_build)
    assert {t["visibility"] for t in results["tests"] if t["name"].startswith("q")} == {"after_due_date"}
    assert (out / "depth-reference" / "feedback.html").is_file()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["submissions"] == len(files) - 1 and summary["statuses"]["ok"] >= 3
    assert summary["left_out"] == {"invalid": 1} and summary["graded"] == len(files) - 2
    assert (out / "scores.png").stat().st_size > 1000
    assert "most frequent failing case" in output


def test_check_prints_each_test_and_counterexample(depth_build, tmp_path):
    wrong = tmp_path / "depth.py"
    wrong.write_text(REFERENCE.replace("return 1 + int(changes.sum())", "return int(changes.sum()) or 1"))
    output = _grade(["check", "depth", str(wrong), "--autograder", str(depth_build.autograder_zip)])
    assert "FAIL q4" in output and "PASS q1" in output
    assert "matches_an_independent_count" in output
    assert "Failing test case" in output or "Falsifying" in output  # hypothesis's shrunk example
    full = depth_build_max(depth_build)
    lost = sum(float(m) for m in re.findall(r"FAIL q\d+\s+\w+\s+\w+ \(([\d.]+) pt\)", output))
    assert 0 < lost < depth_build.points["q4"] + 1e-9  # only q4 tests fail
    assert f"score: {full - lost:g} / {full:g}" in output


HOSTILE = {
    "loops-at-load": "while True:\n    pass\n",
    "exits-cleanly": "import sys\nsys.exit(0)\n",
    "os-exit-in-test": "import os\n\ndef sawtooth_mlp(depth):\n    os._exit(3)\n",
    "segfaults": "import faulthandler\nfaulthandler._read_null()\n",
    "floods-output": "for _ in range(200000):\n    print('spam' * 50)\n",
    "allocates": "hog = bytearray(64 * 1024**3)\n",
    "loops-in-test": "def sawtooth_mlp(depth):\n    while True:\n        pass\n",
    "slow-test": "def sawtooth_mlp(depth):\n    import time\n    time.sleep(30)\n",
}


@pytest.fixture(scope="module")
def hostile_records(depth_ag, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    paths_ = []
    for name, code in HOSTILE.items():
        path = folder / f"{name}.py"
        path.write_text(REFERENCE + "\n\n" + code)
        paths_.append(path)
    options = Options(jobs=2, timeout=40, limits=Limits(test_timeout=3, memory_mb=1024, output_bytes=100_000))
    out = folder / "out"
    records = grade_batch(depth_ag, paths_, out, options, assignment="depth")
    return {r.submission.removesuffix(".py"): r for r in records}, out


@pytest.mark.parametrize(
    "name, status, score",
    [
        ("loops-at-load", "timeout", "full"),  # the cell is stopped; what it defined before still counts
        ("exits-cleanly", "exited", "full"),
        ("os-exit-in-test", "exited", "no q5"),  # q1..q4 finished before q5 killed the interpreter
        ("segfaults", "crashed", "full"),  # the crashing line is skipped, the rest is graded
        ("floods-output", "ok", "full"),
        ("allocates", "memory", "full"),
        ("loops-in-test", "timeout", "no q5"),  # each q5 test is stopped; grading resumes after it
        ("slow-test", "timeout", "no q5"),  # one test past --test-timeout fails, the rest count
    ],
)
def test_hostile_submission_gets_clear_status_and_finished_marks(
    hostile_records, depth_ag, name, status, score
):
    records, _ = hostile_records
    record = records[name]
    score = depth_ag.max_score - (_q5_points(depth_ag) if score == "no q5" else 0)
    assert record.status == status, record.detail
    assert record.score == score, [c.case for c in record.cases if not c.passed]
    assert record.detail or status == "ok"


def test_output_is_capped(hostile_records):
    _, out = hostile_records
    assert (out / "floods-output.py" / "output.txt").stat().st_size <= 100_000


def test_resume_grades_only_what_is_missing(depth_ag, depth_samples, tmp_path):
    files = [depth_samples["reference.py"], depth_samples["skeleton.ipynb"], depth_samples["raises.ipynb"]]
    out = tmp_path / "out"
    first = grade_batch(depth_ag, files, out, Options(jobs=2), assignment="depth")
    assert not any(r.resumed for r in first)
    (out / "depth-skeleton.ipynb" / "grade.json").unlink()
    second = grade_batch(depth_ag, files, out, Options(jobs=1), assignment="depth")
    resumed = sorted(r.submission for r in second if r.resumed)
    assert resumed == ["depth-raises.ipynb", "depth-reference.py"]
    key = lambda rs: sorted((r.submission, r.score, r.questions["q3"]) for r in rs)  # noqa: E731
    assert key(first) == key(second)
    third = grade_batch(depth_ag, files, out, Options(jobs=1, regrade=True), assignment="depth")
    assert not any(r.resumed for r in third)


def test_killed_batch_resumes_to_the_same_gradebook(depth_build, tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    for i in range(4):
        (subs / f"s{i}.py").write_text(REFERENCE + f"\nimport time\ntime.sleep({1.5 if i else 0})\n")
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "dl541.cli",
        "grade",
        "depth",
        str(subs),
        "--out",
        str(out),
        "--jobs",
        "1",
        "--autograder",
        str(depth_build.autograder_zip),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(out.glob("*/grade.json")) and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = {p.parent.name for p in out.glob("*/grade.json")}
    assert 1 <= len(done_before) < 4
    assert not (out / "grades.csv").exists()
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"kept {len(done_before)} earlier result(s)" in result.stdout
    rows = _rows(out)
    assert sorted(rows) == [f"s{i}" for i in range(4)]
    assert {float(r["score"]) for r in rows.values()} == {depth_build_max(depth_build)}


def test_duplicate_names_and_bad_files_do_not_stop_the_batch(depth_ag, depth_samples, tmp_path):
    other = tmp_path / "again"
    other.mkdir()
    dup = other / "depth-reference.py"
    dup.write_text(REFERENCE)
    txt = tmp_path / "notes.txt"
    txt.write_text("not code")
    records = grade_batch(
        depth_ag,
        [depth_samples["reference.py"], dup, txt],
        tmp_path / "out",
        Options(jobs=2),
        assignment="depth",
    )
    by_status = {r.status: r for r in records}
    assert set(by_status) == {"ok", "duplicate", "invalid"}
    assert by_status["duplicate"].score == 0 and "rename" in by_status["duplicate"].detail
    assert ".txt" in by_status["invalid"].detail


def test_cli_rejects_bad_arguments(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["grade", "nope", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "unknown assignment" in result.output
    result = runner.invoke(main, ["grade", "depth", str(tmp_path / "missing.py"), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "does not exist" in result.output
