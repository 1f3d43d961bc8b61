"""checks.py: the record, and the guard's own code, are as recorded, or the grade is void.

The checks of the identity record (`verify`, full or fast), of the guard's own code (`check_code`,
run before any other code of the guard after student code has), and of the guard between two test
cases against a seal that the grading child holds out of reach (`seal`, `check_seal`); a change
found is named (`_changed`), remembered on the guard and in the audit hook, and raised (`tamper`):
every later check raises it again. They run where student code may have reached the guard, so every
function here looks up no global and no builtin: what it uses (builtins, `operator.is_`, the slots'
C-level descriptors, the other functions here) is bound as a positional default, whose tuple cannot
be replaced (the audit hook refuses it) and holds only objects Python cannot change. They read the
state's tuples by unpacking them (`state` fixes the layout), never through an index constant.
"""

from __future__ import annotations

import operator
import sys
import types
from collections.abc import Callable
from typing import Any

from .state import Tampered, _get_depth, _get_problem, _get_state, _set_problem

_MISSING = object()


def tamper(
    guard: Any,
    message: str,
    _set_problem=_set_problem,
    _audit=sys.audit,
    _Tampered=Tampered,
) -> None:
    """Void the grade: remember `message` (on the guard, and in the audit hook, out of reach) and raise."""
    _set_problem(guard, message)
    _audit("dl541.tampered", message)
    raise _Tampered(message)


def _differences(
    guard: Any,
    entries: tuple,
    attrs: tuple,
    _get_state=_get_state,
    _len=len,
    _zip=zip,
    _getattr=getattr,
    _type=type,
    _ValueError=ValueError,
    _AttributeError=AttributeError,
    _Function=types.FunctionType,
    _MISSING=_MISSING,
) -> tuple[str | None, int]:
    """The first change in `entries` and `attrs` that is not torch's own step hook, and how many
    changes there are (torch's included)."""
    (_, _, _, _, _, _, _, _, _, _, _, step_code, *_), *_ = _get_state(guard)
    found = 0
    for where, namespace, keys, values, size, _ in entries:
        for key, value in _zip(keys, values):
            current = namespace.get(key, _MISSING)
            if current is value:
                continue
            found += 1
            if current is _MISSING:
                return f"{where}.{key} (removed)", found
            if key == "step" and step_code is not None and _type(current) is _Function:
                cells = current.__closure__
                if current.__code__ is step_code and cells is not None and _len(cells) == 1:
                    try:
                        if cells[0].cell_contents is value:
                            continue  # torch wraps an optimizer's step on first use: its change
                    except _ValueError:
                        pass
            return f"{where}.{key}", found
        if size is not None:
            vol = ("__warningregistry__" in namespace) + ("__slotnames__" in namespace)
            if _len(namespace) - vol != size:
                return f"{where} (attributes added)", found + 1
    for where, obj, attr, value in attrs:
        try:
            current = _getattr(obj, attr)
        except (_ValueError, _AttributeError):  # an emptied cell
            current = _MISSING
        if current is not value:
            return where, found + 1
    return None, found


def _changed(
    guard: Any,
    entries: tuple,
    attrs: tuple,
    _differences=_differences,
    _tamper=tamper,
) -> None:
    """Name the change that a fast check saw (raising Tampered), unless it is torch's alone."""
    culprit, found = _differences(guard, entries, attrs)
    if culprit is not None:
        _tamper(guard, f"the submission changed {culprit}")
    if not found:  # a fast check saw a change that the names cannot: something answers two ways
        _tamper(guard, "the submission changed the grading environment")


