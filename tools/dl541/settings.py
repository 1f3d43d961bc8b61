"""How to grade: the options and limits every path shares, each default written once here.

Light on purpose (no torch, no Otter): the command line reads its defaults from these classes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def default_jobs() -> int:
    """Children graded at once by default: one per core."""
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Limits:
    """Per-submission limits: seconds per test case or cell, extra memory, bytes of output."""

    test_timeout: float = 60.0
    memory_mb: int = 4096
    output_bytes: int = 1_000_000


@dataclass
class Options:
    """How to grade: parallel children, device, limits, and whether to redo finished work."""

    jobs: int = field(default_factory=default_jobs)
    device: str = "cpu"
    timeout: float = 600.0  # wall-clock seconds per submission
    limits: Limits = field(default_factory=Limits)
    regrade: bool = False
