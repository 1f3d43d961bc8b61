"""Known-wrong solutions of normalizers: each entry is the reference with one realistic mistake."""

MISTAKES = [
    {
        "id": "minmax-ignores-low-high",
        "question": "q1",
        "why": "always maps to [0, 1]: the low and high arguments are never used",
        "replace": [
            (
                "scale = torch.where(spread > 0, (self.high - self.low) / spread, torch.ones_like(spread))",
                "scale = torch.where(spread > 0, 1 / spread, torch.ones_like(spread))",
            ),
            (
                "return (X - centre.to(X)) * scale.to(X) + (self.low + self.high) / 2",
                "return (X - centre.to(X)) * scale.to(X) + 0.5",
            ),
            (
                "return (Z - (self.low + self.high) / 2) / scale.to(Z) + centre.to(Z)",
                "return (Z - 0.5) / scale.to(Z) + centre.to(Z)",
            ),
        ],
    },
    {
        "id": "minmax-divides-by-zero-range",
        "question": "q1",
        "why": "divides by max - min without a guard, so a constant feature becomes NaN",
        "replace": [
            (
                "scale = torch.where(spread > 0, (self.high - self.low) / spread, torch.ones_like(spread))",
                "scale = (self.high - self.low) / spread",
            )
        ],
    },
    {
        "id": "minmax-inverse-multiplies",
        "question": "q1",
        "why": "inverse_transform multiplies by the scale again instead of dividing by it",
        "replace": [
            (
                "return (Z - (self.low + self.high) / 2) / scale.to(Z) + centre.to(Z)",
                "return (Z - (self.low + self.high) / 2) * scale.to(Z) + centre.to(Z)",
            )
        ],
    },
    {
        "id": "zscore-sample-std",
        "question": "q2",
        "why": "uses the sample std (ddof = 1, torch's default) instead of the population std",
        "replace": [("std = X.std(dim=0, correction=0).detach()", "std = X.std(dim=0).detach()")],
    },
    {
        "id": "zscore-mean-without-dim",
        "question": "q2",
        "why": "writes X.mean() without dim=0: centres every feature with the grand mean of all entries",
        "replace": [
            (
                "self.mean = X.mean(dim=0).detach().clone()\n        std = X.std(dim=0, correction=0)",
                "self.mean = X.mean().repeat(X.shape[1]).detach()\n        std = X.std(dim=0, correction=0)",
            )
        ],
    },
    {
        "id": "zscore-constant-feature-nan",
        "question": "q2",
        "why": "keeps a zero std, so a constant feature becomes 0 / 0 = NaN",
        "replace": [
            ("self.std = torch.where(std > 0, std, torch.ones_like(std))", "self.std = std.clone()")
        ],
    },
    {
        "id": "whitener-pca-not-zca",
        "question": "q3",
        "why": "PCA whitening: rotates into the eigenbasis and never rotates back (no final U^T)",
        "replace": [
            ("self.W = ((U / lam.sqrt()) @ U.T).detach()", "self.W = (U / lam.sqrt()).detach()"),
            ("self.W_inv = ((U * lam.sqrt()) @ U.T).detach()", "self.W_inv = (U * lam.sqrt()).T.detach()"),
        ],
    },
    {
        "id": "whitener-no-eigenvalue-clamp",
        "question": "q3",
        "why": "adds eps to eigenvalues that rounding made negative: sqrt of a negative is NaN",
        "replace": [("lam = lam.clamp(min=0) + self.eps", "lam = lam + self.eps")],
    },
    {
        "id": "whitener-sample-covariance",
        "question": "q3",
        "why": "divides the scatter matrix by n - 1 instead of n (ddof = 1 covariance)",
        "replace": [("cov = Xc.T @ Xc / X.shape[0]", "cov = Xc.T @ Xc / (X.shape[0] - 1)")],
    },
    {
        "id": "whitener-forgets-eps",
        "question": "q3",
        "why": "never adds eps to the eigenvalues",
        "replace": [("lam = lam.clamp(min=0) + self.eps", "lam = lam.clamp(min=1e-12)")],
    },
    {
        "id": "zscore-transform-refits",
        "question": "q4",
        "why": "transform recomputes the mean and std from the data it is given",
        "replace": [
            (
                "return (X - self.mean.to(X)) / self.std.to(X)",
                "return (X - X.mean(dim=0)) / X.std(dim=0, correction=0).clamp(min=1e-12)",
            )
        ],
    },
    {
        "id": "no-feature-count-check",
        "question": "q4",
        "why": "never compares the number of features with the fitted one (broadcasting hides it)",
        "replace": [("if not fitting and X.shape[1] != self.n_features:", "if False:")],
    },
    {
        "id": "value-error-before-fit",
        "question": "q4",
        "why": "raises ValueError instead of RuntimeError when transform comes before fit",
        "replace": [
            (
                'raise RuntimeError(f"{type(self).__name__} is not fitted: call fit (or load_state_dict) first")',
                'raise ValueError(f"{type(self).__name__} is not fitted: call fit first")',
            )
        ],
    },
    {
        "id": "load-state-dict-forgets-a-key",
        "question": "q4",
        "why": "load_state_dict restores only the first statistic, so the fresh normalizer is not usable",
        "replace": [
            (
                "for name in self.state_names:\n            setattr(self, name, d[name].detach().clone())",
                "for name in self.state_names[:1]:\n            setattr(self, name, d[name].detach().clone())",
            )
        ],
    },
    {
        "id": "whitener-centres-in-place",
        "question": "q4",
        "why": "subtracts the mean from X in place, changing the caller's data",
        "replace": [
            (
                "return (X - self.mean.to(X)) @ self.W.to(X)",
                "return X.sub_(self.mean.to(X)) @ self.W.to(X)",
            )
        ],
    },
    {
        "id": "fit-accepts-no-samples",
        "question": "q4",
        "why": "fit accepts an empty X (n = 0): the statistics become NaN instead of a ValueError",
        "replace": [("if fitting and X.shape[0] < 1:", "if False:")],
    },
    {
        "id": "zscore-statistics-keep-their-dtype",
        "question": "q4",
        "why": "uses the stored mean and std as they are, so float32 data normalised with float64 statistics "
        "comes back as float64 (and CPU statistics cannot meet CUDA data)",
        "replace": [
            ("return (X - self.mean.to(X)) / self.std.to(X)", "return (X - self.mean) / self.std"),
            ("return Z * self.std.to(Z) + self.mean.to(Z)", "return Z * self.std + self.mean"),
        ],
    },
    {
        "id": "strategy1-refits-on-test",
        "question": "q5",
        "why": "strategy1 calls fit_transform on the test set too, which is strategy 2",
        "replace": [
            ("return train_n, normalizer.transform(test)", "return train_n, normalizer.fit_transform(test)")
        ],
    },
    {
        "id": "strategy2-swapped-outputs",
        "question": "q5",
        "why": "returns (test_n, train_n) instead of (train_n, test_n)",
        "replace": [
            (
                "return make_normalizer().fit_transform(train), make_normalizer().fit_transform(test)",
                "return make_normalizer().fit_transform(test), make_normalizer().fit_transform(train)",
            )
        ],
    },
    {
        "id": "minmax-global-min-max",
        "question": "q1",
        "why": "writes X.min() and X.max() without dim=0: every feature is scaled by the range of all entries",
        "replace": [
            ("self.data_min = X.amin(dim=0).detach().clone()", "self.data_min = X.min().repeat(X.shape[1]).detach()"),
            ("self.data_max = X.amax(dim=0).detach().clone()", "self.data_max = X.max().repeat(X.shape[1]).detach()"),
        ],
    },
    {
        "id": "zscore-inverse-forgets-mean",
        "question": "q2",
        "why": "inverse_transform multiplies by the std but never adds the mean back",
        "replace": [("return Z * self.std.to(Z) + self.mean.to(Z)", "return Z * self.std.to(Z)")],
    },
    {
        "id": "whitener-forgets-sqrt",
        "question": "q3",
        "why": "scales by 1 / (lambda + eps) instead of 1 / sqrt(lambda + eps)",
        "replace": [
            ("self.W = ((U / lam.sqrt()) @ U.T).detach()", "self.W = ((U / lam) @ U.T).detach()"),
            ("self.W_inv = ((U * lam.sqrt()) @ U.T).detach()", "self.W_inv = ((U * lam) @ U.T).detach()"),
        ],
    },
    {
        "id": "state-dict-returns-live-tensors",
        "question": "q4",
        "why": "state_dict returns the normalizer's own tensors, so editing the returned dict in place edits the normalizer",
        "replace": [
            (
                "return {name: getattr(self, name).detach().clone() for name in self.state_names}",
                "return {name: getattr(self, name) for name in self.state_names}",
            )
        ],
    },
    {
        "id": "load-state-dict-keeps-references",
        "question": "q4",
        "why": "load_state_dict stores the caller's tensors, so editing the dict after loading it edits the normalizer",
        "replace": [
            (
                "for name in self.state_names:\n            setattr(self, name, d[name].detach().clone())",
                "for name in self.state_names:\n            setattr(self, name, d[name])",
            )
        ],
    },
    {
        "id": "state-dict-returns-vars",
        "question": "q4",
        "why": "state_dict returns the object's __dict__: constructor settings that are not tensors, and no copies",
        "replace": [
            (
                "return {name: getattr(self, name).detach().clone() for name in self.state_names}",
                "return dict(vars(self))",
            )
        ],
    },
    {
        "id": "strategy1-fits-on-test",
        "question": "q5",
        "why": "strategy1 fits the normalizer on the test set and applies it to both sets",
        "replace": [
            (
                "train_n = normalizer.fit_transform(train)\n    return train_n, normalizer.transform(test)",
                "test_n = normalizer.fit_transform(test)\n    return normalizer.transform(train), test_n",
            )
        ],
    },
]
