"""Python-level integrity of a grading child: nothing a submission patches can pass a test.

Before student code runs, the guard records the identity of every attribute of the modules
and classes that the tests and the grader rely on (torch, numpy, hypothesis, otter, dl541,
builtins, ...). Every entry point into student code that the tests can call (its functions,
the methods of its classes, callables it returns) is wrapped. The whole record is checked after
loading and after each test case (a change voids the grade); after each outermost call, the part
of it that test code reaches between two calls (the names the tests mention, in torch's and
numpy's large namespaces) is checked too, so a patch is seen while it is live. An audit hook,
which cannot be removed, refuses frame, gc, ctypes and tracing introspection to student code, so
the grader's own state (its pipe key, the tests' expected values) is out of reach, and refuses
replacing the code or defaults of the functions grading relies on.

A value that crosses from student code into a test (what an outermost call returns, a global
the tests read) must be what it claims to be: exact built-in values, exact tensors and arrays,
containers of them, and objects whose class fakes no value (`Guard.safe_result` states the
rule). A refused value fails the tests that use it, with a message that says what to return.
The wrappers, and the namespace and classes they sit in, are checked after each outermost call:
a rebound global or method is guarded again, a rewritten wrapper voids the grade.

One module per job, composed here into the `Guard` that the grader uses: `identities` (recording
the identities), with `scope` (what the record covers) and `groups` (a recorded group, compared and
put back); `values` (the value rule), with `faking` (what it refuses, and how a refusal reads);
`wrapping` (the wrappers and what keeps them in place); `audit` (the audit hook); `student` says
which code is the submission's. `core` is the trusted core (with `state`, the guard's state;
`checks`, of the record, the guard's own code and the seal; `calls`, around each call into student
code), what must hold even when student code has reached the guard (its wrappers' code holds it):
its checks depend on nothing the submission can rebind, see any change to the guard's state
made during a call before anything of the guard runs again, and check the guard's own code before
it runs. The grading child keeps a seal of the guard where student code cannot reach it (`seal`,
`check_seal`).
"""

from __future__ import annotations

from . import core
from .audit import AuditHook
from .identities import IdentityRecord
from .scope import referenced_names
from .state import Tampered
from .student import STUDENT_FILES, is_student_code
from .values import ValueRule
from .wrapping import Wrapping

__all__ = ["STUDENT_FILES", "Guard", "Tampered", "is_student_code", "referenced_names"]


def _one_namespace(cls: type) -> type:
    """Bind every method of `cls`'s parts in its own namespace, as when it was one class.

    The record (`snapshot`) holds what each class binds in its own namespace, so a method that the
    submission rebinds on `Guard` is a change it sees; and `Guard`'s own binding is the one looked
    up, so a method added to a part (to come before another part's in the MRO) is never called.
    """
    own = vars(cls)
    for part in cls.__mro__[1:-1]:
        for name, member in vars(part).items():
            if name[:2] == "__":  # `__init__` (each part's state, chained by super()), `__doc__`, ...
                continue
            if name in own:
                raise TypeError(f"{name} is defined by two parts of {cls.__name__}")
            setattr(cls, name, member)
    return cls


@_one_namespace
class Guard(IdentityRecord, ValueRule, Wrapping, AuditHook):
    """The guard of one grading child: its parts share one state, as one object.

    - `snapshot`, `verify(fast=...)`, `restore`, `problem` (identities.py): the recorded identities;
    - `safe_result` (values.py): the value rule, for what student code hands to a test;
    - `wrap`, `guard_namespace`, `depth` (wrapping.py): the guarded entry points into student code,
      and how deep inside it we are;
    - `install_audit_hook` (audit.py).

    Mixins rather than parts held by reference: the parts call each other freely (the value rule
    wraps the callables it meets; a wrapper vets what its call returns), and share one state, the
    slots of `state._State` (no instance `__dict__`: no method can be shadowed on the instance).
    Their methods are bound in `Guard`'s own namespace too (`_one_namespace`).
    """

    __slots__ = ()

    # What the grading child holds in its own frame (`seal`) and checks against (`check_seal`).
    seal = core.seal
    check_seal = core.check_seal