def verify(
    self: Any,
    fast: bool = False,
    _is=operator.is_,
    _all=all,
    _map=map,
    _len=len,
    _getitem=operator.getitem,
    _getattr=getattr,
    _get_problem=_get_problem,
    _get_state=_get_state,
    _type=type,
    _str=str,
    _KeyError=KeyError,
    _ValueError=ValueError,
    _AttributeError=AttributeError,
    _changed=_changed,
    _tamper=tamper,
    _Tampered=Tampered,
) -> None:
    """Raise Tampered naming the first changed attribute (and remember it).

    `fast`: the part of the record that test code can reach between two calls into student code (at
    C speed: a few large groups); otherwise all of it, the guard's own code, and the code, defaults
    and cells of the functions the tests name.
    """
    try:
        problem, state = _get_problem(self), _get_state(self)
    except _AttributeError:  # a slot deleted
        _tamper(self, "the submission changed the guard's own state")
    if problem is not None:  # found before: raised again at every check
        if _type(problem) is _str:
            raise _Tampered(problem)
        _tamper(self, "the submission changed the guard's own state")
    (fast_, fast_flat, fast_kwd, full, full_flat, sized, code, code_flat, code_sized, attrs, *_), *_ = state
    if fast:
        for _, namespace, _, values, size, get in fast_:
            try:
                if not _all(_map(_is, get(namespace), values)):
                    break
            except _KeyError:
                break
            if size is not None:
                vol = ("__warningregistry__" in namespace) + ("__slotnames__" in namespace)
                if _len(namespace) - vol != size:
                    break
        else:
            namespaces, keys, values = fast_flat
            try:
                if _all(_map(_is, _map(_getitem, namespaces, keys), values)):
                    return
            except _KeyError:
                pass
        _changed(self, fast_ + fast_kwd, ())
        return
    same = True
    for namespaces, keys, values in (full_flat, code_flat):
        try:
            same = same and _all(_map(_is, _map(_getitem, namespaces, keys), values))
        except _KeyError:
            same = False
    for _, namespace, size in sized + code_sized:
        vol = ("__warningregistry__" in namespace) + ("__slotnames__" in namespace)
        same = same and _len(namespace) - vol == size
    for _, obj, attr, value in attrs:
        try:
            same = same and _getattr(obj, attr) is value
        except (_ValueError, _AttributeError):
            same = False
    if not same:
        _changed(self, full + code, attrs)


def check_code(
    guard: Any,
    _is=operator.is_,
    _all=all,
    _map=map,
    _len=len,
    _getitem=operator.getitem,
    _get_state=_get_state,
    _KeyError=KeyError,
    _changed=_changed,
) -> None:
    """Raise Tampered when the guard's own code (its modules' globals, its classes, what it uses of
    the libraries) changed: checked before any of it runs after student code has."""
    (_, _, _, _, _, _, code, (namespaces, keys, values), code_sized, *_), *_ = _get_state(guard)
    try:
        same = _all(_map(_is, _map(_getitem, namespaces, keys), values))
    except _KeyError:
        same = False
    for _, namespace, size in code_sized:
        vol = ("__warningregistry__" in namespace) + ("__slotnames__" in namespace)
        same = same and _len(namespace) - vol == size
    if not same:
        _changed(guard, code, ())


def seal(guard: Any, _get_state=_get_state) -> tuple:
    """What `check_seal` compares with: to be held where student code cannot reach it."""
    stable, *_ = _get_state(guard)
    return (stable,)


def check_seal(
    guard: Any,
    sealed: tuple,
    hook: Callable | None = None,
    env: dict | None = None,
    _get_problem=_get_problem,
    _get_depth=_get_depth,
    _get_state=_get_state,
    _type=type,
    _int=int,
    _str=str,
    _list=list,
    _tamper=tamper,
    _check_code=check_code,
    _AttributeError=AttributeError,
    _is=operator.is_,
    _all=all,
    _map=map,
    _getitem=operator.getitem,
    _KeyError=KeyError,
    _changed=_changed,
) -> None:
    """Raise Tampered unless the guard is as `seal` found it, nothing is inside student code, the
    audit hook refused nothing and guards `env`; then check the guard's own code and what the
    grading child runs between two test cases (CHILD: sending a result, running a test case)."""
    if hook is not None:  # what it refused, or what a check found (kept where no one can undo it)
        box = _list()
        hook("dl541.problems", (box,))
        if box:
            _tamper(guard, box[0])
    try:
        problem, depth = _get_problem(guard), _get_depth(guard)
        stable, _, _, _, _, _, _, guarded_env, _, _ = _get_state(guard)
    except _AttributeError:  # a slot deleted
        _tamper(guard, "the submission changed the guard's own state")
    if problem is not None:
        _tamper(guard, problem if _type(problem) is _str else "the submission changed the guard's own state")
    if _type(depth) is not _int or depth != 0:
        _tamper(guard, "the submission changed the guard's count of calls into it")
    if stable is not sealed[0]:
        _tamper(guard, "the submission changed the guard's record")
    if env is not None and guarded_env is not env:
        _tamper(guard, "the submission changed which namespace the guard guards")
    _check_code(guard)
    (*_, child, (namespaces, keys, values), _) = stable
    try:
        same = _all(_map(_is, _map(_getitem, namespaces, keys), values))
    except _KeyError:
        same = False
    if not same:
        _changed(guard, child, ())
