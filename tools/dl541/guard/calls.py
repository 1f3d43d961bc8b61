"""calls.py: around each outermost call into student code, nothing of the guard runs unchecked.

A wrapper (`core`) brackets each call into student code with `enter`, which keeps the guard's state
and problem in the wrapper's frame, out of reach, and `leave`: any change to the guard's state made
during the call voids the grade before anything else runs; then the fast identity check; and only
when that and the guard's own code (`checks.check_code`) pass does the rest of the guard (its
methods, its modules' globals) run, to guard a rebound global or class member again. What the call
returns goes through `vet`: plain values and lists, tuples and dicts of them, and objects of a class
the value rule handed on before and unchanged since (`_known`), pass here; anything else goes to the
value rule once the guard's own code is checked. `refuse` keeps a value-faking method of the
submission's from being called from outside student code. Like `checks`, every function here looks
up no global and no builtin (all is bound as a positional default), and classes are looked up by
`object.__hash__` (unique for a live object), never hashed or compared (a metaclass of the
submission's could run its code inside a check), nor by `id`, whose audit event would call the audit
hook at each use.
"""

from __future__ import annotations

import itertools
import operator
from typing import Any

from .checks import check_code, tamper, verify
from .state import _get_depth, _get_problem, _get_state, _set_depth

#: Types by `object.__hash__` (unique for live objects; `id` raises an audit event at each call).
_SEQUENCE_IDS = frozenset(map(object.__hash__, (list, tuple)))


def bindings_same(
    guard: Any,
    _is=operator.is_,
    _all=all,
    _map=map,
    _len=len,
    _getattr=getattr,
    _get_state=_get_state,
    _KeyError=KeyError,
    _ValueError=ValueError,
    _AttributeError=AttributeError,
) -> bool:
    """Whether what `Wrapping` pinned, the classes it guards and the namespace the tests read are as
    it left them (the common case: nothing more to do after a call)."""
    _, _, (objects, attrs, values, _), _, _, class_flat, _, env, env_values, _ = _get_state(guard)
    try:
        if not _all(_map(_is, _map(_getattr, objects, attrs), values)):
            return False
    except (_AttributeError, _ValueError):  # an emptied cell
        return False
    for get, namespace, values, size in class_flat:
        try:
            if not _all(_map(_is, get(namespace), values)):
                return False
        except _KeyError:
            return False
        vol = ("__warningregistry__" in namespace) + ("__slotnames__" in namespace)
        if _len(namespace) - vol != size:
            return False
    if env is None:
        return True
    return _len(env) == _len(env_values) and _all(_map(_is, env.values(), env_values))


def enter(
    guard: Any,
    depth: Any,
    _type=type,
    _int=int,
    _set_depth=_set_depth,
    _get_state=_get_state,
    _get_problem=_get_problem,
    _AttributeError=AttributeError,
    _tamper=tamper,
) -> tuple | None:
    """Count a call into student code; for an outermost one, what the guard's state was."""
    if _type(depth) is not _int:  # what the submission put there: count from scratch
        depth = 0
    if depth > 0:
        _set_depth(guard, depth + 1)
        return None
    try:
        snapshot = (_get_state(guard), _get_problem(guard))
    except _AttributeError:  # a slot deleted
        _tamper(guard, "the submission changed the guard's own state")
    _set_depth(guard, 1)
    return snapshot


def leave(
    guard: Any,
    snapshot: tuple,
    _get_state=_get_state,
    _get_problem=_get_problem,
    _verify=verify,
    _bindings_same=bindings_same,
    _check_code=check_code,
    _tamper=tamper,
    _type=type,
    _str=str,
    _AttributeError=AttributeError,
) -> None:
    """After an outermost call (even one that raised): the guard as it was, the record unchanged; a
    rebound global or class member guarded again, a disarmed wrapper voiding the grade."""
    state, problem = snapshot
    try:
        now, same = _get_problem(guard), _get_state(guard) is state
    except _AttributeError:  # a slot deleted
        now, same = None, False
    if now is not problem and _type(now) is _str:  # what the audit hook refused while it ran
        _tamper(guard, now)
    if not same or now is not problem:
        _tamper(guard, "the submission changed the guard's own state")
    _verify(guard, True)
    if not _bindings_same(guard):
        _check_code(guard)
        guard._check_bindings()


