"""scope.py: what the identity record covers, and which part of it is checked after every call.

The record (`identities.snapshot`) covers the code (`_is_code`: functions, classes, modules,
descriptors; not data, which libraries legitimately update) of the trusted modules and their
classes (`_trusted`): the parts of torch the tests and grading touch, numpy, hypothesis, otter,
dl541, the standard modules grading uses; not the settings students may legitimately change
(`_MUTABLE_MODULES`, `_MUTABLE_ATTRS`). The fast part, checked after every outermost call into
student code, covers what test code reaches between two calls (`_FAST_MODULES`, `_FAST_CLASSES`),
narrowed in torch's and numpy's large namespaces (`_NARROWED`) to the names the tests' sources
mention (`referenced_names`) and the dunders; what the grading child runs between two test cases
(`_BETWEEN_CASES`) is checked after each. Nothing here checks anything: it says what is recorded.
"""

from __future__ import annotations

import ast
import types
from collections.abc import Iterable
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
    "multiprocessing.connection",  # the grading child's channel to its parent
    "math",
    "operator",
    "functools",
    "itertools",
    "collections",
    "copy",
    "json",
    "json.encoder",
    "json.decoder",
    "json.scanner",
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
#: What the grading child itself runs between two test cases (sandbox.child_main: running a test
#: case and formatting its failure, signing and sending its result): checked after each test case.
_BETWEEN_CASES = (
    "dl541.sandbox",
    "dl541.protocol",
    "json",
    "hmac",
    "hashlib",
    "multiprocessing.connection",
    "enum",
    "otter.test_files",
    "traceback",
)
#: Large namespaces whose fast check covers only the names the tests' source mentions (and dunders).
_NARROWED = ("torch", "torch.nn", "torch.nn.functional", "numpy", "Tensor", "Module", "Parameter")


def _is_code(value: Any) -> bool:
    return callable(value) or isinstance(value, (types.ModuleType, property, staticmethod, classmethod))


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
