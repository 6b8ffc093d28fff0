"""Out-of-kernel checks for lecture 06 (conditional GAN, pix2pix, CycleGAN): one per graded cell.

The inputs below and the ``_SETUP`` helpers are sent to the kernel; the references and the
expected values are not (see autograder/verify.py). Keep this file as private as solutions/.
Tolerances follow the notebook's hidden tests, never stricter.

Every probe goes through a helper of ``_SETUP`` (called as ``"setup.NAME"``) that calls the
student's code in the kernel and returns plain values:
- one_hot: the codes, their dtype name and shape; ValueError for float/bool dtypes and labels
  out of range;
- the conditional networks: shapes, range, and whether each output depends on the labels, the
  codes or the images (booleans), in eval() mode, under a fixed seed;
- receptive_field: ints on stacks the notebook never shows, ValueError for sizes below 1;
- UNet: output shape and range, eval() determinism, train() noise, the smallest spatial size
  any submodule outputs (must be H / 2**depth rounded down or up) and whether the output still
  depends on the input once every submodule output of that size is zeroed by forward hooks;
- the losses: the value and the gradients that reach every input;
- ImagePool: replayed from the outside on numbered images (see the notebook's hidden test):
  whether every answer was allowed by the rules, the swap rate, the mean and spread of the
  waits in the pool relative to the size, determinism under a seed and the global RNG left
  alone. The grader sets the random invariants to their ideal values.
"""

from verify import Call, Check, Name

