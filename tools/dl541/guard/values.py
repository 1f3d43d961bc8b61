"""values.py: a value that crosses from student code into a test is what it claims to be.
`safe_result` hands a value on only when it is made of exact built-in values, exact tensors and
arrays, the libraries' containers of them (followed to `_MAX_NESTING` levels), and objects whose
class (and metaclass) carries no tensor or array hook and binds each value-faking special method,
if at all, to library code (`faking` lists them); callables and iterators that would run student
code come back guarded. Any other value raises TypeError saying what it is, where in its container,
and what to give instead (`faking._Lie.message`). A stand-in for a refused global
(`faking._RefusedValue`) is refused with its own reason.
"""

from __future__ import annotations

import collections
import operator
import types
import weakref
from collections.abc import Callable
from typing import Any

from .faking import (
    _BUILTIN_VALUE_IDS,
    _C_METHODS,
    _FAKING,
    _MODULE_FAKING,
    _PROTOCOL_HOOKS,
    _an_instance,
    _hook_advice,
    _Lie,
    _oid,
    _RefusedValue,
    _within_mro,
)
from .state import VETTED, VOLATILE_KEYS, _State, commit, field
from .student import _IMMUTABLE_TYPE, _type_dict, _type_flags, _type_mro, _type_name, is_student_code

#: How deep `safe_result` follows containers; a value nested deeper (or a cycle) is refused.
_MAX_NESTING = 32
_VIEWS = (type({}.keys()), type({}.values()), type({}.items()), types.MappingProxyType)

#: torch's and numpy's types (`_kinds`): immutable, set once, when the first guard is made.
_Kinds = collections.namedtuple("_Kinds", "plain plain_ids tensor ndarray generic module")
_K: Any = None


def _kinds() -> Any:
    global _K
    if _K is None:
        import numpy
        import torch

        plain = {bool, int, float, complex, str, bytes, bytearray, type(None), type(...)}
        plain |= {type(NotImplemented), torch.Tensor, torch.nn.Parameter, torch.Size, torch.device}
        plain |= {torch.dtype, torch.Generator, torch.layout, torch.memory_format, numpy.dtype}
        _K = _Kinds(
            plain=frozenset(plain),
            plain_ids=frozenset(map(_oid, plain)),
            tensor=torch.Tensor,
            ndarray=numpy.ndarray,
            generic=numpy.generic,
            module=torch.nn.Module,
        )
    return _K


def _library_subclass(cls: type, base: type) -> bool:
    """The libraries' own subclasses of built-in values that are written in Python."""
    if cls is collections.Counter:
        return True
    namespace = _type_dict(cls)
    bases = type.__dict__["__bases__"].__get__(cls)
    return (  # a namedtuple (its own methods are checked like any class's; it is rebuilt by tuple's)
        base is tuple
        and len(bases) == 1
        and bases[0] is tuple
        and type(namespace.get("_fields")) is tuple
        and type(namespace.get("_make")) is classmethod
    )


def _instance_dict(value: Any, mro: tuple) -> dict | Any:
    """The instance's attributes ({} without any), or None when its class replaced `__dict__`."""
    for klass in mro:
        descriptor = _type_dict(klass).get("__dict__")
        if descriptor is not None:
            return descriptor.__get__(value) if type(descriptor) is types.GetSetDescriptorType else None
    return {}


def _counter(cls: type, pairs: list) -> Any:
    """A Counter of `pairs`, filled by dict's own methods (never by a Counter's `__init__`)."""
    counter = dict.__new__(cls)
    dict.update(counter, pairs)
    return counter


