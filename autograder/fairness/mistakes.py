"""Known-wrong solutions of fairness: each entry is the reference with one realistic mistake."""

MISTAKES = [
    {
        "id": "rows-not-flipped",
        "question": "q1",
        "why": "puts label i in row i, so the first row is non-smile instead of smile",
        "replace": [("P[i, j] = ((labels == 1 - i) & (groups == j)).sum() / n",
                     "P[i, j] = ((labels == i) & (groups == j)).sum() / n")],
    },
    {
        "id": "table-transposed",
        "question": "q1",
        "why": "swaps rows and columns (groups as rows, labels as columns)",
        "replace": [("P[i, j] = ((labels == 1 - i) & (groups == j)).sum() / n",
                     "P[j, i] = ((labels == 1 - i) & (groups == j)).sum() / n")],
    },
    {
        "id": "conditional-per-group",
        "question": "q1",
        "why": "divides by the group size, giving P(label | group) instead of the joint distribution",
        "replace": [("P[i, j] = ((labels == 1 - i) & (groups == j)).sum() / n",
                     "P[i, j] = ((labels == 1 - i) & (groups == j)).sum() / (groups == j).sum()")],
    },
    {
        "id": "keys-group-label",
        "question": "q2",
        "why": "keys the subgroups (group, label) instead of (label, group)",
        "replace": [("result[(label, group)] = float(correct[members].double().mean())",
                     "result[(group, label)] = float(correct[members].double().mean())")],
    },
    {
        "id": "absent-subgroup-scores-zero",
        "question": "q2",
        "why": "reports accuracy 0 for a subgroup with no members instead of leaving it out",
        "replace": [("            if bool(members.any()):\n"
                     "                result[(label, group)] = float(correct[members].double().mean())",
                     "            hits = float(correct[members].double().sum())\n"
                     "            result[(label, group)] = hits / max(int(members.sum()), 1)")],
    },
    {
        "id": "subgroups-by-prediction",
        "question": "q2",
        "why": "forms the subgroups from the predicted labels instead of the true labels",
        "replace": [("members = (y_true == label) & (groups == group)",
                     "members = (y_pred == label) & (groups == group)")],
    },
    {
        "id": "gap-from-overall",
        "question": "q2",
        "why": "measures the gap as overall accuracy minus the worst subgroup",
        "replace": [("return max(accuracies) - min(accuracies)",
                     "return float((y_true == y_pred).double().mean()) - min(accuracies)")],
    },
    {
        "id": "majority-is-share-of-ones",
        "question": "q3",
        "why": "returns the share of label 1 (smile), which is not always the most frequent label",
        "replace": [("return max(share_of_ones, 1.0 - share_of_ones)", "return share_of_ones")],
    },
    {
        "id": "one-class-means-all-ones",
        "question": "q3",
        "why": "only recognises a classifier that always predicts 1, not one that always predicts 0",
        "replace": [("return bool((y_pred == y_pred[0]).all())", "return bool((y_pred == 1).all())")],
    },
    {
        "id": "majority-not-validated",
        "question": "q3",
        "why": "skips the input check in majority_baseline, so labels like 2 give a meaningless share",
        "replace": [("    check_binary(labels=labels)\n    share_of_ones", "    share_of_ones")],
    },
    {
        "id": "weights-proportional-to-size",
        "question": "q4",
        "why": "inverts the formula: large subgroups get large weights",
        "replace": [("weights = n / (present * sizes[subgroup].to(result_dtype(labels)))",
                     "weights = present * sizes[subgroup].to(result_dtype(labels)) / n")],
    },
    {
        "id": "always-four-subgroups",
        "question": "q4",
        "why": "divides by 4 subgroups even when some are absent, so the weights no longer sum to n",
        "replace": [("present = int((sizes > 0).sum())", "present = 4")],
    },
    {
        "id": "weights-sum-to-one",
        "question": "q4",
        "why": "normalises the weights to sum to 1 instead of n",
        "replace": [("    return weights\n", "    return weights / n\n")],
    },
    {
        "id": "counts-not-shares",
        "question": "q1",
        "why": "returns the counts of the cells instead of their shares of all samples",
        "replace": [("P[i, j] = ((labels == 1 - i) & (groups == j)).sum() / n",
                     "P[i, j] = ((labels == 1 - i) & (groups == j)).sum()")],
    },
    {
        "id": "accuracy-per-group-only",
        "question": "q2",
        "why": "computes the accuracy of the whole group for each (label, group) key, ignoring the label",
        "replace": [("members = (y_true == label) & (groups == group)", "members = groups == group")],
    },
    {
        "id": "majority-returns-count",
        "question": "q3",
        "why": "returns the number of samples of the most frequent label, not its share",
        "replace": [("return max(share_of_ones, 1.0 - share_of_ones)",
                     "return float(max(labels.double().sum(), labels.numel() - labels.double().sum()))")],
    },
    {
        "id": "subgroup-code-in-place",
        "question": "q4",
        "why": "builds the subgroup code 2 * label + group in place, overwriting the caller's labels",
        "replace": [("subgroup = (2 * labels + groups).long()  # (label, group) -> 0..3",
                     "labels *= 2\n    labels += groups\n    subgroup = labels.long()")],
    },
]
