"""Shared fixtures: one build of the depth assignment and its sample submissions per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dl541 import autograder, build, paths
from dl541.samples import write_samples

sys.path.insert(0, str(paths.AUTOGRADER_DIR))  # dl541_testing, for tests that run test files


@pytest.fixture(scope="session")
def depth_build(tmp_path_factory) -> build.Built:
    return build.build("depth", tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def depth_ag(depth_build):
    return autograder.load(depth_build.autograder_zip)


@pytest.fixture(scope="session")
def depth_samples(depth_build, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("samples")
    samples = write_samples(
        "depth", depth_build.solution_notebook, depth_build.student_dir / "depth.ipynb", out
    )
    return {s.path.name.removeprefix("depth-"): s.path for s in samples}
