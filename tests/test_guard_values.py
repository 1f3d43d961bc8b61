"""dl541.guard.values: what a value handed from student code to a test may be (`Guard.safe_result`).

In-process and without forking: the "student" classes are compiled as a notebook cell, which is
what makes their code the submission's in the guard's eyes.
"""

from __future__ import annotations

import collections
import textwrap

import numpy as np
import pytest
import torch

from dl541.guard import Guard

RULE = "(values must be exact built-in types, tensors or arrays)"

STUDENT = """
    import dataclasses, functools


    class IntLike(int):
        def __eq__(self, other):
            return True

        __hash__ = int.__hash__


    @dataclasses.dataclass
    class Normalizer:  # its generated __eq__ is not the student's code
        low: float = -1.0
        high: float = 1.0


    @functools.total_ordering
    class Version:
        def __init__(self, n):
            self.n = n

        __eq__ = object.__eq__  # C's own method, bound under its own name

        def __lt__(self, other):  # the student's: fakes an ordering
            return True


    class Ordered:
        __lt__ = object.__eq__  # C's method under another name: not what `<` of a plain object does


    class Counter:
        def __call__(self):
            return 1


    def helper(x):
        return IntLike(x)
    """


def _student(source: str = STUDENT) -> dict:
    env = {"__name__": "__main__", "torch": torch, "np": np}
    exec(compile(textwrap.dedent(source), "<cell 1>", "exec"), env)
    return env


def _refusal(value, what: str = "f") -> str:
    with pytest.raises(TypeError) as refused:
        Guard().safe_result(value, what)
    return str(refused.value)


def test_exact_values_and_containers_of_them_pass_as_they_are():
    guard = Guard()
    for value in (
        1,
        0.5,
        "s",
        None,
        torch.zeros(2),
        np.zeros(2),
        np.float64(1.0),
        torch.Size([2]),
        [1, (2.0, "x")],
        {"a": torch.ones(1), (0, 1): [np.int64(3)]},
        collections.OrderedDict(w=torch.zeros(1)),
        collections.deque([1, 2], maxlen=3),
    ):
        assert guard.safe_result(value) is value


def test_an_int_subclass_is_refused_saying_what_to_return():
    message = _refusal(_student()["IntLike"](3), "count_weights")
    assert message == (
        f"count_weights returned an instance of IntLike, a subclass of int; return a plain int {RULE}"
    )


def test_a_refused_item_is_named_by_its_place_in_the_container():
    liar = _student()["IntLike"](1)
    assert _refusal({"a": [0, liar]}).startswith(
        "f returned a dict whose item ['a'][1] is an instance of IntLike"
    )
    assert _refusal((0, {liar: 1})).startswith(
        "f returned a tuple whose item [1]<key 0> is an instance of IntLike"
    )


def test_a_dataclass_instance_passes_and_its_class_is_guarded():
    env = _student()
    guard = Guard()
    normalizer = env["Normalizer"]()
    assert guard.safe_result(normalizer) is normalizer
    assert id(env["Normalizer"]) in guard._guarded_classes


def test_what_a_class_binds_under_a_special_name_decides():
    env = _student()
    message = _refusal(env["Version"](1))  # total_ordering's methods are fine, the student's __lt__ is not
    assert "an instance of Version, whose class defines __lt__; return a plain value, or an object" in message
    assert "whose class defines __lt__" in _refusal(env["Ordered"]())
    assert Guard().safe_result(env["Counter"]()) is not None  # __call__ fakes no value


def test_library_values_are_judged_by_what_they_are():
    assert "a numpy array of Python objects" in _refusal(np.array([object()], dtype=object))
    assert "a subclass of torch.Tensor; return a plain torch.Tensor" in _refusal(
        torch.zeros(1).as_subclass(type("Sub", (torch.Tensor,), {}))
    )
    assert "nested more than 32 levels deep" in _refusal(eval("[" * 40 + "]" * 40))


def test_a_student_callable_in_a_result_comes_back_guarded():
    env = _student()
    guard = Guard()
    returned = [env["helper"]]
    vetted = guard.safe_result(returned, "make")
    assert vetted is not returned and vetted[0] is not env["helper"] and guard._is_wrapper(vetted[0])
    with pytest.raises(TypeError, match=r"^helper returned an instance of IntLike"):
        vetted[0](1)
    # a library's callable, holding no student code, is handed on as it is
    assert guard.safe_result(returned := [torch.relu, len]) is returned


def test_an_iterator_comes_back_as_one_whose_items_are_vetted():
    liar = _student()["IntLike"](2)
    items = Guard().safe_result(iter([1, liar]), "gen")
    assert next(items) == 1
    with pytest.raises(TypeError, match=r"^the iterator from gen returned an instance of IntLike"):
        next(items)


def test_a_stand_in_for_a_refused_global_is_refused_with_its_own_reason():
    from dl541.guard.wrapping import _refused

    stand_in = _refused("answer is wrong; make it a plain str")
    assert _refusal(stand_in) == "answer is wrong; make it a plain str"
