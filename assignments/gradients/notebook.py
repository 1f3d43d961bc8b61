# %% [markdown]
# # DL541 · Assignment 2 — Vanishing, exploding, and checking gradients
#
# Backpropagation computes the gradient of a deep network as a *product*. For a network
# $h_0 = x$, $z_\ell = W_\ell h_{\ell-1} + b_\ell$, $h_\ell = \sigma(z_\ell)$, the error signal
# $\delta_\ell = \partial \mathcal L / \partial z_\ell$ travels backwards as
#
# $$\delta_\ell = \sigma'(z_\ell) \odot \left(W_{\ell+1}^\top \delta_{\ell+1}\right),
# \qquad \frac{\partial \mathcal L}{\partial W_\ell} = \delta_\ell \, h_{\ell-1}^\top .$$
#
# After $L$ layers the signal has been multiplied by $L$ matrices $W^\top$ and $L$ diagonal
# matrices $\operatorname{diag}\sigma'$. If those factors are typically smaller than one the
# gradient of the first layers **vanishes**; if they are larger it **explodes**. The activation
# ($\sigma' \le 1/4$ for the sigmoid!) and the scale of the initial weights decide which.
#
# In this assignment you build deep networks with a chosen initial scale, measure the gradient
# norm of every layer, diagnose the profile, verify gradients with finite differences (the
# *gradient check* every hand-written backward pass deserves), and implement gradient clipping.
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
# ## Question 1 — a deep network with a chosen initial scale ({points:q1} points)
#
# `make_deep_mlp(depth, width, activation, init_scale, generator=None)` returns an
# `nn.Sequential` of `depth` blocks `Linear(width, width)` → activation, followed by
# `Linear(width, 1)`. The activation is `"sigmoid"`, `"tanh"`, `"relu"` or `"linear"`
# (`nn.Sigmoid()`, `nn.Tanh()`, `nn.ReLU()`, `nn.Identity()`). Every weight, the output layer's
# included, is drawn i.i.d. from $\mathcal N(0, s^2 / \text{width})$ with $s$ = `init_scale`
# and the given generator; every bias is 0. Parameters are `float32`.
#
# With this scaling a `Linear(width, width)` layer keeps $\mathbb E\|W h\|^2 = s^2 \|h\|^2$:
# $s = 1$ is Xavier/LeCun initialisation, $s = \sqrt 2$ is He initialisation (ReLU zeroes half
# of the signal, so it needs twice the variance).
#
# Rules:
# * For `"linear"` the block still has two modules, `Linear` then `nn.Identity()`, so every
#   model has `2 * depth + 1` modules.
# * The output layer's fan-in is `width` too, so its weights have the same standard deviation
#   $s / \sqrt{\text{width}}$.
# * Draw every weight from the `generator` argument: two calls with generators of the same seed
#   return the same weights, whatever the global seed.
# * `depth = 0` (the output layer `Linear(width, 1)` alone) and `init_scale = 0` (every weight 0)
#   are allowed.
# * An unknown activation name (names are lower case, exactly as above), a negative `depth`, a
#   `width` below 1 or a negative `init_scale` raises `ValueError`.

# %% [reference] make_deep_mlp

# %% [check] q1

# %% [markdown]
# ## Question 2 — gradient norm per layer ({points:q2} points)
#
# `layer_grad_norms(model, x, y)` returns a 1-D tensor with, for each `nn.Linear` of `model` in
# forward order, the Frobenius norm $\|\partial \mathcal L / \partial W_\ell\|_F$ of the gradient
# of the mean squared error $\mathcal L = \frac1n \sum_i (f(x_i) - y_i)^2$
# (`torch.nn.functional.mse_loss`, mean reduction). Return it on `x`'s device in `x`'s dtype.
#
# The result must not depend on gradients left over in `p.grad` from earlier `backward()` calls:
# `backward()` **adds** to `p.grad`. Either zero the gradients first or, better, use
# `torch.autograd.grad`, which returns the gradients without touching `p.grad`.
#
# Rules:
# * Every call returns the norms of the gradient at the current weights: two calls on the same
#   model and data return the same norms, whatever is left in `p.grad`.
# * `model` may nest containers (an `nn.Sequential` inside an `nn.Sequential`): every `nn.Linear`
#   inside it counts, in forward order.
# * `y` has the output's shape `(n, 1)` or the shape `(n,)`; in the second case compare row by
#   row (`y.reshape(n, 1)`), never broadcast `(n, 1)` against `(n,)` to an `(n, n)` matrix.
# * Any other shape of `y`, or a model without an `nn.Linear`, raises `ValueError`.

