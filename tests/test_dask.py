"""Grading on a real Dask cluster (LocalCluster on loopback): same results as local grading."""

from __future__ import annotations

import json
import os
import sys
import threading
import time

import pytest

from dl541 import paths
from dl541.assignment import Assignment
from dl541.dask_backend import DaskExecutor
from dl541.grader import grade_batch
from dl541.settings import Options

pytest.importorskip("distributed")
REFERENCE = Assignment.named("depth").reference.read_text()


def _key(records):
    return sorted((r.submission, r.status, r.score, tuple(sorted(r.questions.items()))) for r in records)


def test_local_dask_cluster_grades_like_local_mode(depth_ag, depth_samples, tmp_path):
    files = list(depth_samples.values())
    local = grade_batch(depth_ag, files, tmp_path / "local", Options(jobs=2), assignment="depth")
    remote = grade_batch(
        depth_ag,
        files,
        tmp_path / "dask",
        Options(jobs=2),
        assignment="depth",
        executor=DaskExecutor("local"),
    )
    assert _key(local) == _key(remote)
    for name in ("depth-reference.py", "depth-raises.ipynb"):
        a = json.loads((tmp_path / "local" / name / "results.json").read_text())
        b = json.loads((tmp_path / "dask" / name / "results.json").read_text())
        assert a == b
    record = json.loads((tmp_path / "dask" / "depth-reference.py" / "grade.json").read_text())
    assert record["file"] == str(depth_samples["reference.py"])  # the client's path, not the worker's
    local_record = json.loads((tmp_path / "local" / "depth-reference.py" / "grade.json").read_text())
    assert record["confinement"] == local_record["confinement"]


def test_killed_worker_tasks_are_retried_and_written_once(depth_ag, tmp_path):
    from distributed import Client, LocalCluster

    subs = tmp_path / "subs"
    subs.mkdir()
    files = []
    for i in range(6):
        path = subs / f"s{i}.py"
        path.write_text(REFERENCE + "\nimport time\ntime.sleep(2)\n")
        files.append(path)
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    killed = []

    def kill_one_worker_when_busy():
        with Client(cluster.scheduler_address) as client:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                busy = [w for w, tasks in client.processing().items() if tasks]
                if busy:
                    killed.append(busy[0])
                    client.run(lambda: os._exit(1), workers=[busy[0]])
                    return
                time.sleep(0.2)

    killer = threading.Thread(target=kill_one_worker_when_busy)
    killer.start()
    written = []
    try:
        records = grade_batch(
            depth_ag,
            files,
            tmp_path / "out",
            Options(jobs=2),
            assignment="depth",
            executor=DaskExecutor(cluster.scheduler_address),
            on_result=written.append,
        )
    finally:
        killer.join()
        cluster.close()
    assert killed, "no worker was busy long enough to be killed"
    assert sorted(r.submission for r in written) == [f"s{i}.py" for i in range(6)]  # once each
    assert {r.score for r in records} == {depth_ag.max_score}
    assert {r.status for r in records} == {"ok"}


def test_local_path_does_not_import_dask(depth_ag, depth_samples, tmp_path):
    import subprocess

    code = (
        f"import sys; from pathlib import Path; sys.path.insert(0, {str(paths.TESTING_MODULE.parent)!r})\n"
        "from dl541 import bundle; from dl541.grader import grade_batch\n"
        "from dl541.settings import Options\n"
        f"ag = bundle.open_zip(Path({str(depth_ag.zip_path)!r}))\n"
        f"grade_batch(ag, [Path({str(depth_samples['reference.py'])!r})], Path({str(tmp_path / 'o')!r}), "
        "Options(jobs=1))\n"
        "assert 'distributed' not in sys.modules and 'dask' not in sys.modules, 'dask was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
