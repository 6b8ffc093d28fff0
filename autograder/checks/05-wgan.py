"""Out-of-kernel checks for lecture 05 (WGAN, WGAN-GP): one entry per graded cell.

The inputs below and the ``_SETUP`` helpers are sent to the kernel; the references and the
expected values are not (see autograder/verify.py). Keep this file as private as solutions/.
Tolerances follow the notebook's hidden tests, never stricter.

Every probe goes through a helper of ``_SETUP`` (called as ``"setup.NAME"``) that calls the
student's function in the kernel and returns plain values:
- critic_loss / wgan_generator_loss: the value, that it is a 0-dim tensor, and the gradients
  that reach the scores;
- clip_weights_ works by side effect: the helper builds a seeded network (parameters, gradients
  and batch-norm buffers set), calls the student's function, and returns the parameters, their
  gradients, the buffers afterwards and whether the parameters are the same tensors (same
  memory) and still trainable leaves;
- interpolate is random: the helper calls it under a fixed seed (the kernel's random state is
  left alone) and returns invariants every correct answer satisfies: the shape, one weight per
  sample (spread of the weights within a sample), weights in [0, 1], their mean, variance and
  correlation with the position in the batch (2000 samples: correct answers pass with margins
  of more than 7 standard deviations), float64 kept, gradients reaching both endpoints;
- gradient_penalty: that computing it leaves every .grad of the critic unset; linear critics (known gradient norm, so the random interpolation weights
  do not matter), a constant critic (penalty lam), images (norm over all pixels), 1-D scores,
  real == fake through a smooth critic (deterministic), the gradients that reach the critic's
  parameters after backward (create_graph=True), no gradient into the fake samples, and
  f(x) = |x|^2 / 2 between norm-2 and zero samples, whose penalty on interpolates is 1/3.
  Values are compared only where the interpolation weights cannot change them, so an
  interpolate that draws its weights in another order never costs these points.

The grader computes the expected values by running the same helpers on reference
implementations (``_student`` swapped), then sets the random invariants to their ideal values.
"""

from verify import Call, Check, Name

