# %% [markdown]
# # DL541 · Assignment 5 — Data augmentation: label-preserving transformations
#
# A digit moved two pixels to the right is still the same digit. If we know a transformation
# $T$ that never changes the label, every training pair $(x, y)$ gives us more pairs
# $(T(x), y)$ for free: this is **data augmentation**. It teaches the network an invariance
# that the architecture does not have by itself: a fully connected layer treats pixel
# $(i, j)$ and pixel $(i, j + 1)$ as unrelated inputs, so it has to *see* shifted digits to
# recognise them.
#
# You will write the lecture's transformations for images of shape $(\dots, H, W)$:
# translation by $(d_x, d_y)$, left-right flips and additive noise; then an `augment`
# function that enlarges a data set; and finally you will repeat the lecture's experiment
# (there on MNIST's 28×28 digits, here on scikit-learn's 8×8 `load_digits`): a small network
# trained with and without random translations, tested on translated digits.
#
# **Points.** This assignment is worth {points:total} points. Each question lists its points;
# the `grader.check` cells run the public tests, and hidden tests (property-based) decide the
# rest when you submit. Partial credit is given test by test.
#
# **Conventions.** They hold for every function below.
# * Tensors are `torch.Tensor`. A function returns its images on the device of the input images
#   and with their dtype (labels keep the device and dtype of the labels).
# * No function changes its inputs: the images and labels you are given stay as they were.
# * What a function returns is a new tensor: editing the result never changes the images or
#   labels passed in, not even when the result equals them (a shift of zero, a noise of zero,
#   no copies).
# * Randomness comes only from the `generator` argument (`None` means torch's global
#   generator): the same generator state gives the same result.
# * A generator passed in is a CPU one (`torch.Generator()`), also when the images are on a
#   GPU: draw the random numbers on the CPU, then move them to the images' device.
# * Bad input raises `ValueError` with a clear message.
#
# {rules}

# %% [reference] __imports__

# %% [markdown]
# ## Question 1 — translation ({points:q1} points)
#
# `translate(images, dx, dy)` moves every image of `images` (shape $(\dots, H, W)$: any number
# of leading dimensions) by $d_x$ pixels to the right and $d_y$ pixels down:
#
# $$\text{out}[\dots, i, j] = \begin{cases} \text{images}[\dots, i - d_y, j - d_x] & \text{if }
# 0 \le i - d_y < H \text{ and } 0 \le j - d_x < W,\\ 0 & \text{otherwise.}\end{cases}$$
#
# Pixels pushed over the border are lost and the uncovered border is filled with 0 (the
# background of the digits), so the image never wraps around (that is what `torch.roll` would
# do).
#
# Rules:
# * A shift of $|d_x| \ge W$ or $|d_y| \ge H$ leaves an all-zero image.
# * A shift of $(0, 0)$ returns a copy of the images.
# * `dx` and `dy` are integers: a Python `int`, a NumPy integer or an integer 0-d tensor.
#   Anything else (`1.5`, `"1"`, `None`) raises `ValueError`.
# * `images` with fewer than 2 dimensions raises `ValueError`.
#
# The helper `_integer` is there for the check of `dx` and `dy`; use it or not.
#
# *Think:* why does `translate(translate(x, a, b), -a, -b)` give back `x` only *inside* a
# frame? The hidden tests check exactly which pixels survive.

# %% [reference] _integer translate

# %% [check] q1

# %% [markdown]
# ### See it: one digit, many shifts
# The lecture's picture: the same digit translated by $(d_x, d_y) \in \{-2, \dots, 2\}^2$.
# Every one of them is a valid training example with the label of the original. What you should
# see: the digit slides right as $d_x$ grows and down as $d_y$ grows, and the strokes pushed over
# the border are lost, never wrapped around to the other side.

# %% [demo]
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits

digits = load_digits()
X = torch.tensor(digits.images, dtype=torch.float32) / 16  # (1797, 8, 8), values in [0, 1]
y = torch.tensor(digits.target)

shifted = {(dx, dy): translate(X[2], dx, dy) for dy in range(-2, 3) for dx in range(-2, 3)}
fig, axes = plt.subplots(5, 5, figsize=(5, 5))
for row, dy in enumerate(range(-2, 3)):
    for col, dx in enumerate(range(-2, 3)):
        axes[row, col].imshow(shifted[dx, dy], cmap="gray_r", vmin=0, vmax=1)
        axes[row, col].set_title(f"({dx}, {dy})", fontsize=8)
        axes[row, col].set_xticks([])  # keep the frame visible: it is what the digit moves in
        axes[row, col].set_yticks([])
