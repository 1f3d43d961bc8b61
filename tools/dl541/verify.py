"""`dl541 verify`: prove an assignment's hidden tests instead of trusting them."""

from __future__ import annotations

import ast
import tempfile
from pathlib import Path

from . import casebook, gradescope, known_wrong, mutants, report, skeleton, testfiles, verify_sharpness
from .assignment import Assignment
from .build import build_assignment
from .bundle import open_zip
from .grader import grade_batch, resolve_device
from .records import Record
from .samples import write_samples
from .settings import Options
from .source_spans import solution_markers
from .status import Status
from .verify_table import Row, table


def verify_assignment(
    assignment: Assignment, dist: Path, jobs: int = 2, device: str = "auto", mutant_limit: int | None = 12
) -> tuple[bool, str]:
    """Run every check on `assignment`; mutants: a fixed sample of `mutant_limit` (None: all, 0: none)."""
    name = assignment.name
    rows: list[Row] = []
    built = build_assignment(assignment, dist)
    ag = open_zip(built.autograder_zip)
    with tempfile.TemporaryDirectory(prefix=f"dl541-verify-{name}-") as tmp:
        tmp_path = Path(tmp)
        samples = write_samples(
            assignment, built.solution_notebook, built.student_notebook, tmp_path / "samples"
        )
        subs = [s.path for s in samples]
        alternative = assignment.alternative
        alt_copy = None
        if alternative.is_file():
            alt_copy = tmp_path / "samples" / f"{assignment.name}-alternative.py"
            alt_copy.write_text(alternative.read_text())
            subs.append(alt_copy)
        trivial = None
        if assignment.trivial_answers.is_file():
            trivial = tmp_path / "samples" / f"{assignment.name}-trivial-answers.py"
            trivial.write_text(assignment.trivial_answers.read_text())
            subs.append(trivial)
        known = known_wrong.write_known_wrong(assignment, tmp_path / "mistakes")
        subs += [path for _, path in known.values()]
        every = mutants.generate(assignment) if mutant_limit != 0 else []
        chosen = mutants.write_mutants(mutants.sample(every, mutant_limit), tmp_path / "mutants")
        mutant_paths = [tmp_path / "mutants" / sid for sid in chosen]

        first = _by_id(
            grade_batch(ag, subs + mutant_paths, tmp_path / "run1", Options(jobs=jobs), assignment=name)
        )
        rows += _sample_rows(samples, first, ag.max_score)
        if alt_copy is not None:
            rec = first[alt_copy.name]
            rows.append(
                Row(
                    "independent correct solution gets full marks",
                    _full(rec, ag.max_score),
                    f"{alt_copy.name}: {rec.score:g} / {rec.max_score:g}" + _failures(rec),
                )
            )
        else:
            rows.append(
                Row(
                    "independent correct solution gets full marks",
                    False,
                    f"no {assignment.shown(assignment.alternative)}",
                )
            )
        rows += _mistake_rows(assignment, known, first)
        cases = casebook.read_cases(assignment)
        rows += verify_sharpness.rule_rows(assignment, built.student_notebook, cases)
        rows += verify_sharpness.share_rows(cases)
        rows.append(verify_sharpness.trivial_row(assignment, first.get(trivial.name) if trivial else None))
        rows.append(verify_sharpness.mistake_loss_row(known, first, ag.question_points))
        rows += verify_sharpness.public_catch_rows(known, first, cases)
        if mutant_limit != 0:
            rows += _mutant_rows(assignment, every, chosen, first, ag.max_score)

        # Determinism: the samples and the alternative again, one job instead of `jobs`.
        again = [s.path for s in samples] + ([alt_copy] if alt_copy else [])
        second = _by_id(grade_batch(ag, again, tmp_path / "run2", Options(jobs=1), assignment=name))
        differ = [sid for sid in second if report.comparable(first[sid]) != report.comparable(second[sid])]
        rows.append(
            Row(
                "same grades on a second run, 1 job vs " + str(jobs),
                not differ,
                f"{len(second)} submissions" + (f"; differ: {differ}" if differ else " identical"),
            )
        )

        rows.append(_gradescope_row(built.autograder_zip, again, first, tmp_path / "gradescope"))

        cuda = resolve_device(device) == "cuda"
        if cuda:
            cpu_only = mutants.cpu_only(assignment)
            on_cuda = mutants.write_mutants([m for m in every if m.id in cpu_only], tmp_path / "cpu-only")
            third = _by_id(
                grade_batch(
                    ag,
                    subs + [tmp_path / "cpu-only" / sid for sid in on_cuda],
                    tmp_path / "run3",
                    Options(jobs=jobs, device="cuda"),
                    assignment=name,
                )
            )
            for sid, mutant in on_cuda.items():
                rec = third.pop(sid)
                caught = rec.status != Status.OK or rec.score < ag.max_score - 1e-9
                rows.append(
                    Row(
                        f"CPU-only mutant {mutant.id} is caught on CUDA",
                        caught,
                        f"{rec.status}, {rec.score:g}/{ag.max_score:g}"
                        + ("" if caught else "; the tests do not check the device it claims they do"),
                    )
                )
            differ = [sid for sid in third if report.comparable(first[sid]) != report.comparable(third[sid])]
            rows.append(
                Row(
                    "same grades on CPU and CUDA",
                    not differ,
                    f"{len(third)} submissions" + (f"; differ: {differ}" if differ else " identical"),
                )
            )
        else:
            rows.append(Row("same grades on CPU and CUDA", None, "skipped: CUDA is not available here"))
    rows += _leak_rows(assignment, built.student_dir)
    ok = all(r.ok is not False for r in rows)
    return ok, table(name, ag.max_score, rows)


