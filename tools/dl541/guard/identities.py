"""identities.py: what the grading relies on is what it was when recorded. `snapshot` records the
identity of every code attribute (function, class, module, descriptor) of the trusted modules and
their classes (the parts of torch the tests touch, numpy, hypothesis, otter, dl541, the standard
modules, `sys`'s hooks); `verify` raises `Tampered` naming the first one that is no longer the
recorded object, is removed, or (torch.Tensor, nn.Module, nn.Parameter) has gained attributes, and
remembers it, so every later check raises it again; `verify(fast=True)` checks, at C speed, the part
of the record that test code can reach between two calls into student code; `restore` puts every
recorded attribute back. The one change accepted is torch's own step hook around a recorded `step`.

Beyond the namespaces, the record holds what a function keeps outside its namespace entry: the
`__kwdefaults__` of every recorded Python function (a dict, changed in place without any audit
event), and, for the functions the tests name, their `__code__`, `__defaults__` and closure cells
(checked with the full record: reading `__code__` raises an audit event, too slow for every call;
the audit hook refuses replacing `__code__` or defaults outright). It also records the guard's own
code (`_guard_code`): its modules' globals, its classes, and what of the libraries it uses, checked
before any of it runs after student code has (`checks.check_code`). The record is immutable once
taken (`core` says why that matters).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterable
from typing import Any

from . import checks, core, state
from .groups import _VOLATILE_KEYS, _Group, _size
from .scope import (
    _BETWEEN_CASES,
    _FAST_CLASSES,
    _FAST_MODULES,
    _MUTABLE_ATTRS,
    _NARROWED,
    _is_code,
    _trusted,
    _within,
)
from .state import Tampered, _State, commit, field, flat
from .student import _IMMUTABLE_TYPE

__all__ = ["IdentityRecord", "Tampered"]


def _code_names(code: types.CodeType, into: set[str]) -> None:
    into.update(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _code_names(const, into)


def _functions_of(namespace: dict) -> Iterable[types.FunctionType]:
    for value in list(namespace.values()):
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        elif isinstance(value, property):
            yield from (f for f in (value.fget, value.fset, value.fdel) if type(f) is types.FunctionType)
            continue
        if type(value) is types.FunctionType:
            yield value


def _guard_code() -> list[_Group]:
    """The guard's own code as it is now: in the namespaces of its modules, every name its code reads;
    its classes' namespaces (of `Guard`'s parts, whose members are bound in `Guard`'s own, the dunders);
    the number of names in each (one added could shadow another); and the attributes its code reads
    of the library modules it imports."""
    package = __name__.rpartition(".")[0]
    modules = sorted((n, m) for n, m in list(sys.modules.items()) if m is not None and _within(n, (package,)))
    names: set[str] = set()
    classes: list[tuple[str, type]] = []
    libraries: dict[str, types.ModuleType] = {}
    for name, module in modules:
        for value in list(vars(module).values()):
            if type(value) is types.FunctionType:
                _code_names(value.__code__, names)
            elif isinstance(value, types.ModuleType) and not _within(value.__name__, (package,)):
                libraries[value.__name__] = value
            elif isinstance(value, type) and getattr(value, "__module__", None) == name:
                classes.append((f"{name}.{value.__qualname__}", value))
                for function in _functions_of(vars(value)):
                    _code_names(function.__code__, names)
    guard = getattr(sys.modules.get(package), "Guard", None)
    parts = guard.__mro__[1:] if isinstance(guard, type) else ()  # their members are bound in Guard's
    groups: list[_Group] = []
    for where, owner in [*modules, *classes]:
        namespace = vars(owner)
        if not isinstance(owner, type):
            keys = tuple(k for k in namespace if isinstance(k, str) and k in names)
        elif any(owner is part for part in parts):
            keys = tuple(k for k in namespace if k[:2] == "__" == k[-2:] and k not in _VOLATILE_KEYS)
        else:
            keys = tuple(k for k in namespace if k not in _VOLATILE_KEYS)
        groups.append(
            _Group(namespace, owner, where, keys, tuple(namespace[k] for k in keys), _size(namespace))
        )
    for name, library in sorted(libraries.items()):
        namespace = vars(library)
        keys = tuple(k for k in sorted(names) if k in namespace and _is_code(namespace[k]))
        if keys:
            groups.append(_Group(namespace, library, name, keys, tuple(namespace[k] for k in keys), None))
    return groups


class IdentityRecord(_State):
    """The recorded identities (`snapshot`) and their checks (`verify`, `restore`): a part of `Guard`."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__()
        code = tuple(g.entry() for g in _guard_code())
        commit(
            self,
            code=code,
            code_flat=flat(code),
            code_sized=tuple((e[0], e[1], e[4]) for e in code if e[4] is not None),
            attrs=_guard_functions(),
        )

    verify = checks.verify
    _full = property(lambda self: state._get_state(self)[state.STABLE][state.GROUPS][0])
    _fast = property(lambda self: state._get_state(self)[state.STABLE][state.GROUPS][1])
    _sized = property(lambda self: state._get_state(self)[state.STABLE][state.GROUPS][2])
    _step_hook_code = field(state.STEP_CODE, stable=True)

    @property
    def _test_names(self) -> frozenset[str] | None:
        return state._get_state(self)[state.STABLE][state.TEST_NAMES]

    @_test_names.setter
    def _test_names(self, names: frozenset[str] | None) -> None:
        commit(self, test_names=names)

    # -- recording ---------------------------------------------------------------------------------
    def snapshot(self, test_names: Iterable[str] | None = None) -> None:
        """Record the identity of every function, class and module the grading relies on, as now.

        The full record is checked after loading and after each test case; the fast one after every
        call into student code. With `test_names` (see `referenced_names`), the fast record of
        torch's and numpy's large namespaces keeps only those names and the dunders, which is what
        the tests can reach between two calls; a patch of anything else is caught by the full check.
        """
        import warnings

        import torch

        names = None if test_names is None else frozenset(test_names)
        warnings.filterwarnings("ignore", category=FutureWarning)
        hook = getattr(torch.optim.Optimizer, "profile_hook_step", None)
        step_code = hook(lambda: None).__code__ if hook is not None else None
        full: list[_Group] = []
        fast: list[_Group] = []
        sized: list[_Group] = []
        seen: set[int] = set()
        core_classes = (torch.Tensor, torch.nn.Module, torch.nn.Parameter)  # recorded below, with their size
        modules = sorted((n, m) for n, m in list(sys.modules.items()) if m is not None and _trusted(n))
        record = (full, fast, sized, names)
        for name, module in modules:
            is_fast = name in _FAST_MODULES
            _record(record, module, name, is_fast)
            for attr, value in list(vars(module).items()):
                if (
                    isinstance(value, type)
                    and value not in core_classes
                    and id(value) not in seen
                    and _trusted(getattr(value, "__module__", "") or "")
                ):
                    seen.add(id(value))
                    _record(record, value, f"{name}.{attr}", attr in _FAST_CLASSES and is_fast)
        for cls in core_classes:
            _record(record, cls, cls.__qualname__, True)
        _record(record, sys.modules, "sys.modules", False, keys=[n for n, _ in modules])
        _record(
            record,
            sys,
            "sys",
            True,
            keys=[
                "modules",
                "meta_path",
                "path_hooks",
                "addaudithook",
                "settrace",
                "setprofile",
                "_getframe",
            ],
        )
        fast_kwd = _kwdefaults(fast)
        full += _kwdefaults(full)
        child = tuple(g.entry() for g in full if _within(g.where, _BETWEEN_CASES))
        recorded = frozenset(object.__hash__(f) for _, f in _python_functions(full))
        commit(
            self,
            fast=tuple(g.entry() for g in fast),
            fast_flat=flat(tuple(g.entry() for g in fast_kwd)),
            fast_kwd=tuple(g.entry() for g in fast_kwd),
            full=tuple(g.entry() for g in full),
            full_flat=flat(tuple(g.entry() for g in full)),
            sized=tuple((g.where, g.namespace, g.size) for g in sized),
            attrs=_guard_functions() + _function_attributes(fast),
            groups=(tuple(full), tuple(fast), tuple(sized)),
            step_code=step_code,
            test_names=names,
            child=child,
            child_flat=flat(child),
            recorded=recorded,
        )

    def restore(self) -> None:
        """Put every recorded attribute back (so the grader can report a tampering it found)."""
        for group in self._full:
            if group.check():
                group.restore()


