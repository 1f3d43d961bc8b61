"""An independent correct solution of fairness: one-hot counting with matrix products."""

import torch


def _validate(*tensors):
    n = None
    for t in tensors:
        if not torch.is_tensor(t) or t.ndim != 1 or len(t) == 0:
            shape = tuple(t.shape) if torch.is_tensor(t) else None
            raise ValueError(f"expected a non-empty 1-D tensor, got {type(t).__name__} of shape {shape}")
        values = set(torch.unique(t.double()).tolist())
        if not values <= {0.0, 1.0}:
            raise ValueError(f"expected only 0/1 values, got {sorted(values)}")
        if n is not None and len(t) != n:
            raise ValueError(f"length mismatch: {len(t)} vs {n}")
        n = len(t)
    return n


def _onehot(t):
    return torch.nn.functional.one_hot(t.long(), 2).double()  # (n, 2), column k: value == k


def joint_distribution(labels, groups):
    n = _validate(labels, groups)
    counts = _onehot(labels).T @ _onehot(groups)  # counts[label, group]
    dtype = labels.dtype if torch.is_floating_point(labels) else torch.float32
    return (counts.flip(0) / n).to(dtype)


def subgroup_accuracy(y_true, y_pred, groups):
    _validate(y_true, y_pred, groups)
    right = (y_true.long() == y_pred.long()).double()
    sizes = _onehot(y_true).T @ _onehot(groups)
    hits = (_onehot(y_true) * right[:, None]).T @ _onehot(groups)
    return {
        (a, b): hits[a, b].item() / sizes[a, b].item()
        for a in range(2)
        for b in range(2)
        if sizes[a, b].item() > 0
    }


def accuracy_gap(y_true, y_pred, groups):
    values = sorted(subgroup_accuracy(y_true, y_pred, groups).values())
    return float(values[-1] - values[0])


def majority_baseline(labels):
    n = _validate(labels)
    ones = int(labels.long().sum())
    return max(ones, n - ones) / n


def predicts_one_class(y_pred):
    _validate(y_pred)
    return len(torch.unique(y_pred)) == 1


def balanced_sample_weights(labels, groups):
    n = _validate(labels, groups)
    membership = (_onehot(labels)[:, :, None] * _onehot(groups)[:, None, :]).reshape(n, 4)
    sizes = membership.sum(0)
    S = int((sizes > 0).sum())
    per_cell = torch.where(sizes > 0, n / (S * sizes.clamp(min=1)), torch.zeros_like(sizes))
    dtype = labels.dtype if torch.is_floating_point(labels) else torch.float32
    return (membership @ per_cell).to(dtype)