def _gradescope_row(autograder_zip: Path, subs: list[Path], records: dict[str, Record], work: Path) -> Row:
    """Each sample graded as Gradescope grades it (`dl541 run-autograder`) scores as `dl541 grade` did."""
    differ = []
    for index, path in enumerate(subs):
        root = gradescope.layout(work / str(index), autograder_zip, path)
        gradescope.run_autograder(root, Options(jobs=1, regrade=True))
        if report.comparable(gradescope.graded_record(root)) != report.comparable(records[path.name]):
            differ.append(path.name)
    return Row(
        "same grades through dl541 run-autograder (Gradescope)",
        not differ,
        f"{len(subs)} submissions" + (f"; differ: {differ}" if differ else " identical"),
    )


def _by_id(records: list[Record]) -> dict[str, Record]:
    return {r.submission: r for r in records}


def _full(record: Record, max_score: float) -> bool:
    return abs(record.score - max_score) < 1e-9 and record.status == Status.OK


def _failures(record: Record) -> str:
    failed = [f"{c.question}:{c.test}" for c in record.cases if not c.passed]
    return f"; failed {failed}" if failed else ""


def _sample_rows(samples, records: dict[str, Record], max_score: float) -> list[Row]:
    rows = []
    for sample in samples:
        rec = records[sample.path.name]
        score = rec.score
        if sample.expect == "full":
            ok, want = _full(rec, max_score), "full marks"
        elif sample.expect == "zero":
            ok, want = score == 0, "zero"
        else:
            ok, want = score < max_score, "less than full marks"
        detail = f"{score:g} / {max_score:g}, status {rec.status}"
        if not ok and sample.expect == "full":
            detail += _failures(rec)
        rows.append(Row(f"{sample.path.name} gets {want}", ok, detail))
    return rows


def _mistake_rows(assignment: Assignment, known: dict, records: dict[str, Record]) -> list[Row]:
    if not known:
        catalogue = assignment.shown(assignment.mistakes_catalogue)
        return [Row("known-wrong solutions are caught", False, f"no catalogue {catalogue}")]
    rows = []
    for sid, (mistake, _) in sorted(known.items()):
        rec = records[sid]
        caught = [c.test for c in rec.cases if c.question == mistake.question and not c.passed]
        rows.append(
            Row(
                f"mistake {mistake.id} ({mistake.question}) is caught",
                bool(caught),
                f"by {', '.join(caught)}" if caught else f"NOT caught: {mistake.why}",
            )
        )
    count = len(known)
    rows.append(Row("at least 8 catalogued mistakes", count >= 8, f"{count} mistakes"))
    return rows


