"""Plausible wrong answers for lecture 05 (each must lose the cell's points) and correct answers
written another way (each must keep them)."""

MUTANTS = {
    "test_critic_loss": {
        "sign flipped": '''
def critic_loss(critic_real, critic_fake):
    return critic_real.mean() - critic_fake.mean()
''',
        "sums instead of means": '''
def critic_loss(critic_real, critic_fake):
    return critic_fake.sum() - critic_real.sum()
''',
        "returns a float (.item())": '''
def critic_loss(critic_real, critic_fake):
    return (critic_fake.mean() - critic_real.mean()).item()
''',
        "one mean over both batches": '''
def critic_loss(critic_real, critic_fake):
    return torch.cat([critic_fake.reshape(-1), -critic_real.reshape(-1)]).mean()
''',
        "GAN cross-entropy": '''
def critic_loss(critic_real, critic_fake):
    return F.binary_cross_entropy_with_logits(critic_real, torch.ones_like(critic_real)) + \\
        F.binary_cross_entropy_with_logits(critic_fake, torch.zeros_like(critic_fake))
''',
    },
    "test_wgan_generator_loss": {
        "sign flipped": '''
def wgan_generator_loss(critic_fake):
    return critic_fake.mean()
''',
        "returns a float (.item())": '''
def wgan_generator_loss(critic_fake):
    return -critic_fake.mean().item()
''',
        "saturating log": '''
def wgan_generator_loss(critic_fake):
    return torch.log1p(-torch.sigmoid(critic_fake)).mean()
''',
    },
    "test_clip_weights_": {
        "clips the gradients": '''
def clip_weights_(module, c):
    if c <= 0:
        raise ValueError("c")
    torch.nn.utils.clip_grad_value_(module.parameters(), c)
''',
        "not in place (rebinds a name)": '''
def clip_weights_(module, c):
    if c <= 0:
        raise ValueError("c")
    for p in module.parameters():
        p = p.clamp(-c, c)
''',
        "replaces the storage": '''
def clip_weights_(module, c):
    if c <= 0:
        raise ValueError("c")
    for p in module.parameters():
        p.data = p.data.clamp(-c, c)
''',
        "weights only, not biases": '''
def clip_weights_(module, c):
    if c <= 0:
        raise ValueError("c")
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("weight"):
                p.clamp_(-c, c)
''',
        "buffers clipped too": '''
def clip_weights_(module, c):
    if c <= 0:
        raise ValueError("c")
    with torch.no_grad():
        for value in module.state_dict().values():
            if value.is_floating_point():
                value.clamp_(-c, c)
''',
        "top-level parameters only (recurse=False)": '''
def clip_weights_(module, c):
    if c <= 0:
        raise ValueError("c")
    with torch.no_grad():
        for p in module.parameters(recurse=False):
            p.clamp_(-c, c)
''',
        "no check of c": '''
def clip_weights_(module, c):
    with torch.no_grad():
        for p in module.parameters():
            p.clamp_(-abs(c), abs(c))
''',
    },
    "test_interpolate": {
        "one weight for the whole batch": '''
def interpolate(real, fake):
    u = torch.rand((), dtype=real.dtype, device=real.device)
    return u * real + (1 - u) * fake
''',
        "one weight per element": '''
def interpolate(real, fake):
    u = torch.rand_like(real)
    return u * real + (1 - u) * fake
''',
        "Gaussian weights": '''
def interpolate(real, fake):
    u = torch.randn((real.shape[0],) + (1,) * (real.dim() - 1), dtype=real.dtype, device=real.device)
    return u * real + (1 - u) * fake
''',
        "weights only shaped for points": '''
def interpolate(real, fake):
    u = torch.rand(real.shape[0], 1, dtype=real.dtype, device=real.device)
    return u * real + (1 - u) * fake
''',
        "evenly spaced weights": '''
def interpolate(real, fake):
    u = torch.linspace(0, 1, real.shape[0], dtype=real.dtype, device=real.device)
    u = u.reshape((real.shape[0],) + (1,) * (real.dim() - 1))
    return u * real + (1 - u) * fake
''',
    },
    "test_gradient_penalty": {
        "penalty on ||g||^2": '''
def gradient_penalty(critic, real, fake, lam=10.0):
    x = interpolate(real.detach(), fake.detach()).requires_grad_(True)
    (g,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return lam * (g.reshape(len(g), -1) ** 2).sum(dim=1).mean()
''',
        "penalty on (||g||^2 - 1)^2": '''
def gradient_penalty(critic, real, fake, lam=10.0):
    x = interpolate(real.detach(), fake.detach()).requires_grad_(True)
    (g,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return lam * (((g.reshape(len(g), -1) ** 2).sum(dim=1) - 1) ** 2).mean()
''',
        "create_graph=False": '''
def gradient_penalty(critic, real, fake, lam=10.0):
    x = interpolate(real.detach(), fake.detach()).requires_grad_(True)
    (g,) = torch.autograd.grad(critic(x).sum(), x)
    return lam * ((g.reshape(len(g), -1).norm(dim=1) - 1) ** 2).mean()
''',
        "on real samples, not interpolates": '''
def gradient_penalty(critic, real, fake, lam=10.0):
    x = real.detach().clone().requires_grad_(True)
    (g,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return lam * ((g.reshape(len(g), -1).norm(dim=1) - 1) ** 2).mean()
''',
        "norm over dim 1 only": '''
def gradient_penalty(critic, real, fake, lam=10.0):
    x = interpolate(real.detach(), fake.detach()).requires_grad_(True)
    (g,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return lam * ((g.norm(dim=1) - 1) ** 2).mean()
''',
        "sum over the batch": '''
def gradient_penalty(critic, real, fake, lam=10.0):
    x = interpolate(real.detach(), fake.detach()).requires_grad_(True)
    (g,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return lam * ((g.reshape(len(g), -1).norm(dim=1) - 1) ** 2).sum()
''',
        "backward(create_graph=True) writes into the critic's .grad": '''
def gradient_penalty(critic, real, fake, lam=10.0):
    x = interpolate(real.detach(), fake.detach()).requires_grad_(True)
    critic(x).sum().backward(create_graph=True)
    g = x.grad
    return lam * ((g.reshape(len(g), -1).norm(dim=1) - 1) ** 2).mean()
''',
        "lam ignored": '''
def gradient_penalty(critic, real, fake, lam=10.0):
    x = interpolate(real.detach(), fake.detach()).requires_grad_(True)
    (g,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return 10.0 * ((g.reshape(len(g), -1).norm(dim=1) - 1) ** 2).mean()
''',
        "returns a float (.item())": '''
def gradient_penalty(critic, real, fake, lam=10.0):
    x = interpolate(real.detach(), fake.detach()).requires_grad_(True)
    (g,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return (lam * ((g.reshape(len(g), -1).norm(dim=1) - 1) ** 2).mean()).item()
''',
        "fake not detached": '''
def gradient_penalty(critic, real, fake, lam=10.0):
    x = interpolate(real, fake)
    if not x.requires_grad:
        x.requires_grad_(True)
    (g,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return lam * ((g.reshape(len(g), -1).norm(dim=1) - 1) ** 2).mean()
''',
    },
}


