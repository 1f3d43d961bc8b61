"""Grading records and what is written from them: results.json (Gradescope), grades.csv, summary."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import tempfile
from collections import Counter
from pathlib import Path

from otter.run import AutograderConfig
from otter.test_files import GradingResults
from otter.test_files.abstract_test import TestCaseResult

from .bundle import Autograder

RECORD = "grade.json"
RESULTS = "results.json"
OUTPUT = "output.txt"


def atomic_write(path: Path, text: str, durable: bool = False) -> None:
    """Write `text` to `path` so that a reader sees the old file or the whole new one, never a part.

    `durable` also flushes it to disk before the rename (survives a power cut, not only a kill).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make_record(
    ag: Autograder,
    sid: str,
    path: Path,
    sha256: str,
    device: str,
    status: str,
    detail: str,
    results: dict,
    load_errors: list[dict],
    seconds: float,
) -> dict:
    """The full grade of one submission, decided from per-case results that the child reported."""
    cases, questions = [], {}
    for tf in ag.test_files:
        earned = 0.0
        passed_all = True
        for tc in tf.test_cases:
            got = results.get((tf.name, tc.name))
            passed = bool(got and got.get("passed") is True)
            message = (got or {}).get("message") or f"❌ Test case not run: {status}. {detail}".strip()
            cases.append(
                {
                    "question": tf.name,
                    "case": tc.name,
                    "test": _test_name(tc),
                    "points": float(tc.points),
                    "hidden": bool(tc.hidden),
                    "passed": passed,
                    "message": str(message),
                }
            )
            earned += float(tc.points) if passed else 0.0
            passed_all &= passed
        if tf.all_or_nothing:
            earned = float(tf.possible) if passed_all else 0.0
        questions[tf.name] = round(earned, 6)
    return {
        "submission": sid,
        "file": str(path),
        "sha256": sha256,
        "autograder": ag.fingerprint,
        "device": device,
        "status": status,
        "detail": detail,
        "score": round(sum(questions.values()), 6),
        "max_score": round(ag.max_score, 6),
        "questions": questions,
        "cases": cases,
        "load_errors": load_errors,
        "seconds": round(seconds, 3),
    }


def comparable(record: dict) -> tuple:
    """What two gradings of one submission must agree on: status, marks, every case and its message."""
    return (
        record["status"],
        record["score"],
        record["questions"],
        [(c["question"], c["case"], c["passed"], c["message"]) for c in record["cases"]],
    )


def _test_name(tc) -> str:
    func = getattr(tc.body, "test_func", None)
    return getattr(func, "__name__", tc.name)


def grading_results(ag: Autograder, record: dict) -> GradingResults:
    """Otter's own GradingResults for a record: every test file with the results the child reported."""
    by_case = {(c["question"], c["case"]): c for c in record["cases"]}
    files = []
    for tf in ag.test_files:
        tf_copy = copy.copy(tf)
        tf_copy._score = None
        tf_copy.test_case_results = [
            TestCaseResult(
                test_case=tc,
                message=by_case[(tf.name, tc.name)]["message"],
                passed=by_case[(tf.name, tc.name)]["passed"],
            )
            for tc in tf.test_cases
        ]
        files.append(tf_copy)
    results = GradingResults(files)
    results.set_output(status_line(record))
    return results


def status_line(record: dict) -> str:
    """One line for the student and the instructor: the status, why, and the confinement in force."""
    line = f"dl541 status: {record['status']}"
    if record["detail"]:
        line += f" — {record['detail']}"
    confinement = record.get("confinement")
    if confinement:
        parts = ", ".join(f"{name} {'on' if on else 'off'}" for name, on in confinement.items())
        line += f" (confinement: {parts})"
    return line


def gradescope_results(ag: Autograder, record: dict) -> dict:
    """results.json in Gradescope's schema, made by Otter's own GradingResults from the record.

    Hidden tests' results (their messages carry counter-examples) get the visibility the instructor
    chose at build time (`dl541 build --hidden-visibility`), the same on every grading path.
    """
    out = grading_results(ag, record).to_gradescope_dict(AutograderConfig(ag.config))
    for test in out["tests"]:
        if test.get("visibility") != "visible":
            test["visibility"] = ag.hidden_visibility
    out["score"] = record["score"]
    out["extra_data"] = {
        "dl541": {
            "status": record["status"],
            "device": record["device"],
            "confinement": record.get("confinement", {}),
            "autograder": record["autograder"],
        }
    }
    return out


