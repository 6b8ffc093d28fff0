"""Plausible wrong answers for lecture 04 (each must lose points) and correct answers written
differently (each must keep full marks in both grading stages)."""

_LP_PROBLEM = '''
def _lp(a, b, M, c=None, bounds=(0, None), rows_from=None):
    a, b, M = np.asarray(a, float), np.asarray(b, float), np.asarray(M, float)
    if M.shape != (a.size, b.size) or np.any(a < 0) or np.any(b < 0) or abs(a.sum() - b.sum()) > 1e-9:
        raise ValueError("bad input")
    n, m = a.size, b.size
    A = np.vstack([np.kron(np.eye(n), np.ones((1, m))), np.kron(np.ones((1, n)), np.eye(m))])
    targets = np.concatenate([a, b]) if rows_from is None else rows_from
    result = linprog(M.ravel() if c is None else c, A_eq=A, b_eq=targets, bounds=bounds, method="highs")
    if not result.success:
        raise RuntimeError(result.message)
    return result.x.reshape(n, m)
'''

_VALIDATE_LP = '''
def _check(a, b, M):
    a, b, M = np.asarray(a, float), np.asarray(b, float), np.asarray(M, float)
    if a.ndim != 1 or b.ndim != 1 or M.shape != (a.size, b.size) or np.any(a < 0) or np.any(b < 0) \\
            or abs(a.sum() - b.sum()) > 1e-9:
        raise ValueError("bad input")
    return a, b, M
'''

_QUANTILE_CHECK = '''
def _measure(values, weights, p):
    values, weights = np.asarray(values, float).ravel(), np.asarray(weights, float).ravel()
    if values.size != weights.size or values.size == 0 or np.any(weights < 0) or weights.sum() <= 0 or not p >= 1:
        raise ValueError("bad input")
    order = np.argsort(values)
    return values[order], weights[order] / weights.sum()
'''

_MAP_CHECK = '''
def _samples(x, source, target):
    x, source, target = (np.asarray(t, float) for t in (x, source, target))
    if source.ndim != 1 or target.ndim != 1 or source.size == 0 or target.size == 0 or x.ndim != 1:
        raise ValueError("bad input")
    return x, np.sort(source), np.sort(target)
'''

_BLOCKS = '''
def _atoms(blocks, cells=1000, weight=lambda mass, count: mass / count):
    values, weights = [], []
    for start, stop, mass in blocks:
        if not (stop > start and mass > 0):
            raise ValueError("bad block")
        count = int(math.ceil((stop - start) * cells - 1e-9))
        values.append(start + (np.arange(count) + 0.5) * (stop - start) / count)
        weights.append(np.full(count, weight(mass, count)))
    if abs(sum(w.sum() for w in weights) - 1.0) > 1e-9 and weight is not None:
        raise ValueError("masses must add up to 1")
    return np.concatenate(values), np.concatenate(weights)
'''

_MMD_CHECK = '''
def _mmd_inputs(x, y, sigma):
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1] or len(x) < 2 or len(y) < 2 or not sigma > 0:
        raise ValueError("bad input")
    return x, y

def _gram(s, t, scale):
    return np.exp(-((s[:, None, :] - t[None, :, :]) ** 2).sum(-1) / scale)
'''

_SINKHORN = '''
def _sinkhorn(a, b, M, reg, n_iter, tol=0.0, kernel=None, measure="rows"):
    a, b = np.asarray(a, float), np.asarray(b, float)
    K = np.exp(-np.asarray(M, float) / reg) if kernel is None else kernel(np.asarray(M, float), reg)
    v = np.ones(b.size)
    for _ in range(n_iter):
        u = a / (K @ v)
        if measure == "before v":
            error = np.abs(u * (K @ v) - a).sum()
        v = b / (K.T @ u)
        if measure == "rows":
            error = np.abs(u * (K @ v) - a).sum()
        elif measure == "columns":
            error = np.abs(v * (K.T @ u) - b).sum()
        if error < tol:
            break
    return u[:, None] * K * v[None, :]
'''

