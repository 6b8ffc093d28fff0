"""Out-of-kernel checks for lecture 02 (GAN): one entry per graded cell.

The inputs below are sent to the kernel; the reference functions and the expected values are
not (see autograder/verify.py). Keep this file as private as solutions/.

Functions that take or return torch objects are probed through helpers defined in ``_SETUP``
(instructor code, run both in the kernel and here, called as ``Call("setup.NAME", ...)``):
they build seeded inputs (small models, optimisers, tensors), call the student's function
(looked up in the kernel's ``__main__``) and return plain values: numbers, bools, arrays. Here
the same helpers run with ``fn=`` a reference implementation, so the plumbing is identical.
Every helper draws its randomness inside ``torch.random.fork_rng``: the kernel's global RNG
state (and so the rest of the notebook) is left as it was.

Tolerances follow the hidden tests of the notebook, never stricter.
"""

import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from verify import Array, Call, Check, Name

_SETUP = r'''
import math
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def _student(name):
    import __main__
    return getattr(__main__, name)


def _grads(tensors):
    return [t.grad.detach().double().cpu().numpy() if t.grad is not None else None for t in tensors]


def tensor_call(name, tensors, extra=(), dtype="float32", grad=True, label="value", fn=None):
    """fn(*tensors, *extra) -> its type, ndim and value; with grad, d out / d each tensor."""
    fn = fn or _student(name)
    inputs = [torch.tensor(t, dtype=getattr(torch, dtype), requires_grad=grad) for t in tensors]
    out = fn(*inputs, *extra)
    result = {"is_tensor": isinstance(out, torch.Tensor),
              "ndim": int(out.ndim) if isinstance(out, torch.Tensor) else -1,
              label: float(out.detach() if isinstance(out, torch.Tensor) else out)}
    if grad:
        out.backward()
        result["grads"] = _grads(inputs)
    return result


# -- FGSM: a seeded small convolutional classifier, images with pixels at 0 and 1 ------------
def _fgsm_inputs():
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(31)
        model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.Tanh(), nn.Flatten(), nn.Linear(50, 4))
        x = torch.rand(8, 1, 5, 5)
        x[0, 0, 0] = 0.0
        x[1, 0, 0] = 1.0
        x[2, 0, :, 0] = 0.02
        x[3, 0, :, 4] = 0.97
        y = torch.tensor([0, 1, 2, 3, 3, 2, 1, 0])
    return model, x, y


def fgsm_probe(eps, training=False, fn=None):
    fn = fn or _student("fgsm")
    model, x, y = _fgsm_inputs()
    model.train(training)
    x_before = x.clone()
    params_before = [p.detach().clone() for p in model.parameters()]
    adv = fn(model, x, y, eps)
    return {"adv": adv.detach().double(),
            "detached": not adv.requires_grad,
            "x_unchanged": bool(torch.equal(x, x_before)),
            "mode_unchanged": model.training is training,
            "model_unchanged": all(torch.equal(a, b) for a, b in zip(params_before, model.parameters()))}


# -- Algorithm 1: a generator whose every sample is one learnable point (fakes do not depend
# on the noise drawn), a small D, plain SGD that counts its steps ---------------------------
class PointGenerator(nn.Module):
    def __init__(self, z_dim):
        super().__init__()
        self.point = nn.Parameter(torch.tensor([0.3, -0.7]))
        self.z_dim = z_dim
        self.backward_passes = 0

    def forward(self, z):
        if tuple(z.shape[1:]) != (self.z_dim,):
            raise ValueError(f"z must have shape (N, z_dim), got {tuple(z.shape)}")
        out = self.point.unsqueeze(0).repeat(z.shape[0], 1)
        if out.requires_grad:
            out.register_hook(self._count)
        return out

    def _count(self, grad):
        self.backward_passes += 1


class CountingSGD(torch.optim.SGD):
    def __init__(self, params, lr):
        super().__init__(params, lr=lr)
        self.steps = 0

    def step(self, closure=None):
        self.steps += 1
        return super().step(closure)


def training_probe(d_steps, calls, fn=None):
    """Per call: the returned losses, G's point and D's parameters after it, counters."""
    fn = fn or _student("gan_training_step")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(29)
        G = PointGenerator(z_dim=3)
        D = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
        real = torch.randn(12, 2) * 0.8 + torch.tensor([0.5, 0.2])
        opt_G, opt_D = CountingSGD(G.parameters(), lr=0.1), CountingSGD(D.parameters(), lr=0.1)
        out = []
        for _ in range(calls):
            passes = G.backward_passes
            d_loss, g_loss = fn(G, D, opt_G, opt_D, real, 3, d_steps)
            out.append({
                "d_loss": d_loss, "g_loss": g_loss,
                "graph_attached": any(getattr(v, "requires_grad", False) for v in (d_loss, g_loss)),
                "g_backward_passes": G.backward_passes - passes,
                "d_steps_taken": opt_D.steps, "g_steps_taken": opt_G.steps,
                "point": G.point.detach().double().clone(),
                "d_parameters": torch.cat([p.detach().double().reshape(-1) for p in D.parameters()]),
            })
    return out


# -- DCGAN initialisation: statistics of big layers after module.apply(init) -----------------
def init_probe(fn=None):
    fn = fn or _student("dcgan_weights_init")
    out = {}
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(37)
        for key, module in (("conv", nn.Conv2d(64, 64, 5)), ("convt", nn.ConvTranspose2d(64, 64, 5))):
            weight = module.weight
            with torch.no_grad():
                module.bias.fill_(-0.4)
            module.apply(fn)
            out[f"{key}_same_parameter"] = module.weight is weight
            out[f"{key}_mean"] = float(weight.detach().mean())
            out[f"{key}_std"] = float(weight.detach().std())
            out[f"{key}_bias_untouched"] = bool(torch.all(module.bias == -0.4))
        linear = nn.Linear(7, 3)
        linear_before = [p.detach().clone() for p in linear.parameters()]
        linear.apply(fn)
        out["linear_untouched"] = all(torch.equal(a, b) for a, b in zip(linear_before, linear.parameters()))
        bn = nn.BatchNorm2d(20000)
        bn.bias.data.fill_(1.5)
        bn.apply(fn)
        out["bn_mean"] = float(bn.weight.detach().mean())
        out["bn_std"] = float(bn.weight.detach().std())
        out["bn_bias_max"] = float(bn.bias.detach().abs().max())
        mixed = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.LeakyReLU(0.2),
                              nn.ConvTranspose2d(4, 1, 3), nn.Tanh())
        mixed.apply(fn)
        out["requires_grad"] = all(p.requires_grad for p in mixed.parameters())
    return out


# -- DCGAN architectures: the properties the hidden tests check, as plain values -------------
# Layers are compared by kind, in the order they run; reshaping layers do not count.
_RESHAPING = (nn.Flatten, nn.Unflatten, nn.Identity)


def _leaf_calls(model, x):
    calls = []
    hooks = [m.register_forward_hook(lambda module, inputs, output: calls.append(module))
             for m in model.modules() if not list(m.children())]
    try:
        out = model(x)
    finally:
        for h in hooks:
            h.remove()
    return [m for m in calls if not isinstance(m, _RESHAPING)], out


def _in_range(count, least, biases):
    """The table's layers have `least` parameters without biases, `least + biases` with all."""
    return bool(least <= count <= least + biases)


def generator_probe(z_dim, width, fn=None):
    cls = fn or _student("DCGenerator")
    forbidden = (nn.Linear, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.Upsample, nn.Sigmoid, nn.LeakyReLU)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(41)
        G = cls(z_dim) if width is None else cls(z_dim, width=width)
        calls, images = _leaf_calls(G, torch.randn(3, z_dim))
        kinds = [type(m) for m in calls]
        convs = [i for i, k in enumerate(kinds) if k is nn.ConvTranspose2d]
        G.eval()
        with torch.no_grad():
            eval_images = G(torch.randn(1, z_dim))
    return {
        "shape": [int(s) for s in images.shape],
        "eval_shape": [int(s) for s in eval_images.shape],
        "in_range": bool(float(images.detach().abs().max()) <= 1.0),
        "forbidden_layers": any(isinstance(m, forbidden) for m in G.modules()),
        "ends_with_conv_transpose_tanh": len(kinds) >= 2 and kinds[-1] is nn.Tanh and kinds[-2] is nn.ConvTranspose2d,
        "conv_bn_relu_blocks": all(i + 2 < len(kinds) and kinds[i + 1] is nn.BatchNorm2d and kinds[i + 2] is nn.ReLU
                                   for i in convs[:-1]),
        "out_channels": [int(calls[i].out_channels) for i in convs],
        "strides": [[int(s) for s in calls[i].stride] for i in convs],
        "parameter_count_fits": _in_range(sum(p.numel() for p in G.parameters()),
                                          98 * z_dim * (width or 32) + 32 * (width or 32) ** 2 + 22 * (width or 32),
                                          3 * (width or 32) + 1),
    }


def discriminator_probe(width, fn=None):
    cls = fn or _student("DCDiscriminator")
    forbidden = (nn.Linear, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.Sigmoid, nn.ReLU, nn.Tanh)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(43)
        D = cls() if width is None else cls(width=width)
        calls, logits = _leaf_calls(D, torch.rand(4, 1, 28, 28) * 2 - 1)
        kinds = [type(m) for m in calls]
        convs = [m for m in calls if isinstance(m, nn.Conv2d)]
        D.eval()
        with torch.no_grad():
            eval_logits = D(torch.rand(1, 1, 28, 28))
    return {
        "shape": [int(s) for s in logits.shape],
        "eval_shape": [int(s) for s in eval_logits.shape],
        "forbidden_layers": any(isinstance(m, forbidden) for m in D.modules()),
        "starts_with_conv_leaky_relu": len(kinds) >= 2 and kinds[0] is nn.Conv2d and kinds[1] is nn.LeakyReLU,
        "ends_with_conv": len(kinds) >= 1 and kinds[-1] is nn.Conv2d,
        "leaky_slopes_0.2": all(m.negative_slope == 0.2 for m in calls if isinstance(m, nn.LeakyReLU)),
        "has_batch_norm": nn.BatchNorm2d in kinds,
        "out_channels": [int(m.out_channels) for m in convs],
        "strided_downsampling": all(tuple(m.stride) == (2, 2) for m in convs[:-1]),
        "parameter_count_fits": _in_range(sum(p.numel() for p in D.parameters()),
                                          32 * (width or 32) ** 2 + 118 * (width or 32), 3 * (width or 32) + 1),
    }


# tensors passed by name
od_a = torch.tensor([[0.2, 0.0, 1.5], [0.0, 0.7, 0.3]], dtype=torch.float64)
od_b = torch.tensor([[0.6, 0.0, 0.5], [0.4, 0.0, 0.9]], dtype=torch.float64)
od_two32 = torch.tensor([3.0, 0.0, 0.0])
od_zero32 = torch.tensor([0.0, 5.0, 0.0])
'''

