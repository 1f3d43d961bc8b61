"""state.py: the guard's state, which changes only as a whole, so that any change is seen by identity.

A `Guard` has four slots and no instance `__dict__` (`_State`), so no method can be shadowed on the
instance: `depth`, `problem`, `_vetting` and `_state`, one immutable tuple that holds the record,
what is guarded and how (`STABLE` ... `VETTED`). Every legitimate change builds a new tuple
(`commit`), so a change is seen by identity: an outermost call (`calls.enter`) keeps the tuple, and
the grading child its record (`checks.seal`), out of student code's reach, and compare the guard's
with it after student code has run. The slots are read and written through their C-level
descriptors (`_get_state`, ...), bound here once, never through the class, which the submission
can change. The layout of the tuple is fixed here and in the checks' unpacking of it (`checks`,
`calls`); tests/test_guard_core.py checks that they agree. Nothing here runs a check.
"""

from __future__ import annotations

import operator
import types
from typing import Any


class Tampered(BaseException):
    """Raised at a check that finds the grading environment changed by the submission."""


class _State:
    """The state of a `Guard` (all of it: no instance `__dict__`, so no method can be shadowed)."""

    __slots__ = ("depth", "problem", "_vetting", "_state")

    def __init__(self) -> None:
        self.depth = 0  # how deep inside student code we are (the grader counts its cells too)
        self.problem: str | None = None  # the first change found: every later check raises it again
        self._vetting = "the submission"  # what the value being vetted came from
        self._state = _EMPTY


# The slots, read and written by their C-level descriptors (not through the class, which can change).
_get_depth, _set_depth = _State.__dict__["depth"].__get__, _State.__dict__["depth"].__set__
_get_problem, _set_problem = _State.__dict__["problem"].__get__, _State.__dict__["problem"].__set__
_get_state, _set_state = _State.__dict__["_state"].__get__, _State.__dict__["_state"].__set__

# `_state`: (STABLE, ...); STABLE changes only when recording (`snapshot`, `install_audit_hook`).
# VETTED: the classes whose instances the value rule handed on, with what that depended on (`_known`).
STABLE, PINS, PIN_TABLE, PINNED, CLASS_RECORDS, CLASS_FLAT, GUARDED, ENV, ENV_VALUES, VETTED = range(10)
# STABLE: the identity record (entries are (where, namespace, keys, values, size, getter) tuples;
# the flat forms are (namespaces, keys, values)), the record of the guard's own code, the attributes
# of the functions tests name, and how wrappers are made.
(
    FAST,  # entries checked after every outermost call
    FAST_FLAT,  # flat: the `__kwdefaults__` of the Python functions in FAST
    FAST_KWD,  # the same, as entries (to name a change)
    FULL,  # entries checked after loading and each test case
    FULL_FLAT,
    SIZED,  # (where, namespace, size) of the classes that may gain no attribute
    CODE,  # entries: the guard's own modules and classes, and what of the libraries its code uses
    CODE_FLAT,
    CODE_SIZED,  # (where, namespace, size)
    ATTRS,  # ((where, object, attribute, value), ...): code, defaults and cells of FAST's functions
    GROUPS,  # (full, fast, sized) as `_Group`s, to restore them
    STEP_CODE,  # the code of torch's own optimizer step hook
    TEST_NAMES,
    PLAIN_IDS,  # the value types handed on as they are, by `object.__hash__`
    GATE,  # (the wrapper code, the refusing wrapper code) of this guard
    HOOKED,  # whether this guard's audit hook is installed
    CHILD,  # entries: what the grading child itself runs between two test cases (checked after each)
    CHILD_FLAT,
    RECORDED,  # the recorded Python functions, by `object.__hash__` (for the audit hook)
) = range(19)
_NO_FLAT: tuple = ((), (), ())
_NO_PROXY = types.MappingProxyType({})
# The checks read these tuples by unpacking them (no index constant is a global they look up), so the
# layout is fixed here and in the unpacking; tests/test_guard_core.py checks that they agree.
_EMPTY_STABLE = (
    (),  # FAST
    _NO_FLAT,  # FAST_FLAT
    (),  # FAST_KWD
    (),  # FULL
    _NO_FLAT,  # FULL_FLAT
    (),  # SIZED
    (),  # CODE
    _NO_FLAT,  # CODE_FLAT
    (),  # CODE_SIZED
    (),  # ATTRS
    ((), (), ()),  # GROUPS
    None,  # STEP_CODE
    None,  # TEST_NAMES
    frozenset(),  # PLAIN_IDS
    None,  # GATE
    False,  # HOOKED
    (),  # CHILD
    _NO_FLAT,  # CHILD_FLAT
    frozenset(),  # RECORDED
)
_EMPTY = (_EMPTY_STABLE, (), ((), (), (), ()), frozenset(), _NO_PROXY, (), _NO_PROXY, None, (), _NO_PROXY)

#: Keys Python itself adds to namespaces while running (a warning's registry, pickle's cache).
VOLATILE_KEYS = ("__warningregistry__", "__slotnames__")


def commit(guard: Any, **fields: Any) -> None:
    """Replace fields of `_state` (by the names of the index constants, lower-cased)."""
    state = list(_get_state(guard))
    stable = None
    for name, value in fields.items():
        index = _FIELDS.get(name)
        if index is not None:
            state[index] = value
            continue
        if stable is None:
            stable = list(state[STABLE])
        stable[_STABLE_FIELDS[name]] = value
    if stable is not None:
        state[STABLE] = tuple(stable)
    _set_state(guard, tuple(state))


_FIELDS = {
    "pins": PINS,
    "pin_table": PIN_TABLE,
    "pinned": PINNED,
    "class_records": CLASS_RECORDS,
    "class_flat": CLASS_FLAT,
    "guarded": GUARDED,
    "env": ENV,
    "env_values": ENV_VALUES,
    "vetted": VETTED,
}
_STABLE_FIELDS = {
    name.lower(): index
    for index, name in enumerate(
        "FAST FAST_FLAT FAST_KWD FULL FULL_FLAT SIZED CODE CODE_FLAT CODE_SIZED ATTRS GROUPS STEP_CODE "
        "TEST_NAMES PLAIN_IDS GATE HOOKED CHILD CHILD_FLAT RECORDED".split()
    )
}


def field(index: int, stable: bool = False) -> property:
    """A read-only view of one field of `_state`, for the guard's own (checked) code and the tests."""
    if stable:
        return property(lambda self: _get_state(self)[STABLE][index])
    return property(lambda self: _get_state(self)[index])


def entry(where: str, namespace: Any, keys: tuple, values: tuple, size: int | None) -> tuple:
    """One recorded group, as the checks read it (see STABLE)."""
    getter = operator.itemgetter(*keys) if len(keys) > 1 else operator.itemgetter(keys[0], keys[0])
    return (where, namespace, keys, values, size, getter)


def flat(entries: tuple) -> tuple:
    """The (namespaces, keys, values) of `entries`, checked in one C-level pass."""
    return (
        tuple(e[1] for e in entries for _ in e[2]),
        tuple(k for e in entries for k in e[2]),
        tuple(v for e in entries for v in e[3]),
    )
