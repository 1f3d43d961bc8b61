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
# The experiment: handwritten digits photographed under uneven lighting. Pre-train on thousands
# of labelled photos of the digits 0–4, transfer to the digits 5–9 with a few labelled photos
# each, and compare with a network trained from scratch on the same few labels.
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
# Rules:
# * Valid values are $0 \le n < $ `len(model)`; `n = 0` returns a new `nn.Sequential` with every
#   module. A negative `n`, or one that would leave nothing (`n >= len(model)`), raises
#   `ValueError`. Careful with `model[:-n]`: what does it give for `n = 0`?
# * `n` counts the modules of `model` itself, the `len(model)` modules that `model` runs one after
#   the other: a block nested inside `model` (an `nn.Sequential` inside the `nn.Sequential`) is one
#   module, kept or dropped whole.
# * A module that `model` uses twice (one instance at two places) stays at each of its places that
#   is kept, as the same object: the result always has `len(model) - n` modules.
# * The result is a new `nn.Sequential`, not `model`, and `model` itself must not change.
#
# The reference keeps the modules' names.

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
# Rules:
# * The last `nn.Linear` is searched in forward order, inside nested `nn.Sequential` blocks too.
# * `n_chop` follows the rules of Question 1; `n_chop = 0` keeps every module and puts the head
#   after them.
# * The kept modules are the same objects as in `pretrained` (parameters shared, not copied), a
#   module used twice included. `pretrained` itself must not change: build a new network, do not
#   replace a layer of `pretrained` in place.
# * The head gets the pre-trained weights' device and dtype and PyTorch's default initialisation
#   (torch's global generator: seed it with `torch.manual_seed`).
# * The reference puts the chopped modules and the head side by side in one flat
#   `nn.Sequential`; nesting the chopped network as the first module is accepted as well.
# * When no `nn.Linear` is left, or `n_outputs < 1`, raise `ValueError`; a bad `n_chop` raises
#   as in Question 1.

# %% [reference] transfer_model

# %% [check] q2

# %% [markdown]
# ### The data: digits photographed under uneven lighting
# scikit-learn's 1797 handwritten digits (8×8 pixels, ink 1 on paper 0), "photographed": every
# photo adds its own lighting to the paper, a brightness between 0 and 1 and a tilt of up to ±1
# from one edge of the image to the other, so a pixel's value says as much about the lamp as
# about the ink. A 5 and a 6 under similar light are closer, pixel by pixel, than two 5s under
# different light.
#
# * **Pre-training task**: the digits 0–4 (about 900 images), each training batch photographed
#   afresh: as many labelled photos as we like, a large labelled data set.
# * **New task**: the digits 5–9, photographed once; 450 photos are the pool that the few labels
#   are drawn from, the other 450 are the test set.
#
# The cell shows some photos, then pre-trains a network (64 → 128 → 64 → 5, ReLU) on 0–4 for
# 600 Adam steps of 256 photos (a few seconds on a CPU). It calls none of your functions.

# %% [demo]
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits

digits = load_digits()
images = torch.tensor(digits.images, dtype=torch.float32) / 16  # (1797, 8, 8)
digit_labels = torch.tensor(digits.target)
ramp = torch.linspace(-1, 1, 8)


def photograph(batch, generator):
    """Photos of (n, 8, 8) digits as (n, 64) vectors: paper brightness U(0, 1), tilts U(-1, 1) in x and y."""
    n = len(batch)
    brightness = torch.rand(n, 1, 1, generator=generator)
    tilt_x, tilt_y = 2 * torch.rand(2, n, 1, 1, generator=generator) - 1
    return (batch + brightness + tilt_x * ramp + tilt_y * ramp[:, None]).reshape(n, 64)


camera = torch.Generator().manual_seed(0)
X_old, y_old = images[digit_labels < 5], digit_labels[digit_labels < 5]  # pre-training: 0-4
X_new = photograph(images[digit_labels >= 5], camera)  # the new task: 5..9, relabelled 0..4
y_new = digit_labels[digit_labels >= 5] - 5
order = torch.randperm(len(X_new), generator=camera)
pool, test = order[:450], order[450:]  # the few labels come from the pool; accuracy on the test set


def make_mlp():
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 5))


