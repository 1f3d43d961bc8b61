"""dl541.guard.wrapping: the guarded entry points into student code, and what keeps them guarded.

In-process and without forking: the "submission" is compiled as a notebook cell, whose code the
guard counts as the student's, and its namespace guarded as the grader guards it.
"""

from __future__ import annotations

import textwrap

import pytest
import torch

from dl541.guard import Guard, Tampered, referenced_names

SUBMISSION = """
    import functools


    class IntLike(int):
        def __eq__(self, other):
            return True

        __hash__ = int.__hash__


    def depth_seen(guard):
        return guard.depth


    def fails(guard):
        raise ValueError(guard.depth)


    def lie(n):
        return IntLike(n)


    def honest(n):
        return lie(n) + 0  # an inner call is not vetted: only what reaches a test is


    def helper():
        return 1


    def rebind():
        global helper

        def helper():
            return IntLike(0)

        return 0


    @functools.lru_cache
    def cached(n):
        return IntLike(n)


    class Weird:
        def __eq__(self, other):
            return True

        __hash__ = object.__hash__

        def same(self):
            return self == Weird()  # the submission may use its own method


    class Model:
        def predict(self, x):
            type(self).predict = lambda self, x: IntLike(0)  # a new, unwrapped method
            return x


    def patches():
        torch.allclose = lambda *a, **k: True
        return 0
    """


def _guarded(test_names: set[str] | None = None) -> tuple[Guard, dict]:
    env = {"__name__": "__main__", "torch": torch}
    exec(compile(textwrap.dedent(SUBMISSION), "<cell 1>", "exec"), env)
    guard = Guard()
    guard._test_names = None if test_names is None else frozenset(test_names)
    guard.guard_namespace(env)
    return guard, env


def test_a_guarded_call_counts_its_depth_and_vets_only_what_the_outermost_call_returns():
    guard, env = _guarded()
    assert env["depth_seen"](guard) == 1 and guard.depth == 0
    with pytest.raises(ValueError, match="1"):
        env["fails"](guard)
    assert guard.depth == 0  # even when the call raised
    with pytest.raises(TypeError, match=r"^lie returned an instance of IntLike, a subclass of int"):
        env["lie"](3)
    assert env["honest"](3) == 3


def test_a_wrapper_is_known_by_identity_not_by_a_mark():
    guard, env = _guarded()
    wrapper = env["lie"]
    assert guard.wrap(wrapper) is wrapper
    raw = guard._unwrap(wrapper)
    assert raw is not wrapper and guard._is_wrapper(wrapper) and not guard._is_wrapper(raw)
    raw.__dl541_guarded__ = True  # what the wrapper carries: a submission can forge it
    assert guard.wrap(raw) is not raw


def test_callables_that_run_student_code_are_wrapped_under_the_name_the_tests_use():
    _, env = _guarded()
    with pytest.raises(TypeError, match=r"^cached returned an instance of IntLike"):
        env["cached"](1)


def test_a_global_rebound_by_a_guarded_call_is_guarded_again():
    guard, env = _guarded()
    before = env["helper"]
    assert env["rebind"]() == 0
    assert env["helper"] is not before and guard._is_wrapper(env["helper"])
    with pytest.raises(TypeError, match=r"^helper returned an instance of IntLike"):
        env["helper"]()


def test_a_method_rebound_by_a_guarded_call_is_guarded_again():
    _, env = _guarded()
    model = env["Model"]()
    assert model.predict(5) == 5
    with pytest.raises(TypeError, match=r"returned an instance of IntLike, a subclass of int"):
        model.predict(5)


def test_a_value_faking_method_serves_the_submission_but_not_the_tests():
    _, env = _guarded()
    weird = env["Weird"]()
    assert weird.same() is True
    with pytest.raises(
        TypeError, match=r"^Weird\.__eq__ is defined by the submission, and the tests may not"
    ):
        weird == 1  # noqa: B015


def test_a_rewritten_wrapper_voids_the_grade():
    guard, env = _guarded()
    wrapper = env["helper"]
    # without the audit hook (which refuses this outright): the pins see it
    wrapper.__code__ = (lambda func, what: lambda *a, **k: func(*a, **k) if what else 0)(1, 2).__code__
    with pytest.raises(Tampered, match="the submission changed the wrapper that guards one of its functions"):
        env["depth_seen"](guard)
    assert guard.problem == "the submission changed the wrapper that guards one of its functions"


def test_a_refused_global_becomes_a_stand_in_that_refuses_any_use():
    env = {"__name__": "__main__"}
    exec(compile("class S(str):\n    pass\nanswer = S('x')\nunread = S('y')\n", "<cell 1>", "exec"), env)
    guard = Guard()
    guard._test_names = frozenset({"answer"})  # what the tests' sources mention
    guard.guard_namespace(env)
    answer = env["answer"]
    why = "answer is an instance of S, a subclass of str; make it a plain str"
    for use in (
        lambda: answer == "x",
        lambda: isinstance(answer, str),
        lambda: str(answer),
        lambda: len(answer),
    ):
        with pytest.raises(TypeError, match=why):
            use()
    assert type(env["unread"]).__name__ == "S"  # not read by the tests: left as it is


def test_a_patch_made_in_a_guarded_call_is_seen_when_it_returns(monkeypatch):
    monkeypatch.setattr(torch, "allclose", torch.allclose)  # put back whatever happens
    guard, env = _guarded(referenced_names(["torch.allclose(a, b)"]))
    guard.snapshot(referenced_names(["torch.allclose(a, b)"]))
    with pytest.raises(Tampered, match=r"^the submission changed torch\.allclose$"):
        env["patches"]()
    guard.restore()
    assert torch.allclose(torch.zeros(1), torch.zeros(1))
