"""The notebook rule: grading runs a notebook's code cells except the demo cells, on every path.

So every name a question's code needs is bound by a non-demo cell (the imports cell, which comes
before the first question, or the student's own cells), and no demo cell binds a name that a
non-demo cell or a test file uses. Checked statically, with `symtable`, on each built solution
notebook, and shown to fail on small synthetic notebooks that break the rule.
"""

from __future__ import annotations

import ast
import builtins
import symtable
from dataclasses import dataclass

import nbformat
import pytest

from dl541 import build, notebook_builder, skeleton, submission
from dl541.assignment import Assignment

# What every imports cell binds, whatever the assignment.
STANDARD_IMPORTS = {
    "torch": "torch",
    "nn": "torch.nn",
    "F": "torch.nn.functional",
    "np": "numpy",
    "math": "math",
}
BUILTINS = set(dir(builtins)) | {"__name__", "__file__", "__doc__"}


@dataclass
class Cell:
    index: int
    demo: bool
    question: bool  # a `grader.check` cell, or one that defines more than imports
    binds: set[str]
    imports: dict[str, str]  # name -> the module or object its import statement binds it to
    needs: set[str]  # global names it reads and does not bind itself, builtins excluded


def _nested_globals(table: symtable.SymbolTable) -> tuple[set[str], set[str]]:
    """(global names read, global names assigned) in the functions and classes under `table`."""
    read, assigned = set(), set()
    for child in table.get_children():
        for symbol in child.get_symbols():
            if symbol.is_global() and symbol.is_referenced():
                read.add(symbol.get_name())
            if symbol.is_declared_global() and symbol.is_assigned():
                assigned.add(symbol.get_name())
        more_read, more_assigned = _nested_globals(child)
        read |= more_read
        assigned |= more_assigned
    return read, assigned


