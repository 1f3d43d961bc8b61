"""CPU/CUDA parity: the same submissions get the same grades on both (skipped without CUDA)."""

from __future__ import annotations

import pytest
import torch

from dl541 import known_wrong
from dl541.assignment import Assignment
from dl541.grader import grade_batch
from dl541.settings import Options

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA is not available")


def _grades(records):
    return sorted((r.submission, r.status, r.score, tuple(sorted(r.questions.items()))) for r in records)


def test_depth_grades_match_on_cpu_and_cuda(depth_ag, depth_samples, tmp_path):
    files = list(depth_samples.values())
    known = known_wrong.write_known_wrong(Assignment.named("depth"), tmp_path / "mistakes")
    files += [path for _, path in known.values()]
    cpu = grade_batch(depth_ag, files, tmp_path / "cpu", Options(jobs=2, device="cpu"), assignment="depth")
    cuda = grade_batch(depth_ag, files, tmp_path / "cuda", Options(jobs=2, device="cuda"), assignment="depth")
    assert _grades(cpu) == _grades(cuda)
    assert {r.device for r in cuda} == {"cuda"}
