"""A progress bar for grading runs: done, failed and time left."""

from __future__ import annotations

import sys

from tqdm import tqdm

from .status import Status


class Progress:
    """Context manager around tqdm that counts submissions that did not grade cleanly."""

    def __init__(self, total: int, label: str) -> None:
        self.bar = tqdm(
            total=total, desc=label, unit="sub", file=sys.stderr, dynamic_ncols=True, disable=None
        )
        self.failed = 0

    def update(self, record: dict) -> None:
        if record.get("status") != Status.OK:
            self.failed += 1
        self.bar.set_postfix_str(f"not ok: {self.failed}", refresh=False)
        self.bar.update(1)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.bar.close()
