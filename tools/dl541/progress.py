"""Progress of a grading run: done, not ok, time left, and the submission that is taking long.

On a terminal it is a bar; without one (output redirected, a batch job) it prints a plain line
at least every `every` seconds, so a long run never looks stuck.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm

from .records import Record
from .status import Status

#: A submission running longer than this is named in the progress line.
SLOW_AFTER_S = 10.0


class Progress:
    """Counts finished submissions and the ones not ok; `watch` names one running long."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, every: float = 10.0) -> None:
        self.stream = stream or sys.stderr
        self.total, self.label, self.every = total, label, every
        self.done = self.failed = 0
        self.slow = ""
        self.bar = tqdm(
            total=total, desc=label, unit="sub", file=self.stream, dynamic_ncols=True, disable=None
        )
        self.plain = self.bar.disable  # tqdm draws only on a terminal
        self._last_line = time.monotonic()

    def update(self, record: Record) -> None:
        """One more submission finished."""
        self.done += 1
        if record.status != Status.OK:
            self.failed += 1
        self.bar.set_postfix_str(self._postfix(), refresh=False)
        self.bar.update(1)
        self._maybe_line()

    def watch(self, running: list[tuple[str, float]]) -> None:
        """The submissions running now, with their seconds so far (called about once a second)."""
        slowest = max(running, key=lambda item: item[1], default=None)
        self.slow = (
            f"{slowest[0]} running {slowest[1]:.0f} s" if slowest and slowest[1] >= SLOW_AFTER_S else ""
        )
        self.bar.set_postfix_str(self._postfix())
        self._maybe_line()

    def _postfix(self) -> str:
        return f"not ok: {self.failed}" + (f"; slow: {self.slow}" if self.slow else "")

    def _maybe_line(self, force: bool = False) -> None:
        now = time.monotonic()
        if self.plain and (force or now - self._last_line >= self.every):
            self._last_line = now
            print(
                f"{self.label}: {self.done}/{self.total} done; {self._postfix()}",
                file=self.stream,
                flush=True,
            )

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self._maybe_line(force=True)
        self.bar.close()
