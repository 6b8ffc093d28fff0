"""Plausible wrong answers for lecture 04; each must fail its test cell."""

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
    },
    "test_fleuret_example": {
        "a third of the mass per block": '''
def fleuret_example():
    cells = 1000
    def block(start, stop, mass):
        centres = start + (np.arange(cells) + 0.5) * (stop - start) / cells
        return centres, np.full(cells, mass / cells)
    blocks = [block(1, 2, 1 / 3), block(3, 4, 1 / 3), block(9, 10, 1 / 3)]
    mu, wmu = np.concatenate([b[0] for b in blocks]), np.concatenate([b[1] for b in blocks])
    nu, wnu = block(5, 7, 1.0)
    return (wasserstein_1d_quantile(mu, wmu, nu, wnu), float(np.sum(wmu * fleuret_potential(mu))),
            float(np.sum(wnu * fleuret_potential(nu))))
''',
        "W2 instead of W1": '''
def fleuret_example():
    cells = 1000
    def block(start, stop, mass):
        centres = start + (np.arange(cells) + 0.5) * (stop - start) / cells
        return centres, np.full(cells, mass / cells)
    blocks = [block(1, 2, 0.25), block(3, 4, 0.25), block(9, 10, 0.5)]
    mu, wmu = np.concatenate([b[0] for b in blocks]), np.concatenate([b[1] for b in blocks])
    nu, wnu = block(5, 7, 1.0)
    return (wasserstein_1d_quantile(mu, wmu, nu, wnu, p=2), float(np.sum(wmu * fleuret_potential(mu))),
            float(np.sum(wnu * fleuret_potential(nu))))
''',
        "potential means swapped": '''
_right = fleuret_example
def fleuret_example():
    w, f_mu, f_nu = _right()
    return w, f_nu, f_mu
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
    },
    "test_sinkhorn": {
        "kernel exp(+M / reg)": '''
def sinkhorn(a, b, M, reg, n_iter):
    a, b = np.asarray(a, float), np.asarray(b, float)
    K = np.exp(np.asarray(M, float) / reg)
    v = np.ones(b.size)
    for _ in range(n_iter):
        u = a / (K @ v)
        v = b / (K.T @ u)
    return u[:, None] * K * v[None, :]
''',
        "kernel exp(-M * reg)": '''
def sinkhorn(a, b, M, reg, n_iter):
    a, b = np.asarray(a, float), np.asarray(b, float)
    K = np.exp(-np.asarray(M, float) * reg)
    v = np.ones(b.size)
    for _ in range(n_iter):
        u = a / (K @ v)
        v = b / (K.T @ u)
    return u[:, None] * K * v[None, :]
''',
        "simultaneous (not alternating) updates": '''
def sinkhorn(a, b, M, reg, n_iter):
    a, b = np.asarray(a, float), np.asarray(b, float)
    K = np.exp(-np.asarray(M, float) / reg)
    u, v = np.ones(a.size), np.ones(b.size)
    for _ in range(n_iter):
        u, v = a / (K @ v), b / (K.T @ u)
    return u[:, None] * K * v[None, :]
''',
        "v updated before u": '''
def sinkhorn(a, b, M, reg, n_iter):
    a, b = np.asarray(a, float), np.asarray(b, float)
    K = np.exp(-np.asarray(M, float) / reg)
    u = np.ones(a.size)
    for _ in range(n_iter):
        v = b / (K.T @ u)
        u = a / (K @ v)
    return u[:, None] * K * v[None, :]
''',
        "only the rows are scaled": '''
def sinkhorn(a, b, M, reg, n_iter):
    a = np.asarray(a, float)
    K = np.exp(-np.asarray(M, float) / reg)
    return (a / K.sum(axis=1))[:, None] * K
''',
    },
}
