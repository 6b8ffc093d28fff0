"""Plausible wrong answers for lecture 02 (each must lose the cell's points) and correct answers
written another way (each must keep them)."""

_FGSM_GRADIENT = '''
def _fgsm_gradient(model, x, y):
    x = x.detach().clone().requires_grad_(True)
    (gradient,) = torch.autograd.grad(F.cross_entropy(model(x), y), x)
    return gradient
'''

_VALIDATED_OD = '''
def _od_inputs(p_real, p_gen):
    p_real = torch.as_tensor(p_real, dtype=torch.float64)
    p_gen = torch.as_tensor(p_gen, dtype=torch.float64)
    if p_real.shape != p_gen.shape or (p_real < 0).any() or (p_gen < 0).any():
        raise ValueError("bad input")
    return p_real, p_gen
'''

_TRAINING_STEP_HEAD = '''
def gan_training_step(G, D, opt_G, opt_D, real, z_dim, d_steps=1):
    if d_steps < 1:
        raise ValueError("d_steps")
    n = real.shape[0]
'''

_IS_HEAD = '''
def _is_probs(probs):
    probs = torch.as_tensor(probs, dtype=torch.float64)
    if probs.ndim != 2 or (probs < 0).any() or not torch.allclose(probs.sum(1), torch.ones(len(probs), dtype=torch.float64), atol=1e-4):
        raise ValueError("bad probabilities")
    return probs
'''

_FID_HEAD = '''
def _fid_inputs(mu1, sigma1, mu2, sigma2):
    return tuple(torch.as_tensor(a, dtype=torch.float64) for a in (mu1, sigma1, mu2, sigma2))

def _psd_root(s):
    values, vectors = torch.linalg.eigh(s)
    return vectors @ torch.diag(values.clamp_min(0).sqrt()) @ vectors.T
'''

_GENERATOR_FORWARD = '''
    def forward(self, z):
        return self.net(z.reshape(z.shape[0], -1, 1, 1))
'''

_DISCRIMINATOR_FORWARD = '''
    def forward(self, x):
        return self.net(x).reshape(-1)
'''

