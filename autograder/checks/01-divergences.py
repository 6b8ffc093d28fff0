"""Out-of-kernel checks for lecture 01 (divergences): one entry per graded cell.

The inputs below are sent to the kernel; the reference functions and the expected values are
not (see autograder/verify.py). Keep this file as private as solutions/: a student who knows
the probe inputs still has to compute the right outputs, but need not see them.
Tolerances follow the hidden tests of the notebook, never stricter: closed-form values use
1e-6 absolute plus 1e-6 relative (float32 arithmetic keeps its points), the fits 0.02.
"""

import math

import numpy as np
from scipy import optimize

from verify import Array, Call, Check

_rng = np.random.default_rng(2024)


def _dirichlet(n, alpha=1.0):
    return Array(_rng.dirichlet(np.ones(n) * alpha))


# -- references (never sent to the kernel) ---------------------------------------------------
def _kl(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    if np.any((p > 0) & (q == 0)):
        return math.inf
    mask = p > 0
    return float(np.sum(p[mask] * np.log(p[mask] / q[mask])))


def _js(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    m = (p + q) / 2
    return 0.5 * _kl(p, m) + 0.5 * _kl(q, m)


def _minkowski(p, q, r):
    return float(np.sum(np.abs(np.asarray(p, float) - np.asarray(q, float)) ** r) ** (1.0 / r))


def _intersection(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    return float(1.0 - np.minimum(p, q).sum() / q.sum())


def _chi2(p, q):
    p, q = np.asarray(p, float), np.asarray(q, float)
    m = (p + q) / 2
    used = m > 0
    return float(np.sum((p[used] - q[used]) ** 2 / m[used]))


def _quadratic(p, q, A):
    d = np.asarray(p, float) - np.asarray(q, float)
    return math.sqrt(max(float(d @ np.asarray(A, float) @ d), 0.0))


def _cdf_distances(p, q):
    gaps = np.abs(np.cumsum(np.asarray(p, float)) - np.cumsum(np.asarray(q, float)))
    return {"ks": float(gaps.max()), "match": float(gaps.sum())}


def _moments(p, x):
    p, x = np.asarray(p, float), np.asarray(x, float)
    weights = p / p.sum()
    mu = float(np.sum(weights * x))
    return (mu, float(np.sqrt(np.sum(weights * (x - mu) ** 2))))


def _gaussian_on_grid(mu, sigma, x):
    weights = np.exp(-0.5 * ((x - mu) / sigma) ** 2)
    return weights / weights.sum()


def _fit(p, x, direction):
    """Coarse grid search over (mu, sigma), then Nelder-Mead from the best point."""
    p = np.asarray(p, float) / np.sum(p)
    x = np.asarray(x, float)

    def objective(mu, sigma):
        w = np.exp(-0.5 * ((x - mu) / sigma) ** 2)
        q = w / w.sum()
        a, b = (p, q) if direction == "forward" else (q, p)
        mask = a > 0
        if np.any(b[mask] == 0):
            return np.inf
        with np.errstate(over="ignore", divide="ignore"):
            return float(np.sum(a[mask] * np.log(a[mask] / b[mask])))

    _, mu0, sigma0 = min((objective(m, s), m, s)
                         for m in np.linspace(-5, 5, 101) for s in np.linspace(0.2, 4.0, 39))
    result = optimize.minimize(lambda t: objective(t[0], np.exp(t[1])), [mu0, np.log(sigma0)],
                               method="Nelder-Mead", options={"xatol": 1e-7, "fatol": 1e-12})
    return (float(result.x[0]), float(np.exp(result.x[1])))


def _nll(mu, sigma, samples):
    x = np.asarray(samples, float)
    return float(np.mean(0.5 * np.log(2 * np.pi * sigma**2) + (x - mu) ** 2 / (2 * sigma**2)))


_SHIFT_GRID = np.round(np.arange(-2.0, 12.0, 0.01), 2)


def _uniform(start, width):
    inside = (_SHIFT_GRID >= start - 1e-9) & (_SHIFT_GRID < start + width - 1e-9)
    return inside / inside.sum()


def _disjoint(shift):
    p, q = _uniform(0.0, 1.0), _uniform(shift, 1.0)
    emd = float(np.sum(np.abs(np.cumsum(p) - np.cumsum(q))) * 0.01)
    return {"kl": _kl(p, q), "jsd": _js(p, q), "emd": emd}


# -- probe inputs -----------------------------------------------------------------------------
_pairs = [(_dirichlet(6), _dirichlet(6)) for _ in range(4)]
_sparse = [(_dirichlet(5, 0.3), _dirichlet(5, 0.3)) for _ in range(3)]
_grid = np.linspace(-10, 10, 1001)
_skewed = 2.0 * (0.35 * _gaussian_on_grid(-2.0, 0.6, _grid) + 0.65 * _gaussian_on_grid(1.5, 0.7, _grid))
_n = 6
_A = 1 - np.abs(np.arange(_n)[:, None] - np.arange(_n)[None, :]) / (_n - 1)
_samples = _rng.normal(-0.5, 1.5, 40)
_small_grid = np.linspace(-6, 6, 481)
_points = np.sort(_rng.uniform(-4.0, 6.0, 12))
_far_left = 0.65 * _gaussian_on_grid(-4.2, 0.5, _grid) + 0.35 * _gaussian_on_grid(1.2, 0.6, _grid)
# closed forms and exact answers: 1e-6 absolute plus 1e-6 relative, as in the notebook
_EXACT = {"tolerance": 1e-6, "rtol": 1e-6}

CHECKS = {
    "test_kl_divergence": Check(
        calls=[
            *[Call("kl_divergence", p, q) for p, q in _pairs],
            Call("kl_divergence", _pairs[0][1], _pairs[0][0]),
            Call("kl_divergence", [0.6, 0.4, 0.0], [0.2, 0.3, 0.5]),
            Call("kl_divergence", (0.3, 0.3, 0.4), [0.5, 0.5, 0.0]),
            Call("kl_divergence", [0.5, 0.5], [0.2, 0.3, 0.5], raises="ValueError"),
            Call("kl_divergence", [0.7, 0.7], [0.5, 0.5], raises="ValueError"),
            Call("kl_divergence", [1.1, -0.1], [0.5, 0.5], raises="ValueError"),
        ],
        reference={"kl_divergence": _kl},
        **_EXACT,
    ),
    "test_js_divergence": Check(
        calls=[
            *[Call("js_divergence", p, q) for p, q in _pairs + _sparse],
            Call("js_divergence", [0.6, 0.4, 0.0, 0.0], [0.0, 0.0, 0.3, 0.7]),
            Call("js_divergence", [0.5, 0.5], [0.6, 0.6], raises="ValueError"),
        ],
        reference={"js_divergence": _js},
        **_EXACT,
    ),
    "test_minkowski_distance": Check(
        calls=[
            *[Call("minkowski_distance", Array(_rng.random(7)), Array(_rng.random(7)), r)
              for r in (1, 1.25, 2, 4)],
            Call("minkowski_distance", [0.0, 1.0], [0.0, 1.0, 0.0], 2, raises="ValueError"),
            Call("minkowski_distance", [1.0, 0.0], [0.0, 1.0], 0.5, raises="ValueError"),
        ],
        reference={"minkowski_distance": _minkowski},
        **_EXACT,
    ),
    "test_histogram_intersection": Check(
        calls=[
            *[Call("histogram_intersection", Array(_rng.random(5) * 2), Array(_rng.random(5) * 3))
              for _ in range(3)],
            Call("histogram_intersection", [3.0, 1.0], [1.0, 2.0]),
            Call("histogram_intersection", [1.0, 0.0], [0.0, 0.0], raises="ValueError"),
        ],
        reference={"histogram_intersection": _intersection},
        **_EXACT,
    ),
    "test_chi2_distance": Check(
        calls=[
            *[Call("chi2_distance", p, q) for p, q in _pairs[:3]],
            Call("chi2_distance", [0.3, 0.0, 0.7], [0.6, 0.0, 0.4]),
            Call("chi2_distance", [0.1, 0.9], [0.7, 0.3]),
            Call("chi2_distance", [1.0, 0.0], [1.0, 0.0, 0.0], raises="ValueError"),
        ],
        reference={"chi2_distance": _chi2},
        **_EXACT,
    ),
    "test_quadratic_form_distance": Check(
        calls=[
            *[Call("quadratic_form_distance", p, q, Array(_A)) for p, q in _pairs[:3]],
            Call("quadratic_form_distance", [0.6, 0.4], [0.1, 0.9], Array([[3.0, 1.0], [0.0, 1.0]])),
            Call("quadratic_form_distance", [1.0, 0.0], [0.0, 1.0], Array(np.eye(3)), raises="ValueError"),
            Call("quadratic_form_distance", [0.9, 0.1], [0.2, 0.8], Array([[1.0, 3.0], [3.0, 1.0]]), raises="ValueError"),
            # a form in [-1e-12, 0) is a rounding error: distance 0
            Call("quadratic_form_distance", [1.0, 1.0], [0.5, 0.5], Array(np.array([[1.0, -1.0], [-1.0, 1.0]]) - 1e-14 * np.eye(2))),
        ],
        reference={"quadratic_form_distance": _quadratic},
        **_EXACT,
    ),
    "test_cdf_distances": Check(
        calls=[
            *[Call("cdf_distances", p, q) for p, q in _pairs + _sparse],
            Call("cdf_distances", [0.0, 0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 1.0]),
            Call("cdf_distances", (0.25, 0.25, 0.5), [0.5, 0.0, 0.5]),
            Call("cdf_distances", [0.5, 0.5], [0.2, 0.3, 0.5], raises="ValueError"),
            Call("cdf_distances", [0.7, 0.7], [0.5, 0.5], raises="ValueError"),
            Call("cdf_distances", [0.5, 0.5], [1.1, -0.1], raises="ValueError"),
        ],
        reference={"cdf_distances": _cdf_distances},
        **_EXACT,
    ),
    "test_fit_gaussian": Check(
        calls=[
            # three fits only: each runs thousands of KL evaluations in the student's kernel
            Call("fit_gaussian", Array(_skewed), Array(_grid), "forward"),
            Call("fit_gaussian", Array(_far_left), Array(_grid), "reverse"),     # the heavier mode is global
            Call("fit_gaussian", Array(_gaussian_on_grid(1.1, 0.7, _small_grid)), Array(_small_grid), "reverse"),
            Call("fit_gaussian", Array(_skewed), Array(_grid), "sideways", raises="ValueError"),
        ],
        reference={"fit_gaussian": _fit},
        tolerance=0.02,
    ),
    "test_forward_kl_gaussian_fit": Check(
        calls=[
            Call("forward_kl_gaussian_fit", Array(_rng.random(12) * 3), Array(_points)),
            Call("forward_kl_gaussian_fit", Array(_skewed), Array(_grid)),
            Call("forward_kl_gaussian_fit", [0.2, 0.0, 0.5, 0.3], (5.0, -1.0, 2.5, 0.5)),
            Call("forward_kl_gaussian_fit", [1.0, 1.0], [0.0, 1.0, 2.0], raises="ValueError"),
            Call("forward_kl_gaussian_fit", [0.5, -0.5, 1.0], [0.0, 1.0, 2.0], raises="ValueError"),
            Call("forward_kl_gaussian_fit", [0.0, 0.0], [0.0, 1.0], raises="ValueError"),
        ],
        reference={"forward_kl_gaussian_fit": _moments},
        **_EXACT,
    ),
    "test_gaussian_nll": Check(
        calls=[
            Call("gaussian_nll", 0.3, 1.7, Array(_samples)),
            Call("gaussian_nll", -1.0, 0.5, Array(_samples[:7])),
            Call("gaussian_nll", 0.0, 2.0, [1.0, 1.0, 1.0, 1.0]),
            Call("gaussian_nll", 0.0, -2.0, [1.0], raises="ValueError"),
        ],
        reference={"gaussian_nll": _nll},
        **_EXACT,
    ),
    "test_disjoint_support_divergences": Check(
        calls=[Call("disjoint_support_divergences", s) for s in (0.0, 0.4, 2.5, 6.0)]
        + [Call("disjoint_support_divergences", 8.5, raises="ValueError")],
        reference={"disjoint_support_divergences": _disjoint},
        tolerance={"kl": 1e-6, "jsd": 0.02, "emd": 0.02},
    ),
}
