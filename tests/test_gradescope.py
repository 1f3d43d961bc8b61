"""The Gradescope zip grades with dl541's engine: one grade on every path (issue: one trustworthy grade).

Paths: `dl541 grade` (grade_batch), `dl541 run-autograder` (what the zip's run_autograder runs on
Gradescope), and `otter run -a autograder.zip` (Otter's runner, through dl541's plugin).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dl541 import build, bundle, gradescope, report
from dl541.assignment import Assignment
from dl541.grader import grade_batch
from dl541.settings import Options
from dl541.wheel import wheel_name

REPO = Path(__file__).resolve().parents[1]

#: The issue's exploit: under Otter's own runner it marked every case passed (22/22 on depth).
OTTER_EXPLOIT = """
from otter.test_files.exception_test import ExceptionTestFile
from otter.test_files.abstract_test import TestCaseResult
def _run(self, global_environment):
    self.test_case_results = [TestCaseResult(test_case=c, message="ok", passed=True) for c in self.test_cases]
ExceptionTestFile.run = _run
"""


def _with_cell(notebook: Path, code: str, target: Path) -> Path:
    nb = json.loads(notebook.read_text())
    nb["cells"].append(
        {"cell_type": "code", "metadata": {}, "source": code, "outputs": [], "execution_count": None}
    )
    target.write_text(json.dumps(nb))
    return target


def test_the_zip_runs_dl541_and_carries_it(depth_build):
    with zipfile.ZipFile(depth_build.autograder_zip) as zf:
        names = set(zf.namelist())
        run_autograder = zf.read("run_autograder").decode().splitlines()
        run_otter = zf.read("run_otter.py").decode()
        config = json.loads(zf.read("otter_config.json"))
        settings = json.loads(zf.read("dl541.json"))
        environment = zf.read("environment.yml").decode()
    assert wheel_name() in names
    assert run_autograder[-1] == "dl541 run-autograder --root /autograder"
    assert "dl541.gradescope" in run_otter and "otter.run" not in run_otter
    assert config["plugins"] == ["dl541.otter_plugin.ConfinedGrading"]
    assert settings == {"assignment": "depth", "hidden_visibility": "after_due_date", "dl541": "0.1.0"}
    assert f"/autograder/source/{wheel_name()}" in environment  # setup.sh's environment installs it


def test_the_wheel_alone_grades_as_run_autograder_does(depth_build, depth_samples, tmp_path):
    """Install only the zip's wheel, then run the zip's own last line on a Gradescope-shaped folder."""
    site = tmp_path / "site"
    with zipfile.ZipFile(depth_build.autograder_zip) as zf:
        (tmp_path / wheel_name()).write_bytes(zf.read(wheel_name()))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(site),
            str(tmp_path / wheel_name()),
        ],
        check=True,
    )
    root = gradescope.layout(
        tmp_path / "autograder", depth_build.autograder_zip, depth_samples["reference.ipynb"]
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import dl541; print(dl541.__file__)"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert where.stdout.strip().startswith(str(site)), where
    done = subprocess.run(
        [sys.executable, str(site / "bin" / "dl541"), "run-autograder", "--root", str(root)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 22
    assert results["extra_data"]["dl541"]["status"] == "ok"
    assert set(results["extra_data"]["dl541"]["confinement"]) == {"seccomp", "landlock"}
    assert "confinement:" in results["output"]


@pytest.fixture(scope="module")
def otter_exploit(depth_samples, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("exploit")
    return _with_cell(depth_samples["skeleton.ipynb"], OTTER_EXPLOIT, folder / "exploit.ipynb")


def test_otter_run_gives_the_dl541_grade(depth_build, depth_ag, depth_samples, otter_exploit, tmp_path):
    """`otter run -a autograder.zip`, which the README offers for local checks, agrees with dl541 grade."""
    subs = [otter_exploit, depth_samples["reference.ipynb"]]
    records = {r.submission: r for r in grade_batch(depth_ag, subs, tmp_path / "grade", Options(jobs=2))}
    for sub in subs:
        results = gradescope.otter_run(depth_build.autograder_zip, sub)
        assert results is not None, f"otter run wrote no results.json for {sub.name}"
        assert results["score"] == records[sub.name].score, (sub.name, results["output"])
        assert results == json.loads((tmp_path / "grade" / sub.name / "results.json").read_text())
    assert records["exploit.ipynb"].score == 0


def test_run_autograder_matches_dl541_grade_on_the_exploit(depth_build, depth_ag, otter_exploit, tmp_path):
    (record,) = grade_batch(depth_ag, [otter_exploit], tmp_path / "grade", Options(jobs=1))
    root = gradescope.layout(tmp_path / "autograder", depth_build.autograder_zip, otter_exploit)
    results = gradescope.run_autograder(root, Options(jobs=1, regrade=True))
    assert report.comparable(gradescope.graded_record(root)) == report.comparable(record)
    assert results == json.loads((tmp_path / "grade" / "exploit.ipynb" / "results.json").read_text())
    assert results["score"] == 0


def test_hidden_visibility_is_one_setting_for_every_path(depth_samples, tmp_path):
    built = build.build_assignment(Assignment.named("depth"), tmp_path / "dist", hidden_visibility="hidden")
    ag = bundle.open_zip(built.autograder_zip)
    assert ag.hidden_visibility == "hidden"
    (record,) = grade_batch(ag, [depth_samples["reference.ipynb"]], tmp_path / "grade", Options(jobs=1))
    local = json.loads((tmp_path / "grade" / "depth-reference.ipynb" / "results.json").read_text())
    root = gradescope.layout(tmp_path / "autograder", built.autograder_zip, depth_samples["reference.ipynb"])
    assert gradescope.run_autograder(root, Options(jobs=1, regrade=True)) == local
    visibility = {t["name"]: t["visibility"] for t in local["tests"]}
    assert visibility.pop("Public Tests") == "visible"
    assert set(visibility.values()) == {"hidden"}  # question entries carry hidden tests' messages
    public_summary = next(t["output"] for t in local["tests"] if t["name"] == "Public Tests")
    hidden_names = {c.test for c in record.cases if c.hidden}
    assert not any(name in public_summary for name in hidden_names)
    with pytest.raises(ValueError, match="hidden_visibility must be one of"):
        build.build_assignment(Assignment.named("depth"), tmp_path / "dist", hidden_visibility="sometimes")


@pytest.mark.parametrize(
    ("files", "why"),
    [
        ([], "holds no notebook"),
        (["a.ipynb", "b.ipynb"], "several .ipynb files"),
        (["notes.txt"], "found: notes.txt"),
    ],
)
def test_a_submission_folder_without_one_gradable_file_is_invalid(depth_build, tmp_path, files, why):
    root = gradescope.layout(tmp_path / "ag", depth_build.autograder_zip, Path(__file__))
    (root / "submission" / Path(__file__).name).unlink()
    for name in files:
        (root / "submission" / name).write_text("{}")
    results = gradescope.run_autograder(root, Options(jobs=1, regrade=True))
    record = gradescope.graded_record(root)
    assert record.status == "invalid" and why in record.detail, record.detail
    assert results["score"] == 0 and why in results["output"]


def test_otter_additions_are_not_the_submission(tmp_path):
    for name in ("__init__.py", "depth.py"):
        (tmp_path / name).write_text("")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "q1.py").write_text("")
    assert gradescope.find_submission(tmp_path) == tmp_path / "depth.py"
    (tmp_path / "depth.ipynb").write_text("{}")
    assert gradescope.find_submission(tmp_path) == tmp_path / "depth.ipynb"  # a notebook comes first


@pytest.mark.slow
def test_otter_run_gives_every_attack_the_dl541_grade(depth_build, depth_ag, tmp_path):
    """Every patch, cheat and lying value of test_tamper, through `otter run -a autograder.zip` (slow:
    a fresh Otter process and kernel per submission): the score `dl541 grade` gives, every time."""
    import test_tamper as tamper

    folder = tmp_path / "attacks"
    folder.mkdir()
    victim = folder / "victim.py"
    victim.write_text(tamper.REFERENCE)
    sources = {f"patch-{n}": tamper.REFERENCE + "\n\n" + code for n, code in tamper.PATCHES.items()}
    for name, code in tamper.CHEATS.items():
        own = (
            code.replace("VICTIM", repr(str(victim)))
            if name.startswith("opens-")
            else tamper.REFERENCE + code
        )
        sources[f"cheat-{name}"] = own
    for name, (code, _) in tamper.LIES.items():
        sources[f"lie-{name}"] = tamper.REFERENCE + "\n\n" + tamper.LIARS + "\n\n" + code
    subs = []
    for name, source in sources.items():
        subs.append(folder / f"{name}.py")
        subs[-1].write_text(source)
    records = {r.submission: r for r in grade_batch(depth_ag, subs, tmp_path / "grade", tamper.OPTIONS)}
    differ = {}
    for sub in subs:
        results = gradescope.otter_run(depth_build.autograder_zip, sub, timeout=300)
        score = None if results is None else results["score"]
        if score != records[sub.name].score:
            differ[sub.name] = (score, records[sub.name].score, records[sub.name].status)
    assert differ == {}
