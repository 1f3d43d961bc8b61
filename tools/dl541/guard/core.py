"""core.py: what the guard's checks stand on, which the submission can reach but cannot change unseen.

Student code can reach the guard (a wrapper's code holds it) and anything reachable from it: module
globals, class namespaces, closure cells and an object's slots can all be written without an audit
event. So the checks that decide whether to trust anything else are written here to depend on
nothing the submission can rebind:

- no global or builtin is looked up while they run: what they use (builtins, `operator.is_`, the
  slots' C-level descriptors, the other functions here) is bound as a positional default, whose
  tuple cannot be replaced (the audit hook refuses it) and holds only objects Python cannot change;
- the guard's own state is four slots (`_State`): `depth`, `problem`, `_vetting` and `_state`, one
  immutable tuple holding the record, what is guarded and how (`STABLE` ... `VETTED`); every
  legitimate change builds a new tuple (`commit`), so a change is seen by identity;
- classes are looked up by `object.__hash__` (unique for a live object), never hashed or compared
  (a metaclass of the submission's could run its code inside a check), nor by `id`, whose audit
  event would call the audit hook at each use;
- a wrapper is a function made from one of two template codes (`gate_codes`) whose constants hold
  the guard and these functions, so neither can be swapped (a wrapper's cells hold only what it
  wraps and its name: rewriting one makes it guard something else, still guarded).

Each outermost call into student code is bracketed by `enter` (which snapshots `_state` and
`problem` into the wrapper's frame, out of reach) and `leave`: any change to the guard's state made
during the call voids the grade before anything else runs; then the fast identity check; and only
when that and the record of the guard's own code (`check_code`) pass does the rest of the guard (its
methods, its modules' globals) run. `seal` and `check_seal` do the same for the grader between test
cases, against a seal held in the grading child's own frame.
"""

from __future__ import annotations

import itertools
import operator
import sys
import types
from collections.abc import Callable
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

#: Types by `object.__hash__` (unique for live objects; `id` raises an audit event at each call).
_SEQUENCE_IDS = frozenset(map(object.__hash__, (list, tuple)))
#: Keys Python itself adds to namespaces while running (a warning's registry, pickle's cache).
VOLATILE_KEYS = ("__warningregistry__", "__slotnames__")
_MISSING = object()


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
    """One recorded group, as the checks here read it (see STABLE)."""
    getter = operator.itemgetter(*keys) if len(keys) > 1 else operator.itemgetter(keys[0], keys[0])
    return (where, namespace, keys, values, size, getter)


def flat(entries: tuple) -> tuple:
    """The (namespaces, keys, values) of `entries`, checked in one C-level pass."""
    return (
        tuple(e[1] for e in entries for _ in e[2]),
        tuple(k for e in entries for k in e[2]),
        tuple(v for e in entries for v in e[3]),
    )


# -- the checks -------------------------------------------------------------------------------------
# Every function from here to the templates is written to look up no global and no builtin.


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


# -- the wrappers -----------------------------------------------------------------------------------
_GATE = "<dl541: the gate>"  # in the templates' constants, replaced by each guard's gate


def _templates() -> tuple[types.CodeType, types.CodeType]:
    func = what = guarded = message = None  # the wrappers' cells

    def guarded_(*args, **kwargs):
        guard, get_depth, set_depth, enter, leave, vet, _ = "<dl541: the gate>"
        depth = get_depth(guard)
        snapshot = enter(guard, depth)
        try:
            result = func(*args, **kwargs)
        finally:
            set_depth(guard, depth)  # as it was: a count the call changed is put right
            if snapshot is not None:
                leave(guard, snapshot)
        if snapshot is None:
            return result
        return vet(guard, result, what)

    def refusing_(*args, **kwargs):
        guard, _, _, _, _, _, refuse = "<dl541: the gate>"
        refuse(guard, message)
        return guarded(*args, **kwargs)

    return guarded_.__code__, refusing_.__code__


_TEMPLATES = _templates()
_WRAPPER_GLOBALS: dict = {"__name__": __name__}  # the templates read no global


def gate_codes(guard: Any) -> tuple[types.CodeType, types.CodeType]:
    """This guard's wrapper codes: the templates with the guard, and the functions here, as constants."""
    gate = (guard, _get_depth, _set_depth, enter, leave, vet, refuse)
    return tuple(
        code.replace(co_consts=tuple(gate if c == _GATE else c for c in code.co_consts))
        for code in _TEMPLATES
    )  # type: ignore[return-value]


def make_wrapper(guard: Any, func: Any, what: str, refusing_message: str | None = None) -> Any:
    """A function of this guard's wrapper code around `func` (or, with `refusing_message`, of its
    refusing code around the wrapper `func`)."""
    code = _get_state(guard)[STABLE][GATE][0 if refusing_message is None else 1]
    cells = {"func": func, "what": what, "guarded": func, "message": refusing_message}
    closure = tuple(types.CellType(cells[name]) for name in code.co_freevars)
    return types.FunctionType(code, _WRAPPER_GLOBALS, "guarded", None, closure)


def is_wrapper(guard: Any, obj: Any) -> bool:
    """Whether `obj` is one of this guard's wrappers (by its code, which no one can swap)."""
    if type(obj) is not types.FunctionType:
        return False
    code, gate = obj.__code__, _get_state(guard)[STABLE][GATE]
    return gate is not None and (code is gate[0] or code is gate[1])


def wrapped_by(guard: Any, wrapper: Any) -> Any:
    """What one of this guard's wrappers calls (through a refusing wrapper, to the function)."""
    for _ in range(8):
        if not is_wrapper(guard, wrapper):
            return wrapper
        code = wrapper.__code__
        name = "func" if "func" in code.co_freevars else "guarded"
        wrapper = wrapper.__closure__[code.co_freevars.index(name)].cell_contents
    return wrapper


#: What the checks here are: they must look up no global (tests/test_guard_core.py).
TRUSTED = (tamper, _differences, _changed, verify, check_code, bindings_same, enter, leave, _known, vet)
TRUSTED += (refuse, seal, check_seal)
