"""Support for DL541's Otter test files (shipped beside the tests to students and graders).

- `device()`: the device under test (env `DL541_DEVICE`, default CPU).
- `prop(max_examples)`: hypothesis settings that are deterministic and write no database.
- `run_property(fn)`: run a `@given` function; a failure becomes one AssertionError whose
  message carries the shrunk falsifying example (Otter keeps only the message).
- `for_all(*strategies, examples=25)`: the three above as one decorator: the decorated property
  is checked at once, for examples drawn from `strategies`. `seeds()` draws a torch seed.
- `require(**names)`: fail clearly when the submission does not define a name.
- `tidy(message)`: the message with its floats rounded to 3 significant digits (more only where
  two different values would look alike): `0.44999998807907104` is `0.45`. `run_property` tidies
  every failure message; wrap a plain assertion's message that shows floats in it.

Messages: Otter strips quote characters from both ends of a failure message, so no message
starts or ends with a quote (end a message with `.` or a parenthesis after a quoted value).
"""

from __future__ import annotations

import math
import os
import re
import struct
from collections.abc import Callable
from typing import Any

import torch
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

DEVICE_VARIABLE = "DL541_DEVICE"


def _no_local_constants() -> None:
    # Hypothesis mixes constants mined from "local" modules (whatever non-site-packages code is
    # imported) into its examples. That would make the examples, and so the grades, depend on
    # the machine and on how the grader is installed. Pin the pool to empty: same examples
    # under `otter run`, on Gradescope and in `dl541 grade`.
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - a hypothesis without the feature
        return
    if hasattr(providers, "_get_local_constants") and hasattr(providers, "Constants"):
        empty = providers.Constants()
        providers._get_local_constants = lambda: empty


_no_local_constants()


def device() -> torch.device:
    """The device the tests put their inputs on: CPU unless DL541_DEVICE names another."""
    name = os.environ.get(DEVICE_VARIABLE, "cpu") or "cpu"
    dev = torch.device(name)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(f"{DEVICE_VARIABLE}={name} but CUDA is not available here")
    return dev


def prop(max_examples: int = 25) -> settings:
    """Deterministic hypothesis settings: fixed seed, no example database, no deadline."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=False,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        # No "explain" phase: it reruns a failing test many times to annotate lines, which
        # makes an unfinished submission slow to grade. Shrinking stays: it gives the example.
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
    )


# A float literal in a message (ints, shapes and nan are left alone).
_FLOAT = re.compile(r"(?<![\w.])-?\d+\.\d+(?:[eE][-+]?\d+)?(?![\w.])")


def _digits(literal: str) -> int:
    return len(re.sub(r"[eE].*", "", literal).replace("-", "").replace(".", "").strip("0"))


def _float32(x: float) -> float:
    """`x` rounded to float32 (inf beyond its range): the resolution at which values differ."""
    try:
        return struct.unpack("f", struct.pack("f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def tidy(message: str) -> str:
    """`message` with its floats shortened to 3 significant digits, or to the fewest more that keep
    apart every two values in it that differ in float32 (`0.44999998807907104` becomes `0.45`, but
    `-1.0000004589706868` next to `-1.0` becomes `-1.0000005`). Floats written with 3 digits or
    fewer are left as they are."""
    literals = set(_FLOAT.findall(message))
    long = {lit for lit in literals if _digits(lit) > 3}
    if not long:
        return message
    distinct = len({_float32(float(lit)) for lit in literals})
    for digits in range(3, 18):
        shown = {lit: (f"{float(lit):.{digits}g}" if lit in long else lit) for lit in literals}
        if len({_float32(float(text)) for text in shown.values()}) >= distinct:
            break
    return _FLOAT.sub(lambda match: shown[match.group(0)], message)


def run_property(fn: Callable[[], None]) -> None:
    """Run a hypothesis property; on failure raise AssertionError with the falsifying example.

    The message's floats are shortened (`tidy`); the example's are kept as drawn."""
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - every failure of student code is a failed test
        notes = [n for n in getattr(exc, "__notes__", []) if n.startswith(("Falsifying", "Failing", "Draw"))]
        detail = tidy(str(exc).strip()) or "(no message)"
        what = detail if isinstance(exc, AssertionError) else f"{type(exc).__name__}: {detail}"
        example = "\n".join(notes) if notes else "(no example recorded)"
        raise AssertionError(f"{what}\n{example}") from None


def seeds() -> st.SearchStrategy[int]:
    """Seeds for a `torch.Generator().manual_seed(seed)`: every non-negative 31-bit integer."""
    return st.integers(0, 2**31 - 1)


def for_all(*strategies: st.SearchStrategy, examples: int = 25) -> Callable[[Callable[..., None]], None]:
    """Decorator: check the decorated property now, for `examples` deterministic draws of
    `strategies` (one per argument); a counterexample raises AssertionError naming it.

        @for_all(st.integers(1, 6), seeds(), examples=30)
        def check(width, seed):
            assert ...
    """

    def check_now(fn: Callable[..., None]) -> None:
        run_property(prop(examples)(given(*strategies)(fn)))

    return check_now


def require(**names: Any) -> None:
    """Fail with a clear message for every name the submission does not define."""
    missing = [name for name, value in names.items() if value is None]
    if missing:
        raise AssertionError(
            f"the submission does not define {', '.join(missing)}; "
            "run every cell of the notebook and keep the names of the handout"
        )


def same_device_and_dtype(actual: torch.Tensor, reference: torch.Tensor, what: str) -> None:
    """Assert `actual` is a tensor on `reference`'s device with its dtype."""
    assert isinstance(actual, torch.Tensor), f"{what} should be a torch.Tensor, got {type(actual)}"
    assert actual.device.type == reference.device.type, (
        f"{what} is on {actual.device}, expected {reference.device} (keep the input's device)"
    )
    assert actual.dtype == reference.dtype, f"{what} has dtype {actual.dtype}, expected {reference.dtype}"
