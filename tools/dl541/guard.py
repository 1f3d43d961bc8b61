"""Python-level integrity of a grading child: nothing a submission patches can pass a test.

Before student code runs, the guard records the identity of every attribute of the modules
and classes that the tests and the grader rely on (torch, numpy, hypothesis, otter, dl541,
builtins, ...). Every entry point into student code that the tests can call (its functions,
the methods of its classes, callables it returns) is wrapped. The whole record is checked after
loading and after each question (a change voids the grade); after each outermost call and each
test, the part of it that test code reaches between two calls (the names the tests mention, in
torch's and numpy's large namespaces) is checked too, so a patch is seen while it is live. An
audit hook, which cannot be removed, refuses frame, gc, ctypes and tracing introspection
while student code runs, so the grader's own state (its pipe key, the tests' expected values)
is out of reach.

A value that crosses from student code into a test (what an outermost call returns, a global
the tests read) must be what it claims to be: exact built-in values, exact tensors and arrays,
containers of them, and objects whose class fakes no value (`Guard.safe_result` states the
rule). A refused value fails the tests that use it, with a message that says what to return.
The wrappers, and the namespace and classes they sit in, are checked after each outermost call:
a rebound global or method is guarded again, a rewritten wrapper voids the grade.
"""

from __future__ import annotations

import ast
import collections
import functools
import operator
import sys
import types
import weakref
from collections.abc import Callable, Iterable
from typing import Any

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
_IMMUTABLE_TYPE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE
#: Keys Python itself adds to module namespaces while running (a warning's registry).
_VOLATILE_KEYS = ("__warningregistry__", "__slotnames__")


def _is_code(value: Any) -> bool:
    return callable(value) or isinstance(value, (types.ModuleType, property, staticmethod, classmethod))


def _size(namespace: Any) -> int:
    return len(namespace) - sum(1 for key in _VOLATILE_KEYS if key in namespace)


STUDENT_FILES = ("<cell", "<script")


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


