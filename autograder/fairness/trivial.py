"""Trivial answers of fairness: the right types and shapes, validated inputs, no idea of the lecture."""

import torch


def check_binary(**named):
    length = None
    for name, t in named.items():
        if not isinstance(t, torch.Tensor) or t.dim() != 1 or t.numel() == 0:
            raise ValueError(f"{name} must be a non-empty 1-D tensor, got {getattr(t, 'shape', t)!r}")
        bad = (t != 0) & (t != 1)
        if bool(bad.any()):
            raise ValueError(f"{name} must hold only 0 and 1, found {t[bad][0].item()!r}")
        if length is not None and t.numel() != length:
            raise ValueError(f"{name} has length {t.numel()}, expected {length} like the other inputs")
        length = t.numel()
    return length


def result_dtype(t):
    return t.dtype if t.is_floating_point() else torch.get_default_dtype()


def joint_distribution(labels, groups):
    check_binary(labels=labels, groups=groups)
    return torch.zeros(2, 2, dtype=result_dtype(labels), device=labels.device)


def subgroup_accuracy(y_true, y_pred, groups):
    check_binary(y_true=y_true, y_pred=y_pred, groups=groups)
    return {
        (label, group): 0.0
        for label in (0, 1)
        for group in (0, 1)
        if bool(((y_true == label) & (groups == group)).any())
    }


def accuracy_gap(y_true, y_pred, groups):
    subgroup_accuracy(y_true, y_pred, groups)
    return 0.0


def majority_baseline(labels):
    check_binary(labels=labels)
    return 0.5


def predicts_one_class(y_pred):
    check_binary(y_pred=y_pred)
    return False


def balanced_sample_weights(labels, groups):
    n = check_binary(labels=labels, groups=groups)
    return torch.ones(n, dtype=result_dtype(labels), device=labels.device)
