"""Plausible wrong answers for lecture 07 (each must lose points) and correct answers written
differently (each must keep full marks in both grading stages)."""

_PCA_CHECK = '''
def _rows(X, k):
    X = np.asarray(X.detach().cpu() if hasattr(X, "detach") else X, dtype=float)
    if X.ndim != 2 or int(k) != k or not 1 <= k <= X.shape[1]:
        raise ValueError("bad input")
    return X, int(k)
'''

_ANGLES = '''
def _bases(A, B):
    A = np.asarray(A.detach().cpu() if hasattr(A, "detach") else A, dtype=float)
    B = np.asarray(B.detach().cpu() if hasattr(B, "detach") else B, dtype=float)
    return A, B
'''

_MDA = '''
def _mda(X, p, ridge, q_of=lambda p: 1 - p, square_diagonal=False, typo=False, bias=True):
    X = np.asarray(X.detach().cpu() if hasattr(X, "detach") else X, dtype=float)
    d, n = X.shape
    Xb = np.vstack([X, np.ones((1, n))]) if bias else X
    S = Xb @ Xb.T
    q = np.full(len(S), q_of(p))
    if bias:
        q[-1] = 1.0
    EQ = S * np.outer(q, q)
    if not square_diagonal:
        np.fill_diagonal(EQ, np.diag(S) * q)
    EP = EQ[:d] if typo else S[:d] * q[None, :]
    return EP @ np.linalg.inv(EQ + ridge * np.eye(len(S)))
'''

_PAIRS = '''
def _draw(labels, count, want_same, generator, allow_self=False, check=True):
    labels = torch.as_tensor(labels).long()
    n = len(labels)
    found, total = [], 0
    while total < count:
        i = torch.randint(n, (4 * count + 16,), generator=generator)
        j = torch.randint(n, (4 * count + 16,), generator=generator)
        ok = torch.ones_like(i, dtype=torch.bool) if not check else ((labels[i] == labels[j]) == want_same)
        if not allow_self:
            ok &= i != j
        found.append(torch.stack([i[ok], j[ok]], 1))
        total += int(ok.sum())
    return torch.cat(found)[:count]
'''

