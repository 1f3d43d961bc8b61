"""dl541.similarity on depth: only what students wrote is compared, and copies rank first.

Submissions are made from reference/depth.py, autograder/depth/alternative.py and a third solution
written here (three independent correct solutions), planted copies of each (names renamed,
functions reordered, comments changed, laid out again by ast.unparse), and the skeleton.
"""

from __future__ import annotations

import ast
import csv
import json
import re
import warnings
import zipfile
from itertools import combinations
from pathlib import Path

import pytest

from dl541 import similarity
from dl541.assignment import Assignment
from dl541.skeleton import top_level_segments

DEPTH = Assignment.named("depth")

# A third correct solution, written without looking at the other two's code.
THIRD = """
import torch


def count_weights(layer_sizes):
    dims = [int(d) for d in layer_sizes]
    if len(dims) < 2 or min(dims) < 1 or dims != list(layer_sizes):
        raise ValueError("bad layer sizes")
    total = 0
    for left, right in zip(dims, dims[1:]):
        total += left * right
    return total


def init_mlp(layer_sizes, generator=None):
    count_weights(layer_sizes)
    out = []
    for k in range(1, len(layer_sizes)):
        weight = torch.empty(layer_sizes[k], layer_sizes[k - 1], dtype=torch.float32)
        weight.normal_(generator=generator)
        bias = torch.empty(layer_sizes[k], dtype=torch.float32).normal_(generator=generator)
        out.append((weight, bias))
    return out


def mlp_forward(params, x, activation=torch.abs):
    if len(x.shape) != 2 or x.size(1) != params[0][0].size(1):
        raise ValueError("x has the wrong shape")
    last = len(params) - 1
    for k, (weight, bias) in enumerate(params):
        x = torch.nn.functional.linear(x, weight, bias)
        x = x if k == last else activation(x)
    return x


def count_activation_regions(params, start, end, num_points=10_000):
    width = params[0][0].size(1)
    if list(start.shape) != [width] or list(end.shape) != [width]:
        raise ValueError("start and end must be vectors of the input width")
    if num_points <= 0:
        raise ValueError("num_points must be positive")
    steps = torch.linspace(0, 1, num_points, dtype=start.dtype, device=start.device)
    points = torch.lerp(start.expand(num_points, -1), end.expand(num_points, -1), steps[:, None])
    codes = []
    for weight, bias in params[:-1]:
        pre = torch.nn.functional.linear(points, weight, bias)
        codes.append((pre > 0).to(torch.int8))
        points = pre.abs()
    if len(codes) == 0:
        return 1
    code = torch.hstack(codes)
    return int((code[1:] != code[:-1]).any(1).sum().item()) + 1


def sawtooth_mlp(depth):
    if depth <= 0:
        raise ValueError("need depth >= 1")
    one = lambda v: torch.tensor([[float(v)]])  # noqa: E731
    net = [(one(2), torch.tensor([-1.0]))]
    net.extend((one(-2), torch.tensor([1.0])) for _ in range(1, depth))
    return net + [(one(-1), torch.tensor([1.0]))]
"""


class _Rename(ast.NodeTransformer):
    def __init__(self, names: dict[str, str]):
        self.names = names

    def visit_Name(self, node):
        node.id = self.names.get(node.id, node.id)
        return node

    def visit_arg(self, node):
        node.arg = self.names.get(node.arg, node.arg)
        return node


def planted_copy(source: str, tag: str) -> str:
    """`source` with every local name and parameter renamed, its functions in reverse order, its
    comments replaced by others and its layout redone."""
    tree = ast.parse(source)
    local = sorted(
        {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)}
        | {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    )
    tree = _Rename({name: f"{tag}{i}" for i, name in enumerate(local)}).visit(tree)
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    tree.body = [n for n in tree.body if not isinstance(n, ast.FunctionDef)] + defs[::-1]
    lines = ast.unparse(tree).splitlines()
    return "\n".join(f"{line}  # done, I think" if "return" in line else line for line in lines) + "\n"


def skeleton_notebook() -> dict:
    return json.loads(DEPTH.committed_notebook.read_text())


