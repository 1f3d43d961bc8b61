"""faking.py: how an object can pass for a value it is not, and how a refusal says so.

What the value rule (`values`) refuses a value for, as data: a subclass of a built-in value type
(`_BUILTIN_VALUES`: its `__eq__`, `__hash__`, ... could say anything), a tensor or array protocol
hook (`_PROTOCOL_HOOKS`), a value-faking special method (`_FAKING`: comparisons, hashing,
conversions, arithmetic, attribute access, `__class__`, and, except on an nn.Module, the container
methods), unless bound to C's own method of that name (`_C_METHODS`). Classes are looked up by
identity (`_oid`, `_within_mro`), never hashed or compared, since a metaclass of the submission's
could run its code inside the check. A refusal (`_Lie`) says what the value is, where in its
container, and what to give instead, with the rule (`_RULE`); a stand-in for a refused global
(`_RefusedValue`) carries its own reason. Nothing here vets a value: `values` and `wrapping` do.
"""

from __future__ import annotations

import types
from typing import Any

from .student import _type_name

_RULE = "values must be exact built-in types, tensors or arrays"
#: The built-in value types: a subclass of one could override what `==`, `hash`, ... say of it.
_BUILTIN_VALUES = (int, float, complex, str, bytes, bytearray, tuple, list, dict, set, frozenset)
#: A class is looked up by identity, never hashed or compared (its metaclass could define `__hash__`
#: or `__eq__`, and run student code inside the checks): by `object.__hash__`, unique for a live object
#: (and, unlike `id`, raising no audit event at each call).
_oid = object.__hash__
_BUILTIN_VALUE_IDS = frozenset(map(_oid, _BUILTIN_VALUES))
#: Hooks by which torch or numpy hand an operation, or a conversion, to the object itself.
_PROTOCOL_HOOKS = frozenset(
    {
        "__torch_function__",
        "__torch_dispatch__",
        "__array_function__",
        "__array_ufunc__",
        "__array__",
        "__array_interface__",
        "__array_struct__",
        "__cuda_array_interface__",
        "__dlpack__",
        "__buffer__",
    }
)
_CONTAINER = frozenset(
    ("__len__", "__length_hint__", "__iter__", "__next__", "__reversed__", "__getitem__", "__contains__")
) | {"__missing__"}
_OPERATORS = tuple("add sub mul matmul truediv floordiv mod divmod pow lshift rshift and xor or".split())
#: Special methods through which an object can pass for a value it is not (an nn.Module may be a
#: container, so it may define the `_CONTAINER` ones).
_MODULE_FAKING = frozenset(
    {
        "__eq__",
        "__ne__",
        "__lt__",
        "__le__",
        "__gt__",
        "__ge__",
        "__hash__",
        "__bool__",
        "__int__",
        "__float__",
        "__complex__",
        "__index__",
        "__round__",
        "__trunc__",
        "__floor__",
        "__ceil__",
        "__abs__",
        "__neg__",
        "__pos__",
        "__invert__",
        "__bytes__",
        "__getattr__",
        "__getattribute__",
        "__class__",
        "__instancecheck__",
        "__subclasscheck__",
        *(f"__{prefix}{op}__" for op in _OPERATORS for prefix in ("", "r", "i")),
    }
)
_FAKING = _MODULE_FAKING | _CONTAINER
#: C's own methods: bound in a class under their own name they do what the C type does.
_C_METHODS = (types.WrapperDescriptorType, types.MethodDescriptorType, types.BuiltinMethodType)


def _within_mro(mro: tuple, cls: type) -> bool:
    """Whether `cls` is in `mro`, by identity (no class of the submission is compared)."""
    for klass in mro:
        if klass is cls:
            return True
    return False


class _Lie(Exception):
    """Raised inside `ValueRule._vet`: what the value is (`what`), what to give instead (`advice`)."""

    def __init__(self, what: str, advice: str, whole: str | None = None) -> None:
        super().__init__(what)
        self.what, self.advice, self.whole = what, advice, whole
        self.path: list[str] = []  # innermost first

    def message(self, subject: str, verb: str, value: Any) -> str:
        if self.whole:
            return self.whole
        what = self.what
        if self.path:
            where = "".join(reversed(self.path))
            where = where if len(where) <= 60 else where[:57] + "..."
            what = f"{_article(type(value))} whose item {where} is {what}"
        return f"{subject} {what}; {verb} {self.advice} ({_RULE})"


def _article(cls: type) -> str:
    name = _type_name(cls)
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _an_instance(cls: type) -> str:
    return f"an instance of {_type_name(cls)}"


def _hook_advice(hook: str) -> str:
    return "a plain torch.Tensor" if "torch" in hook else "a plain torch.Tensor or numpy.ndarray"


class _RefusedValue:
    """Base of the stand-ins for refused globals (`wrapping._refused`)."""

    __slots__ = ()
