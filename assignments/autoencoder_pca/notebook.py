# %% [markdown]
# # DL541 · Assignment 6 — Auto-encoders and the span of the principal components
#
# An **auto-encoder** learns to copy its input through a narrow layer. The **encoder** maps
# $x \in \mathbb R^d$ to a code $h = f(x) \in \mathbb R^k$, the **decoder** maps the code back to
# $\hat x = g(h) \in \mathbb R^d$, and training minimises the reconstruction error
# $\lVert x - \hat x \rVert^2$. No labels are needed: the input is its own target.
#
# The code layer is the **bottleneck**. With $k = d$ the task is trivial: $W = I$ copies every
# input perfectly and has learned nothing about the data. Only when $k < d$ must the network
# decide what to keep. For a *linear* auto-encoder the answer is classical: it keeps the span of
# the top-$k$ principal components, the same subspace PCA finds, but in a basis of its own
# choosing. You will check this on handwritten digits, and then use the encoder's codes as
# features for a classifier that sees only a few labels (unsupervised pre-training).
#
# **Points.** This assignment is worth {points:total} points. Each question lists its points;
# the `grader.check` cells run the public tests, and hidden tests (property-based) decide the
# rest when you submit. Partial credit is given test by test.
#
# **Conventions.** Tensors are `torch.Tensor`; keep the input's device and dtype. Randomness
# comes only from the `generator` argument. Bad input raises `ValueError` with a clear message.
# Data matrices hold one sample per row: $X$ has shape $(n, d)$.
#
# {rules}

# %% [reference] __imports__

# %% [markdown]
# ## Question 1 — principal components ({points:q1} points)
#
# With the mean $\mu = \frac1n \sum_i x_i$ and the covariance
# $\Sigma = \frac1n \sum_i (x_i - \mu)(x_i - \mu)^\top$ (population, ddof = 0), write
# $\Sigma = \sum_j \lambda_j u_j u_j^\top$ with $\lambda_1 \ge \lambda_2 \ge \dots \ge \lambda_d$
# and orthonormal $u_j$. `pca(X, k)` returns `(mean, components)`: `mean` of shape `(d,)` and
# `components` of shape `(k, d)` whose rows are $u_1^\top, \dots, u_k^\top$, largest eigenvalue
# first.
#
# Rules:
# * An eigenvector's sign is arbitrary: each row may be $u_j^\top$ or $-u_j^\top$, and the tests
#   accept either sign. (The reference makes the largest-magnitude entry of each row positive.)
# * `mean` and `components` are returned in `X`'s dtype and on its device.
# * `X` must not be modified, not even by centring it in place.
# * `k = 0` returns `components` of shape `(0, d)`.
# * A single sample (`n = 1`) has covariance $0$, so any `k` orthonormal rows are correct
#   components for it.
# * `X` that is not 2-D or is empty, or `k` outside $0, \dots, d$, raises `ValueError`.
#
# Tip: compute in `float64`; `torch.linalg.eigh` returns the eigenvalues in *ascending* order.

# %% [reference] pca

# %% [check] q1

# %% [markdown]
# ### See it: the principal components of the digits
# `load_digits` holds 1797 images of $8 \times 8$ pixels with values 0 to 16. We scale them to
# $[0, 1]$ and look at the mean digit and the top eight components as images (red positive, blue
# negative). What you should see: the mean is a blurred average digit, and each component a pattern
# of pixels that brighten together (red) while others darken (blue).

# %% [demo]
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits

