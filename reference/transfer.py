"""Reference solution: transfer — supervised pre-training, chop off, new head, fine-tune."""

# The notebook's imports cell: every name a question may use, so some go unused here.
# ruff: noqa: F401
import copy
import math
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def chop_off(model: nn.Sequential, n: int = 1) -> nn.Sequential:
    """A new nn.Sequential of model's modules without the last n; the modules are shared, not copied."""
    # BEGIN SOLUTION
    if not isinstance(model, nn.Sequential):
        raise ValueError(f"model must be an nn.Sequential, got {type(model).__name__}")
    if not isinstance(n, int) or not 0 <= n < len(model):
        raise ValueError(f"n must be an integer with 0 <= n < len(model) = {len(model)}, got {n!r}")
    kept = list(model._modules.items())[: len(model) - n]  # keeps the names, shares the modules
    return nn.Sequential(OrderedDict(kept))
    # END SOLUTION


def transfer_model(pretrained: nn.Sequential, n_outputs: int, n_chop: int = 1) -> nn.Sequential:
    """The chopped network followed by a new nn.Linear(width of its last nn.Linear, n_outputs)."""
    # BEGIN SOLUTION
    if not isinstance(n_outputs, int) or n_outputs < 1:
        raise ValueError(f"n_outputs must be a positive integer, got {n_outputs!r}")
    body = chop_off(pretrained, n_chop)
    last = None
    for module in reversed(list(body)):  # the last nn.Linear in forward order, inside blocks too
        inner = [m for m in module.modules() if isinstance(m, nn.Linear)]
        if inner:
            last = inner[-1]
            break
    if last is None:
        raise ValueError(f"no nn.Linear is left after chopping {n_chop} modules off, so the head's width is unknown")
    head = nn.Linear(last.out_features, n_outputs, device=last.weight.device, dtype=last.weight.dtype)
    return nn.Sequential(*body, head)
    # END SOLUTION


def freeze(module: nn.Module) -> nn.Module:
    """Set requires_grad = False on every parameter of module (recursively); return the same module."""
    # BEGIN SOLUTION
    for parameter in module.parameters():
        parameter.requires_grad_(False)
    return module
    # END SOLUTION


def fine_tune_param_groups(
    encoder: nn.Module, head: nn.Module, lr: float, encoder_lr_scale: float = 0.1
) -> list[dict]:
    """[encoder's trainable parameters at lr * encoder_lr_scale, head's at lr]; each parameter once."""
    # BEGIN SOLUTION
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr!r}")
    if not encoder_lr_scale >= 0:
        raise ValueError(f"encoder_lr_scale must be non-negative, got {encoder_lr_scale!r}")
    head_params = [p for p in head.parameters() if p.requires_grad]
    in_head = {id(p) for p in head_params}
    # A parameter the head uses trains at the head's rate, even when the encoder shares it.
    encoder_params = [p for p in encoder.parameters() if p.requires_grad and id(p) not in in_head]
    return [
        {"params": encoder_params, "lr": lr * encoder_lr_scale},
        {"params": head_params, "lr": lr},
    ]
    # END SOLUTION
