"""Load an Otter autograder zip for in-process grading: its test files, config and support files."""

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


@dataclass
class Autograder:
    """An extracted autograder zip: the parsed test files and Otter config, ready to grade with."""

    zip_path: Path
    root: Path
    fingerprint: str
    config: dict
    test_files: list[ExceptionTestFile] = field(default_factory=list)

    @property
    def questions(self) -> list[str]:
        return [tf.name for tf in self.test_files]

    @property
    def max_score(self) -> float:
        return float(sum(tf.possible for tf in self.test_files))


def fingerprint(zip_path: Path) -> str:
    """A hash of the zip's file names and contents (not its timestamps)."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(zip_path) as zf:
        for name in sorted(zf.namelist()):
            digest.update(name.encode() + b"\0" + zf.read(name) + b"\0")
    return digest.hexdigest()


def load(zip_path: Path) -> Autograder:
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
    tests = sorted((root / "tests").glob("*.py"), key=lambda p: question_key(p.stem))
    if not tests:
        raise ValueError(f"{zip_path} holds no tests/*.py: is it an Otter autograder zip?")
    config_path = root / "otter_config.json"
    config = json.loads(config_path.read_text()) if config_path.is_file() else {}
    files = root / "files"
    if files.is_dir() and str(files) not in sys.path:
        sys.path.insert(0, str(files))
    test_files = [ExceptionTestFile.from_file(str(p)) for p in tests]
    return Autograder(zip_path, root, fingerprint(zip_path), config, test_files)
