"""student.py: whose code is whose. A function is the submission's exactly when its code was compiled
under a name that starts with `STUDENT_FILES` (`<cell ...>`, `<script ...>`: how the grader compiles
a notebook's cells and a script); a class is the submission's when its first function is, or, with no
function, when it was defined in `__main__`. Classes are read through `type`'s own C-level
descriptors (`_type_mro`, `_type_dict`, ...), so no metaclass of the submission can change what the
guard sees of them.
"""

from __future__ import annotations

import types

STUDENT_FILES = ("<cell", "<script")
_IMMUTABLE_TYPE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE

_type_mro = type.__dict__["__mro__"].__get__  # read without any metaclass's __getattribute__
_type_dict = type.__dict__["__dict__"].__get__
_type_flags = type.__dict__["__flags__"].__get__
_type_name = type.__dict__["__qualname__"].__get__


def is_student_code(func: types.FunctionType) -> bool:
    return func.__code__.co_filename.startswith(STUDENT_FILES)


def _defined_by_student(cls: type) -> bool:
    namespace = _type_dict(cls)
    for member in list(namespace.values()):
        if type(member) is types.FunctionType:
            return is_student_code(member)
        if (
            issubclass(type(member), (staticmethod, classmethod))
            and type(member.__func__) is types.FunctionType
        ):
            return is_student_code(member.__func__)
    module = namespace.get("__module__")
    return type(module) is str and module == "__main__"


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
