"""Grading on a Dask cluster: one task per submission, results written where the grader runs.

Workers need only this package and the autograder zip, which is sent to each of them once.
On a worker a task grades its submission exactly as local grading does (a forked, confined
child per submission), and returns the record and the captured output; the client writes
`results.json`, the record and the output atomically into the output folder, so resuming,
duplicates and the gradebook behave as they do locally. A worker that dies mid-task has its
task rerun elsewhere by Dask; each submission's result is written once, when its task ends.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from . import report
from .autograder import Autograder

_CACHE: dict[str, tuple] = {}  # per worker process: fingerprint -> (autograder, guard)


def remote_grade(zip_bytes: bytes, fingerprint: str, filename: str, data: bytes, options, assignment):
    """Run on a worker: grade one submission; return its record and what it printed."""
    import multiprocessing

    from . import autograder
    from .grader import Options, grade_locally, plan_batch, warm_guard

    # Dask runs workers as daemon processes, which multiprocessing forbids to have children; a
    # grading child is killed with its parent anyway (PR_SET_PDEATHSIG), so lift that rule here.
    multiprocessing.current_process()._config["daemon"] = False
    if fingerprint not in _CACHE:
        folder = Path(tempfile.mkdtemp(prefix="dl541-worker-ag-"))
        (folder / "autograder.zip").write_bytes(zip_bytes)
        ag = autograder.load(folder / "autograder.zip")
        _CACHE[fingerprint] = (ag, warm_guard(ag))
    ag, guard = _CACHE[fingerprint]
    with tempfile.TemporaryDirectory(prefix="dl541-task-") as tmp:
        path = Path(tmp) / "in" / filename
        path.parent.mkdir()
        path.write_bytes(data)
        out = Path(tmp) / "out"
        local = Options(
            jobs=1, device=options.device, timeout=options.timeout, limits=options.limits, regrade=True
        )
        records: list[dict] = []
        pending = plan_batch(ag, [path], out, local, records.append)
        grade_locally(ag, pending, out, local, records.append, assignment, guard=guard)
        (record,) = records
        output_file = out / record["submission"] / report.OUTPUT
        output = output_file.read_text(errors="replace") if output_file.is_file() else ""
    return {"record": record, "output": output}


def grade_on_dask(
    ag: Autograder,
    pending: list,
    out_dir: Path,
    options,
    scheduler: str,
    finish: Callable[[dict], None],
    assignment: str | None,
) -> None:
    """Grade `pending` as Dask tasks on `scheduler` ("local" starts a LocalCluster on loopback)."""
    from distributed import Client, LocalCluster, as_completed

    from .grader import record_without_run

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=max(1, options.jobs),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        )
        client = Client(cluster)
    else:
        client = Client(scheduler, timeout="30s")
    try:
        zip_future = client.scatter(ag.zip_path.read_bytes(), broadcast=True, hash=False)
        futures = {}
        for item in pending:
            try:
                data = item.path.read_bytes()
            except OSError as exc:
                detail = f"{item.path.name}: cannot be read ({exc})"
                finish(
                    record_without_run(
                        ag, item.sid, item.path, item.sha256, options, "invalid", detail, out_dir
                    )
                )
                continue
            future = client.submit(
                remote_grade,
                zip_future,
                ag.fingerprint,
                item.path.name,
                data,
                options,
                assignment,
                key=f"dl541-{item.sha256[:16]}-{item.sid}",
                pure=False,
            )
            futures[future] = item
        for future in as_completed(futures):
            item = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a task Dask gave up on (workers died with it)
                detail = f"the Dask task failed: {type(exc).__name__}: {exc}"[:500]
                finish(
                    record_without_run(
                        ag, item.sid, item.path, item.sha256, options, "crashed", detail, out_dir
                    )
                )
                continue
            record = dict(result["record"], submission=item.sid, file=str(item.path))
            report.write_submission(out_dir, ag, record, result["output"])
            finish(record)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
