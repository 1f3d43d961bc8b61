"""Known-wrong solutions of autoencoder_pca: each entry is the reference with one realistic mistake."""

MISTAKES = [
    {
        "id": "eigenvectors-ascending",
        "question": "q1",
        "why": "keeps torch.linalg.eigh's ascending order, so the smallest-variance directions come first",
        "replace": [("components = eigenvectors.flip(-1)[:, :k].T.contiguous()", "components = eigenvectors[:, :k].T.contiguous()")],
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
        "replace": [("components = eigenvectors.flip(-1)[:, :k].T.contiguous()", "components = eigenvectors.flip(-1)[:, :k].contiguous()")],
    },
    {
        "id": "returns-float64",
        "question": "q1",
        "why": "returns the float64 working copies instead of the input's dtype",
        "replace": [("return mean.to(X.dtype), components.to(X.dtype)", "return mean, components")],
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
        "replace": [("return float((residual**2).sum(dim=1).mean())", "return float((residual**2).sum() / (X.shape[0] - 1))")],
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
        "id": "ignores-the-generator",
        "question": "q4",
        "why": "shuffles with torch's global generator instead of the generator argument",
        "replace": [("order = torch.randperm(n, generator=generator).to(X.device)", "order = torch.randperm(n).to(X.device)")],
    },
    {
        "id": "ignores-lr",
        "question": "q4",
        "why": "builds Adam with its default learning rate instead of lr",
        "replace": [("optimizer = torch.optim.Adam(model.parameters(), lr=lr)", "optimizer = torch.optim.Adam(model.parameters())")],
    },
    {
        "id": "trains-a-copy",
        "question": "q4",
        "why": "trains a deep copy of the model, so the caller's model never changes",
        "replace": [("optimizer = torch.optim.Adam(model.parameters(), lr=lr)", "import copy\n    model = copy.deepcopy(model)\n    optimizer = torch.optim.Adam(model.parameters(), lr=lr)")],
    },
    {
        "id": "one-loss-too-many",
        "question": "q4",
        "why": "records the loss before the first epoch as well, returning epochs + 1 values",
        "replace": [("    history = []\n", "    history = [float(F.mse_loss(model(X), X).detach())]\n")],
    },
    {
        "id": "cosines-of-raw-rows",
        "question": "q5",
        "why": "normalises the rows instead of orthonormalising the row space, so the result depends on the rows chosen",
        "replace": [("bases.append(torch.linalg.svd(M64).Vh[:rank])", "bases.append(M64 / M64.norm(dim=1, keepdim=True))")],
    },
    {
        "id": "cosines-ascending",
        "question": "q5",
        "why": "returns the cosines smallest first",
        "replace": [("return torch.cat([values, values.new_zeros", "return torch.cat([values.flip(0), values.new_zeros")],
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
