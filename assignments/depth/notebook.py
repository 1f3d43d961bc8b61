# %% [markdown]
# # DL541 · Assignment 1 — Why depth pays
#
# Two networks have exactly the same number of weights, 60, and the activation
# $\sigma(z) = |z|$:
#
# * a **shallow** one with layer sizes $(2, 20, 1)$: $2\cdot 20 + 20 \cdot 1 = 60$;
# * a **deep** one with layer sizes $(2, 4, 4, 4, 4, 1)$: $8 + 16 + 16 + 16 + 4 = 60$.
#
# Which functions can each represent? A network with a piecewise-linear activation is
# piecewise linear: each *activation pattern* (which pre-activations are positive) selects one
# linear piece. You will count those pieces along a line and build a deep network whose number
# of pieces doubles with every layer, something the shallow network cannot match with the
# same budget.
#
# **Points.** This assignment is worth {points:total} points. Each question lists its points;
# the `grader.check` cells run the public tests, and hidden tests (property-based) decide the
# rest when you submit. Partial credit is given test by test.
#
# **Conventions.** Tensors are `torch.Tensor`; keep the input's device and dtype. Randomness
# comes only from the `generator` argument. Bad input raises `ValueError` with a clear message.
# No function changes its inputs: the tensors you are given stay as they were.
#
# {rules}

# %% [reference] __imports__

# %% [markdown]
# ## Question 1 — counting weights ({points:q1} points)
#
# `count_weights(layer_sizes)` returns the number of weights (no biases) of a fully connected
# network with these layer sizes: $\sum_\ell n_\ell \, n_{\ell+1}$. Both lecture networks give 60.
#
# Rules:
# * `layer_sizes` may be a tuple or a list; return a Python `int`.
# * Fewer than two sizes, or a size below 1, is bad input: raise `ValueError`.

# %% [reference] count_weights

# %% [check] q1

# %% [markdown]
# ## Question 2 — initialisation ({points:q2} points)
#
# `init_mlp(layer_sizes, generator=None)` returns one `(W, b)` per layer, `W` of shape
# `(out, in)` and `b` of shape `(out,)`, every entry drawn i.i.d. from $\mathcal N(0, 1)$ in
# `float32` with the given generator.
#
# Rules:
# * Draw every entry, weights and biases alike, with `generator`: the same generator state gives
#   the same parameters, whatever torch's global generator did in between.
# * Return `float32` tensors even when torch's default dtype is another one.
# * Bad `layer_sizes` raise `ValueError`, as in Question 1.

# %% [reference] init_mlp

# %% [check] q2

# %% [markdown]
# ## Question 3 — the forward pass ({points:q3} points)
#
# `mlp_forward(params, x, activation=torch.abs)` maps `x` of shape `(n, in)` to `(n, out)`:
# $h_0 = x$, $h_{\ell+1} = \sigma(h_\ell W_\ell^\top + b_\ell)$, with no activation after the
# last layer.
#
# Rules:
# * The activation follows every hidden layer; the output layer is affine, with no activation.
# * With a single layer (no hidden layer) the network is the affine map $x W_0^\top + b_0$.
# * The output has the device and dtype of `x`.
# * An `x` that is not of shape `(n, in)` raises `ValueError`.
#
# *Think:* without biases, why is $f(cx) = c f(x)$ for $c > 0$, and why is $f(-x) = f(x)$?

# %% [reference] mlp_forward

# %% [check] q3

# %% [markdown]
# ### See it: shallow versus deep
# Each panel shows $f(x_1, x_2)$ of a random network (weights and biases drawn by your
# `init_mlp`, three seeds) over the square $[-2, 2]^2$. The creases are where some pre-activation
# changes sign. What you should see: every crease of a shallow network is a straight line (one
# hidden unit's hyperplane), while a deep network's creases bend, because a later layer's
# hyperplane is drawn in the space the earlier layers have already folded.

# %% [demo]
import matplotlib.pyplot as plt

