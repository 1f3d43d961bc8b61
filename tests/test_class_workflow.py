"""A real class, start to finish: a Canvas bulk download with a roster, graded, fed back, exported, compared.

60 students on the roster. Most submit Canvas-named files; some arrive as a folder per student;
one submitted twice; one submitted nothing; three copied a classmate's work and disguised it
(variables renamed, functions reordered, comments changed). Every student's own work is a
different mix of correct code (two independent correct solutions) and unanswered questions.
"""

from __future__ import annotations

import ast
import csv
import itertools
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from dl541 import skeleton
from dl541.assignment import Assignment
from dl541.cli import main

DEPTH = Assignment.named("depth")
FUNCTIONS = ("count_weights", "init_mlp", "mlp_forward", "count_activation_regions", "sawtooth_mlp")
ROSTER_SIZE = 60
IN_FOLDERS = 8  # students whose work arrives as a folder named by their id
COPIES = {"2057": "2003", "2058": "2011", "2059": "2026"}  # copier -> the classmate copied
MISSING = "2060"
TWICE = "2015"


def _versions() -> dict[str, dict[str, str]]:
    """Each function as the reference writes it, as the independent alternative writes it, and unanswered."""
    reference = skeleton.top_level_segments(DEPTH.reference.read_text())
    alternative = skeleton.top_level_segments(DEPTH.alternative.read_text())
    return {
        "ref": {f: reference[f] for f in FUNCTIONS},
        "alt": {f: alternative[f] for f in FUNCTIONS},
        "todo": {f: skeleton.strip_solutions(reference[f]) for f in FUNCTIONS},
        "imports": {"": alternative["__imports__"] + "\n" + reference["__imports__"]},
    }


def _own_helper(seed: int) -> str:
    """A few lines only this student wrote (students write their own checks and scratch code)."""
    rng = random.Random(seed)
    lines = ["def _my_check(values):", "    total = 0", "    for v in values:"]
    for _ in range(rng.randint(8, 12)):
        op, k = rng.choice(["+", "-", "*", "//", "%", "**"]), rng.randint(2, 9)
        guard = rng.choice(["", f"if v > {k}: ", f"if v % {k} == 0: ", "if total < v: "])
        lines.append(
            f"        {guard}total = total {op} {k}" if guard else f"        total = (total {op} {k}) + v"
        )
    lines.append(rng.choice(["    return total", "    return total == 0", "    return [total]"]))
    return "\n".join(lines)


def _work(mix: tuple[str, ...], versions: dict, seed: int) -> str:
    body = "\n\n\n".join([*(versions[kind][f] for kind, f in zip(mix, FUNCTIONS)), _own_helper(seed)])
    return versions["imports"][""] + "\n\n\n" + body + "\n"


class _Rename(ast.NodeTransformer):
    """Renames the local variables that each function assigns (not its parameters: callers use them)."""

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        params = {a.arg for a in node.args.args + node.args.kwonlyargs}
        stored = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        mapping = {name: f"my_{name}_v2" for name in stored - params}
        for child in ast.walk(node):
            if isinstance(child, ast.Name) and child.id in mapping:
                child.id = mapping[child.id]
        return node


def _disguise(source: str, seed: int) -> str:
    """A copy made to look different: renamed variables, functions reordered, other comments."""
    tree = _Rename().visit(ast.parse(source))
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    functions = [n for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom))]
    random.Random(seed).shuffle(functions)
    parts = [ast.unparse(n) for n in imports] + [
        f"# my own work, part {i}\n{ast.unparse(n)}" for i, n in enumerate(functions)
    ]
    return "\n\n\n".join(parts) + "\n"