def _record(record: tuple, owner: Any, where: str, fast: bool, keys: list[str] | None = None) -> None:
    full, fast_groups, sized_groups, names = record
    if isinstance(owner, type) and owner.__flags__ & _IMMUTABLE_TYPE:
        return  # a built-in type (torch.FloatTensor, numpy.ndarray): Python cannot change it
    namespace = owner if isinstance(owner, dict) else vars(owner)
    # Code, not data: libraries legitimately update their own caches and settings.
    chosen = (
        keys
        if keys is not None
        else [
            k
            for k, v in list(namespace.items())
            if isinstance(k, str)
            and (where, k) not in _MUTABLE_ATTRS
            and k not in _VOLATILE_KEYS
            and _is_code(v)
        ]
    )
    if not chosen:
        return
    is_sized = where in ("Tensor", "Module", "Parameter")  # no new dunders on the core classes
    group = _Group(
        namespace,
        owner,
        where,
        tuple(chosen),
        tuple(namespace[k] for k in chosen),
        _size(namespace) if is_sized else None,
    )
    full.append(group)
    narrowed = _narrowed(group, names) if fast else None
    if narrowed is not None:
        fast_groups.append(narrowed)
    if is_sized:
        sized_groups.append(group)


def _narrowed(group: _Group, names: frozenset[str] | None) -> _Group | None:
    if names is None or group.where not in _NARROWED:
        return group
    keep = [i for i, k in enumerate(group.keys) if k in names or (k[:2] == "__" == k[-2:])]
    if not keep:
        return None
    if len(keep) == len(group.keys):
        return group
    return _Group(
        group.namespace,
        group.owner,
        group.where,
        tuple(group.keys[i] for i in keep),
        tuple(group.values[i] for i in keep),
        group.size,
    )


