# %% [markdown]
# # DL541 · Assignment 4 — Normalizers: three normalizers, two strategies
#
# Features measured in different units (centimetres, kilograms, km/h) have very different
# ranges, and a network's first layer, its initialisation and an L2 penalty all treat every
# input coordinate alike. Normalising the inputs puts them on a common scale. You will write
# the lecture's three normalizers, all with one interface, and then see why the statistics of
# a normalizer must come from the **training set only**.
#
# For data $X \in \mathbb R^{n \times d}$ ($n$ samples, $d$ features) and feature $j$:
#
# * **min-max** to $[\ell, h]$ (default $[-1, 1]$):
#   $z_{ij} = \ell + \dfrac{x_{ij} - \min_j}{\max_j - \min_j}\,(h - \ell)$;
# * **z-score**: $z_{ij} = \dfrac{x_{ij} - \mu_j}{\sigma_j}$ with the mean $\mu_j$ and the
#   *population* standard deviation $\sigma_j = \sqrt{\tfrac1n \sum_i (x_{ij} - \mu_j)^2}$
#   (ddof = 0);
# * **ZCA whitening**: with the covariance $C = \tfrac1n (X - \mu)^\top (X - \mu) = U \Lambda
#   U^\top$, $\;Z = (X - \mu)\, U \operatorname{diag}\!\big(1/\sqrt{\lambda_k + \varepsilon}\big)
#   U^\top$, so that $Z$ has identity covariance wherever $X$ has full rank.
#
# **Points.** This assignment is worth {points:total} points. Each question lists its points;
# the `grader.check` cells run the public tests, and hidden tests (property-based) decide the
# rest when you submit. Partial credit is given test by test.
#
# **Conventions.** Tensors are `torch.Tensor`; keep the input's device and dtype (the
# statistics that `fit` stores are on the device and in the dtype of the data it was given).
# Bad input raises `ValueError` with a clear message.
#
# {rules}

# %% [reference] __imports__

# %% [markdown]
# ## The common interface (graded in Question 4)
#
# Every normalizer has the same methods, as in scikit-learn and `torch.nn`:
#
# | method | does |
# | --- | --- |
# | `fit(X)` | computes the per-feature statistics of `X` `(n, d)` and returns `self` |
# | `transform(X)` | applies the stored statistics; it **never refits** |
# | `fit_transform(X)` | `fit(X)`, then `transform(X)` |
# | `inverse_transform(Z)` | undoes `transform`: `inverse_transform(transform(X))` is `X` |
# | `state_dict()` | the fitted statistics as a `dict[str, Tensor]` (copies) |
# | `load_state_dict(d)` | restores them; afterwards the normalizer is fitted, without ever seeing data |
#
# Misuse raises: `transform` or `inverse_transform` before `fit` (or `load_state_dict`) raises
# `RuntimeError`; an `X` that is not a 2-D floating tensor, or whose number of features differs
# from the fitted one, raises `ValueError`; `fit` on zero samples raises `ValueError`.
#
# Rules:
#
# * `state_dict` holds statistics only, not constructor settings (`low`, `high`, `eps`), as in
#   `torch.nn`: the tests load a state dict into a **fresh** object built with the same
#   arguments, e.g. `MinMaxNormalizer(0, 1).load_state_dict(d)`.
# * `state_dict()` returns copies: changing the returned dict or its tensors in place does not
#   change the normalizer, and neither does a later `fit` of the normalizer change the returned
#   tensors.
# * `load_state_dict(d)` stores copies: changing `d` or its tensors after the call does not
#   change the normalizer.
# * `fit`, `transform`, `fit_transform` and `inverse_transform` never change their argument:
#   the caller's tensor holds the same values after the call.
# * `transform` and `inverse_transform` return their argument's dtype and device even when the
#   statistics come from elsewhere: a normalizer fitted on `float64` data and applied to a
#   `float32` batch returns `float32`, and statistics loaded from a state dict saved on the CPU
#   work on GPU data. Move the statistics to the data with `.to(X)` when you use them.
#
# The base class below holds what the three normalizers share. Each subclass lists in
# `state_names` the tensor attributes that its `fit` sets; `is_fitted()` and `n_features` are
# given. Write `_check`, `fit_transform`, `state_dict` and `load_state_dict` now: every question
# below uses them.

# %% [reference] Normalizer

