"""Trivial answers of transfer: right types, inputs validated, no idea used."""

import torch.nn as nn


def chop_off(model, n=1):
    if not isinstance(model, nn.Sequential):
        raise ValueError(f"model must be an nn.Sequential, got {type(model).__name__}")
    if not isinstance(n, int) or not 0 <= n < len(model):
        raise ValueError(f"n must be an integer with 0 <= n < {len(model)}, got {n!r}")
    return model


def transfer_model(pretrained, n_outputs, n_chop=1):
    if not isinstance(n_outputs, int) or n_outputs < 1:
        raise ValueError(f"n_outputs must be a positive integer, got {n_outputs!r}")
    chop_off(pretrained, n_chop)
    kept = list(pretrained)[: len(pretrained) - n_chop]
    linears = [m for module in kept for m in module.modules() if isinstance(m, nn.Linear)]
    if not linears:
        raise ValueError("no nn.Linear is left after chopping")
    first = [m for m in pretrained.modules() if isinstance(m, nn.Linear)][0]
    weight = first.weight
    return nn.Sequential(nn.Linear(first.in_features, n_outputs, device=weight.device, dtype=weight.dtype))


def freeze(module):
    return module


def fine_tune_param_groups(encoder, head, lr, encoder_lr_scale=0.1):
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr!r}")
    if not encoder_lr_scale >= 0:
        raise ValueError(f"encoder_lr_scale must be non-negative, got {encoder_lr_scale!r}")
    return [{"params": [], "lr": lr * encoder_lr_scale}, {"params": [], "lr": lr}]