def _python_functions(groups: list[_Group]) -> Iterable[tuple[str, types.FunctionType]]:
    seen: set[int] = set()
    for group in groups:
        for key, value in zip(group.keys, group.values):
            if type(value) is types.FunctionType and id(value) not in seen:
                seen.add(id(value))
                yield f"{group.where}.{key}", value


def _kwdefaults(groups: list[_Group]) -> list[_Group]:
    """The keyword defaults of the groups' Python functions: a dict that can change in place."""
    found = []
    for where, function in _python_functions(groups):
        defaults = function.__kwdefaults__
        if defaults:
            keys = tuple(k for k in defaults if isinstance(k, str))
            values = tuple(defaults[k] for k in keys)
            found.append(_Group(defaults, defaults, f"{where}.__kwdefaults__", keys, values, len(defaults)))
    return found


def _function_attributes(groups: list[_Group]) -> tuple:
    """The code, positional defaults and closure cells of the groups' Python functions."""
    found = []
    for where, function in _python_functions(groups):
        found.append((f"{where}.__code__", function, "__code__", function.__code__))
        found.append((f"{where}.__defaults__", function, "__defaults__", function.__defaults__))
        for name, cell in zip(function.__code__.co_freevars, function.__closure__ or ()):
            try:
                contents = cell.cell_contents
            except ValueError:  # an empty cell: filled later, legitimately
                continue
            if _is_code(contents):
                found.append((f"{where} (its {name})", cell, "cell_contents", contents))
    return tuple(found)


def _guard_functions() -> tuple:
    """The code and defaults of the guard's trusted checks (the audit hook also refuses changing them)."""
    return tuple(
        (f"dl541.guard.core.{f.__name__}.{attr}", f, attr, getattr(f, attr))
        for f in core.TRUSTED
        for attr in ("__code__", "__defaults__")
    )