# %% [reference] layer_grad_norms

# %% [check] q2

# %% [markdown]
# ### See it: the gradient profile of a 20-layer network
# Each panel is one activation; each line one initial scale $s$. The vertical axis is
# $\log_{10}\|\partial\mathcal L/\partial W_\ell\|_F$, the horizontal axis the layer $\ell$
# (layer 1 is next to the input, layer 21 is the output layer). A gap in a line is an infinite
# norm: the float32 computation overflowed. What you should see: the sigmoid lines fall steeply
# towards the input at every scale (vanishing); the tanh line with $s = 4$ rises towards the
# input (exploding); relu and linear lines are flat, at a height that grows with $s$.

# %% [demo]
import matplotlib.pyplot as plt

DEPTH, WIDTH = 20, 64
SCALES = [0.5, 1.0, math.sqrt(2), 2.0, 4.0]
ACTIVATIONS = ["sigmoid", "tanh", "relu", "linear"]
data_gen = torch.Generator().manual_seed(0)
x_demo = torch.randn(256, WIDTH, generator=data_gen)
y_demo = torch.randn(256, 1, generator=data_gen)



def gradient_profiles():
    """{(activation, scale): the gradient norm of each layer} for every activation and scale."""
    return {
        (activation, scale): layer_grad_norms(
            make_deep_mlp(DEPTH, WIDTH, activation, scale, generator=torch.Generator().manual_seed(1)),
            x_demo,
            y_demo,
        )
        for activation in ACTIVATIONS
        for scale in SCALES
    }


profiles = gradient_profiles()
fig, axes = plt.subplots(1, 4, figsize=(15, 4), sharex=True, layout="constrained")
layers = range(1, DEPTH + 2)
for ax, activation in zip(axes, ACTIVATIONS):
    for scale in SCALES:
        norms = profiles[activation, scale]
        ax.plot(layers, torch.log10(norms).tolist(), marker=".", label=f"s = {scale:.3g}")
    ax.set_title(activation)
    ax.set_xlabel("layer (1 = input side, 21 = output)")
axes[0].set_ylabel("log10 of the gradient norm")
fig.legend(*axes[0].get_legend_handles_labels(), loc="outside right center", title="initial scale")
fig.suptitle(f"Gradient norm per layer, {DEPTH} blocks of width {WIDTH}, one line per initial scale s")
plt.show()

# %% [markdown]
# ## Question 3 — the diagnosis ({points:q3} points)
#
# `diagnose(norms, ratio=1e3)` reads a profile like the ones above (`norms[0]` is the first
# layer, `norms[-1]` the output layer) and returns one of three strings:
#
# * `"exploding"` if any norm is not finite (`nan` or `±inf`);
# * otherwise, with $r$ = `norms[0] / norms[-1]`: `"vanishing"` if $r < 1/\text{ratio}$,
#   `"exploding"` if $r > \text{ratio}$, else `"healthy"`.
#
# Only the first and the last norm enter $r$; the layers in between do not matter.
#
# Rules:
# * Both comparisons are strict, so $r = \text{ratio}$ exactly is `"healthy"`, and so is
#   $r = 1/\text{ratio}$ exactly.
# * A profile of a single norm has $r = 1$: `"healthy"`.
# * Compute $r$ as a tensor division (or treat division by zero as $+\infty$): a last norm of
#   exactly 0 gives $r = \infty$, `"exploding"`, and a first norm of 0 gives $r = 0$,
#   `"vanishing"` (all-zero profiles are not tested).
# * Every `ratio >= 1` is allowed (with `ratio = 1` only $r = 1$ is `"healthy"`).
# * An empty `norms` or a `ratio` below 1 raises `ValueError`.