MUTANTS = {
    "test_fgsm": {
        "wrong sign (descends the loss)": _FGSM_GRADIENT + '''
def fgsm(model, x, y, eps):
    if eps < 0: raise ValueError("eps")
    return (x - eps * _fgsm_gradient(model, x, y).sign()).clamp(0, 1).detach()
''',
        "no sign (raw gradient step)": _FGSM_GRADIENT + '''
def fgsm(model, x, y, eps):
    if eps < 0: raise ValueError("eps")
    return (x + eps * _fgsm_gradient(model, x, y)).clamp(0, 1).detach()
''',
        "no clip to [0, 1]": _FGSM_GRADIENT + '''
def fgsm(model, x, y, eps):
    if eps < 0: raise ValueError("eps")
    return (x + eps * _fgsm_gradient(model, x, y).sign()).detach()
''',
        "negative eps accepted": _FGSM_GRADIENT + '''
def fgsm(model, x, y, eps):
    return (x + eps * _fgsm_gradient(model, x, y).sign()).clamp(0, 1).detach()
''',
        "not detached": _FGSM_GRADIENT + '''
def fgsm(model, x, y, eps):
    if eps < 0: raise ValueError("eps")
    x = x.detach().clone().requires_grad_(True)
    (gradient,) = torch.autograd.grad(F.cross_entropy(model(x), y), x)
    return (x + eps * gradient.sign()).clamp(0, 1)
''',
        "switches the model to eval mode": '''
def fgsm(model, x, y, eps):
    if eps < 0: raise ValueError("eps")
    model.eval()
    x = x.detach().clone().requires_grad_(True)
    (gradient,) = torch.autograd.grad(F.cross_entropy(model(x), y), x)
    return (x + eps * gradient.sign()).clamp(0, 1).detach()
''',
        "modifies x in place": _FGSM_GRADIENT + '''
def fgsm(model, x, y, eps):
    if eps < 0: raise ValueError("eps")
    gradient = _fgsm_gradient(model, x, y)
    x += eps * gradient.sign()
    return x.clamp_(0, 1)
''',
    },
    "test_gan_value": {
        "arguments' roles swapped": '''
def gan_value(d_real, d_fake):
    return torch.log(d_fake).mean() + torch.log1p(-d_real).mean()
''',
        "log D(G(z)) instead of log(1 - D(G(z)))": '''
def gan_value(d_real, d_fake):
    return torch.log(d_real).mean() + torch.log(d_fake).mean()
''',
        "sums instead of means": '''
def gan_value(d_real, d_fake):
    return torch.log(d_real).sum() + torch.log1p(-d_fake).sum()
''',
        "clamped logs (no -inf)": '''
def gan_value(d_real, d_fake):
    return torch.log(d_real.clamp_min(1e-12)).mean() + torch.log((1 - d_fake).clamp_min(1e-12)).mean()
''',
        "one mean over both batches": '''
def gan_value(d_real, d_fake):
    return torch.cat([torch.log(d_real), torch.log1p(-d_fake)]).mean() * 2
''',
    },
    "test_optimal_discriminator": {
        "p_gen / (p_real + p_gen)": _VALIDATED_OD + '''
def optimal_discriminator(p_real, p_gen):
    p_real, p_gen = _od_inputs(p_real, p_gen)
    total = p_real + p_gen
    return torch.where(total > 0, p_gen / torch.where(total > 0, total, torch.ones_like(total)), 0.5)
''',
        "nan where both are 0": _VALIDATED_OD + '''
def optimal_discriminator(p_real, p_gen):
    p_real, p_gen = _od_inputs(p_real, p_gen)
    return p_real / (p_real + p_gen)
''',
        "0 where both are 0": _VALIDATED_OD + '''
def optimal_discriminator(p_real, p_gen):
    p_real, p_gen = _od_inputs(p_real, p_gen)
    return p_real / (p_real + p_gen).clamp_min(1e-300)
''',
        "only p_gen checked for negative entries": '''
def optimal_discriminator(p_real, p_gen):
    p_real = torch.as_tensor(p_real, dtype=torch.float64)
    p_gen = torch.as_tensor(p_gen, dtype=torch.float64)
    if p_real.shape != p_gen.shape or (p_gen < 0).any():
        raise ValueError("bad input")
    total = p_real + p_gen
    return torch.where(total > 0, p_real / torch.where(total > 0, total, torch.ones_like(total)), 0.5)
''',
        "no validation": '''
def optimal_discriminator(p_real, p_gen):
    p_real = torch.as_tensor(p_real, dtype=torch.float64)
    p_gen = torch.as_tensor(p_gen, dtype=torch.float64)
    total = p_real + p_gen
    return torch.where(total > 0, p_real / torch.where(total > 0, total, torch.ones_like(total)), 0.5)
''',
    },
    "test_discriminator_loss": {
        "naive log-sigmoid (overflows at logits +-120)": '''
def discriminator_loss(real_logits, fake_logits):
    return -torch.log(torch.sigmoid(real_logits)).mean() - torch.log(1 - torch.sigmoid(fake_logits)).mean()
''',
        "factor 1/2": '''
def discriminator_loss(real_logits, fake_logits):
    return 0.5 * (F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean())
''',
        "labels swapped": '''
def discriminator_loss(real_logits, fake_logits):
    return F.softplus(real_logits).mean() + F.softplus(-fake_logits).mean()
''',
        "BCE on probabilities (log clamped at -100)": '''
def discriminator_loss(real_logits, fake_logits):
    return F.binary_cross_entropy(torch.sigmoid(real_logits), torch.ones_like(real_logits)) \\
        + F.binary_cross_entropy(torch.sigmoid(fake_logits), torch.zeros_like(fake_logits))
''',
        "one mean over both batches": '''
def discriminator_loss(real_logits, fake_logits):
    return torch.cat([F.softplus(-real_logits).reshape(-1), F.softplus(fake_logits).reshape(-1)]).mean() * 2
''',
    },
    "test_generator_loss": {
        "kinds swapped": '''
def generator_loss(fake_logits, kind):
    if kind == "non_saturating": return -F.softplus(fake_logits).mean()
    if kind == "minimax": return F.softplus(-fake_logits).mean()
    raise ValueError(kind)
''',
        "naive logs (overflow)": '''
def generator_loss(fake_logits, kind):
    d = torch.sigmoid(fake_logits)
    if kind == "minimax": return torch.log(1 - d).mean()
    if kind == "non_saturating": return -torch.log(d).mean()
    raise ValueError(kind)
''',
        "minimax sign flipped": '''
def generator_loss(fake_logits, kind):
    if kind == "minimax": return F.softplus(fake_logits).mean()
    if kind == "non_saturating": return F.softplus(-fake_logits).mean()
    raise ValueError(kind)
''',
        "non-saturating as -minimax": '''
def generator_loss(fake_logits, kind):
    if kind == "minimax": return -F.softplus(fake_logits).mean()
    if kind == "non_saturating": return F.softplus(fake_logits).mean()
    raise ValueError(kind)
''',
        "unknown kind accepted": '''
def generator_loss(fake_logits, kind):
    if kind == "minimax": return -F.softplus(fake_logits).mean()
    return F.softplus(-fake_logits).mean()
''',
    },
    "test_gan_training_step": {
        "fakes not detached in the D step": _TRAINING_STEP_HEAD + '''
    for _ in range(d_steps):
        fake = G(torch.randn(n, z_dim, device=real.device))
        d_loss = discriminator_loss(D(real), D(fake))
        opt_D.zero_grad()
        d_loss.backward()
        opt_D.step()
    g_loss = generator_loss(D(G(torch.randn(n, z_dim, device=real.device))), "non_saturating")
    opt_G.zero_grad()
    g_loss.backward()
    opt_G.step()
    return d_loss.item(), g_loss.item()
''',
        "D stepped during the G step": _TRAINING_STEP_HEAD + '''
    for _ in range(d_steps):
        fake = G(torch.randn(n, z_dim, device=real.device)).detach()
        d_loss = discriminator_loss(D(real), D(fake))
        opt_D.zero_grad()
        d_loss.backward()
        opt_D.step()
    g_loss = generator_loss(D(G(torch.randn(n, z_dim, device=real.device))), "non_saturating")
    opt_G.zero_grad()
    g_loss.backward()
    opt_G.step()
    opt_D.step()
    return d_loss.item(), g_loss.item()
''',
        "no zero_grad for D": _TRAINING_STEP_HEAD + '''
    for _ in range(d_steps):
        fake = G(torch.randn(n, z_dim, device=real.device)).detach()
        d_loss = discriminator_loss(D(real), D(fake))
        d_loss.backward()
        opt_D.step()
    g_loss = generator_loss(D(G(torch.randn(n, z_dim, device=real.device))), "non_saturating")
    opt_G.zero_grad()
    g_loss.backward()
    opt_G.step()
    return d_loss.item(), g_loss.item()
''',
        "no zero_grad for G": _TRAINING_STEP_HEAD + '''
    for _ in range(d_steps):
        fake = G(torch.randn(n, z_dim, device=real.device)).detach()
        d_loss = discriminator_loss(D(real), D(fake))
        opt_D.zero_grad()
        d_loss.backward()
        opt_D.step()
    g_loss = generator_loss(D(G(torch.randn(n, z_dim, device=real.device))), "non_saturating")
    g_loss.backward()
    opt_G.step()
    return d_loss.item(), g_loss.item()
''',
        "minimax generator loss": _TRAINING_STEP_HEAD + '''
    for _ in range(d_steps):
        fake = G(torch.randn(n, z_dim, device=real.device)).detach()
        d_loss = discriminator_loss(D(real), D(fake))
        opt_D.zero_grad()
        d_loss.backward()
        opt_D.step()
    g_loss = generator_loss(D(G(torch.randn(n, z_dim, device=real.device))), "minimax")
    opt_G.zero_grad()
    g_loss.backward()
    opt_G.step()
    return d_loss.item(), g_loss.item()
''',
        "one fake batch reused for all k D steps": _TRAINING_STEP_HEAD + '''
    fake = G(torch.randn(n, z_dim, device=real.device)).detach()
    for _ in range(d_steps):
        d_loss = discriminator_loss(D(real), D(fake))
        opt_D.zero_grad()
        d_loss.backward()
        opt_D.step()
    g_loss = generator_loss(D(G(torch.randn(n, z_dim, device=real.device))), "non_saturating")
    opt_G.zero_grad()
    g_loss.backward()
    opt_G.step()
    return d_loss.item(), g_loss.item()
''',
        "d_steps ignored": _TRAINING_STEP_HEAD + '''
    fake = G(torch.randn(n, z_dim, device=real.device)).detach()
    d_loss = discriminator_loss(D(real), D(fake))
    opt_D.zero_grad()
    d_loss.backward()
    opt_D.step()
    g_loss = generator_loss(D(G(torch.randn(n, z_dim, device=real.device))), "non_saturating")
    opt_G.zero_grad()
    g_loss.backward()
    opt_G.step()
    return d_loss.item(), g_loss.item()
''',
        "generator step before the discriminator steps": _TRAINING_STEP_HEAD + '''
    g_loss = generator_loss(D(G(torch.randn(n, z_dim, device=real.device))), "non_saturating")
    opt_G.zero_grad()
    g_loss.backward()
    opt_G.step()
    for _ in range(d_steps):
        fake = G(torch.randn(n, z_dim, device=real.device)).detach()
        d_loss = discriminator_loss(D(real), D(fake))
        opt_D.zero_grad()
        d_loss.backward()
        opt_D.step()
    return d_loss.item(), g_loss.item()
''',
        "returns the loss tensors (graph still attached)": _TRAINING_STEP_HEAD + '''
    for _ in range(d_steps):
        fake = G(torch.randn(n, z_dim, device=real.device)).detach()
        d_loss = discriminator_loss(D(real), D(fake))
        opt_D.zero_grad()
        d_loss.backward()
        opt_D.step()
    g_loss = generator_loss(D(G(torch.randn(n, z_dim, device=real.device))), "non_saturating")
    opt_G.zero_grad()
    g_loss.backward()
    opt_G.step()
    return d_loss, g_loss
''',
    },
    "test_dcgan_weights_init": {
        "variance 0.02 instead of std": '''
def dcgan_weights_init(module):
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02 ** 0.5)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
''',
        "batch-norm scales around 0": '''
def dcgan_weights_init(module):
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.BatchNorm2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
    if isinstance(module, nn.BatchNorm2d):
        nn.init.zeros_(module.bias)
''',
        "batch-norm shifts not zeroed": '''
def dcgan_weights_init(module):
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
''',
        "transposed convolutions skipped": '''
def dcgan_weights_init(module):
    if isinstance(module, nn.Conv2d):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
''',
        "replaces the parameters": '''
def dcgan_weights_init(module):
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        module.weight = nn.Parameter(torch.randn_like(module.weight) * 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        module.weight = nn.Parameter(1 + torch.randn_like(module.weight) * 0.02)
        module.bias = nn.Parameter(torch.zeros_like(module.bias))
''',
        "convolution biases zeroed": '''
def dcgan_weights_init(module):
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
''',
        "Linear layers initialised too": '''
def dcgan_weights_init(module):
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
''',
        "uniform instead of normal": '''
def dcgan_weights_init(module):
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.uniform_(module.weight, -0.02, 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.uniform_(module.weight, 0.98, 1.02)
        nn.init.zeros_(module.bias)
''',
    },
    "test_dcgan_generator": {
        "fully connected input layer": '''
class DCGenerator(nn.Module):
    def __init__(self, z_dim, width=32):
        super().__init__()
        self.width = width
        self.fc = nn.Linear(z_dim, 2 * width * 7 * 7)
        self.net = nn.Sequential(
            nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Tanh())

    def forward(self, z):
        return self.net(self.fc(z).reshape(z.shape[0], 2 * self.width, 7, 7))
''',
        "no batch norm": '''
class DCGenerator(nn.Module):
    def __init__(self, z_dim, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.ConvTranspose2d(z_dim, 2 * width, 7, 1, 0), nn.ReLU(),
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1), nn.ReLU(),
            nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Tanh())
''' + _GENERATOR_FORWARD,
        "LeakyReLU in the generator": '''
class DCGenerator(nn.Module):
    def __init__(self, z_dim, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.ConvTranspose2d(z_dim, 2 * width, 7, 1, 0, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=False), nn.BatchNorm2d(width), nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Tanh())
''' + _GENERATOR_FORWARD,
        "sigmoid output": '''
class DCGenerator(nn.Module):
    def __init__(self, z_dim, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.ConvTranspose2d(z_dim, 2 * width, 7, 1, 0, bias=False), nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Sigmoid())
''' + _GENERATOR_FORWARD,
        "3x3 transposed kernels (shapes right, parameters wrong)": '''
class DCGenerator(nn.Module):
    def __init__(self, z_dim, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.ConvTranspose2d(z_dim, 2 * width, 7, 1, 0, bias=False), nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.ConvTranspose2d(2 * width, width, 3, 2, 1, output_padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.ConvTranspose2d(width, 1, 3, 2, 1, output_padding=1), nn.Tanh())
''' + _GENERATOR_FORWARD,
        "channel widths swapped": '''
class DCGenerator(nn.Module):
    def __init__(self, z_dim, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.ConvTranspose2d(z_dim, width, 7, 1, 0, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.ConvTranspose2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.ConvTranspose2d(2 * width, 1, 4, 2, 1), nn.Tanh())
''' + _GENERATOR_FORWARD,
    },
    "test_dcgan_discriminator": {
        "sigmoid at the output": '''
class DCDiscriminator(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * width, 1, 7), nn.Sigmoid())
''' + _DISCRIMINATOR_FORWARD,
        "batch norm on the input layer": '''
class DCDiscriminator(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 4, 2, 1, bias=False), nn.BatchNorm2d(width), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * width, 1, 7))
''' + _DISCRIMINATOR_FORWARD,
        "ReLU instead of LeakyReLU": '''
class DCDiscriminator(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 4, 2, 1), nn.ReLU(),
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.Conv2d(2 * width, 1, 7))
''' + _DISCRIMINATOR_FORWARD,
        "max pooling instead of strides": '''
class DCDiscriminator(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 3, 1, 1), nn.LeakyReLU(0.2), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, 1, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
            nn.MaxPool2d(2), nn.Conv2d(2 * width, 1, 7))
''' + _DISCRIMINATOR_FORWARD,
        "LeakyReLU slope 0.01": '''
class DCDiscriminator(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(),
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(),
            nn.Conv2d(2 * width, 1, 7))
''' + _DISCRIMINATOR_FORWARD,
        "3x3 kernels (shapes right, parameters wrong)": '''
class DCDiscriminator(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 3, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 2 * width, 3, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * width, 1, 7))
''' + _DISCRIMINATOR_FORWARD,
        "squeeze() drops the batch dimension of a single image": '''
class DCDiscriminator(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * width, 1, 7))

    def forward(self, x):
        return self.net(x).squeeze()
''',
        "nn.Flatten at the end, logits left (N, 1)": '''
class DCDiscriminator(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * width, 1, 7), nn.Flatten())

    def forward(self, x):
        return self.net(x)
''',
        "logits shaped (N, 1)": '''
class DCDiscriminator(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * width, 1, 7))

    def forward(self, x):
        return self.net(x).reshape(-1, 1)
''',
    },
    "test_inception_score": {
        "log2": _IS_HEAD + '''
def inception_score(probs):
    probs = _is_probs(probs)
    marginal = probs.mean(0)
    terms = torch.where(probs > 0, probs * torch.log2(probs.clamp_min(1e-300) / marginal.clamp_min(1e-300)), 0.0)
    return float(torch.exp(terms.sum(1).mean()))
''',
        "no exp": _IS_HEAD + '''
def inception_score(probs):
    probs = _is_probs(probs)
    marginal = probs.mean(0)
    terms = torch.where(probs > 0, probs * torch.log(probs.clamp_min(1e-300) / marginal.clamp_min(1e-300)), 0.0)
    return float(terms.sum(1).mean())
''',
        "KL reversed": _IS_HEAD + '''
def inception_score(probs):
    probs = _is_probs(probs).clamp_min(1e-12)
    marginal = probs.mean(0)
    return float(torch.exp((marginal * torch.log(marginal / probs)).sum(1).mean()))
''',
        "0 log 0 gives nan": _IS_HEAD + '''
def inception_score(probs):
    probs = _is_probs(probs)
    marginal = probs.mean(0)
    return float(torch.exp((probs * torch.log(probs / marginal)).sum(1).mean()))
''',
        "exp inside the mean": _IS_HEAD + '''
def inception_score(probs):
    probs = _is_probs(probs)
    marginal = probs.mean(0)
    terms = torch.where(probs > 0, probs * torch.log(probs.clamp_min(1e-300) / marginal.clamp_min(1e-300)), 0.0)
    return float(torch.exp(terms.sum(1)).mean())
''',
        "no validation": '''
def inception_score(probs):
    probs = torch.as_tensor(probs, dtype=torch.float64)
    marginal = probs.mean(0)
    terms = torch.where(probs > 0, probs * torch.log(probs.clamp_min(1e-300) / marginal.clamp_min(1e-300)), 0.0)
    return float(torch.exp(terms.sum(1).mean()))
''',
    },
    "test_frechet_distance": {
        "no matrix square root": _FID_HEAD + '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = _fid_inputs(mu1, sigma1, mu2, sigma2)
    return float(((mu1 - mu2) ** 2).sum() + torch.trace(sigma1 + sigma2 - 2 * sigma1 @ sigma2))
''',
        "trace sign flipped": _FID_HEAD + '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = _fid_inputs(mu1, sigma1, mu2, sigma2)
    r = _psd_root(sigma1)
    cross = torch.linalg.eigvalsh(r @ sigma2 @ r).clamp_min(0).sqrt().sum()
    return float(((mu1 - mu2) ** 2).sum() + torch.trace(sigma1) + torch.trace(sigma2) + 2 * cross)
''',
        "elementwise square root": _FID_HEAD + '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = _fid_inputs(mu1, sigma1, mu2, sigma2)
    cross = torch.trace((sigma1 @ sigma2).abs().sqrt())
    return float(((mu1 - mu2) ** 2).sum() + torch.trace(sigma1) + torch.trace(sigma2) - 2 * cross)
''',
        "product of the roots": _FID_HEAD + '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = _fid_inputs(mu1, sigma1, mu2, sigma2)
    cross = torch.trace(_psd_root(sigma1) @ _psd_root(sigma2))
    return float(((mu1 - mu2) ** 2).sum() + torch.trace(sigma1) + torch.trace(sigma2) - 2 * cross)
''',
        "no shape validation (a mean of size 1 broadcasts)": '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    import scipy.linalg
    mu1, sigma1, mu2, sigma2 = (np.asarray(torch.as_tensor(a, dtype=torch.float64)) for a in (mu1, sigma1, mu2, sigma2))
    root = scipy.linalg.sqrtm(sigma1 @ sigma2).real
    return float(np.sum((mu1 - mu2) ** 2) + np.trace(sigma1 + sigma2 - 2 * root))
''',
        "distance of the means not squared": _FID_HEAD + '''
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = _fid_inputs(mu1, sigma1, mu2, sigma2)
    r = _psd_root(sigma1)
    cross = torch.linalg.eigvalsh(r @ sigma2 @ r).clamp_min(0).sqrt().sum()
    return float((mu1 - mu2).norm() + torch.trace(sigma1) + torch.trace(sigma2) - 2 * cross)
''',
    },
}


_OD_CHECKS = """
    if p_real.shape != p_gen.shape:
        raise ValueError("shapes differ")
    if (p_real < 0).any() or (p_gen < 0).any():
        raise ValueError("negative")
"""

_FID_CHECKS = """
def _fid_shapes(mu1, sigma1, mu2, sigma2):
    d = mu1.shape[0] if mu1.ndim == 1 else -1
    if d < 0 or mu2.shape != (d,) or sigma1.shape != (d, d) or sigma2.shape != (d, d):
        raise ValueError("expected means (d,) and covariances (d, d)")
"""

_IS_CHECKS = """
def _is_checks(p):
    if p.ndim != 2 or (p < 0).any() or not np.allclose(p.sum(1), 1.0, atol=1e-4):
        raise ValueError("bad probabilities")
"""

_STEP_TAIL = """
    for _ in range(d_steps):
        with torch.no_grad():
            fake = G(torch.randn(n, z_dim, device=real.device))
        d_loss = discriminator_loss(D(real), D(fake))
        opt_D.zero_grad()
        d_loss.backward()
        opt_D.step()
    g_loss = generator_loss(D(G(torch.randn(n, z_dim, device=real.device))), "non_saturating")
    opt_G.zero_grad()
    g_loss.backward()
    opt_G.step()
"""

_DISCRIMINATOR_LAYERS = """
            nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * width, 1, 7),"""

CORRECT = {
    "test_fgsm": {
        "backward() and x.grad": """
def fgsm(model, x, y, eps):
    if eps < 0:
        raise ValueError("eps < 0")
    x_adv = x.clone().detach()
    x_adv.requires_grad = True
    loss = F.cross_entropy(model(x_adv), y)
    loss.backward()
    return torch.clamp(x_adv + eps * x_adv.grad.sign(), 0, 1).detach()
""",
        "summed loss and nll_loss(log_softmax)": """
def fgsm(model, x, y, eps):
    if eps < 0:
        raise ValueError("eps < 0")
    x = x.detach().requires_grad_(True)
    loss = F.nll_loss(F.log_softmax(model(x), dim=1), y, reduction="sum")
    (gradient,) = torch.autograd.grad(loss, x)
    with torch.no_grad():
        return torch.clip(x + eps * torch.sign(gradient), min=0.0, max=1.0)
""",
    },
    "test_gan_value": {
        "log(1 - d) and torch.mean": """
def gan_value(d_real, d_fake):
    return torch.mean(torch.log(d_real)) + torch.mean(torch.log(1 - d_fake))
""",
        "sums divided by the sizes": """
def gan_value(d_real, d_fake):
    return d_real.log().sum() / d_real.numel() + (1 - d_fake).log().sum() / d_fake.numel()
""",
    },
    "test_optimal_discriminator": {
        "float32 arithmetic": """
def optimal_discriminator(p_real, p_gen):
    p_real = torch.as_tensor(p_real).float()
    p_gen = torch.as_tensor(p_gen).float()
""" + _OD_CHECKS + """
    total = p_real + p_gen
    return torch.where(total == 0, torch.full_like(total, 0.5), p_real / total)
""",
        "NumPy, then a tensor": """
def optimal_discriminator(p_real, p_gen):
    p_real = np.asarray(p_real, dtype=np.float64)
    p_gen = np.asarray(p_gen, dtype=np.float64)
""" + _OD_CHECKS + """
    total = p_real + p_gen
    out = np.divide(p_real, total, out=np.full_like(total, 0.5), where=total > 0)
    return torch.from_numpy(out)
""",
        "nan_to_num on 0 / 0": """
def optimal_discriminator(p_real, p_gen):
    p_real = torch.as_tensor(p_real, dtype=torch.float64)
    p_gen = torch.as_tensor(p_gen, dtype=torch.float64)
""" + _OD_CHECKS + """
    return torch.nan_to_num(p_real / (p_real + p_gen), nan=0.5)
""",
    },
    "test_discriminator_loss": {
        "binary_cross_entropy_with_logits": """
def discriminator_loss(real_logits, fake_logits):
    return (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
""",
        "logsigmoid": """
def discriminator_loss(real_logits, fake_logits):
    return -F.logsigmoid(real_logits).mean() - F.logsigmoid(-fake_logits).mean()
""",
        "BCEWithLogitsLoss module": """
def discriminator_loss(real_logits, fake_logits):
    bce = nn.BCEWithLogitsLoss()
    return bce(real_logits, torch.ones_like(real_logits)) + bce(fake_logits, torch.zeros_like(fake_logits))
""",
    },
    "test_generator_loss": {
        "logsigmoid": """
def generator_loss(fake_logits, kind):
    if kind == "minimax":
        return F.logsigmoid(-fake_logits).mean()
    elif kind == "non_saturating":
        return -F.logsigmoid(fake_logits).mean()
    raise ValueError(kind)
""",
        "binary_cross_entropy_with_logits": """
def generator_loss(fake_logits, kind):
    if kind not in ("minimax", "non_saturating"):
        raise ValueError(kind)
    if kind == "minimax":
        return -F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
""",
    },
    "test_gan_training_step": {
        "fakes under no_grad, float() results": _TRAINING_STEP_HEAD + _STEP_TAIL + """
    return float(d_loss), float(g_loss)
""",
        "G step reuses the last D step's fakes (graph kept, detached copy for D)": _TRAINING_STEP_HEAD + """
    for _ in range(d_steps):
        fake = G(torch.randn(n, z_dim, device=real.device))
        d_loss = discriminator_loss(D(real), D(fake.detach()))
        opt_D.zero_grad()
        d_loss.backward()
        opt_D.step()
    g_loss = generator_loss(D(fake), "non_saturating")
    opt_G.zero_grad()
    g_loss.backward()
    opt_G.step()
    return d_loss.item(), g_loss.item()
""",
        "detached 0-d tensors": _TRAINING_STEP_HEAD + _STEP_TAIL + """
    return d_loss.detach(), g_loss.detach()
""",
        "0-d NumPy arrays": _TRAINING_STEP_HEAD + _STEP_TAIL + """
    return d_loss.detach().cpu().numpy(), g_loss.detach().cpu().numpy()
""",
    },
    "test_dcgan_weights_init": {
        "class names and .data (the PyTorch example's style)": """
def dcgan_weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        m.weight.data.normal_(0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        m.weight.data.normal_(1.0, 0.02)
        m.bias.data.fill_(0)
""",
        "no_grad and in-place tensor methods": """
def dcgan_weights_init(module):
    with torch.no_grad():
        if type(module) in (nn.Conv2d, nn.ConvTranspose2d):
            module.weight.normal_(0, 0.02)
        if type(module) is nn.BatchNorm2d:
            module.weight.normal_(1, 0.02)
            module.bias.zero_()
    return module
""",
    },
    "test_dcgan_generator": {
        "nn.Unflatten as the first layer": """
class DCGenerator(nn.Module):
    def __init__(self, z_dim, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Unflatten(1, (z_dim, 1, 1)),
            nn.ConvTranspose2d(z_dim, 2 * width, 7, 1, 0, bias=False), nn.BatchNorm2d(2 * width), nn.ReLU(True),
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(True),
            nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Tanh())

    def forward(self, z):
        return self.net(z)
""",
        "layers as attributes, biases everywhere": """
class DCGenerator(nn.Module):
    def __init__(self, z_dim, width=32):
        super().__init__()
        self.up1 = nn.ConvTranspose2d(z_dim, 2 * width, kernel_size=7)
        self.bn1 = nn.BatchNorm2d(2 * width)
        self.up2 = nn.ConvTranspose2d(2 * width, width, kernel_size=4, stride=2, padding=1)
        self.bn2 = nn.BatchNorm2d(width)
        self.up3 = nn.ConvTranspose2d(width, 1, kernel_size=4, stride=2, padding=1)
        self.relu, self.tanh = nn.ReLU(), nn.Tanh()

    def forward(self, z):
        h = self.relu(self.bn1(self.up1(z.view(-1, z.shape[1], 1, 1))))
        h = self.relu(self.bn2(self.up2(h)))
        return self.tanh(self.up3(h))
""",
    },
    "test_dcgan_discriminator": {
        "nn.Flatten(0) at the end": """
class DCDiscriminator(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.net = nn.Sequential(""" + _DISCRIMINATOR_LAYERS + """ nn.Flatten(0))

    def forward(self, x):
        return self.net(x)
""",
        "nn.Flatten() at the end, then squeeze(1)": """
class DCDiscriminator(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.net = nn.Sequential(""" + _DISCRIMINATOR_LAYERS + """ nn.Flatten())

    def forward(self, x):
        return self.net(x).squeeze(1)
""",
        "no bias anywhere, view(-1)": """
class DCDiscriminator(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(2 * width, 1, 7, bias=False))

    def forward(self, x):
        return self.net(x).view(-1)
""",
    },
    "test_inception_score": {
        "scipy.special.xlogy, NumPy float": _IS_CHECKS + """
def inception_score(probs):
    from scipy.special import xlogy
    p = np.asarray(torch.as_tensor(probs, dtype=torch.float64))
    _is_checks(p)
    marginal = p.mean(axis=0)
    kl = (xlogy(p, p) - xlogy(p, marginal)).sum(axis=1)
    return np.exp(kl.mean())
""",
        "entropies with scipy.special.entr": _IS_CHECKS + """
def inception_score(probs):
    from scipy.special import entr
    p = np.asarray(torch.as_tensor(probs, dtype=torch.float64))
    _is_checks(p)
    return float(np.exp(entr(p.mean(0)).sum() - entr(p).sum(1).mean()))
""",
        "float32 tensors": """
def inception_score(probs):
    p = torch.as_tensor(probs).float()
    if p.ndim != 2 or (p < 0).any() or ((p.sum(1) - 1).abs() > 1e-4).any():
        raise ValueError("bad probabilities")
    marginal = p.mean(0, keepdim=True)
    kl = torch.xlogy(p, p).sum(1) - torch.xlogy(p, marginal.expand_as(p)).sum(1)
    return torch.exp(kl.mean())
""",
        "a loop with scipy.stats.entropy": _IS_CHECKS + """
def inception_score(probs):
    from scipy.stats import entropy
    p = np.asarray(torch.as_tensor(probs, dtype=torch.float64))
    _is_checks(p)
    marginal = p.mean(0)
    return math.exp(sum(entropy(row, marginal) for row in p) / len(p))
""",
    },
    "test_frechet_distance": {
        "scipy.linalg.sqrtm of the product": _FID_CHECKS + """
def frechet_distance(mu1, sigma1, mu2, sigma2):
    import scipy.linalg
    mu1, sigma1, mu2, sigma2 = (np.asarray(torch.as_tensor(a, dtype=torch.float64)) for a in (mu1, sigma1, mu2, sigma2))
    _fid_shapes(mu1, sigma1, mu2, sigma2)
    covmean = scipy.linalg.sqrtm(sigma1 @ sigma2)
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    diff = mu1 - mu2
    return diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean)
""",
        "eigenvalues of the product": _FID_CHECKS + """
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (np.asarray(torch.as_tensor(a, dtype=torch.float64)) for a in (mu1, sigma1, mu2, sigma2))
    _fid_shapes(mu1, sigma1, mu2, sigma2)
    eigenvalues = np.linalg.eigvals(sigma1 @ sigma2).real
    return np.sum((mu1 - mu2) ** 2) + np.trace(sigma1 + sigma2) - 2 * np.sqrt(np.clip(eigenvalues, 0, None)).sum()
""",
        "float32 tensors": _FID_CHECKS + """
def frechet_distance(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (torch.as_tensor(a).float() for a in (mu1, sigma1, mu2, sigma2))
    _fid_shapes(mu1, sigma1, mu2, sigma2)
    values, vectors = torch.linalg.eigh(sigma1)
    root = vectors @ torch.diag(values.clamp_min(0).sqrt()) @ vectors.T
    cross = torch.linalg.eigvalsh(root @ sigma2 @ root).clamp_min(0).sqrt().sum()
    return ((mu1 - mu2) ** 2).sum() + sigma1.trace() + sigma2.trace() - 2 * cross
""",
    },
}
