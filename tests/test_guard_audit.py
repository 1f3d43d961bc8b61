"""dl541.guard.audit: what the audit hook of a grading child refuses, and to whom.

An audit hook cannot be removed once added, so none is added here: `audit_hook` builds the very
hook that `Guard.install_audit_hook` adds, and the tests call it as Python would, from a frame of
"student" code (compiled as a notebook cell), of a frame helper, or of the tests themselves.
"""

from __future__ import annotations

import sys

import pytest

from dl541.confine import one_process_rule
from dl541.guard import Guard
from dl541.guard.audit import _asked_by_student, audit_hook, introspection, refused_events


def _asker(filename: str, helper=None):
    """`ask(hook, event, args)`: the hook called as for `event` raised by code of `filename` (through
    `helper`, when given)."""
    call = "helper(hook, event, args)" if helper else "hook(event, args)"
    env = {"helper": helper}
    exec(compile(f"def ask(hook, event, args):\n    return {call}\n", filename, "exec"), env)
    return env["ask"]


STUDENT = _asker("<cell 3>")
HELPER = _asker("/usr/lib/python3.11/inspect.py")  # a frame helper, as inspect.currentframe() is
STUDENT_THROUGH_HELPER = _asker("<cell 4>", HELPER)


def _hook(depth: int, allowed_fds=(0, 1, 2)):
    guard = Guard()
    guard.depth = depth
    return guard, audit_hook(guard, allowed_fds)


def test_escape_hatches_are_refused_to_anyone_with_what_to_change():
    _, hook = _hook(depth=0)
    with pytest.raises(RuntimeError, match=r"^sys\.addaudithook is not allowed while grading$"):
        hook("sys.addaudithook", ())
    with pytest.raises(RuntimeError, match=r"^os\.kill is not allowed while grading$"):
        hook("os.kill", (1, 9))
    with pytest.raises(PermissionError) as refused:
        hook("subprocess.Popen", ("true", ["true"], None, None))
    assert str(refused.value) == one_process_rule("subprocess.Popen")
    with pytest.raises(RuntimeError, match="starting a thread \\(threading.Thread\\) is not allowed"):
        hook("_thread.start_new_thread", (print, (), {}))


def test_the_refusal_table_gives_each_event_the_exception_its_failure_would_raise():
    refused = refused_events(one_process_rule)
    assert refused["socket.connect"] == (RuntimeError, "socket.connect is not allowed while grading")
    assert refused["os.fork"] == (PermissionError, one_process_rule("os.fork"))
    assert refused["_thread.start_joinable_thread"][0] is RuntimeError
    assert "sys._getframe" not in refused and "open" not in refused  # those depend on who asks


def test_what_counts_as_introspection():
    sensitive = introspection((0, 1, 2))
    assert sensitive("sys._getframe", (1,)) and sensitive("gc.get_referrers", ())
    assert sensitive("ctypes.dlopen", ("libc.so.6", 0))
    assert sensitive("object.__getattr__", (object(), "tb_frame"))
    assert not sensitive("object.__getattr__", (object(), "__dict__"))
    assert sensitive("open", (7, "r", 0)) and not sensitive("open", (1, "w", 0))
    assert not sensitive("open", ("/tmp/x", "r", 0)) and not sensitive("import", ("torch",))


def test_introspection_is_refused_to_student_code_whatever_the_depth_says():
    _, hook = _hook(depth=1)
    with pytest.raises(RuntimeError, match=r"^sys\._getframe is not allowed while grading$"):
        STUDENT(hook, "sys._getframe", (1,))
    with pytest.raises(RuntimeError, match=r"^reading \.tb_frame is not allowed while grading$"):
        STUDENT(hook, "object.__getattr__", (object(), "tb_frame"))
    with pytest.raises(RuntimeError, match=r"^open is not allowed while grading$"):
        STUDENT(hook, "open", (7, "r", 0))
    assert STUDENT(hook, "open", (1, "w", 0)) is None  # an allowed descriptor
    assert STUDENT(hook, "object.__getattr__", (object(), "__dict__")) is None
    assert hook("sys._getframe", (1,)) is None  # a library (here: the test) may use frames
    assert HELPER(hook, "sys._getframe", (1,)) is None  # a frame helper that the student did not call

    # who asks decides, not the depth, which student code that reaches the guard could set to 0
    guard, outside = _hook(depth=0)
    with pytest.raises(RuntimeError, match=r"^sys\._getframe is not allowed while grading$"):
        STUDENT(outside, "sys._getframe", (1,))
    assert outside("sys._getframe", (1,)) is None  # the grader's own code


def test_a_frame_helper_called_by_student_code_is_refused_too():
    _, hook = _hook(depth=1)
    with pytest.raises(RuntimeError, match=r"^gc\.get_objects is not allowed while grading$"):
        STUDENT_THROUGH_HELPER(hook, "gc.get_objects", ())


