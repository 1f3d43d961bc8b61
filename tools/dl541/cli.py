"""The `dl541` command: build distributions, grade a class, check one submission, verify the tests."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from . import paths
from .bundle import DEFAULT_VISIBILITY, VISIBILITIES
from .cli_class import export_command, feedback_command, similarity_command
from .cli_options import assignments_named, autograder_for, grading_options_from, with_grading_options
from .settings import Limits, Options, default_jobs
from .status import Status

os.environ.setdefault("MPLBACKEND", "Agg")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dl541")
def main() -> None:
    """Build, grade and verify the DL541 assignments (the practice of deep learning)."""


@main.command("build")
@click.argument("assignments", nargs=-1)
@click.option(
    "--dist",
    type=click.Path(path_type=Path),
    default=paths.DEFAULT_DIST,
    show_default=True,
    help="Where the distributions go.",
)
@click.option(
    "--hidden-visibility",
    type=click.Choice(VISIBILITIES),
    default=DEFAULT_VISIBILITY,
    show_default=True,
    help="When students see hidden tests' results (and counter-examples) on Gradescope; "
    "every grading path writes results.json with it.",
)
def build_command(assignments: tuple[str, ...], dist: Path, hidden_visibility: str) -> None:
    """Build student notebooks, solution notebooks and Otter autograder zips (all when none named)."""
    from .build import build_assignment

    for assignment in assignments_named(assignments):
        start = time.monotonic()
        built = build_assignment(assignment, dist, hidden_visibility)
        click.echo(
            f"{assignment.name}: {sum(built.points.values()):g} points in {len(built.points)} questions -> "
            f"{built.student_zip}, {built.autograder_zip} ({time.monotonic() - start:.1f} s)"
        )


@main.command("grade")
@click.argument("assignment")
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    required=True,
    help="Output folder: grades.csv, summary.json, scores.png and one folder per submission.",
)
@click.option("--regrade", is_flag=True, help="Grade again even where a result is already there.")
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV with columns id,name (others allowed): names in the gradebook, and a row for each "
    "student without a submission.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="tcp://HOST:PORT|local",
    help="Grade on a Dask cluster (one task per submission); 'local' starts one on this machine.",
)
@with_grading_options
def grade_command(
    assignment,
    submissions,
    out_dir,
    regrade,
    roster,
    scheduler,
    jobs,
    device,
    timeout,
    test_timeout,
    memory_mb,
    autograder_zip,
    dist,
) -> None:
    """Grade SUBMISSIONS of ASSIGNMENT into --out: .ipynb, .py or export .zip files, folders searched
    recursively (a sub-folder per student), Canvas or Gradescope bulk downloads."""
    from . import api, report
    from .progress import Progress

    chosen = assignments_named((assignment,))[0]
    try:
        found = api.collect_class(chosen, submissions, roster)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="SUBMISSIONS") from None
    ag = autograder_for(chosen, autograder_zip, dist)
    options = grading_options_from(jobs, device, timeout, test_timeout, memory_mb, regrade)
    start = time.monotonic()
    with Progress(len(found.entries), f"grading {chosen.name}") as progress:
        book = api.grade(
            chosen,
            submissions,
            out_dir,
            options,
            ag=ag,
            roster=roster,
            scheduler=scheduler,
            on_result=progress.update,
            watch=progress.watch,
            found=found,
        )
    click.echo(report.summary_table(book.summary))
    missing = sum(1 for r in book.records if r.status == Status.MISSING)
    click.echo(
        f"graded {len(book.records) - book.resumed - missing}, kept {book.resumed} earlier result(s), "
        f"{missing} on the roster without a submission; in "
        f"{time.monotonic() - start:.1f} s on {options.device} "
        + (f"on Dask ({scheduler})" if scheduler else f"with {options.jobs} job(s)")
    )
    click.echo(f"gradebook: {book.grades_csv}; feedback: {out_dir}/STUDENT/feedback.html")


@main.command("check")
@click.argument("assignment")
@click.argument("submission", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--hidden/--public-only", default=True, show_default=True, help="Show hidden tests too.")
@with_grading_options
def check_command(
    assignment, submission, hidden, jobs, device, timeout, test_timeout, memory_mb, autograder_zip, dist
) -> None:
    """Grade one SUBMISSION and print every test's result, with the counter-example of each failure."""
    from . import api
    from .protocol import reason

    chosen = assignments_named((assignment,))[0]
    ag = autograder_for(chosen, autograder_zip, dist)
    record = api.check(
        chosen, submission, grading_options_from(1, device, timeout, test_timeout, memory_mb), ag=ag
    )
    click.echo(
        f"{submission.name}: {record.status}" + (f" — {record.detail}" if record.detail else "")
    )
    for case in record.cases:
        if case.hidden and not hidden:
            continue
        mark = click.style("PASS", fg="green") if case.passed else click.style("FAIL", fg="red")
        kind = "hidden" if case.hidden else "public"
        click.echo(f"  {mark} {case.question:<4} {kind:<6} {case.test} ({case.points:g} pt)")
        if not case.passed:
            body = reason(case.message)
            click.echo("\n".join("         " + line for line in body.splitlines()))
    click.echo(f"score: {record.score:g} / {record.max_score:g}")
    for q, score in record.questions.items():
        click.echo(f"  {q}: {score:g}")


