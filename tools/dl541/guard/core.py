"""core.py: what the guard's checks stand on, which the submission can reach but cannot change unseen.

Student code can reach the guard (a wrapper's code holds it) and anything reachable from it: module
globals, class namespaces, closure cells and an object's slots can all be written without an audit
event. So the checks that decide whether to trust anything else are written to depend on nothing
the submission can rebind:

- no global or builtin is looked up while they run: what they use (builtins, `operator.is_`, the
  slots' C-level descriptors, the other checks) is bound as a positional default, whose tuple
  cannot be replaced (the audit hook refuses it) and holds only objects Python cannot change;
- the guard's own state is four slots (`_State`): `depth`, `problem`, `_vetting` and `_state`, one
  immutable tuple holding the record, what is guarded and how (`STABLE` ... `VETTED`); every
  legitimate change builds a new tuple (`commit`), so a change is seen by identity;
- classes are looked up by `object.__hash__` (unique for a live object), never hashed or compared
  (a metaclass of the submission's could run its code inside a check), nor by `id`, whose audit
  event would call the audit hook at each use;
- a wrapper is a function made from one of two template codes (`gate_codes`) whose constants hold
  the guard and the checks, so neither can be swapped (a wrapper's cells hold only what it wraps
  and its name: rewriting one makes it guard something else, still guarded).

Each outermost call into student code is bracketed by `enter` (which snapshots `_state` and
`problem` into the wrapper's frame, out of reach) and `leave`: any change to the guard's state made
during the call voids the grade before anything else runs; then the fast identity check; and only
when that and the record of the guard's own code (`check_code`) pass does the rest of the guard (its
methods, its modules' globals) run. `seal` and `check_seal` do the same for the grader between test
cases, against a seal held in the grading child's own frame.

This trusted core is four modules, one per job: `state` (the guard's state and the layout of its
tuple), `checks` (the record, the guard's own code and the seal: `verify`, `check_code`, `seal`,
`check_seal`, `tamper`), `calls` (around each outermost call: `enter`, `leave`, `bindings_same`,
`vet`, `refuse`) and this one, which makes the wrappers that hold the guard and the checks in their
code (the gate) and names every check that must look up no global (`TRUSTED`). The grading child
(`sandbox`) and the tests reach the trusted core through this module (`__all__`).
"""

from __future__ import annotations

import types
from typing import Any

from .calls import _known, bindings_same, enter, leave, refuse, vet
from .checks import _changed, _differences, check_code, check_seal, seal, tamper, verify
from .state import (
    _EMPTY,
    _EMPTY_STABLE,
    ENV,
    GATE,
    GROUPS,
    RECORDED,
    STABLE,
    VETTED,
    Tampered,
    _get_depth,
    _get_problem,
    _get_state,
    _set_depth,
    _set_problem,
    commit,
)

#: What the grading child (`sandbox`) and the tests reach through `core`: the gate, the checks, and
#: what of the state they read (the rest of the guard imports from `state`, `checks` and `calls`).
__all__ = [
    "TRUSTED",
    "gate_codes",
    "make_wrapper",
    "is_wrapper",
    "wrapped_by",
    "tamper",
    "verify",
    "check_code",
    "seal",
    "check_seal",
    "bindings_same",
    "enter",
    "leave",
    "vet",
    "refuse",
    "Tampered",
    "commit",
    "_get_state",
    "_get_depth",
    "_set_depth",
    "_get_problem",
    "_set_problem",
    "STABLE",
    "GATE",
    "GROUPS",
    "ENV",
    "VETTED",
    "RECORDED",
    "_EMPTY",
    "_EMPTY_STABLE",
]

# -- the wrappers -----------------------------------------------------------------------------------
_GATE = "<dl541: the gate>"  # in the templates' constants, replaced by each guard's gate


def _templates() -> tuple[types.CodeType, types.CodeType]:
    func = what = guarded = message = None  # the wrappers' cells

    def guarded_(*args, **kwargs):
        guard, get_depth, set_depth, enter, leave, vet, _ = "<dl541: the gate>"
        depth = get_depth(guard)
        snapshot = enter(guard, depth)
        try:
            result = func(*args, **kwargs)
        finally:
            set_depth(guard, depth)  # as it was: a count the call changed is put right
            if snapshot is not None:
                leave(guard, snapshot)
        if snapshot is None:
            return result
        return vet(guard, result, what)

    def refusing_(*args, **kwargs):
        guard, _, _, _, _, _, refuse = "<dl541: the gate>"
        refuse(guard, message)
        return guarded(*args, **kwargs)

    return guarded_.__code__, refusing_.__code__


_TEMPLATES = _templates()
_WRAPPER_GLOBALS: dict = {"__name__": __name__}  # the templates read no global


def gate_codes(guard: Any) -> tuple[types.CodeType, types.CodeType]:
    """This guard's wrapper codes: the templates with the guard, and the functions here, as constants."""
    gate = (guard, _get_depth, _set_depth, enter, leave, vet, refuse)
    return tuple(
        code.replace(co_consts=tuple(gate if c == _GATE else c for c in code.co_consts))
        for code in _TEMPLATES
    )  # type: ignore[return-value]


def make_wrapper(guard: Any, func: Any, what: str, refusing_message: str | None = None) -> Any:
    """A function of this guard's wrapper code around `func` (or, with `refusing_message`, of its
    refusing code around the wrapper `func`)."""
    code = _get_state(guard)[STABLE][GATE][0 if refusing_message is None else 1]
    cells = {"func": func, "what": what, "guarded": func, "message": refusing_message}
    closure = tuple(types.CellType(cells[name]) for name in code.co_freevars)
    return types.FunctionType(code, _WRAPPER_GLOBALS, "guarded", None, closure)


def is_wrapper(guard: Any, obj: Any) -> bool:
    """Whether `obj` is one of this guard's wrappers (by its code, which no one can swap)."""
    if type(obj) is not types.FunctionType:
        return False
    code, gate = obj.__code__, _get_state(guard)[STABLE][GATE]
    return gate is not None and (code is gate[0] or code is gate[1])


def wrapped_by(guard: Any, wrapper: Any) -> Any:
    """What one of this guard's wrappers calls (through a refusing wrapper, to the function)."""
    for _ in range(8):
        if not is_wrapper(guard, wrapper):
            return wrapper
        code = wrapper.__code__
        name = "func" if "func" in code.co_freevars else "guarded"
        wrapper = wrapper.__closure__[code.co_freevars.index(name)].cell_contents
    return wrapper


#: What the checks are (of `checks` and `calls`): they must look up no global (tests/test_guard_core.py).
TRUSTED = (tamper, _differences, _changed, verify, check_code, bindings_same, enter, leave, _known, vet)
TRUSTED += (refuse, seal, check_seal)