# The helpers, here (for the references).
_S: dict = {}
exec(_SETUP, _S)

_rng = np.random.default_rng(2002)


# -- references (never sent to the kernel) ---------------------------------------------------
def _ref_fgsm(model, x, y, eps):
    if eps < 0:
        raise ValueError("eps")
    x = x.detach().clone().requires_grad_(True)
    (g,) = torch.autograd.grad(F.cross_entropy(model(x), y), x)
    return (x + eps * g.sign()).clamp(0, 1).detach()


def _ref_gan_value(d_real, d_fake):
    return torch.log(d_real).mean() + torch.log1p(-d_fake).mean()


def _ref_optimal_discriminator(p_real, p_gen):
    a = torch.as_tensor(p_real).double().numpy()
    b = torch.as_tensor(p_gen).double().numpy()
    out = np.full(a.shape, 0.5)
    seen = (a + b) > 0
    out[seen] = a[seen] / (a[seen] + b[seen])
    return out


def _ref_discriminator_loss(real_logits, fake_logits):
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def _ref_generator_loss(fake_logits, kind):
    if kind == "minimax":
        return -F.softplus(fake_logits).mean()
    if kind == "non_saturating":
        return F.softplus(-fake_logits).mean()
    raise ValueError(kind)


def _ref_training_step(G, D, opt_G, opt_D, real, z_dim, d_steps=1):
    if d_steps < 1:
        raise ValueError("d_steps")
    n = real.shape[0]
    for _ in range(d_steps):
        fake = G(torch.randn(n, z_dim)).detach()
        d_loss = _ref_discriminator_loss(D(real), D(fake))
        opt_D.zero_grad()
        d_loss.backward()
        opt_D.step()
    g_loss = _ref_generator_loss(D(G(torch.randn(n, z_dim))), "non_saturating")
    opt_G.zero_grad()
    g_loss.backward()
    opt_G.step()
    return d_loss.item(), g_loss.item()


