"""Out-of-kernel checks for lecture 03 (mode collapse): one entry per graded cell.

The inputs below are sent to the kernel; the reference functions and the expected values are
not (see autograder/verify.py). Keep this file as private as solutions/.

``dirac_gan_field`` and ``simulate_dirac_gan`` are probed through helpers defined in ``_SETUP``
(instructor code, run both in the kernel and here, called as ``Call("setup.NAME", ...)``): they
build float64 tensors, call the student's function (from the kernel's ``__main__``) and return
plain values (arrays, dtype names). As in the hidden test, ``simulate_dirac_gan`` is graded on
its own: while it runs, ``dirac_gan_field`` is a made-up stand-in field (not the Dirac-GAN's, so
no answer to another exercise enters the kernel). Here the same helpers run with ``fn=`` a
reference implementation.

Tolerances follow the hidden tests of the notebook, never stricter.
"""

import math

import numpy as np
import torch

from verify import Array, Call, Check, Name

_SETUP = r'''
import numpy as np
import torch


def _student(name):
    import __main__
    return getattr(__main__, name)


def on_own(name, *args):
    """The student's `name` called with gdl.metrics (the course's own version) switched off."""
    import __main__
    from gdl.guards import switched_off
    with switched_off("gdl.metrics", vars(__main__),
                      why="write this yourself: do not call gdl.metrics (the course's own version)"):
        return getattr(__main__, name)(*args)


def _tensor(v):
    return torch.tensor(v, dtype=torch.float64) if isinstance(v, list) else v


def field_probe(theta, psi, method, reg=None, fn=None):
    """The student's field as flat float64 arrays, with its shape and length; for tensor
    inputs (lists here) also the dtypes. Python-float inputs give "scalar" keys: the hidden
    test checks those loosely (np.allclose), so their tolerance is looser too."""
    fn = fn or _student("dirac_gan_field")
    tensors = isinstance(theta, list) or isinstance(psi, list)
    args = (_tensor(theta), _tensor(psi), method)
    out = fn(*args) if reg is None else fn(*args, reg=reg)
    suffix = "" if tensors else "_scalar"
    result = {"length": len(out),
              "shape": [int(s) for s in torch.as_tensor(out[0]).shape],
              "d_theta" + suffix: torch.as_tensor(out[0]).double().reshape(-1),
              "d_psi" + suffix: torch.as_tensor(out[1]).double().reshape(-1)}
    if tensors:
        result["dtypes"] = [str(getattr(v, "dtype", type(v).__name__)) for v in out]
    return result


_STANDIN = {"gan": (0.6, -0.4), "ns_gan": (0.9, -0.2), "wgan_gp": (1.1, -1.3), "r1": (0.3, -0.8)}


def standin_field(theta, psi, method, reg=1.0):
    """A made-up field (not the Dirac-GAN's) that stands in for the student's while their
    simulate_dirac_gan runs: two 0-dim float64 tensors, depending on method and reg."""
    if method not in _STANDIN:
        raise ValueError(method)
    a, b = _STANDIN[method]
    theta, psi = float(theta), float(psi)
    out = a * psi - 0.15 * reg * theta, b * theta - 0.25 * reg * psi + 0.04 * theta * psi
    return tuple(torch.tensor(float(v), dtype=torch.float64) for v in out)


def simulate_probe(method, theta0, psi0, lr, n_steps, update, reg, fn=None):
    """The student's trajectory, computed with the stand-in field."""
    import __main__
    if fn is not None:
        return fn(method, theta0, psi0, lr, n_steps, update=update, reg=reg)
    missing = object()
    saved = getattr(__main__, "dirac_gan_field", missing)
    __main__.dirac_gan_field = standin_field
    try:
        path = __main__.simulate_dirac_gan(method, theta0, psi0, lr, n_steps, update=update, reg=reg)
    finally:
        if saved is missing:
            del __main__.dirac_gan_field
        else:
            __main__.dirac_gan_field = saved
    return path


empty_samples = np.zeros((0, 2))


_JACOBIAN_FIELDS = {  # made-up fields (not the Dirac-GAN's) with non-symmetric Jacobians
    "trig": lambda t, p: (torch.sin(t) * p + 0.3 * t, torch.cos(p) * t - p ** 3),
    "logistic": lambda t, p: (torch.sigmoid(p * t) * p, -torch.sigmoid(p * t) * t - 0.7 * p),
    "kink": lambda t, p: (p.clone(), -t - 1.2 * (p.abs() - 0.4) * torch.sign(p)),
    "linear": lambda t, p: (1.5 * p - 0.2 * t, -0.5 * t + 0 * p),
}


def jacobian_probe(name, theta, psi, fn=None):
    """The student's Jacobian of a made-up field, as a float64 array, with its shape and dtype."""
    fn = fn or _student("field_jacobian")
    out = fn(_JACOBIAN_FIELDS[name], theta, psi)
    return {"shape": [int(s) for s in torch.as_tensor(out).shape],
            "dtype": str(getattr(out, "dtype", type(out).__name__)),
            "jacobian": torch.as_tensor(out).double().reshape(-1)}
'''

