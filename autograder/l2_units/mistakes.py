"""Known-wrong solutions of l2_units: each entry is the reference with one realistic mistake."""

MISTAKES = [
    {
        "id": "lam-not-halved",
        "question": "q1",
        "why": "puts lam instead of lam / 2 on the diagonal of the normal equations",
        "replace": [("A = X64.T @ X64 / n + lam / 2 * torch.eye(", "A = X64.T @ X64 / n + lam * torch.eye(")],
    },
    {
        "id": "sums-instead-of-means",
        "question": "q1",
        "why": "drops the 1 / n of the mean: solves (X^T X + lam / 2 I) w = X^T y",
        "replace": [
            ("A = X64.T @ X64 / n + lam / 2", "A = X64.T @ X64 + lam / 2"),
            ("w = torch.linalg.solve(A, X64.T @ y64 / n)", "w = torch.linalg.solve(A, X64.T @ y64)"),
        ],
    },
    {
        "id": "solves-in-float32",
        "question": "q1",
        "why": "solves the normal equations in the input's dtype instead of float64",
        "replace": [
            (
                "X64, y64 = X.to(torch.float64), y.to(torch.float64)",
                "X64, y64 = X, y.to(X.dtype)",
            ),
            ("lam / 2 * torch.eye(d, dtype=torch.float64, device=X.device)",
             "lam / 2 * torch.eye(d, dtype=X.dtype, device=X.device)"),
        ],
    },
    {
        "id": "returns-float64",
        "question": "q1",
        "why": "returns the float64 solution without casting back to X's dtype",
        "replace": [("    return w.to(X.dtype)\n", "    return w\n")],
    },
    {
        "id": "multiplies-by-3-6",
        "question": "q2",
        "why": "converts km/h to m/s by multiplying by 3.6",
        "replace": [("return torch.as_tensor(speed) / 3.6", "return torch.as_tensor(speed) * 3.6")],
    },
    {
        "id": "converts-in-place",
        "question": "q2",
        "why": "divides the input tensor in place",
        "replace": [("return torch.as_tensor(speed) / 3.6", "return torch.as_tensor(speed).div_(3.6)")],
    },
    {
        "id": "scales-x-in-place",
        "question": "q2",
        "why": "scales the column of X itself and returns X (no copy)",
        "replace": [("    out = X.clone()\n", "    out = X\n")],
    },
    {
        "id": "scales-a-row",
        "question": "q2",
        "why": "scales row `column` instead of the column",
        "replace": [
            ("out[:, column] = out[:, column] * factor", "out[column, :] = out[column, :] * factor"),
            ("if not -d <= column < d:", "if not -X.shape[0] <= column < X.shape[0]:"),
        ],
    },
    {
        "id": "answers-decrease",
        "question": "q3",
        "why": "thinks smaller numbers in m/s mean a smaller penalty",
        "replace": [('l2_effect_answer = "increase"  # SOLUTION', 'l2_effect_answer = "decrease"  # SOLUTION')],
    },
    {
        "id": "sample-std",
        "question": "q4",
        "why": "uses torch's default (ddof = 1) standard deviation",
        "replace": [("std = Xtr.std(dim=0, unbiased=False)", "std = Xtr.std(dim=0)")],
    },
    {
        "id": "test-statistics",
        "question": "q4",
        "why": "z-scores the test set with its own mean and standard deviation",
        "replace": [
            (
                "return (zscore(Xte) @ w + offset).to(X_test.dtype)",
                "Zte = (Xte - Xte.mean(0)) / Xte.std(0, unbiased=False)\n"
                "    return (Zte @ w + offset).to(X_test.dtype)",
            )
        ],
    },
    {
        "id": "divides-by-zero-std",
        "question": "q4",
        "why": "divides a constant feature by its standard deviation 0",
        "replace": [
            (
                "return torch.where(constant, torch.zeros_like(X), (X - mean) / scale)",
                "return (X - mean) / std",
            )
        ],
    },
    {
        "id": "scales-without-centring",
        "question": "q4",
        "why": "divides by the standard deviation but does not subtract the mean",
        "replace": [
            (
                "return torch.where(constant, torch.zeros_like(X), (X - mean) / scale)",
                "return torch.where(constant, torch.zeros_like(X), X / scale)",
            )
        ],
    },
    {
        "id": "ignores-lam",
        "question": "q1",
        "why": "leaves the penalty out of the normal equations: plain least squares for every lam",
        "replace": [
            (
                "A = X64.T @ X64 / n + lam / 2 * torch.eye(d, dtype=torch.float64, device=X.device)",
                "A = X64.T @ X64 / n",
            )
        ],
    },
    {
        "id": "copy-is-detach",
        "question": "q2",
        "why": "takes X.detach() for a copy: it shares memory with X, so scaling the column changes X",
        "replace": [("    out = X.clone()\n", "    out = X.detach()\n")],
    },
    {
        "id": "centres-y-in-place",
        "question": "q4",
        "why": "centres y with an in-place subtraction; for float64 targets .to(torch.float64) is y_train itself",
        "replace": [
            (
                "w = ridge_fit(zscore(Xtr), y64 - offset, lam)",
                "y64 -= offset\n    w = ridge_fit(zscore(Xtr), y64, lam)",
            )
        ],
    },
    {
        "id": "raw-test-features",
        "question": "q4",
        "why": "z-scores the training features but predicts from the raw test features",
        "replace": [("return (zscore(Xte) @ w + offset).to(X_test.dtype)", "return (Xte @ w + offset).to(X_test.dtype)")],
    },
]