fig.suptitle(f"translate(digit {int(y[2])}, dx, dy); panel titles (dx, dy) in pixels")
fig.supxlabel("dx: positive moves right")
fig.supylabel("dy: positive moves down")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Question 2 — random translation ({points:q2} points)
#
# `random_translate(images, max_shift, generator=None)` takes a batch of shape $(N, H, W)$ or
# $(N, C, H, W)$ and moves **each image by its own** integers $d_x, d_y$, drawn independently
# and uniformly from $\{-m, \dots, m\}$ with $m$ = `max_shift` (both ends included: mind that
# `torch.randint`'s upper bound is exclusive). Image $k$ of the result is
# `translate(images[k], dx, dy)` for its own shift.
#
# Rules:
# * All channels of one image move together, by the same shift.
# * Draw every random number from `generator` (`None`: torch's global generator). The generator
#   is a CPU one: draw the shifts on the CPU (they are small integers anyway). Supporting a
#   generator on another device as well is fine, but never required.
# * `max_shift = 0` returns a copy of the images.
# * A `max_shift` of the image size or more is allowed: a shift can then move an image out of
#   the frame entirely, leaving zeros.
# * Any other shape than $(N, H, W)$ or $(N, C, H, W)$, or a `max_shift` that is not an
#   integer $\ge 0$, raises `ValueError`.
#
# *Hint:* with $m$ small there are only $(2m + 1)^2$ different shifts; grouping the images by
# shift needs at most that many calls of `translate`.

# %% [reference] random_translate

# %% [check] q2

# %% [markdown]
# ## Question 3 — flips ({points:q3} points)
#
# `flip_lr(images)` mirrors every image left to right: $\text{out}[\dots, i, j] =
# \text{images}[\dots, i, W - 1 - j]$, for images of shape $(\dots, H, W)$ with any number of
# leading dimensions.
#
# Rules:
# * Only the last dimension is reversed: a batch of images stays in its order, and every row
#   of an image stays where it is.
# * An image one pixel wide is its own mirror.
# * `images` with fewer than 2 dimensions raises `ValueError`.
#
# *Think:* is `flip_lr` label-preserving for digits? For a 3? For a 2? For photographs of
# cats? Whether a transformation preserves the label is a property of the task, not of the
# transformation.

# %% [reference] flip_lr

# %% [check] q3

# %% [markdown]
# ## Question 4 — Gaussian noise ({points:q4} points)
#
# `add_gaussian_noise(images, std, generator=None)` adds independent $\mathcal N(0,
# \text{std}^2)$ noise to every pixel of every image.
#
# Rules (for the noise functions of this question and the next):
# * Every pixel of every image gets its own noise, drawn from `generator`.
# * The generator is a CPU one: draw the noise on the CPU in the images' dtype (`float16` images
#   get `float16` noise and stay `float16`), then move it to the images' device.
# * A `std` or `scale` of 0 returns a copy of the images.
# * The noise functions need floating images; `std` and `scale` must be finite and $\ge 0$;
#   anything else raises `ValueError`.
#
# The optional helper `_check_noise` is a place for the checks shared by both noise functions.

# %% [reference] _check_noise add_gaussian_noise

# %% [check] q4

# %% [markdown]
# ## Question 5 — Laplace noise ({points:q5} points)
#
# `add_laplacian_noise(images, scale, generator=None)` adds independent Laplace noise of
# density $\frac{1}{2b} e^{-|x|/b}$ with $b$ = `scale`: mean 0, $\mathbb E|x| = b$, standard
# deviation $\sqrt2\, b$, and heavier tails than a Gaussian. The rules of Question 4 hold here
# too.
#
# *Hint:* `torch.distributions.Laplace` cannot take a generator. The difference of two
# independent $\text{Exp}(1)$ variables is $\text{Laplace}(0, 1)$, and
# `Tensor.exponential_(generator=...)` draws them; the inverse CDF of a uniform draw works too.

# %% [reference] add_laplacian_noise

# %% [check] q5

# %% [markdown]
# ### See it: flips and noise
# Six digits, mirrored, and with Gaussian and Laplace noise of the same standard deviation 0.2
# (pixel values run from 0 to 1). What you should see: the mirrored 0, 1 and 4 are still a 0, a 1
# and a 4, but the mirrored 2, 3 and 5 are no digit at all (for them `flip_lr` does not preserve the
# label), while noise of this size leaves every digit readable.

# %% [demo]
g = torch.Generator().manual_seed(0)
examples = [
    ("original", X[:6]),
    ("flip_lr", flip_lr(X[:6])),
    ("Gaussian, std 0.2", add_gaussian_noise(X[:6], 0.2, generator=g)),
    ("Laplace, scale 0.14 (same std)", add_laplacian_noise(X[:6], 0.2 / 2**0.5, generator=g)),
]
fig, axes = plt.subplots(len(examples), 6, figsize=(6, 4.4))
for row, (title, images) in enumerate(examples):
    for col in range(6):
        axes[row, col].imshow(images[col], cmap="gray_r", vmin=0, vmax=1)
        axes[row, col].axis("off")
    axes[row, 0].set_title(title, fontsize=8, loc="left")