# %% [markdown]
# ## Question 1 — min-max normalisation ({points:q1} points)
#
# `MinMaxNormalizer(low=-1.0, high=1.0)` maps each feature's training minimum to `low` and its
# maximum to `high`; `inverse_transform` maps them back.
#
# Rules:
#
# * Data outside the training range lands outside $[\ell, h]$: `transform` does not clip.
# * `inverse_transform(transform(X))` is `X`, and `transform(inverse_transform(Z))` is `Z`,
#   for any data, not only the training set.
# * Changing a feature's unit by a map $x \mapsto a x + b$ with $a > 0$ (km/h to m/s, °C to °F)
#   before fitting leaves the normalised values unchanged; the same holds in Question 2.
# * A constant feature ($\max_j = \min_j$, where the formula divides by 0) maps to the midpoint
#   $(\ell + h) / 2$. Take its scale factor to be 1, i.e. $z = x - \min_j + (\ell + h)/2$,
#   which keeps `inverse_transform` exact. The tests check the constant feature only on the
#   data the normalizer was fitted on, so any finite choice for other values passes.
# * Fitted on a single sample, every feature is constant: every feature of that sample maps to
#   the midpoint.
#
# *Hint:* $z = (x - c_j)\, s_j + \tfrac{\ell + h}2$ with the centre $c_j = \tfrac{\min_j +
# \max_j}2$ and the scale $s_j = \tfrac{h - \ell}{\max_j - \min_j}$ handles both cases.

# %% [reference] MinMaxNormalizer

# %% [check] q1

# %% [markdown]
# ## Question 2 — z-score normalisation ({points:q2} points)
#
# `ZScoreNormalizer()` gives each training feature mean 0 and standard deviation 1.
#
# Rules:
#
# * Use the population std (ddof = 0): `torch.std`'s default is the sample std (ddof = 1).
# * `inverse_transform` undoes `transform` exactly, on any data, as in Question 1.
# * A feature with $\sigma_j = 0$ maps to 0; store its std as 1, so that $z = x - \mu_j$ (as
#   scikit-learn does) and `inverse_transform` stays exact.
# * Fitted on a single sample, every feature is constant, so the sample maps to 0.
#
# *Think:* why does neither min-max nor z-score change when a feature's unit changes from km/h
# to m/s, or from °C to °F (a map $x \mapsto a x + b$ with $a > 0$)? The hidden tests check it.

# %% [reference] ZScoreNormalizer

# %% [check] q2

# %% [markdown]
# ### See it: two features, two units
# Temperature in °C and wind speed in km/h, 300 days. What you should see: drawn to the same
# scale on both axes, the raw cloud is a tall narrow band (the wind's range is about three times
# the temperature's); after either normalizer both features span the same range (min-max: exactly
# $[-1, 1]$; z-score: standard deviation 1), so both axes carry the same weight.

# %% [demo]
import matplotlib.pyplot as plt

