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

from otter.test_files import GradingResults
from otter.test_files.abstract_test import TestCaseResult

from .bundle import Autograder
from .records import CaseResult, Record
from .status import Status

RECORD = "grade.json"
RESULTS = "results.json"
OUTPUT = "output.txt"


def _file_mode() -> int:
    # mkstemp creates 0600 files; a gradebook is for the instructor's group too: honour the umask
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()


def atomic_write(path: Path, text: str, durable: bool = False) -> None:
    """Write `text` to `path` so that a reader sees the old file or the whole new one, never a part.

    `durable` also flushes it to disk before the rename (survives a power cut, not only a kill).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, _FILE_MODE)
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
    status: Status,
    detail: str,
    results: dict,
    load_errors: list[dict],
    seconds: float,
) -> Record:
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
                CaseResult(
                    question=tf.name,
                    case=tc.name,
                    test=_test_name(tc),
                    points=float(tc.points),
                    hidden=bool(tc.hidden),
                    passed=passed,
                    message=str(message),
                )
            )
            earned += float(tc.points) if passed else 0.0
            passed_all &= passed
        if tf.all_or_nothing:
            earned = float(tf.possible) if passed_all else 0.0
        questions[tf.name] = round(earned, 6)
    return Record(
        submission=sid,
        file=str(path),
        sha256=sha256,
        autograder=ag.fingerprint,
        device=device,
        status=Status(status),
        detail=detail,
        score=round(sum(questions.values()), 6),
        max_score=round(ag.max_score, 6),
        questions=questions,
        cases=cases,
        load_errors=load_errors,
        seconds=round(seconds, 3),
    )


def comparable(record: Record | None) -> tuple | None:
    """What two gradings of one submission must agree on (None for no record)."""
    return None if record is None else record.comparable()


def _test_name(tc) -> str:
    func = getattr(tc.body, "test_func", None)
    return getattr(func, "__name__", tc.name)


def grading_results(ag: Autograder, record: Record) -> GradingResults:
    """Otter's own GradingResults for a record: every test file with the results the child reported."""
    by_case = {(c.question, c.case): c for c in record.cases}
    files = []
    for tf in ag.test_files:
        tf_copy = copy.copy(tf)
        tf_copy._score = None
        tf_copy.test_case_results = [
            TestCaseResult(
                test_case=tc,
                message=by_case[(tf.name, tc.name)].message,
                passed=by_case[(tf.name, tc.name)].passed,
            )
            for tc in tf.test_cases
        ]
        files.append(tf_copy)
    results = GradingResults(files)
    results.set_output(status_line(record))
    return results


def status_line(record: Record) -> str:
    """One line for the student and the instructor: the status, why, and the confinement in force."""
    line = f"dl541 status: {record.status}"
    if record.detail:
        line += f" — {record.detail}"
    confinement = record.confinement
    if confinement:
        parts = ", ".join(f"{name} {'on' if on else 'off'}" for name, on in confinement.items())
        line += f" (confinement: {parts})"
    return line


def gradescope_results(ag: Autograder, record: Record) -> dict:
    """results.json in Gradescope's schema, made by Otter's own GradingResults from the record.

    Hidden tests' results (their messages carry counter-examples) get the visibility the instructor
    chose at build time (`dl541 build --hidden-visibility`), the same on every grading path.
    """
    from otter.run import AutograderConfig  # imports pandas: see `prepare_to_write`

    out = grading_results(ag, record).to_gradescope_dict(AutograderConfig(ag.config))
    for test in out["tests"]:
        if test.get("visibility") != "visible":
            test["visibility"] = ag.hidden_visibility
    out["score"] = record.score
    out["extra_data"] = {
        "dl541": {
            "status": record.status.value,
            "device": record.device,
            "confinement": record.confinement or {},
            "autograder": record.autograder,
        }
    }
    return out


def prepare_to_write() -> None:
    """Import what writing results.json needs (Otter's runner config, which imports pandas).

    The grader calls it once its first child is running, so that on a two-core machine the import
    overlaps the grading instead of delaying the first fork; forked children never load pandas.
    """
    import otter.run  # noqa: F401


def write_submission(out_dir: Path, ag: Autograder, record: Record, output: str) -> None:
    """Write one submission's results.json, output.txt and record, the record last (it marks done)."""
    folder = out_dir / record.submission
    atomic_write(folder / RESULTS, json.dumps(gradescope_results(ag, record), indent=2) + "\n")
    atomic_write(folder / OUTPUT, output)
    atomic_write(folder / RECORD, json.dumps(record.to_json(), indent=2) + "\n", durable=True)


def read_record(out_dir: Path, sid: str) -> Record | None:
    """The finished record of a submission in `out_dir`, or None when there is none (or it is torn)."""
    try:
        return Record.from_json(json.loads((out_dir / sid / RECORD).read_text()))
    except (OSError, ValueError):
        return None


