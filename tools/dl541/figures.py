"""Run an assignment's notebooks as a student would, and keep the figures its demos draw.

`prepare` lays out one notebook as the student zip does (the notebook, its public tests in
`tests/`, the `dl541_testing` package) without building the autograder; `execute` runs notebooks
top to bottom, each in a fresh Jupyter kernel (nbclient), with matplotlib's inline backend so
every `plt.show()` becomes an image output; `save_figures` (`dl541 figures NAME --out DIR`) writes
each image that a demo cell of the executed solution notebook shows as DIR/NAME-cellNN-K.png, so
a person can look at all of them at once. tests/test_notebooks_run.py uses the same functions.

Every run first defines FIGURE_CHECK in the kernel: `plt.show()` then refuses a figure without a
title, or one whose axes show ticks but have no axis label (`Executed.errors` reports it).
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import subprocess
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat

from . import build, notebook_builder, testfiles
from .assignment import Assignment

KINDS = ("student", "solution")
#: The last cell of every notebook: Otter's export, which checks the notebook again in a second
#: kernel (10 to 20 s). `execute(..., export=False)` leaves it out.
EXPORT_CALL = "grader.export("
#: The one line a demo cell prints when a function it calls is not written yet.
SKIPPED = "Skipped this demo:"
# Run before the notebook (and not part of it): every figure shown needs a title, and a label on
# each axis of a panel that shows ticks (panels of images without ticks need none).
FIGURE_CHECK = """\
import matplotlib.pyplot as _plt

def _dl541_checked_show(*args, _show=_plt.show, **kwargs):
    problems = []
    for number in _plt.get_fignums():
        fig = _plt.figure(number)
        fig.canvas.draw()  # tick labels exist only once drawn
        panels = [ax for ax in fig.axes if ax.axison and ax.get_label() != "<colorbar>"]
        titled = fig.get_suptitle() or any(ax.get_title() or ax.get_title("left") for ax in fig.axes)
        if not titled:
            problems.append(f"figure {number} has no title")
        # a label may serve a whole column (x) or row (y) of panels, as in plt.subplots(sharey=True)
        columns = {round(ax.get_position().x0, 3) for ax in panels if ax.get_xlabel()}
        rows = {round(ax.get_position().y0, 3) for ax in panels if ax.get_ylabel()}
        for ax in panels:
            ticks = lambda labels: any(t.get_visible() and t.get_text() for t in labels)  # noqa: E731
            where = ax.get_position()
            if ticks(ax.get_xticklabels()) and not (round(where.x0, 3) in columns or fig.get_supxlabel()):
                problems.append(f"figure {number}: a panel ({ax.get_title()!r}) has no x label")
            if ticks(ax.get_yticklabels()) and not (round(where.y0, 3) in rows or fig.get_supylabel()):
                problems.append(f"figure {number}: a panel ({ax.get_title()!r}) has no y label")
    if problems:
        _plt.close("all")
        raise AssertionError("; ".join(problems))
    return _show(*args, **kwargs)

