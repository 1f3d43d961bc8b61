"""An independent correct solution of mtl: one 3-output head layer, and masking with safe targets."""

import torch
from torch import nn

_KIND = {"smile": "bce", "age": "mse", "gender": "bce"}


class MultiTaskNet(nn.Module):
    def __init__(self, d_in, hidden):
        super().__init__()
        if int(d_in) != d_in or int(hidden) != hidden or d_in <= 0 or hidden <= 0:
            raise ValueError(f"d_in and hidden must be positive integers, got {d_in!r} and {hidden!r}")
        self.shared = nn.Sequential(
            nn.Linear(d_in, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh()
        )
        self.out = nn.Linear(hidden, 3)  # row k of the weight is task k's head

    def forward(self, x):
        expected = self.shared[0].in_features
        if x.ndim != 2 or x.size(1) != expected:
            raise ValueError(f"expected input of shape (n, {expected}), got {list(x.shape)}")
        z = self.out(self.shared(x))
        return {"smile": z[:, 0], "age": z[:, 1], "gender": z[:, 2]}


def mtl_loss(outputs, targets, weights=None):
    if not isinstance(outputs, dict) or not isinstance(targets, dict):
        raise ValueError("outputs and targets must be dicts keyed by task")
    if sorted(outputs) != sorted(targets) or len(outputs) == 0:
        raise ValueError(f"task keys differ: {sorted(outputs)} vs {sorted(targets)}")
    for task in outputs:
        if task not in _KIND:
            raise ValueError(f"unknown task {task!r}")
    w = {task: 1.0 for task in outputs}
    if weights is not None:
        for task, value in dict(weights).items():
            if task not in w:
                raise ValueError(f"weight given for {task!r}, which is not an output")
            w[task] = value
    parts = {}
    for task in outputs:
        o, y = outputs[task], targets[task]
        if o.ndim != 1 or tuple(y.shape) != tuple(o.shape):
            raise ValueError(f"{task}: shapes {tuple(o.shape)} and {tuple(y.shape)} must both be (n,)")
        y = y.to(o)
        mask = y == y  # False exactly at NaN
        safe_y = torch.where(mask, y, torch.zeros_like(y))  # no NaN ever reaches the arithmetic
        if _KIND[task] == "bce":
            per_row = nn.functional.softplus(o) - o * safe_y
        else:
            per_row = (o - safe_y) ** 2
        per_row = torch.where(mask, per_row, torch.zeros_like(per_row))
        parts[task] = per_row.sum() / mask.sum().clamp(min=1).to(o.dtype)
    total = torch.stack([w[t] * parts[t] for t in outputs]).sum()
    return total, parts
