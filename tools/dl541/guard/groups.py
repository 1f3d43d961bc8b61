"""groups.py: a recorded group says exactly what changed in its namespace, and puts it back.

A `_Group` holds the identities of some keys of one namespace (a module's, a class's, a function's
keyword defaults) and, where the namespace may gain no name, how many it binds (`_size`, less the
keys Python itself adds while running). The checks read groups as entries (`entry`, at C speed);
`check` names the first key that no longer holds the recorded object, is removed, or the names
added, and `restore` puts every recorded key back using only names bound in this module (the
submission may have replaced the builtins). The identity record (`identities`) and the records of
the classes the guard wraps (`wrapping`) are made of groups.
"""

from __future__ import annotations

import operator
from typing import Any

from .state import VOLATILE_KEYS, entry

#: Keys Python itself adds to module namespaces while running (a warning's registry).
_VOLATILE_KEYS = VOLATILE_KEYS


def _size(namespace: Any) -> int:
    return len(namespace) - sum(1 for key in _VOLATILE_KEYS if key in namespace)


_type, _dict, _zip, _setattr, _issubclass = type, dict, zip, setattr, issubclass


class _Group:
    """The recorded values of some keys of one namespace."""

    __slots__ = ("namespace", "owner", "where", "keys", "values", "size")

    def __init__(
        self, namespace: Any, owner: Any, where: str, keys: tuple, values: tuple, size: int | None
    ) -> None:
        self.namespace, self.owner, self.where = namespace, owner, where
        self.keys, self.values, self.size = keys, values, size

    def entry(self) -> tuple:
        """This group as the checks read it (`state.entry`)."""
        return entry(self.where, self.namespace, self.keys, self.values, self.size)

    def check(self) -> str | None:
        try:
            current = operator.itemgetter(*self.keys)(self.namespace)
        except KeyError:
            missing = next(k for k in self.keys if k not in self.namespace)
            return f"{self.where}.{missing} (removed)"
        current = current if len(self.keys) > 1 else (current,)
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