def fit(model, groups, X, y, steps, lr):
    """Full-batch Adam on cross-entropy over the parameter groups `groups`."""
    opt = torch.optim.Adam(groups, lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        F.cross_entropy(model(X), y).backward()
        opt.step()
    return model


def test_accuracy(model):
    with torch.no_grad():
        return float((model(X_new[test]).argmax(dim=1) == y_new[test]).float().mean())


fig, axes = plt.subplots(2, 8, figsize=(11, 3.4))
shown = [(X_old[k], photograph(X_old[k : k + 1], camera)[0], int(y_old[k])) for k in range(4)]
shown += [(images[digit_labels >= 5][k], X_new[k], int(y_new[k]) + 5) for k in range(4)]
for col, (clean, photo, digit) in enumerate(shown):
    for row, (picture, low, high) in enumerate(((clean, 0, 1), (photo, -1, 3))):
        axes[row, col].imshow(picture.reshape(8, 8), cmap="gray_r", vmin=low, vmax=high)
        axes[row, col].set_xticks([])
        axes[row, col].set_yticks([])
    axes[0, col].set_title(f"{'pre-training' if col < 4 else 'new task'}: {digit}", fontsize=8)
axes[0, 0].set_ylabel("digit")
axes[1, 0].set_ylabel("photo")
fig.suptitle("Top: digits (ink 0 to 1); bottom: their photos (grey scale -1 to 3): the light varies more than the ink")
plt.tight_layout()
plt.show()

torch.manual_seed(0)
pretrained = make_mlp()
opt = torch.optim.Adam(pretrained.parameters(), lr=0.01)
for step in range(600):  # each step a new batch of 256 photos of 0-4 under new lighting
    batch = torch.randint(len(X_old), (256,), generator=camera)
    opt.zero_grad()
    F.cross_entropy(pretrained(photograph(X_old[batch], camera)), y_old[batch]).backward()
    opt.step()
with torch.no_grad():
    fresh = photograph(X_old, torch.Generator().manual_seed(1))  # every 0-4 digit under new lighting
    print(f"pre-trained network: accuracy {float((pretrained(fresh).argmax(dim=1) == y_old).float().mean()):.3f} "
          "on new photos of the digits 0-4")

# %% [markdown]
# ### See it: the chopped network and its new head
# `transfer_model(pretrained, 5, n_chop=3)` keeps the pre-trained network's first `Linear` and
# `ReLU` (the same objects, so the same weights), drops the rest, and adds a new, randomly
# initialised `Linear(128, 5)` for the five new classes. The diagram shows which module goes where.

# %% [demo]
torch.manual_seed(0)
chopped = transfer_model(pretrained, 5, n_chop=3)


def describe(module):
    if isinstance(module, nn.Linear):
        return f"Linear\n{module.in_features} → {module.out_features}"
    return type(module).__name__


fig, ax = plt.subplots(figsize=(10, 3.2))
rows = [(1.0, "pre-trained on 0-4", list(pretrained)), (0.0, "transfer_model(..., n_chop=3)", list(chopped))]
for y, title, modules in rows:
    ax.text(-0.6, y, title, ha="right", va="center", fontsize=9)
    for x, module in enumerate(modules):
        if y == 1.0:
            kept = any(module is m for m in chopped)
            colour, note = ("tab:blue", "kept") if kept else ("lightgrey", "chopped off")
        else:
            new = not any(module is m for m in pretrained)
            colour, note = ("tab:orange", "new head") if new else ("tab:blue", "same object")
        ax.add_patch(plt.Rectangle((x - 0.42, y - 0.3), 0.84, 0.6, color=colour, alpha=0.5))
        ax.text(x, y + 0.05, describe(module), ha="center", va="center", fontsize=8)
        ax.text(x, y - 0.22, note, ha="center", va="center", fontsize=7, style="italic")
ax.set_xlim(-3.4, 4.6)
ax.set_ylim(-0.5, 1.5)
ax.axis("off")
ax.set_title("Chop off the last 3 modules, add a new Linear head for the 5 new classes")
plt.show()
print(chopped)

# %% [markdown]
# ## Question 3 — freezing ({points:q3} points)
#
# `freeze(module)` sets `requires_grad = False` on every parameter of `module`, those of its
# sub-modules included, and returns the same `module`. Backward then computes no gradient for
# them, and an optimiser skips them, even one built over all of a model's parameters.
#
# Rules:
# * `freeze` changes only the `requires_grad` flags of the parameters of `module`: not their
#   values, not what the module computes, and not the flags of parameters outside `module`.
# * Freezing is not `module.eval()`: that switches layers such as dropout to evaluation mode and
#   freezes nothing.
# * Freezing acts on the parameter tensors. A chopped network shares them with the pre-trained
#   model, so freezing one freezes the other: deep-copy the pre-trained model (`copy.deepcopy`)
#   when you want to keep it as it was.

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
# Rules:
# * Both groups are always returned, even when one has no trainable parameter left (PyTorch
#   accepts an empty group); dropping an empty group is accepted too.
# * A parameter that the encoder and the head share goes into the head's group (either group is
#   accepted, but never both).
# * A module used twice (one instance at two places of the encoder, say) has its parameters in
#   one group, once each.
# * `lr <= 0` or `encoder_lr_scale < 0` raises `ValueError`; a scale of 0 is allowed (the encoder
#   is then effectively frozen).

# %% [reference] fine_tune_param_groups

# %% [check] q4

# %% [markdown]
# ### See it: transfer against training from scratch
# For $m$ labelled photos per class of the new task ($5m$ labels in all), four networks, each
# trained on the same labels and averaged over five random draws of them:
#
# * **from scratch**: the same architecture, randomly initialised, trained on the few labels;
# * **frozen, chop 1**: the pre-trained body up to its last hidden layer (64 features), frozen,
#   with a new head;
# * **frozen, chop 3**: the body up to its *first* hidden layer (128 features), frozen, new head;
# * **fine-tuned, chop 3**: the previous network, then everything trained for 100 more steps with
#   the body at a tenth of the head's learning rate (`fine_tune_param_groups`).
#
# The cell takes about 10 seconds on a CPU. What you should see: with 1 or 2 labelled photos per
# class every pre-trained network beats the one trained from scratch, by a wide margin (frozen,
# chop 3, on every one of the five draws: the last printed line); around 8 per class the curves
# meet, and from 16 per class on the network trained from scratch is the best.

# %% [demo]
labels_per_class = [1, 2, 4, 8, 16, 32]
draws = 5
arms = ["from scratch", "frozen, chop 1", "frozen, chop 3", "fine-tuned, chop 3"]
scores = {arm: torch.zeros(len(labels_per_class), draws) for arm in arms}
for i, m in enumerate(labels_per_class):
    for seed in range(draws):
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
            fit(model, model[-1].parameters(), X, y, 100, 0.03)
            scores[f"frozen, chop {n_chop}"][i, seed] = test_accuracy(model)
        for p in model[:-1].parameters():  # unfreeze the chop-3 body and fine-tune it gently
            p.requires_grad_(True)
        fit(model, fine_tune_param_groups(model[:-1], model[-1], lr=0.01, encoder_lr_scale=0.1), X, y, 100, 0.01)
        scores["fine-tuned, chop 3"][i, seed] = test_accuracy(model)
        torch.manual_seed(seed)
        scratch = make_mlp()
        fit(scratch, scratch.parameters(), X, y, 150, 0.01)
        scores["from scratch"][i, seed] = test_accuracy(scratch)

print("labels per class:  " + "".join(f"{m:>7}" for m in labels_per_class))
for arm in arms:
    print(f"{arm:>18}: " + "".join(f"{v:>7.3f}" for v in scores[arm].mean(dim=1).tolist()))
wins = (scores["frozen, chop 3"] > scores["from scratch"]).sum(dim=1).tolist()
print(f"draws where frozen chop 3 beats scratch (of {draws}): " + "".join(f"{w:>7}" for w in wins))

plt.figure(figsize=(7, 4.2))
for arm in arms:
    plt.plot(labels_per_class, scores[arm].mean(dim=1), "o-", label=arm)
    plt.fill_between(labels_per_class, scores[arm].amin(dim=1), scores[arm].amax(dim=1), alpha=0.12)
plt.axhline(0.2, color="grey", linestyle=":", label="chance (5 classes)")
plt.xscale("log", base=2)
plt.xticks(labels_per_class, [str(m) for m in labels_per_class])
plt.ylim(0, 1)
plt.xlabel("labelled photos per class of the new task (digits 5-9)")
plt.ylabel("test accuracy (mean of 5 draws; band: min to max)")
plt.title("Pre-trained on 0-4 vs trained from scratch, on photos of 5-9")
plt.legend(loc="lower right", fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# ### What the plot says
# * **Few labels: pre-training wins.** With one labelled photo per class a network trained from
#   scratch is barely above chance: five photos cannot tell it that the lighting is irrelevant,
#   so it separates the photos by their lamps. The pre-trained first layer has seen thousands of
#   photos under every lighting and responds to ink, not to light; a linear head on its 128
#   features is nearly twice as accurate, on every draw.
# * **Where the advantage disappears.** Around 8 labelled photos per class (40 labels) the
#   curves meet, and from 16 per class the network trained from scratch is the best: with enough
#   labels of its own task it learns to ignore the lighting by itself, *and* it learns features
#   for the strokes of 5–9, while the frozen features were learned to tell 0–4 apart, and a
#   linear head on them cannot do better than what they kept.
# * **Chop deep enough.** The last hidden layer (chop 1) keeps only what separates 0, 1, 2, 3
#   and 4, and levels off at about 0.7: *negative transfer*. The first hidden layer (chop 3) holds
#   generic features (ink against lighting) and transfers much better.
# * **Fine-tuning** with a small encoder rate lets those features adapt: with very few labels it
#   overfits them a little (a bit below frozen), with 16 or more it comes within 0.02 of scratch.
#
# Transfer pays when the source task is large and related to the target and the target is hard to
# learn from its few labels (ImageNet features for a medical-image task). Always keep the
# from-scratch baseline in the comparison: it tells you when you have enough labels not to need
# pre-training.
#
# *Think:* why does fine-tuning use a *smaller* rate for the encoder than for the head? What
# happens to good pre-trained features in the first steps, while the new head is still random?