@main.command("run-autograder")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("/autograder"),
    show_default=True,
    help="A folder laid out as Gradescope does: source/ (the unzipped autograder), submission/, results/.",
)
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True)
@click.option("--timeout", type=click.FloatRange(min=1), default=Options.timeout, show_default=True)
@click.option("--test-timeout", type=click.FloatRange(min=1), default=Limits.test_timeout, show_default=True)
@click.option("--memory-mb", type=click.IntRange(min=64), default=Limits.memory_mb, show_default=True)
def run_autograder_command(root: Path, device, timeout, test_timeout, memory_mb) -> None:
    """Grade ROOT/submission with ROOT/source, write ROOT/results/results.json: what the zip's
    run_autograder does on Gradescope, confined exactly as `dl541 grade`."""
    from .gradescope import run_autograder as run

    options = grading_options_from(1, device, timeout, test_timeout, memory_mb, regrade=True)
    start = time.monotonic()
    try:
        results = run(root, options)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(results.get("output", ""))
    possible = sum(t.get("max_score", 0) for t in results["tests"])
    click.echo(f"score: {results['score']:g} / {possible:g} ({time.monotonic() - start:.1f} s)")
    click.echo(f"results: {root / 'results' / 'results.json'}")


@main.command("verify")
@click.argument("assignments", nargs=-1)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=default_jobs(), show_default=True)
@click.option("--dist", type=click.Path(path_type=Path), default=paths.DEFAULT_DIST, show_default=True)
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True)
@click.option(
    "--mutants",
    "mutant_count",
    default="12",
    show_default=True,
    help="Automatic mutants per assignment: a number (a fixed sample), 'all', or 0 for none.",
)
def verify_command(assignments, jobs, dist, device, mutant_count) -> None:
    """Prove each assignment's tests: reference full, skeleton zero, mistakes and mutants caught,
    an independent solution accepted, stable grades, CPU/CUDA parity, nothing leaked."""
    from .verify import verify_assignment

    if mutant_count == "all":
        limit = None
    elif mutant_count.isdigit():
        limit = int(mutant_count)
    else:
        raise click.BadParameter(f"use a number or 'all', not {mutant_count!r}", param_hint="--mutants")
    failed = []
    for chosen in assignments_named(assignments):
        ok, table = verify_assignment(chosen, dist, jobs=jobs, device=device, mutant_limit=limit)
        click.echo(table)
        if not ok:
            failed.append(chosen.name)
    if failed:
        click.echo(click.style(f"verify FAILED for {', '.join(failed)}", fg="red"))
        sys.exit(1)
    click.echo(click.style("verify passed", fg="green"))


