"""Known-wrong solutions of autoencoder_pca: each entry is the reference with one realistic mistake."""

MISTAKES = [
    {
        "id": "eigenvectors-ascending",
        "question": "q1",
        "why": "keeps torch.linalg.eigh's ascending order, so the smallest-variance directions come first",
        "replace": [
            (
                "components = eigenvectors.flip(-1)[:, :k].T.contiguous()",
                "components = eigenvectors[:, :k].T.contiguous()",
            )
        ],
    },
    {
        "id": "forgets-to-centre",
        "question": "q1",
        "why": "diagonalises the second-moment matrix X^T X / n instead of the covariance",
        "replace": [("    centred = X64 - mean\n", "    centred = X64\n")],
    },
    {
        "id": "columns-not-rows",
        "question": "q1",
        "why": "returns the eigenvectors as the columns of a (d, k) matrix instead of the rows of (k, d)",
        "replace": [
            (
                "components = eigenvectors.flip(-1)[:, :k].T.contiguous()",
                "components = eigenvectors.flip(-1)[:, :k].contiguous()",
            )
        ],
    },
    {
        "id": "centres-X-in-place",
        "question": "q1",
        "why": "centres with an in-place subtraction; for float64 X, X.double() is X itself, so the caller's data is centred",
        "replace": [("    centred = X64 - mean\n", "    centred = X64.sub_(mean)\n")],
    },
    {
        "id": "keeps-the-kept-variance",
        "question": "q2",
        "why": "measures the projection instead of the residual: the sum of the k largest eigenvalues",
        "replace": [("residual = centred - centred @ C.T @ C", "residual = centred @ C.T @ C")],
    },
    {
        "id": "mean-over-entries",
        "question": "q2",
        "why": "averages over all n * d entries (nn.MSELoss) instead of over samples of the squared norm",
        "replace": [("return float((residual**2).sum(dim=1).mean())", "return float((residual**2).mean())")],
    },
    {
        "id": "ddof-one",
        "question": "q2",
        "why": "divides by n - 1 instead of n (ddof = 1), unlike the ddof-0 covariance of the handout",
        "replace": [
            (
                "return float((residual**2).sum(dim=1).mean())",
                "return float((residual**2).sum() / (X.shape[0] - 1))",
            )
        ],
    },
    {
        "id": "encoder-without-bias",
        "question": "q3",
        "why": "leaves b_enc out of encode",
        "replace": [("return x @ self.W.T + self.b_enc", "return x @ self.W.T")],
    },
    {
        "id": "decoder-detaches-W",
        "question": "q3",
        "why": "detaches W in the decoder, so only the encoder's use of the tied weights is trained",
        "replace": [("return h @ self.W + self.b_dec", "return h @ self.W.detach() + self.b_dec")],
    },
    {
        "id": "decoder-bias-not-a-parameter",
        "question": "q3",
        "why": "stores b_dec as a plain tensor, so it is not a parameter and is never trained",
        "replace": [("self.b_dec = nn.Parameter(torch.zeros(d))", "self.b_dec = torch.zeros(d)")],
    },
    {
        "id": "untied-decoder",
        "question": "q3",
        "why": "gives the decoder a weight matrix of its own instead of reusing W (an untied auto-encoder)",
        "replace": [
            (
                "self.b_dec = nn.Parameter(torch.zeros(d))",
                "self.b_dec = nn.Parameter(torch.zeros(d))\n        self.W_dec = nn.Parameter(self.W.detach().T.clone())",
            ),
            ("return h @ self.W + self.b_dec", "return h @ self.W_dec.T + self.b_dec"),
        ],
    },
    {
        "id": "ignores-the-generator",
        "question": "q4",
        "why": "shuffles with torch's global generator instead of the generator argument",
        "replace": [
            (
                "order = torch.randperm(n, generator=generator).to(X.device)",
                "order = torch.randperm(n).to(X.device)",
            )
        ],
    },
    {
        "id": "ignores-lr",
        "question": "q4",
        "why": "builds Adam with its default learning rate instead of lr",
        "replace": [
            (
                "optimizer = torch.optim.Adam(model.parameters(), lr=lr)",
                "optimizer = torch.optim.Adam(model.parameters())",
            )
        ],
    },
    {
        "id": "trains-a-copy",
        "question": "q4",
        "why": "trains a deep copy of the model, so the caller's model never changes",
        "replace": [
            (
                "optimizer = torch.optim.Adam(model.parameters(), lr=lr)",
                "import copy\n    model = copy.deepcopy(model)\n    optimizer = torch.optim.Adam(model.parameters(), lr=lr)",
            )
        ],
    },
    {
        "id": "one-loss-too-many",
        "question": "q4",
        "why": "records the loss before the first epoch as well, returning epochs + 1 values",
        "replace": [("    history = []\n", "    history = [float(F.mse_loss(model(X), X).detach())]\n")],
    },
    {
        "id": "running-mean-of-batch-losses",
        "question": "q4",
        "why": "reports the mean of the epoch's mini-batch losses, each computed before its step, instead of the MSE after the epoch",
        "replace": [
            (
                "        for start in range(0, n, batch_size):\n",
                "        total = 0.0\n        for start in range(0, n, batch_size):\n",
            ),
            (
                "            optimizer.step()\n",
                "            optimizer.step()\n            total += loss.item() * len(batch)\n",
            ),
            (
                "        with torch.inference_mode():  # no graph: only the value is recorded\n            history.append(float(F.mse_loss(model(X), X)))",
                "        history.append(total / n)",
            ),
        ],
    },
    {
        "id": "last-batch-loss",
        "question": "q4",
        "why": "reports the loss of the epoch's last mini-batch, computed before the last step and on that batch only",
        "replace": [
            (
                "        with torch.inference_mode():  # no graph: only the value is recorded\n            history.append(float(F.mse_loss(model(X), X)))",
                "        history.append(float(loss))",
            )
        ],
    },
    {
        "id": "loss-before-the-epoch",
        "question": "q4",
        "why": "evaluates the MSE on the whole X at the start of each epoch, so every entry is one epoch late",
        "replace": [
            (
                "        order = torch.randperm(n, generator=generator).to(X.device)\n",
                "        with torch.no_grad():\n            history.append(float(F.mse_loss(model(X), X)))\n        order = torch.randperm(n, generator=generator).to(X.device)\n",
            ),
            (
                "        with torch.inference_mode():  # no graph: only the value is recorded\n            history.append(float(F.mse_loss(model(X), X)))\n",
                "",
            ),
        ],
    },
    {
        "id": "shuffles-X-in-place",
        "question": "q4",
        "why": "shuffles the caller's data in place at every epoch instead of shuffling an index",
        "replace": [
            (
                "        order = torch.randperm(n, generator=generator).to(X.device)\n",
                "        X.copy_(X[torch.randperm(n, generator=generator).to(X.device)])\n        order = torch.arange(n, device=X.device)\n",
            )
        ],
    },
    {
        "id": "cosines-of-raw-rows",
        "question": "q5",
        "why": "normalises the rows instead of orthonormalising the row space, so the result depends on the rows chosen",
        "replace": [
            (
                "bases.append(torch.linalg.svd(M64).Vh[:rank])",
                "bases.append(M64 / M64.norm(dim=1, keepdim=True))",
            )
        ],
    },
    {
        "id": "cosines-ascending",
        "question": "q5",
        "why": "returns the cosines smallest first",
        "replace": [
            (
                "return torch.cat([values, values.new_zeros",
                "return torch.cat([values.flip(0), values.new_zeros",
            )
        ],
    },
    {
        "id": "same-span-ignores-rank",
        "question": "q5",
        "why": "only compares the cosines, so a space and a larger space that contains it count as the same",
        "replace": [("    if ranks[0] != ranks[1]:\n        return False\n", "")],
    },
    {
        "id": "same-span-any-cosine",
        "question": "q5",
        "why": "accepts when any cosine is close to 1 instead of every cosine",
        "replace": [("return bool((cosines >= 1 - tol).all())", "return bool((cosines >= 1 - tol).any())")],
    },
]
