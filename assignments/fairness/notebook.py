# %% [markdown]
# # DL541 · Assignment 9 — Fairness: accuracy per subgroup
#
# The lecture's smile detector is trained on a face data set whose joint distribution of the
# label (smile or not) and the group (male or female) is
#
# | | male | female |
# |---|---|---|
# | **smile** | 0.47 | 0.02 |
# | **non-smile** | 0.45 | 0.06 |
#
# Only 8 % of the people are women, and only a quarter of them smile, while half of the men do.
# A classifier can reach a good **overall** accuracy while being poor on a small subgroup, for
# instance by learning "women do not smile". One number hides this; the accuracy **per
# subgroup** (label, group) shows it.
#
# Conventions for this assignment: labels, predictions and groups are 1-D tensors of 0/1 values
# (any dtype: bool, integer or float), **label 1 = smile**, **group 0 = male, group 1 = female**.
#
# **Points.** This assignment is worth {points:total} points. Each question lists its points;
# the `grader.check` cells run the public tests, and hidden tests (property-based) decide the
# rest when you submit. Partial credit is given test by test.
#
# **Rules for every function.**
# * Check the inputs with the helper `check_binary` below (given, use it): each tensor must be
#   1-D, non-empty, hold only 0 and 1, and all inputs of one call must have the same length;
#   otherwise raise `ValueError`.
# * A returned tensor is on the input's device and has the floating dtype of the first input
#   (`float32` when that input is bool or integer): that is what `result_dtype` gives.
# * Accuracies, gaps and baselines are Python `float`s, `predicts_one_class` a Python `bool`.
# * No function changes its inputs: the tensors you are given stay as they were.
#
# {rules}

# %% [reference] __imports__

# %% [reference] check_binary result_dtype

# %% [markdown]
# ## Question 1 — the joint distribution ({points:q1} points)
#
# `joint_distribution(labels, groups)` returns the $2 \times 2$ table of the lecture:
# `P[i, j]` $= P(\text{label} = 1 - i,\ \text{group} = j)$, the share of all samples in that cell.
# Row 0 is smile (label 1), row 1 is non-smile; column 0 is male, column 1 is female. The table
# sums to 1.
#
# Rules: divide each cell's count by the number $n$ of all samples (not by the size of a group);
# a cell with no sample is 0.

# %% [reference] joint_distribution

# %% [check] q1

# %% [markdown]
# ### The synthetic data set
# We draw people from the lecture's table. Each person has two features: a noisy **smile cue**
# (mean $+0.6$ for a smile, $-0.6$ otherwise, standard deviation 1: the image evidence, weak on
# purpose) and a **group cue** (the group, nearly noise-free: a face reveals it easily). The
# label is correlated with the group, so a classifier can use the group as a shortcut. What you
# should see: the training set's table (your `joint_distribution`) matches the lecture's to within
# 0.01 in every cell.

# %% [demo]
import matplotlib.pyplot as plt

P_LECTURE = torch.tensor([[0.47, 0.02], [0.45, 0.06]])