MUTANTS = {
    "test_pca_subspace": {
        "uncentred (SVD of X itself)": _PCA_CHECK + '''
def pca_subspace(X, k):
    X, k = _rows(X, k)
    return np.linalg.svd(X, full_matrices=False)[2][:k].T
''',
        "smallest singular values": _PCA_CHECK + '''
def pca_subspace(X, k):
    X, k = _rows(X, k)
    return np.linalg.svd(X - X.mean(0), full_matrices=False)[2][-k:].T
''',
        "covariance over the wrong axis (np.cov(X): rows as variables)": _PCA_CHECK + '''
def pca_subspace(X, k):
    X, k = _rows(X, k)
    return np.linalg.eigh(np.cov(X))[1][:, ::-1][:, :k]
''',
        "returns (k, d), rows instead of columns": _PCA_CHECK + '''
def pca_subspace(X, k):
    X, k = _rows(X, k)
    return np.linalg.svd(X - X.mean(0), full_matrices=False)[2][:k]
''',
        "eigh of the covariance without sorting (ascending eigenvalues)": _PCA_CHECK + '''
def pca_subspace(X, k):
    X, k = _rows(X, k)
    return np.linalg.eigh(np.cov(X.T))[1][:, :k]
''',
        "no validation of k": '''
def pca_subspace(X, k):
    X = np.asarray(X.detach().cpu() if hasattr(X, "detach") else X, dtype=float)
    return np.linalg.svd(X - X.mean(0), full_matrices=True)[2][:k].T
''',
        "centred by the column-wise mean of the wrong axis": _PCA_CHECK + '''
def pca_subspace(X, k):
    X, k = _rows(X, k)
    return np.linalg.svd(X - X.mean(1, keepdims=True), full_matrices=False)[2][:k].T
''',
    },
    "test_principal_angles": {
        "descending order": _ANGLES + '''
def principal_angles(A, B):
    A, B = _bases(A, B)
    s = np.linalg.svd(np.linalg.qr(A)[0].T @ np.linalg.qr(B)[0], compute_uv=False)
    return np.arccos(np.clip(s, -1, 1))[::-1]
''',
        "degrees": _ANGLES + '''
def principal_angles(A, B):
    A, B = _bases(A, B)
    s = np.linalg.svd(np.linalg.qr(A)[0].T @ np.linalg.qr(B)[0], compute_uv=False)
    return np.sort(np.degrees(np.arccos(np.clip(s, -1, 1))))
''',
        "no orthonormalisation (columns only normalised)": _ANGLES + '''
def principal_angles(A, B):
    A, B = _bases(A, B)
    A, B = A / np.linalg.norm(A, axis=0), B / np.linalg.norm(B, axis=0)
    s = np.linalg.svd(A.T @ B, compute_uv=False)
    return np.sort(np.arccos(np.clip(s, -1, 1)))
''',
        "returns the cosines": _ANGLES + '''
def principal_angles(A, B):
    A, B = _bases(A, B)
    return np.sort(np.linalg.svd(np.linalg.qr(A)[0].T @ np.linalg.qr(B)[0], compute_uv=False))
''',
        "angles of the columns pairwise, not principal angles": _ANGLES + '''
def principal_angles(A, B):
    A, B = _bases(A, B)
    k = min(A.shape[1], B.shape[1])
    A, B = A[:, :k] / np.linalg.norm(A[:, :k], axis=0), B[:, :k] / np.linalg.norm(B[:, :k], axis=0)
    return np.sort(np.arccos(np.clip(np.abs((A * B).sum(0)), -1, 1)))
''',
    },
    "test_corrupt": {
        "level used as the variance": '''
def corrupt(x, kind, level, generator):
    if kind == "gaussian":
        return x + level ** 2 * torch.randn(x.shape, generator=generator, dtype=x.dtype).to(x.device)
    if kind == "mask":
        return x * (torch.rand(x.shape, generator=generator) >= level).to(x.device, x.dtype)
    raise ValueError(kind)
''',
        "mask keeps with probability level": '''
def corrupt(x, kind, level, generator):
    if kind == "gaussian":
        return x + level * torch.randn(x.shape, generator=generator, dtype=x.dtype).to(x.device)
    if kind == "mask":
        return x * (torch.rand(x.shape, generator=generator) < level).to(x.device, x.dtype)
    raise ValueError(kind)
''',
        "inverted-dropout rescaling of kept entries": '''
def corrupt(x, kind, level, generator):
    if kind == "gaussian":
        return x + level * torch.randn(x.shape, generator=generator, dtype=x.dtype).to(x.device)
    if kind == "mask":
        return x * (torch.rand(x.shape, generator=generator) >= level).to(x.device, x.dtype) / (1 - level)
    raise ValueError(kind)
''',
        "global RNG instead of the generator": '''
def corrupt(x, kind, level, generator):
    if kind == "gaussian":
        return x + level * torch.randn_like(x)
    if kind == "mask":
        return x * (torch.rand_like(x) >= level).to(x.dtype)
    raise ValueError(kind)
''',
        "modifies x in place": '''
def corrupt(x, kind, level, generator):
    if kind == "gaussian":
        return x.add_(level * torch.randn(x.shape, generator=generator, dtype=x.dtype).to(x.device))
    if kind == "mask":
        return x.mul_((torch.rand(x.shape, generator=generator) >= level).to(x.device, x.dtype))
    raise ValueError(kind)
''',
        "no ValueError (anything else is Gaussian)": '''
def corrupt(x, kind, level, generator):
    if kind == "mask":
        return x * (torch.rand(x.shape, generator=generator) >= level).to(x.device, x.dtype)
    return x + level * torch.randn(x.shape, generator=generator, dtype=x.dtype).to(x.device)
''',
        "one mask shared by the whole batch": '''
def corrupt(x, kind, level, generator):
    if kind == "gaussian":
        return x + level * torch.randn(x.shape, generator=generator, dtype=x.dtype).to(x.device)
    if kind == "mask":
        return x * (torch.rand(x.shape[1:], generator=generator) >= level).to(x.device, x.dtype)
    raise ValueError(kind)
''',
    },
    "test_contractive_penalty": {
        "create_graph missing": '''
def contractive_penalty(encoder, x):
    x = x.detach().requires_grad_(True)
    codes = encoder(x)
    total = 0.0
    for j in range(codes.shape[1]):
        (g,) = torch.autograd.grad(codes[:, j].sum(), x, retain_graph=True)
        total = total + g.pow(2).sum()
    return total / x.shape[0]
''',
        "summed over the batch": '''
def contractive_penalty(encoder, x):
    x = x.detach().requires_grad_(True)
    codes = encoder(x)
    total = 0.0
    for j in range(codes.shape[1]):
        (g,) = torch.autograd.grad(codes[:, j].sum(), x, create_graph=True)
        total = total + g.pow(2).sum()
    return total
''',
        "gradient of the summed code (J^T 1), not the Jacobian": '''
def contractive_penalty(encoder, x):
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(encoder(x).sum(), x, create_graph=True)
    return g.pow(2).sum() / x.shape[0]
''',
        "Frobenius norm, not squared": '''
def contractive_penalty(encoder, x):
    x = x.detach().requires_grad_(True)
    codes = encoder(x)
    per_sample = 0.0
    for j in range(codes.shape[1]):
        (g,) = torch.autograd.grad(codes[:, j].sum(), x, create_graph=True)
        per_sample = per_sample + g.pow(2).reshape(len(x), -1).sum(1)
    return per_sample.sqrt().mean()
''',
        "detached: returns a float": '''
def contractive_penalty(encoder, x):
    x = x.detach().requires_grad_(True)
    codes = encoder(x)
    total = 0.0
    for j in range(codes.shape[1]):
        (g,) = torch.autograd.grad(codes[:, j].sum(), x, create_graph=True)
        total = total + g.pow(2).sum()
    return float(total / x.shape[0])
''',
        "mean over all Jacobian entries": '''
def contractive_penalty(encoder, x):
    x = x.detach().requires_grad_(True)
    codes = encoder(x)
    total = 0.0
    for j in range(codes.shape[1]):
        (g,) = torch.autograd.grad(codes[:, j].sum(), x, create_graph=True)
        total = total + g.pow(2).sum()
    return total / (x.numel() * codes.shape[1])
''',
    },
    "test_mda_weights": {
        "the slides' typo: P = X~ X~'": _MDA + '''
def mda_weights(X, p, ridge=1e-5):
    return _mda(X, p, ridge, typo=True)
''',
        "q = p instead of 1 - p": _MDA + '''
def mda_weights(X, p, ridge=1e-5):
    return _mda(X, p, ridge, q_of=lambda p: p)
''',
        "diagonal of E[Q] with q^2": _MDA + '''
def mda_weights(X, p, ridge=1e-5):
    return _mda(X, p, ridge, square_diagonal=True)
''',
        "no bias row": _MDA + '''
def mda_weights(X, p, ridge=1e-5):
    return _mda(X, p, ridge, bias=False)
''',
        "ridge ignored": _MDA + '''
def mda_weights(X, p, ridge=1e-5):
    return _mda(X, p, 1e-5)
''',
        "ridge left off the bias entry (as in Chen et al.'s code)": '''
def mda_weights(X, p, ridge=1e-5):
    X = np.asarray(X, dtype=float)
    d, n = X.shape
    Xb = np.vstack([X, np.ones((1, n))])
    S = Xb @ Xb.T
    q = np.full(d + 1, 1 - p)
    q[-1] = 1.0
    EQ = S * np.outer(q, q)
    np.fill_diagonal(EQ, np.diag(S) * q)
    reg = ridge * np.eye(d + 1)
    reg[-1, -1] = 0.0
    return (S[:d] * q[None, :]) @ np.linalg.inv(EQ + reg)
''',
        "bias entry of q also 1 - p": '''
def mda_weights(X, p, ridge=1e-5):
    X = np.asarray(X, dtype=float)
    d, n = X.shape
    Xb = np.vstack([X, np.ones((1, n))])
    S = Xb @ Xb.T
    q = np.full(d + 1, 1 - p)
    EQ = S * np.outer(q, q)
    np.fill_diagonal(EQ, np.diag(S) * q)
    return (S[:d] * q[None, :]) @ np.linalg.inv(EQ + ridge * np.eye(d + 1))
''',
    },
    "test_reparameterize": {
        "exp(logvar) instead of exp(logvar / 2)": '''
def reparameterize(mu, logvar, eps):
    return mu + torch.exp(logvar) * eps
''',
        "draws its own noise": '''
def reparameterize(mu, logvar, eps):
    return mu + torch.exp(logvar / 2) * torch.randn_like(mu)
''',
        "logvar used as the standard deviation": '''
def reparameterize(mu, logvar, eps):
    return mu + logvar * eps
''',
        "detached sample": '''
def reparameterize(mu, logvar, eps):
    return (mu + torch.exp(logvar / 2) * eps).detach()
''',
    },
    "test_gaussian_kl": {
        "sign of log sigma^2 flipped": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (logvar.exp() + mu ** 2 - 1 + logvar).sum(1)
''',
        "missing 1/2": '''
def gaussian_kl(mu, logvar):
    return (logvar.exp() + mu ** 2 - 1 - logvar).sum(1)
''',
        "mean over dimensions": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (logvar.exp() + mu ** 2 - 1 - logvar).mean(1)
''',
        "summed over the batch too (a scalar)": '''
def gaussian_kl(mu, logvar):
    return 0.5 * (logvar.exp() + mu ** 2 - 1 - logvar).sum()
''',
        "negative KL (the ELBO term)": '''
def gaussian_kl(mu, logvar):
    return -0.5 * (logvar.exp() + mu ** 2 - 1 - logvar).sum(1)
''',
    },
    "test_vae_loss": {
        "mean over pixels instead of sum": '''
def vae_loss(x, x_logits, mu, logvar):
    n = x.shape[0]
    bce = F.binary_cross_entropy_with_logits(x_logits.reshape(n, -1), x.reshape(n, -1), reduction="none").mean(1)
    return (bce + gaussian_kl(mu, logvar)).mean()
''',
        "summed over the batch": '''
def vae_loss(x, x_logits, mu, logvar):
    n = x.shape[0]
    bce = F.binary_cross_entropy_with_logits(x_logits.reshape(n, -1), x.reshape(n, -1), reduction="none").sum(1)
    return (bce + gaussian_kl(mu, logvar)).sum()
''',
        "KL subtracted": '''
def vae_loss(x, x_logits, mu, logvar):
    n = x.shape[0]
    bce = F.binary_cross_entropy_with_logits(x_logits.reshape(n, -1), x.reshape(n, -1), reduction="none").sum(1)
    return (bce - gaussian_kl(mu, logvar)).mean()
''',
        "KL averaged over latent dimensions": '''
def vae_loss(x, x_logits, mu, logvar):
    n = x.shape[0]
    bce = F.binary_cross_entropy_with_logits(x_logits.reshape(n, -1), x.reshape(n, -1), reduction="none").sum(1)
    return (bce + 0.5 * (logvar.exp() + mu ** 2 - 1 - logvar).mean(1)).mean()
''',
        "log of the sigmoid (overflows, clamps)": '''
def vae_loss(x, x_logits, mu, logvar):
    n = x.shape[0]
    bce = F.binary_cross_entropy(torch.sigmoid(x_logits).reshape(n, -1), x.reshape(n, -1), reduction="none").sum(1)
    return (bce + gaussian_kl(mu, logvar)).mean()
''',
        "returns a float": '''
def vae_loss(x, x_logits, mu, logvar):
    n = x.shape[0]
    bce = F.binary_cross_entropy_with_logits(x_logits.reshape(n, -1), x.reshape(n, -1), reduction="none").sum(1)
    return (bce + gaussian_kl(mu, logvar)).mean().item()
''',
        "arguments of the BCE swapped": '''
def vae_loss(x, x_logits, mu, logvar):
    n = x.shape[0]
    bce = F.binary_cross_entropy_with_logits(x.reshape(n, -1), torch.sigmoid(x_logits).reshape(n, -1), reduction="none").sum(1)
    return (bce + gaussian_kl(mu, logvar)).mean()
''',
    },
    "test_siamese_cosine_loss": {
        "margin applied to similar pairs too": '''
def siamese_cosine_loss(emb1, emb2, same, margin):
    cos = F.cosine_similarity(emb1, emb2, dim=1)
    loss = torch.where(same.bool(), (1 - cos) ** 2 / 4, cos ** 2)
    return torch.where(cos > margin, loss, torch.zeros_like(loss)).mean()
''',
        "hinge (cos - margin)^2": '''
def siamese_cosine_loss(emb1, emb2, same, margin):
    cos = F.cosine_similarity(emb1, emb2, dim=1)
    return torch.where(same.bool(), (1 - cos) ** 2 / 4, torch.clamp(cos - margin, min=0) ** 2).mean()
''',
        "dot product instead of cosine": '''
def siamese_cosine_loss(emb1, emb2, same, margin):
    cos = (emb1 * emb2).sum(1)
    return torch.where(same.bool(), (1 - cos) ** 2 / 4, torch.where(cos > margin, cos ** 2, torch.zeros_like(cos))).mean()
''',
        "missing 1/4": '''
def siamese_cosine_loss(emb1, emb2, same, margin):
    cos = F.cosine_similarity(emb1, emb2, dim=1)
    return torch.where(same.bool(), (1 - cos) ** 2, torch.where(cos > margin, cos ** 2, torch.zeros_like(cos))).mean()
''',
        "sum over pairs": '''
def siamese_cosine_loss(emb1, emb2, same, margin):
    cos = F.cosine_similarity(emb1, emb2, dim=1)
    return torch.where(same.bool(), (1 - cos) ** 2 / 4, torch.where(cos > margin, cos ** 2, torch.zeros_like(cos))).sum()
''',
        "penalises dissimilar pairs below the margin": '''
def siamese_cosine_loss(emb1, emb2, same, margin):
    cos = F.cosine_similarity(emb1, emb2, dim=1)
    return torch.where(same.bool(), (1 - cos) ** 2 / 4, torch.where(cos < margin, cos ** 2, torch.zeros_like(cos))).mean()
''',
        "flags read as similar = 0": '''
def siamese_cosine_loss(emb1, emb2, same, margin):
    cos = F.cosine_similarity(emb1, emb2, dim=1)
    return torch.where(~same.bool(), (1 - cos) ** 2 / 4, torch.where(cos > margin, cos ** 2, torch.zeros_like(cos))).mean()
''',
    },
    "test_make_pairs": {
        "a sample may be paired with itself": _PAIRS + '''
def make_pairs(labels, n_similar, ratio, generator):
    similar = _draw(labels, n_similar, True, generator, allow_self=True)
    dissimilar = _draw(labels, ratio * n_similar, False, generator)
    return torch.cat([similar, dissimilar]), torch.arange(len(similar) + len(dissimilar)) < len(similar)
''',
        "ratio read as similar per dissimilar": _PAIRS + '''
def make_pairs(labels, n_similar, ratio, generator):
    similar = _draw(labels, n_similar, True, generator)
    dissimilar = _draw(labels, max(1, n_similar // ratio), False, generator)
    return torch.cat([similar, dissimilar]), torch.arange(len(similar) + len(dissimilar)) < len(similar)
''',
        "dissimilar pairs drawn without looking at labels": _PAIRS + '''
def make_pairs(labels, n_similar, ratio, generator):
    similar = _draw(labels, n_similar, True, generator)
    dissimilar = _draw(labels, ratio * n_similar, False, generator, check=False)
    return torch.cat([similar, dissimilar]), torch.arange(len(similar) + len(dissimilar)) < len(similar)
''',
        "global RNG": '''
def make_pairs(labels, n_similar, ratio, generator):
    labels = torch.as_tensor(labels).long()
    out = []
    for want, count in ((True, n_similar), (False, ratio * n_similar)):
        got = []
        while len(got) < count:
            i, j = torch.randint(len(labels), (2,)).tolist()
            if i != j and bool(labels[i] == labels[j]) == want:
                got.append([i, j])
        out += got
    return torch.tensor(out), torch.arange(len(out)) < n_similar
''',
        "flags inverted": _PAIRS + '''
def make_pairs(labels, n_similar, ratio, generator):
    similar = _draw(labels, n_similar, True, generator)
    dissimilar = _draw(labels, ratio * n_similar, False, generator)
    return torch.cat([similar, dissimilar]), torch.arange(len(similar) + len(dissimilar)) >= len(similar)
''',
        "the same pair repeated": _PAIRS + '''
def make_pairs(labels, n_similar, ratio, generator):
    similar = _draw(labels, 1, True, generator).repeat(n_similar, 1)
    dissimilar = _draw(labels, 1, False, generator).repeat(ratio * n_similar, 1)
    return torch.cat([similar, dissimilar]), torch.arange(len(similar) + len(dissimilar)) < len(similar)
''',
    },
    "test_one_shot_predict": {
        "Euclidean nearest neighbour": '''
def one_shot_predict(query_embeddings, support_embeddings):
    q, s = torch.as_tensor(query_embeddings).double(), torch.as_tensor(support_embeddings).double()
    return torch.cdist(q, s).argmin(1)
''',
        "dot product, not cosine": '''
def one_shot_predict(query_embeddings, support_embeddings):
    q, s = torch.as_tensor(query_embeddings).double(), torch.as_tensor(support_embeddings).double()
    return (q @ s.T).argmax(1)
''',
        "least similar": '''
def one_shot_predict(query_embeddings, support_embeddings):
    q, s = torch.as_tensor(query_embeddings).double(), torch.as_tensor(support_embeddings).double()
    return (F.normalize(q, dim=1) @ F.normalize(s, dim=1).T).argmin(1)
''',
        "argmax over the queries": '''
def one_shot_predict(query_embeddings, support_embeddings):
    q, s = torch.as_tensor(query_embeddings).double(), torch.as_tensor(support_embeddings).double()
    return (F.normalize(q, dim=1) @ F.normalize(s, dim=1).T).argmax(0)
''',
    },
    "test_gram_matrix": {
        "divided by C * H * W": '''
def gram_matrix(features):
    n, c, h, w = features.shape
    f = features.reshape(n, c, h * w)
    return f @ f.transpose(1, 2) / (c * h * w)
''',
        "not normalised": '''
def gram_matrix(features):
    n, c, h, w = features.shape
    f = features.reshape(n, c, h * w)
    return f @ f.transpose(1, 2)
''',
        "divided by H^2": '''
def gram_matrix(features):
    n, c, h, w = features.shape
    f = features.reshape(n, c, h * w)
    return f @ f.transpose(1, 2) / (h * h)
''',
        "positions x positions (F^T F)": '''
def gram_matrix(features):
    n, c, h, w = features.shape
    f = features.reshape(n, c, h * w)
    return f.transpose(1, 2) @ f / (h * w)
''',
        "reshaped in the wrong order (H W C)": '''
def gram_matrix(features):
    n, c, h, w = features.shape
    f = features.reshape(n, h * w, c).transpose(1, 2)
    return f @ f.transpose(1, 2) / (h * w)
''',
    },
}

