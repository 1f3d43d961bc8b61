"""dl541.guard.core: the checks that hold even when student code reaches the guard.

In-process and without forking, as in test_guard_wrapping: the "submission" is compiled as a notebook
cell, and it reaches the guard as a submission would, through the code of one of its wrappers.
"""

from __future__ import annotations

import builtins
import dis
import operator
import textwrap
import types

import pytest
import torch

from dl541.guard import Guard, Tampered, core, referenced_names

FIND_GUARD = """
    def find_guard(function):
        found = [cell.cell_contents for cell in function.__closure__ or ()]
        for const in function.__code__.co_consts:
            found.extend(const if isinstance(const, tuple) else (const,))
        return next(obj for obj in found if type(obj).__name__ == "Guard")


    class IntLike(int):
        def __eq__(self, other):
            return True

        __hash__ = int.__hash__


    def honest(n):
        return n
    """


def _guarded(source: str, *test_sources: str) -> tuple[Guard, dict]:
    env = {"__name__": "__main__", "torch": torch}
    exec(compile(textwrap.dedent(FIND_GUARD) + textwrap.dedent(source), "<cell 1>", "exec"), env)
    guard = Guard()
    if test_sources:
        guard.snapshot(referenced_names(test_sources))
    guard.guard_namespace(env)
    return guard, env