def as_notebook(source: str) -> dict:
    """The student notebook with each graded definition's cell replaced by `source`'s definition."""
    segments = top_level_segments(source)
    nb = skeleton_notebook()
    for cell in nb["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and text.lstrip().startswith("def "):
            name = ast.parse(text).body[0].name
            cell["source"] = segments[name]
    return nb


def with_trivial_line(line: str) -> dict:
    """The skeleton with one short line instead of count_weights' placeholder."""
    nb = skeleton_notebook()
    for cell in nb["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if text.startswith("def count_weights"):
            cell["source"] = re.sub(r"raise NotImplementedError\(.*\)", line, text)
    return nb


def write(folder: Path, name: str, content: str | dict) -> Path:
    path = folder / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, indent=1))
    return path


@pytest.fixture(scope="module")
def solutions() -> dict[str, str]:
    return {"ref": DEPTH.reference.read_text(), "alt": DEPTH.alternative.read_text(), "third": THIRD}


@pytest.fixture(scope="module")
def report(solutions, tmp_path_factory) -> similarity.Report:
    folder = tmp_path_factory.mktemp("class")
    paths = []
    for name, source in solutions.items():
        paths.append(write(folder, f"{name}.py", source))
        paths.append(write(folder, f"{name}-copy.ipynb", as_notebook(planted_copy(source, "v"))))
    paths.append(write(folder, "skeleton-1.ipynb", skeleton_notebook()))
    paths.append(write(folder, "skeleton-2.ipynb", skeleton_notebook()))
    paths.append(write(folder, "trivial-1.ipynb", with_trivial_line("return 0")))
    paths.append(write(folder, "trivial-2.ipynb", with_trivial_line("return 0")))
    return similarity.compare(paths, DEPTH)


def _score(report: similarity.Report, a: str, b: str) -> float:
    (pair,) = [p for p in report.pairs if {p.a, p.b} == {a, b}]
    return pair.similarity


def test_planted_copies_rank_above_every_independent_pair(report, solutions):
    planted = {name: _score(report, f"{name}.py", f"{name}-copy.ipynb") for name in solutions}
    independent = {
        (a, b): _score(report, f"{a}{x}", f"{b}{y}")
        for a, b in combinations(solutions, 2)
        for x in (".py", "-copy.ipynb")
        for y in (".py", "-copy.ipynb")
    }
    assert min(planted.values()) > max(independent.values()), (planted, independent)
    assert min(planted.values()) > 0.9 and max(independent.values()) < similarity.THRESHOLD
    top = {frozenset((p.a, p.b)) for p in report.pairs[: len(solutions)]}
    assert top == {frozenset((f"{n}.py", f"{n}-copy.ipynb")) for n in solutions}


def test_the_skeleton_and_a_trivial_line_are_similar_to_nothing(report):
    handout = ("skeleton-1.ipynb", "skeleton-2.ipynb", "trivial-1.ipynb", "trivial-2.ipynb")
    assert report.codes["skeleton-1.ipynb"] == ""
    assert report.codes["trivial-1.ipynb"].strip().endswith("return 0")
    touching = [p for p in report.pairs if p.a in handout or p.b in handout]
    assert touching and all(p.similarity == 0 and not p.a_slices and not p.b_slices for p in touching)


def test_similarities_are_sorted_and_in_range(report):
    values = [p.similarity for p in report.pairs]
    assert values == sorted(values, reverse=True)
    assert all(0 <= v <= 1 for v in values) and len(values) == 10 * 9 // 2


def test_student_code_is_only_what_the_student_wrote(solutions, tmp_path):
    code = similarity.student_code(write(tmp_path, "ref.py", solutions["ref"]), DEPTH)
    assert "sizes = list(layer_sizes)" in code and "return 1 + int(changes.sum())" in code
    for handout in ("import", "def count_weights", "Number of weights", "grader", "YOUR CODE", "BEGIN"):
        assert handout not in code
    # the given code of the notebook is gone too: Otter's cells, the imports cell, the demos
    nb = similarity.student_code(write(tmp_path, "ref.ipynb", as_notebook(solutions["ref"])), DEPTH)
    assert nb == code and "plt" not in nb and "otter" not in nb


def test_a_notebook_a_py_and_an_export_zip_of_the_same_code_compare_equal(solutions, tmp_path):
    py = write(tmp_path, "alt.py", solutions["alt"])
    nb = write(tmp_path, "alt.ipynb", as_notebook(solutions["alt"]))
    export = tmp_path / "alt-export.zip"
    with zipfile.ZipFile(export, "w") as zf:
        zf.writestr(DEPTH.notebook_name, nb.read_text())
    result = similarity.compare([py, nb, export], DEPTH)
    assert len({similarity.student_code(p, DEPTH) for p in (py, nb, export)}) == 1
    assert [p.similarity for p in result.pairs] == [1.0, 1.0, 1.0]


