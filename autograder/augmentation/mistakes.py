"""Known-wrong solutions of augmentation: each entry is the reference with one realistic mistake."""

MISTAKES = [
    {
        "id": "translate-wrong-direction",
        "question": "q1",
        "why": "reads images[i + dy, j + dx]: positive dx moves the content left, positive dy up",
        "replace": [
            (
                "dx, dy = max(-W, min(W, x)), max(-H, min(H, y))",
                "dx, dy = max(-W, min(W, -x)), max(-H, min(H, -y))",
            )
        ],
    },
    {
        "id": "translate-swaps-axes",
        "question": "q1",
        "why": "shifts the rows by dx and the columns by dy (x is the column index, y the row index)",
        "replace": [
            (
                "dx, dy = max(-W, min(W, x)), max(-H, min(H, y))",
                "dx, dy = max(-W, min(W, y)), max(-H, min(H, x))",
            )
        ],
    },
    {
        "id": "translate-wraps-around",
        "question": "q1",
        "why": "uses torch.roll, so what leaves one side re-enters on the other instead of becoming 0",
        "replace": [
            (
                "    out = torch.zeros_like(images)\n",
                "    return torch.roll(images, shifts=(y, x), dims=(-2, -1))\n",
            )
        ],
    },
    {
        "id": "translate-no-out-of-range-guard",
        "question": "q1",
        "why": "forgets that a shift of the image's size or more leaves nothing: the slices go negative",
        "replace": [
            (
                "dx, dy = max(-W, min(W, x)), max(-H, min(H, y))",
                "dx, dy = x, y",
            )
        ],
    },
    {
        "id": "translate-assumes-a-batch",
        "question": "q1",
        "why": "reads H and W as images.shape[1] and images.shape[2], as if every input were (N, H, W)",
        "replace": [
            (
                "    H, W = images.shape[-2:]\n    # a shift",
                "    H, W = images.shape[1], images.shape[2]\n    # a shift",
            )
        ],
    },
    {
        "id": "translate-zero-shift-returns-input",
        "question": "q1",
        "why": "a shortcut for the zero shift returns the images object itself: editing the result edits the input",
        "replace": [
            (
                "    out = torch.zeros_like(images)\n",
                "    if x == 0 and y == 0:\n        return images\n    out = torch.zeros_like(images)\n",
            )
        ],
    },
    {
        "id": "random-translate-one-shift-for-all",
        "question": "q2",
        "why": "draws a single (dx, dy) and moves the whole batch by it",
        "replace": [
            (
                "(images.shape[0], 2), generator=generator).tolist()",
                "(1, 2), generator=generator).tolist() * images.shape[0]",
            )
        ],
    },
    {
        "id": "random-translate-excludes-max",
        "question": "q2",
        "why": "torch.randint's upper bound is exclusive: randint(-m, m) never draws +m",
        "replace": [
            (
                "torch.randint(-m, m + 1, (images.shape[0], 2)",
                "torch.randint(-m, m, (images.shape[0], 2)",
            )
        ],
    },
    {
        "id": "random-translate-ignores-generator",
        "question": "q2",
        "why": "draws the shifts from torch's global generator instead of the generator argument",
        "replace": [
            (
                "(images.shape[0], 2), generator=generator)",
                "(images.shape[0], 2))",
            )
        ],
    },
    {
        "id": "random-translate-per-channel",
        "question": "q2",
        "why": "flattens (N, C, H, W) to (N * C, H, W), so each channel of an image gets its own shift",
        "replace": [
            (
                "    m = _integer(max_shift)\n",
                "    m = _integer(max_shift)\n"
                "    if images.dim() == 4:\n"
                "        return random_translate(images.flatten(0, 1), max_shift, generator).reshape(images.shape)\n",
            )
        ],
    },
    {
        "id": "random-translate-writes-into-input",
        "question": "q2",
        "why": "fills the input tensor with the shifted images instead of a new one: the caller's images are overwritten",
        "replace": [("    out = torch.empty_like(images)\n", "    out = images\n")],
    },
    {
        "id": "flip-up-down",
        "question": "q3",
        "why": "flips dim -2 (the rows): that mirrors top to bottom, not left to right",
        "replace": [("return images.flip(-1)", "return images.flip(-2)")],
    },
    {
        "id": "flip-uses-fliplr",
        "question": "q3",
        "why": "torch.fliplr reverses dimension 1: the columns of a single (H, W) image, but the rows of an (N, H, W) batch",
        "replace": [("return images.flip(-1)", "return torch.fliplr(images)")],
    },
    {
        "id": "gaussian-variance-for-std",
        "question": "q4",
        "why": "multiplies the standard normal noise by std**2 (the variance) instead of std",
        "replace": [
            (
                "return images + float(std) * noise.to(images.device)",
                "return images + float(std) ** 2 * noise.to(images.device)",
            )
        ],
    },
    {
        "id": "laplace-is-gaussian",
        "question": "q5",
        "why": "adds Gaussian noise of std `scale` in add_laplacian_noise",
        "replace": [
            (
                "return images + float(scale) * (up - down).to(images.device)",
                "return images + float(scale) * torch.randn(images.shape, generator=generator, dtype=images.dtype)"
                ".to(images.device)",
            )
        ],
    },
    {
        "id": "laplace-scale-as-std",
        "question": "q5",
        "why": "treats scale as the standard deviation and divides by sqrt(2): Laplace(0, b) has std sqrt(2) b",
        "replace": [
            (
                "return images + float(scale) * (up - down).to(images.device)",
                "return images + float(scale) / math.sqrt(2) * (up - down).to(images.device)",
            )
        ],
    },
    {
        "id": "noise-shared-by-all-images",
        "question": "q4",
        "why": "draws one (H, W) noise image and broadcasts it over the batch",
        "replace": [
            (
                "noise = torch.randn(images.shape, generator=generator",
                "noise = torch.randn(images.shape[-2:], generator=generator",
            )
        ],
    },
    {
        "id": "noise-added-in-place",
        "question": "q5",
        "why": "adds the Laplace noise in place, changing the caller's images",
        "replace": [
            (
                "return images + float(scale) * (up - down).to(images.device)",
                "return images.add_(float(scale) * (up - down).to(images.device))",
            )
        ],
    },
    {
        "id": "augment-labels-interleaved",
        "question": "q6",
        "why": "repeat_interleave gives [y0, y0, y1, y1, ...], not aligned with the blocks of copies",
        "replace": [("labels.repeat(k + 1)", "labels.repeat_interleave(k + 1)")],
    },
    {
        "id": "augment-drops-originals",
        "question": "q6",
        "why": "returns copies + 1 translated copies and no originals",
        "replace": [
            (
                "parts = [images] + [random_translate(images, max_shift, generator) for _ in range(k)]",
                "parts = [random_translate(images, max_shift, generator) for _ in range(k + 1)]",
            )
        ],
    },
    {
        "id": "augment-one-copy-repeated",
        "question": "q6",
        "why": "translates the set once and repeats that copy, so every copy has the same shifts",
        "replace": [
            (
                "parts = [images] + [random_translate(images, max_shift, generator) for _ in range(k)]",
                "parts = [images] + [random_translate(images, max_shift, generator)] * k",
            )
        ],
    },
    {
        "id": "augment-stacks-copies",
        "question": "q6",
        "why": "torch.stack instead of torch.cat: images of shape (copies + 1, N, ...) instead of ((copies + 1) N, ...)",
        "replace": [
            (
                "return torch.cat(parts), labels.repeat(k + 1)",
                "return torch.stack(parts), labels.repeat(k + 1)",
            )
        ],
    },
    {
        "id": "augment-no-copies-returns-inputs",
        "question": "q6",
        "why": "a shortcut for copies = 0 returns the caller's tensors themselves: editing the result edits them",
        "replace": [
            (
                "    parts = [images] + [",
                "    if k == 0:\n        return images, labels\n    parts = [images] + [",
            )
        ],
    },
]