class ValueRule(_State):
    """The value rule (`safe_result`): a part of `Guard`, which composes it with `Wrapping`."""

    __slots__ = ()

    # Of `Wrapping` (wrapping.py): which callables are our wrappers, and how student code gets guarded.
    wrap: Callable[..., Callable]
    _unwrap: Callable[[Any], Any]
    _guard_class: Callable[[type], None]
    _guarded_iterator: Callable[[Any], Any]
    _carries_student_code: Callable[..., bool]

    def __init__(self) -> None:
        super().__init__()
        commit(self, plain_ids=_kinds().plain_ids)

    def safe_result(self, value: Any, what: str = "the submission") -> Any:
        """`value`, fit to hand to a test, or TypeError saying what `what` returned and what to return.

        A value from student code must be what it claims to be, since a test compares it with
        `==`, `torch.allclose`, `isinstance`, `len`, ... The rule:

        - exact built-in values pass: bool, int, float, complex, str, bytes, bytearray, None (no
          subclass of these: its `__eq__` could say anything); exact `torch.Tensor` and
          `nn.Parameter`; exact `numpy.ndarray` (not of dtype object) and numpy's own scalars;
          torch.Size, device, dtype, Generator;
        - containers are followed (list, tuple, dict keys and values, set, frozenset, and the
          libraries' own: OrderedDict, defaultdict with its factory, Counter, deque, namedtuples,
          structseqs such as torch.return_types) to `_MAX_NESTING` levels; deeper is refused;
        - any other object is refused when its class (or metaclass) carries a tensor or array hook
          (`_PROTOCOL_HOOKS`: `__torch_function__`, `__array__`, ...) or its instance does, and
          when a Python class in its MRO binds a value-faking special method (`_FAKING`:
          comparisons, `__hash__`, `__bool__`, conversions, arithmetic, `__getattr__`,
          `__class__`, and for objects that are not an nn.Module `__len__`, `__iter__`,
          `__getitem__`, ...) to anything but a function that is not student code (what
          `@dataclass` or `functools.total_ordering` generate), C's own method of that name, or
          None. The student's normalizers, nn.Modules and library objects pass; their classes,
          and any new student class met here, are guarded (`_guard_class`);
        - callables that run student code (its functions, `functools.partial` of them, functions
          decorated by a library such as `@torch.no_grad()` or `@functools.cache`, bound methods)
          are wrapped with `wrap`, and iterators (generators, map, ...) come back as iterators
          whose items are vetted, so that none of it runs unguarded; weakref proxies are refused.
        """
        if _oid(type(value)) in (_K or _kinds()).plain_ids:  # the common case, at C speed
            return value
        self._vetting = what
        try:
            return self._vet(value, 0)
        except _Lie as lie:
            raise TypeError(lie.message(f"{what} returned", "return", value)) from None

    _vetted = field(VETTED)

    def _remember_class(self, cls: type) -> None:
        """Remember what handing on an instance of `cls` depended on (`calls._known` checks it)."""
        if _type_flags(cls) & _IMMUTABLE_TYPE or issubclass(cls, type) or _oid(cls) in self._vetted:
            return
        mro = _type_mro(cls)
        if any(_oid(klass) in _BUILTIN_VALUE_IDS for klass in mro):
            return  # rebuilt when its items are (a namedtuple, a Counter)
        descriptor = next((_type_dict(k)["__dict__"] for k in mro if "__dict__" in _type_dict(k)), None)
        if descriptor is not None and type(descriptor) is not types.GetSetDescriptorType:
            return
        names = _FAKING | _PROTOCOL_HOOKS | {"__dict__"}
        parts, functions = [], []
        meta = type(cls)
        for klass in (*mro, *_type_mro(meta)):
            if klass is object or klass is type or _type_flags(klass) & _IMMUTABLE_TYPE:
                continue
            namespace = _type_dict(klass)
            keys = tuple(sorted(k for k in list(namespace) if type(k) is str and k in names))
            values = tuple(namespace[k] for k in keys)
            getter = (
                (operator.itemgetter(*keys) if len(keys) > 1 else operator.itemgetter(keys[0], keys[0]))
                if keys
                else None
            )
            parts.append(
                (namespace, len(namespace) - sum(k in namespace for k in VOLATILE_KEYS), getter, values)
            )
            for value in values:
                for function in (value, self._unwrap(value)):
                    if type(function) is types.FunctionType:
                        functions.append((function, function.__code__))
        entry = (cls, mro, meta, tuple(parts), tuple(functions), descriptor, tuple(sorted(_PROTOCOL_HOOKS)))
        commit(self, vetted=types.MappingProxyType({**self._vetted, _oid(cls): entry}))

    def _vet(self, value: Any, depth: int) -> Any:
        kinds = _K
        cls = type(value)
        if _oid(cls) in kinds.plain_ids:
            return value
        if depth >= _MAX_NESTING:
            raise _Lie(f"nested more than {_MAX_NESTING} levels deep", "values nested less deeply")
        if cls is list or cls is tuple or cls is set or cls is frozenset:
            return self._vet_items(value, depth, cls)
        if cls is dict:
            return self._vet_dict(value, depth, dict)
        if _type_flags(cls) & _IMMUTABLE_TYPE:
            return self._vet_library(value, cls, depth)
        return self._vet_object(value, cls, depth)

    def _vet_items(self, items: Any, depth: int, rebuild: Callable) -> Any:
        plain = _K.plain_ids
        if all(map(plain.__contains__, map(_oid, map(type, items)))):
            return items
        vetted = list(items)
        changed = False
        for index, item in enumerate(vetted):
            try:
                new = self._vet(item, depth + 1)
            except _Lie as lie:
                lie.path.append(f"[{index}]")
                raise
            if new is not item:
                vetted[index], changed = new, True
        return rebuild(vetted) if changed else items

    def _vet_dict(self, mapping: Any, depth: int, rebuild: Callable) -> Any:
        plain = _K.plain_ids
        if all(map(plain.__contains__, map(_oid, map(type, mapping)))) and all(
            map(plain.__contains__, map(_oid, map(type, mapping.values())))
        ):
            return mapping
        pairs = list(mapping.items())
        changed = False
        for index, (key, item) in enumerate(pairs):
            try:
                new_key = self._vet(key, depth + 1)
            except _Lie as lie:
                lie.path.append(f"<key {index}>")
                raise
            try:
                new_item = self._vet(item, depth + 1)
            except _Lie as lie:
                lie.path.append(f"[{key!r}]" if type(key) in (str, int) else f"[<key {index}>]")
                raise
            if new_key is not key or new_item is not item:
                pairs[index], changed = (new_key, new_item), True
        return rebuild(pairs) if changed else mapping

    def _vet_library(self, value: Any, cls: type, depth: int) -> Any:
        """A value of a type defined in C (which no submission can define or change)."""
        kinds = _K
        if cls is kinds.ndarray:
            if value.dtype.hasobject:
                raise _Lie("a numpy array of Python objects", "a numpy array of numbers or a tensor")
            return value
        if issubclass(cls, kinds.generic):  # numpy's own scalars: np.float64, np.int64, np.bool_, ...
            return value
        if issubclass(cls, (tuple, list, set, frozenset)):  # torch.return_types, ...
            return self._vet_items(value, depth, cls)
        if cls is collections.defaultdict:
            factory = self._vet(value.default_factory, depth + 1)
            vetted = self._vet_dict(value, depth, lambda pairs: cls(factory, pairs))
            if factory is not value.default_factory and vetted is value:
                vetted = cls(factory, value)
            return vetted
        if issubclass(cls, dict):  # OrderedDict (a state_dict), ...
            return self._vet_dict(value, depth, cls)
        if cls is collections.deque:
            return self._vet_items(value, depth, lambda items: cls(items, value.maxlen))
        if cls is weakref.ProxyType or cls is weakref.CallableProxyType:
            raise _Lie("a weakref proxy", "the value itself")
        if issubclass(cls, type):  # a class: a student one gets its methods guarded
            self._guard_class(value)
            return value
        if cls is types.SimpleNamespace:
            for name, item in list(vars(value).items()):
                try:
                    new = self._vet(item, depth + 1)
                except _Lie as lie:
                    lie.path.append(f".{name}")
                    raise
                if new is not item:
                    setattr(value, name, new)
            return value
        if cls in _VIEWS:
            if self._vet_items(value, depth, list) is not value:
                raise _Lie("a view of a dict that holds functions", "a list or a dict")
            return value
        if hasattr(cls, "__next__"):  # generators, map, zip, ...: each item is vetted
            return self._guarded_iterator(value)
        if callable(value):
            return self.wrap(value) if self._carries_student_code(value) else value
        self._check_hooks(cls)
        return value

    def _vet_object(self, value: Any, cls: type, depth: int) -> Any:
        """A value of a class written in Python: the submission's, or a library's."""
        kinds = _K
        mro = _type_mro(cls)
        if _within_mro(mro, _RefusedValue):
            raise _Lie("", "", whole=_type_dict(cls)["_dl541_reason"])
        if _within_mro(mro, kinds.tensor):
            raise _Lie(f"{_an_instance(cls)}, a subclass of torch.Tensor", "a plain torch.Tensor")
        if _within_mro(mro, kinds.ndarray):
            raise _Lie(f"{_an_instance(cls)}, a subclass of numpy.ndarray", "a plain numpy.ndarray")
        base = next((klass for klass in mro if _oid(klass) in _BUILTIN_VALUE_IDS), None)
        if base is not None and not _library_subclass(cls, base):
            name = _type_name(base)
            raise _Lie(f"{_an_instance(cls)}, a subclass of {name}", f"a plain {name}")
        self._check_class(cls, mro, _within_mro(mro, kinds.module))
        instance_dict = _instance_dict(value, mro)
        if instance_dict is None:
            raise _Lie(f"{_an_instance(cls)}, whose class replaces __dict__", "a plain value")
        if not _PROTOCOL_HOOKS.isdisjoint(instance_dict):
            hook = min(_PROTOCOL_HOOKS.intersection(instance_dict))
            raise _Lie(f"{_an_instance(cls)} that carries {hook}", _hook_advice(hook))
        self._guard_class(cls)
        if issubclass(cls, type):  # the value is a class whose metaclass is written in Python
            self._guard_class(value)
        if base is dict:  # collections.Counter
            return self._vet_dict(value, depth, lambda pairs: _counter(cls, pairs))
        if base is tuple:  # a namedtuple, rebuilt by tuple itself (never by a `_make` of its own)
            return self._vet_items(value, depth, lambda items: tuple.__new__(cls, items))
        return value

    def _check_class(self, cls: type, mro: tuple, is_module: bool) -> None:
        """Refuse a class (with its MRO and metaclass) that carries hooks or value-faking methods."""
        faking = _MODULE_FAKING if is_module else _FAKING
        self._check_hooks(cls, mro)
        for owners, names in ((mro, faking), (_type_mro(type(cls)), _FAKING)):
            for klass in owners:
                if klass is object or klass is type or _type_flags(klass) & _IMMUTABLE_TYPE:
                    continue  # C's own (immutable) types
                namespace = _type_dict(klass)
                if names.isdisjoint(namespace):
                    continue
                for name in sorted(names.intersection(namespace)):
                    if not self._honest_member(namespace[name], name):
                        owner = "" if klass is cls else f" (through {_type_name(klass)})"
                        raise _Lie(
                            f"{_an_instance(cls)}, whose class{owner} defines {name}",
                            f"a plain value, or an object whose class does not define {name}",
                        )

    @staticmethod
    def _check_hooks(cls: type, mro: tuple | None = None) -> None:
        for klass in mro if mro is not None else _type_mro(cls):
            namespace = _type_dict(klass)
            if not _PROTOCOL_HOOKS.isdisjoint(namespace):
                hook = min(_PROTOCOL_HOOKS.intersection(namespace))
                raise _Lie(f"{_an_instance(cls)}, whose class defines {hook}", _hook_advice(hook))

    def _honest_member(self, member: Any, name: str) -> bool:
        """Whether a class binds special method `name` to something that cannot fake a value."""
        member = self._unwrap(member)  # our wrapper: judge what it wraps
        if member is None:
            return True
        kind = type(member)
        if kind is types.FunctionType:
            return not is_student_code(member)  # @dataclass's __eq__, total_ordering's __le__, ...
        pybind = _type_flags(kind) & _IMMUTABLE_TYPE and _type_name(kind) == "instancemethod"
        if kind in _C_METHODS or pybind:  # C's (or pybind11's) own method of that very name
            return getattr(member, "__name__", None) == name
        return False
