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
"""

from __future__ import annotations

import ast
import functools
import operator
import sys
import types
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
    def wrap(self, func: Callable) -> Callable:
        """`func` guarded: checks around each outermost call, results made safe to hand to a test."""
        if getattr(func, "__dl541_guarded__", False):
            return func

        @functools.wraps(func)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            # Checked after the call (not before): guarded code that patches is seen on its way
            # out; anything else that patches is seen after the next guarded call or question.
            outermost = self.depth == 0
            self.depth += 1
            try:
                result = func(*args, **kwargs)
            finally:
                self.depth -= 1
            if outermost:
                self.verify(fast=True)
                result = self.safe_result(result)
            return result

        guarded.__dl541_guarded__ = True  # type: ignore[attr-defined]
        return guarded

    def safe_result(self, value: Any, depth: int = 0) -> Any:
        """Refuse tensor subclasses (their hooks would run student code inside the test); wrap callables."""
        import torch

        if isinstance(value, torch.Tensor):
            if type(value) not in (torch.Tensor, torch.nn.Parameter):
                raise TypeError(
                    f"the submission returned a {type(value).__name__}, a subclass of torch.Tensor; "
                    "return plain tensors"
                )
            return value
        if isinstance(value, types.FunctionType) and is_student_code(value):
            return self.wrap(value)
        if depth < 3 and isinstance(value, (list, tuple)) and type(value) in (list, tuple):
            items = [self.safe_result(v, depth + 1) for v in value]
            return type(value)(items)
        if depth < 3 and type(value) is dict:
            return {k: self.safe_result(v, depth + 1) for k, v in value.items()}
        return value

    def guard_namespace(self, env: dict) -> None:
        """Wrap the submission's functions and the methods of its classes, in place."""
        for name, value in list(env.items()):
            if isinstance(value, types.FunctionType) and is_student_code(value):
                env[name] = self.wrap(value)
            elif isinstance(value, type) and _defined_by_student(value):
                self._guard_class(value)

    def _guard_class(self, cls: type) -> None:
        for klass in cls.__mro__:
            if not _defined_by_student(klass):
                continue
            for attr, member in list(vars(klass).items()):
                wrapped = self._wrap_member(member)
                if wrapped is not None:
                    setattr(klass, attr, wrapped)

    def _wrap_member(self, member: Any) -> Any:
        if isinstance(member, types.FunctionType):
            return self.wrap(member)
        if isinstance(member, staticmethod) and isinstance(member.__func__, types.FunctionType):
            return staticmethod(self.wrap(member.__func__))
        if isinstance(member, classmethod) and isinstance(member.__func__, types.FunctionType):
            return classmethod(self.wrap(member.__func__))
        if isinstance(member, property):
            return property(
                *(self.wrap(f) if f else None for f in (member.fget, member.fset, member.fdel)),
                member.__doc__,
            )
        return None

    # -- the audit hook ----------------------------------------------------------------------------
    def install_audit_hook(self, allowed_fds: Iterable[int] = (0, 1, 2)) -> None:
        """Refuse introspection and escape hatches to student code (irrevocably installed).

        Introspection is refused only when student code asks for it directly (or through
        `inspect`/`traceback` helpers that hand frames back): the libraries it calls may use
        frames for their own work (`namedtuple`, `enum`, `warnings`, tracebacks).
        """
        fds = set(allowed_fds)
        always = {
            "sys.addaudithook",
            "sys._current_frames",
            "os.kill",
            "os.killpg",
            "os.fork",
            "os.forkpty",
            "os.system",
            "os.posix_spawn",
            "os.exec",
            "os.spawn",
            "subprocess.Popen",
            "_posixsubprocess.fork_exec",
            "pty.spawn",
            "socket.__new__",
            "socket.connect",
            "socket.bind",
        }
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
            if event in always:
                raise RuntimeError(f"{event} is not allowed while grading")
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