_SETUP = r'''
import math as _math
import torch as _torch
import torch.nn as _nn


def _student(name):
    import __main__
    return getattr(__main__, name)


_g = _torch.Generator().manual_seed(606)
patch_logits = _torch.randn(3, 1, 5, 5, generator=_g) * 2
flat_logits = _torch.randn(7, generator=_g) * 3
fake_images = _torch.rand(3, 1, 8, 8, generator=_g) * 2 - 1
target_images = _torch.rand(3, 1, 8, 8, generator=_g) * 2 - 1
real_patch_logits = _torch.randn(4, 1, 3, 3, generator=_g) + 1
fake_patch_logits = _torch.randn(2, 1, 6, 6, generator=_g) - 1
real_scores = _torch.randn(5, 1, 4, 4, generator=_g) + 1
fake_scores = _torch.randn(9, 1, 2, 2, generator=_g) * 0.5
x_images = _torch.rand(4, 1, 6, 6, generator=_g)
x_cycled = _torch.rand(4, 1, 6, 6, generator=_g)
y_images = _torch.rand(7, 1, 6, 6, generator=_g)
y_cycled = _torch.rand(7, 1, 6, 6, generator=_g)


def one_hot(labels, n_classes, dtype="int64"):
    codes = _student("one_hot")(_torch.tensor(labels, dtype=getattr(_torch, dtype)), n_classes)
    return {"values": codes, "dtype": str(codes.dtype), "shape": [int(s) for s in codes.shape]}


def conditional_networks(z_dim, n_classes, batch, seed):
    with _torch.random.fork_rng(devices=[]):
        _torch.manual_seed(seed)
        g = _student("ConditionalGenerator")(z_dim, n_classes=n_classes).eval()
        d = _student("ConditionalDiscriminator")(n_classes=n_classes).eval()
        z = _torch.randn(batch, z_dim)
        y = _torch.arange(batch) % n_classes
        with _torch.no_grad():
            x = g(z, y)
            logits = d(x, y)
            g_labels, d_labels = True, True
            for k in range(batch):
                other = y.clone()
                other[k] = (y[k] + 1) % n_classes
                g_labels = g_labels and bool((g(z, other)[k] - x[k]).abs().max() > 1e-4)
                d_labels = d_labels and bool((d(x, other)[k] - logits[k]).abs() > 1e-6)
            out = {
                "g_shape": [int(s) for s in x.shape],
                "g_in_range": bool(x.abs().max() <= 1),
                "g_depends_on_labels": g_labels,
                "g_depends_on_z": bool((g(_torch.randn(batch, z_dim), y) - x).abs().max() > 1e-4),
                "d_shape": [int(s) for s in logits.shape],
                "d_depends_on_labels": d_labels,
                "d_depends_on_images": bool((d(_torch.rand(batch, 1, 28, 28) * 2 - 1, y) - logits).abs().max() > 1e-5),
                "single": [int(s) for s in g(z[:1], y[:1]).shape] + [int(s) for s in d(x[:1], y[:1]).shape],
            }
    out["trainable"] = any(p.requires_grad for p in g.parameters()) and any(p.requires_grad for p in d.parameters())
    return out


def receptive_field(layers):
    return _student("receptive_field")([tuple(layer) for layer in layers])


def _sizes(net, x):
    sizes, handles = [], []
    for m in net.modules():
        if m is not net:
            handles.append(m.register_forward_hook(
                lambda m, i, o: sizes.append(tuple(o.shape[-2:])) if isinstance(o, _torch.Tensor) and o.dim() == 4 else None))
    try:
        with _torch.no_grad():
            y = net(x)
    finally:
        for h in handles:
            h.remove()
    return y, sizes


def unet(args, shape, seed, dropout=None):
    with _torch.random.fork_rng(devices=[]):
        _torch.manual_seed(seed)
        kwargs = {} if dropout is None else {"dropout": dropout}
        net = _student("UNet")(*args, **kwargs).eval()
        x = _torch.rand(*shape) * 2 - 1
        other = _torch.rand(*shape) * 2 - 1
        y, sizes = _sizes(net, x)
        bottleneck = min(sizes, key=lambda s: s[0] * s[1])
        depth = args[3]
        allowed = [(a, b) for a in {shape[2] // 2 ** depth, -(-shape[2] // 2 ** depth)}
                   for b in {shape[3] // 2 ** depth, -(-shape[3] // 2 ** depth)}]
        handles = [m.register_forward_hook(
            lambda m, i, o: _torch.zeros_like(o) if isinstance(o, _torch.Tensor) and o.dim() == 4 and tuple(o.shape[-2:]) == bottleneck else None)
            for m in net.modules() if m is not net]
        try:
            with _torch.no_grad():
                za, zb = net(x), net(other)
        finally:
            for h in handles:
                h.remove()
        with _torch.no_grad():
            out = {
                "shape": [int(s) for s in y.shape],
                "in_range": bool(y.abs().max() <= 1),
                "eval_deterministic": bool(_torch.equal(net(x), y)),
                "depends_on_input": bool((net(other) - y).abs().max() > 1e-4),
                "bottleneck_ok": bottleneck in allowed,
                "skips": bool((za - zb).abs().max() > 1e-4),
            }
        net.train()
        with _torch.no_grad():
            a, b = net(x), net(x)
        out["train_noise"] = (not _torch.equal(a, b)) if dropout is None else bool(_torch.allclose(a, b))
    return out


def _loss(value, inputs):
    out = {"is_tensor": isinstance(value, _torch.Tensor), "ndim": int(value.dim()), "value": float(value.detach())}
    value.backward()
    for key, tensor in inputs.items():
        out[key] = tensor.grad if tensor.grad is not None else _torch.zeros_like(tensor)
    return out


def _leaf(t):
    return t.detach().clone().requires_grad_(True)


def pix2pix_generator_loss(logits, fake, target, lam=None):
    logits, fake = _leaf(logits), _leaf(fake)
    kwargs = {} if lam is None else {"lam": lam}
    return _loss(_student("pix2pix_generator_loss")(logits, fake, target.clone(), **kwargs),
                 {"grad_logits": logits, "grad_fake": fake})


def patch_discriminator_loss(real, fake):
    real, fake = _leaf(real), _leaf(fake)
    return _loss(_student("patch_discriminator_loss")(real, fake), {"grad_real": real, "grad_fake": fake})


def lsgan_losses(real, fake):
    real, fake = _leaf(real), _leaf(fake)
    out = _loss(_student("lsgan_discriminator_loss")(real, fake), {"grad_real": real, "grad_fake": fake})
    fake2 = _leaf(fake)
    generator = _loss(_student("lsgan_generator_loss")(fake2), {"grad_fake": fake2})
    out.update({"g_" + k: v for k, v in generator.items()})
    return out


def cycle_consistency_loss(x, xc, y, yc, lam=None):
    xc, yc = _leaf(xc), _leaf(yc)
    kwargs = {} if lam is None else {"lam": lam}
    return _loss(_student("cycle_consistency_loss")(x.clone(), xc, y.clone(), yc, **kwargs),
                 {"grad_x_cycled": xc, "grad_y_cycled": yc})


def image_pool(size, n, batch, seed):
    images = _torch.arange(n, dtype=_torch.float32).reshape(n, 1, 1, 1).expand(n, 1, 2, 3)
    outputs, untouched = [], True
    for _ in range(2):
        state = _torch.get_rng_state()
        pool = _student("ImagePool")(size, generator=_torch.Generator().manual_seed(seed))
        outputs.append(_torch.cat([pool.query(images[k:k + batch]) for k in range(0, n, batch)]))
        untouched = untouched and bool(_torch.equal(_torch.get_rng_state(), state))
    out = {"shape": [int(s) for s in outputs[0].shape], "deterministic": bool(_torch.equal(outputs[0], outputs[1])),
           "global_untouched": untouched}
    stored, inserted, swaps, ages, valid = set(), {}, 0, [], True
    for k, image in enumerate(outputs[0]):
        if not bool(image.eq(image[0, 0, 0]).all()):
            valid = False
            break
        i = int(image[0, 0, 0])
        if len(stored) < size:
            if i != k:
                valid = False
                break
            stored.add(k)
            inserted[k] = k
        elif i != k:
            if i not in stored:
                valid = False
                break
            stored.remove(i)
            stored.add(k)
            inserted[k] = k
            swaps += 1
            ages.append(k - inserted[i])
    out["valid"] = valid
    if size > 0:
        ages = _torch.tensor(ages or [0.0], dtype=_torch.float64)
        out["swap_rate"] = swaps / max(n - size, 1)
        out["mean_wait_over_size"] = float(ages.mean()) / size
        out["wait_spread_ok"] = bool(ages.std() > 1.2 * size) if len(ages) > 1 else False
    else:
        out["identity"] = bool(_torch.equal(outputs[0], images))
    return out
'''