# %% [reference] diagnose

# %% [check] q3

# %% [demo]
table = {key: diagnose(norms) for key, norms in gradient_profiles().items()}  # the profiles above, again
print(f"{'':>8}" + "".join(f"{f's = {s:.3g}':>13}" for s in SCALES))
for activation in ACTIVATIONS:
    print(f"{activation:>8}" + "".join(f"{table[activation, scale]:>13}" for scale in SCALES))

# %% [markdown]
# ### Reading the diagnosis
# * **sigmoid** vanishes at every scale: each layer multiplies $\delta$ by $\sigma' \le 1/4$,
#   and its outputs are all positive (around 0.5), so nothing compensates.
# * **tanh** with $s \approx 1$ is healthy. With $s > 1$ each layer multiplies the squared
#   norm of the backward signal by about $s^2\,\mathbb E[\tanh'(z)^2] > 1$ (the "chaotic"
#   regime), so the gradient grows towards the input; at $s = 4$ by more than a factor 1000.
# * **relu** and **linear** networks look "healthy" by the ratio, yet the whole profile moves
#   up or down with $s$. In $\partial\mathcal L/\partial W_\ell = \delta_\ell h_{\ell-1}^\top$ the
#   forward signal $h_{\ell-1}$ has been multiplied by $\ell - 1$ layers and the backward
#   signal $\delta_\ell$ by the other $L - \ell + 1$, each by a factor of about $s$ (linear) or
#   $s/\sqrt2$ (relu): every layer carries the same total factor, so the profile is flat, at a
#   level that is $O(1)$ only for $s = 1$ (linear) and $s = \sqrt 2$ (relu). At $s = 4$ it
#   overflows to `inf`. The ratio measures the *shape* of the profile; the *level* matters too,
#   because it sets the size of every SGD step.

# %% [markdown]
# ## Question 4 — the gradient check ({points:q4} points)
#
# A hand-written backward pass is easy to get wrong and hard to debug. Compare it with
# **centered differences**: for a scalar function $f$ and a unit vector $e_i$,
#
# $$\frac{\partial f}{\partial x_i} \approx \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon},$$
#
# whose truncation error is $O(\varepsilon^2)$ (the one-sided difference only reaches $O(\varepsilon)$),
# and compare the two gradients with the **relative error**
#
# $$\operatorname{rel}(a, b) = \frac{\|a - b\|_2}{\max(\|a\|_2 + \|b\|_2,\ 10^{-12})} \in [0, 1].$$
#
# * `numerical_gradient(f, x, eps=1e-6)` returns the centered differences of `f` at `x`, of the
#   same shape as `x`. Perturb and difference in **float64** (with $\varepsilon = 10^{-6}$ a
#   float32 perturbation is lost in rounding), then return the result in `x`'s dtype on `x`'s
#   device. `f` receives float64 tensors of `x`'s shape and returns a scalar. Never change `x`.
# * `relative_error(a, b)` returns the formula above as a Python `float`.
#
# Rules:
# * "Computed in float64" is about the arithmetic: the returned tensor follows the course
#   convention and has `x`'s dtype; an integer `x` (a grid point) gives a float64 gradient.
# * `f` may return a 0-dim tensor or a Python `float`: keep its value in float64
#   (`torch.as_tensor(3.5)` alone would round it to float32).
# * `x` is not changed: after the call it holds exactly the values it held before (adding `eps`
#   and subtracting it again does not always give the same float back).
# * Two zero vectors have relative error 0: the denominator is at least $10^{-12}$.
# * `eps <= 0` raises `ValueError`; `relative_error` of tensors of different shapes raises
#   `ValueError` (no broadcasting).
#
# Rule of thumb for a float64 check: below $10^{-7}$ is right, above $10^{-4}$ is a bug.

