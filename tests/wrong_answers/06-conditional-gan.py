"""Plausible wrong answers for lecture 06 (each must lose the cell's points) and correct answers
written another way (each must keep them)."""

_POOL_HEAD = '''
class ImagePool:
    def __init__(self, size, generator=None):
        if size < 0:
            raise ValueError("size")
        self.size, self.generator, self.images = size, generator, []
'''

_UNET_PLAIN = '''
class UNet(nn.Module):
    def __init__(self, in_channels=1, out_channels=1, base_channels=16, depth=2, dropout=0.5):
        super().__init__()
        chans = [base_channels * 2 ** i for i in range(depth)]
        down, c = [], in_channels
        for w in chans:
            down += [nn.Conv2d(c, w, 4, 2, 1), nn.LeakyReLU(0.2)]
            c = w
        self.down = nn.Sequential(*down)
        self.up = nn.ModuleList(nn.ConvTranspose2d(chans[i], chans[i - 1] if i > 0 else base_channels, 4, 2, 1)
                                for i in reversed(range(depth)))
        self.drop = nn.Dropout(dropout)
        self.out = nn.Sequential(nn.Conv2d(base_channels, out_channels, 3, 1, 1), nn.Tanh())

    def forward(self, x):
        sizes, h = [], x
        for layer in self.down:
            if isinstance(layer, nn.Conv2d):
                sizes.append(h.shape[-2:])
            h = layer(h)
        for up in self.up:
            h = torch.relu(self.drop(up(h, output_size=sizes.pop())))
        return self.out(h)
'''