def _known(
    entry: tuple,
    value: Any,
    kind: type,
    _type=type,
    _is=operator.is_,
    _all=all,
    _any=any,
    _map=map,
    _len=len,
    _mro=type.__dict__["__mro__"].__get__,
    _KeyError=KeyError,
) -> bool:
    """Whether `value`, of a class the value rule handed on before (`ValueRule._remember_class`), may be
    handed on again: the class, its MRO and metaclass, what their namespaces bind to the value-faking
    names, the code of those functions, all as then, and the instance carries no protocol hook."""
    cls, mro, meta, parts, functions, descriptor, hooks = entry
    if cls is not kind or _mro(kind) is not mro or _type(kind) is not meta:
        return False
    for namespace, size, get, values in parts:
        vol = ("__warningregistry__" in namespace) + ("__slotnames__" in namespace)
        if _len(namespace) - vol != size:
            return False
        if get is not None:
            try:
                if not _all(_map(_is, get(namespace), values)):
                    return False
            except _KeyError:
                return False
    for function, code in functions:
        if function.__code__ is not code:
            return False
    if descriptor is not None:  # the C-level `__dict__` of the instance
        attrs = descriptor.__get__(value)
        if attrs is not None and _any(_map(attrs.__contains__, hooks)):
            return False
    return True


def vet(
    guard: Any,
    result: Any,
    what: Any,
    _type=type,
    _id=object.__hash__,  # not `id`, which raises an audit event at each call
    _str=str,
    _all=all,
    _map=map,
    _chain=itertools.chain.from_iterable,
    _get_state=_get_state,
    _list=list,
    _tuple=tuple,
    _dict=dict,
    _sequences=_SEQUENCE_IDS,
    _check_code=check_code,
    _known=_known,
) -> Any:
    """What an outermost call returns, fit to hand to a test (`ValueRule.safe_result`).

    Plain values, and lists, tuples and dicts of them (or of lists and tuples of them), pass here;
    So does an object of a class handed on before and unchanged since (`_known`). Anything else goes
    to the value rule once the guard's own code is checked.
    """
    (_, _, _, _, _, _, _, _, _, _, _, _, _, plain, *_), *_, vetted = _get_state(guard)
    kind = _type(result)
    if _id(kind) in plain:
        return result
    known = vetted.get(_id(kind))
    if known is not None and _known(known, result, kind):
        return result
    if kind is _list or kind is _tuple:
        items = result
    elif kind is _dict:
        items = _tuple(result.values())
        if not _all(_map(plain.__contains__, _map(_id, _map(_type, result)))):
            items = None
    else:
        items = None
    if items is not None:
        kinds = _tuple(_map(_id, _map(_type, items)))
        if _all(_map(plain.__contains__, kinds)):
            return result
        if _all(_map(_sequences.__contains__, kinds)):
            if _all(_map(plain.__contains__, _map(_id, _map(_type, _chain(items))))):
                return result
    _check_code(guard)
    vetted = guard.safe_result(result, what if _type(what) is _str else "the submission")
    if vetted is result and known is None:
        guard._remember_class(kind)
    return vetted


def refuse(
    guard: Any,
    message: Any,
    _get_depth=_get_depth,
    _type=type,
    _int=int,
    _str=str,
    _TypeError=TypeError,
) -> None:
    """Raise TypeError(`message`) when not called from inside student code."""
    depth = _get_depth(guard)
    if _type(depth) is not _int or depth <= 0:
        raise _TypeError(message if _type(message) is _str else "the tests may not use this method")
