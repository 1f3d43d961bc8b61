"""identities.py: what the grading relies on is what it was when recorded. `snapshot` records the
identity of every code attribute (function, class, module, descriptor) of the trusted modules and
their classes (the parts of torch the tests touch, numpy, hypothesis, otter, dl541, the standard
modules, `sys`'s hooks); `verify` raises `Tampered` naming the first one that is no longer the
recorded object, is removed, or (torch.Tensor, nn.Module, nn.Parameter) has gained attributes, and
remembers it, so every later check raises it again; `verify(fast=True)` checks, at C speed, the part
of the record that test code can reach between two calls into student code; `restore` puts every
recorded attribute back. The one change accepted is torch's own step hook around a recorded `step`.
"""

from __future__ import annotations

import ast
import operator
import sys
import types
from collections.abc import Iterable
from typing import Any

from .student import _IMMUTABLE_TYPE

_TRUSTED_PREFIXES = ("numpy", "hypothesis", "otter", "dl541", "dl541_testing", "sortedcontainers")
#: The parts of torch that tests and grading touch (the rest is compilers, quantisation, ...).
_TRUSTED_TORCH = (
    "torch.nn",
    "torch.optim",
    "torch.autograd",
    "torch.testing",
    "torch.linalg",
    "torch.functional",
    "torch._tensor",
    "torch.overrides",
    "torch.random",
    "torch._utils",
    "torch.types",
    "torch.fft",
    "torch.special",
    "torch.utils.data",
)
_TRUSTED_EXACT = (
    "builtins",
    "math",
    "operator",
    "functools",
    "itertools",
    "collections",
    "copy",
    "json",
    "inspect",
    "types",
    "random",
    "warnings",
    "traceback",
    "signal",
    "os",
    "os.path",
    "io",
    "hmac",
    "hashlib",
    "abc",
    "contextlib",
    "dataclasses",
    "enum",
)
#: Settings students may legitimately change (torch.backends.cudnn.deterministic, ...).
_MUTABLE_MODULES = (
    "torch.backends",
    "torch._dynamo",
    "torch._inductor",
    "torch.utils.backcompat",
    "torch._functorch.config",
    "torch.fx.experimental",
    "torch._subclasses",
)
_MUTABLE_ATTRS = {
    ("sys", "stdout"),
    ("sys", "stderr"),
    ("sys", "stdin"),
    ("torch", "Storage"),  # rebound by torch.set_default_dtype
    ("torch", "manual_seed"),  # rebound by torch itself on first use of some settings
}
_FAST_MODULES = (
    "torch",
    "torch.nn",
    "torch.nn.functional",
    "torch.testing",
    "numpy",
    "math",
    "builtins",
    "hypothesis",
    "dl541_testing",
    "otter.test_files.exception_test",
)
_FAST_CLASSES = ("Tensor", "Generator")
#: Large namespaces whose fast check covers only the names the tests' source mentions (and dunders).
_NARROWED = ("torch", "torch.nn", "torch.nn.functional", "numpy", "Tensor", "Module", "Parameter")
#: Keys Python itself adds to module namespaces while running (a warning's registry).
_VOLATILE_KEYS = ("__warningregistry__", "__slotnames__")


def _is_code(value: Any) -> bool:
    return callable(value) or isinstance(value, (types.ModuleType, property, staticmethod, classmethod))


def _size(namespace: Any) -> int:
    return len(namespace) - sum(1 for key in _VOLATILE_KEYS if key in namespace)


_type, _dict, _zip, _setattr, _issubclass = type, dict, zip, setattr, issubclass


class _Group:
    """The recorded values of some keys of one namespace, checked at C speed."""

    __slots__ = ("namespace", "owner", "where", "keys", "values", "size", "_get")

    def __init__(
        self, namespace: Any, owner: Any, where: str, keys: tuple, values: tuple, size: int | None
    ) -> None:
        self.namespace, self.owner, self.where = namespace, owner, where
        self.keys, self.values, self.size = keys, values, size
        self._get = operator.itemgetter(*keys) if len(keys) > 1 else (lambda ns, k=keys[0]: (ns[k],))

    def check(self) -> str | None:
        try:
            current = self._get(self.namespace)
        except KeyError:
            missing = next(k for k in self.keys if k not in self.namespace)
            return f"{self.where}.{missing} (removed)"
        if all(map(operator.is_, current, self.values)):
            if self.size is None or _size(self.namespace) == self.size:
                return None
            return f"{self.where} (attributes added)"
        key = next(k for k, a, b in zip(self.keys, current, self.values) if a is not b)
        return f"{self.where}.{key}"

    def restore(self) -> None:
        # Only names bound in this module: the submission may have replaced the builtins.
        for key, value in _zip(self.keys, self.values):
            try:
                if _type(self.owner) is _dict:
                    self.owner[key] = value
                elif _issubclass(_type(self.owner), _type):
                    _type.__setattr__(self.owner, key, value)
                else:
                    _setattr(self.owner, key, value)
            except (TypeError, AttributeError):
                continue


class Tampered(BaseException):
    """Raised at a check that finds the grading environment changed by the submission."""


def referenced_names(sources: Iterable[str]) -> set[str]:
    """Every identifier the given Python sources mention: names, attributes, imported names."""
    names: set[str] = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.alias):
                names.update(node.name.split("."))
    return names