MUTANTS = {
    "test_one_hot": {
        "F.one_hot as is (int64, RuntimeError)": '''
def one_hot(labels, n_classes):
    return F.one_hot(labels, n_classes)
''',
        "F.one_hot(...).float(), no validation": '''
def one_hot(labels, n_classes):
    return F.one_hot(labels.long(), n_classes).float()
''',
        "float labels cast silently": '''
def one_hot(labels, n_classes):
    labels = labels.long()
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError("range")
    return torch.eye(n_classes)[labels]
''',
        "off by one: n_classes accepted": '''
def one_hot(labels, n_classes):
    if labels.dtype.is_floating_point or labels.dtype == torch.bool:
        raise ValueError("dtype")
    if labels.min() < 0 or labels.max() > n_classes:
        raise ValueError("range")
    return torch.eye(n_classes + 1)[labels.long()][:, :n_classes]
''',
        "transposed (n_classes, N)": '''
def one_hot(labels, n_classes):
    if labels.dtype.is_floating_point or labels.dtype == torch.bool:
        raise ValueError("dtype")
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError("range")
    return torch.eye(n_classes)[labels.long()].T.contiguous()
''',
        "float64 codes": '''
def one_hot(labels, n_classes):
    if labels.dtype.is_floating_point or labels.dtype == torch.bool:
        raise ValueError("dtype")
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError("range")
    return torch.eye(n_classes, dtype=torch.float64)[labels.long()]
''',
    },
    "test_conditional_networks": {
        "the generator ignores the labels": '''
class ConditionalGenerator(nn.Module):
    def __init__(self, z_dim, n_classes=10):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(z_dim, 128), nn.ReLU(), nn.Linear(128, 784), nn.Tanh())

    def forward(self, z, labels):
        return self.net(z).view(-1, 1, 28, 28)
''',
        "the discriminator ignores the labels": '''
class ConditionalDiscriminator(nn.Module):
    def __init__(self, n_classes=10):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(784, 64), nn.LeakyReLU(0.2), nn.Linear(64, 1))

    def forward(self, images, labels):
        return self.net(images).squeeze(1)
''',
        "no tanh at the end of the generator": '''
class ConditionalGenerator(nn.Module):
    def __init__(self, z_dim, n_classes=10):
        super().__init__()
        self.n_classes = n_classes
        self.net = nn.Sequential(nn.Linear(z_dim + n_classes, 128), nn.ReLU(), nn.Linear(128, 784))

    def forward(self, z, labels):
        return 3 * self.net(torch.cat([z, one_hot(labels, self.n_classes)], 1)).view(-1, 1, 28, 28)
''',
        "the discriminator returns (N, 1)": '''
class ConditionalDiscriminator(nn.Module):
    def __init__(self, n_classes=10):
        super().__init__()
        self.n_classes = n_classes
        self.net = nn.Sequential(nn.Linear(784 + n_classes, 64), nn.LeakyReLU(0.2), nn.Linear(64, 1))

    def forward(self, images, labels):
        return self.net(torch.cat([images.flatten(1), one_hot(labels, self.n_classes)], 1))
''',
        "the generator ignores z": '''
class ConditionalGenerator(nn.Module):
    def __init__(self, z_dim, n_classes=10):
        super().__init__()
        self.n_classes = n_classes
        self.net = nn.Sequential(nn.Linear(n_classes, 128), nn.ReLU(), nn.Linear(128, 784), nn.Tanh())

    def forward(self, z, labels):
        return self.net(one_hot(labels, self.n_classes)).view(-1, 1, 28, 28)
''',
    },
    "test_receptive_field": {
        "kernels only, strides ignored": '''
def receptive_field(layers):
    if any(k < 1 or s < 1 for k, s in layers):
        raise ValueError("sizes")
    return 1 + sum(k - 1 for k, s in layers)
''',
        "a layer's own stride applied to its growth": '''
def receptive_field(layers):
    field, jump = 1, 1
    for k, s in layers:
        if k < 1 or s < 1:
            raise ValueError("sizes")
        jump *= s
        field += (k - 1) * jump
    return field
''',
        "layers read from the output to the input": '''
def receptive_field(layers):
    field, jump = 1, 1
    for k, s in reversed(list(layers)):
        if k < 1 or s < 1:
            raise ValueError("sizes")
        field += (k - 1) * jump
        jump *= s
    return field
''',
        "product of the kernel sizes": '''
def receptive_field(layers):
    field = 1
    for k, s in layers:
        if k < 1 or s < 1:
            raise ValueError("sizes")
        field *= k
    return field
''',
        "no validation": '''
def receptive_field(layers):
    field, jump = 1, 1
    for k, s in layers:
        field += (k - 1) * jump
        jump *= s
    return field
''',
    },
    "test_unet": {
        "plain encoder-decoder (no skip connections)": _UNET_PLAIN,
        "upsampling by 2 without output_size (fails on odd sizes)": '''
class UNet(nn.Module):
    def __init__(self, in_channels=1, out_channels=1, base_channels=16, depth=2, dropout=0.5):
        super().__init__()
        chans = [base_channels * 2 ** i for i in range(depth)]
        self.down, c = nn.ModuleList(), in_channels
        for w in chans:
            self.down.append(nn.Sequential(nn.Conv2d(c, w, 4, 2, 1), nn.LeakyReLU(0.2)))
            c = w
        self.up = nn.ModuleList()
        for i in reversed(range(depth)):
            w_in = chans[i] if i == depth - 1 else 2 * chans[i]
            self.up.append(nn.Sequential(nn.ConvTranspose2d(w_in, chans[i - 1] if i > 0 else base_channels, 4, 2, 1),
                                         nn.Dropout(dropout), nn.ReLU()))
        self.out = nn.Sequential(nn.Conv2d(base_channels + in_channels, out_channels, 3, 1, 1), nn.Tanh())

    def forward(self, x):
        skips, h = [x], x
        for layer in self.down:
            h = layer(h)
            skips.append(h)
        skips.pop()
        for up in self.up:
            h = torch.cat([up(h), skips.pop()], 1)
        return self.out(h)
''',
        "no dropout (no noise)": _UNET_PLAIN.replace("class UNet", "class _Plain") + '''
class UNet(nn.Module):
    def __init__(self, in_channels=1, out_channels=1, base_channels=16, depth=2, dropout=0.5):
        super().__init__()
        chans = [base_channels * 2 ** i for i in range(depth)]
        self.down, c = nn.ModuleList(), in_channels
        for w in chans:
            self.down.append(nn.Sequential(nn.Conv2d(c, w, 4, 2, 1), nn.LeakyReLU(0.2)))
            c = w
        self.up = nn.ModuleList()
        for i in reversed(range(depth)):
            w_in = chans[i] if i == depth - 1 else 2 * chans[i]
            self.up.append(nn.ConvTranspose2d(w_in, chans[i - 1] if i > 0 else base_channels, 4, 2, 1))
        self.out = nn.Sequential(nn.Conv2d(base_channels + in_channels, out_channels, 3, 1, 1), nn.Tanh())

    def forward(self, x):
        skips, h = [x], x
        for layer in self.down:
            h = layer(h)
            skips.append(h)
        skips.pop()
        for up in self.up:
            skip = skips.pop()
            h = torch.cat([torch.relu(up(h, output_size=skip.shape[-2:])), skip], 1)
        return self.out(h)
''',
        "no tanh": '''
class UNet(nn.Module):
    def __init__(self, in_channels=1, out_channels=1, base_channels=16, depth=2, dropout=0.5):
        super().__init__()
        chans = [base_channels * 2 ** i for i in range(depth)]
        self.down, c = nn.ModuleList(), in_channels
        for w in chans:
            self.down.append(nn.Sequential(nn.Conv2d(c, w, 4, 2, 1), nn.LeakyReLU(0.2)))
            c = w
        self.up = nn.ModuleList()
        for i in reversed(range(depth)):
            w_in = chans[i] if i == depth - 1 else 2 * chans[i]
            self.up.append(nn.ConvTranspose2d(w_in, chans[i - 1] if i > 0 else base_channels, 4, 2, 1))
        self.drop = nn.Dropout(dropout)
        self.out = nn.Conv2d(base_channels + in_channels, out_channels, 3, 1, 1)

    def forward(self, x):
        skips, h = [x], x
        for layer in self.down:
            h = layer(h)
            skips.append(h)
        skips.pop()
        for up in self.up:
            skip = skips.pop()
            h = torch.cat([torch.relu(self.drop(up(h, output_size=skip.shape[-2:]))), skip], 1)
        return 5 * self.out(h)
''',
        "depth ignored (always two levels)": '''
_SolutionUNet = UNet


class UNet(_SolutionUNet):
    def __init__(self, in_channels=1, out_channels=1, base_channels=16, depth=2, dropout=0.5):
        super().__init__(in_channels, out_channels, base_channels, 2, dropout)
''',
    },
    "test_pix2pix_generator_loss": {
        "lam on the adversarial term": '''
def pix2pix_generator_loss(fake_logits, fake, target, lam=100.0):
    return lam * F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits)) + (fake - target).abs().mean()
''',
        "BCE against 0 (targets swapped)": '''
def pix2pix_generator_loss(fake_logits, fake, target, lam=100.0):
    return F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)) + lam * (fake - target).abs().mean()
''',
        "saturating: -BCE against 0": '''
def pix2pix_generator_loss(fake_logits, fake, target, lam=100.0):
    return -F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)) + lam * (fake - target).abs().mean()
''',
        "sums instead of means": '''
def pix2pix_generator_loss(fake_logits, fake, target, lam=100.0):
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits), reduction="sum") \\
        + lam * (fake - target).abs().sum()
''',
        "L2 instead of L1": '''
def pix2pix_generator_loss(fake_logits, fake, target, lam=100.0):
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits)) + lam * ((fake - target) ** 2).mean()
''',
        "the generated image detached in the L1 term": '''
def pix2pix_generator_loss(fake_logits, fake, target, lam=100.0):
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits)) + lam * (fake.detach() - target).abs().mean()
''',
        "lam ignored": '''
def pix2pix_generator_loss(fake_logits, fake, target, lam=100.0):
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits)) + 100.0 * (fake - target).abs().mean()
''',
    },
    "test_patch_discriminator_loss": {
        "no 1/2": '''
def patch_discriminator_loss(real_logits, fake_logits):
    return F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits)) \\
        + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
''',
        "targets swapped": '''
def patch_discriminator_loss(real_logits, fake_logits):
    return 0.5 * (F.binary_cross_entropy_with_logits(real_logits, torch.zeros_like(real_logits))
                  + F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits)))
''',
        "one mean over all logits together": '''
def patch_discriminator_loss(real_logits, fake_logits):
    logits = torch.cat([real_logits.reshape(-1), fake_logits.reshape(-1)])
    targets = torch.cat([torch.ones(real_logits.numel()), torch.zeros(fake_logits.numel())])
    return F.binary_cross_entropy_with_logits(logits, targets)
''',
        "sums instead of means": '''
def patch_discriminator_loss(real_logits, fake_logits):
    return 0.5 * (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits), reduction="sum")
                  + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits), reduction="sum"))
''',
    },
    "test_lsgan_losses": {
        "with Mao et al.'s 1/2": '''
def lsgan_discriminator_loss(real_scores, fake_scores):
    return 0.5 * (((real_scores - 1) ** 2).mean() + (fake_scores ** 2).mean())
''',
        "targets swapped": '''
def lsgan_discriminator_loss(real_scores, fake_scores):
    return (real_scores ** 2).mean() + ((fake_scores - 1) ** 2).mean()
''',
        "one mean over both batches": '''
def lsgan_discriminator_loss(real_scores, fake_scores):
    return torch.cat([((real_scores - 1) ** 2).reshape(-1), (fake_scores ** 2).reshape(-1)]).mean()
''',
        "generator pushes its scores to 0": '''
def lsgan_generator_loss(fake_scores):
    return (fake_scores ** 2).mean()
''',
        "generator loss with 1/2": '''
def lsgan_generator_loss(fake_scores):
    return 0.5 * ((fake_scores - 1) ** 2).mean()
''',
        "generator loss -mean(scores) (WGAN style)": '''
def lsgan_generator_loss(fake_scores):
    return -fake_scores.mean()
''',
    },
    "test_cycle_consistency_loss": {
        "only the forward cycle": '''
def cycle_consistency_loss(x, x_cycled, y, y_cycled, lam=10.0):
    return lam * (x_cycled - x).abs().mean()
''',
        "squared error": '''
def cycle_consistency_loss(x, x_cycled, y, y_cycled, lam=10.0):
    return lam * (((x_cycled - x) ** 2).mean() + ((y_cycled - y) ** 2).mean())
''',
        "lam on the first term only": '''
def cycle_consistency_loss(x, x_cycled, y, y_cycled, lam=10.0):
    return lam * (x_cycled - x).abs().mean() + (y_cycled - y).abs().mean()
''',
        "one mean over both directions": '''
def cycle_consistency_loss(x, x_cycled, y, y_cycled, lam=10.0):
    return lam * torch.cat([(x_cycled - x).abs().reshape(-1), (y_cycled - y).abs().reshape(-1)]).mean()
''',
        "sums instead of means": '''
def cycle_consistency_loss(x, x_cycled, y, y_cycled, lam=10.0):
    return lam * ((x_cycled - x).abs().sum() + (y_cycled - y).abs().sum())
''',
        "cycled images compared with the other domain": '''
def cycle_consistency_loss(x, x_cycled, y, y_cycled, lam=10.0):
    return lam * ((x_cycled - x).abs().mean() + (y_cycled - x.mean()).abs().mean())
''',
    },
    "test_image_pool": {
        "always swaps once full": _POOL_HEAD + '''
    def query(self, images):
        if self.size == 0:
            return images
        out = []
        for image in images.detach():
            if len(self.images) < self.size:
                self.images.append(image.clone())
                out.append(image)
            else:
                slot = int(torch.randint(self.size, (1,), generator=self.generator))
                out.append(self.images[slot])
                self.images[slot] = image.clone()
        return torch.stack(out)
''',
        "never swaps once full": _POOL_HEAD + '''
    def query(self, images):
        if self.size == 0:
            return images
        for image in images.detach():
            if len(self.images) < self.size:
                self.images.append(image.clone())
        return images
''',
        "swaps the oldest stored image (a queue)": _POOL_HEAD + '''
    def query(self, images):
        if self.size == 0:
            return images
        out = []
        for image in images.detach():
            if len(self.images) < self.size:
                self.images.append(image.clone())
                out.append(image)
            elif torch.rand(1, generator=self.generator).item() < 0.5:
                out.append(self.images.pop(0))
                self.images.append(image.clone())
            else:
                out.append(image)
        return torch.stack(out)
''',
        "returns a stored image without storing the new one": _POOL_HEAD + '''
    def query(self, images):
        if self.size == 0:
            return images
        out = []
        for image in images.detach():
            if len(self.images) < self.size:
                self.images.append(image.clone())
                out.append(image)
            elif torch.rand(1, generator=self.generator).item() < 0.5 and self.images:
                slot = int(torch.randint(len(self.images), (1,), generator=self.generator))
                out.append(self.images.pop(slot))
            else:
                out.append(image)
        return torch.stack(out)
''',
        "stores every image, samples from all of them": _POOL_HEAD + '''
    def query(self, images):
        if self.size == 0:
            return images
        out = []
        for image in images.detach():
            if len(self.images) < self.size:
                self.images.append(image.clone())
                out.append(image)
            elif torch.rand(1, generator=self.generator).item() < 0.5:
                slot = int(torch.randint(len(self.images), (1,), generator=self.generator))
                out.append(self.images[slot])
                self.images[slot] = image.clone()
            else:
                self.images.append(image.clone())
                out.append(image)
        return torch.stack(out)
''',
        "draws with torch's global generator": _POOL_HEAD + '''
    def query(self, images):
        if self.size == 0:
            return images
        out = []
        for image in images.detach():
            if len(self.images) < self.size:
                self.images.append(image.clone())
                out.append(image)
            elif torch.rand(1).item() < 0.5:
                slot = int(torch.randint(self.size, (1,)))
                out.append(self.images[slot])
                self.images[slot] = image.clone()
            else:
                out.append(image)
        return torch.stack(out)
''',
        "size 0 not handled": _POOL_HEAD + '''
    def query(self, images):
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
''',
        "no check of the size": '''
class ImagePool:
    def __init__(self, size, generator=None):
        self.size, self.generator, self.images = max(size, 0), generator, []

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
''',
    },
}