fig.suptitle("Transformations of six digits (grey scale 0 to 1)", fontsize=10)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Question 6 — an augmented data set ({points:q6} points)
#
# `augment(images, labels, copies, max_shift, generator=None)` returns `(images_aug,
# labels_aug)`: first the $N$ originals, then `copies` randomly translated copies of the whole
# set, each with its own fresh shifts. Copy $c$ of image $i$ sits at index $cN + i$, so the
# labels are the original labels repeated `copies + 1` times, in order.
#
# Rules:
# * The first $N$ images and labels of the result equal `images` and `labels`.
# * Each copy moves every image by a fresh random shift, as `random_translate(images, max_shift,
#   generator)` does: new shifts for every copy, all drawn from `generator`.
# * With `copies = 0` the result equals `(images, labels)`, as new tensors; with `max_shift = 0`
#   every copy equals the originals.
# * `images` of a shape other than $(N, H, W)$ or $(N, C, H, W)$, `labels` of a shape other
#   than $(N,)$, or a `copies` that is not an integer $\ge 0$, raises `ValueError`.

# %% [reference] augment

# %% [check] q6

# %% [markdown]
# ## The experiment: does augmentation teach translation invariance?
#
# A network with one hidden layer of 100 ReLU units (64 → 100 → 10) is trained twice on the
# same 1200 digits, once on the originals and once on `augment(..., copies=3, max_shift=1)`.
# Both are tested on the 597 held-out digits, as they are and moved by a random shift of at most
# one pixel. The heat maps show the test accuracy for every fixed shift $(d_x, d_y)$.
#
# Below them, as in the lecture's picture of the $100 \times 28 \times 28$ first-layer weights,
# each of the 100 hidden units' 64 incoming weights is drawn as an 8×8 image (each scaled to
# its own range; red and blue are the two signs, white is 0). Without augmentation the border
# pixels are almost always 0 in the training digits: their weights get no gradient from the
# data and only decay (white borders), and each unit is tied to the positions of centred
# strokes. With translations every pixel carries strokes, and the units use the whole frame.
#
# What you should see: both networks score about 98 % on the test digits as they are; moved by one
# pixel, the network trained without augmentation drops to about 50 % or less, while the augmented one stays
# above 88 % for every shift of at most one pixel. Neither handles a two-pixel shift, which it never
# saw in training. The cell takes about 3 seconds on two CPU cores (longer on a busy machine).

# %% [demo]
g = torch.Generator().manual_seed(0)
order = torch.randperm(len(y), generator=g)
X_train, y_train, X_test, y_test = X[order[:1200]], y[order[:1200]], X[order[1200:]], y[order[1200:]]
X_test_moved = random_translate(X_test, 1, generator=torch.Generator().manual_seed(1))

trained = {}
for title, copies in [("no augmentation", 0), ("random translation", 3)]:
    X_aug, y_aug = augment(X_train, y_train, copies, 1, generator=torch.Generator().manual_seed(2))
    torch.manual_seed(0)  # the same initial weights for both networks
    net = torch.nn.Sequential(
        torch.nn.Flatten(), torch.nn.Linear(64, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10)
    )
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-2, weight_decay=1e-4)
    for step in range(150):  # full-batch training
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(net(X_aug), y_aug).backward()
        optimizer.step()
    with torch.no_grad():
        accuracy = torch.zeros(5, 5)
        for row, dy in enumerate(range(-2, 3)):
            for col, dx in enumerate(range(-2, 3)):
                moved = translate(X_test, dx, dy)
                accuracy[row, col] = (net(moved).argmax(dim=1) == y_test).float().mean()
        on_moved = float((net(X_test_moved).argmax(dim=1) == y_test).float().mean())
    trained[title] = (net, accuracy)
    print(f"{title:>20}: {len(y_aug)} training images; test accuracy {float(accuracy[2, 2]):.1%} "
          f"as is, {on_moved:.1%} after random shifts of at most 1 pixel")

fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
for ax, (title, (net, accuracy)) in zip(axes, trained.items()):
    shown = ax.imshow(accuracy, vmin=0, vmax=1, cmap="viridis", extent=(-2.5, 2.5, 2.5, -2.5))
    for row in range(5):
        for col in range(5):
            ax.text(col - 2, row - 2, f"{float(accuracy[row, col]):.2f}", ha="center", va="center",
                    fontsize=7, color="white" if accuracy[row, col] < 0.6 else "black")
    ax.set_xlabel("dx (pixels)")
    ax.set_title(f"trained with {title}" if title != "no augmentation" else "trained without augmentation",
                 fontsize=10)
axes[0].set_ylabel("dy (pixels)")
fig.colorbar(shown, ax=axes, shrink=0.8, label="test accuracy")
fig.suptitle("Accuracy on the 597 test digits, each moved by (dx, dy)")
plt.show()

fig, axes = plt.subplots(1, 2, figsize=(10, 5))
for ax, (title, (net, accuracy)) in zip(axes, trained.items()):
    W = net[1].weight.detach().reshape(100, 8, 8)
    W = W / W.abs().amax(dim=(1, 2), keepdim=True).clamp(min=1e-12)
    tiles = torch.nn.functional.pad(W, (1, 1, 1, 1), value=float("nan"))
    ax.imshow(tiles.reshape(10, 10, 10, 10).permute(0, 2, 1, 3).reshape(100, 100), cmap="RdBu", vmin=-1, vmax=1)
    ax.set_title(f"first-layer weights, {title}", fontsize=10)
    ax.axis("off")
fig.suptitle("The 100 hidden units' incoming weights as 8x8 images (red +, blue -, each scaled to its own range)")
plt.show()
