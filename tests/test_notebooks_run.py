"""Every notebook runs as a student runs it: top to bottom, in a fresh Jupyter kernel (nbclient).

- A fresh skeleton (the student notebook, nothing answered) raises nothing: each unanswered
  function raises NotImplementedError naming itself and its question, each demo cell that needs
  one prints a single line saying so (and draws nothing), and each public check still fails.
- The solution notebook passes every public check and every demo draws its figures, each with a
  title and labelled axes (`figures.FIGURE_CHECK`).
- The export cell of a skeleton runs Otter's local check without the kernel's TCP notice.

The notebooks run two at a time, one torch thread each (about 50 s for the nine skeletons and
80 s for the nine solutions on two cores). The kernel is `python3`: ipykernel provides it from
this Python when no kernel spec is installed.
"""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from dl541 import figures
from dl541.assignment import Assignment

ALL = Assignment.all()
NAMES = [a.name for a in ALL]
WITH_EXPORT = "depth"  # one skeleton also runs its export cell (Otter checks it again: ~15 s)


@pytest.fixture(scope="session")
def python3_kernel() -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:  # pragma: no cover - ipykernel normally provides it
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix"], check=True)


def _run_all(kind: str, tmp_path_factory, export: bool) -> dict[str, figures.Executed]:
    paths = {a.name: figures.prepare(a, kind, tmp_path_factory.mktemp(f"{kind}-{a.name}")) for a in ALL}
    keep = [paths[WITH_EXPORT]] if export else []
    runs = figures.execute(list(paths.values()), export=keep, parallel=2, threads=1)
    return dict(zip(paths, runs))


@pytest.fixture(scope="module")
def skeletons(python3_kernel, tmp_path_factory) -> dict[str, figures.Executed]:
    return _run_all("student", tmp_path_factory, export=True)


@pytest.fixture(scope="module")
def solutions(python3_kernel, tmp_path_factory) -> dict[str, figures.Executed]:
    return _run_all("solution", tmp_path_factory, export=False)


@pytest.mark.parametrize("name", NAMES)
def test_a_fresh_skeleton_runs_top_to_bottom_without_an_exception(skeletons, name):
    run = skeletons[name]
    assert not run.errors(), f"{name}: the untouched student notebook raised:\n" + "\n".join(run.errors())


@pytest.mark.parametrize("name", NAMES)
def test_a_demo_that_needs_an_unanswered_function_says_so_in_one_line(skeletons, name):
    run = skeletons[name]
    for index, _ in run.demo_cells():
        text = run.text(index).strip()
        if figures.SKIPPED in text:
            assert text.startswith(figures.SKIPPED) and "\n" not in text, (
                f"{name} cell {index}: a skipped demo should print one line and nothing else, got:\n{text}"
            )
            assert "not written yet" in text, f"{name} cell {index}: {text}"
            assert not run.images(index), f"{name} cell {index}: a skipped demo drew a figure"


@pytest.mark.parametrize("name", NAMES)
def test_the_public_checks_of_a_fresh_skeleton_fail(skeletons, name):
    run = skeletons[name]
    checks = run.check_cells()
    assert checks, f"{name}: no grader.check cell"
    passed = [i for i, _ in checks if "All test cases passed" in run.text(i)]
    assert not passed, f"{name}: the skeleton passes the public checks of cells {passed}"


def test_the_export_cell_hides_the_kernel_notice_and_nothing_else(skeletons):
    run = skeletons[WITH_EXPORT]
    (index,) = [i for i, c in run.code_cells() if figures.EXPORT_CALL in c.source]
    outputs = run.notebook.cells[index].outputs
    stderr = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    assert "Kernel is running over TCP" not in stderr, stderr
    assert any("exported" in str(o.get("data", {})) for o in outputs), "the export cell wrote no zip"


@pytest.mark.parametrize("name", NAMES)
def test_the_solution_passes_every_public_check(solutions, name):
    run = solutions[name]
    assert not run.errors(), f"{name}: the solution notebook raised:\n" + "\n".join(run.errors())
    failed = [i for i, _ in run.check_cells() if "All test cases passed" not in run.text(i)]
    assert not failed, f"{name}: public checks fail in cells {failed}:\n" + run.text(failed[0])


@pytest.mark.parametrize("name", NAMES)
def test_every_demo_of_the_solution_runs_and_draws_its_figures(solutions, name):
    run = solutions[name]
    for index, cell in run.demo_cells():
        assert figures.SKIPPED not in run.text(index), f"{name} cell {index}: {run.text(index)}"
        if "plt.show()" in cell.source:
            assert run.images(index), f"{name} cell {index} calls plt.show() but shows no figure"


def test_the_figure_check_refuses_a_figure_without_title_or_labels(python3_kernel, tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.xlabel('x')\nplt.ylabel('y')\nplt.show()"
        ),
        nbformat.v4.new_code_cell("plt.plot([1, 2])\nplt.title('t')\nplt.show()"),
        nbformat.v4.new_code_cell(
            "fig, axes = plt.subplots(1, 2, sharey=True)\naxes[0].set_ylabel('y')\n"
            "for ax in axes:\n    ax.set_xlabel('x')\nfig.suptitle('ok')\nplt.show()"
        ),
    ]
    path = tmp_path / "figures.ipynb"
    nbformat.write(nb, path)
    (run,) = figures.execute([path], export=False)
    errors = run.errors()
    assert len(errors) == 2, errors
    assert errors[0].startswith("cell 0: AssertionError: figure 1 has no title"), errors
    assert "has no x label" in errors[1] and "has no y label" in errors[1], errors
    assert len(run.images(2)) == 1  # labels shared along a row pass
