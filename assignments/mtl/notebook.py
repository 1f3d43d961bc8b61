# %% [markdown]
# # DL541 · Assignment 8 — Multi-task learning for face analysis
#
# The lecture's example: from one face image, predict three things at once,
#
# * **smile** — does the person smile? (binary: a logit),
# * **age** — how old is the person? (regression: years),
# * **gender** — male or female? (binary: a logit).
#
# Instead of three networks, one network with a **shared trunk** $h = \phi(x)$ and three small
# **heads** $f_t(h)$, one per task $t$. The trunk gets gradient from every task, so features
# that help one task are learned from the labels of all of them.
#
# Real data sets are stitched together from sources that label different things: one source has
# smiles, another ages. A missing label is stored as `NaN` and must simply be left out. The loss is
#
# $$L = \sum_t w_t \, L_t, \qquad
#   L_t = \frac{1}{|P_t|} \sum_{i \in P_t} \ell_t(\hat y_{it}, y_{it}),$$
#
# where $P_t$ is the set of examples whose label for task $t$ is present, $\ell_t$ is binary
# cross-entropy with logits for smile and gender and the squared error for age, and $L_t = 0$
# when $P_t$ is empty.
#
# We have no face images here: the notebook synthesises "face features" from hidden factors
# (smile, age, gender, plus nuisances such as lighting and pose).
#
# **Points.** This assignment is worth {points:total} points. Each question lists its points;
# the `grader.check` cells run the public tests, and hidden tests (property-based) decide the
# rest when you submit. Partial credit is given test by test.
#
# **Conventions.** Tensors are `torch.Tensor`; keep the input's device and dtype. Bad input
# raises `ValueError` with a clear message.
#
# {rules}

# %% [reference] __imports__

# %% [reference] TASKS BINARY_TASKS

# %% [markdown]
# ## Question 1 — the network ({points:q1} points)
#
# `MultiTaskNet(d_in, hidden)` is an `nn.Module` with a shared trunk from `(n, d_in)` to
# `(n, hidden)` (one `nn.Linear` and a ReLU is enough) and one linear head per task.
# `forward(x)` returns a dict
#
# ```python
# {"smile": logits of shape (n,), "age": years of shape (n,), "gender": logits of shape (n,)}
# ```
#
# Rules:
# * the keys are exactly `"smile"`, `"age"`, `"gender"` (the constant `TASKS`) and each value has
#   shape `(n,)`, not `(n, 1)`, also when `n = 1`;
# * the outputs are raw: logits for smile and gender (no sigmoid, the loss applies it) and years
#   for age (no ReLU or clamp), so that training with the loss of Question 2 can fit any labels;
# * the tasks share the trunk: some parameters are reached by every task's output (the shared
#   trunk) and each task reaches parameters no other task reaches (its head);
# * the trunk is nonlinear (a ReLU, or another nonlinearity, after its `nn.Linear`): with a
#   linear trunk every output would be an affine function of `x`;
# * outputs have the dtype and device of the model (call `.to(...)` / `.double()` on it);
# * `x` that is not of shape `(n, d_in)` raises `ValueError`, and so does a `d_in` or a `hidden`
#   below 1.
#
# The attribute names `trunk` (a module) and `heads` (an `nn.ModuleDict` keyed by task) are a
# suggestion: the tests check only behaviour.

# %% [reference] MultiTaskNet

# %% [check] q1