CORRECT = {
    "test_pca_subspace": {
        "eigh of the covariance, sorted, in torch": '''
def pca_subspace(X, k):
    X = torch.as_tensor(np.asarray(X.detach().cpu() if hasattr(X, "detach") else X, dtype=float))
    if X.ndim != 2 or int(k) != k or not 1 <= k <= X.shape[1]:
        raise ValueError("bad input")
    values, vectors = torch.linalg.eigh(torch.cov(X.T))
    return vectors[:, torch.argsort(values, descending=True)[: int(k)]]
''',
        "scikit-learn PCA": '''
def pca_subspace(X, k):
    from sklearn.decomposition import PCA as _PCA
    X = np.asarray(X.detach().cpu() if hasattr(X, "detach") else X, dtype=float)
    if X.ndim != 2 or int(k) != k or not 1 <= k <= X.shape[1]:
        raise ValueError("bad input")
    return _PCA(int(k), svd_solver="full").fit(X).components_.T
''',
        "a rotated basis (QR of the principal vectors mixed)": '''
def pca_subspace(X, k):
    X = np.asarray(X.detach().cpu() if hasattr(X, "detach") else X, dtype=float)
    if X.ndim != 2 or int(k) != k or not 1 <= k <= X.shape[1]:
        raise ValueError("bad input")
    U = np.linalg.svd(X - X.mean(0), full_matrices=False)[2][: int(k)].T
    mix = np.triu(np.ones((int(k), int(k)))) + np.eye(int(k))
    return np.linalg.qr(-U @ mix)[0]
''',
    },
    "test_principal_angles": {
        "scipy.linalg.subspace_angles, reversed": '''
def principal_angles(A, B):
    from scipy.linalg import subspace_angles
    A = np.asarray(A.detach().cpu() if hasattr(A, "detach") else A, dtype=float)
    B = np.asarray(B.detach().cpu() if hasattr(B, "detach") else B, dtype=float)
    return np.sort(subspace_angles(A, B))
''',
        "torch QR and SVD, a tensor": '''
def principal_angles(A, B):
    A, B = torch.as_tensor(np.asarray(A, dtype=float)), torch.as_tensor(np.asarray(B, dtype=float))
    s = torch.linalg.svdvals(torch.linalg.qr(A).Q.T @ torch.linalg.qr(B).Q)
    return torch.sort(torch.arccos(s.clamp(-1, 1))).values
''',
    },
    "test_corrupt": {
        "torch.normal and bernoulli": '''
def corrupt(x, kind, level, generator):
    if kind == "gaussian":
        noise = torch.normal(0.0, 1.0, size=tuple(x.shape), generator=generator).to(x.device, x.dtype)
        return x + noise * level
    if kind == "mask":
        keep = torch.bernoulli(torch.full(tuple(x.shape), 1.0 - level), generator=generator)
        return x * keep.to(x.device, x.dtype)
    raise ValueError("unknown kind")
''',
        "masked_fill": '''
def corrupt(x, kind, level, generator):
    if kind not in ("gaussian", "mask"):
        raise ValueError(kind)
    if kind == "mask":
        return x.masked_fill((torch.rand(x.shape, generator=generator) < level).to(x.device), 0.0)
    return x.clone() + level * torch.randn(x.shape, generator=generator).to(x.device, x.dtype)
''',
    },
    "test_contractive_penalty": {
        "torch.func jacrev and vmap": '''
def contractive_penalty(encoder, x):
    x = x.detach()
    def one(sample):
        return encoder(sample.unsqueeze(0)).squeeze(0)
    jacobians = torch.func.vmap(torch.func.jacrev(one))(x)
    return jacobians.pow(2).reshape(x.shape[0], -1).sum(1).mean()
''',
        "autograd.functional.jacobian per sample, create_graph": '''
def contractive_penalty(encoder, x):
    total = 0.0
    for sample in x.detach():
        J = torch.autograd.functional.jacobian(lambda v: encoder(v.unsqueeze(0)).squeeze(0), sample, create_graph=True)
        total = total + (J ** 2).sum()
    return total / len(x)
''',
        "is_grads_batched with one-hot vectors": '''
def contractive_penalty(encoder, x):
    x = x.detach().clone().requires_grad_(True)
    codes = encoder(x)
    k = codes.shape[1]
    eye = torch.eye(k, dtype=codes.dtype).unsqueeze(1).expand(k, *codes.shape)
    (g,) = torch.autograd.grad(codes, x, grad_outputs=eye, is_grads_batched=True, create_graph=True)
    return g.pow(2).sum() / x.shape[0]
''',
    },
    "test_mda_weights": {
        "torch, E[Q] built with an outer product then diagonal fixed, inverse": '''
def mda_weights(X, p, ridge=1e-5):
    X = torch.as_tensor(np.asarray(X, dtype=float))
    d, n = X.shape
    Xb = torch.cat([X, torch.ones(1, n, dtype=X.dtype)])
    S = Xb @ Xb.T
    q = torch.cat([torch.full((d,), 1.0 - p, dtype=X.dtype), torch.ones(1, dtype=X.dtype)])
    EQ = S * torch.outer(q, q) + torch.diag(torch.diagonal(S) * q * (1 - q))
    EP = (S * q[None, :])[:d]
    return EP @ torch.linalg.inv(EQ + ridge * torch.eye(d + 1, dtype=X.dtype))
''',
        "loops over entries": '''
def mda_weights(X, p, ridge=1e-5):
    X = np.asarray(X, dtype=float)
    d, n = X.shape
    Xb = np.vstack([X, np.ones((1, n))])
    q = [1 - p] * d + [1.0]
    EQ = np.zeros((d + 1, d + 1))
    for a in range(d + 1):
        for b in range(d + 1):
            s = float(Xb[a] @ Xb[b])
            EQ[a, b] = s * q[a] if a == b else s * q[a] * q[b]
    EP = np.array([[float(X[a] @ Xb[b]) * q[b] for b in range(d + 1)] for a in range(d)])
    return np.linalg.lstsq((EQ + ridge * np.eye(d + 1)).T, EP.T, rcond=None)[0].T
''',
    },
    "test_reparameterize": {
        "sqrt of exp": '''
def reparameterize(mu, logvar, eps):
    return eps * torch.sqrt(torch.exp(logvar)) + mu
''',
    },
    "test_gaussian_kl": {
        "torch.distributions": '''
def gaussian_kl(mu, logvar):
    from torch.distributions import Normal, kl_divergence
    q = Normal(mu, torch.exp(0.5 * logvar))
    p = Normal(torch.zeros_like(mu), torch.ones_like(mu))
    return kl_divergence(q, p).sum(-1)
''',
    },
    "test_vae_loss": {
        "BCE written out stably, reconstruction summed then divided by N": '''
def vae_loss(x, x_logits, mu, logvar):
    n = x.shape[0]
    l, t = x_logits.reshape(n, -1), x.reshape(n, -1)
    bce = torch.clamp(l, min=0) - l * t + torch.log1p(torch.exp(-l.abs()))
    kl = -0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum()
    return (bce.sum() + kl) / n
''',
    },
    "test_siamese_cosine_loss": {
        "normalise then dot, float flags": '''
def siamese_cosine_loss(emb1, emb2, same, margin):
    cos = (F.normalize(emb1, dim=1) * F.normalize(emb2, dim=1)).sum(1)
    s = same.to(cos.dtype)
    return (s * (1 - cos) ** 2 / 4 + (1 - s) * (cos > margin).to(cos.dtype) * cos ** 2).mean()
''',
    },
    "test_make_pairs": {
        "per-class choice with torch.multinomial": '''
def make_pairs(labels, n_similar, ratio, generator):
    labels = torch.as_tensor(labels).long()
    n = len(labels)
    counts = torch.bincount(labels)
    eligible = torch.nonzero(counts[labels] >= 2).reshape(-1)
    pairs = []
    for _ in range(n_similar):
        i = int(eligible[torch.randint(len(eligible), (1,), generator=generator)])
        mates = torch.nonzero((labels == labels[i]) & (torch.arange(n) != i)).reshape(-1)
        pairs.append([i, int(mates[torch.randint(len(mates), (1,), generator=generator)])])
    for _ in range(ratio * n_similar):
        i = int(torch.randint(n, (1,), generator=generator))
        others = torch.nonzero(labels != labels[i]).reshape(-1)
        pairs.append([i, int(others[torch.multinomial(torch.ones(len(others)), 1, generator=generator)])])
    pairs = torch.tensor(pairs)
    order = torch.randperm(len(pairs), generator=generator)
    pairs = pairs[order]
    return pairs, labels[pairs[:, 0]] == labels[pairs[:, 1]]
''',
    },
    "test_one_shot_predict": {
        "NumPy, int64 array": '''
def one_shot_predict(query_embeddings, support_embeddings):
    q = np.asarray(query_embeddings, dtype=float)
    s = np.asarray(support_embeddings, dtype=float)
    sim = (q @ s.T) / np.outer(np.linalg.norm(q, axis=1), np.linalg.norm(s, axis=1))
    return np.argmax(sim, axis=1)
''',
    },
    "test_gram_matrix": {
        "einsum": '''
def gram_matrix(features):
    return torch.einsum("nchw,ndhw->ncd", features, features) / (features.shape[2] * features.shape[3])
''',
    },
}
