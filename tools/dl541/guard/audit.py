"""audit.py: student code can neither look into the grader nor escape it while it runs. The audit
hook, which Python cannot remove once added, refuses outright (whoever asks) new audit hooks, other
threads' frames, signals to processes and sockets, and new processes and threads (with the exception
a failed start raises, and a message saying what to change). It refuses student code frame, gc,
ctypes and tracing introspection and opening a file descriptor other than the allowed ones, when it
asks directly or through an `inspect`/`traceback` helper that hands frames back; the libraries it
calls keep their own use of frames. Who asks is read from the frame that raised the event, not from
the guard's `depth`, which student code that reaches the guard could change.

It also refuses, and reports as a change that voids the grade, setting `__code__`, `__defaults__` or
`__kwdefaults__` of the grader's own functions (whoever asks) and of a library function that is
recorded or defined in a file while student code is on the stack, and changing the class of the
guard. The hook keeps what it refused, and what the guard's checks found (the `dl541.tampered` event),
in its closure, out of the submission's reach; the grading child reads it back (`dl541.problems`).

The hook and what it calls look up no global or builtin when they run (all is bound when it is
built), so rebinding a module's names changes nothing of what it decides.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Callable, Iterable
from typing import Any

from . import core, state
from .state import _State, commit
from .student import STUDENT_FILES

_FRAME_HELPERS = ("inspect.py", "traceback.py")
#: Function attributes that change what a function does; setting one raises an audit event.
_BEHAVIOUR = frozenset({"__code__", "__defaults__", "__kwdefaults__"})


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


_INTROSPECTION = frozenset(
    {
        "sys._getframe",
        "sys._getframemodulename",
        "sys.settrace",
        "sys.setprofile",
        "gc.get_objects",
        "gc.get_referrers",
        "gc.get_referents",
    }
)
_FRAME_ATTRS = frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_back"})


def introspection(allowed_fds: Iterable[int]) -> Callable[[str, tuple], bool]:
    """`sensitive(event, args)`: whether an event is introspection, refused when student code asks."""
    fds, events, frame_attrs = frozenset(allowed_fds), _INTROSPECTION, _FRAME_ATTRS
    _len, _type, _int = len, type, int

    def sensitive(event: str, args: tuple) -> bool:
        if event in events or event.startswith("ctypes."):
            return True
        if event == "object.__getattr__":
            return _len(args) > 1 and args[1] in frame_attrs
        return event == "open" and _len(args) > 0 and _type(args[0]) is _int and args[0] not in fds

    return sensitive


def _asker(student_files: tuple[str, ...], helpers: tuple[str, ...]) -> Callable[[Any], bool]:
    def asked_by_student(frame: Any) -> bool:
        """Whether the code that raised an audit event is student code, or a frame helper it called."""
        if frame is None:
            return False
        name = frame.f_code.co_filename
        if name.startswith(student_files):
            return True
        if name.endswith(helpers):  # inspect.currentframe(), traceback.walk_tb(): frames handed back
            caller = frame.f_back
            return caller is not None and caller.f_code.co_filename.startswith(student_files)
        return False

    return asked_by_student


_asked_by_student = _asker(STUDENT_FILES, _FRAME_HELPERS)


def audit_hook(guard: Any, allowed_fds: Iterable[int] = (0, 1, 2)) -> Callable[[str, tuple], None]:
    """The hook `install_audit_hook` adds, built but not added (so that it can be tried in a test).

    It raises at a refused event. Everything it decides with is bound here, in its closure:
    rebinding a module's names later changes nothing.
    """
    from ..confine import one_process_rule

    # What to do, by event: one dict lookup for each of the thousands a grading raises.
    refuse, change, found, report, frames, attribute, opening = range(7)
    actions: dict[str, Any] = {
        event: (refuse, *refusal) for event, refusal in refused_events(one_process_rule).items()
    }
    actions.update(dict.fromkeys(_INTROSPECTION, (frames,)))
    actions.update({"object.__setattr__": (change,), "object.__delattr__": (change,), "open": (opening,)})
    actions.update(
        {"dl541.tampered": (found,), "dl541.problems": (report,), "object.__getattr__": (attribute,)}
    )
    fds, frame_attrs = frozenset(allowed_fds), _FRAME_ATTRS
    asked_by_student = _asker(STUDENT_FILES, _FRAME_HELPERS)
    student_files, behaviour = STUDENT_FILES, _BEHAVIOUR
    guard_files = os.path.dirname(os.path.abspath(core.__file__)) + os.sep
    stable = state._get_state(guard)[state.STABLE]
    function_type, recorded = types.FunctionType, stable[state.RECORDED]
    getframe, get_problem, set_problem = sys._getframe, state._get_problem, state._set_problem
    _type, _str, _list, _int, _id = type, str, list, int, object.__hash__
    _len, _range, _error = len, range, RuntimeError
    problems: list[str] = []  # what was refused or found: the grade is void
    busy = [False]

    def student_on_stack(frame: Any) -> bool:
        for _ in _range(2000):
            if frame is None:
                return False
            if frame.f_code.co_filename.startswith(student_files):
                return True
            frame = frame.f_back
        return True

    def changing(target: Any, name: Any) -> str | None:
        """What setting `name` of `target` would change that must not change, or None."""
        if name == "__class__":
            return "the class of the grader's guard" if target is guard else None
        if _type(target) is not function_type or name not in behaviour:
            return None
        filename = target.__code__.co_filename
        qualname, module = target.__qualname__, target.__module__
        where = f"{module}.{qualname}" if _type(module) is _str else qualname
        if filename.startswith(guard_files):
            return f"{name} of the grader's own function {qualname}"
        if filename.startswith(student_files):
            return None
        if (_id(target) in recorded or not filename.startswith("<")) and student_on_stack(getframe(2)):
            return f"{name} of {where}"
        return None

    def hook(event: str, args: tuple) -> None:
        action = actions.get(event)
        if action is None:
            if not event.startswith("ctypes."):
                return
            action = (frames,)
        kind = action[0]
        if kind == refuse:
            raise action[1](action[2])
        if busy[0]:
            return
        if kind == attribute:
            if _len(args) < 2 or args[1] not in frame_attrs:
                return
        elif kind == opening:
            if not args or _type(args[0]) is not _int or args[0] in fds:
                return
        elif kind == change:
            busy[0] = True
            try:
                what = changing(args[0], args[1])
            finally:
                busy[0] = False
            if what is not None:
                problem = f"the submission changed {what}, which is not allowed while grading (refused)"
                problems.append(problem)
                if get_problem(guard) is None:
                    set_problem(guard, problem)
                raise _error(f"changing {what} is not allowed while grading")
            return
        elif kind == found:  # what the guard's checks found (checks.tamper)
            if args and _type(args[0]) is _str:
                problems.append(args[0])
            return
        elif kind == report:  # read back by the grading child (checks.check_seal)
            if args and _type(args[0]) is _list:
                args[0].extend(problems)
            return
        busy[0] = True  # introspection: refused when student code asks
        try:
            culprit = asked_by_student(getframe(1))
        finally:
            busy[0] = False
        if culprit:
            what = f"reading .{args[1]}" if kind == attribute else event
            raise _error(f"{what} is not allowed while grading")

    return hook


class AuditHook(_State):
    """The audit hook of a grading child: a part of `Guard`."""

    __slots__ = ()

    def install_audit_hook(self, allowed_fds: Iterable[int] = (0, 1, 2)) -> Callable[[str, tuple], None]:
        """Refuse introspection, escape hatches and changes of the guard's code (irrevocably installed).

        Introspection is refused only when student code asks for it directly (or through
        `inspect`/`traceback` helpers that hand frames back): the libraries it calls may use
        frames for their own work (`namedtuple`, `enum`, `warnings`, tracebacks). Returns the hook,
        for the grading child to read back what it refused (`checks.check_seal`): hold it where student
        code cannot reach it.
        """
        hook = audit_hook(self, allowed_fds)
        sys.addaudithook(hook)
        commit(self, hooked=True)
        return hook
