# %% [markdown]
# # DL541 · Assignment 7 — Transfer learning: pre-train, chop off, new head, fine-tune
#
# Labels for the task you care about are scarce, but a related task has plenty. **Supervised
# pre-training** trains a network on the related task; then you
#
# 1. **chop off** its last layer(s), which are specific to the old task's classes,
# 2. put a **new head** (a fresh `nn.Linear`) on what is left, sized for the new task,
# 3. train the head on the few new labels with the pre-trained body **frozen**, and optionally
# 4. **fine-tune** everything with a small learning rate for the body, so the features adapt
#    without being destroyed.
#
# The experiment: pre-train on the handwritten digits 0–4, transfer to the digits 5–9 with a few
# labels each, and compare with a network trained from scratch on the same few labels.
#
# **Points.** This assignment is worth {points:total} points. Each question lists its points;
# the `grader.check` cells run the public tests, and hidden tests (property-based) decide the
# rest when you submit. Partial credit is given test by test.
#
# **Conventions.** Keep the input's device and dtype. Bad input raises `ValueError` with a clear
# message.
#
# {rules}

# %% [reference] __imports__

# %% [markdown]
# ## Question 1 — chop off ({points:q1} points)
#
# `chop_off(model, n=1)` returns a **new** `nn.Sequential` holding the modules of `model`
# without its last `n`. The modules it keeps are the *same objects* as in `model`: parameters
# are shared, not copied, so training the chopped network trains the original too. `model` itself
# must not change.
#
# *Instructor's note:* valid values are $0 \le n < $ `len(model)`; `n = 0` returns a new
# `nn.Sequential` with every module. A negative `n`, or one that would leave nothing
# (`n >= len(model)`), raises `ValueError`. The reference keeps the modules' names. Careful with
# `model[:-n]`: what does it give for `n = 0`?

# %% [reference] chop_off

# %% [check] q1

# %% [markdown]
# ## Question 2 — a new head ({points:q2} points)
#
# `transfer_model(pretrained, n_outputs, n_chop=1)` returns an `nn.Sequential`: the network
# `chop_off(pretrained, n_chop)` followed by a new `nn.Linear(width, n_outputs)`, where `width` is
# the `out_features` of the last `nn.Linear` left in the chopped network (modules such as `ReLU`
# after it do not change the width). The head must be the **last** module of the result.
#
# *Instructor's note:* the last `nn.Linear` is searched in forward order, inside nested
# `nn.Sequential` blocks too. The head gets the pre-trained weights' device and dtype and
# PyTorch's default initialisation (torch's global generator: seed it with `torch.manual_seed`).
# The reference puts the chopped modules and the head side by side in one flat `nn.Sequential`;
# nesting the chopped network as the first module is accepted as well. When no `nn.Linear` is
# left, or `n_outputs < 1`, raise `ValueError`; a bad `n_chop` raises as in Question 1.

# %% [reference] transfer_model

# %% [check] q2

# %% [markdown]
# ### Pre-training on the digits 0–4
# An MLP learns the five classes 0–4 from about 900 images (a second of training).

# %% [demo]
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits

digits = load_digits()
X_all = torch.tensor(digits.data, dtype=torch.float32) / 16
y_all = torch.tensor(digits.target)
X_old, y_old = X_all[y_all < 5], y_all[y_all < 5]  # the pre-training task
X_new, y_new = X_all[y_all >= 5], y_all[y_all >= 5] - 5  # the new task: 5..9 relabelled 0..4
order = torch.randperm(len(X_new), generator=torch.Generator().manual_seed(0))
pool, test = order[:600], order[600:]  # labels may be drawn from the pool; accuracy on the test set


def make_mlp():
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 5))


