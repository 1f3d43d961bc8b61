"""The child side of grading: run one submission and its tests in a forked, confined process.

The child never decides a grade. It streams authenticated JSON messages to the parent: when a
notebook cell or a test case begins, and how it ended. The parent enforces every time limit
(a child past its limit is killed and a new one resumes after the item that hung), and it
decides the grade from the messages and from how each child ended. A message that fails
authentication, or an integrity check that fails, voids the submission's grade.
"""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from . import confine, habits
from .guard import Guard, Tampered, core
from .protocol import PASSED, Kind, Sender, failed
from .settings import Limits
from .submission import Chunk


@dataclass
class Plan:
    """What one child attempt runs: the cells to skip and the test cases already decided."""

    skip_cells: set[int] = field(default_factory=set)
    skip_cases: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class Confinement:
    """What took effect in the child (reported with the grade)."""

    seccomp: bool = False
    landlock: bool = False


class CappedWriter(io.TextIOBase):
    """A text stream that keeps the first bytes written to it and silently drops the rest."""

    def __init__(self, target: io.TextIOBase, budget: list[int]) -> None:
        self._target, self._budget = target, budget  # one budget shared by stdout and stderr

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self._budget[0] > 0:
            kept = text[: self._budget[0]]
            self._budget[0] -= len(kept.encode("utf-8", "replace"))
            try:
                self._target.write(kept)
                if self._budget[0] <= 0:
                    self._target.write("\n[output cut: the output limit was reached]\n")
                self._target.flush()
            except OSError:
                self._budget[0] = 0
        return len(text)

    def flush(self) -> None:
        pass


