"""Reference solution: mtl — multi-task learning for face analysis (smile, age, gender)."""

# The notebook's imports cell: every name a question may use, so some go unused here.
# ruff: noqa: F401
import math
from collections.abc import Mapping

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

TASKS = ("smile", "age", "gender")
BINARY_TASKS = ("smile", "gender")


class MultiTaskNet(nn.Module):
    """A shared trunk (n, d_in) -> (n, hidden) and one linear head per task; forward gives {task: (n,)}."""

    def __init__(self, d_in: int, hidden: int):
        super().__init__()
        # BEGIN SOLUTION
        if not isinstance(d_in, int) or d_in < 1:
            raise ValueError(f"d_in must be a positive int, got {d_in!r}")
        if not isinstance(hidden, int) or hidden < 1:
            raise ValueError(f"hidden must be a positive int, got {hidden!r}")
        self.d_in = d_in
        self.trunk = nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU())
        self.heads = nn.ModuleDict({task: nn.Linear(hidden, 1) for task in TASKS})
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """Map x of shape (n, d_in) to {"smile": logits (n,), "age": years (n,), "gender": logits (n,)}."""
        # BEGIN SOLUTION
        if x.dim() != 2 or x.shape[1] != self.d_in:
            raise ValueError(f"x must have shape (n, {self.d_in}), got {tuple(x.shape)}")
        h = self.trunk(x)
        return {task: head(h).squeeze(-1) for task, head in self.heads.items()}
        # END SOLUTION


def mtl_loss(
    outputs: Mapping[str, torch.Tensor],
    targets: Mapping[str, torch.Tensor],
    weights: Mapping[str, float] | None = None,
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """(total, parts): each task's mean loss over its present (non-NaN) labels; total = sum w[t] parts[t]."""
    # BEGIN SOLUTION
    if not isinstance(outputs, Mapping):
        raise ValueError(f"outputs must be a dict keyed by task, got {type(outputs)}")
    if not isinstance(targets, Mapping):
        raise ValueError(f"targets must be a dict keyed by task, got {type(targets)}")
    if set(outputs) != set(targets):
        raise ValueError(f"outputs has tasks {sorted(outputs)} but targets has {sorted(targets)}")
    if not outputs:
        raise ValueError("outputs names no task")
    unknown = [t for t in outputs if t not in TASKS]
    if unknown:
        raise ValueError(f"unknown tasks {unknown}; the tasks are {TASKS}")
    weights = {} if weights is None else weights
    if not isinstance(weights, Mapping):
        raise ValueError(f"weights must be a dict keyed by task or None, got {type(weights)}")
    extra = [t for t in weights if t not in outputs]
    if extra:
        raise ValueError(f"weights names tasks {extra} that outputs does not have ({sorted(outputs)})")

    parts = {}
    total = None
    for task, out in outputs.items():
        y = targets[task]
        if out.dim() != 1 or y.shape != out.shape:
            raise ValueError(
                f"{task}: outputs and targets must both have shape (n,), got {tuple(out.shape)} "
                f"and {tuple(y.shape)}"
            )
        y = y.to(out)  # the output's device and dtype
        present = ~torch.isnan(y)
        # Select first, then compute: the NaN targets never enter the graph, so no NaN gradient.
        o, t = out[present], y[present]
        if task in BINARY_TASKS:
            summed = F.binary_cross_entropy_with_logits(o, t, reduction="sum")
        else:
            summed = F.mse_loss(o, t, reduction="sum")
        part = summed / max(int(present.sum()), 1)  # a task with no labels: an empty sum, 0
        parts[task] = part
        term = weights.get(task, 1.0) * part
        total = term if total is None else total + term
    return total, parts
    # END SOLUTION
