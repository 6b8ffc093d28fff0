"""Plausible wrong answers for lecture 01; each must fail its test cell."""

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