def _redirect_output(scratch: str, output_bytes: int) -> None:
    out = os.open(os.path.join(scratch, "output.txt"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(out)
    os.close(devnull)
    sys.stdin = open(0, closefd=False)
    shared = open(1, "w", buffering=1, closefd=False, errors="replace")
    budget = [max(0, output_bytes - os.path.getsize(os.path.join(scratch, "output.txt")) - 200)]
    sys.stdout = CappedWriter(shared, budget)
    sys.stderr = CappedWriter(shared, budget)


_WARMED: set[str] = set()


def preload(test_sources: list[str] | None = None) -> None:
    """Import what the tests use, so that a forked child starts warm and the guard sees it all."""
    import hypothesis  # noqa: F401
    import hypothesis.strategies  # noqa: F401
    import numpy  # noqa: F401
    import torch  # noqa: F401
    import torch.testing  # noqa: F401

    import dl541_testing

    habits.allow()  # before the guard's snapshot: the wrappers are what it records
    if "hypothesis" not in _WARMED:
        _one_blas_thread()
        _warm_up_hypothesis(dl541_testing)
        _WARMED.add("hypothesis")
    wants_optimizers = test_sources is None or any("optim" in source for source in test_sources)
    if wants_optimizers and "optimizers" not in _WARMED:
        _warm_up_optimizers()  # 1-2 s of imports (torch._dynamo), paid here once, not per child
        _WARMED.add("optimizers")


def _one_blas_thread() -> None:
    # numpy's BLAS, in case it was loaded before dl541 could set OPENBLAS_NUM_THREADS: once here
    # (the forked children inherit it), since threadpoolctl takes ~15 ms to find the libraries.
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:
        pass


def _warm_up_optimizers() -> None:
    # torch wraps each optimizer class's `step` the first time the class is instantiated; do it
    # now, before the guard's snapshot, so that a test's first optimizer is not a "change".
    import torch

    param = torch.nn.Parameter(torch.zeros(1))
    for name in dir(torch.optim):
        cls = getattr(torch.optim, name)
        if (
            isinstance(cls, type)
            and issubclass(cls, torch.optim.Optimizer)
            and cls is not torch.optim.Optimizer
        ):
            try:
                cls([param], lr=0.1)
            except Exception:  # noqa: BLE001 - an optimizer that wants other arguments stays cold
                continue


def _warm_up_hypothesis(testing: Any) -> None:
    # Hypothesis initialises itself lazily on its first run (about a second); pay that once in
    # the parent instead of in every forked child.
    from hypothesis import given
    from hypothesis import strategies as st

    @testing.prop(3)
    @given(st.lists(st.integers(0, 3), max_size=3), st.floats(0, 1), st.sampled_from([1, 2]), st.booleans())
    def warm(xs, f, s, b):
        pass

    testing.run_property(warm)


def _confine(scratch: str, autograder_root: str, device: str, limits: Limits) -> Confinement:
    import faulthandler
    import signal

    import torch

    # A crash must end this process at once: a handler that re-raises would need tgkill, which
    # seccomp refuses, and the faulting instruction would then repeat forever.
    faulthandler.disable()
    for sig in (signal.SIGSEGV, signal.SIGBUS, signal.SIGFPE, signal.SIGILL, signal.SIGABRT):
        signal.signal(sig, signal.SIG_DFL)

    torch.set_num_threads(1)  # identical arithmetic whatever --jobs is; no thread pool
    habits.confined()  # from now on the habits' wrappers act (no-op, in-process, refused)
    if device == "cuda":
        torch.manual_seed(0)
    else:  # the CPU generator alone: torch.manual_seed also visits every other backend (ms per child)
        torch.default_generator.manual_seed(0)
    if device == "cuda":
        # The CUDA runtime and cuBLAS start their threads on first use: use them before seccomp.
        a = torch.ones(8, 8, device="cuda")
        (a @ a).sum().item()
        torch.cuda.synchronize()
    confine.set_limits(limits.memory_mb * 1024 * 1024, limits.output_bytes)
    landlock = confine.install_landlock(
        read_paths=confine.python_read_paths([autograder_root]),
        write_paths=[scratch],
        device_paths=["/dev"],
    )
    seccomp = confine.install_seccomp()
    return Confinement(seccomp=seccomp, landlock=landlock)


def child_main(
    conn: Connection,
    key: bytes,
    chunks: list[Chunk],
    test_files: list,
    plan: Plan,
    guard: Guard,
    scratch: str,
    autograder_root: str,
    device: str,
    limits: Limits,
) -> None:
    """Entry point of the forked child: confine, run the cells, run the test cases, exit.

    What it calls after student code has run is bound here first, in this frame's locals (which the
    audit hook keeps out of student code's reach): rebinding this module's names, or the guard's
    methods, changes nothing of what it does. It checks the guard against a seal held here, with what
    the audit hook refused and what this loop itself runs (`core.check_seal`), after loading, after
    every test case and at the end; and the full record after loading and after each question: a
    change found voids the grade before the case's result is sent.
    """
    import multiprocessing

    process = multiprocessing.current_process()
    process._args, process._kwargs = (), {}  # the pipe key must not be reachable from student code
    channel = Sender(conn, key)
    del key
    send, tampered, exit_now = channel.send, Tampered, os._exit
    verify, guard_namespace, restore = guard.verify, guard.guard_namespace, _restore
    seal, check_seal = core.seal, core.check_seal
    depth = (core._get_depth, core._set_depth)
    run_chunk, run_case, try_send, kinds = _run_chunk, _run_case, _try_send, Kind
    get_problem = core._get_problem
    sealed = None
    try:
        # Inherited descriptors include the other submissions' pipes: never leave them reachable.
        keep = conn.fileno()
        os.closerange(3, keep)
        os.closerange(keep + 1, 1 << 16)
        os.setsid()  # own process group: the parent can kill it whole
        confine.die_with_parent()
        os.chdir(scratch)
        os.environ.update(
            {"DL541_DEVICE": device, "MPLBACKEND": "Agg", "MPLCONFIGDIR": scratch, "HOME": scratch}
        )
        _redirect_output(scratch, limits.output_bytes)
        confinement = _confine(scratch, autograder_root, device, limits)
        verify()  # the snapshot was taken in the parent: set-up must not have changed anything
        hook = guard.install_audit_hook()  # held here only: it tells what it refused
        sealed = seal(guard)
        send(kinds.READY, seccomp=confinement.seccomp, landlock=confinement.landlock)
        env: dict[str, Any] = {"__name__": "__main__", "__builtins__": __builtins__}
        for index, chunk in enumerate(chunks):
            if index in plan.skip_cells:
                continue
            send(kinds.BEGIN, cell=index)
            error = run_chunk(guard, chunk, env, depth)
            verify(True)
            send(kinds.CELL, cell=index, error=error)
        check_seal(guard, sealed, hook)
        verify()  # the full record once the submission is loaded, then after each question
        guard_namespace(env)
        for tf in test_files:
            for tc in tf.test_cases:
                if (tf.name, tc.name) in plan.skip_cases:
                    continue
                send(kinds.BEGIN, question=tf.name, case=tc.name)
                passed, message = run_case(tf, tc, env)
                check_seal(guard, sealed, hook, env)  # the guard, and what this loop runs, as sealed
                verify(tc is not tf.test_cases[-1])  # fast; the full record after each question
                send(kinds.CASE, question=tf.name, case=tc.name, passed=passed, message=message)
        check_seal(guard, sealed, hook, env)
        send(kinds.DONE)
    except tampered as exc:
        restore(guard, sealed)
        try_send(channel, kinds.TAMPERED, str(exc))
    except BaseException as exc:  # noqa: BLE001 - report the grader's own failure, then leave
        restore(guard, sealed)
        problem = get_problem(guard) or f"{type(exc).__name__}: {exc}"
        try_send(channel, kinds.TAMPERED if get_problem(guard) else kinds.FATAL, str(problem)[:2000])
    finally:
        exit_now(0)


def _restore(guard: Guard, sealed: tuple | None) -> None:
    """Put back what the record holds, as far as possible (so that the report can be sent): from the
    seal once taken, since the guard's own state may be the submission's by now."""
    try:
        groups = sealed[0][core.GROUPS][0] if sealed is not None else guard._full
        for group in groups:
            if group.check():
                group.restore()
    except BaseException:  # noqa: BLE001, S110 - best effort: the grade is void whatever happens here
        pass


def _try_send(channel: Sender, kind: Kind, what: str) -> None:
    try:
        channel.send(kind, what=what)
    except BaseException:  # noqa: BLE001
        pass


def _run_chunk(guard: Guard, chunk: Chunk, env: dict, depth: tuple) -> dict | None:
    """Run one cell as student code (counted in the guard's `depth`, read and written by `depth`, the
    slot's own accessors: a cell may change the guard's class, not those)."""
    try:
        code = compile(chunk.source, f"<{chunk.label}>", "exec")
    except SyntaxError as exc:
        return {"kind": "SyntaxError", "message": f"line {exc.lineno}: {exc.msg}"}
    get_depth, set_depth = depth
    before = get_depth(guard)
    set_depth(guard, before + 1)
    try:
        exec(code, env)
    except SystemExit as exc:
        return {"kind": "SystemExit", "message": f"called exit({exc.code!r})"}
    except MemoryError:
        return {"kind": "MemoryError", "message": "ran out of memory"}
    except Tampered:
        raise
    except BaseException as exc:  # noqa: BLE001 - student code may raise anything
        return {"kind": type(exc).__name__, "message": str(exc)[:2000]}
    finally:
        set_depth(guard, before)
    return None


def _run_case(tf: Any, tc: Any, env: dict) -> tuple[bool, str]:
    try:
        tc.body.call_func(env)
    except MemoryError:
        return False, failed("MemoryError: the submission ran out of memory")
    except Exception as exc:  # noqa: BLE001 - Otter counts any exception as a failure
        try:
            return False, failed(tf._generate_error_message(exc))
        except Exception:  # noqa: BLE001 - fall back when the traceback is unusual
            return False, failed(f"{type(exc).__name__}: {exc}")
    except Tampered:
        raise
    except BaseException as exc:  # noqa: BLE001 - SystemExit and friends from student code
        return False, failed(f"{type(exc).__name__} raised by the submission")
    return True, PASSED