class _RefGenerator(nn.Module):
    def __init__(self, z_dim, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.ConvTranspose2d(z_dim, 2 * width, 7, 1, 0, bias=False), nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Tanh())

    def forward(self, z):
        return self.net(z.reshape(z.shape[0], -1, 1, 1))


class _RefDiscriminator(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * width, 1, 7))

    def forward(self, x):
        return self.net(x).reshape(-1)


def _ref_inception_score(probs):
    p = np.asarray(torch.as_tensor(probs).double().numpy())
    marginal = p.mean(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0)) - np.log(np.maximum(marginal, 1e-300))), 0.0)
    return float(math.exp(terms.sum(1).mean()))


def _ref_frechet(m1, s1, m2, s2):
    m1, s1, m2, s2 = (np.asarray(torch.as_tensor(a).double().numpy()) for a in (m1, s1, m2, s2))
    w, v = np.linalg.eigh(s1)
    r = v @ np.diag(np.sqrt(np.clip(w, 0, None))) @ v.T
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(r @ s2 @ r), 0, None)).sum()
    return float(np.sum((m1 - m2) ** 2) + np.trace(s1) + np.trace(s2) - 2 * cross)


_TENSOR_REFERENCES = {"gan_value": _ref_gan_value, "discriminator_loss": _ref_discriminator_loss,
                      "generator_loss": _ref_generator_loss}