def _imports(tree: ast.Module) -> dict[str, str]:
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                found[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def analyse(index: int, raw: str, demo: bool = False) -> Cell:
    """What one code cell binds and needs, as the grader runs it (Otter lines and magics removed)."""
    source = submission.strip_notebook_only(raw)
    top = symtable.symtable(source, f"cell {index + 1}", "exec")
    symbols = top.get_symbols()
    binds = {s.get_name() for s in symbols if s.is_assigned() or s.is_imported() or s.is_namespace()}
    nested_read, nested_assigned = _nested_globals(top)
    binds |= nested_assigned
    needs = ({s.get_name() for s in symbols if s.is_referenced()} - binds | nested_read) - BUILTINS
    imports = _imports(ast.parse(source))
    question = "grader.check(" in raw or bool(binds - set(imports))
    return Cell(index, demo, question, binds, imports, needs)


def notebook_cells(nb: dict) -> list[Cell]:
    """The notebook's code cells, demo cells marked."""
    cells = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            demo = notebook_builder.DEMO_TAG in cell.metadata.get("tags", [])
            cells.append(analyse(index, cell.source, demo))
    return cells


def names_the_tests_take(assignment: Assignment) -> set[str]:
    """The names the test files of `assignment` take from the submission: their test functions' parameters."""
    return {
        arg.arg
        for path in assignment.question_files
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.decorator_list
        for arg in node.args.args
    }


def early_imports(cells: list[Cell]) -> dict[str, str]:
    """What the graded cells before the first question import (the imports cell)."""
    found: dict[str, str] = {}
    for cell in cells:
        if cell.question:
            break
        if not cell.demo:
            found |= cell.imports
    return found


def rule_violations(nb: dict, tested: set[str] = frozenset()) -> list[str]:
    """Every way the notebook breaks the rule; empty when it keeps it."""
    cells = notebook_cells(nb)
    graded = [c for c in cells if not c.demo]
    demos = [c for c in cells if c.demo]
    bound = set().union(*(c.binds for c in graded))
    used = set().union(*(c.needs for c in graded)) | set(tested)
    problems = []
    for cell in graded:
        for name in sorted(cell.needs - bound):
            where = [d.index + 1 for d in demos if name in d.binds]
            problems.append(
                f"cell {cell.index + 1} uses {name!r}, which no graded cell defines"
                + (f" (only demo cell {', '.join(map(str, where))} does)" if where else "")
            )
    problems += [
        f"the tests take {n!r} from the submission; no graded cell defines it" for n in sorted(tested - bound)
    ]
    for demo in demos:
        for name in sorted(demo.binds & (bound | used)):
            problems.append(
                f"demo cell {demo.index + 1} binds {name!r}, which graded cells or the tests use: when "
                "every cell runs, it stands in for (or shadows) what the graded cells define"
            )
    early = early_imports(cells)
    first = next((c.index for c in cells if c.question), len(nb["cells"]))
    for cell in graded:
        late = sorted(set(cell.imports) - set(early)) if cell.index > first else []
        problems += [
            f"cell {cell.index + 1} imports {n!r} after the first question: move it up" for n in late
        ]
    return problems


def _solution(assignment: Assignment) -> dict:
    return nbformat.reads(build.render_notebooks(assignment)[1], as_version=4)


ASSIGNMENTS = pytest.mark.parametrize("assignment", Assignment.all(), ids=lambda a: a.name)


@ASSIGNMENTS
def test_graded_cells_define_everything_and_demos_define_nothing_they_use(assignment):
    problems = rule_violations(_solution(assignment), names_the_tests_take(assignment))
    assert not problems, f"{assignment.name}: the notebook breaks the grading rule:\n" + "\n".join(problems)


@ASSIGNMENTS
def test_the_imports_cell_comes_first_and_binds_the_standard_names(assignment):
    imported = early_imports(notebook_cells(_solution(assignment)))
    wrong = {k: imported.get(k) for k, v in STANDARD_IMPORTS.items() if imported.get(k) != v}
    assert not wrong, (
        f"{assignment.name}: before the first question the notebook binds {wrong}; "
        f"expected {STANDARD_IMPORTS}"
    )


@ASSIGNMENTS
def test_the_student_reads_the_rule_and_sees_the_demo_marker(assignment):
    nb = nbformat.reads(build.render_notebooks(assignment)[0], as_version=4)
    assert notebook_builder.GRADING_RULE in nb["cells"][0]["source"], (
        f"{assignment.name}: put {{rules}} in the opening prose"
    )
    for cell in nb["cells"]:
        if notebook_builder.DEMO_TAG in cell["metadata"].get("tags", []):
            assert cell["source"].startswith(notebook_builder.DEMO_MARKER), cell["source"][:80]


# A tiny assignment in the shape of transfer before the fix: the imports cell binds only `nn`, a
# demo cell imports torch, and a question's solution uses torch.
REFERENCE = """from torch import nn


def zeros(n: int):
    # BEGIN SOLUTION
    return torch.zeros(n)
    # END SOLUTION
"""
SOURCE = """# %% [markdown]
# # Title
# %% [reference] __imports__
# %% [reference] zeros
# %% [check] q1
# %% [demo]
import torch

print(zeros(3))
"""


def _build(source: str, reference: str) -> dict:
    return notebook_builder.build_notebooks("tiny", source, reference, {"q1": 1.0})[1]


def test_a_name_imported_only_in_a_demo_cell_breaks_the_rule():
    problems = rule_violations(_build(SOURCE, REFERENCE), {"zeros"})
    assert any("uses 'torch', which no graded cell defines" in p for p in problems), problems
    assert any("demo cell" in p and "binds 'torch'" in p for p in problems), problems


def test_importing_it_in_the_imports_cell_keeps_the_rule():
    reference = "import torch\n" + REFERENCE
    source = SOURCE.replace("import torch\n\n", "")
    assert rule_violations(_build(source, reference), {"zeros"}) == []


def test_a_helper_defined_in_a_demo_cell_breaks_the_rule():
    reference = "import torch\n" + REFERENCE.replace("torch.zeros(n)", "make(n)")
    source = SOURCE.replace("import torch\n", "def make(n):\n    return torch.zeros(n)\n")
    problems = rule_violations(_build(source, reference), {"zeros"})
    assert any("uses 'make'" in p for p in problems), problems


def test_a_demo_cell_that_redefines_a_tested_name_breaks_the_rule():
    reference = "import torch\n" + REFERENCE
    source = SOURCE.replace("import torch\n", "def zeros(n):\n    return [0] * n\n")
    problems = rule_violations(_build(source, reference), {"zeros"})
    assert any("binds 'zeros'" in p for p in problems), problems


def test_a_late_import_breaks_the_rule():
    reference = "import torch\n" + REFERENCE
    source = SOURCE.replace("import torch\n\n", "") + "# %%\nimport numpy as np\n"
    problems = rule_violations(_build(source, reference), {"zeros"})
    assert problems == ["cell 7 imports 'np' after the first question: move it up"], problems


def test_the_imports_cell_keeps_the_blank_line_between_import_groups():
    reference = "import math\nfrom os import path\n\nimport torch\n\n\ndef f():\n    return 1\n"
    imports = skeleton.top_level_segments(reference)["__imports__"]
    assert imports == "import math\nfrom os import path\n\nimport torch"
