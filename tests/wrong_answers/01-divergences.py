"""Lecture 01: plausible wrong answers (MUTANTS, each must lose its cell's points) and correct
answers written differently (CORRECT, each must keep them), run through both grading stages
by tests/test_wrong_answers.py."""

_VALIDATED_KL = '''
def _valid(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    if p.ndim != 1 or p.shape != q.shape or np.any(p < 0) or np.any(q < 0) \\
            or not np.all(np.isfinite(p)) or not np.all(np.isfinite(q)) \\
            or abs(p.sum() - 1) > 1e-6 or abs(q.sum() - 1) > 1e-6:
        raise ValueError("bad input")
    return p, q
'''

MUTANTS = {
    "test_kl_divergence": {
        "log2": _VALIDATED_KL + '''
def kl_divergence(p, q):
    p, q = _valid(p, q)
    s = p > 0
    if np.any(q[s] == 0): return math.inf
    return float(np.sum(p[s] * np.log2(p[s] / q[s])))
''',
        "swapped arguments": _VALIDATED_KL + '''
def kl_divergence(p, q):
    q, p = _valid(p, q)
    s = p > 0
    if np.any(q[s] == 0): return math.inf
    return float(np.sum(p[s] * np.log(p[s] / q[s])))
''',
        "no validation": '''
def kl_divergence(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    s = p > 0
    if np.any(q[s] == 0): return math.inf
    return float(np.sum(p[s] * np.log(p[s] / q[s])))
''',
        "zero bins not handled": _VALIDATED_KL + '''
def kl_divergence(p, q):
    p, q = _valid(p, q)
    with np.errstate(all="ignore"):
        return float(np.sum(p * np.log(p / q)))
''',
        "exact sum check": '''
def kl_divergence(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    if p.shape != q.shape or np.any(p < 0) or np.any(q < 0) or p.sum() != 1 or q.sum() != 1:
        raise ValueError("bad input")
    s = p > 0
    if np.any(q[s] == 0): return math.inf
    return float(np.sum(p[s] * np.log(p[s] / q[s])))
''',
    },
    "test_js_divergence": {
        "missing one half": '''
def js_divergence(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    m = (p + q) / 2
    return kl_divergence(p, m) + kl_divergence(q, m)
''',
        "log2": '''
def js_divergence(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    m = (p + q) / 2
    return (0.5 * kl_divergence(p, m) + 0.5 * kl_divergence(q, m)) / math.log(2)
''',
        "symmetrised KL instead of the mixture": '''
def js_divergence(p, q):
    return 0.5 * kl_divergence(p, q) + 0.5 * kl_divergence(q, p)
''',
    },
    "test_minkowski_distance": {
        "missing root": '''
def minkowski_distance(p, q, r):
    p, q = _check_pair(p, q)
    if r < 1: raise ValueError("r")
    return float(np.sum(np.abs(p - q) ** r))
''',
        "no check on r": '''
def minkowski_distance(p, q, r):
    p, q = _check_pair(p, q)
    return float(np.sum(np.abs(p - q) ** r) ** (1 / r))
''',
    },
    "test_histogram_intersection": {
        "normalised by p": '''
def histogram_intersection(p, q):
    p, q = _check_pair(p, q)
    return float(1 - np.minimum(p, q).sum() / p.sum())
''',
        "no validation": '''
def histogram_intersection(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    return float(1 - np.minimum(p, q).sum() / q.sum())
''',
    },
    "test_chi2_distance": {
        "divides by p + q": '''
def chi2_distance(p, q):
    p, q = _check_pair(p, q)
    s = (p + q) > 0
    return float(np.sum((p[s] - q[s]) ** 2 / (p[s] + q[s])))
''',
        "zero bins not handled": '''
def chi2_distance(p, q):
    p, q = _check_pair(p, q)
    with np.errstate(all="ignore"):
        return float(np.sum((p - q) ** 2 / ((p + q) / 2)))
''',
    },
    "test_quadratic_form_distance": {
        "missing root": '''
def quadratic_form_distance(p, q, A):
    p, q = _check_pair(p, q)
    d = p - q
    return float(d @ np.asarray(A, float) @ d)
''',
        "diagonal only": '''
def quadratic_form_distance(p, q, A):
    p, q = _check_pair(p, q)
    d = p - q
    return math.sqrt(float(np.sum(np.diag(np.asarray(A, float)) * d * d)))
''',
    },
    "test_fit_gaussian": {
        "directions swapped": '''
def fit_gaussian(p, x, direction):
    if direction not in ("forward", "reverse"): raise ValueError(direction)
    p = np.asarray(p, float) / np.sum(p)
    def objective(mu, sigma):
        q = gaussian_on_grid(mu, sigma, x)
        return kl_divergence(q, p) if direction == "forward" else kl_divergence(p, q)
    return minimize_over_gaussians(objective, x)
''',
        "moment matching for both": '''
def fit_gaussian(p, x, direction):
    if direction not in ("forward", "reverse"): raise ValueError(direction)
    p = np.asarray(p, float) / np.sum(p)
    mean = float(np.sum(p * x))
    return mean, float(np.sqrt(np.sum(p * (x - mean) ** 2)))
''',
    },
    "test_gaussian_nll": {
        "sum instead of mean": '''
def gaussian_nll(mu, sigma, samples):
    x = np.asarray(samples, float)
    if x.size == 0 or sigma <= 0: raise ValueError("bad input")
    return float(np.sum(0.5 * np.log(2 * np.pi * sigma**2) + (x - mu) ** 2 / (2 * sigma**2)))
''',
        "sigma instead of sigma squared": '''
def gaussian_nll(mu, sigma, samples):
    x = np.asarray(samples, float)
    if x.size == 0 or sigma <= 0: raise ValueError("bad input")
    return float(np.mean(0.5 * np.log(2 * np.pi * sigma) + (x - mu) ** 2 / (2 * sigma**2)))
''',
        "no validation": '''
def gaussian_nll(mu, sigma, samples):
    x = np.asarray(samples, float)
    return float(np.mean(0.5 * np.log(2 * np.pi * sigma**2) + (x - mu) ** 2 / (2 * sigma**2)))
''',
    },
    "test_disjoint_support_divergences": {
        "l1 instead of EMD": '''
def disjoint_support_divergences(shift):
    if not 0 <= shift <= 8: raise ValueError(shift)
    p, q = uniform_on_grid(0.0, 1.0), uniform_on_grid(shift, 1.0)
    return {"kl": kl_divergence(p, q), "jsd": js_divergence(p, q), "emd": float(np.abs(p - q).sum())}
''',
        "reverse KL": '''
def disjoint_support_divergences(shift):
    if not 0 <= shift <= 8: raise ValueError(shift)
    p, q = uniform_on_grid(0.0, 1.0), uniform_on_grid(shift, 1.0)
    return {"kl": kl_divergence(q, p) if shift < 1 else math.inf, "jsd": js_divergence(p, q) * 2,
            "emd": emd_on_grid(p, q, shift_grid)}
''',
    },
}