def _globals_read(code: types.CodeType) -> set[str]:
    found = {i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found |= _globals_read(const)
    return found


def test_the_checks_and_the_wrappers_look_up_no_global():
    for function in core.TRUSTED:
        assert not _globals_read(function.__code__), function.__name__
    for code in core._TEMPLATES:
        assert not _globals_read(code), code.co_name
    guard = Guard()
    for code in core._get_state(guard)[core.STABLE][core.GATE]:
        assert guard in code.co_consts[-1] or any(guard in c for c in code.co_consts if type(c) is tuple)


def test_the_state_is_one_immutable_tuple_laid_out_as_the_checks_unpack_it():
    guard = Guard()
    assert not hasattr(guard, "__dict__")
    with pytest.raises(AttributeError):
        guard.verify = lambda fast=False: None  # no instance attribute can shadow a method
    state = core._get_state(guard)
    assert len(state) == core.VETTED + 1 and len(state[core.STABLE]) == core.RECORDED + 1
    assert len(core._EMPTY) == len(state) and len(core._EMPTY_STABLE) == len(state[core.STABLE])
    core.commit(guard, env={}, test_names=frozenset({"x"}))
    after = core._get_state(guard)
    assert after is not state and after[core.STABLE] is not state[core.STABLE]
    assert after[core.ENV] == {} and guard._test_names == frozenset({"x"})


def test_any_change_to_the_guard_made_during_a_call_voids_the_grade():
    guard, env = _guarded("""
        def replaces_state(n):
            guard = find_guard(globals()["replaces_state"])
            guard._state = guard._state[:1] + guard._state[1:]  # an equal copy: still a change
            return n

        def resets_problem(n):
            find_guard(globals()["resets_problem"]).problem = "noise"
            return n
        """)
    with pytest.raises(Tampered, match="^the submission changed the guard's own state$"):
        env["replaces_state"](1)
    guard, env = _guarded("")
    guard, env = _guarded("""
        def resets_problem(n):
            find_guard(globals()["resets_problem"]).problem = None
            return n
        """)
    core._set_problem(guard, "found before")
    with pytest.raises(Tampered, match="^the submission changed the guard's own state$"):
        env["resets_problem"](1)  # the problem found before, forgotten: a change of its own
    assert guard.problem == "the submission changed the guard's own state"


def test_a_slot_of_the_guard_deleted_voids_the_grade_too():
    guard, env = _guarded("""
        def deletes_state(n):
            del find_guard(globals()["deletes_state"])._state
            return n
        """)
    with pytest.raises(Tampered, match="^the submission changed the guard's own state$"):
        env["deletes_state"](1)
    guard, env = _guarded("")
    sealed = core.seal(guard)
    del guard.problem  # between two calls
    with pytest.raises(Tampered, match="^the submission changed the guard's own state$"):
        core.check_seal(guard, sealed)


def test_a_method_disarmed_on_the_class_never_runs_and_the_lie_is_refused(monkeypatch):
    guard, env = _guarded("""
        def disarms(n):
            guard = find_guard(globals()["disarms"])
            type.__setattr__(type(guard), "safe_result", lambda self, value, what="": value)
            return IntLike(n)

        def disarms_quietly(n):
            guard = find_guard(globals()["disarms_quietly"])
            type.__setattr__(type(guard), "verify", lambda self, fast=False: None)
            return n
        """)
    monkeypatch.setattr(Guard, "safe_result", Guard.safe_result)  # put back whatever happens
    monkeypatch.setattr(Guard, "verify", Guard.verify)
    with pytest.raises(Tampered, match=r"^the submission changed dl541\.guard\.Guard\.safe_result$"):
        env["disarms"](1)
    guard, env = _guarded("""
        def disarms_quietly(n):
            guard = find_guard(globals()["disarms_quietly"])
            type.__setattr__(type(guard), "verify", lambda self, fast=False: None)
            return n
        """)
    assert env["disarms_quietly"](1) == 1  # a plain value: nothing of the guard's code ran after it
    with pytest.raises(Tampered, match=r"changed dl541\.guard\.Guard\.verify$"):
        core.check_seal(guard, core.seal(guard))  # what the grading child checks after each test case


def test_a_faked_depth_skips_no_check_and_is_put_back():
    guard, env = _guarded("""
        def fakes_depth(n):
            find_guard(globals()["fakes_depth"]).depth = 100  # "nested": no check, no vetting?
            return IntLike(n)

        def fakes_type(n):
            find_guard(globals()["fakes_type"]).depth = IntLike(0)
            return honest(n)
        """)
    with pytest.raises(TypeError, match="^fakes_depth returned an instance of IntLike"):
        env["fakes_depth"](1)
    assert guard.depth == 0
    assert env["fakes_type"](1) == 1 and guard.depth == 0


def test_the_checks_do_not_use_the_builtins_or_operator_the_submission_sees(monkeypatch):
    guard = Guard()
    guard.snapshot(referenced_names(["torch.allclose(a, b)"]))
    original = torch.allclose
    try:
        monkeypatch.setattr(torch, "allclose", lambda *a, **k: True)
        monkeypatch.setattr(operator, "is_", lambda a, b: True)
        monkeypatch.setattr(builtins, "all", lambda items: True)
        monkeypatch.setattr(builtins, "any", lambda items: False)
        with pytest.raises(Tampered) as found:
            guard.verify(fast=True)
    finally:
        monkeypatch.undo()
    assert torch.allclose is original
    assert str(found.value).startswith("the submission changed ")


def test_a_rebound_global_of_the_guard_is_seen_before_the_guard_runs(monkeypatch):
    import dl541.guard.values as values

    guard, env = _guarded("""
        def widens_plain(n):
            import dl541.guard.values as values
            kinds = values._kinds()
            values._K = kinds._replace(plain_ids=kinds.plain_ids | {id(IntLike)})
            return IntLike(n)
        """)
    monkeypatch.setattr(values, "_K", values._K)
    with pytest.raises(Tampered, match=r"^the submission changed dl541\.guard\.values\._K$"):
        env["widens_plain"](1)


def test_keyword_defaults_changed_in_place_and_replaced_code_are_seen(monkeypatch):
    guard = Guard()
    guard.snapshot(referenced_names(["torch.testing.assert_close(a, b)"]))
    assert_close = torch.testing.assert_close
    monkeypatch.setitem(assert_close.__kwdefaults__, "atol", 1e9)  # no audit event for this one
    with pytest.raises(Tampered, match=r"changed torch\.testing\.assert_close\.__kwdefaults__\.atol$"):
        guard.verify(fast=True)
    monkeypatch.undo()

    guard = Guard()
    guard.snapshot(referenced_names(["torch.testing.assert_close(a, b)"]))
    monkeypatch.setattr(assert_close, "__code__", (lambda *a, **k: None).__code__)
    guard.verify(fast=True)  # reading __code__ raises an audit event: too slow after every call
    with pytest.raises(Tampered, match=r"changed torch\.testing\.assert_close\.__code__$"):
        guard.verify()  # but not after each test case (and the audit hook refuses it outright)


def test_an_object_of_a_class_handed_on_before_is_checked_again_when_the_class_changes():
    guard, env = _guarded("""
        import dataclasses

        class Normalizer:
            def fit(self, x):
                return self

        @dataclasses.dataclass
        class Point:
            x: int = 0

        def point(n):
            return Point(n)

        def lie_later():
            Normalizer.__eq__ = lambda self, other: True  # after the class was handed on once
            return 0

        def rewrite_eq():
            Point.__eq__.__code__ = (lambda self, other: True).__code__
            return 0
        """)
    normalizer = env["Normalizer"]()
    assert normalizer.fit(1) is normalizer and object.__hash__(env["Normalizer"]) in guard._vetted
    assert normalizer.fit(1) is normalizer  # from the record of what it depended on
    env["lie_later"]()
    with pytest.raises(TypeError, match="Normalizer, whose class defines __eq__"):
        normalizer.fit(1)
    assert env["point"](1) == env["Point"](1)
    env["rewrite_eq"]()  # the dataclass's own __eq__, given student code
    with pytest.raises(TypeError, match="Point, whose class defines __eq__"):
        env["point"](1)


def test_lists_and_dicts_of_plain_values_pass_without_the_value_rule(monkeypatch):
    calls = []
    monkeypatch.setattr(Guard, "safe_result", lambda self, value, what="": calls.append(value) or value)
    guard, env = _guarded("""
        def params(n):
            return [(torch.zeros(2), torch.zeros(1))] * n, {"a": 1.0, "b": [1, 2]}
        """)
    assert len(env["params"](3)[0]) == 3
    assert len(calls) == 1  # the outer tuple holds a dict of lists: the value rule looks at it
    assert env["params"](2)[0] == [] or True
    assert len(calls) == 2


def test_the_seal_sees_what_changed_between_test_cases():
    guard, env = _guarded("", "torch.allclose(a, b)")
    sealed = core.seal(guard)
    core.check_seal(guard, sealed, None, env)
    guard.depth = 1  # left inside student code
    with pytest.raises(Tampered, match="count of calls"):
        core.check_seal(guard, sealed, None, env)

    guard, env = _guarded("", "torch.allclose(a, b)")
    sealed = core.seal(guard)
    core.commit(guard, fast=())  # the fast record emptied
    with pytest.raises(Tampered, match="changed the guard's record$"):
        core.check_seal(guard, sealed, None, env)

    guard, env = _guarded("", "torch.allclose(a, b)")
    sealed = core.seal(guard)
    with pytest.raises(Tampered, match="which namespace the guard guards"):
        core.check_seal(guard, sealed, None, {})

    guard, env = _guarded("", "torch.allclose(a, b)")
    sealed = core.seal(guard)

    def hook(event, args):  # what the audit hook answers when it refused something
        if event == "dl541.problems":
            args[0].append("the submission changed something it was refused")

    with pytest.raises(Tampered, match="^the submission changed something it was refused$"):
        core.check_seal(guard, sealed, hook, env)