class Guard:
    """The recorded identities, and the counter of how deep inside student code we are."""

    def __init__(self) -> None:
        self.depth = 0
        self.problem: str | None = None
        self._full: list[_Group] = []
        self._fast: list[_Group] = []
        self._sized: list[_Group] = []
        self._flat_cache: dict[str, tuple] = {}
        self._step_hook_code: Any = None
        self._test_names: frozenset[str] | None = None
        # value vetting (safe_result, guard_namespace): id -> (wrapper, what it wraps), kept alive
        # so that no id is reused; classes guarded so far; the namespace the tests read.
        self._wrappers: dict[int, tuple[Callable, Any]] = {}
        self._guarded_classes: dict[int, type] = {}
        self._env: dict | None = None
        self._env_values: tuple = ()
        self._pins: list[tuple[Any, str, Any, type | None]] = []  # see `_pin`
        self._pin_table: tuple | None = None
        self._pinned: set[int] = set()
        self._class_records: dict[int, _Group] = {}
        self._vetting = "the submission"  # what the value being vetted came from

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

    # -- wrapping student entry points -------------------------------------------------------------
    def wrap(self, func: Callable, name: str | None = None) -> Callable:
        """`func` guarded: checks around each outermost call, results vetted by `safe_result`.

        `name` (by default the function's qualified name) is what a refusal says returned the value.
        A wrapper is recognised by identity (`_wrappers`), not by an attribute a submission could set.
        """
        if id(func) in self._wrappers:
            return func
        what = name or _callable_name(func)

        @functools.wraps(func)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            # Checked after the call (not before): guarded code that patches is seen on its way
            # out; anything else that patches is seen after the next guarded call or question.
            # The guard is read into a local first: the call may rewrite this closure's cells.
            guard, name = self, what
            outermost = guard.depth == 0
            guard.depth += 1
            try:
                result = func(*args, **kwargs)
            finally:
                guard.depth -= 1
                if outermost:  # even when it raised: what it rebound or disarmed is seen now
                    guard._check_bindings()
            if outermost:
                guard.verify(fast=True)
                result = guard.safe_result(result, name)
            return result

        guarded.__dl541_guarded__ = True  # type: ignore[attr-defined]
        self._wrappers[id(guarded)] = (guarded, func)
        return guarded

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
        if type(value) in (_K or _kinds()).plain:  # the common case, at C speed
            return value
        self._vetting = what
        try:
            return self._vet(value, 0)
        except _Lie as lie:
            raise TypeError(lie.message(f"{what} returned", "return", value)) from None

    def _vet(self, value: Any, depth: int) -> Any:
        kinds = _K
        cls = type(value)
        if cls in kinds.plain:
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
        plain = _K.plain
        if all(map(plain.__contains__, map(type, items))):
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
        plain = _K.plain
        if all(map(plain.__contains__, map(type, mapping))) and all(
            map(plain.__contains__, map(type, mapping.values()))
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
        if _RefusedValue in mro:
            raise _Lie("", "", whole=_type_dict(cls)["_dl541_reason"])
        if kinds.tensor in mro:
            raise _Lie(f"{_an_instance(cls)}, a subclass of torch.Tensor", "a plain torch.Tensor")
        if kinds.ndarray in mro:
            raise _Lie(f"{_an_instance(cls)}, a subclass of numpy.ndarray", "a plain numpy.ndarray")
        base = next((klass for klass in mro if klass in _BUILTIN_VALUES), None)
        if base is not None and not _library_subclass(cls, base):
            name = _type_name(base)
            raise _Lie(f"{_an_instance(cls)}, a subclass of {name}", f"a plain {name}")
        self._check_class(cls, mro, kinds.module in mro)
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
            return self._vet_dict(value, depth, lambda pairs: cls(dict(pairs)))
        if base is tuple:  # a namedtuple
            return self._vet_items(value, depth, _type_dict(cls)["_make"].__get__(None, cls))
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
        while id(member) in self._wrappers:  # our wrapper: judge what it wraps
            member = self._wrappers[id(member)][1]
        if member is None:
            return True
        kind = type(member)
        if kind is types.FunctionType:
            return not is_student_code(member)  # @dataclass's __eq__, total_ordering's __le__, ...
        pybind = _type_flags(kind) & _IMMUTABLE_TYPE and _type_name(kind) == "instancemethod"
        if kind in _C_METHODS or pybind:  # C's (or pybind11's) own method of that very name
            return getattr(member, "__name__", None) == name
        return False

    def _carries_student_code(self, obj: Any, depth: int = 0) -> bool:
        """Whether calling `obj` would run student code outside a guard (a library decorator's
        closure, a partial, a bound method, an lru_cache, ...)."""
        if depth > 4 or id(obj) in self._wrappers:
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
            if kind is types.FunctionType:
                if self._carries_student_code(value):
                    env[name] = self.wrap(value, str(name))  # named as the tests call it
                    self._pin_wrapper(env[name])
            elif issubclass(kind, type):
                self._guard_class(value)
            elif kind is types.ModuleType or kind in kinds.plain or not isinstance(name, str):
                continue
            elif _RefusedValue in _type_mro(kind):  # refused already
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
        self._env, self._env_values = env, tuple(env.values())

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
            self._guarded_classes[id(klass)] = klass
            self._guard_members(klass)

    def _guard_members(self, klass: type) -> None:
        everything = _defined_by_student(klass)
        if not everything and not _has_student_code(klass):
            return
        faking = (_MODULE_FAKING if _kinds().module in _type_mro(klass) else _FAKING) | _PROTOCOL_HOOKS
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
                if id(part) in self._wrappers:
                    self._pin_wrapper(part)
        values = tuple(namespace[k] for k in keys)
        record = _Group(namespace, klass, _type_name(klass), tuple(keys), values, _size(namespace))
        self._class_records[id(klass)] = record

    # -- the integrity of the guarding -------------------------------------------------------------
    def _pin(self, obj: Any, attr: str, owner: type | None) -> None:
        """Remember `obj.attr` as it is now; `_check_bindings` sees a change (owner: what to re-guard)."""
        self._pins.append((obj, attr, getattr(obj, attr), owner))
        self._pin_table = None

    def _pin_wrapper(self, wrapper: Any) -> None:
        """Pin a wrapper's code and closure: student code that rewrites them would call itself unguarded."""
        if id(wrapper) in self._pinned or type(wrapper) is not types.FunctionType:
            return
        self._pinned.add(id(wrapper))
        self._pin(wrapper, "__code__", None)
        for cell in wrapper.__closure__ or ():
            self._pin(cell, "cell_contents", None)
            if id(cell.cell_contents) in self._wrappers:  # the guarded function inside `refusing`
                self._pin_wrapper(cell.cell_contents)

    def _check_bindings(self) -> None:
        """After an outermost call: re-guard a rebound global or class member; a disarmed wrapper voids."""
        table = self._pin_table
        if table is None:
            table = self._pin_table = tuple(zip(*self._pins)) if self._pins else ((), (), (), ())
        objects, attrs, values, _ = table
        try:
            pinned = all(map(operator.is_, map(getattr, objects, attrs), values))
        except (AttributeError, ValueError):  # an emptied cell
            pinned = False
        classes = self._class_records
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
                self.problem = "the submission changed the wrapper that guards one of its functions"
                raise Tampered(self.problem)
            changed[id(owner)] = owner
        for owner in changed.values():  # guard it again, as it is now
            self._pins = [pin for pin in self._pins if pin[3] is not owner]
            self._pin_table = None
            classes.pop(id(owner), None)
            self._guard_members(owner)
        self._check_bindings()

    def _wrap_member(self, member: Any, everything: bool = True, refused: str | None = None) -> Any:
        """The guarded replacement of a plain function member, or None. Descriptors (staticmethod,
        classmethod, property, cached_property) are guarded in place, since `type.__setattr__`
        cannot rebind every name (`__class__`)."""

        def one(func: Any) -> Any:
            if type(func) is not types.FunctionType or id(func) in self._wrappers:
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

        @functools.wraps(func)
        def refusing(*args: Any, **kwargs: Any) -> Any:
            if self.depth == 0:
                raise TypeError(message)
            return guarded(*args, **kwargs)

        self._wrappers[id(refusing)] = (refusing, func)
        return refusing

    # -- the audit hook ----------------------------------------------------------------------------
    def install_audit_hook(self, allowed_fds: Iterable[int] = (0, 1, 2)) -> None:
        """Refuse introspection and escape hatches to student code (irrevocably installed).

        Introspection is refused only when student code asks for it directly (or through
        `inspect`/`traceback` helpers that hand frames back): the libraries it calls may use
        frames for their own work (`namedtuple`, `enum`, `warnings`, tracebacks).
        """
        from .confine import one_process_rule

        fds = set(allowed_fds)
        always = {
            "sys.addaudithook",
            "sys._current_frames",
            "os.kill",
            "os.killpg",
            "socket.__new__",
            "socket.connect",
            "socket.bind",
        }
        # New processes and threads (which seccomp refuses anyway): refused saying what to change,
        # and with the exception the failure itself would raise, so that a library which falls back
        # when it cannot start a program (matplotlib's fc-list) or a thread (tqdm's monitor) still does.
        processes = (
            "os.fork",
            "os.forkpty",
            "os.system",
            "os.posix_spawn",
            "os.exec",
            "os.spawn",
            "subprocess.Popen",
            "_posixsubprocess.fork_exec",
            "pty.spawn",
        )
        refused: dict[str, tuple[type[Exception], str]] = {
            event: (RuntimeError, f"{event} is not allowed while grading") for event in always
        }
        refused.update((event, (PermissionError, one_process_rule(event))) for event in processes)
        thread = (RuntimeError, one_process_rule("starting a thread (threading.Thread)"))
        for event in ("_thread.start_new_thread", "_thread.start_joinable_thread"):  # in newer Pythons
            refused[event] = thread
        introspection = {
            "sys._getframe",
            "sys._getframemodulename",
            "sys.settrace",
            "sys.setprofile",
            "gc.get_objects",
            "gc.get_referrers",
            "gc.get_referents",
        }
        frame_attrs = {"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_back"}
        busy = [False]

        def sensitive(event: str, args: tuple) -> bool:
            if event in introspection or event.startswith("ctypes."):
                return True
            if event == "object.__getattr__":
                return len(args) > 1 and args[1] in frame_attrs
            return event == "open" and bool(args) and isinstance(args[0], int) and args[0] not in fds

        def hook(event: str, args: tuple) -> None:
            refusal = refused.get(event)
            if refusal is not None:
                raise refusal[0](refusal[1])
            if not self.depth or busy[0] or not sensitive(event, args):
                return
            busy[0] = True
            try:
                culprit = _asked_by_student(sys._getframe(1))
            finally:
                busy[0] = False
            if culprit:
                what = f"reading .{args[1]}" if event == "object.__getattr__" else event
                raise RuntimeError(f"{what} is not allowed while grading")

        sys.addaudithook(hook)


_FRAME_HELPERS = ("inspect.py", "traceback.py")


def _asked_by_student(frame: Any) -> bool:
    """Whether the code that raised an audit event is student code, or a frame helper it called."""
    if frame is None:
        return False
    name = frame.f_code.co_filename
    if name.startswith(STUDENT_FILES):
        return True
    if name.endswith(_FRAME_HELPERS):  # inspect.currentframe(), traceback.walk_tb(): frames handed back
        caller = frame.f_back
        return caller is not None and caller.f_code.co_filename.startswith(STUDENT_FILES)
    return False


def is_student_code(func: types.FunctionType) -> bool:
    return func.__code__.co_filename.startswith(STUDENT_FILES)


def _defined_by_student(cls: type) -> bool:
    for member in vars(cls).values():
        if isinstance(member, types.FunctionType):
            return is_student_code(member)
        if isinstance(member, (staticmethod, classmethod)) and isinstance(
            member.__func__, types.FunctionType
        ):
            return is_student_code(member.__func__)
    return cls.__module__ == "__main__"


def _has_student_code(cls: type) -> bool:
    for member in list(_type_dict(cls).values()):
        kind = type(member)
        if issubclass(kind, (staticmethod, classmethod)):
            member = member.__func__
        elif kind is property:
            member = member.fget
        if type(member) is types.FunctionType and is_student_code(member):
            return True
    return False


# -- value vetting (Guard.safe_result, Guard.guard_namespace) -------------------------------------

#: How deep `safe_result` follows containers; a value nested deeper (or a cycle) is refused.
_MAX_NESTING = 32
_RULE = "values must be exact built-in types, tensors or arrays"
#: The built-in value types: a subclass of one could override what `==`, `hash`, ... say of it.
_BUILTIN_VALUES = frozenset({int, float, complex, str, bytes, bytearray, tuple, list, dict, set, frozenset})
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
_OPERATORS = "add sub mul matmul truediv floordiv mod divmod pow lshift rshift and xor or".split()
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
_VIEWS = (type({}.keys()), type({}.values()), type({}.items()), types.MappingProxyType)

_type_mro = type.__dict__["__mro__"].__get__  # read without any metaclass's __getattribute__
_type_dict = type.__dict__["__dict__"].__get__
_type_flags = type.__dict__["__flags__"].__get__
_type_name = type.__dict__["__qualname__"].__get__

#: torch's and numpy's types, looked up on the first vetting (`_kinds`).
_K: Any = None


def _kinds() -> Any:
    global _K
    if _K is None:
        import numpy
        import torch

        plain = {bool, int, float, complex, str, bytes, bytearray, type(None), type(...)}
        plain |= {type(NotImplemented), torch.Tensor, torch.nn.Parameter, torch.Size, torch.device}
        plain |= {torch.dtype, torch.Generator, torch.layout, torch.memory_format, numpy.dtype}
        _K = types.SimpleNamespace(
            plain=frozenset(plain),
            tensor=torch.Tensor,
            ndarray=numpy.ndarray,
            generic=numpy.generic,
            module=torch.nn.Module,
        )
    return _K


class _Lie(Exception):
    """Raised inside `Guard._vet`: what the value is (`what`), what to give instead (`advice`)."""

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


def _library_subclass(cls: type, base: type) -> bool:
    """The libraries' own subclasses of built-in values that are written in Python."""
    if cls is collections.Counter:
        return True
    namespace = _type_dict(cls)
    return (  # a namedtuple (its own methods are checked like any class's)
        base is tuple
        and type.__dict__["__bases__"].__get__(cls) == (tuple,)
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


class _RefusedValue:
    """Base of the stand-ins for refused globals (see `_refused`)."""

    __slots__ = ()


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