g = torch.Generator().manual_seed(0)
weather = torch.stack([15 + 4 * torch.randn(300, generator=g), 5 + 80 * torch.rand(300, generator=g)], dim=1)
panels = [
    ("raw", weather, "temperature (°C)", "wind speed (km/h)"),
    ("MinMaxNormalizer()", MinMaxNormalizer().fit_transform(weather), "temperature (scaled)", "wind (scaled)"),
    ("ZScoreNormalizer()", ZScoreNormalizer().fit_transform(weather), "temperature (z-score)", "wind (z-score)"),
]
fig, axes = plt.subplots(1, 3, figsize=(12, 4))
for ax, (title, data, xlabel, ylabel) in zip(axes, panels):
    ax.scatter(data[:, 0], data[:, 1], s=6)
    spread = data.amax(dim=0) - data.amin(dim=0)
    ax.set_title(f"{title}: ranges {spread[0]:.3g} and {spread[1]:.3g}", fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_aspect("equal", adjustable="datalim")
fig.suptitle("One data set, three scales (each panel drawn with equal units on both axes)")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Question 3 — ZCA whitening ({points:q3} points)
#
# `Whitener(eps=1e-8)` centres the data and multiplies by the symmetric matrix
# $W = U \operatorname{diag}(1/\sqrt{\lambda + \varepsilon})\, U^\top$ built from the
# eigen-decomposition of the (ddof = 0) covariance, e.g. with `torch.linalg.eigh`.
# `inverse_transform` multiplies by $W^{-1} = U \operatorname{diag}(\sqrt{\lambda +
# \varepsilon})\, U^\top$ and adds the mean back.
#
# Min-max and z-score act on each feature alone; whitening also removes the correlations
# between features. *ZCA* ("zero-phase") is the one whitening matrix that is symmetric: among
# all whitening maps it moves the data the least, which is why whitened images still look like
# images.
#
# Rules:
#
# * With full-rank data and the default $\varepsilon = 10^{-8}$, the whitened training data has
#   the identity as its (ddof = 0) covariance; for any $\varepsilon$, `transform` computes
#   $(X - \mu) W$ with the training set's $\mu$ and $W$.
# * `inverse_transform(transform(X))` is `X`, and `transform(inverse_transform(Z))` is `Z`.
# * Rank-deficient data: with a constant feature, or fewer samples than features, some
#   eigenvalues are 0, and rounding can make them slightly **negative** (about $-10^{-7}$ in
#   `float32`), which is below $-\varepsilon$: $\sqrt{\lambda + \varepsilon}$ would be NaN.
#   Clamp the eigenvalues at 0 before adding $\varepsilon$. The whitened values are then
#   finite, and the whitened covariance is the identity on the span of the centred data.
# * `eps` must be non-negative.

# %% [reference] Whitener

# %% [check] q3

# %% [markdown]
# ### See it: whitening a cloud and whitening digits
# Left: a correlated 2-D cloud before and after ZCA. Right: handwritten digits (8×8 images,
# scikit-learn's `load_digits`) before and after ZCA whitening with $\varepsilon = 1$, fitted
# on all 1797 images. Neighbouring pixels are strongly correlated; whitening removes that
# shared, smooth variation and leaves what is particular to each image (ZCA keeps it in pixel
# space, so the result is still an image). It was a popular preprocessing step for image models.
# What you should see: the elongated cloud becomes round, with the identity as covariance
# (printed below); the whitened digits are flat grey images in which only each digit's fine
# detail is left.

# %% [demo]
from sklearn.datasets import load_digits

g = torch.Generator().manual_seed(1)
t = torch.randn(400, 1, generator=g)
cloud = torch.cat([2 * t, 1.2 * t + 0.5 * torch.randn(400, 1, generator=g)], dim=1)
white = Whitener().fit_transform(cloud)

digits = torch.tensor(load_digits().data, dtype=torch.float32)
zca_digits = Whitener(eps=1.0).fit_transform(digits)

fig = plt.figure(figsize=(12, 3.6))
for k, (title, data) in enumerate([("raw cloud", cloud), ("ZCA-whitened", white)]):
    ax = fig.add_subplot(1, 4, k + 1)
    ax.scatter(data[:, 0], data[:, 1], s=5)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("feature 1")
    ax.set_ylabel("feature 2")
    ax.set_aspect("equal", adjustable="datalim")
for k, (title, images) in enumerate([("digits", digits), ("ZCA digits", zca_digits)]):
    ax = fig.add_subplot(1, 4, k + 3)
    tiles = torch.nn.functional.pad(images[:16].reshape(16, 8, 8), (1, 1, 1, 1), value=float("nan"))
    ax.imshow(tiles.reshape(4, 4, 10, 10).permute(0, 2, 1, 3).reshape(40, 40), cmap="gray")
    ax.set_title(f"{title} (first 16 images)", fontsize=10)
    ax.axis("off")
fig.suptitle("ZCA whitening: a correlated cloud (left) and 8x8 digits, eps = 1 (right)")
plt.tight_layout()
plt.show()
print("covariance of the whitened cloud:\n", torch.cov(white.T, correction=0))

# %% [markdown]
# ## Question 4 — the contract ({points:q4} points)
#
# This question grades the common interface you wrote at the top, for all three normalizers:
#
# * `fit` returns `self`, and `fit_transform(X)` equals `fit(X).transform(X)`;
# * `transform` never refits: after `fit(A)`, `transform(B)` uses $A$'s statistics and
#   leaves them unchanged;
# * `state_dict` → `load_state_dict` into a fresh object reproduces `transform` and
#   `inverse_transform` exactly;
# * the state is independent of the normalizer in both directions: editing the dict that
#   `state_dict()` returned, or the dict given to `load_state_dict`, never changes a
#   normalizer, and later refits of the original do not leak into the copy;
# * `RuntimeError` before `fit`; `ValueError` for the wrong number of features (beware: a normalizer
#   fitted on one feature would silently *broadcast* over three) or for an `X` that is not 2-D;
# * `fit` on zero samples raises `ValueError`;
# * `transform` and `inverse_transform` keep their argument's dtype and device, whatever the
#   dtype and device of the stored statistics;
# * no method changes its argument in place.
#
# If you wrote the base class above, there is nothing new to write: run the check.

# %% [check] q4

# %% [markdown]
# ## Question 5 — two strategies ({points:q5} points)
#
# How should the **test** set be normalised? The lecture compares two strategies:
#
# * **strategy 1**: fit the normalizer on the training set only and apply that same
#   normalizer to both sets;
# * **strategy 2**: fit one normalizer on the training set and another on the test set.
#
# `strategy1(train, test, make_normalizer)` and `strategy2(train, test, make_normalizer)`
# return `(train_n, test_n)`. `make_normalizer` is a callable with no arguments that returns a
# new, unfitted normalizer: a class such as `ZScoreNormalizer`, or `lambda: MinMaxNormalizer(0, 1)`.
#
# Rules:
#
# * Use only the normalizer's `fit`, `transform` and `fit_transform`: the tests also pass
#   normalizers of their own making.
# * Do not change the inputs: `train` and `test` hold the same values after the call.
# * The two sets may have different numbers of samples, down to a single test sample, which
#   strategy 1 normalises exactly as it would inside a larger test set.

# %% [reference] strategy1 strategy2

# %% [check] q5

# %% [markdown]
# ### See it: why strategy 2 is wrong
# Two classes measured in centimetres and kilograms. The training set is balanced; the test
# set comes from the same two classes but holds mostly class 1 (as a deployed model might
# see). A nearest-class-mean classifier is fitted on the normalised training set. In each
# figure: top row unnormalised, bottom row normalised; left training set, right test set; the
# line is the classifier's decision boundary.
#
# Strategy 2 recentres the test set on its own mean, so the class-1 points slide across the
# boundary: the model sees inputs that no longer mean what they meant in training. The test set
# must be transformed with the training statistics (strategy 1), exactly as a single new sample
# would be, which has no statistics of its own. What you should see: the same classifier scores
# 98 % on the test set with strategy 1 and 70 % with strategy 2.

# %% [demo]
g = torch.Generator().manual_seed(2)
centres, spread = torch.tensor([[165.0, 58.0], [182.0, 78.0]]), torch.tensor([7.0, 6.0])
data = {}
for part, sizes in [("train", (150, 150)), ("test", (15, 135))]:
    labels = torch.cat([torch.full((size,), c) for c, size in enumerate(sizes)])
    data[part] = (centres[labels] + spread * torch.randn(len(labels), 2, generator=g), labels)
(X_train, y_train), (X_test, y_test) = data["train"], data["test"]

results = {}
for strategy in (strategy1, strategy2):
    train_n, test_n = strategy(X_train, X_test, ZScoreNormalizer)
    means = torch.stack([train_n[y_train == c].mean(dim=0) for c in (0, 1)])
    predict = torch.cdist(test_n, means).argmin(dim=1)
    results[strategy.__name__] = (train_n, test_n, means, float((predict == y_test).float().mean()))

for name, (train_n, test_n, means, accuracy) in results.items():
    fig, axes = plt.subplots(2, 2, figsize=(8.5, 7.5), layout="constrained")
    panels = [(X_train, y_train, "unnormalised train"), (X_test, y_test, "unnormalised test"),
              (train_n, y_train, "normalised train"), (test_n, y_test, "normalised test")]
    for row, ax, (points, labels, title) in zip((0, 0, 1, 1), axes.flat, panels):
        for c, colour in ((0, "tab:blue"), (1, "tab:red")):
            ax.scatter(points[labels == c, 0], points[labels == c, 1], s=8, color=colour, label=f"class {c}")
        ax.set_title(title, fontsize=10)
        unit = ("cm", "kg") if row == 0 else ("z-score", "z-score")
        ax.set_xlabel(f"height ({unit[0]})")
        ax.set_ylabel(f"weight ({unit[1]})")
    # the boundary of a nearest-mean classifier: points equidistant from the two class means
    normal, middle = means[1] - means[0], means.mean(dim=0)
    for ax in axes[1]:
        xs = torch.linspace(-3, 3, 2)
        ax.plot(xs, middle[1] - normal[0] / normal[1] * (xs - middle[0]), "k--", label="decision boundary")
        ax.set_xlim(-3.5, 3.5)
        ax.set_ylim(-3.5, 3.5)
    fig.legend(*axes[1, 0].get_legend_handles_labels(), loc="outside lower center", ncols=3)
    fig.suptitle(f"{name}: nearest-class-mean classifier, test accuracy {accuracy:.0%}")
    plt.show()
