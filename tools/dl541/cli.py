"""The `dl541` command: build distributions, grade a class, check one submission, verify the tests."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from . import paths
from .autograder import DEFAULT_VISIBILITY, VISIBILITIES

os.environ.setdefault("MPLBACKEND", "Agg")


def _assignments(names: tuple[str, ...]) -> list[str]:
    try:
        return paths.resolve_assignments(names)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dl541")
def main() -> None:
    """Build, grade and verify the DL541 assignments (the practice of deep learning)."""


@main.command()
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
def build(assignments: tuple[str, ...], dist: Path, hidden_visibility: str) -> None:
    """Build student notebooks, solution notebooks and Otter autograder zips (all when none named)."""
    from .build import build as build_one

    for name in _assignments(assignments):
        start = time.monotonic()
        built = build_one(name, dist, hidden_visibility)
        click.echo(
            f"{name}: {sum(built.points.values()):g} points in {len(built.points)} questions -> "
            f"{built.student_zip}, {built.autograder_zip} ({time.monotonic() - start:.1f} s)"
        )


def _expand(submissions: tuple[Path, ...]) -> list[Path]:
    out: list[Path] = []
    for path in submissions:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")))
        elif path.exists():
            out.append(path)
        else:
            raise click.BadParameter(f"{path} does not exist", param_hint="SUBMISSIONS")
    if not out:
        raise click.BadParameter("no submission files found", param_hint="SUBMISSIONS")
    return out


def _autograder_for(name: str, zip_path: Path | None, dist: Path):
    from . import autograder
    from .build import build as build_one

    if zip_path is None:
        zip_path = dist / name / "autograder.zip"
        if not zip_path.is_file():
            click.echo(f"{zip_path} is missing: building {name} first", err=True)
            build_one(name, dist)
    try:
        return autograder.load(zip_path)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


grading_options = [
    click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=os.cpu_count() or 1,
        show_default=True,
        help="Submissions graded at once.",
    ),
    click.option(
        "--device",
        type=click.Choice(["auto", "cpu", "cuda"]),
        default="auto",
        show_default=True,
        help="Device the tests run on.",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(min=1),
        default=600,
        show_default=True,
        help="Wall-clock seconds per submission.",
    ),
    click.option(
        "--test-timeout",
        type=click.FloatRange(min=1),
        default=60,
        show_default=True,
        help="Wall-clock seconds per test case (and per notebook cell).",
    ),
    click.option(
        "--memory-mb",
        type=click.IntRange(min=64),
        default=4096,
        show_default=True,
        help="Extra memory a submission may allocate.",
    ),
    click.option(
        "--autograder",
        "autograder_zip",
        type=click.Path(path_type=Path),
        default=None,
        help="Autograder zip (default: dist/ASSIGNMENT/autograder.zip, built if missing).",
    ),
    click.option(
        "--dist",
        type=click.Path(path_type=Path),
        default=paths.DEFAULT_DIST,
        show_default=True,
        help="Where the distributions are.",
    ),
]


def _with_grading_options(func):
    for option in reversed(grading_options):
        func = option(func)
    return func


def _options(jobs, device, timeout, test_timeout, memory_mb, regrade=False):
    from .grader import Options, resolve_device
    from .sandbox import Limits

    try:
        device = resolve_device(device)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    limits = Limits(test_timeout=min(test_timeout, timeout), memory_mb=memory_mb)
    return Options(jobs=jobs, device=device, timeout=timeout, limits=limits, regrade=regrade)


@main.command()
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
    "--scheduler",
    default=None,
    metavar="tcp://HOST:PORT|local",
    help="Grade on a Dask cluster (one task per submission); 'local' starts one on this machine.",
)
@_with_grading_options
def grade(
    assignment,
    submissions,
    out_dir,
    regrade,
    scheduler,
    jobs,
    device,
    timeout,
    test_timeout,
    memory_mb,
    autograder_zip,
    dist,
) -> None:
    """Grade SUBMISSIONS (.ipynb, .py, export .zip, or folders of them) of ASSIGNMENT into --out."""
    from . import report
    from .grader import grade_batch
    from .progress import Progress

    name = _assignments((assignment,))[0]
    files = _expand(submissions)
    ag = _autograder_for(name, autograder_zip, dist)
    options = _options(jobs, device, timeout, test_timeout, memory_mb, regrade)
    start = time.monotonic()
    with Progress(len(files), f"grading {name}") as progress:
        records = grade_batch(
            ag, files, out_dir, options, on_result=progress.update, assignment=name, scheduler=scheduler
        )
    summary = report.write_gradebook(out_dir, records, ag)
    click.echo(report.summary_table(summary))
    resumed = sum(1 for r in records if r.get("resumed"))
    click.echo(
        f"graded {len(records) - resumed}, kept {resumed} earlier result(s) in "
        f"{time.monotonic() - start:.1f} s on {options.device} "
        + (f"on Dask ({scheduler})" if scheduler else f"with {options.jobs} job(s)")
    )
    click.echo(f"gradebook: {out_dir / 'grades.csv'}")


@main.command()
@click.argument("assignment")
@click.argument("submission", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--hidden/--public-only", default=True, show_default=True, help="Show hidden tests too.")
@_with_grading_options
def check(
    assignment, submission, hidden, jobs, device, timeout, test_timeout, memory_mb, autograder_zip, dist
) -> None:
    """Grade one SUBMISSION and print every test's result, with the counter-example of each failure."""
    import tempfile

    from .grader import grade_batch

    name = _assignments((assignment,))[0]
    ag = _autograder_for(name, autograder_zip, dist)
    options = _options(1, device, timeout, test_timeout, memory_mb, regrade=True)
    with tempfile.TemporaryDirectory() as tmp:
        (record,) = grade_batch(ag, [submission], Path(tmp), options, assignment=name)
    click.echo(
        f"{submission.name}: {record['status']}" + (f" — {record['detail']}" if record["detail"] else "")
    )
    for case in record["cases"]:
        if case["hidden"] and not hidden:
            continue
        mark = click.style("PASS", fg="green") if case["passed"] else click.style("FAIL", fg="red")
        kind = "hidden" if case["hidden"] else "public"
        test = case.get("test", case["case"])
        click.echo(f"  {mark} {case['question']:<4} {kind:<6} {test} ({case['points']:g} pt)")
        if not case["passed"]:
            body = case["message"].replace("❌ Test case failed\n", "")
            click.echo("\n".join("         " + line for line in body.splitlines()))
    click.echo(f"score: {record['score']:g} / {record['max_score']:g}")
    for q, score in record["questions"].items():
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
@click.option("--timeout", type=click.FloatRange(min=1), default=600, show_default=True)
@click.option("--test-timeout", type=click.FloatRange(min=1), default=60, show_default=True)
@click.option("--memory-mb", type=click.IntRange(min=64), default=4096, show_default=True)
def run_autograder(root: Path, device, timeout, test_timeout, memory_mb) -> None:
    """Grade ROOT/submission with ROOT/source, write ROOT/results/results.json: what the zip's
    run_autograder does on Gradescope, confined exactly as `dl541 grade`."""
    from .gradescope import run_autograder as run

    options = _options(1, device, timeout, test_timeout, memory_mb, regrade=True)
    start = time.monotonic()
    try:
        results = run(root, options)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(results.get("output", ""))
    possible = sum(t.get("max_score", 0) for t in results["tests"])
    click.echo(f"score: {results['score']:g} / {possible:g} ({time.monotonic() - start:.1f} s)")
    click.echo(f"results: {root / 'results' / 'results.json'}")