CORRECT = {
    "test_one_hot": {
        "torch.eye rows, checks with any()": """
def one_hot(labels, n_classes):
    if not (labels.dtype in (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)):
        raise ValueError("integer labels only")
    if ((labels < 0) | (labels >= n_classes)).any():
        raise ValueError("label out of range")
    return torch.eye(n_classes, device=labels.device)[labels.long()]
""",
        "F.one_hot(...).to(float32) after validation": """
def one_hot(labels, n_classes):
    if torch.is_floating_point(labels) or labels.dtype == torch.bool:
        raise ValueError("labels must be integers")
    if len(labels) and not (0 <= int(labels.min()) and int(labels.max()) < n_classes):
        raise ValueError("labels out of range")
    return F.one_hot(labels.to(torch.int64), num_classes=n_classes).to(torch.float32)
""",
        "scatter_ in a loop-free way": """
def one_hot(labels, n_classes):
    if labels.is_floating_point() or labels.dtype is torch.bool:
        raise ValueError("dtype")
    if labels.numel() and (labels.min().item() < 0 or labels.max().item() > n_classes - 1):
        raise ValueError("range")
    out = torch.zeros((labels.shape[0], n_classes))
    return out.scatter_(1, labels.long().unsqueeze(1), 1.0)
""",
    },
    "test_conditional_networks": {
        "Mirza and Osindero: one-hot label maps in D, an embedding in G, MLPs": """
class ConditionalGenerator(nn.Module):
    def __init__(self, z_dim, n_classes=10):
        super().__init__()
        self.embed = nn.Embedding(n_classes, 16)
        self.net = nn.Sequential(nn.Linear(z_dim + 16, 256), nn.LeakyReLU(0.2), nn.Linear(256, 784), nn.Tanh(),
                                 nn.Unflatten(1, (1, 28, 28)))

    def forward(self, z, labels):
        return self.net(torch.cat([z, self.embed(labels)], dim=1))


class ConditionalDiscriminator(nn.Module):
    def __init__(self, n_classes=10):
        super().__init__()
        self.n_classes = n_classes
        self.net = nn.Sequential(nn.Conv2d(1 + n_classes, 16, 4, 2, 1), nn.LeakyReLU(0.2), nn.Flatten(),
                                 nn.Linear(16 * 14 * 14, 1), nn.Flatten(0))

    def forward(self, images, labels):
        maps = one_hot(labels, self.n_classes)[:, :, None, None].expand(-1, -1, 28, 28)
        return self.net(torch.cat([images, maps], dim=1))
""",
    },
    "test_receptive_field": {
        "backward recursion from the output: r <- (r - 1) s + k": """
def receptive_field(layers):
    layers = list(layers)
    for k, s in layers:
        if k < 1 or s < 1:
            raise ValueError("kernel sizes and strides are at least 1")
    r = 1
    for k, s in reversed(layers):
        r = (r - 1) * s + k
    return r
""",
        "NumPy cumulative products (returns a NumPy integer)": """
def receptive_field(layers):
    sizes = np.array(list(layers), dtype=np.int64).reshape(-1, 2)
    if (sizes < 1).any():
        raise ValueError("kernel sizes and strides are at least 1")
    jumps = np.concatenate([[1], np.cumprod(sizes[:, 1])[:-1]]) if len(sizes) else np.zeros(0, dtype=np.int64)
    return 1 + np.sum((sizes[:, 0] - 1) * jumps)
""",
    },
    "test_unet": {
        "recursive blocks (pix2pix's reference style), MaxPool + interpolate, one shared LeakyReLU": """
class _Block(nn.Module):
    def __init__(self, outer, inner, sub=None, dropout=0.5):
        super().__init__()
        self.act = nn.LeakyReLU(0.2)
        self.down = nn.Sequential(nn.Conv2d(outer, inner, 3, 1, 1), nn.MaxPool2d(2))
        self.sub = sub
        self.up = nn.Conv2d(inner * 2 if sub is not None else inner, outer, 3, 1, 1)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        h = self.act(self.down(x))
        if self.sub is not None:
            h = self.sub(h)
        h = F.interpolate(h, size=x.shape[-2:], mode="nearest")
        return torch.cat([x, self.drop(self.act(self.up(h)))], dim=1)


class UNet(nn.Module):
    def __init__(self, in_channels=1, out_channels=1, base_channels=16, depth=2, dropout=0.5):
        super().__init__()
        block = None
        for level in reversed(range(depth)):
            width = base_channels * 2 ** level
            block = _Block(width // 2 if level > 0 else base_channels, width, block, dropout)
        self.inp = nn.Conv2d(in_channels, base_channels, 3, 1, 1)
        self.block = block
        self.out = nn.Conv2d(2 * base_channels, out_channels, 1)

    def forward(self, x):
        return torch.tanh(self.out(self.block(self.inp(x))))
""",
    },
    "test_pix2pix_generator_loss": {
        "softplus and F.l1_loss": """
def pix2pix_generator_loss(fake_logits, fake, target, lam=100.0):
    return F.softplus(-fake_logits).mean() + lam * F.l1_loss(fake, target)
""",
        "-logsigmoid, float32 by hand": """
def pix2pix_generator_loss(fake_logits, fake, target, lam=100.0):
    adversarial = -F.logsigmoid(fake_logits).sum() / fake_logits.numel()
    return adversarial + lam * torch.mean(torch.abs(target - fake))
""",
    },
    "test_patch_discriminator_loss": {
        "softplus forms": """
def patch_discriminator_loss(real_logits, fake_logits):
    return (F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()) / 2
""",
        "nn.BCEWithLogitsLoss module": """
def patch_discriminator_loss(real_logits, fake_logits):
    criterion = nn.BCEWithLogitsLoss()
    return 0.5 * criterion(real_logits, torch.ones_like(real_logits)) + 0.5 * criterion(fake_logits, torch.zeros_like(fake_logits))
""",
    },
    "test_lsgan_losses": {
        "F.mse_loss against constant targets": """
def lsgan_discriminator_loss(real_scores, fake_scores):
    return F.mse_loss(real_scores, torch.ones_like(real_scores)) + F.mse_loss(fake_scores, torch.zeros_like(fake_scores))


def lsgan_generator_loss(fake_scores):
    return F.mse_loss(fake_scores, torch.ones_like(fake_scores))
""",
        "torch.square and torch.mean": """
def lsgan_discriminator_loss(real_scores, fake_scores):
    return torch.mean(torch.square(1 - real_scores)) + torch.mean(torch.square(fake_scores))


def lsgan_generator_loss(fake_scores):
    return torch.mean(torch.square(1.0 - fake_scores))
""",
    },
    "test_cycle_consistency_loss": {
        "F.l1_loss twice, lam distributed": """
def cycle_consistency_loss(x, x_cycled, y, y_cycled, lam=10.0):
    return lam * F.l1_loss(x_cycled, x) + lam * F.l1_loss(y_cycled, y)
""",
        "nn.L1Loss module": """
def cycle_consistency_loss(x, x_cycled, y, y_cycled, lam=10.0):
    l1 = nn.L1Loss()
    return (l1(x, x_cycled) + l1(y, y_cycled)) * lam
""",
    },
    "test_image_pool": {
        "preallocated tensor, slot drawn before the coin": """
class ImagePool:
    def __init__(self, size, generator=None):
        if size < 0:
            raise ValueError("the pool size cannot be negative")
        self.size, self.generator, self.count, self.buffer = size, generator, 0, None

    def query(self, images):
        if self.size == 0:
            return images
        out = images.detach().clone()
        if self.buffer is None:
            self.buffer = torch.empty((self.size,) + tuple(images.shape[1:]), dtype=images.dtype, device=images.device)
        for i in range(len(out)):
            if self.count < self.size:
                self.buffer[self.count] = out[i]
                self.count += 1
                continue
            slot = torch.randint(0, self.size, (1,), generator=self.generator).item()
            if torch.rand((), generator=self.generator) > 0.5:
                old = self.buffer[slot].clone()
                self.buffer[slot] = out[i]
                out[i] = old
        return out
""",
        "one uniform draw per image decides both coin and slot": """
class ImagePool:
    def __init__(self, size, generator=None):
        if size < 0:
            raise ValueError("size must be >= 0")
        self.size, self.generator, self.images = size, generator, []

    def query(self, images):
        if not self.size:
            return images
        result = []
        for image in images:
            image = image.detach().clone()
            if len(self.images) < self.size:
                self.images.append(image)
                result.append(image)
                continue
            u = float(torch.rand(1, generator=self.generator))
            if u < 0.5:
                slot = min(int(u * 2 * self.size), self.size - 1)
                result.append(self.images[slot])
                self.images[slot] = image
            else:
                result.append(image)
        return torch.stack(result)
""",
    },
}