# -- references (never sent to the kernel) ---------------------------------------------------
def _reference_functions():
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    def one_hot(labels, n_classes):
        if labels.dtype.is_floating_point or labels.dtype == torch.bool:
            raise ValueError("dtype")
        if labels.numel() and (int(labels.min()) < 0 or int(labels.max()) >= n_classes):
            raise ValueError("range")
        return torch.eye(n_classes)[labels.long()]

    class ConditionalGenerator(nn.Module):
        def __init__(self, z_dim, n_classes=10):
            super().__init__()
            self.n_classes = n_classes
            self.net = nn.Sequential(nn.Linear(z_dim + n_classes, 64), nn.ReLU(), nn.Linear(64, 784), nn.Tanh())

        def forward(self, z, labels):
            return self.net(torch.cat([z, one_hot(labels, self.n_classes)], 1)).view(-1, 1, 28, 28)

    class ConditionalDiscriminator(nn.Module):
        def __init__(self, n_classes=10):
            super().__init__()
            self.n_classes = n_classes
            self.net = nn.Sequential(nn.Linear(784 + n_classes, 64), nn.LeakyReLU(0.2), nn.Linear(64, 1))

        def forward(self, images, labels):
            return self.net(torch.cat([images.flatten(1), one_hot(labels, self.n_classes)], 1)).squeeze(1)

    def receptive_field(layers):
        field, jump = 1, 1
        for kernel_size, stride in layers:
            if kernel_size < 1 or stride < 1:
                raise ValueError("sizes")
            field += (kernel_size - 1) * jump
            jump *= stride
        return field

    class UNet(nn.Module):
        def __init__(self, in_channels=1, out_channels=1, base_channels=16, depth=2, dropout=0.5):
            super().__init__()
            channels = [base_channels * 2 ** level for level in range(depth)]
            self.down = nn.ModuleList()
            previous = in_channels
            for width in channels:
                self.down.append(nn.Sequential(nn.Conv2d(previous, width, 4, 2, 1), nn.LeakyReLU(0.2)))
                previous = width
            self.up, self.after = nn.ModuleList(), nn.ModuleList()
            for level in reversed(range(depth)):
                width_in = channels[level] if level == depth - 1 else 2 * channels[level]
                width_out = channels[level - 1] if level > 0 else base_channels
                self.up.append(nn.ConvTranspose2d(width_in, width_out, 4, 2, 1))
                self.after.append(nn.Sequential(nn.Dropout(dropout), nn.ReLU()))
            self.out = nn.Sequential(nn.Conv2d(base_channels + in_channels, out_channels, 3, 1, 1), nn.Tanh())

        def forward(self, x):
            skips, hidden = [x], x
            for layer in self.down:
                hidden = layer(hidden)
                skips.append(hidden)
            skips.pop()
            for up, after in zip(self.up, self.after):
                skip = skips.pop()
                hidden = torch.cat([after(up(hidden, output_size=skip.shape[-2:])), skip], 1)
            return self.out(hidden)

    def pix2pix_generator_loss(fake_logits, fake, target, lam=100.0):
        return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits)) + lam * (fake - target).abs().mean()

    def patch_discriminator_loss(real_logits, fake_logits):
        return 0.5 * (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
                      + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))

    def lsgan_discriminator_loss(real_scores, fake_scores):
        return ((real_scores - 1) ** 2).mean() + (fake_scores ** 2).mean()

    def lsgan_generator_loss(fake_scores):
        return ((fake_scores - 1) ** 2).mean()

    def cycle_consistency_loss(x, x_cycled, y, y_cycled, lam=10.0):
        return lam * ((x_cycled - x).abs().mean() + (y_cycled - y).abs().mean())

    class ImagePool:
        def __init__(self, size, generator=None):
            if size < 0:
                raise ValueError("size")
            self.size, self.generator, self.images = size, generator, []

        def query(self, images):
            if self.size == 0:
                return images
            out = []
            for image in images.detach():
                if len(self.images) < self.size:
                    self.images.append(image.clone())
                    out.append(image)
                elif torch.rand(1, generator=self.generator).item() < 0.5:
                    slot = int(torch.randint(self.size, (1,), generator=self.generator))
                    out.append(self.images[slot])
                    self.images[slot] = image.clone()
                else:
                    out.append(image)
            return torch.stack(out)

    return {f.__name__: f for f in (one_hot, ConditionalGenerator, ConditionalDiscriminator, receptive_field, UNet,
                                     pix2pix_generator_loss, patch_discriminator_loss, lsgan_discriminator_loss,
                                     lsgan_generator_loss, cycle_consistency_loss, ImagePool)}


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


