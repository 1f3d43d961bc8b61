# %% [markdown]
# # DL541 · Assignment 3 — L2 regularization and the units of a feature
#
# The lecture's model predicts tomorrow's temperature from today's temperature $t$ (°C) and
# the wind speed $s$:
#
# $$\hat y = w_1 t + w_2 s \qquad (\text{no intercept}).$$
#
# L2 regularization (ridge regression, *weight decay* in deep learning) adds
# $\frac{\lambda}{2}\|w\|^2$ to the loss. The penalty treats every weight alike, but a weight's
# size depends on the **unit** of its feature: measure the wind in m/s instead of km/h and
# $w_2$ must change to give the same prediction. So the same $\lambda$ regularizes the model
# differently depending on a choice of unit that has nothing to do with the weather. You will
# fit ridge regression, change the unit, measure the effect, and cure it by standardisation.
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

# %% [markdown]
# ## Question 1 — ridge regression ({points:q1} points)
#
# With data $X \in \mathbb R^{n \times d}$ (one day per row) and targets $y \in \mathbb R^n$,
# ridge regression minimises
#
# $$J(w) = \frac1n \|Xw - y\|^2 + \frac{\lambda}{2}\|w\|^2,$$
#
# in code `mean((X @ w - y)**2) + lam / 2 * ||w||**2`.
#
# $J$ is a convex quadratic, so its minimiser is where the gradient vanishes:
#
# $$\nabla J(w) = \frac2n X^\top (Xw - y) + \lambda w = 0
# \quad\Longleftrightarrow\quad
# \Big(\frac1n X^\top X + \frac{\lambda}{2} I\Big)\, w = \frac1n X^\top y .$$
#
# Mind the factors: the mean brings $\frac1n$, differentiating the square brings a 2, and
# differentiating $\frac{\lambda}{2}\|w\|^2$ gives $\lambda w$; dividing by 2 leaves
# $\frac{\lambda}{2}$ on the diagonal. For $\lambda > 0$ the matrix is positive definite and the
# solution unique.
#
# `ridge_fit(X, y, lam)` returns this $w$, of shape `(d,)`. Compute in **float64** (the normal
# equations square the condition number of $X$) and return the result in `X`'s dtype on
# `X`'s device.
#
# Rules:
# * `X` has shape `(n, d)` and `y` has shape `(n,)`. Another shape of `y` (for example
#   `(n, 1)`, which would broadcast `X @ w - y` to an `(n, n)` matrix), another shape of `X`, or
#   a `lam < 0` raises `ValueError`.
# * With `lam = 0` return the least-squares solution (the tests use `lam = 0` only when $X$ has
#   full column rank).
# * Solve in float64 even when `X` is float32, and return `w` in `X`'s dtype on `X`'s device.
# * Do not change `X` or `y`.

# %% [reference] ridge_fit

# %% [check] q1

# %% [markdown]
# ### The lecture's data
# We synthesise 120 days: today's temperature $t$ in °C, the wind speed $s$ in km/h, and
# tomorrow's temperature $y = 0.95\,t - 0.1\,s + \text{noise}$. The plot shows the
# *regularization path*: each weight as a function of $\lambda$. What you should see: both
# weights stay near their least-squares values for small $\lambda$ and shrink towards 0 as
# $\lambda$ grows.

# %% [demo]
import matplotlib.pyplot as plt

weather_gen = torch.Generator().manual_seed(0)
n_days = 120
day = torch.arange(n_days, dtype=torch.float64)
noise = torch.randn(n_days, generator=weather_gen, dtype=torch.float64)
temperature = 14 + 8 * torch.sin(6 * torch.pi * day / 365) + 3 * noise
wind_kmh = 40 * torch.rand(n_days, generator=weather_gen, dtype=torch.float64) ** 1.5
tomorrow = 0.95 * temperature - 0.1 * wind_kmh + torch.randn(n_days, generator=weather_gen, dtype=torch.float64)
X_kmh = torch.stack([temperature, wind_kmh], dim=1)

