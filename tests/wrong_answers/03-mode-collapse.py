"""Plausible wrong answers for lecture 03; each must fail its test cell."""

_VALIDATED = '''
def _mode_inputs(samples, centers, std):
    samples = torch.as_tensor(samples, dtype=torch.float64)
    centers = torch.as_tensor(centers, dtype=torch.float64)
    if not std > 0:
        raise ValueError("std")
    if samples.ndim != 2 or centers.ndim != 2 or samples.shape[1] != centers.shape[1] or len(samples) == 0:
        raise ValueError("shapes")
    return samples, centers
'''

_FIELD = '''
def dirac_gan_field(theta, psi, method, reg=1.0):
    theta = torch.as_tensor(theta, dtype=torch.float64)
    psi = torch.as_tensor(psi, dtype=torch.float64)
    theta, psi = torch.broadcast_tensors(theta, psi)
    s = torch.sigmoid(psi * theta)
'''

_FIELD_TAIL = '''
    raise ValueError(method)
'''

_SIMULATE_HEAD = '''
def simulate_dirac_gan(method, theta0, psi0, lr, n_steps, update="simultaneous", reg=1.0):
    if update not in ("simultaneous", "alternating"):
        raise ValueError(update)
    theta = torch.tensor(float(theta0), dtype=torch.float64)
    psi = torch.tensor(float(psi0), dtype=torch.float64)
    path = [torch.stack([theta, psi])]
'''

