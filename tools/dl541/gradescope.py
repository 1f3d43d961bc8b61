"""Grade one submission laid out as Gradescope lays it out, with the engine `dl541 grade` uses.

Gradescope unzips the autograder into ROOT/source, puts the student's upload in ROOT/submission
and reads ROOT/results/results.json. The zip's `run_autograder` calls `dl541 run-autograder
--root /autograder`, and `otter run` reaches this same function through dl541's Otter plugin, so
a submission gets one grade, made by one confined child, on every path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from . import bundle, report
from .grader import grade_batch, record_without_run
from .records import Record
from .settings import Options
from .status import Status
from .submission import SUFFIXES

#: Where the grading record, results.json and output of the submission go, under ROOT/results.
RECORD_DIR = "dl541"


def find_submission(folder: Path) -> Path:
    """The file to grade in `folder`, by Otter's rule: the one notebook, else the one .py, else the one zip.

    ValueError says what was found instead. Otter's own additions (tests/, support folders,
    `__init__.py`) are not submissions.
    """
    if not folder.is_dir():
        raise ValueError(f"no submission folder at {folder}")
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    for suffix in SUFFIXES:
        found = [p for p in files if p.suffix.lower() == suffix and p.name != "__init__.py"]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise ValueError(f"the submission holds several {suffix} files ({names}); submit exactly one")
    names = ", ".join(p.name for p in files) or "nothing"
    raise ValueError(f"the submission holds no notebook (.ipynb), .py or export .zip (found: {names})")


def run_autograder(root: Path, options: Options | None = None) -> dict:
    """Grade ROOT/submission against ROOT/source; write and return ROOT/results/results.json.

    The record, results and output also go to ROOT/results/dl541/SUBMISSION/, as `dl541 grade`
    writes them.
    """
    root = Path(root).resolve()
    ag = bundle.open_folder(root / "source")
    if options is None:
        options = Options(jobs=1, device="cpu", regrade=True)
    out = root / "results" / RECORD_DIR
    try:
        path = find_submission(root / "submission")
    except ValueError as exc:
        folder = root / "submission"
        record = record_without_run(ag, "submission", folder, "", options, Status.INVALID, str(exc))
        report.write_submission(out, ag, record, "")
    else:
        (record,) = grade_batch(ag, [path], out, options, assignment=ag.assignment)
    results = report.gradescope_results(ag, record)
    report.atomic_write(root / "results" / "results.json", json.dumps(results, indent=2) + "\n")
    return results


def graded_record(root: Path) -> Record:
    """The grading record `run_autograder` left under ROOT/results (FileNotFoundError if none)."""
    records = sorted((Path(root) / "results" / RECORD_DIR).glob(f"*/{report.RECORD}"))
    if len(records) != 1:
        raise FileNotFoundError(f"expected one grading record under {Path(root) / 'results' / RECORD_DIR}")
    return Record.from_json(json.loads(records[0].read_text()))


def layout(root: Path, autograder_zip: Path, upload: Path) -> Path:
    """Lay out ROOT as Gradescope does for one upload: the zip unzipped into source/, the upload in
    submission/ (an uploaded zip extracted there, as Gradescope and `otter run` do). Returns ROOT."""
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    for part in ("source", "submission", "results"):
        (root / part).mkdir(parents=True)
    with zipfile.ZipFile(autograder_zip) as zf:
        zf.extractall(root / "source")
    (root / "submission_metadata.json").write_text("{}\n")
    if upload.suffix.lower() == ".zip" and zipfile.is_zipfile(upload):
        with zipfile.ZipFile(upload) as zf:
            zf.extractall(root / "submission")
    else:
        shutil.copy(upload, root / "submission" / upload.name)
    return root


def otter_run(autograder_zip: Path, upload: Path, timeout: float = 600) -> dict | None:
    """Grade `upload` with Otter's own runner, `otter run -a autograder_zip` (which hands grading to
    dl541 through its plugin), in a fresh process; its results.json, or None if it wrote none."""
    with tempfile.TemporaryDirectory(prefix="dl541-otter-run-") as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "otter",
                "run",
                "-a",
                str(autograder_zip),
                "-o",
                tmp,
                "--no-logo",
                str(upload),
            ],
            cwd=tmp,
            env=dict(os.environ, MPLBACKEND="Agg"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
        results = Path(tmp) / "results.json"
        return json.loads(results.read_text()) if results.is_file() else None
