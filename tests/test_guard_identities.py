"""dl541.guard.identities: the record of what grading relies on, its checks, and restoring it.

In-process and without forking: each test takes its own snapshot (a few tens of ms), changes a
recorded attribute through `monkeypatch` (which puts it back whatever happens), and checks what
the guard says and does.
"""

from __future__ import annotations

import pytest
import torch

from dl541.guard import Guard, Tampered, referenced_names
from dl541.guard.groups import _Group
from dl541.guard.identities import IdentityRecord


def _snapshot(*sources: str) -> Guard:
    guard = Guard()
    guard.snapshot(referenced_names(sources) if sources else None)
    guard.verify()  # nothing changed yet
    return guard


def test_the_package_composes_one_guard_and_exports_what_the_grader_imports():
    import dl541.guard as package
    from dl541.guard.audit import AuditHook
    from dl541.guard.values import ValueRule
    from dl541.guard.wrapping import Wrapping

    assert Guard.__mro__[1:5] == (IdentityRecord, ValueRule, Wrapping, AuditHook)
    guard = Guard()
    assert (guard.depth, guard.problem, guard._guarded_classes, guard._full) == (0, None, {}, ())
    assert not hasattr(guard, "__dict__")  # no instance attribute can shadow a method
    assert {"Guard", "Tampered", "referenced_names", "is_student_code", "STUDENT_FILES"} <= set(vars(package))


def test_a_group_names_a_changed_or_removed_key_and_restores_it():
    namespace = {"f": len, "g": abs, "h": max}
    group = _Group(namespace, namespace, "lib", ("f", "g"), (len, abs), None)
    assert group.check() is None
    namespace["h"] = min  # not recorded
    assert group.check() is None
    namespace["g"] = round
    assert group.check() == "lib.g"
    del namespace["f"]
    assert group.check() == "lib.f (removed)"
    group.restore()
    assert namespace == {"f": len, "g": abs, "h": min} and group.check() is None


def test_a_sized_group_sees_an_added_key():
    namespace = {"f": len}
    group = _Group(namespace, namespace, "Core", ("f",), (len,), 1)
    namespace["extra"] = 1
    assert group.check() == "Core (attributes added)"


def test_referenced_names_are_every_name_attribute_and_import_of_the_sources():
    names = referenced_names(
        ["import torch.nn.functional\nfrom numpy import allclose as close\n", "F.relu(x).sum()"]
    )
    assert {"torch", "nn", "functional", "allclose", "F", "relu", "x", "sum"} <= names
    assert "close" not in names  # what a test calls it locally does not matter: what it reaches does


def test_a_changed_attribute_is_named_remembered_and_restored(monkeypatch):
    guard = _snapshot("torch.allclose(a, b)")
    original = torch.allclose
    monkeypatch.setattr(torch, "allclose", lambda *a, **k: True)
    with pytest.raises(Tampered, match=r"^the submission changed torch\.allclose$"):
        guard.verify(fast=True)
    assert guard.problem == "the submission changed torch.allclose"
    guard.restore()
    assert torch.allclose is original
    with pytest.raises(Tampered, match=r"changed torch\.allclose"):  # the grade stays void
        guard.verify()


def test_the_fast_check_covers_what_the_tests_mention_and_the_full_check_the_rest(monkeypatch):
    guard = _snapshot("torch.allclose(a, b)")
    monkeypatch.setattr(torch, "equal", lambda *a, **k: True)  # the tests never mention torch.equal
    guard.verify(fast=True)
    with pytest.raises(Tampered, match=r"changed torch\.equal$"):
        guard.verify()


def test_a_removed_attribute_and_an_added_dunder_are_named(monkeypatch):
    import numpy

    guard = _snapshot()
    monkeypatch.delattr(numpy, "allclose")
    with pytest.raises(Tampered, match=r"changed numpy\.allclose \(removed\)$"):
        guard.verify()
    guard.restore()
    assert callable(numpy.allclose)

    guard = _snapshot()
    monkeypatch.setattr(torch.Tensor, "__dl541_test__", 1, raising=False)
    with pytest.raises(Tampered, match=r"changed Tensor \(attributes added\)$"):
        guard.verify(fast=True)


def test_torchs_own_step_hook_is_accepted_and_any_other_step_is_not(monkeypatch):
    hook = torch.optim.Optimizer.profile_hook_step
    guard = _snapshot()
    recorded = vars(torch.optim.ASGD)["step"]
    monkeypatch.setattr(torch.optim.ASGD, "step", hook(recorded))  # what torch does on first use
    guard.verify()
    guard.verify()  # the record now holds torch's wrapper

    guard = _snapshot()
    monkeypatch.setattr(torch.optim.ASGD, "step", hook(lambda self, closure=None: None))
    with pytest.raises(Tampered, match=r"ASGD\.step$"):
        guard.verify()


def test_a_method_rebound_on_the_guard_is_seen_and_one_added_to_a_part_is_never_called(monkeypatch):
    guard = _snapshot()
    monkeypatch.setattr(Guard, "safe_result", lambda self, value, what="": value)
    with pytest.raises(Tampered, match=r"changed [\w.]*\bGuard\.safe_result$"):
        guard.verify()
    monkeypatch.undo()
    # a part comes before another in Guard's MRO: what it adds must not shadow the other's method
    monkeypatch.setattr(IdentityRecord, "safe_result", lambda self, value, what="": value, raising=False)
    with pytest.raises(TypeError, match="^f returned an instance of Quiet, a subclass of int"):
        Guard().safe_result(type("Quiet", (int,), {})(1), "f")