@main.command()
@click.argument("assignments", nargs=-1)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default=True)
@click.option("--dist", type=click.Path(path_type=Path), default=paths.DEFAULT_DIST, show_default=True)
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True)
@click.option(
    "--mutants",
    "mutant_count",
    default="12",
    show_default=True,
    help="Automatic mutants per assignment: a number (a fixed sample), 'all', or 0 for none.",
)
def verify(assignments, jobs, dist, device, mutant_count) -> None:
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
    for name in _assignments(assignments):
        ok, table = verify_assignment(name, dist, jobs=jobs, device=device, mutant_limit=limit)
        click.echo(table)
        if not ok:
            failed.append(name)
    if failed:
        click.echo(click.style(f"verify FAILED for {', '.join(failed)}", fg="red"))
        sys.exit(1)
    click.echo(click.style("verify passed", fg="green"))


@main.command()
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
def bench(
    assignment: str | None, count: int, jobs: int, otter_limit: int | None, no_otter: bool, gradescope: bool
) -> None:
    """Time `dl541 grade` on ASSIGNMENT (default depth) against a loop of `otter run` and against the
    one-process floor; with --gradescope, time the Gradescope path."""
    from .bench import run, time_gradescope

    if gradescope:
        click.echo(time_gradescope(_assignments((assignment,) if assignment else ())))
        return
    name = _assignments((assignment or "depth",))[0]
    click.echo(run(name, count, jobs, otter_limit, no_otter).table())


@main.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=paths.DEFAULT_DIST / "demo",
    show_default=True,
    help="Where the samples and gradebooks go.",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default=True)
def demo(out_dir: Path, jobs: int) -> None:
    """Build every assignment, grade its bundled sample submissions and print the gradebooks."""
    from . import report
    from .autograder import load
    from .build import build as build_one
    from .grader import Options, grade_batch
    from .samples import write_samples

    for name in _assignments(()):
        built = build_one(name, paths.DEFAULT_DIST)
        samples = write_samples(
            name, built.solution_notebook, built.student_dir / f"{name}.ipynb", out_dir / name / "submissions"
        )
        ag = load(built.autograder_zip)
        graded = out_dir / name / "grades"
        records = grade_batch(
            ag, [s.path for s in samples], graded, Options(jobs=jobs, regrade=True), assignment=name
        )
        report.write_gradebook(graded, records, ag)
        click.echo(f"\n== {name}: {graded / 'grades.csv'}")
        click.echo((graded / "grades.csv").read_text().rstrip())


if __name__ == "__main__":
    main()