_S: dict = {}
exec(_SETUP, _S)

_rng = np.random.default_rng(2003)


# -- references (never sent to the kernel) ---------------------------------------------------
def _nearest(samples, centers, std):
    samples = np.asarray(samples, dtype=np.float64)
    centers = np.asarray(centers, dtype=np.float64)
    distances = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=2)
    nearest = distances.argmin(1)
    return nearest, distances.min(1) <= 3 * std


def _ref_mode_coverage(samples, centers, std):
    nearest, high = _nearest(samples, centers, std)
    return int(len(np.unique(nearest[high]))), float(np.mean(high))


def _ref_mode_kl(samples, centers, std):
    nearest, high = _nearest(samples, centers, std)
    if not high.any():
        return math.inf
    k = len(np.asarray(centers))
    p = np.bincount(nearest[high], minlength=k) / high.sum()
    used = p > 0
    return float(np.sum(p[used] * np.log(p[used] * k)))


def _ref_field(theta, psi, method, reg=1.0):
    theta, psi = torch.broadcast_tensors(torch.as_tensor(theta, dtype=torch.float64),
                                         torch.as_tensor(psi, dtype=torch.float64))
    s = torch.sigmoid(psi * theta)
    if method == "gan":
        return s * psi, -s * theta
    if method == "ns_gan":
        return torch.sigmoid(-psi * theta) * psi, -s * theta
    if method == "wgan_gp":
        return psi.clone(), -theta - 2 * reg * (psi.abs() - 1) * torch.sign(psi)
    if method == "r1":
        return s * psi, -s * theta - reg * psi
    raise ValueError(method)


def _ref_simulate(method, theta0, psi0, lr, n_steps, update="simultaneous", reg=1.0):
    """The reference scheme, with the same stand-in field as the probe."""
    field = _S["standin_field"]
    if update not in ("simultaneous", "alternating"):
        raise ValueError(update)
    theta, psi = float(theta0), float(psi0)
    path = [(theta, psi)]
    for _ in range(n_steps):
        if update == "simultaneous":
            d_theta, d_psi = (float(v) for v in field(theta, psi, method, reg))
            theta, psi = theta + lr * d_theta, psi + lr * d_psi
        else:
            psi = psi + lr * float(field(theta, psi, method, reg)[1])
            theta = theta + lr * float(field(theta, psi, method, reg)[0])
        path.append((theta, psi))
    return np.array(path)


def _ref_jacobian(field, theta, psi):
    point = torch.tensor([float(theta), float(psi)], dtype=torch.float64)
    return torch.autograd.functional.jacobian(lambda x: torch.stack(field(x[0], x[1])), point)


# -- probe inputs -----------------------------------------------------------------------------
def _away_from_the_threshold(points, centers, std, factors=(1.0, 2.0)):
    """Drop random samples within 2% of a 3 std threshold (ties between float32 and float64)."""
    distances = np.linalg.norm(points[:, None] - centers[None], axis=2).min(1)
    keep = np.ones(len(points), bool)
    for factor in factors:
        keep &= np.abs(distances - 3 * std * factor) > 0.02 * 3 * std * factor
    return points[keep]


_ring = 2.0 * np.array([[math.cos(2 * math.pi * k / 8), math.sin(2 * math.pi * k / 8)] for k in range(8)])
_STD = 0.02
_u = np.array([0.6, 0.8])
_v = np.array([-0.8, 0.6])
# mode 0: 2.5 std; mode 1: only 3.4 std (not covered); mode 2: 2.95 std; mode 3: 1.5 and 2.2
# std; mode 5: 3.3 std; mode 6: 5 std; and samples far from every mode.
_designed = np.stack([
    _ring[0] + 2.5 * _STD * _u, _ring[1] + 3.4 * _STD * _v, _ring[2] - 2.95 * _STD * _v,
    _ring[3] + 1.5 * _STD * _u, _ring[3] - 2.2 * _STD * _v, _ring[5] + 3.3 * _STD * _u,
    _ring[6] - 5.0 * _STD * _u, [0.0, 0.0], [3.0, 3.0], [0.5, -0.2], [-1.0, 1.1],
])
_which = _rng.choice([1, 4, 6], size=700, p=[0.5, 0.3, 0.2])
_clustered = _away_from_the_threshold(_ring[_which] + _rng.normal(0, 1.2 * _STD, (700, 2)), _ring, _STD,
                                      factors=(0.5, 1.0, 2.0))