lams = torch.logspace(-2, 1.5, 30).tolist()
path = torch.stack([ridge_fit(X_kmh, tomorrow, lam) for lam in lams])
plt.figure(figsize=(6.5, 3.8))
plt.semilogx(lams, path[:, 0], label="$w_1$ (°C per °C of today)")
plt.semilogx(lams, path[:, 1], label="$w_2$ (°C per km/h of wind)")
plt.axhline(0, color="gray", lw=0.5)
plt.xlabel("$\\lambda$ (penalty strength)")
plt.ylabel("weight")
plt.legend(loc="center left")
plt.title("Ridge path, wind speed in km/h")
plt.show()

# %% [markdown]
# ## Question 2 — changing the unit ({points:q2} points)
#
# * `kmh_to_ms(speed)` converts km/h to m/s: $1\ \text{km/h} = \frac{1000\ \text{m}}{3600\ \text{s}}$,
#   so 18 km/h is 5 m/s.
# * `with_column_scaled(X, column, factor)` returns a **copy** of `X` with one column multiplied
#   by `factor`.
#
# Rules:
# * `kmh_to_ms` keeps the shape, dtype and device of `speed`; the input is not changed.
# * `with_column_scaled` keeps the dtype and device of `X`, and `X` itself must not change:
#   not during the call, and not later when someone writes into the returned copy (no shared
#   memory).
# * `column` follows Python's indexing, so `-1` is the last column; a column outside
#   `[-d, d - 1]` or an `X` that is not 2-D raises `ValueError`.

# %% [reference] kmh_to_ms with_column_scaled

# %% [check] q2

# %% [markdown]
# ### Exercise: km/h or m/s?
# Without a penalty, the unit does not matter: if the wind column is multiplied by $c$, the
# least-squares weight $w_2$ is divided by $c$ and every prediction stays the same. With a
# penalty it does matter. We fit both versions and express the m/s weight per km/h
# ($w_2^{\text{m/s}} / 3.6$), so that the two curves are directly comparable, and we print how
# much of the unpenalised wind effect survives. What you should see: for small $\lambda$ the two
# curves coincide; as $\lambda$ grows they separate, one unit's weight shrinking faster.

# %% [demo]
X_ms = with_column_scaled(X_kmh, 1, float(kmh_to_ms(torch.tensor(1.0))))
assert torch.allclose(X_ms[:, 1], kmh_to_ms(wind_kmh))
per_kmh = {
    "km/h": torch.stack([ridge_fit(X_kmh, tomorrow, lam)[1] for lam in lams]),
    "m/s": torch.stack([ridge_fit(X_ms, tomorrow, lam)[1] for lam in lams]) / 3.6,
}
plt.figure(figsize=(6.5, 3.8))
for unit, values in per_kmh.items():
    plt.semilogx(lams, values, label=f"wind measured in {unit}")
plt.xlabel("$\\lambda$ (penalty strength)")
plt.ylabel("$w_2$ per km/h (°C per km/h)")
plt.title("The same ridge fit, wind speed in km/h or in m/s")
plt.legend(loc="upper left")
plt.show()

for lam in (0.0, 1.0, 10.0):
    w_kmh, w_ms = ridge_fit(X_kmh, tomorrow, lam), ridge_fit(X_ms, tomorrow, lam)
    same = torch.allclose(X_kmh @ w_kmh, X_ms @ w_ms)
    print(f"lam = {lam:4}: w2 = {float(w_kmh[1]):+.4f} per km/h, w2 = {float(w_ms[1]):+.4f} per m/s "
          f"(= {float(w_ms[1]) / 3.6:+.4f} per km/h); same predictions: {same}")

# %% [markdown]
# ## Question 3 — the exercise ({points:q3} points)
#
# Does the regularization effect on $w_2$ **increase** or **decrease** when the wind speed
# changes from km/h to m/s? Read the numbers above, then set `l2_effect_answer` to the string
# `"increase"` or `"decrease"` (lower case, one of these two words). The answer is graded all or
# nothing by a hidden test; the check cell below says only whether it is one of the two words.
#
# *Why:* to be answered on paper. In m/s the wind speeds are 3.6 times smaller, so the same
# forecast needs a $w_2$ that is how many times larger, and what does that do to
# $\frac{\lambda}{2} w_2^2$?

# %% [reference] l2_effect_answer

# %% [check] q3

