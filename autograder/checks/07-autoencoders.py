"""Out-of-kernel checks for lecture 07 (autoencoders, VAE, Siamese networks): one per graded cell.

The inputs and the ``_SETUP`` helpers are sent to the kernel; the references and expected values
are not (see autograder/verify.py). Keep this file as private as solutions/. Tolerances equal
the notebook's tests, never stricter.

Answers that are not unique are reduced, in ``_SETUP``, to what every correct answer shares:
- pca_subspace: the basis is free up to rotation, so the helper returns the projector U U^T and U^T U;
- corrupt: random by nature, so the helper returns statistics of the noise, what is kept, and
  whether the same generator seed gives the same result;
- make_pairs: random, so the helper returns counts and properties of the pairs (including
  whether at least half of the samples take part, which random pairs do with near certainty);
- contractive_penalty: the helper builds a tanh or linear encoder from the given weights and
  returns the penalty and its gradients with respect to those weights.
Tensor-valued exercises are called through ``tensor_call``, which turns the probe's float64
arrays into tensors (bool arrays stay bool) and the result back into plain values.
"""

import numpy as np
import torch

from verify import Array, Call, Check

_rng = np.random.default_rng(7070)

_SETUP = r'''
import numpy as _np
import torch as _torch


def _student(name):
    import __main__
    return getattr(__main__, name)


def _plain(value):
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    array = _np.asarray(value, dtype=float)
    return float(array) if array.ndim == 0 else array


def _tensor(value):
    if isinstance(value, _np.ndarray):
        return _torch.from_numpy(value.copy())
    return value


def tensor_call(name, *args, **kwargs):
    """The student's function on tensors (float64, or bool), its result as plain values."""
    return _plain(_student(name)(*[_tensor(a) for a in args], **kwargs))


def run_array(name, *args, **kwargs):
    """The student's function on NumPy arrays, its result as a float64 array."""
    return _plain(_student(name)(*args, **kwargs))


def pca_projector(X, k, as_tensor=False):
    U = _np.asarray(_plain(_student("pca_subspace")(_tensor(X) if as_tensor else X, k)), dtype=float)
    return {"projector": U @ U.T, "gram": U.T @ U}


def angles(A, B, as_tensor=False):
    if as_tensor:
        A, B = _tensor(A), _tensor(B)
    return _np.asarray(_plain(_student("principal_angles")(A, B)), dtype=float).reshape(-1)


def _input(shape, seed):
    return _torch.rand(*shape, generator=_torch.Generator().manual_seed(seed), dtype=_torch.float64) + 0.1


def mask_summary(level, shape, seed):
    corrupt = _student("corrupt")
    x = _input(shape, seed)
    copy = x.clone()
    _torch.manual_seed(seed + 1)
    out = corrupt(x, "mask", level, _torch.Generator().manual_seed(seed))
    _torch.manual_seed(seed + 2)
    again = corrupt(x, "mask", level, _torch.Generator().manual_seed(seed))
    out_plain, again_plain = _plain(out), _plain(again)
    kept = out_plain != 0
    return {"shape": [int(s) for s in out_plain.shape],
            "zero_fraction": float((out_plain == 0).mean()),
            "kept_max_change": float(_np.abs(out_plain[kept] - x.numpy()[kept]).max()) if kept.any() else 0.0,
            "repeatable": bool(_np.array_equal(out_plain, again_plain)),
            "x_unchanged": bool(_torch.equal(x, copy))}


def gaussian_summary(level, shape, seed):
    corrupt = _student("corrupt")
    x = _input(shape, seed)
    copy = x.clone()
    _torch.manual_seed(seed + 1)
    out = corrupt(x, "gaussian", level, _torch.Generator().manual_seed(seed))
    _torch.manual_seed(seed + 2)
    again = corrupt(x, "gaussian", level, _torch.Generator().manual_seed(seed))
    noise = _plain(out) - x.numpy()
    return {"shape": [int(s) for s in noise.shape],
            "relative_std": float(noise.std() / level),
            "relative_mean": float(noise.mean() / level),
            "repeatable": bool(_np.array_equal(_plain(out), _plain(again))),
            "x_unchanged": bool(_torch.equal(x, copy))}


def bad_kind(kind):
    return _plain(_student("corrupt")(_torch.ones(3, 2), kind, 0.2, _torch.Generator().manual_seed(0)))


def tanh_penalty(W, b, x):
    W = _torch.tensor(W, dtype=_torch.float64, requires_grad=True)
    b = _torch.tensor(b, dtype=_torch.float64, requires_grad=True)
    x = _torch.tensor(x, dtype=_torch.float64)
    value = _student("contractive_penalty")(lambda v: _torch.tanh(v.reshape(v.shape[0], -1) @ W.T + b), x)
    value.backward()
    return {"value": float(value.detach()), "grad_W": _plain(W.grad), "grad_b": _plain(b.grad)}


def linear_penalty(W, x_shape):
    W = _torch.tensor(W, dtype=_torch.float64, requires_grad=True)
    x = _torch.rand(*x_shape, generator=_torch.Generator().manual_seed(1), dtype=_torch.float64)
    value = _student("contractive_penalty")(lambda v: v.reshape(v.shape[0], -1) @ W.T + 1.0, x)
    value.backward()
    return {"value": float(value.detach()), "grad_W": _plain(W.grad)}


def pairs_summary(labels, n_similar, ratio, seed):
    labels = _torch.tensor(labels, dtype=_torch.long)
    make_pairs = _student("make_pairs")
    _torch.manual_seed(seed + 1)
    pairs, same = make_pairs(labels, n_similar, ratio, _torch.Generator().manual_seed(seed))
    _torch.manual_seed(seed + 2)
    again, _ = make_pairs(labels, n_similar, ratio, _torch.Generator().manual_seed(seed))
    pairs, same, again = (_torch.as_tensor(t).cpu() for t in (pairs, same, again))
    pairs, same = pairs.long(), same.bool()
    inside = bool(((pairs >= 0) & (pairs < len(labels))).all())
    flags = labels[pairs.clamp(0, len(labels) - 1)]
    return {"shape": [int(s) for s in pairs.shape],
            "n_same": int(same.sum()),
            "flags_agree": bool(inside and _torch.equal(same.reshape(-1), flags[:, 0] == flags[:, 1])),
            "self_pairs": int((pairs[:, 0] == pairs[:, 1]).sum()),
            "in_range": inside,
            "repeatable": bool(_torch.equal(_torch.as_tensor(again).long(), pairs)),
            "varied": bool(len(_torch.unique(pairs)) >= 0.5 * len(labels))}
'''


