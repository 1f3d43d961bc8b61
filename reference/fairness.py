"""Reference solution: fairness — subgroup accuracy (label 1 = smile; group 0 = male, 1 = female)."""

# The notebook's imports cell: every name a question may use, so some go unused here.
# ruff: noqa: F401
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def check_binary(**named: torch.Tensor) -> int:
    """Raise ValueError unless every tensor is 1-D, non-empty, of 0/1 values and all have one length."""
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


def result_dtype(t: torch.Tensor) -> torch.dtype:
    """The floating dtype of a result computed from `t`: t's own if floating, else the default (float32)."""
    return t.dtype if t.is_floating_point() else torch.get_default_dtype()


def joint_distribution(labels: torch.Tensor, groups: torch.Tensor) -> torch.Tensor:
    """P[i, j] = P(label = 1 - i, group = j): rows smile, non-smile; columns male, female."""
    # BEGIN SOLUTION
    n = check_binary(labels=labels, groups=groups)
    P = labels.new_zeros((2, 2), dtype=result_dtype(labels))  # on labels' device
    for i in range(2):
        for j in range(2):
            P[i, j] = ((labels == 1 - i) & (groups == j)).sum() / n
    return P
    # END SOLUTION


def subgroup_accuracy(
    y_true: torch.Tensor, y_pred: torch.Tensor, groups: torch.Tensor
) -> dict[tuple[int, int], float]:
    """Accuracy within each present subgroup, keyed (label, group)."""
    # BEGIN SOLUTION
    check_binary(y_true=y_true, y_pred=y_pred, groups=groups)
    correct = y_true == y_pred
    result = {}
    for label in (0, 1):
        for group in (0, 1):
            members = (y_true == label) & (groups == group)
            if bool(members.any()):
                result[(label, group)] = float(correct[members].double().mean())
    return result
    # END SOLUTION


def accuracy_gap(y_true: torch.Tensor, y_pred: torch.Tensor, groups: torch.Tensor) -> float:
    """Max minus min of the subgroup accuracies."""
    # BEGIN SOLUTION
    accuracies = subgroup_accuracy(y_true, y_pred, groups).values()
    return max(accuracies) - min(accuracies)
    # END SOLUTION


def majority_baseline(labels: torch.Tensor) -> float:
    """The share of the most frequent label (the accuracy of always predicting it)."""
    # BEGIN SOLUTION
    check_binary(labels=labels)
    share_of_ones = float(labels.double().mean())
    return max(share_of_ones, 1.0 - share_of_ones)
    # END SOLUTION


def predicts_one_class(y_pred: torch.Tensor) -> bool:
    """True when every prediction is the same."""
    # BEGIN SOLUTION
    check_binary(y_pred=y_pred)
    return bool((y_pred == y_pred[0]).all())
    # END SOLUTION


def balanced_sample_weights(labels: torch.Tensor, groups: torch.Tensor) -> torch.Tensor:
    """n / (S * n_s) for a sample in a subgroup of size n_s among S present subgroups; sums to n."""
    # BEGIN SOLUTION
    n = check_binary(labels=labels, groups=groups)
    subgroup = (2 * labels + groups).long()  # (label, group) -> 0..3
    sizes = torch.bincount(subgroup, minlength=4)
    present = int((sizes > 0).sum())
    weights = n / (present * sizes[subgroup].to(result_dtype(labels)))
    return weights
    # END SOLUTION
