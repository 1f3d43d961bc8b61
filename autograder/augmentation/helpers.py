"""Test helpers shared by the question files of augmentation (the build writes each into
the files that import it)."""


def _shifted(images, dx, dy):
    """An independent translate: pad every side with zeros, then cut the frame out at an offset."""
    import torch

    H, W = images.shape[-2:]
    if abs(dx) >= W or abs(dy) >= H:
        return torch.zeros_like(images)
    padded = torch.nn.functional.pad(images, (W, W, H, H))
    return padded[..., H - dy : 2 * H - dy, W - dx : 2 * W - dx]