# -- references (never sent to the kernel) ---------------------------------------------------
def _pca(X, k):
    X = np.asarray(X, float)
    _, _, vt = np.linalg.svd(X - X.mean(0), full_matrices=False)
    U = vt[:k].T
    return U


def _pca_projector(X, k, as_tensor=False):
    U = _pca(X, k)
    return {"projector": U @ U.T, "gram": np.eye(k)}


def _angles(A, B, as_tensor=False):
    qa, _ = np.linalg.qr(np.asarray(A, float))
    qb, _ = np.linalg.qr(np.asarray(B, float))
    return np.sort(np.arccos(np.clip(np.linalg.svd(qa.T @ qb, compute_uv=False), -1, 1)))


def _mask_summary(level, shape, seed):
    return {"shape": list(shape), "zero_fraction": level, "kept_max_change": 0.0, "repeatable": True,
            "x_unchanged": True}


def _gaussian_summary(level, shape, seed):
    return {"shape": list(shape), "relative_std": 1.0, "relative_mean": 0.0, "repeatable": True, "x_unchanged": True}


def _tanh_penalty(W, b, x):
    W = torch.tensor(np.asarray(W, float), requires_grad=True)
    b = torch.tensor(np.asarray(b, float), requires_grad=True)
    x = torch.tensor(np.asarray(x, float))
    h = torch.tanh(x.reshape(len(x), -1) @ W.T + b)
    value = ((1 - h ** 2) ** 2 * (W ** 2).sum(1)).sum(1).mean()
    value.backward()
    return {"value": float(value.detach()), "grad_W": W.grad.numpy(), "grad_b": b.grad.numpy()}