digits = load_digits()
X_digits = torch.tensor(digits.data, dtype=torch.float32) / 16
y_digits = torch.tensor(digits.target)
mean_digit, components = pca(X_digits, 8)
fig, axes = plt.subplots(1, 9, figsize=(12, 1.8))
axes[0].imshow(mean_digit.reshape(8, 8), cmap="gray_r")
axes[0].set_title("mean", fontsize=9)
for j, ax in enumerate(axes[1:]):
    limit = float(components[j].abs().max())
    ax.imshow(components[j].reshape(8, 8), cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(f"$u_{j + 1}$", fontsize=9)
for ax in axes:
    ax.axis("off")
fig.suptitle("The mean digit (grey) and the top 8 principal components of load_digits (red +, blue -)", y=1.08)
plt.show()

# %% [markdown]
# ## Question 2 — the reconstruction error of PCA ({points:q2} points)
#
# Projecting onto the top-$k$ subspace reconstructs $\hat x = \mu + U_k^\top U_k (x - \mu)$,
# where $U_k$ is the `(k, d)` matrix of components. `pca_reconstruction_mse(X, k)` returns, as a
# Python `float`, the mean over samples of $\lVert x - \hat x \rVert^2$ (a sum over the $d$
# features, averaged over the $n$ samples). Show for yourself that it equals the sum of the
# discarded eigenvalues,
# $$\frac1n \sum_i \lVert x_i - \hat x_i \rVert^2 = \sum_{j > k} \lambda_j ,$$
# and (Eckart–Young) that no map $x \mapsto \hat x$ of rank $k$ does better.
#
# Rules: `X` must not be modified; `k = 0` keeps nothing (the error is the total variance) and
# `k = d` keeps everything (the error is 0); bad `X` or `k` raises `ValueError`, as in Question 1.

# %% [reference] pca_reconstruction_mse

# %% [check] q2

# %% [markdown]
# ### See it: how many components does a digit need?
# Left: the error of Question 2 for every fourth $k$. Right: the first digit, projected onto the
# top $k$ components. What you should see: the error falls fast (about half of it is gone at $k = 4$),
# and with $k = 8$ the digit is already recognisable.

# %% [demo]
errors = [pca_reconstruction_mse(X_digits, k) for k in range(0, 65, 4)]
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3), gridspec_kw={"width_ratios": [1.2, 1]})
left.plot(range(0, 65, 4), errors, "o-")
left.set_xlabel("k (components kept)")
left.set_ylabel("mean of ||x - x_hat||^2 (64 pixels)")
left.set_title("PCA: error = sum of the discarded eigenvalues", fontsize=10)
sample = X_digits[0]
reconstructions = [("original", sample)]
for k in (2, 8, 32):
    mu, U = pca(X_digits, k)
    reconstructions.append((f"k = {k}", mu + (sample - mu) @ U.T @ U))