def read_all_records(out_dir: Path) -> list[Record]:
    """Every record in a graded folder (its */grade.json), in folder order; ValueError naming a file
    that is not a record."""
    out = []
    for path in sorted(Path(out_dir).glob(f"*/{RECORD}")):
        try:
            out.append(Record.from_json(json.loads(path.read_text())))
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None
    return out


def gradebook_csv(records: list[Record], questions: list[str]) -> str:
    """grades.csv: who (student id, name), which file, status, score, one column per question, and
    why (detail: the status's reason on one line; note: what was decided about the files)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        ["student", "name", "submission", "status", "score", "max_score", *questions, "detail", "note"]
    )
    for rec in sorted(records, key=lambda r: (r.who, r.submission)):
        writer.writerow(
            [
                rec.who,
                rec.name,
                rec.submission,
                rec.status.value,
                _num(rec.score),
                _num(rec.max_score),
                *(_num(rec.questions.get(q, 0.0)) for q in questions),
                one_line(rec.detail),
                one_line(rec.note),
            ]
        )
    return buf.getvalue()


def one_line(text: str, limit: int = 300) -> str:
    """`text` on one line, cut at `limit` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def summarize(records: list[Record], ag: Autograder) -> dict:
    """Per-question mean, share of full marks and most frequent failing case over the graded
    submissions (`Status.graded`); status counts; how many were left out of the statistics and why."""
    graded = [r for r in records if r.status.graded]
    left_out = Counter(r.status.value for r in records if not r.status.graded)
    questions = {}
    for tf in ag.test_files:
        scores = [r.questions.get(tf.name, 0.0) for r in graded]
        failing = Counter(c.test for r in graded for c in r.failed_cases(tf.name))
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
    totals = [r.score for r in graded]
    return {
        "submissions": len(records),
        "graded": len(graded),
        "left_out": dict(sorted(left_out.items())),
        "max_score": ag.max_score,
        "mean_score": round(sum(totals) / len(totals), 4) if totals else 0.0,
        "statuses": dict(Counter(r.status.value for r in records)),
        "questions": questions,
    }


def _left_out(summary: dict) -> str:
    parts = [f"{count} {status}" for status, count in summary.get("left_out", {}).items()]
    return f"left out of the statistics: {', '.join(parts)}" if parts else "none left out"


def summary_table(summary: dict) -> str:
    """The per-question table printed at the end of a grading run."""
    lines = [f"{'question':<10}{'max':>6}{'mean':>8}{'full':>7}  most frequent failing case"]
    for name, q in summary["questions"].items():
        fail = f"{q['most_failed_case']} ({q['most_failed_count']}x)" if q["most_failed_case"] else "-"
        lines.append(f"{name:<10}{q['max']:>6g}{q['mean']:>8.2f}{q['full_marks_share']:>7.0%}  {fail}")
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(summary["statuses"].items()))
    lines.append(
        f"{summary['submissions']} submissions, {summary['graded']} graded: "
        f"mean {summary['mean_score']:.2f} / {summary['max_score']:g}; {statuses}; {_left_out(summary)}"
    )
    return "\n".join(lines)


def score_plot(summary: dict, records: list[Record], target: Path) -> None:
    """Save a histogram of the graded submissions' total scores, one bar per point."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    max_score = summary["max_score"]
    scores = [r.score for r in records if r.status.graded]
    edges = [k - 0.5 for k in range(int(max_score) + 2)]  # bars centred on 0, 1, ..., max
    fig, ax = plt.subplots(figsize=(7, 3.6))
    ax.hist(scores, bins=edges, color="#3b6ea8", edgecolor="white")
    ax.set_xlim(-0.5, max_score + 0.5)
    ax.set_xlabel(f"score (of {max_score:g})")
    ax.set_ylabel("submissions")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"Scores of {len(scores)} graded submissions; {_left_out(summary)}", fontsize=9)
    fig.tight_layout()
    fig.savefig(target, dpi=110)
    plt.close(fig)


def write_ignored(out_dir: Path, ignored: list[tuple[Path, str]]) -> None:
    """ignored.csv: every file that was seen and not graded, and why (nothing is dropped silently)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["file", "why"])
    writer.writerows((str(path), why) for path, why in ignored)
    atomic_write(out_dir / "ignored.csv", buf.getvalue())


def write_gradebook(out_dir: Path, records: list[Record], ag: Autograder) -> dict:
    """Write grades.csv, summary.json and scores.png; return the summary."""
    atomic_write(out_dir / "grades.csv", gradebook_csv(records, ag.questions))
    summary = summarize(records, ag)
    atomic_write(out_dir / "summary.json", json.dumps(summary, indent=2) + "\n")
    atomic_write(out_dir / "summary.txt", summary_table(summary) + "\n")
    if records:
        score_plot(summary, records, out_dir / "scores.png")
    return summary