MUTANTS = {
    "test_solve_ot_lp": {
        "coupling transposed": _LP_PROBLEM + '''
def solve_ot_lp(a, b, M):
    return _lp(a, b, M).T
''',
        "maximises the cost": _LP_PROBLEM + '''
def solve_ot_lp(a, b, M):
    return _lp(a, b, M, c=-np.asarray(M, float).ravel())
''',
        "marginals swapped": _LP_PROBLEM + '''
def solve_ot_lp(a, b, M):
    return _lp(a, b, M, rows_from=np.concatenate([np.asarray(b, float), np.asarray(a, float)]))
''',
        "no bounds (negative mass)": _LP_PROBLEM + '''
def solve_ot_lp(a, b, M):
    return _lp(a, b, M, bounds=(None, None))
''',
        "no validation": '''
def solve_ot_lp(a, b, M):
    a, b, M = np.asarray(a, float), np.asarray(b, float), np.asarray(M, float)
    n, m = a.size, b.size
    A = np.vstack([np.kron(np.eye(n), np.ones((1, m))), np.kron(np.ones((1, n)), np.eye(m))])
    result = linprog(M.ravel(), A_eq=A, b_eq=np.concatenate([a, b]), bounds=(0, None), method="highs")
    return result.x.reshape(n, m)
''',
        "calls POT (ot.emd)": _VALIDATE_LP + '''
def solve_ot_lp(a, b, M):
    return ot.emd(*_check(a, b, M))
''',
        "calls POT through an alias imported in the cell": _VALIDATE_LP + '''
from ot.lp import emd as _exact_plan
def solve_ot_lp(a, b, M):
    return _exact_plan(*_check(a, b, M))
''',
        "column layout confused (reshape of a column-major z)": _VALIDATE_LP + '''
def solve_ot_lp(a, b, M):
    a, b, M = _check(a, b, M)
    n, m = a.size, b.size
    A = np.vstack([np.kron(np.eye(n), np.ones((1, m))), np.kron(np.ones((1, n)), np.eye(m))])
    result = linprog(M.T.ravel(), A_eq=A, b_eq=np.concatenate([a, b]), bounds=(0, None), method="highs")
    return result.x.reshape(n, m)
''',
        "returns the flat vector z": _VALIDATE_LP + '''
def solve_ot_lp(a, b, M):
    a, b, M = _check(a, b, M)
    n, m = a.size, b.size
    A = np.vstack([np.kron(np.eye(n), np.ones((1, m))), np.kron(np.ones((1, n)), np.eye(m))])
    return linprog(M.ravel(), A_eq=A, b_eq=np.concatenate([a, b]), bounds=(0, None), method="highs").x
''',
    },
    "test_wasserstein_1d": {
        "returns W_p^p": '''
def wasserstein_1d(x, y, p=1):
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.ndim != 1 or x.shape != y.shape or x.size == 0 or p < 1:
        raise ValueError("bad input")
    return float(np.mean(np.abs(np.sort(x) - np.sort(y)) ** p))
''',
        "no sorting": '''
def wasserstein_1d(x, y, p=1):
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.ndim != 1 or x.shape != y.shape or x.size == 0 or p < 1:
        raise ValueError("bad input")
    return float(np.mean(np.abs(x - y) ** p) ** (1 / p))
''',
        "sum instead of mean": '''
def wasserstein_1d(x, y, p=1):
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.ndim != 1 or x.shape != y.shape or x.size == 0 or p < 1:
        raise ValueError("bad input")
    return float(np.sum(np.abs(np.sort(x) - np.sort(y)) ** p) ** (1 / p))
''',
        "no validation": '''
def wasserstein_1d(x, y, p=1):
    x, y = np.asarray(x, float), np.asarray(y, float)
    return float(np.mean(np.abs(np.sort(x) - np.sort(y)) ** p) ** (1 / p))
''',
        "calls POT (ot.wasserstein_1d)": '''
def wasserstein_1d(x, y, p=1):
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.ndim != 1 or x.shape != y.shape or x.size == 0 or p < 1:
        raise ValueError("bad input")
    return float(ot.wasserstein_1d(x, y, p=p) ** (1 / p))
''',
    },
    "test_wasserstein_1d_quantile": {
        "weights not normalised": '''
def wasserstein_1d_quantile(u_values, u_weights, v_values, v_weights, p=1):
    u, wu, v, wv = (np.asarray(t, float) for t in (u_values, u_weights, v_values, v_weights))
    if u.size != wu.size or v.size != wv.size or p < 1 or np.any(wu < 0) or np.any(wv < 0) or wu.sum() <= 0 or wv.sum() <= 0:
        raise ValueError("bad input")
    ou, ov = np.argsort(u), np.argsort(v)
    cu, cv = np.cumsum(wu[ou]), np.cumsum(wv[ov])
    levels = np.unique(np.concatenate([cu, cv]))
    lengths = np.diff(np.concatenate([[0.0], levels]))
    iu = np.minimum(np.searchsorted(cu, levels), u.size - 1)
    iv = np.minimum(np.searchsorted(cv, levels), v.size - 1)
    return float(np.sum(lengths * np.abs(u[ou][iu] - v[ov][iv]) ** p) ** (1 / p))
''',
        "weights not sorted with the values": '''
def wasserstein_1d_quantile(u_values, u_weights, v_values, v_weights, p=1):
    u, wu, v, wv = (np.asarray(t, float) for t in (u_values, u_weights, v_values, v_weights))
    if u.size != wu.size or v.size != wv.size or p < 1 or np.any(wu < 0) or np.any(wv < 0) or wu.sum() <= 0 or wv.sum() <= 0:
        raise ValueError("bad input")
    cu, cv = np.cumsum(wu) / wu.sum(), np.cumsum(wv) / wv.sum()
    us, vs = np.sort(u), np.sort(v)
    levels = np.unique(np.concatenate([cu, cv, [1.0]]))
    levels = levels[levels <= 1]
    lengths = np.diff(np.concatenate([[0.0], levels]))
    iu = np.minimum(np.searchsorted(cu, levels), u.size - 1)
    iv = np.minimum(np.searchsorted(cv, levels), v.size - 1)
    return float(np.sum(lengths * np.abs(us[iu] - vs[iv]) ** p) ** (1 / p))
''',
        "returns W_p^p": '''
_right = wasserstein_1d_quantile
def wasserstein_1d_quantile(u_values, u_weights, v_values, v_weights, p=1):
    return _right(u_values, u_weights, v_values, v_weights, p) ** p
''',
        "equal weights assumed": '''
def wasserstein_1d_quantile(u_values, u_weights, v_values, v_weights, p=1):
    u, v = np.sort(np.asarray(u_values, float)), np.sort(np.asarray(v_values, float))
    if u.size != np.size(u_weights) or v.size != np.size(v_weights) or p < 1:
        raise ValueError("bad input")
    t = (np.arange(2000) + 0.5) / 2000
    return float(np.mean(np.abs(np.quantile(u, t) - np.quantile(v, t)) ** p) ** (1 / p))
''',
        "Riemann sum on a grid of levels": _QUANTILE_CHECK + '''
def wasserstein_1d_quantile(u_values, u_weights, v_values, v_weights, p=1):
    u, wu = _measure(u_values, u_weights, p)
    v, wv = _measure(v_values, v_weights, p)
    t = (np.arange(1000) + 0.5) / 1000
    iu = np.minimum(np.searchsorted(np.cumsum(wu), t), u.size - 1)
    iv = np.minimum(np.searchsorted(np.cumsum(wv), t), v.size - 1)
    return float(np.mean(np.abs(u[iu] - v[iv]) ** p) ** (1 / p))
''',
        "no guard against round-off (index past the last atom)": _QUANTILE_CHECK + '''
def wasserstein_1d_quantile(u_values, u_weights, v_values, v_weights, p=1):
    u, wu = _measure(u_values, u_weights, p)
    v, wv = _measure(v_values, v_weights, p)
    cu, cv = np.cumsum(wu), np.cumsum(wv)
    levels = np.unique(np.concatenate([cu, cv, [1.0]]))
    lengths = np.diff(np.concatenate([[0.0], levels]))
    iu, iv = np.searchsorted(cu, levels), np.searchsorted(cv, levels)
    return float(np.sum(lengths * np.abs(u[iu] - v[iv]) ** p) ** (1 / p))
''',
        "calls POT (ot.wasserstein_1d)": _QUANTILE_CHECK + '''
def wasserstein_1d_quantile(u_values, u_weights, v_values, v_weights, p=1):
    u, wu = _measure(u_values, u_weights, p)
    v, wv = _measure(v_values, v_weights, p)
    return float(ot.wasserstein_1d(u, v, wu, wv, p=p) ** (1 / p))
''',
    },
    "test_monge_map_1d": {
        "source and target swapped (the inverse map)": _MAP_CHECK + '''
def monge_map_1d(x, source, target):
    x, source, target = _samples(x, source, target)
    n, m = target.size, source.size
    counts = np.searchsorted(target, x, side="right")
    return source[np.maximum(-((-m * counts) // n), 1) - 1]
''',
        "floor instead of ceiling (off by one)": _MAP_CHECK + '''
def monge_map_1d(x, source, target):
    x, source, target = _samples(x, source, target)
    n, m = source.size, target.size
    counts = np.searchsorted(source, x, side="right")
    return target[np.clip(m * counts // n, 0, m - 1)]
''',
        "target not sorted": '''
def monge_map_1d(x, source, target):
    x, source, target = (np.asarray(t, float) for t in (x, source, target))
    if source.ndim != 1 or target.ndim != 1 or source.size == 0 or target.size == 0 or x.ndim != 1:
        raise ValueError("bad input")
    n, m = source.size, target.size
    counts = np.searchsorted(np.sort(source), x, side="right")
    return target[np.maximum(-((-m * counts) // n), 1) - 1]
''',
        "F_mu counts the sources strictly below x": _MAP_CHECK + '''
def monge_map_1d(x, source, target):
    x, source, target = _samples(x, source, target)
    n, m = source.size, target.size
    counts = np.searchsorted(source, x, side="left")
    return target[np.maximum(-((-m * counts) // n), 1) - 1]
''',
        "floating-point levels (np.quantile inverted_cdf)": _MAP_CHECK + '''
def monge_map_1d(x, source, target):
    x, source, target = _samples(x, source, target)
    levels = np.searchsorted(source, x, side="right") / source.size
    return np.quantile(target, levels, method="inverted_cdf")
''',
        "interpolates between target samples": _MAP_CHECK + '''
def monge_map_1d(x, source, target):
    x, source, target = _samples(x, source, target)
    levels = np.searchsorted(source, x, side="right") / source.size
    return np.interp(levels, (np.arange(target.size) + 1) / target.size, target)
''',
        "affine (Gaussian) map for every pair of samples": _MAP_CHECK + '''
def monge_map_1d(x, source, target):
    x, source, target = _samples(x, source, target)
    return target.mean() + target.std() / source.std() * (x - source.mean())
''',
        "no validation": '''
def monge_map_1d(x, source, target):
    x, source, target = np.asarray(x, float), np.sort(np.ravel(source)), np.sort(np.ravel(target))
    n, m = source.size, target.size
    counts = np.searchsorted(source, np.ravel(x), side="right")
    return target[np.maximum(-((-m * counts) // n), 1) - 1]
''',
    },
    "test_blocks_w1": {
        "hard-coded answer of the worked example": '''
def blocks_w1(mu_blocks, nu_blocks, potential):
    return 3.0, 2.0, -1.0
''',
        "W2 instead of W1": _BLOCKS + '''
def blocks_w1(mu_blocks, nu_blocks, potential):
    mu, wmu = _atoms(mu_blocks)
    nu, wnu = _atoms(nu_blocks)
    return (wasserstein_1d_quantile(mu, wmu, nu, wnu, p=2), float(np.sum(wmu * potential(mu))),
            float(np.sum(wnu * potential(nu))))
''',
        "potential means swapped": '''
_right = blocks_w1
def blocks_w1(mu_blocks, nu_blocks, potential):
    w, f_mu, f_nu = _right(mu_blocks, nu_blocks, potential)
    return w, f_nu, f_mu
''',
        "every block gets the same mass": _BLOCKS + '''
def blocks_w1(mu_blocks, nu_blocks, potential):
    mu, wmu = _atoms(mu_blocks)
    nu, wnu = _atoms(nu_blocks)
    wmu, wnu = np.full(mu.size, 1 / mu.size), np.full(nu.size, 1 / nu.size)
    return (wasserstein_1d_quantile(mu, wmu, nu, wnu), float(np.sum(wmu * potential(mu))),
            float(np.sum(wnu * potential(nu))))
''',
        "ignores the block masses (uniform over the union)": _BLOCKS + '''
def blocks_w1(mu_blocks, nu_blocks, potential):
    mu, wmu = _atoms(mu_blocks)
    nu, wnu = _atoms(nu_blocks)
    wmu = np.full(mu.size, 1.0)
    wnu = np.full(nu.size, 1.0)
    return (wasserstein_1d_quantile(mu, wmu, nu, wnu), float(np.mean(potential(mu))), float(np.mean(potential(nu))))
''',
        "no check of the masses": '''
def blocks_w1(mu_blocks, nu_blocks, potential):
    def atoms(blocks):
        values, weights = [], []
        for start, stop, mass in blocks:
            values.append(start + (np.arange(1000) + 0.5) * (stop - start) / 1000)
            weights.append(np.full(1000, mass / 1000))
        return np.concatenate(values), np.concatenate(weights)
    mu, wmu = atoms(mu_blocks)
    nu, wnu = atoms(nu_blocks)
    return (wasserstein_1d_quantile(mu, wmu, nu, wnu), float(np.sum(wmu * potential(mu))),
            float(np.sum(wnu * potential(nu))))
''',
    },
    "test_kantorovich_rubinstein_dual": {
        "sign of linprog's minimum": '''
_right = kantorovich_rubinstein_dual
def kantorovich_rubinstein_dual(a, b, x):
    w1, f = _right(a, b, x)
    return -w1, f
''',
        "neighbours in input order (x not sorted)": '''
def kantorovich_rubinstein_dual(a, b, x):
    a, b, x = (np.asarray(t, float) for t in (a, b, x))
    n = x.size
    D = np.zeros((n - 1, n))
    D[np.arange(n - 1), np.arange(n - 1)] = 1.0
    D[np.arange(n - 1), np.arange(1, n)] = -1.0
    gaps = np.abs(np.diff(x))
    result = linprog(-(a - b), A_ub=np.vstack([D, -D]), b_ub=np.concatenate([gaps, gaps]),
                     bounds=(None, None), method="highs")
    return float(-result.fun), result.x
''',
        "one-sided constraints": '''
def kantorovich_rubinstein_dual(a, b, x):
    a, b, x = (np.asarray(t, float) for t in (a, b, x))
    order = np.argsort(x)
    n = x.size
    D = np.zeros((n - 1, n))
    D[np.arange(n - 1), order[:-1]] = 1.0
    D[np.arange(n - 1), order[1:]] = -1.0
    result = linprog(-(a - b), A_ub=D, b_ub=np.diff(x[order]), bounds=(None, None), method="highs")
    return float(-result.fun), result.x
''',
        "pins f = 0 at the first sorted point but keeps linprog's bounds f >= 0": '''
def kantorovich_rubinstein_dual(a, b, x):
    a, b, x = (np.asarray(t, float) for t in (a, b, x))
    order = np.argsort(x)
    n = x.size
    D = np.zeros((n - 1, n))
    D[np.arange(n - 1), order[:-1]] = 1.0
    D[np.arange(n - 1), order[1:]] = -1.0
    gaps = np.diff(x[order])
    bounds = [(0, None)] * n
    bounds[order[0]] = (0.0, 0.0)
    result = linprog(-(a - b), A_ub=np.vstack([D, -D]), b_ub=np.concatenate([gaps, gaps]), bounds=bounds,
                     method="highs")
    return float(-result.fun), result.x
''',
        "value from POT (ot.emd2)": '''
_right = kantorovich_rubinstein_dual
def kantorovich_rubinstein_dual(a, b, x):
    x = np.asarray(x, float)
    _, f = _right(a, b, x)
    return float(ot.emd2(np.asarray(a, float), np.asarray(b, float), np.abs(x[:, None] - x[None, :]))), f
''',
    },
    "test_mmd2_unbiased": {
        "biased (diagonal kept)": _MMD_CHECK + '''
def mmd2_unbiased(x, y, sigma):
    x, y = _mmd_inputs(x, y, sigma)
    s = 2 * sigma ** 2
    return float(_gram(x, x, s).mean() + _gram(y, y, s).mean() - 2 * _gram(x, y, s).mean())
''',
        "kernel scale sigma^2 instead of 2 sigma^2": _MMD_CHECK + '''
def mmd2_unbiased(x, y, sigma):
    x, y = _mmd_inputs(x, y, sigma)
    n, m, s = len(x), len(y), sigma ** 2
    kxx, kyy = _gram(x, x, s), _gram(y, y, s)
    return float((kxx.sum() - n) / (n * (n - 1)) + (kyy.sum() - m) / (m * (m - 1)) - 2 * _gram(x, y, s).mean())
''',
        "square root taken (MMD, not MMD^2)": _MMD_CHECK + '''
def mmd2_unbiased(x, y, sigma):
    x, y = _mmd_inputs(x, y, sigma)
    n, m, s = len(x), len(y), 2 * sigma ** 2
    kxx, kyy = _gram(x, x, s), _gram(y, y, s)
    value = (kxx.sum() - n) / (n * (n - 1)) + (kyy.sum() - m) / (m * (m - 1)) - 2 * _gram(x, y, s).mean()
    return float(np.sqrt(max(value, 0.0)))
''',
        "normalisers swapped between x and y": _MMD_CHECK + '''
def mmd2_unbiased(x, y, sigma):
    x, y = _mmd_inputs(x, y, sigma)
    n, m, s = len(x), len(y), 2 * sigma ** 2
    kxx, kyy = _gram(x, x, s), _gram(y, y, s)
    return float((kxx.sum() - n) / (m * (m - 1)) + (kyy.sum() - m) / (n * (n - 1)) - 2 * _gram(x, y, s).mean())
''',
        "cross term counted once": _MMD_CHECK + '''
def mmd2_unbiased(x, y, sigma):
    x, y = _mmd_inputs(x, y, sigma)
    n, m, s = len(x), len(y), 2 * sigma ** 2
    kxx, kyy = _gram(x, x, s), _gram(y, y, s)
    return float((kxx.sum() - n) / (n * (n - 1)) + (kyy.sum() - m) / (m * (m - 1)) - _gram(x, y, s).mean())
''',
        "distance instead of squared distance in the kernel": _MMD_CHECK + '''
def mmd2_unbiased(x, y, sigma):
    x, y = _mmd_inputs(x, y, sigma)
    n, m = len(x), len(y)
    def k(s, t):
        return np.exp(-np.sqrt(((s[:, None, :] - t[None, :, :]) ** 2).sum(-1)) / (2 * sigma ** 2))
    return float((k(x, x).sum() - n) / (n * (n - 1)) + (k(y, y).sum() - m) / (m * (m - 1)) - 2 * k(x, y).mean())
''',
        "no validation": '''
def mmd2_unbiased(x, y, sigma):
    x, y = np.atleast_2d(np.asarray(x, float)), np.atleast_2d(np.asarray(y, float))
    n, m = len(x), len(y)
    def k(s, t):
        return np.exp(-((s[:, None, :] - t[None, :, :]) ** 2).sum(-1) / (2 * sigma ** 2))
    return float((k(x, x).sum() - n) / max(n * (n - 1), 1) + (k(y, y).sum() - m) / max(m * (m - 1), 1)
                 - 2 * k(x, y).mean())
''',
    },
    "test_sinkhorn": {
        "kernel exp(+M / reg)": _SINKHORN + '''
def sinkhorn(a, b, M, reg, n_iter, tol=0.0):
    return _sinkhorn(a, b, M, reg, n_iter, tol, kernel=lambda M, reg: np.exp(M / reg))
''',
        "kernel exp(-M * reg)": _SINKHORN + '''
def sinkhorn(a, b, M, reg, n_iter, tol=0.0):
    return _sinkhorn(a, b, M, reg, n_iter, tol, kernel=lambda M, reg: np.exp(-M * reg))
''',
        "simultaneous (not alternating) updates": '''
def sinkhorn(a, b, M, reg, n_iter, tol=0.0):
    a, b = np.asarray(a, float), np.asarray(b, float)
    K = np.exp(-np.asarray(M, float) / reg)
    u, v = np.ones(a.size), np.ones(b.size)
    for _ in range(n_iter):
        u, v = a / (K @ v), b / (K.T @ u)
        if np.abs(u * (K @ v) - a).sum() < tol:
            break
    return u[:, None] * K * v[None, :]
''',
        "v updated before u": '''
def sinkhorn(a, b, M, reg, n_iter, tol=0.0):
    a, b = np.asarray(a, float), np.asarray(b, float)
    K = np.exp(-np.asarray(M, float) / reg)
    u = np.ones(a.size)
    for _ in range(n_iter):
        v = b / (K.T @ u)
        u = a / (K @ v)
        if np.abs(v * (K.T @ u) - b).sum() < tol:
            break
    return u[:, None] * K * v[None, :]
''',
        "only the rows are scaled": '''
def sinkhorn(a, b, M, reg, n_iter, tol=0.0):
    a = np.asarray(a, float)
    K = np.exp(-np.asarray(M, float) / reg)
    return (a / K.sum(axis=1))[:, None] * K
''',
        "tol ignored (always runs n_iter iterations)": _SINKHORN + '''
def sinkhorn(a, b, M, reg, n_iter, tol=0.0):
    return _sinkhorn(a, b, M, reg, n_iter, 0.0)
''',
        "stops on the column error (always exact after the v step)": _SINKHORN + '''
def sinkhorn(a, b, M, reg, n_iter, tol=0.0):
    return _sinkhorn(a, b, M, reg, n_iter, tol, measure="columns")
''',
        "row error measured before the v step": _SINKHORN + '''
def sinkhorn(a, b, M, reg, n_iter, tol=0.0):
    return _sinkhorn(a, b, M, reg, n_iter, tol, measure="before v")
''',
        "calls POT (ot.sinkhorn)": '''
def sinkhorn(a, b, M, reg, n_iter, tol=0.0):
    return ot.sinkhorn(np.asarray(a, float), np.asarray(b, float), np.asarray(M, float), reg,
                       numItermax=n_iter, stopThr=tol)
''',
    },
}

