"""Out-of-kernel checks for lecture 04 (optimal transport): one entry per graded cell.

The inputs below (and the ``_SETUP`` helpers) are sent to the kernel; the references and the
expected values are not (see autograder/verify.py). Keep this file as private as solutions/.
Tolerances equal the notebook's (visible and hidden tests use the same ones), never stricter.

Every probe call goes through a helper defined in ``_SETUP`` (called as ``"setup.NAME"``),
which runs the student's function with POT switched off (``gdl.guards.switched_off``): the
notebook says "your answers must not call POT", and a call to it fails here as it does in the
test cells. Some answers are not unique, so their helpers return plain values that every
correct answer shares:
- solve_ot_lp: an optimal plan may be non-unique (or reached by another solver), so the
  helper returns its shape, marginals, cost and most negative entry; the plan itself is
  compared only on problems whose optimum is unique (as the hidden tests do).
- kantorovich_rubinstein_dual: the potential is defined up to a constant (and not unique
  where the cumulative masses cross), so the helper returns the value, the largest excess
  of |f_i - f_j| over |x_i - x_j| (all pairs) and the value sum f (a - b) the potential attains.
- blocks_w1: the potential is a function, so it is named (``potential``) and built by the setup.
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


def _no_pot(name, *args, **kwargs):
    """The student's function `name`, called with POT switched off."""
    import __main__
    from gdl.guards import switched_off
    with switched_off("ot", vars(__main__), why=f"{name} must not call POT"):
        return getattr(__main__, name)(*args, **kwargs)


def run(name, *args, **kwargs):
    """The student's result, as it is."""
    return _no_pot(name, *args, **kwargs)


def run_array(name, *args, **kwargs):
    """The student's result read as an array of floats (a list or a tensor counts, as in the tests)."""
    result = _no_pot(name, *args, **kwargs)
    if hasattr(result, "detach"):
        result = result.detach().cpu().numpy()
    return _np.asarray(result, dtype=float)


def solve_ot_lp(a, b, M):
    """What every optimal coupling shares."""
    plan = _np.asarray(_no_pot("solve_ot_lp", a, b, M), dtype=float)
    return {
        "shape": [int(s) for s in plan.shape],
        "rows": plan.sum(axis=1),
        "columns": plan.sum(axis=0),
        "cost": float(_np.sum(plan * _np.asarray(M, dtype=float))),
        "most_negative": float(min(plan.min(), 0.0)),
    }


def kantorovich_rubinstein_dual(a, b, x):
    """The optimal value, and whether the potential is feasible and attains it."""
    w1, f = _no_pot("kantorovich_rubinstein_dual", a, b, x)
    f = _np.asarray(f, dtype=float)
    x = _np.asarray(x, dtype=float)
    excess = _np.abs(f[:, None] - f[None, :]) - _np.abs(x[:, None] - x[None, :])
    return {
        "w1": w1,
        "shape": [int(s) for s in f.shape],
        "lipschitz_excess": float(max(excess.max(), 0.0)),
        "attained": float(_np.sum(f * (_np.asarray(a, dtype=float) - _np.asarray(b, dtype=float)))),
    }


def sinkhorn(a, b, M, reg, n_iter, tol=0.0):
    """A converged plan, compared with the looser tolerance of the tests."""
    return {"converged": run_array("sinkhorn", a, b, M, reg, n_iter, tol=tol)}


def potential(kind):
    """The 1-Lipschitz potentials passed to blocks_w1."""
    return {"hat": lambda x: _np.abs(_np.asarray(x, dtype=float) - 2.5),
            "minus": lambda x: -_np.asarray(x, dtype=float),
            "sin": _np.sin,
            "fleuret": lambda x: _np.abs(_np.asarray(x, dtype=float) - 6.0) - 1.5}[kind]


def blocks_w1(mu_blocks, nu_blocks, kind):
    """blocks_w1 with a potential built here."""
    return _no_pot("blocks_w1", mu_blocks, nu_blocks, potential(kind))
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


