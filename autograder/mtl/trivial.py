"""Trivial answers of mtl: the right names, shapes, dtypes and input checks, but zeros for values.

A submission like this must score at most 25%: every output of the network is 0, and every loss
is a 0 that is still attached to the graph (so backward() runs and gives zero gradients)."""

from collections.abc import Mapping

import torch
import torch.nn as nn

TASKS = ("smile", "age", "gender")
BINARY_TASKS = ("smile", "gender")


class MultiTaskNet(nn.Module):
    def __init__(self, d_in, hidden):
        super().__init__()
        if not isinstance(d_in, int) or d_in < 1 or not isinstance(hidden, int) or hidden < 1:
            raise ValueError(f"d_in and hidden must be positive ints, got {d_in!r} and {hidden!r}")
        self.d_in = d_in
        self.scale = nn.Parameter(torch.zeros(()))  # so that .to(dtype) has something to convert

    def forward(self, x):
        if x.dim() != 2 or x.shape[1] != self.d_in:
            raise ValueError(f"x must have shape (n, {self.d_in}), got {tuple(x.shape)}")
        zeros = torch.zeros(x.shape[0], dtype=self.scale.dtype, device=self.scale.device)
        return {task: zeros.clone() for task in TASKS}


def mtl_loss(outputs, targets, weights=None):
    if not isinstance(outputs, Mapping) or not isinstance(targets, Mapping):
        raise ValueError("outputs and targets must be dicts keyed by task")
    if set(outputs) != set(targets) or not outputs:
        raise ValueError(f"outputs has tasks {sorted(outputs)} but targets has {sorted(targets)}")
    unknown = [t for t in outputs if t not in TASKS]
    if unknown:
        raise ValueError(f"unknown tasks {unknown}; the tasks are {TASKS}")
    extra = [t for t in (weights or {}) if t not in outputs]
    if extra:
        raise ValueError(f"weights names tasks {extra} that outputs does not have")
    for task, out in outputs.items():
        if out.dim() != 1 or targets[task].shape != out.shape:
            raise ValueError(f"{task}: shapes {tuple(out.shape)} and {tuple(targets[task].shape)} differ")
    parts = {task: 0 * out.sum() for task, out in outputs.items()}
    total = sum(parts.values())
    return total, parts