grid = torch.linspace(-2, 2, 201)
xx, yy = torch.meshgrid(grid, grid, indexing="xy")
plane = torch.stack([xx.flatten(), yy.flatten()], dim=1)
surfaces = {
    (sizes, seed): mlp_forward(init_mlp(sizes, generator=torch.Generator().manual_seed(seed)), plane)
    for sizes in [(2, 20, 1), (2, 4, 4, 4, 4, 1)]
    for seed in range(3)
}
fig, axes = plt.subplots(2, 3, figsize=(10, 6.8), sharex=True, sharey=True)
for ax, ((sizes, seed), values) in zip(axes.flat, surfaces.items()):
    shown = ax.imshow(values.reshape(201, 201), extent=(-2, 2, -2, 2), origin="lower", cmap="viridis")
    fig.colorbar(shown, ax=ax, shrink=0.8, label="$f(x_1, x_2)$")
    ax.set_title(f"{sizes}, seed {seed}", fontsize=9)
for ax in axes[1]:
    ax.set_xlabel("$x_1$")
for ax in axes[:, 0]:
    ax.set_ylabel("$x_2$")
fig.suptitle("Random abs networks with 60 weights: shallow (2, 20, 1) on top, deep (2, 4, 4, 4, 4, 1) below")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Question 4 — counting activation regions ({points:q4} points)
#
# `count_activation_regions(params, start, end, num_points=10_000)` takes `num_points` equally
# spaced points from `start` to `end` (both included). The activation pattern of a point is
# the tuple of signs ($z > 0$) of every hidden pre-activation. Return the number of maximal
# runs of equal consecutive patterns (so at least 1).
#
# Rules:
# * The points are $x_i = \text{start} + t_i(\text{end} - \text{start})$ with
#   $t_i$ = `torch.linspace(0, 1, num_points)`, computed in the dtype of `start`.
# * The network is an `abs` network: each hidden layer passes $|z|$ on to the next layer.
# * Only hidden pre-activations make the pattern: the output layer's sign is not part of it.
# * A pre-activation of exactly 0 counts as not positive.
# * A network with no hidden layer has one pattern, so one region.
# * `start` or `end` not of shape `(in,)`, or `num_points` below 1, raises `ValueError`.

# %% [reference] count_activation_regions

# %% [check] q4

# %% [markdown]
# ### See it: regions along a line
# The histogram counts the regions along the segment $(-2, -2) \to (2, 2)$ (2000 points) for 200
# random networks of each shape. A shallow net's line crosses each of its 20 hidden units'
# hyperplanes at most once, so it has at most 21 regions there, whatever its weights.
#
# What you should see may surprise you: the typical random deep network has **fewer** regions
# than the typical shallow one (about 12 against 17), yet the best deep networks have far more
# than any shallow one can ever have.

# %% [demo]
start, end = torch.tensor([-2.0, -2.0]), torch.tensor([2.0, 2.0])


def units_that_flip(params, points=2_000):
    """How many hidden units of each layer change sign somewhere along the segment."""
    hidden = start + torch.linspace(0, 1, points)[:, None] * (end - start)
    flips = []
    for weight, bias in params[:-1]:
        positive = hidden @ weight.T + bias > 0
        flips.append(float((positive[1:] != positive[:-1]).any(dim=0).sum()))
        hidden = (hidden @ weight.T + bias).abs()
    return flips


counts, flipping = {}, {}
for sizes in [(2, 20, 1), (2, 4, 4, 4, 4, 1)]:
    nets = [init_mlp(sizes, generator=torch.Generator().manual_seed(seed)) for seed in range(200)]
    counts[sizes] = torch.tensor([count_activation_regions(p, start, end, num_points=2_000) for p in nets])
    flipping[sizes] = torch.tensor([units_that_flip(p) for p in nets]).mean(dim=0)
for sizes, values in counts.items():
    print(f"{str(sizes):>18}: mean {values.float().mean():.1f} regions, most {int(values.max())}, "
          f"{int((values > 21).sum())} of 200 networks above 21; hidden units that change sign on the "
          f"segment: {flipping[sizes].sum():.1f} of {sum(sizes[1:-1])}, per layer "
          + ", ".join(f"{v:.1f}" for v in flipping[sizes].tolist()))
plt.figure(figsize=(7, 3.8))
for sizes, values in counts.items():
    plt.hist(values.tolist(), bins=range(0, 42), alpha=0.6, label=f"{sizes}, mean {values.float().mean():.1f}")