_SETUP = r'''
import torch as _torch
import torch.nn as _nn


def _student(name):
    import __main__
    return getattr(__main__, name)


_g = _torch.Generator().manual_seed(505)
real_scores = _torch.randn(9, 1, generator=_g) * 2
fake_scores = _torch.randn(5, 1, generator=_g) - 1
flat_real_scores = _torch.randn(16, generator=_g) * 3
flat_fake_scores = _torch.randn(40, generator=_g) + 1
one_score = _torch.tensor([[0.75]])
points = _torch.randn(12, 3, generator=_g)
other_points = _torch.randn(12, 3, generator=_g) + 4
images = _torch.rand(6, 2, 3, 3, generator=_g)
other_images = _torch.rand(6, 2, 3, 3, generator=_g)
plane = _torch.randn(32, 2, generator=_g)
other_plane = _torch.randn(32, 2, generator=_g)
directions = _torch.randn(20000, 3, generator=_g)
directions = 2 * directions / directions.norm(dim=1, keepdim=True)   # norm 2
origins = _torch.zeros(20000, 3)
with _torch.random.fork_rng(devices=[]):   # leave the kernel's random state alone
    _torch.manual_seed(506)
    steep = _nn.Linear(3, 1)
    flat = _nn.Linear(3, 1)
    image_critic = _nn.Sequential(_nn.Flatten(), _nn.Linear(18, 1))
    smooth = _nn.Sequential(_nn.Linear(2, 16), _nn.Tanh(), _nn.Linear(16, 16), _nn.Tanh(), _nn.Linear(16, 1))
    small_net = _nn.Linear(2, 2)
with _torch.no_grad():
    steep.weight.copy_(_torch.tensor([[0.0, 2.4, 1.8]]))   # gradient norm 3 everywhere
    flat.weight.zero_()                                      # a constant critic
    image_critic[1].weight.fill_(0.5)                        # gradient norm 0.5 * sqrt(18)


def quadratic(x):
    return 0.5 * (x ** 2).sum(dim=1, keepdim=True)


def linear_1d(x):
    return (x * _torch.tensor([0.0, 2.0])).sum(dim=1)   # 1-D scores, gradient norm 2


def _loss_summary(loss, inputs):
    out = {"is_tensor": isinstance(loss, _torch.Tensor), "ndim": int(loss.dim()),
           "value": float(loss.detach())}
    loss.backward()
    for key, tensor in inputs.items():
        out[key] = tensor.grad
    return out


def critic_loss(real, fake):
    real = real.detach().clone().requires_grad_(True)
    fake = fake.detach().clone().requires_grad_(True)
    return _loss_summary(_student("critic_loss")(real, fake), {"grad_real": real, "grad_fake": fake})


def wgan_generator_loss(fake):
    fake = fake.detach().clone().requires_grad_(True)
    return _loss_summary(_student("wgan_generator_loss")(fake), {"grad_fake": fake})


def _clip_net(seed):
    with _torch.random.fork_rng(devices=[]):
        _torch.manual_seed(seed)
        net = _nn.Sequential(_nn.Conv2d(1, 3, 3), _nn.BatchNorm2d(3), _nn.Flatten(),
                             _nn.Sequential(_nn.Linear(12, 4), _nn.ReLU(), _nn.Linear(4, 1)))
        with _torch.no_grad():
            for parameter in net.parameters():
                parameter.uniform_(-2.0, 2.0)
            net[1].running_mean.uniform_(-3.0, 3.0)
            net[1].running_var.uniform_(2.0, 7.0)
        for parameter in net.parameters():
            parameter.grad = 3 * _torch.randn_like(parameter)
    return net


def clip_weights_(seed, c):
    net = _clip_net(seed)
    before = [(id(p), p.data_ptr()) for p in net.parameters()]
    _student("clip_weights_")(net, c)
    after = list(net.parameters())
    return {
        "same_tensors": len(after) == len(before) and all(
            id(p) == i and p.data_ptr() == d for p, (i, d) in zip(after, before)),
        "trainable_leaves": all(p.requires_grad and p.is_leaf and p.grad_fn is None for p in after),
        "values": _torch.cat([p.detach().reshape(-1) for p in after]),
        "grads": _torch.cat([(p.grad if p.grad is not None else _torch.full_like(p, float("nan"))).reshape(-1)
                             for p in after]),
        "buffers": _torch.cat([b.detach().double().reshape(-1) for b in net.buffers()]),
    }


def interpolate(shape, seed, dtype="float32"):
    dtype = getattr(_torch, dtype)
    g = _torch.Generator().manual_seed(seed)
    real = _torch.randn(*shape, generator=g, dtype=dtype)
    fake = real + 2.0 + _torch.rand(*shape, generator=g, dtype=dtype)   # |real - fake| >= 2
    with _torch.random.fork_rng(devices=[]):
        _torch.manual_seed(seed)
        mixed = _student("interpolate")(real, fake)
    out = {"is_tensor": isinstance(mixed, _torch.Tensor), "shape": [int(s) for s in mixed.shape]}
    if dtype == _torch.float64:
        out["dtype"] = str(mixed.dtype)
    weights = ((mixed - fake) / (real - fake)).double().reshape(shape[0], -1)   # u of each coordinate
    out["below"] = float(max(-weights.min().item(), 0.0))
    out["above"] = float(max(weights.max().item() - 1.0, 0.0))
    out["spread"] = float(weights.std(dim=1).max()) if weights.shape[1] > 1 else 0.0
    if shape[0] >= 1000:
        per_sample = weights[:, 0]
        position = _torch.arange(shape[0], dtype=_torch.float64)
        out["mean"] = float(per_sample.mean())
        out["var"] = float(per_sample.var())
        out["corr"] = float(_torch.corrcoef(_torch.stack([per_sample, position]))[0, 1])
    return out


def interpolate_gradients(seed):
    g = _torch.Generator().manual_seed(seed)
    a = _torch.randn(8, 2, generator=g).requires_grad_(True)
    b = _torch.randn(8, 2, generator=g).requires_grad_(True)
    with _torch.random.fork_rng(devices=[]):
        _torch.manual_seed(seed)
        _student("interpolate")(a, b).sum().backward()
    return a.grad + b.grad


def gradient_penalty(critic, real, fake, lam=None, seed=0, grads=True, fake_grad=False, value=True):
    parameters = list(critic.parameters()) if isinstance(critic, _nn.Module) else []
    for p in parameters:
        p.grad = None
    real = real.detach().clone()
    fake = fake.detach().clone().requires_grad_(fake_grad)
    kwargs = {} if lam is None else {"lam": lam}
    with _torch.random.fork_rng(devices=[]):
        _torch.manual_seed(seed)
        penalty = _student("gradient_penalty")(critic, real, fake, **kwargs)
    out = {"is_tensor": isinstance(penalty, _torch.Tensor), "ndim": int(penalty.dim()),
           "no_grad_written": all(p.grad is None for p in parameters)}   # autograd.grad, not backward()
    if value:   # only where the interpolation weights cannot change it
        out["value"] = float(penalty.detach())
    if grads or fake_grad:
        penalty.backward()   # fails unless the penalty is in the graph (create_graph=True)
    if grads:
        out["parameter_grads"] = _torch.cat([(p.grad if p.grad is not None else _torch.zeros_like(p)).reshape(-1)
                                             for p in parameters])
    if fake_grad:
        out["fake_grad"] = float(fake.grad.abs().sum()) if fake.grad is not None else 0.0
    for p in parameters:
        p.grad = None
    return out


def gradient_penalty_on_interpolates(seed):
    """f(x) = |x|^2 / 2 between norm-2 points and 0: E[(2u - 1)^2] = 1/3 on interpolates."""
    value = gradient_penalty(quadratic, directions, origins, lam=1.0, seed=seed, grads=False)["value"]
    return {"mean_penalty": value}
'''