for col, (title, image) in enumerate(reconstructions):
    inset = right.inset_axes([col / 4, 0, 0.23, 1])
    inset.imshow(image.reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    inset.set_title(title, fontsize=9)
    inset.axis("off")
right.set_title("the first digit, projected onto the top k components", fontsize=10)
right.axis("off")
plt.show()

# %% [markdown]
# ## Question 3 — a tied linear auto-encoder ({points:q3} points)
#
# `TiedAutoencoder(d, k)` is an `nn.Module` with three parameters: `W` of shape `(k, d)`,
# `b_enc` of shape `(k,)` and `b_dec` of shape `(d,)`. The decoder reuses the encoder's weights
# (*tied* weights):
# $$\text{encode}(x) = x W^\top + b_{\text{enc}}, \qquad
#   \text{decode}(h) = h W + b_{\text{dec}}, \qquad
#   \text{forward}(x) = \text{decode}(\text{encode}(x)),$$
# with no non-linearity. Because `W` appears twice, its gradient has two terms; autograd adds
# them for you as long as both uses see the same parameter.
#
# Rules:
# * `encode`, `decode` and `forward` return tensors in the input's dtype and on its device (after
#   `model.to(...)` has moved the parameters there).
# * Initialise `W` at the scale $1/d$ and the biases with zeros: the mean of `W**2` must be within
#   a factor of 10 of $1/d$. i.i.d. $\mathcal N(0, 1/d)$ entries (the reference), Xavier,
#   orthonormal rows and `nn.Linear`'s default initialisation all pass; `torch.randn(k, d)` alone
#   does not.
# * A bottleneck means $1 \le k \le d$; other sizes raise `ValueError`, and so does `encode` on
#   an input whose last axis is not `d` wide.
# * The tests call only `TiedAutoencoder(d, k)`; you may add optional arguments (the reference
#   takes `generator=None` for the initialisation).

# %% [reference] TiedAutoencoder

# %% [check] q3

# %% [markdown]
# ### Why $k = d$ with identity weights is useless
# With no bottleneck the identity is a perfect auto-encoder: zero error on every input, the
# training data or anything else. It has learned nothing, because nothing had to be dropped.

# %% [demo]
identity = TiedAutoencoder(64, 64)
with torch.no_grad():
    identity.W.copy_(torch.eye(64))
    identity.b_enc.zero_()
    identity.b_dec.zero_()
noise = torch.rand(5, 64)
with torch.no_grad():
    print("max error on digits:", float((identity(X_digits) - X_digits).abs().max()))
    print("max error on noise: ", float((identity(noise) - noise).abs().max()))

# %% [markdown]
# ## Question 4 — training ({points:q4} points)
#
# `train_autoencoder(model, X, epochs, lr, generator=None)` trains `model` **in place** to
# reconstruct `X` and returns a list of `epochs` Python floats: the training MSE after each
# epoch.
#
# Rules:
# * The optimiser and the batching are your choice: any optimiser on all of `model.parameters()`
#   with learning rate `lr` (plain SGD, SGD with momentum, Adam), mini-batches of any size or the
#   full batch, a training loss averaged or summed over the features. The reference uses Adam and
#   mini-batches of 64 rows, reshuffled every epoch with `torch.randperm(n, generator=generator)`,
#   and takes an optional `batch_size=64` argument.
# * Entry $e$ of the list is the MSE of the model on the whole of `X` after epoch $e$, with the
#   parameters that epoch's last step left: `F.mse_loss(model(X), X)`, the mean over all
#   $n \cdot d$ entries. It is not a running mean of mini-batch losses, and not a loss computed
#   before the epoch's last step. The tests also accept the convention of Question 2, the mean
#   over samples of $\lVert x - \hat x \rVert^2$ ($d$ times larger).
# * Randomness comes only from `generator`: the same model, data and generator seed give the same
#   losses and the same trained parameters, whatever torch's global generator holds.
# * `X` must not be modified: shuffle an index, not the data.
# * `epochs = 0` returns `[]` and leaves the model as it is. A single sample (`n = 1`) is a valid
#   data set.
# * `epochs < 0`, `lr <= 0`, or an `X` that is not 2-D or is empty raises `ValueError`.

# %% [reference] train_autoencoder

# %% [check] q4

# %% [markdown]
# ### See it: the auto-encoder approaches the PCA optimum
# A tied auto-encoder with $k = 10$ trains on the digits for a few seconds. The dashed line is
# the best any rank-10 linear map can do (Question 2), converted to `F.mse_loss`'s scale. What
# you should see: the training error falls quickly and levels off just above the dashed line
# (within 3 % of it after 40 epochs), never below it.

# %% [demo]
k = 10


def train_tied(epochs=40):
    """The tied auto-encoder of this demo, trained from the same seeds every time."""
    model = TiedAutoencoder(64, k, generator=torch.Generator().manual_seed(0))
    return model, train_autoencoder(model, X_digits, epochs, 0.01, generator=torch.Generator().manual_seed(1))


autoencoder, history = train_tied()
best = pca_reconstruction_mse(X_digits, k) / 64
print(f"after {len(history)} epochs: training MSE {history[-1]:.5f}, PCA's optimum {best:.5f} "
      f"({history[-1] / best - 1:+.1%})")
plt.figure(figsize=(6.5, 3.5))
plt.plot(range(1, len(history) + 1), history, label="tied auto-encoder, k = 10")
plt.axhline(best, color="k", linestyle="--", label="PCA, k = 10 (the optimum)")
plt.xlabel("epoch")
plt.ylabel("training MSE per pixel")
plt.title("Training a tied linear auto-encoder on the digits")
plt.legend(loc="upper right")
plt.show()

# %% [markdown]
# ## Question 5 — comparing subspaces ({points:q5} points)
#
# The rows of $W$ and the principal components are two bases; are they bases of the same
# subspace? Orthonormalise each row space, $Q_A$ `(r_A, d)` and $Q_B$ `(r_B, d)`; the singular
# values of $Q_A Q_B^\top$ are the cosines of the **principal angles** between the two spaces.
#
# * `subspace_cosines(A, B)` returns these cosines for `A` `(k1, d)` and `B` `(k2, d)`, largest
#   first, `min(k1, k2)` of them, in `A`'s dtype and on its device. They depend only on the two
#   row spaces: not on the order of the rows, nor on any invertible mix of them.
# * `same_span(A, B, tol=1e-3)` returns `True` when the two row spaces have the same rank and
#   every cosine is at least `1 - tol`.
#
# Inputs that are not 2-D, or of different widths `d`, raise `ValueError`.
#
# Rules:
# * The rank of a matrix of shape `(k, d)` is the number of its singular values above
#   $\max(k, d) \cdot \varepsilon \cdot \sigma_{\max}$, with $\varepsilon$ the machine epsilon
#   of its dtype (what `torch.linalg.matrix_rank` computes); being relative to $\sigma_{\max}$,
#   it does not change when the matrix is scaled. Only that many directions of its row space count.
# * When a matrix has fewer independent rows than `min(k1, k2)`, the missing cosines are 0 (a zero
#   matrix has rank 0).
# * "At least" is inclusive: with `tol = 1` every cosine passes, so `same_span` then compares only
#   the ranks.

# %% [reference] subspace_cosines same_span

# %% [check] q5

# %% [markdown]
# ### See it: same span, different basis
# Every principal angle between the auto-encoder's rows and PCA's components is close to zero:
# the two spans agree. Yet the rows are not the principal components. The matrix $W U_k^\top$
# (left) would be diagonal if they were; instead each row of $W$ mixes many components.
#
# The rows *are* (nearly) orthonormal, $W W^\top \approx I$ (right), and that is a consequence
# of tying: the reconstruction is $W^\top W (x - \mu)$, and the error is smallest only when
# $W^\top W$ is the orthogonal projector onto the top-$k$ subspace, so $W = R\, U_k$ for some
# rotation $R$. Gradient descent picks *some* $R$, fixed by where it started.
#
# *Think:* untie the weights (a decoder matrix $D$ of its own, $\hat x = D W x$). Now any
# $W = M U_k$ with an invertible $M$ and $D = U_k^\top M^{-1}$ is optimal: the span is still
# PCA's, but the rows need not be orthogonal, or even of equal length.

# %% [demo]
autoencoder, _ = train_tied()  # the auto-encoder above, trained again from the same seeds
W = autoencoder.W.detach()
_, U = pca(X_digits, k)
print("cosines of the principal angles:", [round(c, 4) for c in subspace_cosines(W, U).tolist()])
print("same_span(W, U, tol=0.01):", same_span(W, U, tol=0.01))
fig, axes = plt.subplots(1, 2, figsize=(9, 4))
for ax, matrix, title, xlabel in ((axes[0], W @ U.T, "$W U_k^T$: rows of W in PCA coordinates", "component $j$"),
                                  (axes[1], W @ W.T, "$W W^T$: nearly the identity", "row $j$ of W")):
    image = ax.imshow(matrix, cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("row $i$ of W")
fig.colorbar(image, ax=axes, shrink=0.8, label="inner product")
plt.show()
fig, axes = plt.subplots(2, k, figsize=(13, 3))
for j in range(k):
    for row, (basis, label) in enumerate(((U, "$u$"), (W, "$w$"))):
        limit = float(basis[j].abs().max())
        axes[row, j].imshow(basis[j].reshape(8, 8), cmap="RdBu_r", vmin=-limit, vmax=limit)
        axes[row, j].set_title(f"{label}$_{{{j + 1}}}$", fontsize=9)
        axes[row, j].axis("off")
fig.suptitle("top: principal components; bottom: the auto-encoder's rows (same span)", fontsize=10)
plt.show()

# %% [markdown]
# ## Unsupervised pre-training: codes as features
# Labels are expensive, images are cheap. Train the auto-encoder on the *unlabelled* training
# images, then train a small classifier (softmax regression) on the codes of only a few labelled
# ones, and compare it with the same classifier on the raw pixels. Test accuracy is measured on
# held-out images.
#
# *Think:* a linear encoder makes the codes a linear function of the pixels, so a linear
# classifier on the codes can never be better than the best one on the pixels. What the
# bottleneck buys is a smaller input (16 numbers instead of 64) that keeps the information the
# classes need, or, when it is too narrow ($k = 4$), loses it: PCA keeps variance, and variance
# is not the same as class information. Non-linear encoders, pre-trained on a related task, are
# where the real gains lie (Assignment 7). What you should see: the codes with $k = 16$ score
# within 0.01 of the pixels at every number of labels, and the codes with $k = 4$ fall well behind.

# %% [demo]
order = torch.randperm(len(X_digits), generator=torch.Generator().manual_seed(0))
train_idx, test_idx = order[:1200], order[1200:]
features = {"pixels (64)": X_digits - X_digits[train_idx].mean(dim=0)}
for width in (4, 16):
    encoder = TiedAutoencoder(64, width, generator=torch.Generator().manual_seed(0))
    train_autoencoder(encoder, X_digits[train_idx], 20, 0.01, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        features[f"codes (k = {width})"] = encoder.encode(X_digits)


labels_per_class = [1, 3, 10, 30]
accuracy = {name: [] for name in features}
for per_class in labels_per_class:
    for name, inputs in features.items():
        correct = 0.0
        for seed in range(3):  # three random draws of the labelled images
            g = torch.Generator().manual_seed(seed)
            chosen = torch.cat([
                pool[torch.randperm(len(pool), generator=g)[:per_class]]
                for pool in (train_idx[y_digits[train_idx] == c] for c in range(10))
            ])
            torch.manual_seed(seed)
            classifier = torch.nn.Linear(inputs.shape[1], 10)
            opt = torch.optim.Adam(classifier.parameters(), lr=0.05, weight_decay=0.01)
            for _ in range(100):
                opt.zero_grad()
                F.cross_entropy(classifier(inputs[chosen]), y_digits[chosen]).backward()
                opt.step()
            predictions = classifier(inputs[test_idx]).detach().argmax(dim=1)
            correct += float((predictions == y_digits[test_idx]).float().mean()) / 3
        accuracy[name].append(correct)
for name, values in accuracy.items():
    print(f"{name:>16}: " + "  ".join(f"{v:.3f}" for v in values))
plt.figure(figsize=(6.5, 3.8))
for name, values in accuracy.items():
    plt.plot([10 * m for m in labels_per_class], values, "o-", label=name)
plt.xscale("log")
plt.xlabel("labelled training images (1, 3, 10, 30 per class)")
plt.ylabel("test accuracy (597 images)")
plt.title("Softmax regression on pixels or on auto-encoder codes")
plt.legend(loc="lower right")
plt.show()
