"""Grading on a Dask cluster: one task per submission, results written where the grader runs.

Workers need only this package and the autograder zip, which is sent to each of them once.
On a worker a task grades its submission exactly as local grading does (a forked, confined
child per submission) and returns the record and the captured output, writing nothing; the
client's `grade_batch` writes them, as it writes local results, so resuming, duplicates and the
gradebook behave as they do locally. A worker that dies mid-task has its task rerun elsewhere by
Dask; each submission's result is written once, when its task ends.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterator
from pathlib import Path

from . import bundle
from .grader import Graded, Pending, grade_locally, record_without_run, warm_guard
from .settings import Options
from .status import Status

_CACHE: dict[str, tuple] = {}  # per worker process: fingerprint -> (autograder, guard)


def remote_grade(zip_bytes: bytes, fingerprint: str, filename: str, data: bytes, options, assignment):
    """Run on a worker: grade one submission; return its record and what it printed."""
    import multiprocessing

    # Dask runs workers as daemon processes, which multiprocessing forbids to have children; a
    # grading child is killed with its parent anyway (PR_SET_PDEATHSIG), so lift that rule here.
    multiprocessing.current_process()._config["daemon"] = False
    if fingerprint not in _CACHE:
        folder = Path(tempfile.mkdtemp(prefix="dl541-worker-ag-"))
        (folder / "autograder.zip").write_bytes(zip_bytes)
        ag = bundle.open_zip(folder / "autograder.zip")
        _CACHE[fingerprint] = (ag, warm_guard(ag))
    ag, guard = _CACHE[fingerprint]
    with tempfile.TemporaryDirectory(prefix="dl541-task-") as tmp:
        path = Path(tmp) / filename
        path.write_bytes(data)
        local = Options(jobs=1, device=options.device, timeout=options.timeout, limits=options.limits)
        item = Pending(filename, path, "")
        ((record, output),) = list(grade_locally(ag, [item], local, assignment, guard))
    return {"record": record, "output": output}


class DaskExecutor:
    """Grades each pending submission as a Dask task on `scheduler` ("local": a LocalCluster on loopback)."""

    def __init__(self, scheduler: str) -> None:
        self.scheduler = scheduler

    def run(self, ag, pending: list[Pending], options: Options, assignment: str | None) -> Iterator[Graded]:
        if not pending:
            return
        from distributed import Client, LocalCluster, as_completed

        cluster = None
        if self.scheduler == "local":
            cluster = LocalCluster(
                n_workers=max(1, options.jobs),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            client = Client(cluster)
        else:
            client = Client(self.scheduler, timeout="30s")
        try:
            zip_future = client.scatter(ag.zip_path.read_bytes(), broadcast=True, hash=False)
            futures = {}
            for item in pending:
                try:
                    data = item.path.read_bytes()
                except OSError as exc:
                    detail = f"{item.path.name}: cannot be read ({exc})"
                    yield (
                        record_without_run(
                            ag, item.sid, item.path, item.sha256, options, Status.INVALID, detail
                        ),
                        "",
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
                    yield (
                        record_without_run(
                            ag, item.sid, item.path, item.sha256, options, Status.CRASHED, detail
                        ),
                        "",
                    )
                    continue
                record = dataclasses.replace(
                    result["record"], submission=item.sid, file=str(item.path), sha256=item.sha256
                )
                yield record, result["output"]
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
