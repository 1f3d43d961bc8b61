"""audit.py: student code can neither look into the grader nor escape it while it runs. The audit
hook, which Python cannot remove once added, refuses outright (whoever asks) new audit hooks, other
threads' frames, signals to processes and sockets, and new processes and threads (with the exception
a failed start raises, and a message saying what to change); and, while student code runs (`depth`
above 0), refuses frame, gc, ctypes and tracing introspection and opening a file descriptor other
than the allowed ones, when student code asks for it directly or through an `inspect`/`traceback`
helper that hands frames back. The libraries it calls keep their own use of frames.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Any

from .student import STUDENT_FILES

_FRAME_HELPERS = ("inspect.py", "traceback.py")


def refused_events(one_process_rule: Callable[[str], str]) -> dict[str, tuple[type[Exception], str]]:
    """The events refused whoever raises them: event -> (the exception to raise, its message)."""
    always = {
        "sys.addaudithook",
        "sys._current_frames",
        "os.kill",
        "os.killpg",
        "socket.__new__",
        "socket.connect",
        "socket.bind",
    }
    # New processes and threads (which seccomp refuses anyway): refused saying what to change,
    # and with the exception the failure itself would raise, so that a library which falls back
    # when it cannot start a program (matplotlib's fc-list) or a thread (tqdm's monitor) still does.
    processes = (
        "os.fork",
        "os.forkpty",
        "os.system",
        "os.posix_spawn",
        "os.exec",
        "os.spawn",
        "subprocess.Popen",
        "_posixsubprocess.fork_exec",
        "pty.spawn",
    )
    refused: dict[str, tuple[type[Exception], str]] = {
        event: (RuntimeError, f"{event} is not allowed while grading") for event in always
    }
    refused.update((event, (PermissionError, one_process_rule(event))) for event in processes)
    thread = (RuntimeError, one_process_rule("starting a thread (threading.Thread)"))
    for event in ("_thread.start_new_thread", "_thread.start_joinable_thread"):  # in newer Pythons
        refused[event] = thread
    return refused


def introspection(allowed_fds: Iterable[int]) -> Callable[[str, tuple], bool]:
    """`sensitive(event, args)`: whether an event is introspection, refused when student code asks."""
    fds = set(allowed_fds)
    events = {
        "sys._getframe",
        "sys._getframemodulename",
        "sys.settrace",
        "sys.setprofile",
        "gc.get_objects",
        "gc.get_referrers",
        "gc.get_referents",
    }
    frame_attrs = {"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_back"}

    def sensitive(event: str, args: tuple) -> bool:
        if event in events or event.startswith("ctypes."):
            return True
        if event == "object.__getattr__":
            return len(args) > 1 and args[1] in frame_attrs
        return event == "open" and bool(args) and isinstance(args[0], int) and args[0] not in fds

    return sensitive


def _asked_by_student(frame: Any) -> bool:
    """Whether the code that raised an audit event is student code, or a frame helper it called."""
    if frame is None:
        return False
    name = frame.f_code.co_filename
    if name.startswith(STUDENT_FILES):
        return True
    if name.endswith(_FRAME_HELPERS):  # inspect.currentframe(), traceback.walk_tb(): frames handed back
        caller = frame.f_back
        return caller is not None and caller.f_code.co_filename.startswith(STUDENT_FILES)
    return False


def audit_hook(guard: Any, allowed_fds: Iterable[int] = (0, 1, 2)) -> Callable[[str, tuple], None]:
    """The hook `install_audit_hook` adds, built but not added (so that it can be tried in a test).

    It raises at a refused event; `guard.depth` says whether student code is running. The tables
    and functions it decides with are bound here, in its closure: rebinding them later changes nothing.
    """
    from ..confine import one_process_rule

    refused = refused_events(one_process_rule)
    sensitive = introspection(allowed_fds)
    asked_by_student = _asked_by_student
    busy = [False]

    def hook(event: str, args: tuple) -> None:
        refusal = refused.get(event)
        if refusal is not None:
            raise refusal[0](refusal[1])
        if not guard.depth or busy[0] or not sensitive(event, args):
            return
        busy[0] = True
        try:
            culprit = asked_by_student(sys._getframe(1))
        finally:
            busy[0] = False
        if culprit:
            what = f"reading .{args[1]}" if event == "object.__getattr__" else event
            raise RuntimeError(f"{what} is not allowed while grading")

    return hook


class AuditHook:
    """The audit hook of a grading child: a part of `Guard`."""

    depth: int  # of `Wrapping` (wrapping.py): how deep inside student code we are

    def install_audit_hook(self, allowed_fds: Iterable[int] = (0, 1, 2)) -> None:
        """Refuse introspection and escape hatches to student code (irrevocably installed).

        Introspection is refused only when student code asks for it directly (or through
        `inspect`/`traceback` helpers that hand frames back): the libraries it calls may use
        frames for their own work (`namedtuple`, `enum`, `warnings`, tracebacks).
        """
        sys.addaudithook(audit_hook(self, allowed_fds))
