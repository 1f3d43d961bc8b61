"""Shared fixtures: one build of the depth assignment and its sample submissions per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dl541 import build, bundle, gradescope, paths, report
from dl541.assignment import Assignment
from dl541.samples import write_samples
from dl541.settings import Options

sys.path.insert(0, str(paths.TESTING_MODULE.parent))  # dl541_testing, for tests that run test files


@pytest.fixture(scope="session")
def depth_build(tmp_path_factory) -> build.Built:
    return build.build_assignment(Assignment.named("depth"), tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def depth_ag(depth_build):
    return bundle.open_zip(depth_build.autograder_zip)


@pytest.fixture(scope="session")
def depth_samples(depth_build, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("samples")
    samples = write_samples(
        depth_build.assignment, depth_build.solution_notebook, depth_build.student_notebook, out
    )
    return {s.path.name.removeprefix("depth-"): s.path for s in samples}


@pytest.fixture(scope="session")
def regrade_as_gradescope(tmp_path_factory):
    """Grade the files of `records` again as Gradescope does (`dl541 run-autograder`, in-process)
    and return the submissions whose grade differs from the one in `records`, with both grades."""

    def differences(ag, records: list[dict], options: Options) -> dict[str, tuple]:
        base = tmp_path_factory.mktemp("gradescope")
        options = Options(jobs=1, timeout=options.timeout, limits=options.limits, regrade=True)
        differ = {}
        for index, record in enumerate(records):
            root = gradescope.layout(base / str(index), ag.zip_path, Path(record.file))
            gradescope.run_autograder(root, options)
            again = gradescope.graded_record(root)
            if report.comparable(again) != report.comparable(record):
                differ[record.submission] = (
                    again.status,
                    again.score,
                    record.status,
                    record.score,
                )
        return differ

    return differences
