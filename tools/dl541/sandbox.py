"""The child side of grading: run one submission and its tests in a forked, limited process.

The child never writes a grade. It streams plain JSON messages (one per finished test case) to
the parent over a pipe; the parent decides the grade from those messages and from how the
child ended.
"""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import sys
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from .submission import Chunk

#: Largest message the parent accepts from a child (a flood of text is cut, not trusted).
MAX_MESSAGE = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """Per-submission limits: wall-clock seconds per test case, address space and output bytes."""

    test_timeout: float = 60.0
    memory_mb: int = 4096
    output_bytes: int = 1_000_000


class TestTimeout(BaseException):
    """Raised inside the child when one test case (or loading) runs past its time limit."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise TestTimeout()


def _send(conn: Connection, message: dict) -> None:
    data = json.dumps(message).encode()
    if len(data) > MAX_MESSAGE:
        if "message" in message:
            message = dict(message, message=message["message"][: MAX_MESSAGE // 4] + "\n[cut]")
        data = json.dumps(message).encode()[:MAX_MESSAGE]
    conn.send_bytes(data)


def _apply_limits(scratch: str, limits: Limits) -> None:
    os.setsid()  # own process group: the parent kills it whole, grandchildren included
    _die_with_parent()
    os.chdir(scratch)
    soft_as = limits.memory_mb * 1024 * 1024 + _current_vm_bytes()
    resource.setrlimit(resource.RLIMIT_AS, (soft_as, soft_as))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Output goes to a capped file: past the cap, writes fail instead of filling the disk.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    out = os.open(os.path.join(scratch, "output.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    sys.stdin = open(0, closefd=False)
    shared = open(1, "w", buffering=1, closefd=False, errors="replace")
    budget = [limits.output_bytes - 200]
    sys.stdout = CappedWriter(shared, budget)
    sys.stderr = CappedWriter(shared, budget)


class CappedWriter(io.TextIOBase):
    """A text stream that keeps the first bytes written to it and silently drops the rest."""

    def __init__(self, target: io.TextIOBase, budget: list[int]) -> None:
        self._target, self._budget = target, budget  # budget is shared by stdout and stderr

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self._budget[0] > 0:
            kept = text[: self._budget[0]]
            self._budget[0] -= len(kept.encode("utf-8", "replace"))
            try:
                self._target.write(kept)
                if self._budget[0] <= 0:
                    self._target.write("\n[output cut: --output limit reached]\n")
                self._target.flush()
            except OSError:
                self._budget[0] = 0
        return len(text)

    def flush(self) -> None:
        pass


def _die_with_parent() -> None:
    # Linux only: if the grader is killed, its children must not run on (a loop would run forever).
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:
            os._exit(0)
    except OSError:
        pass


def _current_vm_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def child_main(
    conn: Connection,
    chunks: list[Chunk],
    test_files: list,
    scratch: str,
    device: str,
    limits: Limits,
) -> None:
    """Entry point of the forked child: run the submission, then every test case; then exit."""
    try:
        _apply_limits(scratch, limits)
        os.environ["DL541_DEVICE"] = device
        os.environ["MPLBACKEND"] = "Agg"
        import torch

        torch.set_num_threads(1)  # identical arithmetic whatever --jobs is
        torch.manual_seed(0)
        signal.signal(signal.SIGALRM, _on_alarm)
        env: dict[str, Any] = {"__name__": "__main__", "__builtins__": __builtins__}
        errors = []
        for chunk in chunks:
            error = _run_chunk(chunk, env, limits.test_timeout)
            if error:
                errors.append(error)
        _send(conn, {"kind": "loaded", "errors": errors})
        for tf in test_files:
            for tc in tf.test_cases:
                passed, message = _run_case(tf, tc, env, limits.test_timeout)
                _send(
                    conn,
                    {
                        "kind": "case",
                        "question": tf.name,
                        "case": tc.name,
                        "passed": passed,
                        "message": message,
                    },
                )
        _send(conn, {"kind": "done"})
    except BaseException:  # noqa: BLE001 - report anything, then leave
        try:
            _send(conn, {"kind": "fatal", "message": traceback.format_exc(limit=5)})
        except BaseException:  # noqa: BLE001
            pass
    finally:
        conn.close()
        os._exit(0)


def _run_chunk(chunk: Chunk, env: dict, timeout: float) -> dict | None:
    try:
        code = compile(chunk.source, f"<{chunk.label}>", "exec")
    except SyntaxError as exc:
        return {"where": chunk.label, "kind": "SyntaxError", "message": f"line {exc.lineno}: {exc.msg}"}
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        exec(code, env)
    except TestTimeout:
        return {"where": chunk.label, "kind": "Timeout", "message": f"ran past {timeout:g} s"}
    except SystemExit as exc:
        return {"where": chunk.label, "kind": "SystemExit", "message": f"called exit({exc.code!r})"}
    except MemoryError:
        return {"where": chunk.label, "kind": "MemoryError", "message": "ran out of memory"}
    except BaseException as exc:  # noqa: BLE001 - student code may raise anything
        return {"where": chunk.label, "kind": type(exc).__name__, "message": str(exc)[:2000]}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return None


def _run_case(tf: Any, tc: Any, env: dict, timeout: float) -> tuple[bool, str]:
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        tc.body.call_func(env)
    except TestTimeout:
        return False, f"❌ Test case failed\nTimeout: the test ran past {timeout:g} s"
    except MemoryError:
        return False, "❌ Test case failed\nMemoryError: the submission ran out of memory"
    except Exception as exc:  # noqa: BLE001 - Otter counts any exception as a failure
        try:
            return False, "❌ Test case failed\n" + tf._generate_error_message(exc)
        except Exception:  # noqa: BLE001 - fall back when the traceback is unusual
            return False, f"❌ Test case failed\n{type(exc).__name__}: {exc}"
    except BaseException as exc:  # noqa: BLE001 - SystemExit and friends from student code
        return False, f"❌ Test case failed\n{type(exc).__name__} raised by the submission"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return True, "✅ Test case passed"
