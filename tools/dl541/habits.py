"""A training loop's habits in a confined grading child: allowed where safe, refused with what to change.

In the child, seccomp refuses new threads and processes. So there, and only there:
`torch.set_num_threads(n)` and `torch.set_num_interop_threads(n)` change nothing (OpenMP would
end the interpreter when it cannot start the threads, and one thread keeps the arithmetic the
same whatever --jobs is); a DataLoader with `num_workers > 0` loads its batches in this process,
as with `num_workers=0`; and threads and multiprocessing are refused at once, with a message
that says what to change (not "can't start new thread", "daemonic processes are not allowed to
have children" or "Permission denied"). Processes that the audit hook sees are refused there.
Outside a confined child every wrapper behaves exactly as what it wraps.
"""

from __future__ import annotations

import functools
import numbers
from typing import Any

from . import confine

#: True in a confined grading child (see `confined`), where the wrappers below keep honest
#: training code from starting threads or processes; everywhere else they change nothing.
_CONFINED = False
_INSTALLED: list[bool] = []


def confined() -> None:
    """From now on (in this process: a grading child after confinement) the wrappers act."""
    global _CONFINED
    _CONFINED = True


def allow() -> None:
    """Install the wrappers (once per process, before the guard's snapshot records them)."""
    if _INSTALLED:
        return
    _INSTALLED.append(True)
    import multiprocessing.process
    import threading

    import torch
    from torch.utils.data import DataLoader

    torch.set_num_threads = _thread_setting(torch.set_num_threads)
    torch.set_num_interop_threads = _thread_setting(torch.set_num_interop_threads)
    DataLoader._get_iterator = _loading_in_process(DataLoader._get_iterator)
    thread = threading.Thread  # Python 3.11 raises no audit event when a thread starts
    thread.start = _refused_in_child(thread.start, "starting a thread (threading.Thread)", RuntimeError)
    process = multiprocessing.process.BaseProcess
    process.start = _refused_in_child(process.start, "starting a process (multiprocessing.Process)")
    try:
        import multiprocessing.synchronize
    except ImportError:  # no named semaphores on this system: multiprocessing cannot make locks anyway
        return
    semlock = multiprocessing.synchronize.SemLock
    semlock.__init__ = _refused_in_child(  # every multiprocessing pool, queue and lock makes one
        semlock.__init__, "a multiprocessing pool, queue or lock (multiprocessing.Pool, ProcessPoolExecutor)"
    )


def _thread_setting(original: Any) -> Any:
    name = original.__name__

    @functools.wraps(original)
    def setting(*args: Any, **kwargs: Any) -> Any:
        if not _CONFINED:
            return original(*args, **kwargs)
        # Grading keeps one thread; only the argument is checked, as torch checks it.
        if len(args) != 1 or kwargs:
            raise TypeError(f"{name}() takes exactly one argument ({len(args) + len(kwargs)} given)")
        n = args[0]
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise RuntimeError(f"{name} expects an int, but got {type(n).__name__}")
        if n <= 0:
            raise RuntimeError(f"{name} expects a positive integer")
        return None

    return setting


def _loading_in_process(original: Any) -> Any:
    @functools.wraps(original)
    def _get_iterator(self: Any) -> Any:
        if not _CONFINED or not self.num_workers > 0:
            return original(self)
        # No worker processes: the same batches, in the same order, as with num_workers=0.
        # (persistent_workers then reuses this iterator, as torch reuses its workers' iterator.)
        from torch.utils.data.dataloader import _SingleProcessDataLoaderIter

        workers, timeout = self.num_workers, self.timeout
        self.num_workers, self.timeout = 0, 0
        try:
            return _SingleProcessDataLoaderIter(self)
        finally:
            self.num_workers, self.timeout = workers, timeout

    return _get_iterator


def _refused_in_child(original: Any, what: str, error: type[Exception] = PermissionError) -> Any:
    # The exception the failure itself would raise (an OSError for a process, a RuntimeError for a
    # thread), so that a library which falls back when it cannot start one still does.
    @functools.wraps(original)
    def refused(*args: Any, **kwargs: Any) -> Any:
        if _CONFINED:
            raise error(confine.one_process_rule(what))
        return original(*args, **kwargs)

    return refused