# -- references (never sent to the kernel) ---------------------------------------------------
def _reference_functions():
    import torch

    def critic_loss(real, fake):
        return fake.mean() - real.mean()

    def wgan_generator_loss(fake):
        return -fake.mean()

    def clip_weights_(module, c):
        with torch.no_grad():
            for parameter in module.parameters():
                parameter.clamp_(-c, c)

    def interpolate(real, fake):
        weights = torch.rand((real.shape[0],) + (1,) * (real.dim() - 1), dtype=real.dtype)
        return weights * real + (1 - weights) * fake

    def gradient_penalty(critic, real, fake, lam=10.0):
        mixed = interpolate(real.detach(), fake.detach()).requires_grad_(True)
        (gradients,) = torch.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)
        return lam * ((gradients.reshape(len(gradients), -1).norm(dim=1) - 1) ** 2).mean()

    return {f.__name__: f for f in (critic_loss, wgan_generator_loss, clip_weights_, interpolate, gradient_penalty)}


_GRADER = {}


def _helper(name):
    """The kernel helper ``name``, run in the grader on the reference implementations."""
    def run(*args, **kwargs):
        if not _GRADER:
            exec(_SETUP, _GRADER)
            references = _reference_functions()
            _GRADER["_student"] = references.__getitem__
        return _GRADER[name](*args, **kwargs)
    return run


def _interpolate_expected(shape, seed, dtype="float32"):
    out = _helper("interpolate")(shape, seed, dtype)
    out.update(below=0.0, above=0.0, spread=0.0)
    if "mean" in out:
        out.update(mean=0.5, var=1 / 12, corr=0.0)
    return out


def _interpolate_gradients_expected(seed):
    import numpy as np

    return np.ones((8, 2))


def _on_interpolates_expected(seed):
    return {"mean_penalty": 1 / 3}