def _ref_tensor_call(name, tensors, extra=(), dtype="float32", grad=True, label="value"):
    return _S["tensor_call"](name, tensors, extra, dtype, grad, label, fn=_TENSOR_REFERENCES[name])


def _init_ideal():
    """What the hidden tests compare the statistics with (same tolerance, 1e-3)."""
    return {"conv_same_parameter": True, "conv_mean": 0.0, "conv_std": 0.02, "conv_bias_untouched": True,
            "convt_same_parameter": True, "convt_mean": 0.0, "convt_std": 0.02, "convt_bias_untouched": True,
            "linear_untouched": True,
            "bn_mean": 1.0, "bn_std": 0.02, "bn_bias_max": 0.0, "requires_grad": True}


# -- probe inputs -----------------------------------------------------------------------------
_d_real = (_rng.random(9) * 0.96 + 0.02).tolist()
_d_fake = (_rng.random(5) * 0.96 + 0.02).tolist()
_real_logits = (_rng.normal(size=11) * 4).tolist()
_fake_logits = (_rng.normal(size=(6, 1)) * 4).tolist()
_g_logits = (_rng.normal(size=(3, 5)) * 5).tolist()
_od_a = _rng.random((5, 7)) * (_rng.random((5, 7)) > 0.3)
_od_b = _rng.random((5, 7)) * (_rng.random((5, 7)) > 0.3)
_od_a[0, :3] = 0.0
_od_b[0, :2] = 0.0


def _probabilities(alpha, n=30, c=7):
    return _rng.dirichlet(np.full(c, alpha), size=n)


_one_hot_mix = np.zeros((9, 5))
_one_hot_mix[np.arange(9), [0, 0, 1, 2, 2, 2, 4, 4, 4]] = 1.0
_one_hot_mix[8] = [0.0, 0.5, 0.0, 0.25, 0.25]


def _spd(d):
    a = _rng.normal(size=(d, d))
    return a @ a.T + 0.1 * np.eye(d)


_fid = [(_rng.normal(size=d), _spd(d), _rng.normal(size=d), _spd(d)) for d in (3, 6, 11)]