def _linear_penalty(W, x_shape):
    W = np.asarray(W, float)
    return {"value": float((W ** 2).sum()), "grad_W": 2 * W}


def _mda(X, p, ridge=1e-5):
    X = np.asarray(X, float)
    d, n = X.shape
    Xb = np.vstack([X, np.ones((1, n))])
    S = Xb @ Xb.T
    q = np.full(d + 1, 1 - p)
    q[-1] = 1
    EQ = S * np.outer(q, q)
    np.fill_diagonal(EQ, np.diag(S) * q)
    EP = S[:d] * q[None, :]
    return np.linalg.solve((EQ + ridge * np.eye(d + 1)).T, EP.T).T


def _kl(mu, logvar):
    mu, logvar = np.asarray(mu, float), np.asarray(logvar, float)
    return 0.5 * np.sum(np.exp(logvar) + mu ** 2 - 1 - logvar, axis=1)


def _vae_loss(x, logits, mu, logvar):
    n = len(x)
    x, logits = np.asarray(x, float).reshape(n, -1), np.asarray(logits, float).reshape(n, -1)
    bce = np.maximum(logits, 0) - logits * x + np.log1p(np.exp(-np.abs(logits)))
    return float(np.mean(bce.sum(1) + _kl(mu, logvar)))


def _siamese(e1, e2, same, margin):
    e1, e2 = np.asarray(e1, float), np.asarray(e2, float)
    cos = np.sum(e1 * e2, 1) / (np.linalg.norm(e1, axis=1) * np.linalg.norm(e2, axis=1))
    return float(np.mean(np.where(np.asarray(same).astype(bool), (1 - cos) ** 2 / 4,
                                  np.where(cos > margin, cos ** 2, 0.0))))


def _one_shot(q, s):
    q, s = np.asarray(q, float), np.asarray(s, float)
    q = q / np.linalg.norm(q, axis=1, keepdims=True)
    s = s / np.linalg.norm(s, axis=1, keepdims=True)
    return np.argmax(q @ s.T, axis=1).astype(float)


def _gram(f):
    f = np.asarray(f, float)
    n, c, h, w = f.shape
    flat = f.reshape(n, c, h * w)
    return flat @ flat.transpose(0, 2, 1) / (h * w)


def _pairs_summary(labels, n_similar, ratio, seed):
    return {"shape": [n_similar * (1 + ratio), 2], "n_same": n_similar, "flags_agree": True, "self_pairs": 0,
            "in_range": True, "repeatable": True, "varied": True}


_TENSOR_REFERENCES = {
    "reparameterize": lambda mu, logvar, eps: np.asarray(mu) + np.exp(np.asarray(logvar) / 2) * np.asarray(eps),
    "gaussian_kl": _kl,
    "vae_loss": _vae_loss,
    "siamese_cosine_loss": _siamese,
    "one_shot_predict": _one_shot,
    "gram_matrix": _gram,
}


def _tensor_call(name, *args, **kwargs):
    return _TENSOR_REFERENCES[name](*args, **kwargs)


def _tc(name, *args, raises=None, **kwargs):
    return Call("setup.tensor_call", name, *args, raises=raises, **kwargs)


# -- probe inputs -----------------------------------------------------------------------------
_pca_inputs = []
for _n, _d, _k in [(25, 6, 2), (12, 4, 1), (40, 8, 5), (9, 3, 3)]:
    _X = _rng.normal(size=(_n, _d)) @ np.diag(np.linspace(3, 0.5, _d)) @ np.linalg.qr(_rng.normal(size=(_d, _d)))[0]
    _pca_inputs.append((_X + _rng.normal(0, 15, _d), _k))

_angle_inputs = []
_e = np.eye(7)
_true = [0.05, 0.5, 1.0, 1.45]
_A = _e[:, :4]
_B = np.stack([np.cos(t) * _e[i] + np.sin(t) * _e[i + 3] if i < 3 else np.cos(t) * _e[3] + np.sin(t) * _e[6]
               for i, t in enumerate(_true)], axis=1)