CORRECT = {
    "test_critic_loss": {
        "torch.mean, sign outside": """
def critic_loss(critic_real, critic_fake):
    return -(torch.mean(critic_real) - torch.mean(critic_fake))
""",
        "sums divided by the counts": """
def critic_loss(critic_real, critic_fake):
    return critic_fake.sum() / critic_fake.numel() - critic_real.sum() / critic_real.numel()
""",
    },
    "test_wgan_generator_loss": {
        "mean of the negated scores": """
def wgan_generator_loss(critic_fake):
    return torch.mean(-critic_fake)
""",
        "flattened first": """
def wgan_generator_loss(critic_fake):
    return -critic_fake.flatten().mean(dim=0)
""",
    },
    "test_clip_weights_": {
        "p.data.clamp_ (the WGAN reference code's style)": """
def clip_weights_(module, c):
    if c <= 0:
        raise ValueError("c must be positive")
    for p in module.parameters():
        p.data.clamp_(-c, c)
""",
        "copy_ of the clamped values, module by module": """
def clip_weights_(module, c):
    if not c > 0:
        raise ValueError("c must be positive")
    with torch.no_grad():
        for submodule in module.modules():
            for parameter in submodule.parameters(recurse=False):
                parameter.copy_(torch.clamp(parameter, min=-c, max=c))
    return module
""",
    },
    "test_interpolate": {
        "torch.lerp with a view-shaped weight": """
def interpolate(real, fake):
    u = torch.rand(real.shape[0], device=real.device, dtype=real.dtype)
    return torch.lerp(fake, real, u.view(-1, *([1] * (real.dim() - 1))))
""",
        "weights expanded to the full shape": """
def interpolate(real, fake):
    shape = [len(real)] + [1] * (real.ndim - 1)
    alpha = torch.rand(shape, device=real.device, dtype=real.dtype).expand_as(real)
    return alpha * real + (1.0 - alpha) * fake
""",
    },
    "test_gradient_penalty": {
        "sqrt(sum g^2 + 1e-12)": """
def gradient_penalty(critic, real, fake, lam=10.0):
    mixed = interpolate(real.detach(), fake.detach()).requires_grad_(True)
    (g,) = torch.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)
    norms = torch.sqrt((g.reshape(g.shape[0], -1) ** 2).sum(dim=1) + 1e-12)
    return lam * ((norms - 1) ** 2).mean()
""",
        "grad_outputs of ones, vector_norm": """
def gradient_penalty(critic, real, fake, lam=10.0):
    mixed = interpolate(real.detach(), fake.detach())
    mixed.requires_grad_()
    scores = critic(mixed)
    gradients = torch.autograd.grad(outputs=scores, inputs=mixed, grad_outputs=torch.ones_like(scores),
                                    create_graph=True, retain_graph=True)[0]
    norms = torch.linalg.vector_norm(gradients.flatten(start_dim=1), dim=1)
    return torch.mean((norms - 1) ** 2) * lam
""",
    },
}