plt.axvline(21.5, color="black", linestyle="--", label="(2, 20, 1) can never pass 21")
plt.xlabel("activation regions along the segment (-2, -2) to (2, 2)")
plt.ylabel("networks (of 200)")
plt.title("200 random networks of each shape, 60 weights each")
plt.legend(loc="upper right", fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# ### Why random deep networks have fewer regions
# A network's **capacity** is the most it *can* do; a random draw shows what it *typically*
# does, and for deep narrow networks the two are far apart. With $\mathcal N(0, 1)$ weights and
# biases, only about 7 of the deep network's 16 hidden units change sign anywhere along the
# segment (the printout: about 3 of 4 in layer 1, but only 1 or 2 of 4 in each later layer). A unit
# in layer 3 sees an input that $|\cdot|$ has already folded twice into a narrow range, and its
# bias often puts its threshold outside that range: such a unit adds no crease. The shallow
# network's 20 units each see the raw line, and about 16 of their hyperplanes cross it. So,
# typically, the deep network is the *simpler* one.
#
# Depth pays in what the network **can** represent: each layer can fold the input space once
# more, and folds multiply. Already among 200 random draws the best deep network has well over
# 21 regions, the ceiling of every (2, 20, 1) network. Choosing the weights on purpose, as you
# will now do, gives a number of regions that doubles with every layer.

# %% [markdown]
# ## Question 5 — the sawtooth: depth pays exponentially ({points:q5} points)
#
# `sawtooth_mlp(depth)` returns a 1-input, 1-output `abs` network with `depth` hidden layers,
# each at most 2 units wide, whose output on $[0, 1]$ stays in $[0, 1]$ and crosses at least
# $2^{\text{depth}}$ activation regions there.
#
# Rules:
# * The regions are counted as in Question 4: the signs of the hidden pre-activations, with $|z|$
#   passed on.
# * A `depth` below 1 raises `ValueError`.
#
# *Hint:* the tent map $t(x) = 1 - |2x - 1|$ folds $[0, 1]$ onto itself; composing it
# $k$ times gives $2^k$ linear pieces. A shallow network needs a unit per piece.

# %% [reference] sawtooth_mlp

# %% [check] q5

# %% [markdown]
# ### See it: the sawtooth
# Top: `sawtooth_mlp(depth)` on $[0, 1]$ for depths 1 to 4, with the number of regions your
# `count_activation_regions` finds and the number of weights (no biases, as in Question 1) your
# `count_weights` gives. Bottom: regions against weights. A one-input shallow network
# $(1, n, 1)$ has $2n$ weights and at most $n + 1$ regions; the sawtooth's regions double with
# every layer, while its weights grow by one or two. What you should see: on the log scale the
# sawtooth climbs a steep straight line (exponential growth) far above the shallow bound.

# %% [demo]
xs = torch.linspace(0, 1, 2_000)[:, None]
zero, one = torch.zeros(1), torch.ones(1)
saw = {}
for depth in range(1, 9):
    params = sawtooth_mlp(depth)
    sizes = [params[0][0].shape[1]] + [W.shape[0] for W, _ in params]
    regions = count_activation_regions(params, zero, one, num_points=100_000)
    saw[depth] = (params, count_weights(sizes), regions)

fig, axes = plt.subplots(1, 4, figsize=(13, 2.8), sharey=True)
for ax, depth in zip(axes, (1, 2, 3, 4)):
    params, weights, regions = saw[depth]
    ax.plot(xs[:, 0], mlp_forward(params, xs)[:, 0])
    ax.set_title(f"depth {depth}: {regions} regions, {weights} weights", fontsize=9)
    ax.set_xlabel("x")
axes[0].set_ylabel("sawtooth_mlp(depth)(x)")
fig.suptitle("The sawtooth: each layer folds [0, 1] onto itself once more")
plt.tight_layout()
plt.show()

plt.figure(figsize=(7, 3.6))
weights = [saw[d][1] for d in saw]
plt.semilogy(weights, [saw[d][2] for d in saw], "o-", label="sawtooth_mlp(depth), depth 1 to 8")
n_hidden = torch.arange(1, 33)
plt.semilogy(2 * n_hidden, n_hidden + 1, "--", label="shallow (1, n, 1): at most n + 1")
plt.xlabel("weights (no biases)")
plt.ylabel("regions on [0, 1] (log scale)")
plt.title("What depth buys: regions per weight")
plt.legend(loc="lower right", fontsize=8)
plt.tight_layout()
plt.show()
