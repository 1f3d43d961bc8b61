"""Test helpers shared by the question files of mtl (the build writes each into
the files that import it)."""


def _num(value):
    """A Python float of a number or a 0-dim tensor (detached first, so no autograd warning)."""
    return float(value.detach()) if hasattr(value, "detach") else float(value)


def _expected_parts(outputs, targets):
    """Each task's loss over its present (non-NaN) labels, written independently; 0 when none."""
    import torch

    parts = {}
    for key in outputs:
        predicted = outputs[key].detach().double().cpu()
        observed = targets[key].double().cpu()
        keep = ~torch.isnan(observed)
        o, t = predicted[keep], observed[keep]
        if len(o) == 0:
            parts[key] = 0.0
        elif key == "age":
            parts[key] = float(((o - t) ** 2).mean())
        else:  # -log sigmoid(o) for a 1, -log(1 - sigmoid(o)) for a 0, in a stable form
            parts[key] = float((torch.clamp(o, min=0) - o * t + torch.log1p(torch.exp(-o.abs()))).mean())
    return parts