# %% [reference] numerical_gradient relative_error

# %% [check] q4

# %% [markdown]
# ### See it: checking the backward pass of a small network
# The loss of a 3–4–1 tanh network as a function of its 21 parameters, flattened into one
# vector $\theta$. We compare the finite differences with autograd, and with a hand-written
# backward pass that has a classic bug: it forgets the factor $\tanh'(z) = 1 - \tanh(z)^2$.

# %% [demo]
check_gen = torch.Generator().manual_seed(0)
X_small = torch.randn(8, 3, generator=check_gen, dtype=torch.float64)
y_small = torch.randn(8, 1, generator=check_gen, dtype=torch.float64)
SHAPES = [(4, 3), (4,), (1, 4), (1,)]


def unpack(theta):
    parts, k = [], 0
    for shape in SHAPES:
        size = math.prod(shape)
        parts.append(theta[k : k + size].reshape(shape))
        k += size
    return parts


def small_loss(theta, X=X_small, y=y_small):
    W1, b1, W2, b2 = unpack(theta)
    return ((torch.tanh(X @ W1.T + b1) @ W2.T + b2 - y) ** 2).mean()


def hand_gradient(theta, forget_tanh_prime=False):
    W1, b1, W2, b2 = unpack(theta)
    h = torch.tanh(X_small @ W1.T + b1)
    d_out = 2 * (h @ W2.T + b2 - y_small) / y_small.numel()
    d_z = d_out @ W2 if forget_tanh_prime else (d_out @ W2) * (1 - h**2)
    return torch.cat([(d_z.T @ X_small).flatten(), d_z.sum(0), (d_out.T @ h).flatten(), d_out.sum(0)])


theta = torch.randn(21, generator=check_gen, dtype=torch.float64)
theta_var = theta.clone().requires_grad_(True)
(auto,) = torch.autograd.grad(small_loss(theta_var), theta_var)
numeric = numerical_gradient(small_loss, theta)
print(f"finite differences vs autograd:            {relative_error(numeric, auto):.1e}")
print(f"finite differences vs correct hand backprop: {relative_error(numeric, hand_gradient(theta)):.1e}")
print(f"finite differences vs buggy hand backprop:   {relative_error(numeric, hand_gradient(theta, True)):.1e}")

# %% [markdown]
# How small should $\varepsilon$ be? The truncation error shrinks like $\varepsilon^2$, but the
# rounding error of $f(x+\varepsilon e_i) - f(x-\varepsilon e_i)$ grows like
# $u\,|f| / \varepsilon$ with the unit roundoff $u$ ($10^{-16}$ in float64, $6\cdot 10^{-8}$ in
# float32). The best $\varepsilon$ balances the two; in float32 arithmetic no $\varepsilon$ gives a
# trustworthy check. What you should see: in float64 the error falls (like $\varepsilon^2$) to about
# $10^{-11}$ near $\varepsilon = 10^{-5}$ and rises again for smaller steps; in float32 it never
# gets below $10^{-5}$.

# %% [demo]
epsilons = torch.logspace(-12, -1, 23).tolist()
errors64 = [relative_error(numerical_gradient(small_loss, theta, eps=e), auto) for e in epsilons]
errors32 = [
    relative_error(numerical_gradient(lambda t: small_loss(t.float(), X_small.float(), y_small.float()),
                                      theta, eps=e), auto)
    for e in epsilons
]
plt.figure(figsize=(6.5, 4))
plt.loglog(epsilons, errors64, marker=".", label="f evaluated in float64")
plt.loglog(epsilons, errors32, marker=".", label="f evaluated in float32")
plt.xlabel("eps (the step of the centered difference)")
plt.ylabel("relative error vs autograd")
plt.title("Gradient check of the 3-4-1 network: the best eps balances two errors")
plt.legend(loc="lower left")
plt.show()

