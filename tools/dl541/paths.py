"""Where things live in the repository, and which assignments exist."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
REFERENCE_DIR = REPO / "reference"
AUTOGRADER_DIR = REPO / "autograder"
ASSIGNMENTS_DIR = REPO / "assignments"
TESTING_MODULE = AUTOGRADER_DIR / "dl541_testing.py"
DEFAULT_DIST = REPO / "dist"

#: The lecture's order; an assignment appears once its reference exists.
ORDER = (
    "depth",
    "gradients",
    "l2_units",
    "normalizers",
    "augmentation",
    "autoencoder_pca",
    "transfer",
    "mtl",
    "fairness",
)


def available_assignments() -> list[str]:
    """The assignments that have a reference, hidden tests and a notebook source, in lecture order."""
    return [name for name in ORDER if is_complete(name)]


def is_complete(name: str) -> bool:
    """True when `name` has its three sources: reference, tests and notebook source."""
    return (
        (REFERENCE_DIR / f"{name}.py").is_file()
        and (AUTOGRADER_DIR / name).is_dir()
        and (ASSIGNMENTS_DIR / name / "notebook.py").is_file()
    )


def resolve_assignments(names: tuple[str, ...] | list[str]) -> list[str]:
    """The named assignments (all available ones when empty); ValueError for an unknown name."""
    available = available_assignments()
    if not names:
        return available
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ValueError(f"unknown assignment(s) {', '.join(unknown)}; available: {', '.join(available)}")
    return list(names)


def test_files(name: str) -> list[Path]:
    """The Otter test files of an assignment, in question order (q1, q2, ...)."""
    return sorted((AUTOGRADER_DIR / name).glob("q*.py"), key=lambda p: question_key(p.stem))


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