_VALIDATED_CDF = _VALIDATED_KL  # the same input rules as kl_divergence

MUTANTS["test_kl_divergence"].update({
    "epsilon instead of inf": _VALIDATED_KL + '''
def kl_divergence(p, q):
    p, q = _valid(p, q)
    s = p > 0
    return float(np.sum(p[s] * np.log(p[s] / np.maximum(q[s], 1e-12))))
''',
})
MUTANTS["test_js_divergence"].update({
    "scipy without validation": '''
def js_divergence(p, q):
    from scipy.spatial import distance
    return float(distance.jensenshannon(p, q) ** 2)
''',
    "square root of the JSD": '''
def js_divergence(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    m = (p + q) / 2
    return math.sqrt(0.5 * kl_divergence(p, m) + 0.5 * kl_divergence(q, m))
''',
})
MUTANTS["test_minkowski_distance"].update({
    "no absolute value": '''
def minkowski_distance(p, q, r):
    p, q = _check_pair(p, q)
    if r < 1: raise ValueError("r")
    with np.errstate(all="ignore"):
        return float(np.sum((p - q) ** r) ** (1 / r))
''',
})
MUTANTS["test_histogram_intersection"].update({
    "not normalised": '''
def histogram_intersection(p, q):
    p, q = _check_pair(p, q)
    if q.sum() <= 0: raise ValueError("q")
    return float(1 - np.minimum(p, q).sum())
''',
})
MUTANTS["test_chi2_distance"].update({
    "Rubner's convention (a quarter)": '''
def chi2_distance(p, q):
    p, q = _check_pair(p, q)
    m = (p + q) / 2
    s = m > 0
    return float(np.sum((p[s] - m[s]) ** 2 / m[s]))
''',
    "Pearson: divides by q": '''
def chi2_distance(p, q):
    p, q = _check_pair(p, q)
    s = q > 0
    return float(np.sum((p[s] - q[s]) ** 2 / q[s]))
''',
})
MUTANTS["test_quadratic_form_distance"].update({
    "no positive semi-definite check": '''
def quadratic_form_distance(p, q, A):
    p, q = _check_pair(p, q)
    A = np.asarray(A, float)
    if A.shape != (p.size, p.size): raise ValueError("A")
    d = p - q
    return float(np.sqrt(abs(d @ A @ d)))
''',
    "rejects rounding errors below 0": '''
def quadratic_form_distance(p, q, A):
    p, q = _check_pair(p, q)
    A = np.asarray(A, float)
    if A.shape != (p.size, p.size): raise ValueError("A")
    d = p - q
    value = float(d @ A @ d)
    if value < 0: raise ValueError("A is not positive semi-definite")
    return math.sqrt(value)
''',
    "symmetric A required": '''
def quadratic_form_distance(p, q, A):
    p, q = _check_pair(p, q)
    A = np.asarray(A, float)
    if A.shape != (p.size, p.size) or not np.allclose(A, A.T): raise ValueError("A")
    d = p - q
    value = float(d @ A @ d)
    if value < -1e-12: raise ValueError("A is not positive semi-definite")
    return math.sqrt(max(value, 0.0))
''',
})
MUTANTS["test_cdf_distances"] = {
    "forgot the cumulative sums": _VALIDATED_CDF + '''
def cdf_distances(p, q):
    p, q = _valid(p, q)
    gaps = np.abs(p - q)
    return {"ks": float(gaps.max()), "match": float(gaps.sum())}
''',
    "max and sum swapped": _VALIDATED_CDF + '''
def cdf_distances(p, q):
    p, q = _valid(p, q)
    gaps = np.abs(np.cumsum(p) - np.cumsum(q))
    return {"ks": float(gaps.sum()), "match": float(gaps.max())}
''',
    "missing absolute value": _VALIDATED_CDF + '''
def cdf_distances(p, q):
    p, q = _valid(p, q)
    gaps = np.cumsum(p) - np.cumsum(q)
    return {"ks": float(gaps.max()), "match": float(gaps.sum())}
''',
    "normalises instead of raising": '''
def cdf_distances(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    if p.shape != q.shape: raise ValueError("shapes")
    gaps = np.abs(np.cumsum(p / p.sum()) - np.cumsum(q / q.sum()))
    return {"ks": float(gaps.max()), "match": float(gaps.sum())}
''',
    "mean instead of sum": _VALIDATED_CDF + '''
def cdf_distances(p, q):
    p, q = _valid(p, q)
    gaps = np.abs(np.cumsum(p) - np.cumsum(q))
    return {"ks": float(gaps.max()), "match": float(gaps.mean())}
''',
    "squared gaps (Cramer) instead of match": _VALIDATED_CDF + '''
def cdf_distances(p, q):
    p, q = _valid(p, q)
    gaps = np.abs(np.cumsum(p) - np.cumsum(q))
    return {"ks": float(gaps.max()), "match": float(np.sum(gaps ** 2))}
''',
}
MUTANTS["test_fit_gaussian"].update({
    "a single start in the middle": '''
def fit_gaussian(p, x, direction):
    if direction not in ("forward", "reverse"): raise ValueError(direction)
    p = np.asarray(p, float) / np.sum(p)
    def objective(mu, sigma):
        q = gaussian_on_grid(mu, sigma, x)
        return kl_divergence(p, q) if direction == "forward" else kl_divergence(q, p)
    return minimize_over_gaussians(objective, x, n_starts=1)
''',
    "the lecture's grid instead of x": '''
def fit_gaussian(p, x, direction):
    if direction not in ("forward", "reverse"): raise ValueError(direction)
    p = np.asarray(p, float) / np.sum(p)
    def objective(mu, sigma):
        q = gaussian_on_grid(mu, sigma, grid)
        if q.shape != p.shape: return math.inf
        return kl_divergence(p, q) if direction == "forward" else kl_divergence(q, p)
    return minimize_over_gaussians(objective, grid)
''',
})
MUTANTS["test_forward_kl_gaussian_fit"] = {
    "variance instead of std": '''
def forward_kl_gaussian_fit(p, x):
    p, x = np.asarray(p, float), np.asarray(x, float)
    if p.ndim != 1 or p.shape != x.shape or not np.all(np.isfinite(p)) or np.any(p < 0) or not p.sum() > 0:
        raise ValueError("bad input")
    w = p / p.sum(); mu = float(np.sum(w * x))
    return mu, float(np.sum(w * (x - mu) ** 2))
''',
    "plain moments of x": '''
def forward_kl_gaussian_fit(p, x):
    p, x = np.asarray(p, float), np.asarray(x, float)
    if p.ndim != 1 or p.shape != x.shape or not np.all(np.isfinite(p)) or np.any(p < 0) or not p.sum() > 0:
        raise ValueError("bad input")
    return float(np.mean(x)), float(np.std(x))
''',
    "weights not normalised": '''
def forward_kl_gaussian_fit(p, x):
    p, x = np.asarray(p, float), np.asarray(x, float)
    if p.ndim != 1 or p.shape != x.shape or not np.all(np.isfinite(p)) or np.any(p < 0) or not p.sum() > 0:
        raise ValueError("bad input")
    mu = float(np.sum(p * x))
    return mu, float(np.sqrt(np.sum(p * (x - mu) ** 2)))
''',
    "second moment not centred": '''
def forward_kl_gaussian_fit(p, x):
    p, x = np.asarray(p, float), np.asarray(x, float)
    if p.ndim != 1 or p.shape != x.shape or not np.all(np.isfinite(p)) or np.any(p < 0) or not p.sum() > 0:
        raise ValueError("bad input")
    w = p / p.sum()
    return float(np.sum(w * x)), float(np.sqrt(np.sum(w * x ** 2)))
''',
    "the mode instead of the mean": '''
def forward_kl_gaussian_fit(p, x):
    p, x = np.asarray(p, float), np.asarray(x, float)
    if p.ndim != 1 or p.shape != x.shape or not np.all(np.isfinite(p)) or np.any(p < 0) or not p.sum() > 0:
        raise ValueError("bad input")
    w = p / p.sum(); mu = float(x[np.argmax(w)])
    return mu, float(np.sqrt(np.sum(w * (x - mu) ** 2)))
''',
    "numerical fit instead of the closed form": '''
def forward_kl_gaussian_fit(p, x):
    p, x = np.asarray(p, float), np.asarray(x, float)
    if p.ndim != 1 or p.shape != x.shape or not np.all(np.isfinite(p)) or np.any(p < 0) or not p.sum() > 0:
        raise ValueError("bad input")
    return fit_gaussian(p, x, "forward")
''',
    "no validation": '''
def forward_kl_gaussian_fit(p, x):
    p, x = np.asarray(p, float), np.asarray(x, float)
    with np.errstate(all="ignore"):
        w = p / p.sum(); mu = float(np.sum(w * x))
        return mu, float(np.sqrt(np.sum(w * (x - mu) ** 2)))
''',
}
MUTANTS["test_gaussian_nll"].update({
    "constant dropped": '''
def gaussian_nll(mu, sigma, samples):
    x = np.asarray(samples, float)
    if x.size == 0 or sigma <= 0: raise ValueError("bad input")
    return float(np.mean(np.log(sigma) + (x - mu) ** 2 / (2 * sigma**2)))
''',
})
MUTANTS["test_disjoint_support_divergences"].update({
    "EMD without the grid spacing": '''
def disjoint_support_divergences(shift):
    if not 0 <= shift <= 8: raise ValueError(shift)
    p, q = uniform_on_grid(0.0, 1.0), uniform_on_grid(shift, 1.0)
    return {"kl": kl_divergence(p, q), "jsd": js_divergence(p, q),
            "emd": float(np.sum(np.abs(np.cumsum(p) - np.cumsum(q))))}
''',
    "no range check": '''
def disjoint_support_divergences(shift):
    p, q = uniform_on_grid(0.0, 1.0), uniform_on_grid(shift, 1.0)
    return {"kl": kl_divergence(p, q), "jsd": js_divergence(p, q), "emd": emd_on_grid(p, q, shift_grid)}
''',
})