@main.command("bench")
@click.argument("assignment", required=False)
@click.option(
    "-n",
    "count",
    type=click.IntRange(min=1),
    default=40,
    show_default=True,
    help="Submissions (a mix of reference, skeleton and broken ones).",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=2, show_default=True)
@click.option(
    "--otter-limit",
    type=click.IntRange(min=1),
    default=None,
    help="Time `otter run` on only this many submissions and scale up (it is slow).",
)
@click.option("--no-otter", is_flag=True, help="Skip the `otter run` loop.")
@click.option(
    "--gradescope",
    is_flag=True,
    help="Instead: time `dl541 run-autograder` (the Gradescope path) on the reference notebook of "
    "ASSIGNMENT, or of every assignment when none is named.",
)
def bench_command(
    assignment: str | None, count: int, jobs: int, otter_limit: int | None, no_otter: bool, gradescope: bool
) -> None:
    """Time `dl541 grade` on ASSIGNMENT (default depth) against a loop of `otter run` and against the
    one-process floor; with --gradescope, time the Gradescope path."""
    from .bench import bench_grading, time_gradescope

    if gradescope:
        click.echo(time_gradescope(assignments_named((assignment,) if assignment else ())))
        return
    chosen = assignments_named((assignment or "depth",))[0]
    click.echo(bench_grading(chosen, count, jobs, otter_limit, no_otter).table())


@main.command("demo")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=paths.DEFAULT_DIST / "demo",
    show_default=True,
    help="Where the samples and gradebooks go.",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=default_jobs(), show_default=True)
def demo_command(out_dir: Path, jobs: int) -> None:
    """Build every assignment, grade its bundled sample submissions and print the gradebooks."""
    from . import report
    from .build import build_assignment
    from .bundle import open_zip
    from .grader import grade_batch
    from .samples import write_samples
    from .settings import Options

    for chosen in assignments_named(()):
        name = chosen.name
        built = build_assignment(chosen, paths.DEFAULT_DIST)
        samples = write_samples(
            chosen, built.solution_notebook, built.student_notebook, chosen.folder_in(out_dir) / "submissions"
        )
        ag = open_zip(built.autograder_zip)
        graded = chosen.folder_in(out_dir) / "grades"
        records = grade_batch(
            ag, [s.path for s in samples], graded, Options(jobs=jobs, regrade=True), assignment=name
        )
        report.write_gradebook(graded, records, ag)
        click.echo(f"\n== {name}: {graded / 'grades.csv'}")
        click.echo((graded / "grades.csv").read_text().rstrip())


@main.command("figures")
@click.argument("assignments", nargs=-1)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True, help="Where the PNGs go.")
@click.option("--timeout", type=float, default=300, show_default=True, help="Seconds per notebook cell.")
def figures_command(assignments: tuple[str, ...], out_dir: Path, timeout: float) -> None:
    """Run each solution notebook (all when none named) as a student would and save every figure of
    its demo cells as OUT/NAME-cellNN-K.png, to look at them at once."""
    import tempfile

    from .figures import save_figures

    for chosen in assignments_named(assignments):
        start = time.monotonic()
        with tempfile.TemporaryDirectory(prefix=f"dl541-figures-{chosen.name}-") as work:
            try:
                written = save_figures(chosen, out_dir, Path(work), timeout)
            except RuntimeError as exc:
                raise click.ClickException(str(exc)) from None
        click.echo(f"{chosen.name}: {len(written)} figures in {out_dir} ({time.monotonic() - start:.0f} s)")
        for path in written:
            click.echo(f"  {path.name}")


for _command in (feedback_command, export_command, similarity_command):
    main.add_command(_command)

if __name__ == "__main__":
    main()