# %% [markdown]
# ## Question 2 — the multi-task loss ({points:q2} points)
#
# `mtl_loss(outputs, targets, weights=None)` returns `(total, parts)`:
#
# * `parts[t]` is $L_t$: binary cross-entropy with logits for `"smile"` and `"gender"`, the mean
#   squared error for `"age"`, each the mean over that task's labels;
# * `total` is $\sum_t w_t \, \text{parts}[t]$.
#
# In this question every label is present, so `parts[t]` must agree with
# `torch.nn.functional.binary_cross_entropy_with_logits` and `torch.nn.functional.mse_loss`.
#
# Rules:
# * `outputs` and `targets` are dicts with the same task keys (any of `TASKS`; a model's output
#   has all three); each value has shape `(n,)`, and a task's output and target have the same
#   shape. Targets are floats (0./1. for the binary tasks, years for age) and are converted to
#   the output's dtype (float64 targets with a float32 model give float32 parts).
# * `weights` is `None` (every weight 1) or a dict keyed by task, e.g. `{"age": 0.01}`; a task
#   that the dict does not list has weight 1.
# * `parts` reports each task's own loss, unweighted: the weights change `total`, never `parts`.
# * `parts` is a dict `{task: 0-dim tensor}` on the outputs' device and dtype, still attached to
#   the graph (no `.item()`); `total` is a 0-dim tensor you can call `.backward()` on.
# * Different keys in `outputs` and `targets`, an unknown task, mismatched shapes, or a weight
#   for a key that is not a task of `outputs` (a typo such as `"smiles"`) raise `ValueError`
#   whose message names the task or shows the shapes at fault.

# %% [reference] mtl_loss

# %% [check] q2

# %% [markdown]
# ## Question 3 — missing labels ({points:q3} points)
#
# A `NaN` target is a missing label: leave it out. Each part is the mean over the **present**
# labels of its task, and a task with no present label in the batch contributes exactly 0.
#
# *The classic bug.* Computing the loss on every row and **then** masking gives the right
# value but a `NaN` gradient: the mask's gradient is 0 at a missing row, and the chain rule
# multiplies it by $\partial \ell / \partial \hat y = \hat y - \text{NaN} = \text{NaN}$, and
# $0 \cdot \text{NaN} = \text{NaN}$. Select the present rows **before** computing the loss
# (or replace the NaN targets by a harmless value first). The demo below shows the bug.
#
# Rules:
# * Missing labels must never put a `NaN` into any gradient: an output whose label is missing
#   gets gradient 0, and the other outputs get the gradient of the loss over the present labels
#   alone.
# * A task with no present label (all its labels missing, or a batch of one whose label is
#   missing) has a part that is a 0-dim tensor equal to 0; its head then gets no gradient, or a
#   zero one.
# * `mtl_loss` changes none of its arguments: no key of the dicts `outputs`, `targets` or
#   `weights` is added, removed or replaced, and no tensor is written in place (do not fill the
#   NaN targets of the caller). The training loop below calls it again and again with the same
#   targets.

# %% [check] q3

# %% [demo]
nan = float("nan")
logits = torch.tensor([2.0, -1.0, 0.5], requires_grad=True)
labels = torch.tensor([1.0, nan, 0.0])
present = ~torch.isnan(labels)

total, parts = mtl_loss(
    {"smile": logits, "age": torch.zeros(3), "gender": torch.zeros(3)},
    {"smile": labels, "age": torch.full((3,), nan), "gender": torch.full((3,), nan)},
)
total.backward()
yours = logits.grad.clone()
logits.grad = None
naive = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels, reduction="none")[present].mean()
naive.backward()
print(f"mask after the loss : loss {naive.item():.4f}, gradient {[round(v, 4) for v in logits.grad.tolist()]}")
print(f"mtl_loss            : loss {parts['smile'].item():.4f}, gradient {[round(v, 4) for v in yours.tolist()]}")

# %% [markdown]
# ## Question 4 — weights and gradients ({points:q4} points)
#
# The weights decide how much each task pulls on the shared trunk. By linearity of the
# gradient, $\nabla_\theta L = \sum_t w_t \nabla_\theta L_t$ for the trunk's parameters
# $\theta$: the trunk's gradient is the weighted sum of the tasks' gradients, a task with weight
# 0 sends no gradient anywhere (its head learns nothing), and the trunk is pulled by every task
# with a non-zero weight. Nothing new to write: the tests of this question check these
# properties of your `mtl_loss` on a small network of their own.
#
# *Think:* the age loss is in years² (easily 100s), the binary losses in nats (about 0.7 at
# the start). What happens to smile and gender when all weights are 1?

