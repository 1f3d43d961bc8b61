"""The Otter plugin that makes `otter run -a autograder.zip` grade with dl541's confined engine.

Otter's runner would execute the student's notebook in an ordinary Jupyter kernel, where a
submission can patch the test runner and award itself every point. With this plugin (listed in
the zip's otter_config.json) Otter's runner instead:
- before grading, runs `dl541 run-autograder` on the folder Otter laid out, in a fresh process;
- hands its kernel an empty notebook, so no student code runs outside the confinement;
- replaces what the kernel reported with dl541's results, and writes dl541's results.json.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from otter.plugins import AbstractOtterPlugin
from otter.test_files import GradingResults

from . import bundle, gradescope, report


class Dl541Results(GradingResults):
    """Otter's results object, carrying dl541's grade and writing dl541's results.json."""

    gradescope_dict: dict

    def to_gradescope_dict(self, ag_config) -> dict:  # noqa: ARG002 - the visibility is dl541's setting
        return self.gradescope_dict


class ConfinedGrading(AbstractOtterPlugin):
    """Grade with `dl541 run-autograder` and make Otter report exactly that grade."""

    def before_grading(self, config) -> None:
        root = Path(config.autograder_dir).resolve()
        # A fresh interpreter: nothing of Otter's process leaks in, and (run from an empty
        # folder) no file the student uploaded beside the notebook can shadow a library.
        with tempfile.TemporaryDirectory() as empty:
            done = subprocess.run(
                [sys.executable, "-m", "dl541", "run-autograder", "--root", str(root)],
                cwd=empty,
                env={**os.environ, "PYTHONPATH": ""},
                capture_output=True,
                text=True,
            )
        if done.returncode != 0:
            why = done.stderr[-3000:]
            raise RuntimeError(f"dl541 run-autograder failed (exit {done.returncode}):\n{why}")
        ag = bundle.open_folder(root / "source")
        record = gradescope.graded_record(root)
        self._graded = report.grading_results(ag, record)
        self._gradescope = report.gradescope_results(ag, record)

    def before_execution(self, submission):
        return nbformat.v4.new_notebook()  # the student's code has run already, confined

    def after_grading(self, results: GradingResults) -> None:
        notebook = results.notebook
        results.__dict__.update(self._graded.__dict__)
        results.notebook = notebook
        results.__class__ = Dl541Results
        results.gradescope_dict = self._gradescope
