"""Known-wrong solutions of mtl: each entry is the reference with one realistic mistake."""

MISTAKES = [
    {
        "id": "squeeze-every-dimension",
        "question": "q1",
        "why": "squeezes every size-1 dimension: a batch of one gives a 0-dim output, not shape (1,)",
        "replace": [("head(h).squeeze(-1)", "head(h).squeeze()")],
    },
    {
        "id": "sigmoid-on-smile-head",
        "question": "q1",
        "why": "returns smile probabilities instead of logits, so BCE-with-logits cannot be driven down",
        "replace": [
            (
                "return {task: head(h).squeeze(-1) for task, head in self.heads.items()}",
                "out = {task: head(h).squeeze(-1) for task, head in self.heads.items()}\n"
                '        out["smile"] = torch.sigmoid(out["smile"])\n'
                "        return out",
            )
        ],
    },
    {
        "id": "one-network-per-task",
        "question": "q1",
        "why": "gives every task its own hidden layer, so nothing is shared between the tasks",
        "replace": [
            (
                "self.heads = nn.ModuleDict({task: nn.Linear(hidden, 1) for task in TASKS})",
                "self.heads = nn.ModuleDict(\n"
                "            {task: nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, 1))"
                " for task in TASKS}\n"
                "        )",
            ),
            ("h = self.trunk(x)", "h = x"),
        ],
    },
    {
        "id": "no-input-check",
        "question": "q1",
        "why": "does not check the width of x, so a wrong input fails deep inside nn.Linear or not at all",
        "replace": [("if x.dim() != 2 or x.shape[1] != self.d_in:", "if False:")],
    },
    {
        "id": "forgets-squeeze",
        "question": "q1",
        "why": "returns each head's output as it comes, of shape (n, 1) instead of (n,)",
        "replace": [("head(h).squeeze(-1)", "head(h)")],
    },
    {
        "id": "one-head-for-all-tasks",
        "question": "q1",
        "why": "puts one nn.Linear instance under all three task keys, so the three outputs are the same",
        "replace": [
            (
                "self.heads = nn.ModuleDict({task: nn.Linear(hidden, 1) for task in TASKS})",
                "head = nn.Linear(hidden, 1)\n        self.heads = nn.ModuleDict({task: head for task in TASKS})",
            )
        ],
    },
    {
        "id": "mse-for-gender",
        "question": "q2",
        "why": "treats gender as a regression target (MSE on the logit) instead of BCE with logits",
        "replace": [('BINARY_TASKS = ("smile", "gender")', 'BINARY_TASKS = ("smile",)')],
    },
    {
        "id": "sum-instead-of-mean",
        "question": "q2",
        "why": "sums each task's losses instead of averaging them over the present labels",
        "replace": [("part = summed / max(int(present.sum()), 1)", "part = summed")],
    },
    {
        "id": "parts-as-python-floats",
        "question": "q2",
        "why": "stores parts with .item() (for logging), so parts are floats, not tensors",
        "replace": [("parts[task] = part", "parts[task] = part.item()")],
    },
    {
        "id": "total-ignores-weights",
        "question": "q4",
        "why": "adds the parts up without their weights",
        "replace": [("term = weights.get(task, 1.0) * part", "term = part")],
    },
    {
        "id": "sigmoid-before-bce-with-logits",
        "question": "q2",
        "why": "applies a sigmoid to the logits and then binary_cross_entropy_with_logits, a second sigmoid",
        "replace": [
            (
                'F.binary_cross_entropy_with_logits(o, t, reduction="sum")',
                'F.binary_cross_entropy_with_logits(torch.sigmoid(o), t, reduction="sum")',
            )
        ],
    },
    {
        "id": "parts-include-weights",
        "question": "q2",
        "why": "reports each part already multiplied by its weight, so parts is not the task's own loss",
        "replace": [("parts[task] = part", "parts[task] = weights.get(task, 1.0) * part")],
    },
    {
        "id": "mask-after-computing-the-loss",
        "question": "q3",
        "why": "computes the loss on every row (NaN targets included) and then keeps the present rows: "
        "the forward value is right but the gradient is NaN (0 * NaN) at the missing labels",
        "replace": [
            (
                "        o, t = out[present], y[present]\n"
                "        if task in BINARY_TASKS:\n"
                '            summed = F.binary_cross_entropy_with_logits(o, t, reduction="sum")\n'
                "        else:\n"
                '            summed = F.mse_loss(o, t, reduction="sum")\n',
                "        if task in BINARY_TASKS:\n"
                '            losses = F.binary_cross_entropy_with_logits(out, y, reduction="none")\n'
                "        else:\n"
                '            losses = F.mse_loss(out, y, reduction="none")\n'
                "        summed = losses[present].sum()\n",
            )
        ],
    },
    {
        "id": "nansum-for-age",
        "question": "q3",
        "why": "uses nansum over the squared errors of every row: right value, NaN gradient at missing ages",
        "replace": [('summed = F.mse_loss(o, t, reduction="sum")', "summed = ((out - y) ** 2).nansum()")],
    },
    {
        "id": "divide-by-batch-size",
        "question": "q3",
        "why": "divides by the batch size instead of the number of present labels",
        "replace": [("part = summed / max(int(present.sum()), 1)", "part = summed / len(y)")],
    },
    {
        "id": "empty-task-is-nan",
        "question": "q3",
        "why": "divides by the count of present labels even when it is 0: a task with no labels gives NaN",
        "replace": [("part = summed / max(int(present.sum()), 1)", "part = summed / present.sum()")],
    },
    {
        "id": "fills-missing-labels-in-place",
        "question": "q3",
        "why": "replaces the caller's NaN targets by 0 in place (nan_to_num_): the marks are lost",
        "replace": [
            (
                "present = ~torch.isnan(y)",
                "present = ~torch.isnan(y)\n        y.nan_to_num_(0.0)",
            )
        ],
    },
    {
        "id": "filters-the-callers-dicts",
        "question": "q3",
        "why": "writes the rows with a present label back into the caller's outputs and targets dicts",
        "replace": [
            (
                "o, t = out[present], y[present]",
                "outputs[task], targets[task] = out[present], y[present]\n"
                "        o, t = outputs[task], targets[task]",
            )
        ],
    },
    {
        "id": "fills-default-weights-into-the-callers-dict",
        "question": "q3",
        "why": "fills the default weight 1 into the caller's weights dict (setdefault), which then lists every task",
        "replace": [
            (
                "weights = {} if weights is None else weights",
                "weights = {} if weights is None else weights\n"
                "    if isinstance(weights, dict):\n"
                "        for t in outputs:\n"
                "            weights.setdefault(t, 1.0)",
            )
        ],
    },
    {
        "id": "total-as-python-float",
        "question": "q4",
        "why": "accumulates the total with .item(), which cuts the graph: no gradient reaches any head",
        "replace": [("term = weights.get(task, 1.0) * part", "term = weights.get(task, 1.0) * part.item()")],
    },
    {
        "id": "unlisted-weight-is-zero",
        "question": "q4",
        "why": "gives a task missing from the weights dict weight 0 instead of the default 1",
        "replace": [("term = weights.get(task, 1.0) * part", "term = weights.get(task, 0.0) * part")],
    },
    {
        "id": "weights-normalised",
        "question": "q4",
        "why": "divides the total by the sum of the weights, which changes every gradient's scale",
        "replace": [
            (
                "    return total, parts\n",
                "    return total / sum(weights.get(t, 1.0) for t in outputs), parts\n",
            )
        ],
    },
]
