"""wrapping.py: no student code runs unguarded when a test calls into the submission. Every entry
point the tests can reach (the namespace's functions and the callables that run its code, the
methods of its classes, callables and iterators handed back) is wrapped, so that each outermost call
is followed by the fast identity check and by the value rule on its result; a value-faking special
method a student class defines is refused when called from outside student code; a global the tests
read that breaks the value rule is replaced by a stand-in that raises its reason on any use. What is
guarded stays guarded: after each outermost call, a rebound global or class member is guarded again,
and a rewritten wrapper (its code or closure) voids the grade. A wrapper is a function of this
guard's wrapper code (`core.gate_codes`), and known by that code, which holds the guard: what its
cells hold (the function it wraps, its name) cannot make it stop guarding.
"""

from __future__ import annotations

import functools
import operator
import types
from collections.abc import Callable
from typing import Any

from . import core, state
from .checks import tamper
from .core import is_wrapper, make_wrapper
from .faking import _FAKING, _MODULE_FAKING, _PROTOCOL_HOOKS, _RULE, _Lie, _RefusedValue, _within_mro
from .groups import _Group, _size
from .state import ENV, ENV_VALUES, GUARDED, PINNED, PINS, _State, commit, field
from .student import (
    _IMMUTABLE_TYPE,
    _defined_by_student,
    _has_student_code,
    _type_dict,
    _type_flags,
    _type_mro,
    _type_name,
    is_student_code,
)
from .values import _kinds


def _callable_name(func: Any) -> str:
    for _ in range(4):
        kind = type(func)
        if kind is types.FunctionType:
            return func.__qualname__
        if kind is types.MethodType:
            func = func.__func__
        elif kind is functools.partial:
            func = func.func
        elif _type_flags(kind) & _IMMUTABLE_TYPE and type(getattr(func, "__dict__", None)) is dict:
            func = func.__dict__.get("__wrapped__")  # functools.lru_cache, ...
        else:
            break
    return "a function of the submission"


def _copy_metadata(wrapper: types.FunctionType, func: Any) -> None:
    """What `functools.wraps` copies (its own code is a library's, which the submission could change)."""
    for attr in ("__module__", "__name__", "__qualname__", "__doc__", "__annotations__"):
        try:
            value = getattr(func, attr)
        except AttributeError:
            continue
        try:
            setattr(wrapper, attr, value)
        except (TypeError, AttributeError):
            continue
    attrs = getattr(func, "__dict__", None)
    if type(attrs) is dict:
        wrapper.__dict__.update(attrs)
    wrapper.__wrapped__ = func  # type: ignore[attr-defined]
    wrapper.__dl541_guarded__ = True  # type: ignore[attr-defined]


def _table(pins: tuple) -> tuple:
    return tuple(zip(*pins)) if pins else ((), (), (), ())


def _class_flat(records: dict) -> tuple:
    return tuple((g.entry()[5], g.namespace, g.values, g.size) for g in records.values())