# %% [markdown]
# ## Question 4 — standardisation cures it ({points:q4} points)
#
# Give every feature the same scale before the penalty sees it. With the **training** mean
# $\mu_j$ and standard deviation $\sigma_j$ of feature $j$, the z-score is
# $z_j = (x_j - \mu_j) / \sigma_j$. Changing a unit multiplies $x_j$, $\mu_j$ and $\sigma_j$ by
# the same factor, so $z_j$ does not change, and neither does anything computed from it.
#
# `standardized_ridge_predict(X_train, y_train, X_test, lam)`:
# 1. compute $\mu$ and $\sigma$ (population std, `ddof = 0`) of each column of `X_train`;
# 2. z-score `X_train` **and** `X_test` with these training statistics (never with the test
#    set's own statistics: a model sees one day at a time);
# 3. fit `ridge_fit` on the z-scores and predict `Z_test @ w`. Recommended: subtract the
#    training mean $\bar y$ of `y_train` before fitting and add it back, `Z_test @ w + ȳ`.
#
# Return the predictions, of shape `(m,)`, in `X_test`'s dtype on its device.
#
# Why centre $y$? Centring the features removes the model's ability to produce the mean
# temperature: without an intercept, every forecast is pulled towards 0 °C. Centring $y$ too is
# the usual cure, and it is the same as fitting an **unpenalised** intercept; with `lam = 0` that
# pipeline is exactly least squares with an intercept.
#
# Rules:
# * Centring `y` is optional: the plain version (z-score, fit ridge, predict) and the version
#   that centres `y` are both accepted.
# * Standardise with the population standard deviation (`ddof = 0`), not the sample one.
# * A feature that is constant on the training set ($\sigma_j = 0$; test with `max == min`)
#   z-scores to 0 for every row, training and test.
# * Compute in float64. `y_train` may come in another dtype than the features, e.g. an integer
#   tensor of whole degrees: convert it to float64 too.
# * Shapes that do not fit together (`X_train` or `X_test` not 2-D, `X_test` with another number
#   of columns, `y_train` not of shape `(n,)`) or `lam < 0` raise `ValueError`.
# * No input is changed.

# %% [reference] standardized_ridge_predict

# %% [check] q4

# %% [markdown]
# ### See it: the unit no longer matters
# A random split of the days into 80 for training and 40 for testing, the wind in km/h or in
# m/s. What you should see: plain ridge on the raw features changes its forecasts with the unit
# as soon as $\lambda > 0$ (by 0.01 °C at $\lambda = 0.1$, by half a degree at $\lambda = 10$), while the standardised
# pipeline's differences are rounding noise (below $10^{-12}$) at every $\lambda$; and its
# forecasts follow tomorrow's temperature closely (the points hug the diagonal).

# %% [demo]
order = torch.randperm(n_days, generator=torch.Generator().manual_seed(1))
train, test = order[:80], order[80:]
X_ms = with_column_scaled(X_kmh, 1, float(kmh_to_ms(torch.tensor(1.0))))
rows = []
for lam in (0.0, 0.1, 1.0, 10.0):
    raw_kmh = X_kmh[test] @ ridge_fit(X_kmh[train], tomorrow[train], lam)
    raw_ms = X_ms[test] @ ridge_fit(X_ms[train], tomorrow[train], lam)
    std_kmh = standardized_ridge_predict(X_kmh[train], tomorrow[train], X_kmh[test], lam)
    std_ms = standardized_ridge_predict(X_ms[train], tomorrow[train], X_ms[test], lam)
    rows.append((lam, float((raw_kmh - raw_ms).abs().max()), float((std_kmh - std_ms).abs().max())))
forecast = standardized_ridge_predict(X_kmh[train], tomorrow[train], X_kmh[test], 0.1)

print(f"{'lam':>6} {'raw ridge: max |km/h - m/s|':>30} {'standardised: max |km/h - m/s|':>33}  (°C)")
for lam, raw, standardised in rows:
    print(f"{lam:>6} {raw:>30.2e} {standardised:>33.2e}")
plt.figure(figsize=(4.8, 4.8))
plt.scatter(tomorrow[test], forecast, s=12, label="a test day")
lims = [float(tomorrow.min()) - 1, float(tomorrow.max()) + 1]
plt.plot(lims, lims, color="gray", lw=0.5, label="perfect forecast")
plt.xlabel("tomorrow's temperature (°C)")
plt.ylabel("forecast (°C)")
plt.title("Standardised ridge, lam = 0.1, on the 40 test days")
plt.legend(loc="upper left")
plt.show()