def _within(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _trusted(name: str) -> bool:
    if _within(name, _MUTABLE_MODULES) or _within(name, ("torch.testing._internal",)):
        return False
    return name in _TRUSTED_EXACT or name == "torch" or _within(name, _TRUSTED_PREFIXES + _TRUSTED_TORCH)


class IdentityRecord:
    """The recorded identities (`snapshot`) and their checks (`verify`, `restore`): a part of `Guard`."""

    def __init__(self) -> None:
        super().__init__()
        self.problem: str | None = None  # the first change found: every later check raises it again
        self._full: list[_Group] = []
        self._fast: list[_Group] = []
        self._sized: list[_Group] = []
        self._flat_cache: dict[str, tuple] = {}
        self._step_hook_code: Any = None
        self._test_names: frozenset[str] | None = None

    # -- recording ---------------------------------------------------------------------------------
    def snapshot(self, test_names: Iterable[str] | None = None) -> None:
        """Record the identity of every function, class and module the grading relies on, as now.

        The full record is checked after loading and after each question; the fast one after every
        call into student code. With `test_names` (see `referenced_names`), the fast record of
        torch's and numpy's large namespaces keeps only those names and the dunders, which is what
        the tests can reach between two calls; a patch of anything else is caught by the full check.
        """
        import warnings

        import torch

        self._test_names = None if test_names is None else frozenset(test_names)

        warnings.filterwarnings("ignore", category=FutureWarning)
        hook = getattr(torch.optim.Optimizer, "profile_hook_step", None)
        self._step_hook_code = hook(lambda: None).__code__ if hook is not None else None
        seen: set[int] = set()
        core = (torch.Tensor, torch.nn.Module, torch.nn.Parameter)  # recorded below, with their size
        modules = sorted((n, m) for n, m in list(sys.modules.items()) if m is not None and _trusted(n))
        for name, module in modules:
            fast = name in _FAST_MODULES
            self._record(module, name, fast)
            for attr, value in list(vars(module).items()):
                if (
                    isinstance(value, type)
                    and value not in core
                    and id(value) not in seen
                    and _trusted(getattr(value, "__module__", "") or "")
                ):
                    seen.add(id(value))
                    self._record(value, f"{name}.{attr}", attr in _FAST_CLASSES and fast)
        for cls in core:
            self._record(cls, cls.__qualname__, True)
        self._record(sys.modules, "sys.modules", False, keys=[n for n, _ in modules])
        self._record(
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

    def restore(self) -> None:
        """Put every recorded attribute back (so the grader can report a tampering it found)."""
        for group in self._full:
            if group.check():
                group.restore()

    def _record(self, owner: Any, where: str, fast: bool, keys: list[str] | None = None) -> None:
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
        sized = where in ("Tensor", "Module", "Parameter")  # no new dunders on the core classes
        group = _Group(
            namespace,
            owner,
            where,
            tuple(chosen),
            tuple(namespace[k] for k in chosen),
            _size(namespace) if sized else None,
        )
        self._full.append(group)
        narrowed = self._narrowed(group) if fast else None
        if narrowed is not None:
            self._fast.append(narrowed)
        if sized:
            self._sized.append(group)
        self._flat_cache.clear()

    def _narrowed(self, group: _Group) -> _Group | None:
        names = self._test_names
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

    # -- checking ----------------------------------------------------------------------------------
    def verify(self, fast: bool = False) -> None:
        """Raise Tampered naming the first changed attribute (and remember it)."""
        if self.problem:
            raise Tampered(self.problem)
        if fast:  # a few large groups: one itemgetter each
            same = not any(group.check() for group in self._fast)
        else:  # thousands of small groups: one flat pass
            flat = self._flat()
            try:
                same = all(map(operator.is_, map(operator.getitem, flat[0], flat[1]), flat[2]))
            except KeyError:
                same = False
        if same and all(_size(g.namespace) == g.size for g in self._sized):
            return
        for group in self._fast if fast else self._full:  # slow path: name the culprit
            problem = group.check()
            if problem and self._accept_torch_step_hook(group):
                problem = group.check()
            if problem:
                self.problem = f"the submission changed {problem}"
                raise Tampered(self.problem)

    def _accept_torch_step_hook(self, group: _Group) -> bool:
        """torch wraps an optimizer class's `step` on the class's first use: that change is torch's.

        Accepted only when the new `step` is torch's own wrapper (its code object) around the
        recorded original; a submission cannot make that object wrap anything else.
        """
        if self._step_hook_code is None or "step" not in group.keys:
            return False
        index = group.keys.index("step")
        original, current = group.values[index], group.namespace.get("step")
        if getattr(current, "__code__", None) is not self._step_hook_code:
            return False
        if getattr(current, "__wrapped__", None) is not original:
            return False
        values = list(group.values)
        values[index] = current
        group.values = tuple(values)
        self._flat_cache.clear()
        return True

    def _flat(self) -> tuple[tuple, tuple, tuple]:
        # One C-level pass over every recorded (namespace, key, value), not a Python loop.
        cached = self._flat_cache.get("full")
        if cached is None:
            groups = self._full
            cached = (
                tuple(g.namespace for g in groups for _ in g.keys),
                tuple(k for g in groups for k in g.keys),
                tuple(v for g in groups for v in g.values),
            )
            self._flat_cache["full"] = cached
        return cached
