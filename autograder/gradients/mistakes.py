"""Known-wrong solutions of gradients: each entry is the reference with one realistic mistake."""

MISTAKES = [
    {
        "id": "variance-as-std",
        "question": "q1",
        "why": "passes the variance init_scale**2 / width where normal_ expects the standard deviation",
        "replace": [("std = init_scale / math.sqrt(width)", "std = init_scale**2 / width")],
    },
    {
        "id": "fan-out-scaling",
        "question": "q1",
        "why": "scales each layer by its fan-out, so the output layer Linear(width, 1) gets std init_scale",
        "replace": [
            (
                "layer.weight.normal_(0.0, std, generator=generator)",
                "layer.weight.normal_(0.0, init_scale / math.sqrt(layer.out_features), generator=generator)",
            )
        ],
    },
    {
        "id": "ignores-generator",
        "question": "q1",
        "why": "draws the weights from torch's global generator",
        "replace": [("layer.weight.normal_(0.0, std, generator=generator)", "layer.weight.normal_(0.0, std)")],
    },
    {
        "id": "keeps-default-bias",
        "question": "q1",
        "why": "keeps nn.Linear's default uniform biases instead of zeroing them",
        "replace": [("layer.bias.zero_()", "pass")],
    },
    {
        "id": "forgets-to-zero-grads",
        "question": "q2",
        "why": "calls backward() and reads p.grad without zeroing, so old gradients are added in",
        "replace": [
            (
                "grads = torch.autograd.grad(loss, weights)",
                "loss.backward()\n    grads = [w.grad for w in weights]",
            )
        ],
    },
    {
        "id": "sum-instead-of-mean-loss",
        "question": "q2",
        "why": "uses the summed squared error instead of the mean",
        "replace": [
            (
                "loss = torch.nn.functional.mse_loss(out, y.reshape(out.shape))",
                "loss = torch.nn.functional.mse_loss(out, y.reshape(out.shape), reduction='sum')",
            )
        ],
    },
    {
        "id": "output-layer-first",
        "question": "q2",
        "why": "lists the norms in backward order (output layer first)",
        "replace": [
            (
                "return torch.stack([torch.linalg.vector_norm(g) for g in grads]).detach()",
                "return torch.stack([torch.linalg.vector_norm(g) for g in reversed(grads)]).detach()",
            )
        ],
    },
    {
        "id": "broadcasts-target",
        "question": "q2",
        "why": "compares the (n, 1) output with a (n,) target directly, broadcasting to (n, n)",
        "replace": [("y.reshape(out.shape)", "y")],
    },
    {
        "id": "ratio-upside-down",
        "question": "q3",
        "why": "computes r = norms[-1] / norms[0]",
        "replace": [("r = float(norms[0] / norms[-1])", "r = float(norms[-1] / norms[0])")],
    },
    {
        "id": "non-strict-threshold",
        "question": "q3",
        "why": "calls r == 1 / ratio vanishing (<= instead of <)",
        "replace": [("if r < 1 / ratio:", "if r <= 1 / ratio:")],
    },
    {
        "id": "misses-nan",
        "question": "q3",
        "why": "checks only for infinities, so a nan norm is not reported as exploding",
        "replace": [("if not bool(torch.isfinite(norms).all()):", "if bool(torch.isinf(norms).any()):")],
    },
    {
        "id": "extreme-norms",
        "question": "q3",
        "why": "uses the smallest and largest norm instead of the first and the last",
        "replace": [("r = float(norms[0] / norms[-1])", "r = float(norms.min() / norms.max())")],
    },
    {
        "id": "forward-difference",
        "question": "q4",
        "why": "uses the one-sided difference (f(x + eps e_i) - f(x)) / eps",
        "replace": [
            (
                "flat[i] = (value(plus) - value(minus)) / (2 * eps)",
                "flat[i] = (value(plus) - value(x64)) / eps",
            )
        ],
    },
    {
        "id": "divides-by-eps",
        "question": "q4",
        "why": "divides the centered difference by eps instead of 2 eps",
        "replace": [("/ (2 * eps)", "/ eps")],
    },
    {
        "id": "differences-in-input-dtype",
        "question": "q4",
        "why": "perturbs x in its own dtype (float32 loses eps = 1e-6 in rounding)",
        "replace": [("x64 = x.detach().to(torch.float64)", "x64 = x.detach().clone()")],
    },
    {
        "id": "perturbs-input-in-place",
        "question": "q4",
        "why": "adds and subtracts eps in x itself; the restored x differs by rounding",
        "replace": [
            (
                "plus, minus = x64.clone(), x64.clone()\n"
                "            plus.view(-1)[i] += eps\n"
                "            minus.view(-1)[i] -= eps\n"
                "            flat[i] = (value(plus) - value(minus)) / (2 * eps)",
                "x64.view(-1)[i] += eps\n"
                "            f_plus = value(x64)\n"
                "            x64.view(-1)[i] -= 2 * eps\n"
                "            f_minus = value(x64)\n"
                "            x64.view(-1)[i] += eps\n"
                "            flat[i] = (f_plus - f_minus) / (2 * eps)",
            )
        ],
    },
    {
        "id": "max-norm-denominator",
        "question": "q4",
        "why": "divides by max(||a||, ||b||) instead of ||a|| + ||b||",
        "replace": [
            (
                "den = float(torch.linalg.vector_norm(a64)) + float(torch.linalg.vector_norm(b64))",
                "den = max(float(torch.linalg.vector_norm(a64)), float(torch.linalg.vector_norm(b64)))",
            )
        ],
    },
    {
        "id": "no-denominator-floor",
        "question": "q4",
        "why": "drops the 1e-12 floor, so two zero vectors divide 0 by 0",
        "replace": [("return num / max(den, 1e-12)", "return num / den")],
    },
    {
        "id": "clips-each-tensor",
        "question": "q5",
        "why": "clips every gradient by its own norm instead of the global norm",
        "replace": [("g.mul_(coef)", "g.mul_(torch.clamp(max_norm / (g.norm() + 1e-6), max=1.0))")],
    },
    {
        "id": "returns-norm-after",
        "question": "q5",
        "why": "returns the norm after clipping",
        "replace": [
            (
                "    return total\n    # END SOLUTION",
                "    return torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))\n"
                "    # END SOLUTION",
            )
        ],
    },
    {
        "id": "forgets-epsilon",
        "question": "q5",
        "why": "uses max_norm / total without the 1e-6",
        "replace": [("coef = max_norm / (total + 1e-6)", "coef = max_norm / total")],
    },
    {
        "id": "scales-up-small-gradients",
        "question": "q5",
        "why": "always multiplies by the coefficient, also when it is above 1",
        "replace": [("if coef < 1:", "if True:")],
    },
    {
        "id": "consumes-generator",
        "question": "q5",
        "why": "builds a generator of gradients, which the norm computation uses up before the scaling loop",
        "replace": [
            (
                "grads = [p.grad for p in parameters if p.grad is not None]\n    if not grads:",
                "grads = (p.grad for p in parameters if p.grad is not None)\n    if not grads:",
            )
        ],
    },
    {
        "id": "activation-after-output",
        "question": "q1",
        "why": "puts the activation after the output layer too, as after every hidden layer",
        "replace": [("layers.append(nn.Linear(width, 1))", "layers += [nn.Linear(width, 1), modules[activation]()]")],
    },
    {
        "id": "norms-of-every-parameter",
        "question": "q2",
        "why": "reports one norm per parameter (weights and biases) instead of one per nn.Linear weight",
        "replace": [("grads = torch.autograd.grad(loss, weights)", "grads = torch.autograd.grad(loss, list(model.parameters()))")],
    },
    {
        "id": "squared-norms",
        "question": "q2",
        "why": "reports the squared Frobenius norm (the sum of squares without the square root)",
        "replace": [
            (
                "return torch.stack([torch.linalg.vector_norm(g) for g in grads]).detach()",
                "return torch.stack([(g**2).sum() for g in grads]).detach()",
            )
        ],
    },
    {
        "id": "top-level-modules-only",
        "question": "q2",
        "why": "iterates over the model's top-level modules only, so an nn.Linear inside a nested nn.Sequential is missed",
        "replace": [("for m in model.modules() if isinstance(m, nn.Linear)", "for m in model if isinstance(m, nn.Linear)")],
    },
    {
        "id": "ignores-init-scale",
        "question": "q1",
        "why": "uses LeCun's std 1 / sqrt(width) and forgets the factor init_scale",
        "replace": [("std = init_scale / math.sqrt(width)", "std = 1 / math.sqrt(width)")],
    },
    {
        "id": "hard-coded-ratio",
        "question": "q3",
        "why": "compares with the default thresholds 1e-3 and 1e3 whatever ratio is passed",
        "replace": [("if r < 1 / ratio:", "if r < 1e-3:"), ("if r > ratio:", "if r > 1e3:")],
    },
    {
        "id": "returns-python-float",
        "question": "q5",
        "why": "returns the norm before clipping as a Python float (total.item()) instead of a tensor",
        "replace": [("    return total\n    # END SOLUTION", "    return total.item()\n    # END SOLUTION")],
    },
    {
        "id": "one-linear-repeated",
        "question": "q1",
        "why": "repeats one [Linear, activation] pair with list * depth, so every hidden block is the same module",
        "replace": [
            (
                "for _ in range(depth):\n        layers += [nn.Linear(width, width), modules[activation]()]",
                "layers += [nn.Linear(width, width), modules[activation]()] * depth",
            )
        ],
    },
]