def test_who_asked_is_read_from_the_frame_that_raised_the_event():
    assert not _asked_by_student(None)
    assert not _asked_by_student(sys._getframe())
    frame = eval(compile("__import__('sys')._getframe()", "<script 1>", "eval"))
    assert _asked_by_student(frame)


def test_installing_adds_the_hook_built_here(monkeypatch):
    added = []
    monkeypatch.setattr(sys, "addaudithook", added.append)  # not the real one: it cannot be undone
    guard = Guard()
    guard.install_audit_hook(allowed_fds=(0, 1, 2, 5))
    (hook,) = added
    guard.depth = 1
    assert STUDENT(hook, "open", (5, "r", 0)) is None
    with pytest.raises(RuntimeError, match="^open is not allowed"):
        STUDENT(hook, "open", (6, "r", 0))


def test_changing_what_a_function_does_is_refused_and_voids_the_grade():
    import torch

    guard = Guard()
    guard.snapshot()
    hook = audit_hook(guard)
    new_code = (lambda *a, **k: None).__code__
    library = torch.testing.assert_close
    with pytest.raises(RuntimeError, match=r"^changing __code__ of [\w.]*assert_close is not allowed"):
        STUDENT(hook, "object.__setattr__", (library, "__code__", new_code))
    with pytest.raises(RuntimeError, match="^changing __kwdefaults__ of "):
        STUDENT(hook, "object.__setattr__", (library, "__kwdefaults__", {}))
    with pytest.raises(RuntimeError, match="^changing __defaults__ of "):
        STUDENT(hook, "object.__delattr__", (library, "__defaults__"))
    assert guard.problem.startswith("the submission changed __code__ of ")
    assert guard.problem.endswith("assert_close, which is not allowed while grading (refused)")
    problems: list[str] = []
    hook("dl541.problems", (problems,))  # what the grading child reads back
    assert len(problems) == 3 and problems[0] == guard.problem
    # no student code on the stack: a library (or the grader) may do so
    assert hook("object.__setattr__", (library, "__kwdefaults__", {})) is None


def test_the_guards_own_functions_and_class_cannot_be_changed_by_anyone():
    from dl541.guard import core

    guard = Guard()
    hook = audit_hook(guard)
    wrapper = guard.wrap(lambda n: n)
    for target, attr in ((core.verify, "__defaults__"), (core.leave, "__code__"), (wrapper, "__code__")):
        with pytest.raises(RuntimeError, match=f"^changing {attr} of the grader's own function"):
            hook("object.__setattr__", (target, attr, None))  # the test itself asks: still refused
    with pytest.raises(RuntimeError, match="^changing the class of the grader's guard is not allowed"):
        hook("object.__setattr__", (guard, "__class__", type("Other", (Guard,), {"__slots__": ()})))
    assert hook("object.__setattr__", (Guard(), "__class__", Guard)) is None  # another guard: not this one


def test_the_submissions_own_and_generated_functions_stay_its_to_change():
    from collections import namedtuple

    guard = Guard()
    guard.snapshot()
    hook = audit_hook(guard)
    env: dict = {}
    exec(compile("def mine(a, b=1):\n    return a\n", "<cell 2>", "exec"), env)
    assert STUDENT(hook, "object.__setattr__", (env["mine"], "__defaults__", (2,))) is None
    point = namedtuple("Point", "x y")  # its __new__ is generated ("<string>") and given defaults
    assert STUDENT(hook, "object.__setattr__", (point.__new__, "__defaults__", (0, 0))) is None
    assert STUDENT(hook, "object.__setattr__", (env["mine"], "__name__", "other")) is None
    assert guard.problem is None


def test_what_the_guard_found_is_kept_by_the_hook():
    guard = Guard()
    hook = audit_hook(guard)
    hook("dl541.tampered", ("the submission changed torch.allclose",))
    hook("dl541.tampered", (object(),))  # not a message: ignored
    found: list[str] = []
    hook("dl541.problems", (found,))
    hook("dl541.problems", ("not a list",))
    assert found == ["the submission changed torch.allclose"]


def test_the_hook_looks_up_no_global():
    import dis
    import types

    functions, todo = [], [audit_hook(Guard())]
    while todo:  # the hook and every function it reaches through closures
        function = todo.pop()
        functions.append(function)
        cells = function.__closure__ or ()
        todo += [c.cell_contents for c in cells if type(c.cell_contents) is types.FunctionType]
    assert {f.__name__ for f in functions} >= {"hook", "changing", "student_on_stack", "asked_by_student"}
    for function in functions:
        names = {i.argval for i in dis.get_instructions(function) if i.opname == "LOAD_GLOBAL"}
        assert not names, (function.__name__, names)