# -- correct answers written differently: each must keep full marks in both stages -----------
CORRECT = {
    "test_kl_divergence": {
        "scipy.special.rel_entr, NumPy scalar": _VALIDATED_KL + '''
def kl_divergence(p, q):
    from scipy.special import rel_entr
    p, q = _valid(p, q)
    return np.sum(rel_entr(p, q))
''',
        "scipy.stats.entropy": _VALIDATED_KL + '''
def kl_divergence(p, q):
    p, q = _valid(p, q)
    return stats.entropy(p, q)
''',
        "a Python loop": _VALIDATED_KL + '''
def kl_divergence(p, q):
    p, q = _valid(p, q)
    total = 0.0
    for a, b in zip(p.tolist(), q.tolist()):
        if a > 0:
            if b == 0:
                return math.inf
            total += a * math.log(a / b)
    return total
''',
        "float32 arithmetic, 0-d array": '''
def kl_divergence(p, q):
    p, q = np.asarray(p, np.float32), np.asarray(q, np.float32)
    if p.ndim != 1 or p.shape != q.shape or not (np.isfinite(p).all() and np.isfinite(q).all()) \\
            or (p < 0).any() or (q < 0).any() or abs(p.sum() - 1) > 1e-6 or abs(q.sum() - 1) > 1e-6:
        raise ValueError("bad input")
    s = p > 0
    if (q[s] == 0).any():
        return np.array(np.inf)
    return np.array(np.sum(p[s] * (np.log(p[s]) - np.log(q[s]))))
''',
    },
    "test_js_divergence": {
        "scipy jensenshannon squared": _VALIDATED_KL + '''
def js_divergence(p, q):
    from scipy.spatial import distance
    p, q = _valid(p, q)
    return distance.jensenshannon(p, q) ** 2
''',
        "entropy of the mixture minus mean entropy": _VALIDATED_KL + '''
def js_divergence(p, q):
    p, q = _valid(p, q)
    return stats.entropy((p + q) / 2) - 0.5 * stats.entropy(p) - 0.5 * stats.entropy(q)
''',
        "float32 arithmetic": _VALIDATED_KL + '''
def js_divergence(p, q):
    p, q = _valid(p, q)
    p, q = p.astype(np.float32), q.astype(np.float32)
    m = (p + q) / np.float32(2)
    def half(a):
        s = a > 0
        return np.float32(0.5) * np.sum(a[s] * np.log(a[s] / m[s]))
    return half(p) + half(q)
''',
    },
    "test_minkowski_distance": {
        "scipy.spatial.distance.minkowski": '''
def minkowski_distance(p, q, r):
    from scipy.spatial import distance
    p, q = _check_pair(p, q)
    if r < 1: raise ValueError("r must be at least 1")
    return distance.minkowski(p, q, r)
''',
        "np.linalg.norm": '''
def minkowski_distance(p, q, r):
    p, q = _check_pair(p, q)
    if r < 1: raise ValueError("r must be at least 1")
    return np.linalg.norm(p - q, ord=r)
''',
        "a Python loop": '''
def minkowski_distance(p, q, r):
    p, q = _check_pair(p, q)
    if r < 1: raise ValueError("r must be at least 1")
    return sum(abs(a - b) ** r for a, b in zip(p.tolist(), q.tolist())) ** (1 / r)
''',
        "float32 arithmetic": '''
def minkowski_distance(p, q, r):
    p, q = _check_pair(p, q)
    if r < 1: raise ValueError("r must be at least 1")
    d = np.abs(p - q).astype(np.float32)
    return np.sum(d ** np.float32(r)) ** np.float32(1 / r)
''',
    },
    "test_histogram_intersection": {
        "a Python loop": '''
def histogram_intersection(p, q):
    p, q = _check_pair(p, q)
    total = sum(q.tolist())
    if total == 0: raise ValueError("q has no mass")
    return 1 - sum(min(a, b) for a, b in zip(p.tolist(), q.tolist())) / total
''',
        "np.fmin, NumPy scalar, float32": '''
def histogram_intersection(p, q):
    p, q = _check_pair(p, q)
    p, q = p.astype(np.float32), q.astype(np.float32)
    if not q.sum() > 0: raise ValueError("q has no mass")
    return np.float32(1) - np.fmin(p, q).sum() / q.sum()
''',
    },
    "test_chi2_distance": {
        "2 sum (p - q)^2 / (p + q) with np.divide": '''
def chi2_distance(p, q):
    p, q = _check_pair(p, q)
    s = p + q
    terms = np.divide((p - q) ** 2, s, out=np.zeros_like(s), where=s > 0)
    return 2 * terms.sum()
''',
        "a Python loop": '''
def chi2_distance(p, q):
    p, q = _check_pair(p, q)
    total = 0.0
    for a, b in zip(p.tolist(), q.tolist()):
        if a + b > 0:
            total += (a - b) ** 2 / ((a + b) / 2)
    return total
''',
        "float32 arithmetic": '''
def chi2_distance(p, q):
    p, q = _check_pair(p, q)
    p, q = p.astype(np.float32), q.astype(np.float32)
    m = (p + q) / 2
    s = m > 0
    return np.sum((p[s] - q[s]) ** 2 / m[s])
''',
    },
    "test_quadratic_form_distance": {
        "symmetric part, einsum, np.sqrt": '''
def quadratic_form_distance(p, q, A):
    p, q = _check_pair(p, q)
    A = np.asarray(A, float)
    if A.shape != (p.size, p.size): raise ValueError("A has the wrong shape")
    d = p - q
    value = np.einsum("i,ij,j->", d, (A + A.T) / 2, d)
    if value < -1e-12: raise ValueError("A is not positive semi-definite")
    return np.sqrt(np.clip(value, 0.0, None))
''',
        "A transposed, float32": '''
def quadratic_form_distance(p, q, A):
    p, q = _check_pair(p, q)
    A = np.asarray(A, float)
    if A.shape != (p.size, p.size): raise ValueError("A has the wrong shape")
    d = (p - q).astype(np.float32)
    value = d @ A.T.astype(np.float32) @ d
    if value < -1e-12: raise ValueError("A is not positive semi-definite")
    return np.sqrt(max(value, np.float32(0)))
''',
    },
    "test_cdf_distances": {
        "scipy's earth mover's distance for the match distance": _VALIDATED_CDF + '''
def cdf_distances(p, q):
    p, q = _valid(p, q)
    bins = np.arange(p.size)
    gaps = np.abs(np.cumsum(p) - np.cumsum(q))
    return {"ks": gaps.max(), "match": stats.wasserstein_distance(bins, bins, p, q)}
''',
        "survival functions (reversed cumulative sums)": _VALIDATED_CDF + '''
def cdf_distances(p, q):
    p, q = _valid(p, q)
    gaps = np.abs(np.cumsum(p[::-1])[::-1] - np.cumsum(q[::-1])[::-1])
    return {"ks": gaps.max(), "match": gaps.sum()}
''',
        "a Python loop": _VALIDATED_CDF + '''
def cdf_distances(p, q):
    p, q = _valid(p, q)
    fp = fq = 0.0
    ks = match = 0.0
    for a, b in zip(p.tolist(), q.tolist()):
        fp, fq = fp + a, fq + b
        ks, match = max(ks, abs(fp - fq)), match + abs(fp - fq)
    return {"match": match, "ks": ks}
''',
        "float32 cumsum of the difference": _VALIDATED_CDF + '''
def cdf_distances(p, q):
    p, q = _valid(p, q)
    gaps = np.abs(np.cumsum((p - q).astype(np.float32)))
    return {"ks": gaps.max(), "match": gaps.sum()}
''',
    },
    "test_fit_gaussian": {
        "own grid search, then scipy.optimize, with rel_entr": '''
def fit_gaussian(p, x, direction):
    from scipy.special import rel_entr
    if direction not in ("forward", "reverse"): raise ValueError(direction)
    p = np.asarray(p, float) / np.sum(p)
    def objective(theta):
        q = gaussian_on_grid(theta[0], math.exp(theta[1]), x)
        a, b = (p, q) if direction == "forward" else (q, p)
        value = float(np.sum(rel_entr(a, b)))
        return value if math.isfinite(value) else 1e12
    candidates = [(objective((m, math.log(s))), m, s)
                  for m in np.linspace(x[0] / 2, x[-1] / 2, 41) for s in (0.3, 0.6, 1.0, 2.0, 3.5)]
    _, mu0, sigma0 = min(candidates)
    result = optimize.minimize(objective, [mu0, math.log(sigma0)], method="Nelder-Mead",
                               options={"xatol": 1e-7, "fatol": 1e-12})
    return np.float64(result.x[0]), np.float64(math.exp(result.x[1]))
''',
        "scipy.stats.entropy inside minimize_over_gaussians, a list": '''
def fit_gaussian(p, x, direction):
    if direction not in ("forward", "reverse"): raise ValueError(direction)
    p = np.asarray(p, float) / np.sum(p)
    def objective(mu, sigma):
        q = gaussian_on_grid(mu, sigma, x)
        return stats.entropy(p, q) if direction == "forward" else stats.entropy(q, p)
    return list(minimize_over_gaussians(objective, x))
''',
    },
    "test_forward_kl_gaussian_fit": {
        "np.average and np.cov": '''
def forward_kl_gaussian_fit(p, x):
    p, x = np.asarray(p, float), np.asarray(x, float)
    if p.ndim != 1 or p.shape != x.shape or not np.all(np.isfinite(p)) or np.any(p < 0) or not p.sum() > 0:
        raise ValueError("bad input")
    return np.average(x, weights=p), np.sqrt(np.cov(x, aweights=p, bias=True))
''',
        "E[x^2] - mu^2": '''
def forward_kl_gaussian_fit(p, x):
    p, x = np.asarray(p, float), np.asarray(x, float)
    if p.ndim != 1 or p.shape != x.shape or not np.all(np.isfinite(p)) or np.any(p < 0) or not p.sum() > 0:
        raise ValueError("bad input")
    w = p / p.sum()
    mu = w @ x
    return (mu, math.sqrt(max(w @ x**2 - mu**2, 0.0)))
''',
        "a Python loop": '''
def forward_kl_gaussian_fit(p, x):
    p, x = np.asarray(p, float), np.asarray(x, float)
    if p.ndim != 1 or x.ndim != 1 or len(p) != len(x): raise ValueError("shapes")
    if not all(math.isfinite(v) and v >= 0 for v in p.tolist()) or sum(p.tolist()) == 0: raise ValueError("p")
    total = sum(p.tolist())
    mu = sum(a * b for a, b in zip(p.tolist(), x.tolist())) / total
    var = sum(a * (b - mu) ** 2 for a, b in zip(p.tolist(), x.tolist())) / total
    return [mu, var ** 0.5]
''',
        "float32 arithmetic": '''
def forward_kl_gaussian_fit(p, x):
    p, x = np.asarray(p, float), np.asarray(x, float)
    if p.ndim != 1 or p.shape != x.shape or not np.all(np.isfinite(p)) or np.any(p < 0) or not p.sum() > 0:
        raise ValueError("bad input")
    w, x = (p / p.sum()).astype(np.float32), x.astype(np.float32)
    mu = np.sum(w * x)
    return mu, np.sqrt(np.sum(w * (x - mu) ** 2))
''',
    },
    "test_gaussian_nll": {
        "scipy.stats.norm.logpdf": '''
def gaussian_nll(mu, sigma, samples):
    x = np.asarray(samples, float)
    if x.size == 0 or not sigma > 0: raise ValueError("bad input")
    return -np.mean(stats.norm.logpdf(x, mu, sigma))
''',
        "a Python loop with math.log": '''
def gaussian_nll(mu, sigma, samples):
    xs = [float(v) for v in np.ravel(samples)]
    if not xs or not sigma > 0: raise ValueError("bad input")
    return sum(0.5 * math.log(2 * math.pi * sigma * sigma) + (v - mu) ** 2 / (2 * sigma * sigma) for v in xs) / len(xs)
''',
        "0-d array result": '''
def gaussian_nll(mu, sigma, samples):
    x = np.asarray(samples, float)
    if x.size == 0 or not sigma > 0: raise ValueError("bad input")
    return np.asarray(np.log(sigma) + 0.5 * np.log(2 * np.pi) + np.mean((x - mu) ** 2) / (2 * sigma**2))
''',
    },
    "test_disjoint_support_divergences": {
        "scipy: entropy, jensenshannon, wasserstein_distance": '''
def disjoint_support_divergences(shift):
    from scipy.spatial import distance
    if not 0 <= shift <= 8: raise ValueError("shift must lie in [0, 8]")
    p, q = uniform_on_grid(0.0, 1.0), uniform_on_grid(shift, 1.0)
    return {"kl": stats.entropy(p, q), "jsd": distance.jensenshannon(p, q) ** 2,
            "emd": stats.wasserstein_distance(shift_grid, shift_grid, p, q)}
''',
        "NumPy scalars from own formulas": '''
def disjoint_support_divergences(shift):
    if shift < 0 or shift > 8: raise ValueError("shift must lie in [0, 8]")
    p, q = uniform_on_grid(0.0, 1.0), uniform_on_grid(shift, 1.0)
    m = (p + q) / 2
    def kl(a, b):
        s = a > 0
        return np.float64(np.inf) if (b[s] == 0).any() else np.sum(a[s] * np.log(a[s] / b[s]))
    return {"emd": np.sum(np.abs(np.cumsum(p - q))) * 0.01, "jsd": (kl(p, m) + kl(q, m)) / 2, "kl": kl(p, q)}
''',
    },
}