def _refused(reason: str) -> Any:
    """A stand-in for a refused global: comparing, converting, hashing, iterating, reading an
    attribute of it, `isinstance` on it or handing it to torch raises TypeError(`reason`)."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise TypeError(reason)

    namespace: dict[str, Any] = {name: refuse for name in _FAKING | {"__str__", "__format__", "__call__"}}
    namespace.update(
        {
            "__class__": property(refuse),
            "__torch_function__": classmethod(refuse),
            "__array__": refuse,
            "__array_ufunc__": refuse,
            "__array_function__": refuse,
            "__repr__": lambda self: f"<refused: {reason}>",
            "__slots__": (),
            "_dl541_reason": reason,
        }
    )
    return type("RefusedValue", (_RefusedValue,), namespace)()


class Wrapping(_State):
    """The wrappers around student entry points, and what keeps them in place: a part of `Guard`."""

    __slots__ = ()

    # Of `IdentityRecord` (identities.py) and `ValueRule` (values.py), composed with this into `Guard`.
    _test_names: frozenset[str] | None
    safe_result: Callable[..., Any]
    _vet: Callable[[Any, int], Any]

    def __init__(self) -> None:
        super().__init__()
        commit(self, gate=core.gate_codes(self))

    # What is guarded, in `_state` (see core): the namespace the tests read and its values when last
    # guarded; pins (`_pin`) and the wrappers pinned; the classes guarded and their records.
    _env = field(ENV)
    _env_values = field(ENV_VALUES)
    _pins = field(PINS)
    _pinned = field(PINNED)
    _guarded_classes = field(GUARDED)
    _class_records = field(state.CLASS_RECORDS)

    def _is_wrapper(self, obj: Any) -> bool:
        return is_wrapper(self, obj)

    def _unwrap(self, obj: Any) -> Any:
        """What a wrapper of this guard calls (the object itself when it is none)."""
        return core.wrapped_by(self, obj)

    def wrap(self, func: Callable, name: str | None = None) -> Callable:
        """`func` guarded: checks around each outermost call, results vetted by `safe_result`.

        `name` (by default the function's qualified name) is what a refusal says returned the value.
        A wrapper is recognised by its code (`core.is_wrapper`), not by an attribute a submission
        could set.
        """
        if is_wrapper(self, func):
            return func
        guarded = make_wrapper(self, func, name or _callable_name(func))
        _copy_metadata(guarded, func)
        return guarded

    def _carries_student_code(self, obj: Any, depth: int = 0) -> bool:
        """Whether calling `obj` would run student code outside a guard (a library decorator's
        closure, a partial, a bound method, an lru_cache, ...)."""
        if depth > 4 or is_wrapper(self, obj):
            return False
        kind = type(obj)
        inner: list[Any] = []
        if kind is types.FunctionType:
            if is_student_code(obj):
                return True
            for cell in obj.__closure__ or ():
                try:
                    inner.append(cell.cell_contents)
                except ValueError:  # an empty cell
                    continue
            inner.append(obj.__dict__.get("__wrapped__"))
        elif kind is types.MethodType:
            inner.append(obj.__func__)
        elif kind is functools.partial:
            inner.extend((obj.func, *obj.args, *obj.keywords.values()))
        elif _type_flags(kind) & _IMMUTABLE_TYPE and not issubclass(kind, type):
            attrs = getattr(obj, "__dict__", None)
            if type(attrs) is dict:
                inner.append(attrs.get("__wrapped__"))
        return any(self._carries_student_code(item, depth + 1) for item in inner if item is not None)

    def _guarded_iterator(self, iterator: Any) -> Any:
        step = self.wrap(iterator.__next__, f"the iterator from {self._vetting}")

        def items() -> Any:
            while True:
                try:
                    item = step()
                except StopIteration:
                    return
                yield item

        return items()

    def guard_namespace(self, env: dict) -> None:
        """Guard what the tests take from the submission's namespace, in place.

        Its functions (and callables that run its code: decorated functions, partials, caches)
        are wrapped; the methods of its classes are wrapped (`_guard_class`); a global the tests
        read (one the tests' sources name, or any without `snapshot(test_names)`) that is not a
        function, class or module is vetted like a result (`safe_result`): a refused one is
        replaced by a stand-in that raises TypeError, with the reason, on any use, so exactly the
        tests that use it fail. The namespace is recorded: a guarded call that rebinds a global
        has the namespace guarded again before it returns.
        """
        kinds = _kinds()
        names = self._test_names
        for name, value in list(env.items()):
            kind = type(value)
            if type(name) is not str:  # not a name the tests can use (nor one to hash or compare)
                continue
            if kind is types.FunctionType:
                if self._carries_student_code(value):
                    env[name] = self.wrap(value, str(name))  # named as the tests call it
                    self._pin_wrapper(env[name])
            elif issubclass(kind, type):
                self._guard_class(value)
            elif kind is types.ModuleType or object.__hash__(kind) in kinds.plain_ids:
                continue
            elif _within_mro(_type_mro(kind), _RefusedValue):  # refused already
                continue
            elif _type_flags(kind) & _IMMUTABLE_TYPE and self._carries_student_code(value):
                env[name] = self.wrap(value, name)  # a partial, an lru_cache, a bound method, ...
                self._pin_wrapper(env[name])
            elif name[:2] != "__" and (names is None or name in names):
                self._vetting = name
                try:
                    vetted = self._vet(value, 0)
                except _Lie as lie:
                    env[name] = _refused(lie.message(name + " is", "make it", value))
                except Exception as exc:  # noqa: BLE001 - fail the tests that read it, not the grading
                    env[name] = _refused(f"{name} could not be checked ({type(exc).__name__}); {_RULE}")
                else:
                    if vetted is not value:
                        env[name] = vetted
        commit(self, env=env, env_values=tuple(env.values()))

    def _guard_class(self, cls: type) -> None:
        """Wrap the methods of `cls` and of the classes in its MRO that hold student code.

        In a class written by the student every function is wrapped; in any other class only
        student functions put there. A value-faking special method (`_FAKING`, and the tensor
        and array hooks) written by the student is moreover refused (TypeError) when called from
        outside student code: a test or library may not use it, even on an instance that no
        guarded call returned (one a test constructed, an attribute it read).
        """
        for klass in _type_mro(cls):
            if id(klass) in self._guarded_classes or _type_flags(klass) & _IMMUTABLE_TYPE:
                continue
            commit(self, guarded=types.MappingProxyType({**self._guarded_classes, id(klass): klass}))
            self._guard_members(klass)

    def _guard_members(self, klass: type) -> None:
        everything = _defined_by_student(klass)
        if not everything and not _has_student_code(klass):
            return
        faking = (
            _MODULE_FAKING if _within_mro(_type_mro(klass), _kinds().module) else _FAKING
        ) | _PROTOCOL_HOOKS
        namespace = _type_dict(klass)
        for attr, member in list(namespace.items()):
            refused = f"{_type_name(klass)}.{attr}" if attr in faking else None
            wrapped = self._wrap_member(member, everything, refused)
            if wrapped is not None:
                try:
                    type.__setattr__(klass, attr, wrapped)
                except (TypeError, AttributeError):  # `__class__`: a function there is never called
                    continue
        # What the class binds now is pinned: a guarded call that rebinds a method (or adds one)
        # has the class guarded again; one that disarms a wrapper voids the grade.
        keys = ["__module__"]
        for attr, member in list(namespace.items()):
            kind = type(member)
            parts: tuple = ()
            if kind is types.FunctionType:
                parts = (member,)
            elif issubclass(kind, (staticmethod, classmethod)):
                self._pin(member, "__func__", klass)
                parts = (member.__func__,)
            elif issubclass(kind, property):
                for name in ("fget", "fset", "fdel"):
                    self._pin(member, name, klass)
                parts = (member.fget, member.fset, member.fdel)
            elif kind is functools.cached_property:
                self._pin(member, "func", klass)
                parts = (member.func,)
            else:
                continue
            keys.append(attr)
            for part in parts:
                if is_wrapper(self, part):
                    self._pin_wrapper(part)
        values = tuple(namespace[k] for k in keys)
        record = _Group(namespace, klass, _type_name(klass), tuple(keys), values, _size(namespace))
        records = {**self._class_records, id(klass): record}
        commit(self, class_records=types.MappingProxyType(records), class_flat=_class_flat(records))

    # -- the integrity of the guarding -------------------------------------------------------------
    def _pin(self, obj: Any, attr: str, owner: type | None) -> None:
        """Remember `obj.attr` as it is now; `_check_bindings` sees a change (owner: what to re-guard)."""
        pins = (*self._pins, (obj, attr, getattr(obj, attr), owner))
        commit(self, pins=pins, pin_table=_table(pins))

    def _pin_wrapper(self, wrapper: Any) -> None:
        """Pin a wrapper's closure (what it wraps, its name) and, without the audit hook (which refuses
        changing it), its code."""
        if type(wrapper) is not types.FunctionType or id(wrapper) in self._pinned:
            return
        commit(self, pinned=self._pinned | {id(wrapper)})
        if not state._get_state(self)[state.STABLE][state.HOOKED]:
            self._pin(wrapper, "__code__", None)
        for cell in wrapper.__closure__ or ():
            self._pin(cell, "cell_contents", None)
            if is_wrapper(self, cell.cell_contents):  # the guarded function inside `refusing`
                self._pin_wrapper(cell.cell_contents)

    def _check_bindings(self) -> None:
        """After an outermost call: re-guard a rebound global or class member; a disarmed wrapper voids.

        Called by `calls.leave` when `calls.bindings_same` saw a change, once the guard's code is checked.
        """
        classes = self._class_records
        objects, attrs, values, _ = state._get_state(self)[state.PIN_TABLE]
        try:
            pinned = all(map(operator.is_, map(getattr, objects, attrs), values))
        except (AttributeError, ValueError):  # an emptied cell
            pinned = False
        if pinned and not any(map(_Group.check, classes.values())):
            env, values = self._env, self._env_values
            if env is None:
                return
            if len(env) != len(values) or not all(map(operator.is_, env.values(), values)):
                self.guard_namespace(env)  # a global was rebound (or added): guard it
            return
        changed = {id(g.owner): g.owner for g in list(classes.values()) if g.check()}
        for obj, attr, value, owner in self._pins:
            try:
                same = getattr(obj, attr) is value
            except (AttributeError, ValueError):
                same = False
            if same:
                continue
            if owner is None:
                tamper(self, "the submission changed the wrapper that guards one of its functions")
            changed[id(owner)] = owner
        for owner in changed.values():  # guard it again, as it is now
            pins = tuple(pin for pin in self._pins if pin[3] is not owner)
            records = {k: g for k, g in self._class_records.items() if k != id(owner)}
            commit(
                self,
                pins=pins,
                pin_table=_table(pins),
                class_records=types.MappingProxyType(records),
                class_flat=_class_flat(records),
            )
            self._guard_members(owner)
        self._check_bindings()

    def _wrap_member(self, member: Any, everything: bool = True, refused: str | None = None) -> Any:
        """The guarded replacement of a plain function member, or None. Descriptors (staticmethod,
        classmethod, property, cached_property) are guarded in place, since `type.__setattr__`
        cannot rebind every name (`__class__`)."""

        def one(func: Any) -> Any:
            if type(func) is not types.FunctionType or is_wrapper(self, func):
                return func
            student = is_student_code(func)
            if refused is not None and student:
                return self._refusing(func, refused)
            return self.wrap(func) if everything or student else func

        kind = type(member)
        if kind is types.FunctionType:
            wrapped = one(member)
            return wrapped if wrapped is not member else None
        if issubclass(kind, (staticmethod, classmethod)):
            wrapped = one(member.__func__)
            if wrapped is not member.__func__:
                (staticmethod if issubclass(kind, staticmethod) else classmethod).__init__(member, wrapped)
        elif issubclass(kind, property):
            parts = (member.fget, member.fset, member.fdel)
            new = tuple(one(f) if f is not None else None for f in parts)
            if any(a is not b for a, b in zip(new, parts)):
                property.__init__(member, *new, member.__doc__)
        elif kind is functools.cached_property:
            member.func = one(member.func)
        return None

    def _refusing(self, func: types.FunctionType, where: str) -> Callable:
        """`func` guarded, and refused when called from outside student code."""
        guarded = self.wrap(func)
        message = (
            f"{where} is defined by the submission, and the tests may not use it: {_RULE}, "
            "or objects whose class defines no method that could fake a value"
        )
        refusing = make_wrapper(self, guarded, where, refusing_message=message)
        _copy_metadata(refusing, func)
        return refusing
