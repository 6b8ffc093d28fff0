"""Out-of-kernel checks for lecture 04 (optimal transport): one entry per graded cell.

The inputs below (and the ``_SETUP`` helpers) are sent to the kernel; the references and the
expected values are not (see autograder/verify.py). Keep this file as private as solutions/.
Tolerances follow the notebook's hidden tests, never stricter.

Some answers are not unique, so their probes go through helpers defined in ``_SETUP``
(called as ``"setup.NAME"``): they call the student's function in the kernel and return
plain values that every correct answer shares.
- solve_ot_lp: an optimal plan may be non-unique (or reached by another solver), so the
  helper returns its shape, marginals, cost and most negative entry; the plan itself is
  compared only on problems whose optimum is unique (as the hidden tests do).
- kantorovich_rubinstein_dual: the potential is defined up to a constant (and not unique
  where the cumulative masses cross), so the helper returns the value, the largest excess
  of |f_i - f_j| over |x_i - x_j| (all pairs) and the value sum f (a - b) the potential attains.
"""

import warnings

import numpy as np

from verify import Array, Call, Check

_rng = np.random.default_rng(4040)


def _simplex(n):
    return _rng.dirichlet(np.ones(n))


# -- helpers run in the kernel (and exec'd, unused, in the grader) ---------------------------
_SETUP = r'''
import numpy as _np


def _student(name):
    import __main__
    return getattr(__main__, name)


def solve_ot_lp(a, b, M):
    """What every optimal coupling shares."""
    plan = _student("solve_ot_lp")(a, b, M)
    is_array = isinstance(plan, _np.ndarray)
    plan = _np.asarray(plan, dtype=float)
    return {
        "is_ndarray": bool(is_array),
        "shape": [int(s) for s in plan.shape],
        "rows": plan.sum(axis=1),
        "columns": plan.sum(axis=0),
        "cost": float(_np.sum(plan * _np.asarray(M, dtype=float))),
        "most_negative": float(min(plan.min(), 0.0)),
    }


def kantorovich_rubinstein_dual(a, b, x):
    """The optimal value, and whether the potential is feasible and attains it."""
    w1, f = _student("kantorovich_rubinstein_dual")(a, b, x)
    f = _np.asarray(f, dtype=float)
    x = _np.asarray(x, dtype=float)
    excess = _np.abs(f[:, None] - f[None, :]) - _np.abs(x[:, None] - x[None, :])
    return {
        "w1": w1,
        "shape": [int(s) for s in f.shape],
        "lipschitz_excess": float(max(excess.max(), 0.0)),
        "attained": float(_np.sum(f * (_np.asarray(a, dtype=float) - _np.asarray(b, dtype=float)))),
    }


def sinkhorn(a, b, M, reg, n_iter):
    """A converged plan, compared with the looser tolerance of the hidden tests."""
    return {"converged": _student("sinkhorn")(a, b, M, reg, n_iter)}
'''


# -- references (never sent to the kernel) ---------------------------------------------------
def _emd(a, b, M):
    import ot

    a, b, M = (np.asarray(t, dtype=float) for t in (a, b, M))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ot.emd(a, b, M)


def _lp_summary(a, b, M):
    plan = _emd(a, b, M)
    M = np.asarray(M, dtype=float)
    return {
        "is_ndarray": True,
        "shape": [int(s) for s in plan.shape],
        "rows": np.asarray(a, dtype=float),
        "columns": np.asarray(b, dtype=float),
        "cost": float(np.sum(plan * M)),
        "most_negative": 0.0,
    }


def _w1d(x, y, p=1):
    x, y = np.sort(np.asarray(x, dtype=float)), np.sort(np.asarray(y, dtype=float))
    return float(np.mean(np.abs(x - y) ** p) ** (1.0 / p))


def _w1d_quantile(u, wu, v, wv, p=1):
    import ot

    wu, wv = np.asarray(wu, dtype=float), np.asarray(wv, dtype=float)
    return float(ot.wasserstein_1d(np.asarray(u, dtype=float), np.asarray(v, dtype=float),
                                   wu / wu.sum(), wv / wv.sum(), p=p) ** (1.0 / p))


def _fleuret():
    return (3.0, 2.0, -1.0)