_B[:, 3] = np.cos(_true[3]) * _e[3] + np.sin(_true[3]) * _e[6]
_angle_inputs.append((_A @ (_rng.normal(size=(4, 4)) + 2 * np.eye(4)), _B @ (_rng.normal(size=(4, 4)) + 2 * np.eye(4))))
for _p, _q in [(3, 2), (2, 5), (4, 4)]:
    _angle_inputs.append((_rng.normal(size=(9, _p)), _rng.normal(size=(9, _q))))

_tanh_inputs = [(_rng.normal(size=(3, 4)), _rng.normal(size=3), _rng.normal(size=(6, 4))),
                (_rng.normal(size=(2, 4)), _rng.normal(size=2), _rng.normal(size=(1, 4))),
                (_rng.normal(size=(4, 4)) * 0.5, _rng.normal(size=4), _rng.normal(size=(3, 1, 2, 2)))]

_mda_inputs = [(_rng.uniform(0, 1, (4, 7)), 0.2, {}), (_rng.uniform(0, 1, (6, 5)), 0.5, {"ridge": 0.3}),
               (_rng.uniform(0, 1, (3, 12)), 0.9, {"ridge": 1e-3}), (_rng.uniform(0, 1, (1, 3)), 0.0, {"ridge": 0.1})]

_kl_inputs = [(_rng.normal(size=(5, 3)), _rng.normal(0, 0.8, (5, 3))), (_rng.normal(size=(1, 7)), _rng.normal(size=(1, 7)))]
_vae_inputs = [(_rng.uniform(0, 1, (4, 6)), _rng.normal(0, 3, (4, 6)), _rng.normal(size=(4, 2)), _rng.normal(size=(4, 2))),
               (_rng.uniform(0, 1, (2, 1, 3, 3)), _rng.normal(0, 1, (2, 1, 3, 3)), _rng.normal(size=(2, 5)),
                _rng.normal(0, 0.3, (2, 5))),
               (np.array([[0.0, 1.0]]), np.array([[90.0, -70.0]]), np.zeros((1, 1)), np.zeros((1, 1)))]
_siamese_inputs = [(_rng.normal(size=(8, 3)) * 2, _rng.normal(size=(8, 3)), _rng.uniform(size=8) < 0.5, m)
                   for m in (-0.3, 0.0, 0.4, 0.9)]
_one_shot_inputs = [(_rng.normal(size=(12, 4)) * _rng.uniform(0.1, 6, (12, 1)), _rng.normal(size=(5, 4)) * _rng.uniform(0.1, 6, (5, 1)))
                    for _ in range(3)]
_gram_inputs = [_rng.normal(size=(3, 4, 3, 2)), _rng.normal(size=(1, 2, 5, 5)), _rng.normal(size=(2, 1, 1, 4))]
_pair_labels = [int(v) for v in [0] * 4 + [1] * 7 + [2] * 2 + [3] * 12 + [4] + [5] * 5]