def _image_pool_expected(size, n, batch, seed):
    out = _helper("image_pool")(size, n, batch, seed)
    if size > 0:
        out.update(swap_rate=0.5, mean_wait_over_size=2.0, wait_spread_ok=True)
    return out


_LOSS_TOLERANCE = {"value": 1e-4, "*": 1e-5}

CHECKS = {
    "test_one_hot": Check(
        calls=[
            Call("setup.one_hot", [3, 0, 2, 2, 1], 4),
            Call("setup.one_hot", [7, 1, 9, 0], 10, "int32"),
            Call("setup.one_hot", [0, 1, 1], 2, "uint8"),
            Call("setup.one_hot", [0], 1),
            Call("setup.one_hot", [0, 4], 4, raises="ValueError"),
            Call("setup.one_hot", [-2, 1], 4, raises="ValueError"),
            Call("setup.one_hot", [0.0, 2.0], 4, "float32", raises="ValueError"),
            Call("setup.one_hot", [True, False], 4, "bool", raises="ValueError"),
        ],
        reference={"setup.one_hot": _helper("one_hot")},
        tolerance=1e-9,
        setup=_SETUP,
    ),
    "test_conditional_networks": Check(
        calls=[
            Call("setup.conditional_networks", 7, 4, 8, 1),
            Call("setup.conditional_networks", 20, 10, 5, 2),
        ],
        reference={"setup.conditional_networks": _helper("conditional_networks")},
        setup=_SETUP,
    ),
    "test_receptive_field": Check(
        calls=[
            Call("setup.receptive_field", [[4, 2], [4, 2], [4, 2], [4, 1], [4, 1]]),
            Call("setup.receptive_field", [[3, 2], [5, 1], [3, 3], [2, 1]]),
            Call("setup.receptive_field", [[1, 1], [6, 2], [6, 2]]),
            Call("setup.receptive_field", [[5, 5], [3, 1], [2, 2], [4, 1], [1, 3]]),
            Call("setup.receptive_field", [[9, 1]]),
            Call("setup.receptive_field", []),
            Call("setup.receptive_field", [[2, 1], [0, 2]], raises="ValueError"),
            Call("setup.receptive_field", [[3, -1]], raises="ValueError"),
        ],
        reference={"setup.receptive_field": _helper("receptive_field")},
        setup=_SETUP,
    ),
    "test_unet": Check(
        calls=[
            Call("setup.unet", [1, 1, 8, 2], [2, 1, 28, 28], 1),
            Call("setup.unet", [2, 3, 4, 3], [2, 2, 28, 28], 2),
            Call("setup.unet", [1, 2, 6, 1], [3, 1, 10, 14], 3),
            Call("setup.unet", [3, 1, 4, 2], [2, 3, 24, 16], 4),
            Call("setup.unet", [1, 1, 8, 2], [2, 1, 16, 16], 5, dropout=0.0),
        ],
        reference={"setup.unet": _helper("unet")},
        setup=_SETUP,
    ),
    "test_pix2pix_generator_loss": Check(
        calls=[
            Call("setup.pix2pix_generator_loss", Name("patch_logits"), Name("fake_images"), Name("target_images")),
            Call("setup.pix2pix_generator_loss", Name("patch_logits"), Name("fake_images"), Name("target_images"), lam=3.0),
            Call("setup.pix2pix_generator_loss", Name("flat_logits"), Name("fake_images"), Name("target_images"), lam=0.0),
        ],
        reference={"setup.pix2pix_generator_loss": _helper("pix2pix_generator_loss")},
        tolerance={"value": 1e-3, "*": 1e-5},
        setup=_SETUP,
    ),
    "test_patch_discriminator_loss": Check(
        calls=[
            Call("setup.patch_discriminator_loss", Name("real_patch_logits"), Name("fake_patch_logits")),
            Call("setup.patch_discriminator_loss", Name("flat_logits"), Name("patch_logits")),
        ],
        reference={"setup.patch_discriminator_loss": _helper("patch_discriminator_loss")},
        tolerance=_LOSS_TOLERANCE,
        setup=_SETUP,
    ),
    "test_lsgan_losses": Check(
        calls=[
            Call("setup.lsgan_losses", Name("real_scores"), Name("fake_scores")),
            Call("setup.lsgan_losses", Name("flat_logits"), Name("patch_logits")),
        ],
        reference={"setup.lsgan_losses": _helper("lsgan_losses")},
        tolerance=_LOSS_TOLERANCE,
        setup=_SETUP,
    ),
    "test_cycle_consistency_loss": Check(
        calls=[
            Call("setup.cycle_consistency_loss", Name("x_images"), Name("x_cycled"), Name("y_images"), Name("y_cycled")),
            Call("setup.cycle_consistency_loss", Name("x_images"), Name("x_cycled"), Name("y_images"), Name("y_cycled"),
                 lam=0.7),
            Call("setup.cycle_consistency_loss", Name("y_images"), Name("y_cycled"), Name("x_images"), Name("x_images"),
                 lam=2.0),
        ],
        reference={"setup.cycle_consistency_loss": _helper("cycle_consistency_loss")},
        tolerance=_LOSS_TOLERANCE,
        setup=_SETUP,
    ),
    "test_image_pool": Check(
        calls=[
            Call("setup.image_pool", 10, 4000, 16, 3),
            Call("setup.image_pool", 7, 3000, 5, 4),
            Call("setup.image_pool", 0, 50, 8, 5),
            Call("ImagePool", -2, raises="ValueError"),
        ],
        reference={"setup.image_pool": _image_pool_expected},
        # hidden tests: swap rate within 0.06 of 1/2, mean wait within 0.5 * size of 2 * size,
        # wait spread above 1.2 * size
        tolerance={"swap_rate": 0.06, "mean_wait_over_size": 0.5, "*": 1e-9},
        setup=_SETUP,
    ),
}