CHECKS = {
    "test_fgsm": Check(
        calls=[Call("setup.fgsm_probe", eps) for eps in (0.0, 0.05, 0.2, 0.6)]
        + [Call("setup.fgsm_probe", 0.1, True), Call("setup.fgsm_probe", -0.1, raises="ValueError")],
        reference={"setup.fgsm_probe": lambda eps, training=False: _S["fgsm_probe"](eps, training, fn=_ref_fgsm)},
        tolerance=1e-6,
        setup=_SETUP,
    ),
    "test_gan_value": Check(
        calls=[
            Call("setup.tensor_call", "gan_value", [_d_real, _d_fake], dtype="float64"),
            Call("setup.tensor_call", "gan_value", [_d_fake, _d_real], dtype="float64"),
            Call("setup.tensor_call", "gan_value", [[0.5] * 4, [0.5] * 3], dtype="float64"),
            Call("setup.tensor_call", "gan_value", [[0.3, 0.0, 0.9], [0.4]], dtype="float64", grad=False),
            Call("setup.tensor_call", "gan_value", [[0.3, 0.6], [0.2, 1.0, 0.1]], dtype="float64", grad=False),
        ],
        reference={"setup.tensor_call": _ref_tensor_call},
        tolerance={"value": 1e-8, "grads": 1e-6, "*": 1e-9},
        setup=_SETUP,
    ),
    "test_optimal_discriminator": Check(
        calls=[
            Call("optimal_discriminator", Array(_od_a), Array(_od_b)),
            Call("optimal_discriminator", Array(_od_b), Array(_od_a)),
            Call("optimal_discriminator", Name("od_a"), Name("od_b")),
            Call("optimal_discriminator", Name("od_two32"), Name("od_zero32")),
            Call("optimal_discriminator", Array(np.zeros(4)), Array(np.zeros(4))),
            Call("optimal_discriminator", Array(np.ones(3)), Array(np.ones(5)), raises="ValueError"),
            Call("optimal_discriminator", Array([0.2, 0.8]), Array([0.5, -0.3]), raises="ValueError"),
            Call("optimal_discriminator", Array([-0.2, 0.8]), Array([0.5, 0.3]), raises="ValueError"),
        ],
        reference={"optimal_discriminator": _ref_optimal_discriminator},
        # float32 arithmetic keeps full marks (the docstring does not ask for float64)
        tolerance=1e-6,
        setup=_SETUP,
    ),
    "test_discriminator_loss": Check(
        calls=[
            Call("setup.tensor_call", "discriminator_loss", [_real_logits, _fake_logits]),
            Call("setup.tensor_call", "discriminator_loss", [_fake_logits, _real_logits]),
            Call("setup.tensor_call", "discriminator_loss", [[0.0] * 3, [0.0] * 2]),
            Call("setup.tensor_call", "discriminator_loss", [[-140.0, 130.0, 2.0], [125.0, -150.0]],
                 label="extreme"),
        ],
        reference={"setup.tensor_call": _ref_tensor_call},
        tolerance={"value": 1e-5, "extreme": 1e-3, "grads": 1e-6, "*": 1e-9},
        setup=_SETUP,
    ),
    "test_generator_loss": Check(
        calls=[
            *[Call("setup.tensor_call", "generator_loss", [_g_logits], (kind,)) for kind in ("minimax", "non_saturating")],
            *[Call("setup.tensor_call", "generator_loss", [[-10.0, -12.0, -9.0]], (kind,))
              for kind in ("minimax", "non_saturating")],
            *[Call("setup.tensor_call", "generator_loss", [[140.0, -160.0]], (kind,), label="extreme")
              for kind in ("minimax", "non_saturating")],
            Call("setup.tensor_call", "generator_loss", [[0.5]], ("least_squares",), raises="ValueError"),
        ],
        reference={"setup.tensor_call": _ref_tensor_call},
        tolerance={"value": 1e-5, "extreme": 1e-3, "grads": 1e-6, "*": 1e-9},
        setup=_SETUP,
    ),
    "test_gan_training_step": Check(
        calls=[
            Call("setup.training_probe", 1, 3),
            Call("setup.training_probe", 3, 2),
            Call("setup.training_probe", 0, 1, raises="ValueError"),
        ],
        reference={"setup.training_probe": lambda d_steps, calls: _S["training_probe"](d_steps, calls, fn=_ref_training_step)},
        tolerance={"d_loss": 1e-5, "g_loss": 1e-5, "point": 1e-5, "d_parameters": 1e-5, "*": 1e-9},
        setup=_SETUP,
    ),
    "test_dcgan_weights_init": Check(
        calls=[Call("setup.init_probe")],
        reference={"setup.init_probe": _init_ideal},
        tolerance={"bn_bias_max": 0.0, "*": 1e-3},
        setup=_SETUP,
    ),
    "test_dcgan_generator": Check(
        calls=[Call("setup.generator_probe", 64, None), Call("setup.generator_probe", 10, 6)],
        reference={"setup.generator_probe": lambda z, w: _S["generator_probe"](z, w, fn=_RefGenerator)},
        tolerance=0.0,
        setup=_SETUP,
    ),
    "test_dcgan_discriminator": Check(
        calls=[Call("setup.discriminator_probe", None), Call("setup.discriminator_probe", 6)],
        reference={"setup.discriminator_probe": lambda w: _S["discriminator_probe"](w, fn=_RefDiscriminator)},
        tolerance=0.0,
        setup=_SETUP,
    ),
    "test_inception_score": Check(
        calls=[
            *[Call("inception_score", Array(_probabilities(alpha))) for alpha in (0.2, 1.0, 6.0)],
            Call("inception_score", Array(_one_hot_mix)),
            Call("inception_score", Array(np.eye(6)[np.arange(24) % 6])),
            Call("inception_score", Array(np.full((5, 8), 0.125))),
            Call("inception_score", Name("is_tensor")),
            Call("inception_score", Array(np.full((2, 5), 0.25)), raises="ValueError"),
            Call("inception_score", Array([[0.5, 0.6, -0.1], [0.2, 0.3, 0.5]]), raises="ValueError"),
            Call("inception_score", Array(np.ones(5) / 5), raises="ValueError"),
        ],
        reference={"inception_score": _ref_inception_score},
        # as the notebook: relative 1e-5 (float32 arithmetic keeps full marks)
        tolerance=1e-9,
        rtol=1e-5,
        setup=_SETUP + f"\nis_tensor = torch.tensor({_probabilities(0.5, 12, 4).tolist()!r}, dtype=torch.float64)\n",
    ),
    "test_frechet_distance": Check(
        calls=[
            *[Call("frechet_distance", Array(m1), Array(s1), Array(m2), Array(s2)) for m1, s1, m2, s2 in _fid],
            *[Call("frechet_distance", Array(m2), Array(s2), Array(m1), Array(s1)) for m1, s1, m2, s2 in _fid[:2]],
            Call("frechet_distance", Array(np.ones(4)), Array(np.diag([1.0, 4.0, 9.0, 0.25])),
                 Array(np.zeros(4)), Array(np.diag([4.0, 1.0, 9.0, 1.0]))),
            Call("frechet_distance", Name("fd_m1"), Name("fd_s1"), Name("fd_m2"), Name("fd_s2")),
            Call("frechet_distance", Array(_fid[1][0]), Array(_fid[1][1]), Array(_fid[1][0]), Array(_fid[1][1])),
            # shapes that do not fit (no broadcasting)
            Call("frechet_distance", Array(np.zeros(3)), Array(np.eye(3)), Array(np.zeros(5)), Array(np.eye(5)),
                 raises="ValueError"),
            Call("frechet_distance", Array(np.zeros(4)), Array(np.eye(4)), Array(np.zeros(4)), Array(np.eye(3)),
                 raises="ValueError"),
            Call("frechet_distance", Array(np.zeros(2)), Array(np.ones((2, 3))), Array(np.zeros(2)), Array(np.eye(2)),
                 raises="ValueError"),
            Call("frechet_distance", Array(np.ones(3)), Array(np.eye(3)), Array(np.zeros(1)), Array(np.eye(3)),
                 raises="ValueError"),
            Call("frechet_distance", Array(np.zeros((2, 1))), Array(np.eye(2)), Array(np.ones((2, 1))),
                 Array(np.eye(2)), raises="ValueError"),
        ],
        reference={"frechet_distance": _ref_frechet},
        # as the notebook: 1e-4 + 1e-5 * value (float32 arithmetic and library routines keep full marks)
        tolerance=1e-4,
        rtol=1e-5,
        setup=_SETUP + "".join(
            f"\n{name} = torch.tensor({value.tolist()!r}, dtype=torch.float64)"
            for name, value in zip(("fd_m1", "fd_s1", "fd_m2", "fd_s2"), _fid[0])) + "\n",
    ),
}