def make_people(n, generator, signal=0.6):
    """Features (n, 2) = (smile cue, group cue), labels (n,) and groups (n,) drawn from P_LECTURE."""
    cell = torch.multinomial(P_LECTURE.flatten(), n, replacement=True, generator=generator)
    labels = (1 - cell // 2).float()  # row 0 of the table is smile (label 1)
    groups = (cell % 2).float()  # column 1 is female (group 1)
    smile_cue = signal * (2 * labels - 1) + torch.randn(n, generator=generator)
    group_cue = groups + 0.1 * torch.randn(n, generator=generator)
    return torch.stack([smile_cue, group_cue], dim=1), labels, groups


g = torch.Generator().manual_seed(0)
x_train, y_train, g_train = make_people(20_000, g)
x_test, y_test, g_test = make_people(20_000, g)

tables = (P_LECTURE, joint_distribution(y_train, g_train))
fig, axes = plt.subplots(1, 2, figsize=(7.5, 3.4))
for ax, table, title in zip(axes, tables, ("the lecture's table", "our training set (20 000 people)")):
    ax.imshow(table, cmap="Blues", vmin=0, vmax=0.5)
    for row in (0, 1):
        for col in (0, 1):
            value = float(table[row, col])
            ax.text(col, row, f"{value:.3f}", ha="center", va="center", color="white" if value > 0.25 else "black")
    ax.set_xticks([0, 1], ["male", "female"])
    ax.set_yticks([0, 1], ["smile", "non-smile"])
    ax.set_xlabel("group")
    ax.set_ylabel("label")
    ax.set_title(title, fontsize=10)
fig.suptitle("P(label, group), the share of all people in each cell")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Question 2 — accuracy per subgroup ({points:q2} points)
#
# * `subgroup_accuracy(y_true, y_pred, groups)` returns a dict keyed `(label, group)` (Python
#   ints, the **true** label) whose value is the accuracy on the samples of that subgroup.
#   A subgroup with no sample is **left out** of the dict (its accuracy is undefined, not 0).
# * `accuracy_gap(y_true, y_pred, groups)` is the largest minus the smallest of those accuracies
#   (0 when only one subgroup is present).
#
# Rules: a subgroup is a pair (true label, group), so there are up to 4 of them; the accuracy of
# a subgroup is the share of its samples with `y_pred == y_true`. Relabelling the groups (0 and 1
# swapped) swaps the keys and changes no accuracy.
#
# *Think:* why is the overall accuracy the mean of the subgroup accuracies weighted by the
# subgroup sizes? What does a small subgroup therefore do to the overall accuracy?

# %% [reference] subgroup_accuracy accuracy_gap

# %% [check] q2

# %% [markdown]
# ## Question 3 — sanity checks ({points:q3} points)
#
# Before reading anything into an accuracy, compare it with two checks:
#
# * `majority_baseline(labels)` — the share of the most frequent label: the accuracy of a
#   "classifier" that always answers the dominant class;
# * `predicts_one_class(y_pred)` — `True` when every prediction is the same: the classifier has
#   collapsed to one class (its accuracy is then the share of that class).
#
# Rules: both work for labels of any dtype (bool, integer or float); the baseline is a share
# between 0.5 and 1, not a count.

# %% [reference] majority_baseline predicts_one_class

# %% [check] q3

# %% [markdown]
# ### See it: the shortcut
# First a logistic regression trained on the **group cue alone**. The best it can do is to
# answer the most likely label of each group. For women that is non-smile ($0.06 > 0.02$):
# **every woman is predicted non-smile**, the one-class check within the group says so, and the
# smiling women get accuracy 0. For men the two labels are almost equally likely
# ($0.47$ against $0.45$), so its answers are nearly a coin toss, and the overall accuracy
# barely beats the majority baseline. Then a logistic
# regression on both cues: a better overall accuracy, but look at the smiling women. We print
# the overall accuracy next to the majority baseline, the one-class check on all predictions
# and within each group, and the accuracy per subgroup.

# %% [demo]
def fit_logistic(x, y, sample_weight=None, steps=100):
    """Weighted logistic regression (with a bias) by L-BFGS; returns the 0/1 predictor."""
    X = torch.cat([x, torch.ones(len(x), 1)], dim=1)
    w = torch.ones(len(y)) if sample_weight is None else sample_weight
    theta = torch.zeros(X.shape[1], requires_grad=True)
    opt = torch.optim.LBFGS([theta], max_iter=steps)

    def closure():
        opt.zero_grad()
        per_sample = torch.nn.functional.binary_cross_entropy_with_logits(X @ theta, y, reduction="none")
        loss = (w * per_sample).mean()
        loss.backward()
        return loss

    opt.step(closure)
    return lambda x_new: (torch.cat([x_new, torch.ones(len(x_new), 1)], dim=1) @ theta.detach() > 0).float()


def report(name, predict):
    y_pred = predict(x_test if name != "group cue only" else x_test[:, 1:])
    accuracy = float((y_pred == y_test).float().mean())
    print(f"{name}: accuracy {accuracy:.3f} (majority baseline {majority_baseline(y_test):.3f})")
    print(f"    predicts one class: overall {predicts_one_class(y_pred)}, "
          f"men {predicts_one_class(y_pred[g_test == 0])}, women {predicts_one_class(y_pred[g_test == 1])}")
    for (label, group), acc in sorted(subgroup_accuracy(y_test, y_pred, g_test).items(), reverse=True):
        print(f"    {'smile' if label else 'non-smile':>9} {'female' if group else 'male':>6}: {acc:.3f}")
    print(f"    gap {accuracy_gap(y_test, y_pred, g_test):.3f}")
    return y_pred


report("group cue only", fit_logistic(x_train[:, 1:], y_train))
pred_plain = report("both cues", fit_logistic(x_train, y_train))

# %% [markdown]
# ## Question 4 — balanced sample weights ({points:q4} points)
#
# One mitigation: weight the training loss so that every present subgroup weighs the same.
# `balanced_sample_weights(labels, groups)` gives a sample of a subgroup of size $n_s$ the weight
#
# $$w = \frac{n}{S \, n_s},$$
#
# where $S$ is the number of subgroups present (at most 4). Every subgroup then weighs $n / S$
# in all, the weights sum to $n$ (so the mean weighted loss keeps its scale), and the weighted
# joint distribution is uniform over the present cells.
#
# Rules: a subgroup is a pair (label, group); a subgroup with no sample does not count in $S$.

# %% [reference] balanced_sample_weights

# %% [check] q4

# %% [markdown]
# ### See it: the gap shrinks
# The same logistic regression on both cues, trained with balanced sample weights. The rare
# subgroup "smiling women" was sacrificed by the plain model; with the weights it counts as
# much as any other, and the gap between the best and the worst subgroup shrinks for a small
# cost in overall accuracy. What you should see: the smiling women's accuracy rises from about
# 0.47 to about 0.78 and the gap falls from 0.45 to 0.08, while the overall accuracy drops by
# half a point (0.731 to 0.726).

# %% [demo]
weights = balanced_sample_weights(y_train, g_train)
pred_balanced = report("both cues, balanced weights", fit_logistic(x_train, y_train, weights))

names = [("smile", 1, 0), ("smile", 1, 1), ("non-smile", 0, 0), ("non-smile", 0, 1)]
plain = subgroup_accuracy(y_test, pred_plain, g_test)
balanced = subgroup_accuracy(y_test, pred_balanced, g_test)
positions = torch.arange(4).float()
plt.figure(figsize=(7.5, 4))
plt.bar(positions - 0.2, [plain[(lab, grp)] for _, lab, grp in names], width=0.4,
        label=f"plain (gap {accuracy_gap(y_test, pred_plain, g_test):.2f})")
plt.bar(positions + 0.2, [balanced[(lab, grp)] for _, lab, grp in names], width=0.4,
        label=f"balanced weights (gap {accuracy_gap(y_test, pred_balanced, g_test):.2f})")
plt.xticks(positions, [f"{name}\n{'female' if grp else 'male'}" for name, _, grp in names])
plt.xlabel("subgroup: true label and group")
plt.ylabel("test accuracy")
plt.ylim(0, 1.22)
plt.yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
plt.legend(loc="upper center", ncols=2, fontsize=9)
plt.title("Test accuracy per subgroup, logistic regression on both cues")
plt.tight_layout()
plt.show()