def test_empty_code_compares_to_zero_without_warnings(tmp_path):
    paths = [write(tmp_path, f"s{i}.ipynb", skeleton_notebook()) for i in range(2)]
    paths.append(write(tmp_path, "blank.py", "import torch\n"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = similarity.compare(paths, DEPTH)
        similarity.write_report(result, tmp_path / "out")
    assert [p.similarity for p in result.pairs] == [0.0, 0.0, 0.0]
    assert set(result.codes.values()) == {""}


def test_helpers_count_and_the_last_definition_wins(tmp_path):
    source = (
        "def count_weights(layer_sizes):\n    return 'first attempt, replaced below'\n\n"
        "def _pairs(sizes):\n    return list(zip(sizes[:-1], sizes[1:]))\n\n"
        "def count_weights(layer_sizes):\n"
        '    """Number of weights (no biases) of a fully connected net with these layer sizes."""\n'
        "    return sum(a * b for a, b in _pairs(list(layer_sizes)))\n\n"
        "print(count_weights([2, 20, 1]))\n\n"
        "class _Net:\n    def __call__(self, params, x):\n        return x\n\n"
        "mlp_forward = lambda params, x, activation=torch.abs: _Net()(params, x)\n"
    )
    code = similarity.student_code(write(tmp_path, "s.py", source), DEPTH)
    assert "first attempt" not in code and "print(" not in code and "Number of weights" not in code
    # graded names first, in the notebook's order, then the student's own definitions
    order = ["return sum(", "mlp_forward = lambda", "def _pairs(", "class _Net:"]
    assert [code.index(text) for text in order] == sorted(code.index(text) for text in order)


def test_a_cell_that_does_not_parse_is_compared_as_text(solutions, tmp_path):
    nb = as_notebook(solutions["ref"])
    cell = next(c for c in nb["cells"] if "def sawtooth_mlp" in "".join(c["source"]))
    cell["source"] = "def sawtooth_mlp(depth)\n    return [(depth,)] * depth\n"
    code = similarity.student_code(write(tmp_path, "broken.ipynb", nb), DEPTH)
    assert "# (does not parse)" in code and "return [(depth,)] * depth" in code


def test_unreadable_submissions_are_listed_not_compared(solutions, tmp_path):
    good = write(tmp_path, "ref.py", solutions["ref"])
    bad = write(tmp_path, "bad.ipynb", '{"cells": [ not json')
    result = similarity.compare([good, bad, tmp_path / "notes.txt"], DEPTH)
    assert result.pairs == [] and set(result.unreadable) == {"bad.ipynb", "notes.txt"}


def test_the_report_files(report, tmp_path):
    similarity.write_report(report, tmp_path, top=3, threshold=0.5)
    with (tmp_path / "similarity.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["a", "b", "similarity"] and len(rows) == len(report.pairs)
    assert [float(r["similarity"]) for r in rows] == sorted(
        (float(r["similarity"]) for r in rows), reverse=True
    )
    page = (tmp_path / "similarity.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and "<link" not in page
    assert page.count('class="side"') == 3 and page.count("<mark>") >= 3
    assert report.blank == ["skeleton-1.ipynb", "skeleton-2.ipynb", "trivial-1.ipynb", "trivial-2.ipynb"]
    assert "Nothing to compare" in page and "trivial-2.ipynb" in page


def test_what_comes_from_submissions_is_escaped(tmp_path):
    hostile = (
        "def count_weights(layer_sizes):\n"
        "    banner = '</pre><script>alert(1)</script>'\n"
        "    sizes = [int(s) for s in layer_sizes]\n"
        "    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:])) + len(banner) * 0\n"
    )
    a = write(tmp_path, "<img src=x onerror=alert(2)>.py", hostile)
    b = write(tmp_path, "b.py", hostile.replace("sizes", "dims"))
    result = similarity.compare([a, b], DEPTH)
    assert result.pairs[0].similarity == 1.0
    similarity.write_report(result, tmp_path / "out")
    page = (tmp_path / "out" / "similarity.html").read_text()
    assert "<script>" not in page and "<img" not in page and "&lt;/pre&gt;&lt;script&gt;" in page
