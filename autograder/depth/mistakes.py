"""Known-wrong solutions of depth: each entry is the reference with one realistic mistake.

Not listed because it is equivalent: counting *distinct* activation patterns instead of runs.
Along a line every first-layer unit flips at most once, and inside one first-layer region the
next layer is affine in the line parameter, so (by induction over layers) no pattern can recur:
distinct patterns and runs are the same number.
"""

MISTAKES = [
    {
        "id": "counts-biases-too",
        "question": "q1",
        "why": "adds the biases to the weight count",
        "replace": [(
            "return sum(int(a) * int(b) for a, b in zip(sizes[:-1], sizes[1:]))",
            "return sum(int(a) * int(b) + int(b) for a, b in zip(sizes[:-1], sizes[1:]))",
        )],
    },
    {
        "id": "no-size-validation",
        "question": "q1",
        "why": "accepts an empty or non-positive layer list",
        "replace": [("if len(sizes) < 2 or any(int(s) != s or s < 1 for s in sizes):", "if False:")],
    },
    {
        "id": "skips-first-layer",
        "question": "q1",
        "why": "counts only the weights after the first hidden layer",
        "replace": [(
            "return sum(int(a) * int(b) for a, b in zip(sizes[:-1], sizes[1:]))",
            "return sum(int(a) * int(b) for a, b in zip(sizes[1:-1], sizes[2:]))",
        )],
    },
    {
        "id": "weight-transposed",
        "question": "q2",
        "why": "draws W with shape (in, out)",
        "replace": [(
            "W = torch.randn(n_out, n_in, generator=generator, dtype=torch.float32)",
            "W = torch.randn(n_in, n_out, generator=generator, dtype=torch.float32)",
        )],
    },
    {
        "id": "ignores-generator",
        "question": "q2",
        "why": "draws the weights from the global generator",
        "replace": [(
            "W = torch.randn(n_out, n_in, generator=generator, dtype=torch.float32)",
            "W = torch.randn(n_out, n_in, dtype=torch.float32)",
        )],
    },
    {
        "id": "uniform-biases",
        "question": "q2",
        "why": "uses torch.rand (uniform on [0, 1)) for the biases",
        "replace": [(
            "b = torch.randn(n_out, generator=generator, dtype=torch.float32)",
            "b = torch.rand(n_out, generator=generator, dtype=torch.float32)",
        )],
    },
    {
        "id": "activation-after-last-layer",
        "question": "q3",
        "why": "applies the activation after the output layer too",
        "replace": [("        if index < len(params) - 1:\n            h = activation(h)",
                     "        h = activation(h)")],
    },
    {
        "id": "forgets-bias",
        "question": "q3",
        "why": "leaves the bias out of the forward pass",
        "replace": [("h = h @ W.T + b\n", "h = h @ W.T\n")],
    },
    {
        "id": "counts-changes-not-runs",
        "question": "q4",
        "why": "returns the number of pattern changes, one less than the number of runs",
        "replace": [("return 1 + int(changes.sum())", "return int(changes.sum())")],
    },
    {
        "id": "includes-output-sign",
        "question": "q4",
        "why": "adds the output layer's sign to the activation pattern",
        "replace": [("    for W, b in params[:-1]:\n        z = h @ W.T + b\n        signs.append(z > 0)",
                     "    for W, b in params:\n        z = h @ W.T + b\n        signs.append(z > 0)")],
    },
    {
        "id": "relu-inside-region-count",
        "question": "q4",
        "why": "propagates relu instead of abs when computing the patterns",
        "replace": [("h = torch.abs(z)", "h = torch.relu(z)")],
    },
    {
        "id": "zero-counts-as-positive",
        "question": "q4",
        "why": "takes z >= 0 as the sign, so an exact 0 counts as positive",
        "replace": [("signs.append(z > 0)", "signs.append(z >= 0)")],
    },
    {
        "id": "mutates-end",
        "question": "q4",
        "why": "computes the direction end - start in place, changing the caller's end",
        "replace": [(
            "h = start + t[:, None] * (end - start)",
            "end -= start\n    h = start + t[:, None] * end",
        )],
    },
    {
        "id": "sawtooth-leaves-unit-interval",
        "question": "q5",
        "why": "the output layer maps the last fold to [-1, 1]",
        "replace": [("params.append((torch.tensor([[-1.0]]), torch.tensor([1.0])))",
                     "params.append((torch.tensor([[-2.0]]), torch.tensor([1.0])))")],
    },
    {
        "id": "sawtooth-one-layer-short",
        "question": "q5",
        "why": "builds depth - 1 hidden layers",
        "replace": [("for _ in range(depth - 1):", "for _ in range(depth - 2):")],
    },
]
