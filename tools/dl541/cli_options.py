"""What the `dl541` commands share: naming assignments, finding the autograder, grading options."""

from __future__ import annotations

from pathlib import Path

import click

from . import paths
from .assignment import Assignment
from .settings import Limits, Options, default_jobs


def assignments_named(names: tuple[str, ...]) -> list[Assignment]:
    """The named assignments (all when none is named); a usage error names the available ones."""
    try:
        return Assignment.resolve(names)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def autograder_for(assignment: Assignment, zip_path: Path | None, dist: Path):
    from . import api

    if zip_path is None and not assignment.distribution(dist).autograder_zip.is_file():
        click.echo(
            f"{assignment.distribution(dist).autograder_zip} is missing: building {assignment.name} first",
            err=True,
        )
    try:
        return api.load_autograder(assignment, dist, zip_path)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


grading_options = [
    click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=default_jobs(),
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
        default=Options.timeout,
        show_default=True,
        help="Wall-clock seconds per submission.",
    ),
    click.option(
        "--test-timeout",
        type=click.FloatRange(min=1),
        default=Limits.test_timeout,
        show_default=True,
        help="Wall-clock seconds per test case (and per notebook cell).",
    ),
    click.option(
        "--memory-mb",
        type=click.IntRange(min=64),
        default=Limits.memory_mb,
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


def with_grading_options(func):
    for option in reversed(grading_options):
        func = option(func)
    return func


def grading_options_from(jobs, device, timeout, test_timeout, memory_mb, regrade=False):
    from . import api

    try:
        return api.options(jobs, device, timeout, test_timeout, memory_mb, regrade)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