def write_submission(out_dir: Path, ag: Autograder, record: dict, output: str) -> None:
    """Write one submission's results.json, output.txt and record, the record last (it marks done)."""
    folder = out_dir / record["submission"]
    atomic_write(folder / RESULTS, json.dumps(gradescope_results(ag, record), indent=2) + "\n")
    atomic_write(folder / OUTPUT, output)
    atomic_write(folder / RECORD, json.dumps(record, indent=2) + "\n", durable=True)


def read_record(out_dir: Path, sid: str) -> dict | None:
    """The finished record of a submission in `out_dir`, or None when there is none (or it is torn)."""
    try:
        return json.loads((out_dir / sid / RECORD).read_text())
    except (OSError, ValueError):
        return None


def gradebook_csv(records: list[dict], questions: list[str]) -> str:
    """grades.csv: submission,status,score,max_score, then one column per question."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["submission", "status", "score", "max_score", *questions])
    for rec in sorted(records, key=lambda r: r["submission"]):
        writer.writerow(
            [
                rec["submission"],
                rec["status"],
                _num(rec["score"]),
                _num(rec["max_score"]),
                *(_num(rec["questions"].get(q, 0.0)) for q in questions),
            ]
        )
    return buf.getvalue()


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def summarize(records: list[dict], ag: Autograder) -> dict:
    """Per-question mean, share of full marks and most frequent failing case; status counts."""
    questions = {}
    for tf in ag.test_files:
        scores = [r["questions"].get(tf.name, 0.0) for r in records]
        failing = Counter(
            c.get("test", c["case"])
            for r in records
            for c in r["cases"]
            if c["question"] == tf.name and not c["passed"]
        )
        top = failing.most_common(1)
        questions[tf.name] = {
            "max": float(tf.possible),
            "mean": round(sum(scores) / len(scores), 4) if scores else 0.0,
            "full_marks_share": round(sum(s >= tf.possible - 1e-9 for s in scores) / len(scores), 4)
            if scores
            else 0.0,
            "most_failed_case": top[0][0] if top else None,
            "most_failed_count": top[0][1] if top else 0,
        }
    totals = [r["score"] for r in records]
    return {
        "submissions": len(records),
        "max_score": ag.max_score,
        "mean_score": round(sum(totals) / len(totals), 4) if totals else 0.0,
        "statuses": dict(Counter(r["status"] for r in records)),
        "questions": questions,
    }


def summary_table(summary: dict) -> str:
    """The per-question table printed at the end of a grading run."""
    lines = [f"{'question':<10}{'max':>6}{'mean':>8}{'full':>7}  most frequent failing case"]
    for name, q in summary["questions"].items():
        fail = f"{q['most_failed_case']} ({q['most_failed_count']}x)" if q["most_failed_case"] else "-"
        lines.append(f"{name:<10}{q['max']:>6g}{q['mean']:>8.2f}{q['full_marks_share']:>7.0%}  {fail}")
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(summary["statuses"].items()))
    lines.append(
        f"{summary['submissions']} submissions, mean {summary['mean_score']:.2f} / "
        f"{summary['max_score']:g}; {statuses}"
    )
    return "\n".join(lines)


def score_plot(records: list[dict], max_score: float, target: Path) -> None:
    """Save a histogram of total scores."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist([r["score"] for r in records], bins=20, range=(0, max(max_score, 1e-9)), color="#3b6ea8")
    ax.set_xlabel(f"score (of {max_score:g})")
    ax.set_ylabel("submissions")
    ax.set_title("Score distribution")
    fig.tight_layout()
    fig.savefig(target, dpi=110)
    plt.close(fig)


def write_gradebook(out_dir: Path, records: list[dict], ag: Autograder) -> dict:
    """Write grades.csv, summary.json and scores.png; return the summary."""
    atomic_write(out_dir / "grades.csv", gradebook_csv(records, ag.questions))
    summary = summarize(records, ag)
    atomic_write(out_dir / "summary.json", json.dumps(summary, indent=2) + "\n")
    atomic_write(out_dir / "summary.txt", summary_table(summary) + "\n")
    if records:
        score_plot(records, ag.max_score, out_dir / "scores.png")
    return summary