# %% [markdown]
# ## Question 5 — gradient clipping ({points:q5} points)
#
# When gradients explode, one SGD step can throw the weights so far that the loss becomes `nan`.
# **Clipping by the global norm** rescales all gradients together, keeping their direction:
# with $g$ the concatenation of every gradient and $\|g\|_2$ its norm,
#
# $$g \leftarrow c\, g \quad\text{with}\quad c = \frac{\text{max\_norm}}{\|g\|_2 + 10^{-6}}
# \quad\text{only when } c < 1.$$
#
# `clip_grad_norm_(parameters, max_norm)` does this in place on every `p.grad` and returns the
# norm **before** clipping as a tensor (in the gradients' dtype and device), exactly like
# `torch.nn.utils.clip_grad_norm_`, which you may not call.
#
# Rules:
# * `parameters` may be a list, a generator such as `model.parameters()` (which can be iterated
#   only once), or a single tensor (a list of one).
# * Parameters whose `.grad` is `None` are skipped, and with no gradient at all the result is
#   `tensor(0.)`.
# * `max_norm = 0` is allowed and zeroes every gradient.
# * A negative `max_norm` raises `ValueError`.

# %% [reference] clip_grad_norm_

# %% [check] q5

# %% [markdown]
# ### See it: clipping rescues an exploding network
# A 12-layer ReLU network with $s = 2$ (too large: the gradient level grows like $2^{12}$) is
# trained by SGD on a small regression problem, once without and once with clipping at
# `max_norm = 1`. What you should see: without clipping the first step throws the weights so far
# that the loss jumps from about 240 to about $10^{34}$, and from step 2 on it is `nan` (the red
# line marks where); with clipping the loss falls, oscillating, to below 1.

# %% [demo]
train_gen = torch.Generator().manual_seed(0)
X_train = torch.randn(256, 16, generator=train_gen)
y_train = torch.sin(X_train @ torch.randn(16, 1, generator=train_gen))
histories = {}
for max_norm in (None, 1.0):
    net = make_deep_mlp(12, 16, "relu", 2.0, generator=torch.Generator().manual_seed(3))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.05)
    losses, norms = [], []
    for step in range(200):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(net(X_train), y_train)
        loss.backward()
        if max_norm is None:
            total = torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in net.parameters()]))
        else:
            total = clip_grad_norm_(net.parameters(), max_norm)
        optimizer.step()
        losses.append(loss.item())
        norms.append(total.item())
    histories[max_norm] = (losses, norms)

losses = histories[None][0]
diverged = next((step for step, value in enumerate(losses) if not math.isfinite(value)), None)
print(f"without clipping: loss {losses[0]:.3g} at step 0, {losses[1]:.3g} at step 1, nan from step {diverged} on")
print(f"with clipping at 1: loss {histories[1.0][0][0]:.3g} at step 0, {histories[1.0][0][-1]:.3g} at step 199")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 3.8))
for max_norm, (losses, norms) in histories.items():
    label = "no clipping" if max_norm is None else f"clipped at {max_norm:g}"
    steps = range(len(losses))
    ax1.semilogy(steps[:12], losses[:12], marker="o", label=label)  # nan points are not drawn
    ax2.semilogy(steps, losses, label=label)
for ax in (ax1, ax2):
    if diverged is not None:
        ax.axvline(diverged, color="red", linestyle=":", label=f"no clipping: nan from step {diverged}")
    ax.set_xlabel("SGD step")
    ax.set_ylabel("training loss (MSE)")
    ax.legend(loc="upper right", fontsize=8)
ax1.set_title("The first 12 steps (log scale up to 1e35)")
ax2.set_title("All 200 steps")
ax2.set_ylim(1e-1, 1e4)
fig.suptitle("A 12-layer ReLU network with s = 2, trained by SGD (lr 0.05) without and with clipping")
plt.tight_layout()
plt.show()

# %% [markdown]
# Clipping does not cure the bad initialisation, it only bounds the step: the first steps
# shrink the weights until the gradient norm is moderate, and then training proceeds. The
# cure is a sensible `init_scale` (Question 1), and clipping is the seat belt.