def _monge_map(x, source, target):
    """F_nu^-1(F_mu(x)) with integer ranks (exact at the samples)."""
    x, source, target = (np.asarray(t, dtype=float) for t in (x, source, target))
    n, m = source.size, target.size
    counts = np.array([int(np.sum(source <= point)) for point in x])
    ranks = np.array([max(1, -((-m * c) // n)) for c in counts])
    return np.sort(target)[ranks - 1]


def _block_quantile(blocks, t):
    """The quantile function of a measure made of uniform blocks, at levels t."""
    starts, stops, masses = (np.array([block[k] for block in blocks], dtype=float) for k in range(3))
    order = np.argsort(starts)
    starts, stops, masses = starts[order], stops[order], masses[order]
    edges = np.concatenate([[0.0], np.cumsum(masses)])
    index = np.clip(np.searchsorted(edges, t, side="right") - 1, 0, len(masses) - 1)
    return starts[index] + (stops[index] - starts[index]) * (t - edges[index]) / masses[index]


_POTENTIALS = {"hat": lambda x: np.abs(x - 2.5), "minus": lambda x: -x, "sin": np.sin,
               "fleuret": lambda x: np.abs(x - 6.0) - 1.5}


def _blocks_w1(mu_blocks, nu_blocks, kind):
    """Exact values: W_1 and the averages as integrals over quantile levels (fine midpoint rule)."""
    t = (np.arange(400_000) + 0.5) / 400_000
    q_mu, q_nu = _block_quantile(mu_blocks, t), _block_quantile(nu_blocks, t)
    f = _POTENTIALS[kind]
    return (float(np.mean(np.abs(q_mu - q_nu))), float(np.mean(f(q_mu))), float(np.mean(f(q_nu))))


def _kr_dual(a, b, x):
    import ot

    a, b, x = (np.asarray(t, dtype=float) for t in (a, b, x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w1 = float(ot.emd2(a, b, np.abs(x[:, None] - x[None, :])))
    return {"w1": w1, "shape": [x.size], "lipschitz_excess": 0.0, "attained": w1}


def _mmd2(x, y, sigma):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def mean_kernel(s, t, drop_diagonal):
        squared = ((s[:, None, :] - t[None, :, :]) ** 2).sum(axis=-1)
        k = np.exp(-squared / (2 * sigma ** 2))
        if drop_diagonal:
            return (k.sum() - np.trace(k)) / (len(s) * (len(s) - 1))
        return k.mean()

    return float(mean_kernel(x, x, True) + mean_kernel(y, y, True) - 2 * mean_kernel(x, y, False))


def _sinkhorn_iterates(a, b, M, reg, n_iter, tol=0.0):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    K = np.exp(-np.asarray(M, dtype=float) / reg)
    v = np.ones(b.size)
    for _ in range(n_iter):
        u = a / (K @ v)
        v = b / (K.T @ u)
        if np.abs(u * (K @ v) - a).sum() < tol:
            break
    return u[:, None] * K * v[None, :]


def _sinkhorn_converged(a, b, M, reg, n_iter, tol=0.0):
    return {"converged": _sinkhorn_iterates(a, b, M, reg, n_iter, tol)}


_REFERENCES = {
    "solve_ot_lp": _emd,
    "wasserstein_1d": _w1d,
    "wasserstein_1d_quantile": _w1d_quantile,
    "monge_map_1d": _monge_map,
    "mmd2_unbiased": _mmd2,
    "sinkhorn": _sinkhorn_iterates,
}


_ARRAY_RESULTS = {"solve_ot_lp", "monge_map_1d", "sinkhorn"}


def _run(name, *args, **kwargs):
    return _REFERENCES[name](*args, **kwargs)


def _call(name, *args, raises=None, **kwargs):
    """A probe call of the student's ``name`` through the POT-free helper."""
    helper = "setup.run_array" if name in _ARRAY_RESULTS else "setup.run"
    return Call(helper, name, *args, raises=raises, **kwargs)


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

_map_sizes = [(7, 7), (20, 20), (6, 9), (15, 4), (30, 12)]
_map_problems = []
for _n, _m in _map_sizes:
    _source, _target = _rng.normal(size=_n), _rng.normal(2.0, 0.5, _m)
    _points = np.concatenate([_source, _rng.uniform(-3.0, 4.0, 10), [-10.0, 10.0]])
    _map_problems.append((Array(_points), Array(_source), Array(_target)))

_mmd_x = [_rng.normal(size=(n, d)) for n, d in [(6, 2), (9, 1), (5, 3)]]
_mmd_y = [_rng.normal(0.7, 1.3, size=(m, d)) for m, d in [(8, 2), (4, 1), (7, 3)]]

_sinkhorn_problems = [(Array(_simplex(n)), Array(_simplex(m)), Array(_rng.uniform(0, 1, (n, m))))
                      for n, m in [(5, 5), (3, 7), (8, 2)]]
_sinkhorn_unique = (Array(np.full(4, 0.25)), Array(np.full(4, 0.25)),
                    Array((np.arange(4)[:, None] - np.array([2.2, 0.2, 3.2, 1.2])[None, :]) ** 2))
_stop_x, _stop_y = np.linspace(0, 1, 7), np.linspace(0, 1, 6) ** 3
_stop_problem = (Array(np.arange(1, 8) / 28), Array(np.arange(6, 0, -1) / 21),
                 Array((_stop_x[:, None] - _stop_y[None, :]) ** 2))

CHECKS = {
    "test_solve_ot_lp": Check(
        calls=[
            *[Call("setup.solve_ot_lp", a, b, M) for a, b, M in _lp_problems],
            Call("setup.solve_ot_lp", [0.25] * 4, [0.25] * 4, _line_cost),
            Call("setup.solve_ot_lp", [3, 1], [1, 2, 1], [[0, 1, 2], [2, 1, 0]]),
            # unique optima: the plan itself
            _call("solve_ot_lp", Array(np.full(4, 0.25)), Array(np.full(4, 0.25)), _line_cost),
            _call("solve_ot_lp", [3, 1], [1, 2, 1], [[0, 1, 2], [2, 1, 0]]),
            _call("solve_ot_lp", [0.6, 0.4], [0.6, 0.4], [[0.0, 1.0], [1.0, 0.0]]),
            _call("solve_ot_lp", [0.5, 0.5], [0.4, 0.4], [[1, 1], [1, 1]], raises="ValueError"),
            _call("solve_ot_lp", [1.2, -0.2], [0.5, 0.5], [[1, 1], [1, 1]], raises="ValueError"),
            _call("solve_ot_lp", [0.5, 0.5], [1.0], [[1.0, 2.0]], raises="ValueError"),
            _call("solve_ot_lp", [0.5, 0.5], [0.5, 0.5], [1.0, 1.0], raises="ValueError"),
        ],
        reference={"setup.solve_ot_lp": _lp_summary, "setup.run_array": _run},
        # the tests: marginals within 1e-6, cost within 1e-6 (relative above 1), entries >= -1e-7
        tolerance={"rows": 1e-6, "columns": 1e-6, "cost": 1e-6, "most_negative": 1e-7, "*": 1e-6},
        setup=_SETUP,
    ),
    "test_wasserstein_1d": Check(
        calls=[
            *[_call("wasserstein_1d", Array(x), Array(y), p=p) for x, y in _samples for p in (1, 2, 3, 1.5)],
            _call("wasserstein_1d", _samples[1][1].tolist(), tuple(_samples[1][0].tolist()), p=2),
            _call("wasserstein_1d", [4.0, 0.0, 1.0], [1.0, 4.0, 0.0]),
            _call("wasserstein_1d", [1.0, 2.0, 3.0], [1.0, 2.0], raises="ValueError"),
            _call("wasserstein_1d", [], [], raises="ValueError"),
            _call("wasserstein_1d", [[1.0, 2.0]], [[3.0, 4.0]], raises="ValueError"),
            _call("wasserstein_1d", [1.0], [2.0], p=0.5, raises="ValueError"),
        ],
        reference={"setup.run": _run},
        tolerance=1e-6,  # math.isclose(rel_tol=1e-6, abs_tol=1e-6) in the tests
        rtol=1e-6,
        setup=_SETUP,
    ),
    "test_wasserstein_1d_quantile": Check(
        calls=[
            *[_call("wasserstein_1d_quantile", Array(u), Array(wu), Array(v), Array(wv), p=p)
              for u, wu, v, wv in _weighted for p in (1, 2, 1.5)],
            # another order of the atoms, and the measures swapped
            _call("wasserstein_1d_quantile", Array(_weighted[2][2][::-1]), Array(_weighted[2][3][::-1]),
                  Array(_weighted[2][0][[3, 0, 5, 1, 4, 2]]), Array(_weighted[2][1][[3, 0, 5, 1, 4, 2]]), p=2),
            _call("wasserstein_1d_quantile", [2.0, 0.0, 1.0], [1, 3, 2], [0.5, 1.5], [2, 1]),
            _call("wasserstein_1d_quantile", [0.0, 50.0], [1.0, 0.0], [2.0], [3.0]),
            _call("wasserstein_1d_quantile", [1.0, 1.0, 2.0], [0.2, 0.3, 0.5], [2.0, 1.0], [0.5, 0.5]),
            # round-off in the cumulative weights
            _call("wasserstein_1d_quantile", Array(np.arange(10.0)[::-1]), [0.1] * 10, [3.5], [1.0], p=2),
            _call("wasserstein_1d_quantile", [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [1 / 6] * 6, [1.0, 4.0], [0.5, 0.5]),
            _call("wasserstein_1d_quantile", [0.0, 1.0], [1.0], [0.0], [1.0], raises="ValueError"),
            _call("wasserstein_1d_quantile", [3.0], [-2.0], [0.0], [1.0], raises="ValueError"),
            _call("wasserstein_1d_quantile", [0.0], [0.0], [1.0], [1.0], raises="ValueError"),
            _call("wasserstein_1d_quantile", [0.0], [1.0], [1.0], [1.0], p=0.5, raises="ValueError"),
        ],
        reference={"setup.run": _run},
        tolerance=1e-6,
        rtol=1e-6,
        setup=_SETUP,
    ),
    "test_monge_map_1d": Check(
        calls=[
            *[_call("monge_map_1d", x, s, t) for x, s, t in _map_problems],
            _call("monge_map_1d", [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [5.0, 3.0, 1.0, 4.0, 2.0, 0.0],
                  [10.0, 30.0, 20.0, 0.0]),
            _call("monge_map_1d", Array(np.arange(50.0)), Array(np.arange(50.0)[::-1]), Array(np.arange(50.0) * 2)),
            _call("monge_map_1d", [0.0], [], [1.0], raises="ValueError"),
            _call("monge_map_1d", [0.0], [1.0, 2.0], [[1.0, 2.0]], raises="ValueError"),
            _call("monge_map_1d", [[0.0, 1.0]], [1.0], [2.0], raises="ValueError"),
        ],
        reference={"setup.run_array": _run},
        tolerance=1e-12,  # T picks target samples: exact values
        setup=_SETUP,
    ),
    "test_blocks_w1": Check(
        calls=[
            Call("setup.blocks_w1", [(1.0, 2.0, 0.25), (3.0, 4.0, 0.25), (9.0, 10.0, 0.5)], [(5.0, 7.0, 1.0)],
                 "fleuret"),
            Call("setup.blocks_w1", [(0.0, 1.0, 0.5), (4.0, 5.0, 0.5)], [(2.0, 3.0, 1.0)], "hat"),
            Call("setup.blocks_w1", [(2.0, 3.5, 0.3), (0.0, 1.0, 0.7)], [(1.0, 4.0, 0.6), (6.0, 6.5, 0.4)], "sin"),
            Call("setup.blocks_w1", [(0.0, 0.5, 1.0)], [(3.0, 3.25, 0.5), (-2.0, -1.0, 0.5)], "minus"),
            Call("setup.blocks_w1", [(0.0, 1.0, 1.0)], [(1.0, 1.0, 1.0)], "hat", raises="ValueError"),
            Call("setup.blocks_w1", [(0.0, 1.0, 0.5)], [(0.0, 1.0, 1.0)], "hat", raises="ValueError"),
            Call("setup.blocks_w1", [(0.0, 1.0, 1.5), (1.0, 2.0, -0.5)], [(0.0, 1.0, 1.0)], "hat",
                 raises="ValueError"),
        ],
        reference={"setup.blocks_w1": _blocks_w1},
        tolerance=1e-3,
        setup=_SETUP,
    ),
    "test_kantorovich_rubinstein_dual": Check(
        calls=[
            *[Call("setup.kantorovich_rubinstein_dual", a, b, x) for a, b, x in _kr_problems],
            Call("setup.kantorovich_rubinstein_dual", [0.0, 0.5, 0.5], [1.0, 0.0, 0.0], [10.0, 11.0, 13.0]),
            Call("setup.kantorovich_rubinstein_dual", [0.3, 0.0, 0.2, 0.5], [0.1, 0.4, 0.5, 0.0],
                 [2.0, -1.0, 0.5, 4.0]),
        ],
        reference={"setup.kantorovich_rubinstein_dual": _kr_dual},
        tolerance=1e-6,
        setup=_SETUP,
    ),
    "test_mmd2_unbiased": Check(
        calls=[
            *[_call("mmd2_unbiased", Array(x), Array(y), s) for x, y in zip(_mmd_x, _mmd_y) for s in (0.4, 1.0, 3.0)],
            _call("mmd2_unbiased", Array(_mmd_y[0]), Array(_mmd_x[0]), 1.0),
            _call("mmd2_unbiased", _mmd_x[1].tolist(), _mmd_x[1].tolist(), 0.8),
            _call("mmd2_unbiased", [[0.0], [2.0]], [[1.0], [5.0], [6.0]], 1.5),
            _call("mmd2_unbiased", [0.0, 1.0, 2.0], [0.0, 1.0], 1.0, raises="ValueError"),
            _call("mmd2_unbiased", Array(_mmd_x[0]), Array(_mmd_y[2]), 1.0, raises="ValueError"),
            _call("mmd2_unbiased", [[0.0, 1.0]], [[0.0, 1.0], [2.0, 3.0]], 1.0, raises="ValueError"),
            _call("mmd2_unbiased", [[0.0], [1.0]], [[0.0]], 1.0, raises="ValueError"),
            _call("mmd2_unbiased", [[0.0], [1.0]], [[0.0], [3.0]], 0.0, raises="ValueError"),
            _call("mmd2_unbiased", [[0.0], [1.0]], [[0.0], [3.0]], -2.0, raises="ValueError"),
        ],
        reference={"setup.run": _run},
        tolerance=1e-6,  # math.isclose(rel_tol=1e-5, abs_tol=1e-6) in the tests
        rtol=1e-5,
        setup=_SETUP,
    ),
    "test_sinkhorn": Check(
        calls=[
            # few iterations: the documented order of the updates matters
            *[_call("sinkhorn", a, b, M, 0.3, k) for a, b, M in _sinkhorn_problems for k in (1, 2, 5)],
            _call("sinkhorn", *_sinkhorn_problems[0][:3], reg=0.1, n_iter=3),
            # the stopping rule
            _call("sinkhorn", *_stop_problem, 0.02, 10000, tol=1e-3),
            _call("sinkhorn", *_stop_problem, 0.05, 10000, tol=1e-6),
            # converged (the tests' looser tolerance)
            *[Call("setup.sinkhorn", a, b, M, reg, 3000) for a, b, M in _sinkhorn_problems[:2] for reg in (0.05, 1.0)],
            Call("setup.sinkhorn", [0.5, 0.5], [0.25, 0.75], [[0.0, 1.0], [1.0, 0.0]], 1e4, 50),
            Call("setup.sinkhorn", *_sinkhorn_unique, 0.02, 2000),
        ],
        reference={"setup.run_array": _run, "setup.sinkhorn": _sinkhorn_converged},
        # iterates: atol 1e-12, rtol 1e-9 (the tests); converged: np.allclose(atol=1e-8), whose
        # default rtol 1e-5 allows up to 1e-8 + 1e-5 on entries <= 1
        tolerance={"converged": 1.001e-5, "*": 1e-12},
        rtol=1e-9,
        setup=_SETUP,
    ),
}