def make_class(root: Path) -> tuple[Path, Path, dict[str, str]]:
    """The Canvas download folder, the roster, and each submitting student's code by id."""
    versions = _versions()
    mixes = [
        m for m in itertools.product(("ref", "alt", "todo"), repeat=len(FUNCTIONS)) if m.count("todo") <= 2
    ]
    random.Random(541).shuffle(mixes)
    download, code = root / "canvas-download", {}
    download.mkdir()
    roster = [("id", "name", "section")]
    own = [
        f"{2000 + i}"
        for i in range(1, ROSTER_SIZE + 1)
        if f"{2000 + i}" not in COPIES and f"{2000 + i}" != MISSING
    ]
    for index, sid in enumerate(own):
        code[sid] = _work(mixes[index], versions, int(sid))
    for copier, original in COPIES.items():
        code[copier] = _disguise(code[original], int(copier))
    for index, sid in enumerate(sorted(code)):
        name = "student" + chr(97 + index // 26) + chr(97 + index % 26)  # Canvas: the sortable name, letters
        roster.append((sid, f"Student {sid}", "A"))
        if index < IN_FOLDERS:  # a folder per student, the file one level down
            target = download / sid / "work" / "depth.py"
            target.parent.mkdir(parents=True)
            target.write_text(code[sid])
        elif sid == TWICE:  # an early broken attempt, then the real one (Canvas keeps both)
            (download / f"{name}_{sid}_7001_depth.py").write_text("def count_weights(:\n")
            (download / f"{name}_LATE_{sid}_7002_depth-1.py").write_text(code[sid])
        else:
            (download / f"{name}_{sid}_{6000 + index}_depth.py").write_text(code[sid])
    roster.append((MISSING, f"Student {MISSING}", "A"))
    roster_path = root / "roster.csv"
    with open(roster_path, "w", newline="") as f:
        csv.writer(f).writerows(roster)
    return download, roster_path, code


@pytest.fixture(scope="module")
def graded_class(depth_build, tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    download, roster, code = make_class(root)
    out = root / "graded"
    result = CliRunner().invoke(
        main,
        [
            "grade",
            "depth",
            str(download),
            "--roster",
            str(roster),
            "--out",
            str(out),
            "--jobs",
            "2",
            "--autograder",
            str(depth_build.autograder_zip),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return root, out, code


def _gradebook(out: Path) -> list[dict]:
    with open(out / "grades.csv") as f:
        return list(csv.DictReader(f))


def test_one_gradebook_row_per_roster_student_with_the_right_id(graded_class):
    root, out, code = graded_class
    rows = _gradebook(out)
    with open(root / "roster.csv") as f:
        roster = {row["id"]: row["name"] for row in csv.DictReader(f)}
    assert sorted(row["student"] for row in rows) == sorted(roster)
    assert all(row["name"] == roster[row["student"]] for row in rows)
    by_id = {row["student"]: row for row in rows}
    assert by_id[MISSING]["status"] == "missing" and by_id[MISSING]["score"] == "0"
    assert by_id[TWICE]["status"] == "ok" and "late" in by_id[TWICE]["note"].lower()
    full = [
        sid for sid in code if "YOUR CODE HERE" not in code[COPIES.get(sid, sid)]
    ]  # a copy: as its original
    assert all(by_id[sid]["score"] == "22" for sid in full), [
        by_id[s] for s in full if by_id[s]["score"] != "22"
    ]
    assert all((out / sid / "grade.json").is_file() for sid in code)  # a folder per student, named by the id


def test_feedback_for_every_student(graded_class):
    _, out, code = graded_class
    for sid in [*code, MISSING]:
        html = (out / sid / "feedback.html").read_text()
        assert "<html" in html.lower() and (out / sid / "feedback.md").is_file()
    partial = next(sid for sid, source in code.items() if "YOUR CODE HERE" in source and sid not in COPIES)
    assert "q" in (out / partial / "feedback.md").read_text()


def test_canvas_export_has_canvas_layout(graded_class, tmp_path):
    _, out, _ = graded_class
    target = tmp_path / "canvas.csv"
    result = CliRunner().invoke(
        main,
        ["export", "depth", str(out), "--format", "canvas", "--column", "Depth (HW1)", "--out", str(target)],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(target.open()))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[0][-1] == "Depth (HW1)"
    assert rows[1][0].strip() == "Points Possible" and rows[1][-1] == "22"
    assert len(rows) == 2 + ROSTER_SIZE


def test_similarity_ranks_the_planted_copies_first(graded_class, tmp_path):
    root, _, _ = graded_class
    out = tmp_path / "similarity"
    result = CliRunner().invoke(
        main,
        [
            "similarity",
            "depth",
            str(root / "canvas-download"),
            "--roster",
            str(root / "roster.csv"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    ranked = list(csv.DictReader((out / "similarity.csv").open()))
    top = {frozenset((row["a"], row["b"])) for row in ranked[: len(COPIES)]}
    assert top == {frozenset(pair) for pair in COPIES.items()}, ranked[:6]
    assert (out / "similarity.html").is_file()


def test_the_summary_leaves_out_the_missing_and_says_so(graded_class):
    _, out, _ = graded_class
    summary = json.loads((out / "summary.json").read_text())
    assert summary["submissions"] == ROSTER_SIZE and summary["left_out"] == {"missing": 1}
    assert summary["graded"] == ROSTER_SIZE - 1
    ignored = list(csv.DictReader((out / "ignored.csv").open()))
    assert [Path(row["file"]).name.endswith(f"_{TWICE}_7001_depth.py") for row in ignored] == [True], ignored
