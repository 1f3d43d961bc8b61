"""The instructor's commands after grading: feedback to students, LMS exports, similarity."""

from __future__ import annotations

from pathlib import Path

import click

from . import paths
from .cli_options import assignments_named, autograder_for


@click.command("feedback")
@click.argument("assignment")
@click.argument("graded", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--reveal", is_flag=True, help="Show hidden tests' details (after the due date, if that is your setting)."
)
@click.option("--autograder", "autograder_zip", type=click.Path(path_type=Path), default=None)
@click.option("--dist", type=click.Path(path_type=Path), default=paths.DEFAULT_DIST, show_default=True)
def feedback_command(assignment, graded, reveal, autograder_zip, dist) -> None:
    """Write feedback.html and feedback.md again in every student folder of GRADED (a --out folder)."""
    from .feedback import write_all_feedback

    chosen = assignments_named((assignment,))[0]
    ag = autograder_for(chosen, autograder_zip, dist)
    count = len(write_all_feedback(graded, ag, reveal=reveal, title=chosen.title))
    click.echo(f"feedback written for {count} submission(s) in {graded}")


@click.command("export")
@click.argument("assignment")
@click.argument("graded", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["canvas", "gradescope", "csv"]),
    default="canvas",
    show_default=True,
    help="The column layout of the LMS that will import the file.",
)
@click.option("--column", default=None, help="The assignment's column name in the LMS (default: ASSIGNMENT).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_command(assignment, graded, fmt, column, out_file) -> None:
    """Write the gradebook of GRADED (a --out folder of dl541 grade) in an LMS's import layout."""
    from . import report
    from .exports import export

    chosen = assignments_named((assignment,))[0]
    records = report.read_all_records(graded)
    if not records:
        raise click.UsageError(f"{graded} holds no graded submission (no */grade.json)")
    report.atomic_write(out_file, export(records, fmt, column or chosen.name, records[0].max_score))
    click.echo(f"{len(records)} rows in {fmt} layout -> {out_file}")


@click.command("similarity")
@click.argument("assignment")
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True)
def similarity_command(assignment, submissions, roster, out_dir) -> None:
    """Compare what students wrote in the solution regions (the handout's code subtracted): writes
    similarity.csv (a,b,similarity, highest first) and similarity.html (matched regions side by side)."""
    from . import api, similarity

    chosen = assignments_named((assignment,))[0]
    try:
        found = api.collect_class(chosen, submissions, roster)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="SUBMISSIONS") from None
    files = {entry.student: entry.path for entry in found.entries if entry.path is not None}
    result = similarity.compare_students(files, chosen)
    similarity.write_report(result, out_dir)
    click.echo(
        f"{len(files)} students compared -> {out_dir / 'similarity.csv'}, {out_dir / 'similarity.html'}"
    )
