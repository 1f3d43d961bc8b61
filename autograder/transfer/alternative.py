"""A second, independent solution of transfer (slicing, nested body + head, a parameter walk)."""

import torch
from torch import nn


def chop_off(model, n=1):
    if type(n) is not int or n < 0 or n >= len(model):
        raise ValueError(f"cannot chop {n} of {len(model)} modules")
    return nn.Sequential(*[model[i] for i in range(len(model) - n)])


def _linears_in_order(module):
    if isinstance(module, nn.Linear):
        return [module]
    found = []
    for child in module.children():
        found += _linears_in_order(child)
    return found


def transfer_model(pretrained, n_outputs, n_chop=1):
    if not n_outputs >= 1:
        raise ValueError(f"a head needs at least one output, got n_outputs={n_outputs}")
    body = chop_off(pretrained, n_chop)
    linears = _linears_in_order(body)
    if not linears:
        raise ValueError("nothing linear left to attach a head to")
    ref = linears[-1].weight
    head = nn.Linear(linears[-1].out_features, n_outputs).to(device=ref.device, dtype=ref.dtype)
    return nn.Sequential(body, head)  # nested: model[0] is the body, model[1] the head


def freeze(module):
    module.requires_grad_(False)
    return module


def fine_tune_param_groups(encoder, head, lr, encoder_lr_scale=0.1):
    if lr <= 0 or encoder_lr_scale < 0:
        raise ValueError(f"bad rates lr={lr}, encoder_lr_scale={encoder_lr_scale}")
    taken = set()
    groups = []
    # The encoder claims a shared parameter first; an empty group is left out.
    for module, rate in ((encoder, lr * encoder_lr_scale), (head, lr)):
        params = []
        for p in module.parameters():
            if p.requires_grad and p not in taken:
                taken.add(p)
                params.append(p)
        if params:
            groups.append({"params": params, "lr": rate})
    return groups


assert torch  # torch is imported for students who want it
