"""Where the repository, its shared files and the default build output are; small path helpers.

An assignment's own files are found through `assignment.Assignment`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
#: The support package every test file imports (`dl541_testing`), shared by all assignments.
TESTING_MODULE = REPO / "autograder" / "dl541_testing.py"
DEFAULT_DIST = REPO / "dist"
#: The handout contract, beside the repository (`../shared/SPEC.md`); hidden tests may quote it.
SPEC = REPO.parent / "shared" / "SPEC.md"


def question_key(stem: str) -> tuple[int, str]:
    """Sort key of a question name: q2 before q10."""
    digits = "".join(ch for ch in stem[1:] if ch.isdigit())
    return (int(digits) if digits else 0, stem)


def load_module(path: Path, module_name: str) -> ModuleType:
    """Import a Python file that is not on sys.path (a catalogue under autograder/)."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