# %% [check] q4

# %% [markdown]
# ### See it: synthetic faces with missing labels
# The cell below draws the hidden factors (smile, age, gender and five nuisances), mixes them
# non-linearly into 20 "face features", and hides labels: in the training set 50 % of the smile
# labels, 70 % of the ages and 30 % of the genders are missing. The validation set is complete.

# %% [demo]
import matplotlib.pyplot as plt


mixing = torch.randn(8, 20, generator=torch.Generator().manual_seed(541))  # the same "camera" for all
g = torch.Generator().manual_seed(0)
faces = {}
for split, n, missing in (("train", 2000, (0.5, 0.7, 0.3)), ("validation", 1000, (0.0, 0.0, 0.0))):
    smile = torch.randint(0, 2, (n,), generator=g).float()
    gender = torch.randint(0, 2, (n,), generator=g).float()
    age = 18 + 52 * torch.rand(n, generator=g)
    nuisance = torch.randn(n, 5, generator=g)  # lighting, pose, ...
    factors = torch.cat(
        [(2 * smile - 1)[:, None], ((age - 44) / 15)[:, None], (2 * gender - 1)[:, None], nuisance], dim=1
    )
    x = torch.tanh(factors @ mixing / 2) + 0.3 * torch.randn(n, 20, generator=g)
    targets = {"smile": smile, "age": age, "gender": gender}
    for (task, y), p in zip(targets.items(), missing):
        y[torch.rand(n, generator=g) < p] = float("nan")  # hide labels: NaN = missing
    faces[split] = (x, targets)
x_train, y_train = faces["train"]
x_val, y_val = faces["validation"]
for task, y in y_train.items():
    print(f"{task:>6}: {int((~torch.isnan(y)).sum())} of {len(y)} training labels present")

# %% [markdown]
# ### See it: the weights balance the units
# Two runs of the same small network (a trunk only 4 units wide, so the tasks compete for it),
# trained with Adam on the training set: all weights 1, then the age loss divided by
# $15^2$ (the variance of age in years²), which puts it on the scale of the binary losses.
# With all weights 1 the age loss dominates the trunk's gradient. What you should see: with the
# age weight $1/15^2$ smile and gender reach about 0.98 and 0.96 validation accuracy; with all
# weights 1 they stall near 0.78 and 0.68, and the age error is not even better for it.

# %% [demo]
runs = {}
for label, weights in (("all weights 1", None), ("age weight 1/15²", {"age": 1 / 15**2})):
    torch.manual_seed(0)
    net = MultiTaskNet(20, 4)
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    history = []
    for step in range(300):
        total, parts = mtl_loss(net(x_train), y_train, weights)
        opt.zero_grad()
        total.backward()
        opt.step()
        if step % 10 == 0:
            with torch.no_grad():
                out = net(x_val)
            history.append((
                step,
                float(((out["smile"] > 0).float() == y_val["smile"]).float().mean()),
                float(((out["gender"] > 0).float() == y_val["gender"]).float().mean()),
                float((out["age"] - y_val["age"]).abs().mean()),
            ))
    runs[label] = torch.tensor(history)

for label, h in runs.items():
    print(f"{label:>16}, step {int(h[-1, 0])}: smile accuracy {h[-1, 1]:.3f}, gender accuracy {h[-1, 2]:.3f}, "
          f"age error {h[-1, 3]:.1f} years")
fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
panels = (("smile", "accuracy"), ("gender", "accuracy"), ("age", "mean absolute error (years)"))
for label, h in runs.items():
    for ax, column, (task, ylabel) in zip(axes, (1, 2, 3), panels):
        ax.plot(h[:, 0], h[:, column], label=label)
        ax.set_title(task)
        ax.set_xlabel("Adam step")
        ax.set_ylabel(f"validation {ylabel}")
axes[0].legend(loc="lower right")
fig.suptitle("Validation metrics of MultiTaskNet(20, 4) on the synthetic faces")
plt.tight_layout()
plt.show()
