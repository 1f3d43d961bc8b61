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
#
# {rules}

# %% [reference] __imports__

# %% [markdown]
# ## Question 1 — counting weights ({points:q1} points)
#
# `count_weights(layer_sizes)` returns the number of weights (no biases) of a fully connected
# network with these layer sizes: $\sum_\ell n_\ell \, n_{\ell+1}$. Both lecture networks give 60.
# Fewer than two sizes, or a size below 1, is bad input: raise `ValueError`.

# %% [reference] count_weights

# %% [check] q1

# %% [markdown]
# ## Question 2 — initialisation ({points:q2} points)
#
# `init_mlp(layer_sizes, generator=None)` returns one `(W, b)` per layer, `W` of shape
# `(out, in)` and `b` of shape `(out,)`, every entry drawn i.i.d. from $\mathcal N(0, 1)$ in
# `float32` with the given generator.

# %% [reference] init_mlp

# %% [check] q2

# %% [markdown]
# ## Question 3 — the forward pass ({points:q3} points)
#
# `mlp_forward(params, x, activation=torch.abs)` maps `x` of shape `(n, in)` to `(n, out)`:
# $h_0 = x$, $h_{\ell+1} = \sigma(h_\ell W_\ell^\top + b_\ell)$, with no activation after the
# last layer. An `x` of the wrong shape raises `ValueError`.
#
# *Think:* without biases, why is $f(cx) = c f(x)$ for $c > 0$, and why is $f(-x) = f(x)$?

# %% [reference] mlp_forward

# %% [check] q3

# %% [markdown]
# ### See it: shallow versus deep
# Each panel shows $f(x_1, x_2)$ of a random network over the square $[-2, 2]^2$. The creases
# are where some pre-activation changes sign.

# %% [demo]
import matplotlib.pyplot as plt

grid = torch.linspace(-2, 2, 201)
xx, yy = torch.meshgrid(grid, grid, indexing="xy")
plane = torch.stack([xx.flatten(), yy.flatten()], dim=1)
fig, axes = plt.subplots(2, 3, figsize=(10, 6.5))
for row, sizes in enumerate([(2, 20, 1), (2, 4, 4, 4, 4, 1)]):
    for col in range(3):
        params = init_mlp(sizes, generator=torch.Generator().manual_seed(col))
        values = mlp_forward(params, plane).reshape(201, 201)
        axes[row, col].imshow(values, extent=(-2, 2, -2, 2), origin="lower", cmap="viridis")
        axes[row, col].set_title(f"{sizes}, seed {col}", fontsize=9)
        axes[row, col].axis("off")
fig.suptitle("Random abs networks with 60 weights: shallow (top) and deep (bottom)")
plt.show()

# %% [markdown]
# ## Question 4 — counting activation regions ({points:q4} points)
#
# `count_activation_regions(params, start, end, num_points=10_000)` takes `num_points` equally
# spaced points from `start` to `end` (both included). The activation pattern of a point is
# the tuple of signs ($z > 0$) of every hidden pre-activation. Return the number of maximal
# runs of equal consecutive patterns (so at least 1). `start`/`end` of the wrong shape raise
# `ValueError`.
#
# *Instructor's note:* points are $x_i = \text{start} + t_i(\text{end} - \text{start})$ with
# $t_i$ = `torch.linspace(0, 1, num_points)`, computed in the dtype of `start`; a pre-activation
# of exactly 0 counts as "not positive".

# %% [reference] count_activation_regions

# %% [check] q4

# %% [markdown]
# ### See it: regions along a line
# The histogram counts regions along the segment $(-2, -2) \to (2, 2)$ for 200 random networks
# of each shape. A shallow net's line crosses each of its 20 hidden units' hyperplanes at most
# once, so it has at most 21 regions.

# %% [demo]
counts = {}
for sizes in [(2, 20, 1), (2, 4, 4, 4, 4, 1)]:
    counts[sizes] = [
        count_activation_regions(
            init_mlp(sizes, generator=torch.Generator().manual_seed(seed)),
            torch.tensor([-2.0, -2.0]), torch.tensor([2.0, 2.0]), num_points=2_000,
        )
        for seed in range(200)
    ]
plt.figure(figsize=(6, 3.5))
for sizes, values in counts.items():
    plt.hist(values, bins=range(0, 40), alpha=0.6, label=str(sizes))
plt.xlabel("activation regions along the line")
plt.ylabel("networks")
plt.legend()
plt.show()

# %% [markdown]
# ## Question 5 — the sawtooth: depth pays exponentially ({points:q5} points)
#
# `sawtooth_mlp(depth)` returns a 1-input, 1-output `abs` network with `depth` hidden layers,
# each at most 2 units wide, whose output on $[0, 1]$ stays in $[0, 1]$ and crosses at least
# $2^{\text{depth}}$ activation regions there.
#
# *Hint:* the tent map $t(x) = 1 - |2x - 1|$ folds $[0, 1]$ onto itself; composing it
# $k$ times gives $2^k$ linear pieces. A shallow network needs a unit per piece.

# %% [reference] sawtooth_mlp

# %% [check] q5

# %% [demo]
xs = torch.linspace(0, 1, 2_000)[:, None]
plt.figure(figsize=(7, 3))
for depth in (1, 2, 3, 4):
    plt.plot(xs[:, 0], mlp_forward(sawtooth_mlp(depth), xs)[:, 0], label=f"depth {depth}")
plt.legend()
plt.title("sawtooth_mlp: 2**depth linear pieces from 2 * depth + 2 weights")
plt.show()