CHECKS = {
    "test_pca_subspace": Check(
        calls=[*[Call("setup.pca_projector", Array(X), k) for X, k in _pca_inputs],
               Call("setup.pca_projector", Array(_pca_inputs[0][0]), 3, as_tensor=True),
               Call("setup.pca_projector", Array(_pca_inputs[0][0]), 0, raises="ValueError"),
               Call("setup.pca_projector", Array(_pca_inputs[0][0]), 7, raises="ValueError")],
        reference={"setup.pca_projector": _pca_projector},
        tolerance={"projector": 1e-5, "gram": 1e-6, "*": 1e-5},
        setup=_SETUP,
    ),
    "test_principal_angles": Check(
        calls=[*[Call("setup.angles", Array(A), Array(B)) for A, B in _angle_inputs],
               Call("setup.angles", Array(_angle_inputs[1][0]), Array(_angle_inputs[1][1]), as_tensor=True)],
        reference={"setup.angles": _angles},
        tolerance=1e-5,
        setup=_SETUP,
    ),
    "test_corrupt": Check(
        calls=[Call("setup.mask_summary", 0.35, [300, 1, 28, 28], 5),
               Call("setup.mask_summary", 0.8, [500, 500], 6),
               Call("setup.gaussian_summary", 0.15, [300, 1, 28, 28], 7),
               Call("setup.gaussian_summary", 1.5, [500, 500], 8),
               Call("setup.bad_kind", "uniform", raises="ValueError"),
               Call("setup.bad_kind", "MASK", raises="ValueError")],
        reference={"setup.mask_summary": _mask_summary, "setup.gaussian_summary": _gaussian_summary},
        tolerance={"zero_fraction": 0.01, "relative_std": 0.01, "relative_mean": 0.01, "*": 1e-12},
        setup=_SETUP,
    ),
    "test_contractive_penalty": Check(
        calls=[*[Call("setup.tanh_penalty", Array(W), Array(b), Array(x)) for W, b, x in _tanh_inputs],
               Call("setup.linear_penalty", Array(_rng.normal(size=(3, 4))), [5, 4]),
               Call("setup.linear_penalty", Array(_rng.normal(size=(2, 6))), [4, 1, 2, 3])],
        reference={"setup.tanh_penalty": _tanh_penalty, "setup.linear_penalty": _linear_penalty},
        tolerance=1e-6,
        rtol=1e-6,
        setup=_SETUP,
    ),
    "test_mda_weights": Check(
        calls=[Call("setup.run_array", "mda_weights", Array(X), p, **kw) for X, p, kw in _mda_inputs],
        reference={"setup.run_array": lambda name, *a, **k: _mda(*a, **k)},
        tolerance=1e-8,
        rtol=1e-6,
        setup=_SETUP,
    ),
    "test_reparameterize": Check(
        calls=[_tc("reparameterize", Array(_rng.normal(size=(4, 3))), Array(_rng.normal(size=(4, 3))),
                   Array(_rng.normal(size=(4, 3)))),
               _tc("reparameterize", Array([[0.5]]), Array([[2.0]]), Array([[-1.5]]))],
        reference={"setup.tensor_call": _tensor_call},
        tolerance=1e-9,
        setup=_SETUP,
    ),
    "test_gaussian_kl": Check(
        calls=[_tc("gaussian_kl", Array(mu), Array(lv)) for mu, lv in _kl_inputs],
        reference={"setup.tensor_call": _tensor_call},
        tolerance=1e-8,
        setup=_SETUP,
    ),
    "test_vae_loss": Check(
        calls=[_tc("vae_loss", *[Array(a) for a in args]) for args in _vae_inputs],
        reference={"setup.tensor_call": _tensor_call},
        tolerance=1e-6,
        rtol=1e-7,
        setup=_SETUP,
    ),
    "test_siamese_cosine_loss": Check(
        calls=[_tc("siamese_cosine_loss", Array(a), Array(b), Array(s, dtype="bool"), m) for a, b, s, m in _siamese_inputs],
        reference={"setup.tensor_call": _tensor_call},
        tolerance=1e-6,
        setup=_SETUP,
    ),
    "test_make_pairs": Check(
        calls=[Call("setup.pairs_summary", _pair_labels, 40, 3, 11), Call("setup.pairs_summary", _pair_labels, 7, 10, 12),
               Call("setup.pairs_summary", [0, 1, 1, 0, 2], 5, 2, 13)],
        reference={"setup.pairs_summary": _pairs_summary},
        tolerance=0,
        setup=_SETUP,
    ),
    "test_one_shot_predict": Check(
        calls=[_tc("one_shot_predict", Array(q), Array(s)) for q, s in _one_shot_inputs],
        reference={"setup.tensor_call": _tensor_call},
        tolerance=0,
        setup=_SETUP,
    ),
    "test_gram_matrix": Check(
        calls=[_tc("gram_matrix", Array(f)) for f in _gram_inputs],
        reference={"setup.tensor_call": _tensor_call},
        tolerance=1e-9,
        setup=_SETUP,
    ),
}