CORRECT = {
    "test_solve_ot_lp": {
        "dual simplex (highs-ds)": _VALIDATE_LP + '''
def solve_ot_lp(a, b, M):
    a, b, M = _check(a, b, M)
    n, m = a.size, b.size
    A = np.vstack([np.kron(np.eye(n), np.ones((1, m))), np.kron(np.ones((1, n)), np.eye(m))])
    result = linprog(M.ravel(), A_eq=A, b_eq=np.concatenate([a, b]), bounds=(0, None), method="highs-ds")
    return result.x.reshape(n, m)
''',
        "interior point (highs-ipm), constraints built with loops": _VALIDATE_LP + '''
def solve_ot_lp(a, b, M):
    a, b, M = _check(a, b, M)
    n, m = a.size, b.size
    A = np.zeros((n + m, n * m))
    for i in range(n):
        for j in range(m):
            A[i, i * m + j] = 1.0
            A[n + j, i * m + j] = 1.0
    result = linprog(M.ravel(), A_eq=A, b_eq=np.concatenate([a, b]), bounds=[(0, None)] * (n * m),
                     method="highs-ipm")
    return result.x.reshape(n, m)
''',
        "column-major layout, redundant constraint dropped, float32 list": _VALIDATE_LP + '''
def solve_ot_lp(a, b, M):
    a, b, M = _check(a, b, M)
    n, m = a.size, b.size
    # z = P.T.ravel(): P[i, j] is z[j * n + i]
    rows = np.kron(np.ones((1, m)), np.eye(n))
    columns = np.kron(np.eye(m), np.ones((1, n)))
    A = np.vstack([rows, columns[:-1]])
    result = linprog(M.T.ravel(), A_eq=A, b_eq=np.concatenate([a, b[:-1]]), bounds=(0, None), method="highs")
    return result.x.reshape(m, n).T.astype(np.float32).astype(float).tolist()
''',
    },
    "test_wasserstein_1d": {
        "NumPy scalar, no float()": '''
def wasserstein_1d(x, y, p=1):
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.ndim != 1 or y.ndim != 1 or x.size != y.size or x.size == 0 or not p >= 1:
        raise ValueError("bad input")
    return np.mean(np.abs(np.sort(x) - np.sort(y)) ** p) ** (1 / p)
''',
        "float32 arithmetic": '''
def wasserstein_1d(x, y, p=1):
    x, y = np.asarray(x, np.float32), np.asarray(y, np.float32)
    if x.ndim != 1 or y.ndim != 1 or x.size != y.size or x.size == 0 or not p >= 1:
        raise ValueError("bad input")
    return np.mean(np.abs(np.sort(x) - np.sort(y)) ** np.float32(p)) ** np.float32(1 / p)
''',
        "a loop over sorted pairs, sorted() builtin": '''
def wasserstein_1d(x, y, p=1):
    if np.ndim(x) != 1 or np.ndim(y) != 1 or len(x) != len(y) or len(x) == 0 or p < 1:
        raise ValueError("bad input")
    total = 0.0
    for xi, yi in zip(sorted(x), sorted(y)):
        total += abs(xi - yi) ** p
    return (total / len(x)) ** (1 / p)
''',
        "0-d array from np.linalg.norm": '''
def wasserstein_1d(x, y, p=1):
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.ndim != 1 or y.ndim != 1 or x.shape != y.shape or x.size == 0 or p < 1:
        raise ValueError("bad input")
    return np.asarray(np.linalg.norm(np.sort(x) - np.sort(y), ord=p) / x.size ** (1 / p))
''',
    },
    "test_wasserstein_1d_quantile": {
        "two-pointer merge loop": _QUANTILE_CHECK + '''
def wasserstein_1d_quantile(u_values, u_weights, v_values, v_weights, p=1):
    u, wu = _measure(u_values, u_weights, p)
    v, wv = _measure(v_values, v_weights, p)
    i = j = 0
    left_u, left_v = wu[0], wv[0]   # mass of the current atoms not yet matched
    total = 0.0
    while True:
        step = min(left_u, left_v)
        total += step * abs(u[i] - v[j]) ** p
        left_u -= step
        left_v -= step
        if left_u <= 1e-15:
            i += 1
            if i == u.size:
                break
            left_u += wu[i]
        if left_v <= 1e-15:
            j += 1
            if j == v.size:
                break
            left_v += wv[j]
    return total ** (1 / p)
''',
        "midpoint levels and side='right' search": _QUANTILE_CHECK + '''
def wasserstein_1d_quantile(u_values, u_weights, v_values, v_weights, p=1):
    u, wu = _measure(u_values, u_weights, p)
    v, wv = _measure(v_values, v_weights, p)
    cu, cv = np.cumsum(wu), np.cumsum(wv)
    cu[-1] = cv[-1] = 1.0
    levels = np.union1d(cu, cv)
    lower = np.concatenate([[0.0], levels[:-1]])
    middle = (lower + levels) / 2
    iu = np.minimum(np.searchsorted(cu, middle, side="right"), u.size - 1)
    iv = np.minimum(np.searchsorted(cv, middle, side="right"), v.size - 1)
    return np.sum((levels - lower) * np.abs(u[iu] - v[iv]) ** p) ** (1 / p)
''',
        "float32 arithmetic": _QUANTILE_CHECK + '''
def wasserstein_1d_quantile(u_values, u_weights, v_values, v_weights, p=1):
    u, wu = _measure(u_values, u_weights, p)
    v, wv = _measure(v_values, v_weights, p)
    u, wu, v, wv = (t.astype(np.float32) for t in (u, wu, v, wv))
    cu, cv = np.cumsum(wu), np.cumsum(wv)
    levels = np.unique(np.concatenate([cu, cv, np.ones(1, np.float32)]))
    levels = levels[levels <= 1]
    lengths = np.diff(np.concatenate([np.zeros(1, np.float32), levels]))
    iu = np.minimum(np.searchsorted(cu, levels), u.size - 1)
    iv = np.minimum(np.searchsorted(cv, levels), v.size - 1)
    return np.sum(lengths * np.abs(u[iu] - v[iv]) ** np.float32(p)) ** np.float32(1 / p)
''',
    },
    "test_monge_map_1d": {
        "a loop with integer ranks": _MAP_CHECK + '''
def monge_map_1d(x, source, target):
    x, source, target = _samples(x, source, target)
    n, m = source.size, target.size
    out = []
    for point in x:
        k = int(np.sum(source <= point))
        rank = max(1, (m * k + n - 1) // n)
        out.append(target[rank - 1])
    return out
''',
        "math.ceil on an exact integer quotient": _MAP_CHECK + '''
def monge_map_1d(x, source, target):
    x, source, target = _samples(x, source, target)
    n, m = source.size, target.size
    counts = np.searchsorted(source, x, side="right")
    ranks = np.array([max(1, math.ceil(m * int(k) / n)) for k in counts])
    return target[ranks - 1].astype(np.float64)
''',
        "levels k/n against j/m with searchsorted": _MAP_CHECK + '''
def monge_map_1d(x, source, target):
    x, source, target = _samples(x, source, target)
    n, m = source.size, target.size
    levels = np.searchsorted(source, x, side="right") / n
    index = np.searchsorted(np.arange(1, m + 1) / m, levels, side="left")
    return target[np.clip(index, 0, m - 1)]
''',
    },
    "test_blocks_w1": {
        "exact quantile functions (no discretisation at all)": '''
def blocks_w1(mu_blocks, nu_blocks, potential):
    def quantile(blocks):
        for start, stop, mass in blocks:
            if not (stop > start and mass > 0):
                raise ValueError("bad block")
        if abs(sum(mass for _, _, mass in blocks) - 1.0) > 1e-9:
            raise ValueError("masses must add up to 1")
        blocks = sorted(blocks)
        edges = np.concatenate([[0.0], np.cumsum([mass for _, _, mass in blocks])])
        def q(t):
            k = np.clip(np.searchsorted(edges, t, side="right") - 1, 0, len(blocks) - 1)
            starts, stops, masses = (np.array([b[c] for b in blocks]) for c in range(3))
            return starts[k] + (stops[k] - starts[k]) * (t - edges[k]) / masses[k]
        return q
    t = (np.arange(100000) + 0.5) / 100000
    q_mu, q_nu = quantile(mu_blocks)(t), quantile(nu_blocks)(t)
    return (np.mean(np.abs(q_mu - q_nu)), np.mean(potential(q_mu)), np.mean(potential(q_nu)))
''',
        "linspace cells of width 5e-4, float32 weights, list result": _BLOCKS + '''
def blocks_w1(mu_blocks, nu_blocks, potential):
    mu, wmu = _atoms(mu_blocks, cells=2000)
    nu, wnu = _atoms(nu_blocks, cells=2000)
    wmu, wnu = wmu.astype(np.float32), wnu.astype(np.float32)
    return [wasserstein_1d_quantile(mu, wmu, nu, wnu), np.sum(wmu * potential(mu)), np.sum(wnu * potential(nu))]
''',
    },
    "test_kantorovich_rubinstein_dual": {
        "linprog's default bounds f >= 0 (harmless: f is defined up to a constant)": '''
def kantorovich_rubinstein_dual(a, b, x):
    a, b, x = (np.asarray(t, float) for t in (a, b, x))
    order = np.argsort(x)
    n = x.size
    D = np.zeros((n - 1, n))
    D[np.arange(n - 1), order[:-1]] = 1.0
    D[np.arange(n - 1), order[1:]] = -1.0
    gaps = np.diff(x[order])
    result = linprog(-(a - b), A_ub=np.vstack([D, -D]), b_ub=np.concatenate([gaps, gaps]), method="highs")
    return float(-result.fun), result.x
''',
        "all pairs of constraints, nothing pinned, NumPy scalar": '''
def kantorovich_rubinstein_dual(a, b, x):
    a, b, x = (np.asarray(t, float) for t in (a, b, x))
    n = x.size
    rows, bounds_ub = [], []
    for i in range(n):
        for j in range(n):
            if i != j:
                row = np.zeros(n)
                row[i], row[j] = 1.0, -1.0
                rows.append(row)
                bounds_ub.append(abs(x[i] - x[j]))
    result = linprog(-(a - b), A_ub=np.array(rows), b_ub=np.array(bounds_ub), bounds=(None, None),
                     method="highs-ipm")
    return -result.fun * np.float64(1.0), result.x
''',
    },
    "test_mmd2_unbiased": {
        "torch.cdist": '''
import torch
def mmd2_unbiased(x, y, sigma):
    x, y = torch.as_tensor(np.asarray(x, float)), torch.as_tensor(np.asarray(y, float))
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1] or len(x) < 2 or len(y) < 2 or not sigma > 0:
        raise ValueError("bad input")
    n, m = len(x), len(y)
    k = lambda s, t: torch.exp(-torch.cdist(s, t) ** 2 / (2 * sigma ** 2))
    kxx, kyy = k(x, x), k(y, y)
    return ((kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1)) + (kyy.sum() - kyy.diagonal().sum()) / (m * (m - 1))
            - 2 * k(x, y).mean())
''',
        "loops over the samples": '''
def mmd2_unbiased(x, y, sigma):
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1] or len(x) < 2 or len(y) < 2 or sigma <= 0:
        raise ValueError("bad input")
    k = lambda s, t: math.exp(-float(np.sum((s - t) ** 2)) / (2 * sigma * sigma))
    n, m = len(x), len(y)
    xx = sum(k(x[i], x[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    yy = sum(k(y[i], y[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    xy = sum(k(x[i], y[j]) for i in range(n) for j in range(m)) / (n * m)
    return xx + yy - 2 * xy
''',
        "float32 with scipy's cdist": '''
from scipy.spatial.distance import cdist as _cdist
def mmd2_unbiased(x, y, sigma):
    x, y = np.asarray(x, np.float32), np.asarray(y, np.float32)
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1] or len(x) < 2 or len(y) < 2 or not sigma > 0:
        raise ValueError("bad input")
    g = np.float32(2 * sigma ** 2)
    kxx = np.exp(-_cdist(x, x, "sqeuclidean").astype(np.float32) / g)
    kyy = np.exp(-_cdist(y, y, "sqeuclidean").astype(np.float32) / g)
    kxy = np.exp(-_cdist(x, y, "sqeuclidean").astype(np.float32) / g)
    n, m = len(x), len(y)
    np.fill_diagonal(kxx, 0)
    np.fill_diagonal(kyy, 0)
    return kxx.sum() / np.float32(n * (n - 1)) + kyy.sum() / np.float32(m * (m - 1)) - 2 * kxy.mean()
''',
    },
    "test_sinkhorn": {
        "log-domain iterations with logsumexp": '''
def sinkhorn(a, b, M, reg, n_iter, tol=0.0):
    a, b, M = np.asarray(a, float), np.asarray(b, float), np.asarray(M, float)
    f, g = np.zeros(a.size), np.zeros(b.size)
    for _ in range(n_iter):
        f = reg * (np.log(a) - logsumexp((g[None, :] - M) / reg, axis=1))
        g = reg * (np.log(b) - logsumexp((f[:, None] - M) / reg, axis=0))
        plan = np.exp((f[:, None] + g[None, :] - M) / reg)
        if np.abs(plan.sum(axis=1) - a).sum() < tol:
            break
    return plan
''',
        "diag matrices and a while loop": '''
def sinkhorn(a, b, M, reg, n_iter, tol=0.0):
    a, b = np.asarray(a, float), np.asarray(b, float)
    K = np.exp(-np.asarray(M, float) / reg)
    v = np.ones(len(b))
    done = 0
    while done < n_iter:
        u = a / np.einsum("ij,j->i", K, v)
        v = b / np.einsum("ij,i->j", K, u)
        done += 1
        plan = np.diag(u) @ K @ np.diag(v)
        if np.sum(np.abs(plan.sum(axis=1) - a)) < tol:
            break
    return np.diag(u) @ K @ np.diag(v)
''',
    },
}