def _mutant_rows(
    assignment: Assignment, every: list, chosen: dict, records: dict[str, Record], max_score: float
) -> list[Row]:
    owner = mutants.question_of(assignment)
    known_equivalent = mutants.equivalent(assignment)
    cpu_only = mutants.cpu_only(assignment)
    known_equivalent.update({k: f"identical on the CPU ({why})" for k, why in cpu_only.items()})
    by_question: dict[str, list[int]] = {}
    survivors, contradicted = [], []
    for sid, mutant in chosen.items():
        rec = records[sid]
        killed = rec.status != Status.OK or rec.score < max_score - 1e-9
        question = owner.get(mutant.function, "shared")
        tally = by_question.setdefault(question, [0, 0])
        tally[0] += killed
        tally[1] += 1
        if not killed:
            survivors.append((mutant, question))
        elif mutant.id in known_equivalent:
            contradicted.append((mutant, rec))
    scope = "all" if len(chosen) == len(every) else f"a fixed sample of {len(chosen)} of {len(every)}"
    scores = ", ".join(f"{q} {k}/{n}" for q, (k, n) in sorted(by_question.items()))
    killed_total = sum(k for k, _ in by_question.values())
    rows = [
        Row(
            f"mutation score ({scope} mutants)",
            None if not chosen else True,
            f"{killed_total}/{len(chosen)} killed; {scores}",
        )
    ]
    generated = {m.id for m in every}
    for stale in sorted(set(known_equivalent) - generated):  # every listing, whatever was sampled
        rows.append(
            Row(
                f"listed equivalent mutant {stale}",
                False,
                "no such mutant of the reference any more: remove it from equivalent_mutants.py",
            )
        )
    for mutant, rec in contradicted:
        rows.append(
            Row(
                f"listed equivalent mutant {mutant.id}",
                False,
                f"a test tells it apart ({rec.status}, {rec.score:g}/{max_score:g}): "
                "the listing is wrong or that test is over-strict",
            )
        )
    for mutant, question in survivors:
        why = known_equivalent.get(mutant.id) or (
            "it changes only the text of an error message, which the handout does not fix"
            if mutant.message_only
            else None
        )
        ok = bool(why)
        rows.append(
            Row(
                f"surviving mutant {mutant.id} ({question})",
                ok,
                f"line {mutant.line}: {mutant.before!r} -> {mutant.after!r}"
                + (f"; equivalent: {why}" if why else "; not killed and not shown equivalent"),
            )
        )
    return rows


def hidden_case_names(assignment: Assignment) -> list[str]:
    """Function names of the hidden test cases of `assignment`."""
    return [
        node.name
        for path in assignment.question_files
        for node in ast.parse(path.read_text()).body
        if testfiles.is_hidden_case(node)
    ]


def distinctive_solution_lines(assignment: Assignment) -> list[str]:
    """Distinctive lines of the reference's solution regions (absent from its handout parts)."""
    reference = assignment.reference.read_text()
    origin = assignment.shown(assignment.reference)
    handout = {line.strip() for line in skeleton.strip_solutions(reference, origin).splitlines()}
    inside = solution_markers(reference, origin).inside_regions()
    lines = []
    for number, line in enumerate(reference.splitlines(), start=1):
        stripped = line.strip()
        if (
            number in inside
            and len(stripped) >= 16
            and not stripped.startswith("#")
            and stripped not in handout
        ):
            lines.append(stripped)
    return lines


def _leak_rows(assignment: Assignment, student_dir: Path) -> list[Row]:
    texts = {
        p.relative_to(student_dir).as_posix(): p.read_text(errors="replace")
        for p in student_dir.rglob("*")
        if p.is_file()
    }
    hidden = hidden_case_names(assignment)
    leaked_tests = sorted({f"{n} in {f}" for n in hidden for f, t in texts.items() if n in t})
    solution = set(distinctive_solution_lines(assignment))
    leaked_code = sorted(
        {f"{line!r} in {f}" for f, t in texts.items() for line in _code_lines(f, t) if line in solution}
    )
    return [
        Row(
            "student distribution holds no hidden test",
            not leaked_tests,
            f"{len(hidden)} hidden tests checked" + (f"; leaked: {leaked_tests[:5]}" if leaked_tests else ""),
        ),
        Row(
            "student distribution holds no solution code",
            not leaked_code,
            f"{len(solution)} solution lines checked"
            + (f"; leaked: {leaked_code[:5]}" if leaked_code else ""),
        ),
    ]


def _code_lines(filename: str, text: str) -> set[str]:
    """The stripped source lines of a file; for a notebook, of its code cells."""
    if filename.endswith(".ipynb"):
        import json

        cells = json.loads(text).get("cells", [])
        text = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code")
    return {line.strip() for line in text.splitlines()}