def _kr_dual(a, b, x):
    import ot

    a, b, x = (np.asarray(t, dtype=float) for t in (a, b, x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w1 = float(ot.emd2(a, b, np.abs(x[:, None] - x[None, :])))
    return {"w1": w1, "shape": [x.size], "lipschitz_excess": 0.0, "attained": w1}


def _sinkhorn_iterates(a, b, M, reg, n_iter):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    K = np.exp(-np.asarray(M, dtype=float) / reg)
    v = np.ones(b.size)
    for _ in range(n_iter):
        u = a / (K @ v)
        v = b / (K.T @ u)
    return u[:, None] * K * v[None, :]


def _sinkhorn_converged(a, b, M, reg, n_iter):
    return {"converged": _sinkhorn_iterates(a, b, M, reg, n_iter)}


# -- probe inputs -----------------------------------------------------------------------------
_lp_problems = [(Array(_simplex(n)), Array(_simplex(m)), Array(_rng.uniform(0, 5, (n, m))))
                for n, m in [(4, 4), (3, 6), (6, 3), (1, 4), (5, 2)]]
_line = np.array([0.5, 3.0, 1.5, 2.0])
_line_target = np.array([7.0, 5.5, 4.0, 6.0])
_line_cost = Array(np.abs(_line[:, None] - _line_target[None, :]) ** 2)

_samples = [(_rng.normal(size=n), _rng.exponential(size=n) * 3) for n in (1, 6, 25)]

_weighted = [(_rng.normal(size=n), _rng.uniform(0.1, 3.0, n), _rng.normal(1.0, 2.0, m), _rng.uniform(0.1, 3.0, m))
             for n, m in [(1, 3), (5, 5), (6, 4), (20, 35)]]

_kr_problems = []
for _n in (2, 5, 12):
    _kr_problems.append((Array(_simplex(_n)), Array(_simplex(_n)), Array(_rng.uniform(-5, 5, _n))))

_sinkhorn_problems = [(Array(_simplex(n)), Array(_simplex(m)), Array(_rng.uniform(0, 1, (n, m))))
                      for n, m in [(5, 5), (3, 7), (8, 2)]]
_sinkhorn_unique = (Array(np.full(4, 0.25)), Array(np.full(4, 0.25)),
                    Array((np.arange(4)[:, None] - np.array([2.2, 0.2, 3.2, 1.2])[None, :]) ** 2))

CHECKS = {
    "test_solve_ot_lp": Check(
        calls=[
            *[Call("setup.solve_ot_lp", a, b, M) for a, b, M in _lp_problems],
            Call("setup.solve_ot_lp", [0.25] * 4, [0.25] * 4, _line_cost),
            Call("setup.solve_ot_lp", [3, 1], [1, 2, 1], [[0, 1, 2], [2, 1, 0]]),
            # unique optima: the plan itself
            Call("solve_ot_lp", Array(np.full(4, 0.25)), Array(np.full(4, 0.25)), _line_cost),
            Call("solve_ot_lp", [3, 1], [1, 2, 1], [[0, 1, 2], [2, 1, 0]]),
            Call("solve_ot_lp", [0.6, 0.4], [0.6, 0.4], [[0.0, 1.0], [1.0, 0.0]]),
            Call("solve_ot_lp", [0.5, 0.5], [0.4, 0.4], [[1, 1], [1, 1]], raises="ValueError"),
            Call("solve_ot_lp", [1.2, -0.2], [0.5, 0.5], [[1, 1], [1, 1]], raises="ValueError"),
            Call("solve_ot_lp", [0.5, 0.5], [1.0], [[1.0, 2.0]], raises="ValueError"),
            Call("solve_ot_lp", [0.5, 0.5], [0.5, 0.5], [1.0, 1.0], raises="ValueError"),
        ],
        reference={"setup.solve_ot_lp": _lp_summary, "solve_ot_lp": _emd},
        tolerance={"rows": 1e-8, "columns": 1e-8, "cost": 1e-7, "most_negative": 1e-10, "*": 1e-7},
        setup=_SETUP,
    ),
    "test_wasserstein_1d": Check(
        calls=[
            *[Call("wasserstein_1d", Array(x), Array(y), p=p) for x, y in _samples for p in (1, 2, 3, 1.5)],
            Call("wasserstein_1d", _samples[1][1].tolist(), tuple(_samples[1][0].tolist()), p=2),
            Call("wasserstein_1d", [4.0, 0.0, 1.0], [1.0, 4.0, 0.0]),
            Call("wasserstein_1d", [1.0, 2.0, 3.0], [1.0, 2.0], raises="ValueError"),
            Call("wasserstein_1d", [], [], raises="ValueError"),
            Call("wasserstein_1d", [[1.0, 2.0]], [[3.0, 4.0]], raises="ValueError"),
            Call("wasserstein_1d", [1.0], [2.0], p=0.5, raises="ValueError"),
        ],
        reference={"wasserstein_1d": _w1d},
        tolerance=1e-8,
    ),
    "test_wasserstein_1d_quantile": Check(
        calls=[
            *[Call("wasserstein_1d_quantile", Array(u), Array(wu), Array(v), Array(wv), p=p)
              for u, wu, v, wv in _weighted for p in (1, 2, 1.5)],
            # another order of the atoms, and the measures swapped
            Call("wasserstein_1d_quantile", Array(_weighted[2][2][::-1]), Array(_weighted[2][3][::-1]),
                 Array(_weighted[2][0][[3, 0, 5, 1, 4, 2]]), Array(_weighted[2][1][[3, 0, 5, 1, 4, 2]]), p=2),
            Call("wasserstein_1d_quantile", [2.0, 0.0, 1.0], [1, 3, 2], [0.5, 1.5], [2, 1]),
            Call("wasserstein_1d_quantile", [0.0, 50.0], [1.0, 0.0], [2.0], [3.0]),
            Call("wasserstein_1d_quantile", [1.0, 1.0, 2.0], [0.2, 0.3, 0.5], [2.0, 1.0], [0.5, 0.5]),
            Call("wasserstein_1d_quantile", [0.0, 1.0], [1.0], [0.0], [1.0], raises="ValueError"),
            Call("wasserstein_1d_quantile", [3.0], [-2.0], [0.0], [1.0], raises="ValueError"),
            Call("wasserstein_1d_quantile", [0.0], [0.0], [1.0], [1.0], raises="ValueError"),
        ],
        reference={"wasserstein_1d_quantile": _w1d_quantile},
        tolerance=1e-8,
    ),
    "test_fleuret_example": Check(
        calls=[Call("fleuret_example")],
        reference={"fleuret_example": _fleuret},
        tolerance=1e-3,
        exact_types=False,  # the tests accept any float (isinstance), np.float64 included
    ),
    "test_kantorovich_rubinstein_dual": Check(
        calls=[
            *[Call("setup.kantorovich_rubinstein_dual", a, b, x) for a, b, x in _kr_problems],
            Call("setup.kantorovich_rubinstein_dual", [0.0, 0.5, 0.5], [1.0, 0.0, 0.0], [10.0, 11.0, 13.0]),
            Call("setup.kantorovich_rubinstein_dual", [0.3, 0.0, 0.2, 0.5], [0.1, 0.4, 0.5, 0.0],
                 [2.0, -1.0, 0.5, 4.0]),
        ],
        reference={"setup.kantorovich_rubinstein_dual": _kr_dual},
        tolerance={"w1": 1e-8, "attained": 1e-8, "lipschitz_excess": 1e-8, "*": 1e-8},
        setup=_SETUP,
    ),
    "test_sinkhorn": Check(
        calls=[
            # few iterations: the documented order of the updates matters
            *[Call("sinkhorn", a, b, M, 0.3, k) for a, b, M in _sinkhorn_problems for k in (1, 2, 5)],
            Call("sinkhorn", *_sinkhorn_problems[0][:3], reg=0.1, n_iter=3),
            # converged (the hidden tests' looser tolerance)
            *[Call("setup.sinkhorn", a, b, M, reg, 3000) for a, b, M in _sinkhorn_problems[:2] for reg in (0.05, 1.0)],
            Call("setup.sinkhorn", [0.5, 0.5], [0.25, 0.75], [[0.0, 1.0], [1.0, 0.0]], 1e4, 50),
            Call("setup.sinkhorn", *_sinkhorn_unique, 0.02, 2000),
        ],
        reference={"sinkhorn": _sinkhorn_iterates, "setup.sinkhorn": _sinkhorn_converged},
        # iterates: atol 1e-12, rtol 1e-9 (hidden tests); converged: np.allclose(atol=1e-8), whose
        # default rtol 1e-5 allows up to 1e-8 + 1e-5 on entries <= 1
        tolerance={"converged": 1.001e-5, "*": 1e-12},
        rtol=1e-9,
        setup=_SETUP,
    ),
}