_grid = np.array([[x, y] for x in range(-4, 5, 2) for y in range(-4, 5, 2)], dtype=float)
_GRID_STD = 0.05
_grid_samples = _away_from_the_threshold(np.concatenate([
    _grid[_rng.choice([0, 3, 7, 12, 13, 20, 24], size=300)] + _rng.normal(0, 1.3 * _GRID_STD, (300, 2)),
    _rng.uniform(-5, 5, (60, 2)),
]), _grid, _GRID_STD)
_kl_centers = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0], [4.0, 4.0], [-2.0, 3.0]])
# high quality on modes 0 (x4), 1 (x1), 2 (x2); low quality near modes 3, 4 and 5
_kl_samples = np.concatenate([_kl_centers[[0, 0, 0, 0, 1, 2, 2]] + 0.04, _kl_centers[[3, 3, 4, 5, 5]] + 0.3])
_kl_counts = _rng.integers(1, 15, 6)
_kl_random = np.concatenate([np.repeat(_kl_centers[[k]], c, axis=0) for k, c in enumerate(_kl_counts)])

_theta = _rng.normal(0, 1.5, (3, 4))
_psi = _rng.normal(0, 1.5, (3, 4))

CHECKS = {
    "test_mode_coverage": Check(
        calls=[
            Call("setup.on_own", "mode_coverage", Array(_designed), Array(_ring), _STD),
            Call("setup.on_own", "mode_coverage", Array(_designed), Array(_ring), 2 * _STD),
            Call("setup.on_own", "mode_coverage", Name("designed32"), Name("ring32"), _STD),
            Call("setup.on_own", "mode_coverage", Array(_clustered), Array(_ring), _STD),
            Call("setup.on_own", "mode_coverage", Array(_clustered), Array(_ring), 0.5 * _STD),
            Call("setup.on_own", "mode_coverage", Array(_grid_samples), Array(_grid), _GRID_STD),
            Call("setup.on_own", "mode_coverage", Array(_designed[:1]), Array(_ring), _STD),
            Call("setup.on_own", "mode_coverage", Array(_designed), Array(_ring), 0.0, raises="ValueError"),
            Call("setup.on_own", "mode_coverage", Array(_designed), Array(_ring[:, :1]), _STD, raises="ValueError"),
            Call("setup.on_own", "mode_coverage", Name("empty_samples"), Array(_ring), _STD, raises="ValueError"),
            Call("setup.on_own", "mode_coverage", Array(_designed), Array(_ring), -_STD, raises="ValueError"),
            Call("setup.on_own", "mode_coverage", Array(_designed[0]), Array(_ring), _STD, raises="ValueError"),
        ],
        reference={"setup.on_own": lambda name, *args: _ref_mode_coverage(*args)},
        # as the notebook: 1e-6 (a fraction computed with float32 arithmetic keeps full marks;
        # one sample in 2,500 is 4e-4); counts compare by value, whatever their type
        tolerance=1e-6,
        setup=_SETUP + f"\ndesigned32 = torch.tensor({_designed.tolist()!r})\nring32 = torch.tensor({_ring.tolist()!r})\n",
    ),
    "test_mode_kl": Check(
        calls=[
            Call("setup.on_own", "mode_kl", Array(_kl_samples), Array(_kl_centers), 0.05),
            Call("setup.on_own", "mode_kl", Name("kl_samples32"), Name("kl_centers32"), 0.05),
            Call("setup.on_own", "mode_kl", Array(_kl_random), Array(_kl_centers), 0.05),
            Call("setup.on_own", "mode_kl", Array(_kl_centers + 0.5), Array(_kl_centers), 0.05),
            Call("setup.on_own", "mode_kl", Array(np.repeat(_kl_centers, 3, axis=0)), Array(_kl_centers), 0.05),
            Call("setup.on_own", "mode_kl", Array(_kl_centers[[2, 2, 2]]), Array(_kl_centers), 0.05),
            Call("setup.on_own", "mode_kl", Array(_clustered), Array(_ring), _STD),
            Call("setup.on_own", "mode_kl", Array(_grid_samples), Array(_grid), _GRID_STD),
            Call("setup.on_own", "mode_kl", Array(_kl_samples), Array(_kl_centers), 0.0, raises="ValueError"),
            Call("setup.on_own", "mode_kl", Array(_kl_samples), Array(_kl_centers), -0.05, raises="ValueError"),
            Call("setup.on_own", "mode_kl", Array(_kl_samples), Array(_kl_centers[:, :1]), 0.05, raises="ValueError"),
            Call("setup.on_own", "mode_kl", Name("empty_samples"), Array(_ring), _STD, raises="ValueError"),
            Call("setup.on_own", "mode_kl", Array(_kl_samples[0]), Array(_kl_centers), 0.05, raises="ValueError"),
        ],
        reference={"setup.on_own": lambda name, *args: _ref_mode_kl(*args)},
        # as the notebook: 1e-6 (float32 arithmetic keeps full marks)
        tolerance=1e-6,
        setup=_SETUP + f"\nkl_samples32 = torch.tensor({_kl_samples.tolist()!r})"
                       f"\nkl_centers32 = torch.tensor({_kl_centers.tolist()!r})\n",
    ),
    "test_dirac_gan_field": Check(
        calls=[
            *[Call("setup.field_probe", _theta.tolist(), _psi.tolist(), method, reg)
              for method in ("gan", "ns_gan", "wgan_gp", "r1") for reg in (0.4, 1.7)],
            *[Call("setup.field_probe", 0.7, -1.3, method) for method in ("gan", "ns_gan", "wgan_gp", "r1")],
            Call("setup.field_probe", [[-1.0], [0.5], [1.5]], [[-2.0, -0.5, 0.3, 1.2]], "r1", 0.8),
            Call("setup.field_probe", [[-1.0], [0.5], [1.5]], [[-2.0, -0.5, 0.3, 1.2]], "wgan_gp"),
            Call("setup.field_probe", 0.3, 0.2, "wgan", raises="ValueError"),
        ],
        reference={"setup.field_probe": lambda theta, psi, method, reg=None: _S["field_probe"](
            theta, psi, method, reg, fn=_ref_field)},
        # the notebook compares with values given to 12 decimals: 1e-9
        tolerance={"d_theta_scalar": 1e-5, "d_psi_scalar": 1e-5, "*": 1e-9},
        setup=_SETUP,
    ),
    "test_simulate_dirac_gan": Check(
        calls=[
            *[Call("setup.simulate_probe", method, -0.6, 0.9, 0.15, 25, update, reg)
              for method, update, reg in (("gan", "simultaneous", 1.0), ("gan", "alternating", 1.0),
                                          ("ns_gan", "simultaneous", 1.0), ("ns_gan", "alternating", 1.0),
                                          ("wgan_gp", "alternating", 0.7), ("wgan_gp", "simultaneous", 1.5),
                                          ("r1", "alternating", 0.6), ("r1", "simultaneous", 2.5))],
            Call("setup.simulate_probe", "r1", 1.2, 0.4, 0.05, 1, "alternating", 1.0),
            Call("setup.simulate_probe", "gan", 0.5, -0.5, 0.1, 0, "simultaneous", 1.0),
            Call("setup.simulate_probe", "gan", 1.0, 1.0, 0.1, 3, "gauss_seidel", 1.0, raises="ValueError"),
        ],
        reference={"setup.simulate_probe": lambda *args: _S["simulate_probe"](*args, fn=_ref_simulate)},
        tolerance=1e-9,
        setup=_SETUP,
    ),
    "test_field_jacobian": Check(
        calls=[
            Call("setup.jacobian_probe", "trig", 0.6, -0.9),
            Call("setup.jacobian_probe", "trig", -1.3, 0.4),
            Call("setup.jacobian_probe", "logistic", 0.0, 0.0),
            Call("setup.jacobian_probe", "logistic", 1.1, -0.7),
            Call("setup.jacobian_probe", "kink", 0.8, 0.5),
            Call("setup.jacobian_probe", "kink", 0.8, -0.5),
            Call("setup.jacobian_probe", "linear", 2.0, 3.0),
        ],
        reference={"setup.jacobian_probe": lambda name, theta, psi: _S["jacobian_probe"](
            name, theta, psi, fn=_ref_jacobian)},
        # as the notebook: 1e-6
        tolerance=1e-6,
        setup=_SETUP,
    ),
}