MUTANTS = {
    "test_mode_coverage": {
        "2 std instead of 3": _VALIDATED + '''
def mode_coverage(samples, centers, std):
    samples, centers = _mode_inputs(samples, centers, std)
    distance, nearest = torch.cdist(samples, centers).min(dim=1)
    high = distance <= 2 * std
    return int(nearest[high].unique().numel()), float(high.double().mean())
''',
        "low-quality samples cover modes": _VALIDATED + '''
def mode_coverage(samples, centers, std):
    samples, centers = _mode_inputs(samples, centers, std)
    distance, nearest = torch.cdist(samples, centers).min(dim=1)
    high = distance <= 3 * std
    return int(nearest.unique().numel()), float(high.double().mean())
''',
        "squared distance compared with 3 std": _VALIDATED + '''
def mode_coverage(samples, centers, std):
    samples, centers = _mode_inputs(samples, centers, std)
    distance, nearest = (torch.cdist(samples, centers) ** 2).min(dim=1)
    high = distance <= 3 * std
    return int(nearest[high].unique().numel()), float(high.double().mean())
''',
        "fraction of modes instead of a count": _VALIDATED + '''
def mode_coverage(samples, centers, std):
    samples, centers = _mode_inputs(samples, centers, std)
    distance, nearest = torch.cdist(samples, centers).min(dim=1)
    high = distance <= 3 * std
    return int(nearest[high].unique().numel()) / len(centers), float(high.double().mean())
''',
        "no validation": '''
def mode_coverage(samples, centers, std):
    samples = torch.as_tensor(samples, dtype=torch.float64)
    centers = torch.as_tensor(centers, dtype=torch.float64)
    distance, nearest = torch.cdist(samples, centers).min(dim=1)
    high = distance <= 3 * std
    return int(nearest[high].unique().numel()), float(high.double().mean())
''',
    },
    "test_mode_kl": {
        "direction swapped (KL(uniform || p))": _VALIDATED + '''
def mode_kl(samples, centers, std):
    samples, centers = _mode_inputs(samples, centers, std)
    distance, nearest = torch.cdist(samples, centers).min(dim=1)
    high = nearest[distance <= 3 * std]
    if high.numel() == 0:
        return math.inf
    p = torch.bincount(high, minlength=len(centers)).double() / high.numel()
    u = 1 / len(centers)
    return float(torch.sum(u * torch.log(u / p)))
''',
        "all samples, not only high-quality ones": _VALIDATED + '''
def mode_kl(samples, centers, std):
    samples, centers = _mode_inputs(samples, centers, std)
    distance, nearest = torch.cdist(samples, centers).min(dim=1)
    if not (distance <= 3 * std).any():
        return math.inf
    p = torch.bincount(nearest, minlength=len(centers)).double() / nearest.numel()
    used = p > 0
    return float(torch.sum(p[used] * torch.log(p[used] * len(centers))))
''',
        "log2": _VALIDATED + '''
def mode_kl(samples, centers, std):
    samples, centers = _mode_inputs(samples, centers, std)
    distance, nearest = torch.cdist(samples, centers).min(dim=1)
    high = nearest[distance <= 3 * std]
    if high.numel() == 0:
        return math.inf
    p = torch.bincount(high, minlength=len(centers)).double() / high.numel()
    used = p > 0
    return float(torch.sum(p[used] * torch.log2(p[used] * len(centers))))
''',
        "histogram over the covered modes only": _VALIDATED + '''
def mode_kl(samples, centers, std):
    samples, centers = _mode_inputs(samples, centers, std)
    distance, nearest = torch.cdist(samples, centers).min(dim=1)
    high = nearest[distance <= 3 * std]
    if high.numel() == 0:
        return math.inf
    counts = torch.bincount(high).double()
    p = counts[counts > 0] / high.numel()
    return float(torch.sum(p * torch.log(p * len(p))))
''',
        "0 instead of inf without high-quality samples": _VALIDATED + '''
def mode_kl(samples, centers, std):
    samples, centers = _mode_inputs(samples, centers, std)
    distance, nearest = torch.cdist(samples, centers).min(dim=1)
    high = nearest[distance <= 3 * std]
    if high.numel() == 0:
        return 0.0
    p = torch.bincount(high, minlength=len(centers)).double() / high.numel()
    used = p > 0
    return float(torch.sum(p[used] * torch.log(p[used] * len(centers))))
''',
    },
    "test_dirac_gan_field": {
        "generator ascends (signs of the GAN field swapped)": _FIELD + '''
    if method == "gan": return -s * psi, s * theta
    if method == "ns_gan": return torch.sigmoid(-psi * theta) * psi, -s * theta
    if method == "wgan_gp": return psi.clone(), -theta - 2 * reg * (psi.abs() - 1) * torch.sign(psi)
    if method == "r1": return s * psi, -s * theta - reg * psi
''' + _FIELD_TAIL,
        "NS-GAN as GAN": _FIELD + '''
    if method in ("gan", "ns_gan"): return s * psi, -s * theta
    if method == "wgan_gp": return psi.clone(), -theta - 2 * reg * (psi.abs() - 1) * torch.sign(psi)
    if method == "r1": return s * psi, -s * theta - reg * psi
''' + _FIELD_TAIL,
        "penalty without the factor 2": _FIELD + '''
    if method == "gan": return s * psi, -s * theta
    if method == "ns_gan": return torch.sigmoid(-psi * theta) * psi, -s * theta
    if method == "wgan_gp": return psi.clone(), -theta - reg * (psi.abs() - 1) * torch.sign(psi)
    if method == "r1": return s * psi, -s * theta - reg * psi
''' + _FIELD_TAIL,
        "R1 applied to the generator": _FIELD + '''
    if method == "gan": return s * psi, -s * theta
    if method == "ns_gan": return torch.sigmoid(-psi * theta) * psi, -s * theta
    if method == "wgan_gp": return psi.clone(), -theta - 2 * reg * (psi.abs() - 1) * torch.sign(psi)
    if method == "r1": return s * psi - reg * theta, -s * theta
''' + _FIELD_TAIL,
        "reg ignored": _FIELD + '''
    if method == "gan": return s * psi, -s * theta
    if method == "ns_gan": return torch.sigmoid(-psi * theta) * psi, -s * theta
    if method == "wgan_gp": return psi.clone(), -theta - 2 * (psi.abs() - 1) * torch.sign(psi)
    if method == "r1": return s * psi, -s * theta - psi
''' + _FIELD_TAIL,
        "WGAN-GP critic sign flipped": _FIELD + '''
    if method == "gan": return s * psi, -s * theta
    if method == "ns_gan": return torch.sigmoid(-psi * theta) * psi, -s * theta
    if method == "wgan_gp": return psi.clone(), theta - 2 * reg * (psi.abs() - 1) * torch.sign(psi)
    if method == "r1": return s * psi, -s * theta - reg * psi
''' + _FIELD_TAIL,
        "unknown method falls back to the GAN": _FIELD + '''
    if method == "ns_gan": return torch.sigmoid(-psi * theta) * psi, -s * theta
    if method == "wgan_gp": return psi.clone(), -theta - 2 * reg * (psi.abs() - 1) * torch.sign(psi)
    if method == "r1": return s * psi, -s * theta - reg * psi
    return s * psi, -s * theta
''',
    },
    "test_simulate_dirac_gan": {
        "alternating done as simultaneous": _SIMULATE_HEAD + '''
    for _ in range(n_steps):
        d_theta, d_psi = dirac_gan_field(theta, psi, method, reg)
        theta, psi = theta + lr * d_theta, psi + lr * d_psi
        path.append(torch.stack([theta, psi]))
    return torch.stack(path)
''',
        "alternating with the generator first": _SIMULATE_HEAD + '''
    for _ in range(n_steps):
        if update == "simultaneous":
            d_theta, d_psi = dirac_gan_field(theta, psi, method, reg)
            theta, psi = theta + lr * d_theta, psi + lr * d_psi
        else:
            theta = theta + lr * dirac_gan_field(theta, psi, method, reg)[0]
            psi = psi + lr * dirac_gan_field(theta, psi, method, reg)[1]
        path.append(torch.stack([theta, psi]))
    return torch.stack(path)
''',
        "simultaneous done sequentially": _SIMULATE_HEAD + '''
    for _ in range(n_steps):
        psi = psi + lr * dirac_gan_field(theta, psi, method, reg)[1]
        theta = theta + lr * dirac_gan_field(theta, psi, method, reg)[0]
        path.append(torch.stack([theta, psi]))
    return torch.stack(path)
''',
        "reg not passed on": _SIMULATE_HEAD + '''
    for _ in range(n_steps):
        if update == "simultaneous":
            d_theta, d_psi = dirac_gan_field(theta, psi, method)
            theta, psi = theta + lr * d_theta, psi + lr * d_psi
        else:
            psi = psi + lr * dirac_gan_field(theta, psi, method)[1]
            theta = theta + lr * dirac_gan_field(theta, psi, method)[0]
        path.append(torch.stack([theta, psi]))
    return torch.stack(path)
''',
        "starting point left out": _SIMULATE_HEAD + '''
    path = []
    for _ in range(n_steps):
        if update == "simultaneous":
            d_theta, d_psi = dirac_gan_field(theta, psi, method, reg)
            theta, psi = theta + lr * d_theta, psi + lr * d_psi
        else:
            psi = psi + lr * dirac_gan_field(theta, psi, method, reg)[1]
            theta = theta + lr * dirac_gan_field(theta, psi, method, reg)[0]
        path.append(torch.stack([theta, psi]))
    return torch.stack(path) if path else torch.zeros(0, 2, dtype=torch.float64)
''',
        "gradient descent for the discriminator too": _SIMULATE_HEAD + '''
    for _ in range(n_steps):
        if update == "simultaneous":
            d_theta, d_psi = dirac_gan_field(theta, psi, method, reg)
            theta, psi = theta + lr * d_theta, psi - lr * d_psi
        else:
            psi = psi - lr * dirac_gan_field(theta, psi, method, reg)[1]
            theta = theta + lr * dirac_gan_field(theta, psi, method, reg)[0]
        path.append(torch.stack([theta, psi]))
    return torch.stack(path)
''',
    },
}