_plt.show = _dl541_checked_show
"""


@dataclass
class Executed:
    """One executed notebook, where it ran, and how long it took (seconds)."""

    notebook: nbformat.NotebookNode
    folder: Path
    seconds: float

    def code_cells(self) -> list[tuple[int, nbformat.NotebookNode]]:
        return [(i, c) for i, c in enumerate(self.notebook.cells) if c.cell_type == "code"]

    def demo_cells(self) -> list[tuple[int, nbformat.NotebookNode]]:
        tag = notebook_builder.DEMO_TAG
        return [(i, c) for i, c in self.code_cells() if tag in c.metadata.get("tags", [])]

    def check_cells(self) -> list[tuple[int, nbformat.NotebookNode]]:
        return [(i, c) for i, c in self.code_cells() if c.source.startswith("grader.check(")]

    def errors(self) -> list[str]:
        """'cell N: Name: value' for each code cell that raised."""
        return [
            f"cell {i}: {out.ename}: {out.evalue}"
            for i, cell in self.code_cells()
            for out in cell.get("outputs", [])
            if "ename" in out  # the output of a cell that raised
        ]

    def images(self, index: int) -> list[bytes]:
        """The PNG images cell `index` shows."""
        outputs = self.notebook.cells[index].get("outputs", [])
        return [base64.b64decode(o["data"]["image/png"]) for o in outputs if "image/png" in o.get("data", {})]

    def figures(self) -> list[tuple[int, int, bytes]]:
        """(cell index, number within the cell, PNG bytes) of every image a demo cell shows."""
        return [(i, k, png) for i, _ in self.demo_cells() for k, png in enumerate(self.images(i), start=1)]

    def text(self, index: int) -> str:
        """What cell `index` printed, and displayed as text (figures' placeholders left out)."""
        parts = []
        for out in self.notebook.cells[index].get("outputs", []):
            if out.output_type == "stream":
                parts.append(out.text)
            elif "text/plain" in out.get("data", {}) and "image/png" not in out["data"]:
                parts.append(out["data"]["text/plain"])
        return "".join(parts)

    def cell_seconds(self, index: int) -> float:
        """How long cell `index` ran, from the kernel's timestamps (0 when it did not run)."""
        stamps = self.notebook.cells[index].metadata.get("execution", {})
        start, end = stamps.get("iopub.execute_input"), stamps.get("shell.execute_reply")
        if not (start and end):
            return 0.0
        return (_when(end) - _when(start)).total_seconds()


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def prepare(assignment: Assignment, kind: str, folder: Path) -> Path:
    """Write assignment's `kind` ("student" or "solution") notebook into `folder` beside its public
    tests and dl541_testing, as in the student zip; return the notebook's path."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    student, solution, _ = build.render_notebooks(assignment)
    folder.mkdir(parents=True, exist_ok=True)
    tests = folder / "tests"
    if tests.exists():
        shutil.rmtree(tests)
    tests.mkdir()
    for path in assignment.question_files:
        (tests / path.name).write_text(testfiles.public_source(testfiles.assembled_source(path)))
    build._copy_support_package(folder)
    target = folder / assignment.notebook_name
    target.write_text(student if kind == "student" else solution)
    return target


def kernel_environment(threads: int | None = None) -> dict[str, str]:
    """This process's environment without MPLBACKEND (`dl541` and tools/test.sh set Agg, which
    would swallow every figure), so the kernel uses matplotlib's inline backend; `threads` caps
    torch's threads (two kernels on two cores are fastest with one thread each)."""
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # no debugger notice on stderr
    if threads:
        env["OMP_NUM_THREADS"] = env["MKL_NUM_THREADS"] = str(threads)
    return env


def _client(notebook: Path, timeout: float, export: bool):
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    if not export:
        nb.cells = [c for c in nb.cells if not (c.cell_type == "code" and EXPORT_CALL in c.source)]
    nb.cells.insert(0, nbformat.v4.new_code_cell(FIGURE_CHECK))
    where = {"metadata": {"path": str(notebook.parent)}}
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True, resources=where)
    return nb, client


async def _run(notebook: Path, timeout: float, export: bool, threads: int | None) -> Executed:
    nb, client = _client(notebook, timeout, export)
    start = time.monotonic()
    # The kernel's own stderr (its notice about unencrypted local TCP) is not the notebook's output.
    await client.async_execute(
        env=kernel_environment(threads), cwd=str(notebook.parent), stderr=subprocess.DEVNULL
    )
    nb.cells.pop(0)  # FIGURE_CHECK: cell indices are the notebook's own again
    return Executed(nb, notebook.parent, time.monotonic() - start)


def execute(
    notebooks: list[Path],
    timeout: float = 300,
    export: bool | Collection[Path] = True,
    parallel: int = 1,
    threads: int | None = None,
) -> list[Executed]:
    """Run each notebook top to bottom in a fresh python3 kernel in its folder, `parallel` at a
    time; errors stay in the outputs (`Executed.errors`). The export cell runs when `export` is
    True or, given a collection of paths, for those notebooks only."""

    async def all_of_them() -> list[Executed]:
        gate = asyncio.Semaphore(parallel)

        async def one(path: Path) -> Executed:
            keep = export if isinstance(export, bool) else path in set(export)
            async with gate:
                return await _run(path, timeout, keep, threads)

        return list(await asyncio.gather(*(one(path) for path in notebooks)))

    return asyncio.run(all_of_them())


def save_figures(assignment: Assignment, out_dir: Path, work: Path, timeout: float = 300) -> list[Path]:
    """Execute assignment's solution notebook in `work` and write each demo figure to `out_dir` as
    NAME-cellNN-K.png; RuntimeError when a cell raised (its figures would be missing or unlabelled)."""
    (run,) = execute([prepare(assignment, "solution", work)], timeout=timeout, export=False)
    problems = run.errors()
    if problems:
        raise RuntimeError(f"{assignment.name}: the solution notebook raised:\n" + "\n".join(problems))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for index, k, png in run.figures():
        path = out_dir / f"{assignment.name}-cell{index:02d}-{k}.png"
        path.write_bytes(png)
        written.append(path)
    return written
