"""An Otter autograder bundle (the zip, or the folder Gradescope unzips it to), opened for grading."""

from __future__ import annotations

import atexit
import hashlib
import json
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from otter.test_files.exception_test import ExceptionTestFile

from .paths import question_key

#: dl541's own settings inside the autograder: the assignment, hidden-test visibility, limits.
SETTINGS = "dl541.json"
#: When students see the results of hidden tests on Gradescope (and in every results.json).
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
DEFAULT_VISIBILITY = "after_due_date"


@dataclass
class Autograder:
    """An extracted autograder zip: the parsed test files and Otter config, ready to grade with."""

    zip_path: Path
    root: Path
    fingerprint: str
    config: dict
    test_files: list[ExceptionTestFile] = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    @property
    def questions(self) -> list[str]:
        return [tf.name for tf in self.test_files]

    @property
    def question_points(self) -> dict[str, float]:
        """The points of each question, in question order."""
        return {tf.name: float(tf.possible) for tf in self.test_files}

    @property
    def max_score(self) -> float:
        return float(sum(tf.possible for tf in self.test_files))

    @property
    def assignment(self) -> str | None:
        return self.settings.get("assignment")

    @property
    def hidden_visibility(self) -> str:
        """Gradescope visibility of the hidden tests' results (the instructor's choice at build)."""
        return self.settings.get("hidden_visibility", DEFAULT_VISIBILITY)


def fingerprint(zip_path: Path) -> str:
    """A hash of the zip's file names and contents (not its timestamps)."""
    with zipfile.ZipFile(zip_path) as zf:
        return _digest((name, zf.read(name)) for name in sorted(zf.namelist()) if not name.endswith("/"))


def fingerprint_dir(root: Path) -> str:
    """The same hash over an unzipped autograder: equal to `fingerprint` of the zip it came from."""
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return _digest((p.relative_to(root).as_posix(), p.read_bytes()) for p in files)


def _digest(items) -> str:
    digest = hashlib.sha256()
    for name, data in items:
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def open_zip(zip_path: Path) -> Autograder:
    """Extract `zip_path` to a private folder and parse its tests; ValueError if it is no autograder."""
    zip_path = Path(zip_path)
    if not zip_path.is_file():
        raise ValueError(f"autograder zip {zip_path} does not exist; run `dl541 build` first")
    try:
        zf = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile:
        raise ValueError(f"{zip_path} is not a zip file") from None
    root = Path(tempfile.mkdtemp(prefix="dl541-ag-"))
    atexit.register(shutil.rmtree, root, True)
    with zf:
        zf.extractall(root)
    return _parse(root, zip_path, fingerprint(zip_path))


def open_folder(root: Path) -> Autograder:
    """Parse an unzipped autograder in place (Gradescope's /autograder/source); ValueError if it is none."""
    root = Path(root)
    if not root.is_dir():
        raise ValueError(f"autograder folder {root} does not exist")
    return _parse(root, root, fingerprint_dir(root))


def _parse(root: Path, origin: Path, digest: str) -> Autograder:
    tests = sorted((root / "tests").glob("*.py"), key=lambda p: question_key(p.stem))
    if not tests:
        raise ValueError(f"{origin} holds no tests/*.py: is it an Otter autograder zip?")
    config_path = root / "otter_config.json"
    config = json.loads(config_path.read_text()) if config_path.is_file() else {}
    settings_path = root / SETTINGS
    settings = json.loads(settings_path.read_text()) if settings_path.is_file() else {}
    if settings.get("hidden_visibility", DEFAULT_VISIBILITY) not in VISIBILITIES:
        choices = ", ".join(VISIBILITIES)
        raise ValueError(f"{origin}: hidden_visibility in {SETTINGS} must be one of {choices}")
    files = root / "files"
    if files.is_dir() and str(files) not in sys.path:
        sys.path.insert(0, str(files))
    test_files = [ExceptionTestFile.from_file(str(p)) for p in tests]
    return Autograder(origin, root, digest, config, test_files, settings)