CHECKS = {
    "test_critic_loss": Check(
        calls=[
            Call("setup.critic_loss", Name("real_scores"), Name("fake_scores")),
            Call("setup.critic_loss", Name("fake_scores"), Name("real_scores")),
            Call("setup.critic_loss", Name("flat_real_scores"), Name("flat_fake_scores")),
            Call("setup.critic_loss", Name("one_score"), Name("real_scores")),
        ],
        reference={"setup.critic_loss": _helper("critic_loss")},
        tolerance={"value": 1e-5, "grad_real": 1e-5, "grad_fake": 1e-5, "*": 1e-5},
        setup=_SETUP,
    ),
    "test_wgan_generator_loss": Check(
        calls=[
            Call("setup.wgan_generator_loss", Name("fake_scores")),
            Call("setup.wgan_generator_loss", Name("flat_real_scores")),
            Call("setup.wgan_generator_loss", Name("one_score")),
        ],
        reference={"setup.wgan_generator_loss": _helper("wgan_generator_loss")},
        tolerance={"value": 1e-5, "grad_fake": 1e-5, "*": 1e-5},
        setup=_SETUP,
    ),
    "test_clip_weights_": Check(
        calls=[
            Call("setup.clip_weights_", 1, 0.5),
            Call("setup.clip_weights_", 2, 0.1),
            Call("setup.clip_weights_", 3, 3.0),   # everything already inside the box
            Call("clip_weights_", Name("small_net"), 0.0, raises="ValueError"),
            Call("clip_weights_", Name("small_net"), -0.2, raises="ValueError"),
        ],
        reference={"setup.clip_weights_": _helper("clip_weights_")},
        tolerance={"values": 1e-6, "grads": 1e-6, "buffers": 1e-6, "*": 1e-6},
        setup=_SETUP,
    ),
    "test_interpolate": Check(
        calls=[
            Call("setup.interpolate", [2000, 3], 11),
            Call("setup.interpolate", [2000, 2, 4, 4], 12),
            Call("setup.interpolate", [6, 2], 13, "float64"),
            Call("setup.interpolate", [1, 5], 14),
            Call("setup.interpolate_gradients", 15),
        ],
        reference={"setup.interpolate": _interpolate_expected,
                   "setup.interpolate_gradients": _interpolate_gradients_expected},
        # hidden tests: u in [-1e-4, 1 + 1e-4], std within a sample < 1e-3, mean within 0.05 of
        # 1/2, variance within 0.02 of 1/12, |corr with the position| < 0.2; gradients allclose
        tolerance={"below": 1e-4, "above": 1e-4, "spread": 1e-3, "mean": 0.05, "var": 0.02,
                   "corr": 0.2, "*": 1e-5},
        setup=_SETUP,
    ),
    "test_gradient_penalty": Check(
        calls=[
            Call("setup.gradient_penalty", Name("steep"), Name("points"), Name("other_points"), seed=1),
            Call("setup.gradient_penalty", Name("steep"), Name("points"), Name("other_points"), lam=2.0, seed=2),
            Call("setup.gradient_penalty", Name("flat"), Name("points"), Name("other_points"), seed=3, grads=False),
            Call("setup.gradient_penalty", Name("image_critic"), Name("images"), Name("other_images"),
                 lam=1.0, seed=4),
            Call("setup.gradient_penalty", Name("smooth"), Name("plane"), Name("plane"), lam=3.0, seed=5),
            Call("setup.gradient_penalty", Name("smooth"), Name("plane"), Name("other_plane"), seed=6,
                 grads=False, fake_grad=True, value=False),
            Call("setup.gradient_penalty", Name("linear_1d"), Name("plane"), Name("other_plane"), lam=1.0,
                 seed=7, grads=False),
            Call("setup.gradient_penalty_on_interpolates", 8),
        ],
        reference={"setup.gradient_penalty": _helper("gradient_penalty"),
                   "setup.gradient_penalty_on_interpolates": _on_interpolates_expected},
        # hidden tests: values within 1e-4 (1e-5 for some; sqrt(sum g^2 + 1e-12) keeps full marks),
        # parameter gradients allclose(atol=1e-5)
        # (whose default rtol is 1e-5), no gradient into the fake samples, 1/3 within 0.02
        tolerance={"value": 1e-4, "parameter_grads": 1e-5, "fake_grad": 1e-9, "mean_penalty": 0.02, "*": 1e-5},
        rtol=1e-5,
        setup=_SETUP,
    ),
}