def fit(model, groups, X, y, steps, lr):
    opt = torch.optim.Adam(groups, lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        F.cross_entropy(model(X), y).backward()
        opt.step()
    return model


def test_accuracy(model):
    with torch.no_grad():
        return float((model(X_new[test]).argmax(dim=1) == y_new[test]).float().mean())


torch.manual_seed(0)
pretrained = make_mlp()
fit(pretrained, pretrained.parameters(), X_old, y_old, 150, 0.01)
with torch.no_grad():
    print("accuracy on 0-4 (training images):", float((pretrained(X_old).argmax(dim=1) == y_old).float().mean()))
print(transfer_model(pretrained, 5, n_chop=1))

# %% [markdown]
# ## Question 3 — freezing ({points:q3} points)
#
# `freeze(module)` sets `requires_grad = False` on every parameter of `module`, those of its
# sub-modules included, and returns the same `module`. Backward then computes no gradient for
# them, and an optimiser skips them, even one built over all of a model's parameters.
#
# *Instructor's note:* freezing acts on the parameter tensors. A chopped network shares them
# with the pre-trained model, so freezing one freezes the other: deep-copy the pre-trained model
# (`copy.deepcopy`) when you want to keep it as it was.

# %% [reference] freeze

# %% [check] q3

# %% [markdown]
# ## Question 4 — fine-tuning with two learning rates ({points:q4} points)
#
# `fine_tune_param_groups(encoder, head, lr, encoder_lr_scale=0.1)` returns the two parameter
# groups of a PyTorch optimiser, `[{"params": [...], "lr": lr * encoder_lr_scale},
# {"params": [...], "lr": lr}]`: the encoder's trainable parameters at the small rate first, then
# the head's at `lr`. Frozen parameters (`requires_grad = False`) are in no group, and every
# trainable parameter is in exactly one. Use it as `torch.optim.Adam(fine_tune_param_groups(...))`.
#
# *Instructor's note:* both groups are always returned, even when one has no trainable parameter
# left (PyTorch accepts an empty group); dropping an empty group is accepted too. A parameter
# that the encoder and the head share goes into the head's group (either group is accepted, but
# never both). `lr <= 0` or `encoder_lr_scale < 0` raises `ValueError`; a scale of 0 is allowed
# (the encoder is then effectively frozen).

# %% [reference] fine_tune_param_groups

# %% [check] q4

# %% [markdown]
# ### See it: transfer against training from scratch
# For $m$ labelled images per class of the new task, we compare four networks, averaged over two
# random draws of the labels:
#
# * **frozen, chop 1**: the pre-trained body up to its last hidden layer (64 features), frozen,
#   with a new head;
# * **frozen, chop 3**: the body up to the *first* hidden layer (128 features), frozen, new head;
# * **fine-tuned, chop 3**: the previous network, then everything trained for a while with the
#   body at a tenth of the head's learning rate;
# * **from scratch**: the same architecture, randomly initialised, trained on the few labels.

# %% [demo]
labels_per_class = [1, 3, 10, 30]
curves = {"frozen, chop 1": [], "frozen, chop 3": [], "fine-tuned, chop 3": [], "from scratch": []}
for m in labels_per_class:
    scores = {name: 0.0 for name in curves}
    for seed in range(2):
        g = torch.Generator().manual_seed(seed)
        chosen = torch.cat([
            candidates[torch.randperm(len(candidates), generator=g)[:m]]
            for candidates in (pool[y_new[pool] == c] for c in range(5))
        ])
        X, y = X_new[chosen], y_new[chosen]
        for n_chop in (1, 3):
            torch.manual_seed(seed)
            model = transfer_model(copy.deepcopy(pretrained), 5, n_chop=n_chop)  # copy: keep `pretrained`
            freeze(model[:-1])
            fit(model, model[-1].parameters(), X, y, 80, 0.05)
            scores[f"frozen, chop {n_chop}"] += test_accuracy(model) / 2
        for p in model[:-1].parameters():  # unfreeze the chop-3 body and fine-tune it gently
            p.requires_grad_(True)
        fit(model, fine_tune_param_groups(model[:-1], model[-1], lr=0.02, encoder_lr_scale=0.1), X, y, 80, 0.02)
        scores["fine-tuned, chop 3"] += test_accuracy(model) / 2
        torch.manual_seed(seed)
        scratch = make_mlp()
        fit(scratch, scratch.parameters(), X, y, 160, 0.01)
        scores["from scratch"] += test_accuracy(scratch) / 2
    for name in curves:
        curves[name].append(scores[name])
plt.figure(figsize=(6.5, 3.8))
for name, values in curves.items():
    plt.plot([5 * m for m in labels_per_class], values, "o-", label=name)
plt.xscale("log")
plt.xlabel("labelled images of the new task (digits 5-9)")
plt.ylabel("test accuracy")
plt.legend()
plt.show()

# %% [markdown]
# ### What the plot says
# Read it honestly: on these clean $8 \times 8$ digits a small network trained from scratch is
# already good with a handful of labels, and transfer from 0–4 does **not** beat it here.
#
# * The last hidden layer was trained to tell 0, 1, 2, 3 and 4 apart and little else: frozen
#   features from there (chop 1) fit the new classes worst. This is *negative transfer*.
# * Chopping deeper keeps more generic features (chop 3) and does much better; fine-tuning with
#   a small encoder rate closes most of the remaining gap.
# * Transfer pays when the source task is large and close to the target, and the target is hard
#   to learn from few labels: ImageNet features for a medical-image task, not digits 0–4 for
#   digits 5–9. Always keep the from-scratch baseline in the comparison.
#
# *Think:* why does fine-tuning use a *smaller* rate for the encoder than for the head? What
# happens to good pre-trained features in the first steps, while the new head is still random?
