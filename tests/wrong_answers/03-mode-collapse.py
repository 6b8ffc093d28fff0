"""Plausible wrong answers for lecture 03 (each must lose the cell's points) and correct answers
written another way (each must keep them)."""

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
        "fraction over N - 1 samples": _VALIDATED + '''
def mode_coverage(samples, centers, std):
    samples, centers = _mode_inputs(samples, centers, std)
    distance, nearest = torch.cdist(samples, centers).min(dim=1)
    high = distance <= 3 * std
    return int(nearest[high].unique().numel()), float(high.sum()) / max(len(samples) - 1, 1)
''',
        "no validation": '''
def mode_coverage(samples, centers, std):
    samples = torch.as_tensor(samples, dtype=torch.float64)
    centers = torch.as_tensor(centers, dtype=torch.float64)
    distance, nearest = torch.cdist(samples, centers).min(dim=1)
    high = distance <= 3 * std
    return int(nearest[high].unique().numel()), float(high.double().mean())
''',
        "the course's own version, called through the package": '''
def mode_coverage(samples, centers, std):
    import gdl.metrics
    return gdl.metrics.mode_coverage(samples, centers, std)
''',
        "the course's own version, imported": '''
from gdl.metrics import mode_coverage
''',
    },
    "test_mode_kl": {
        "the course's own counts": _VALIDATED + '''
def mode_kl(samples, centers, std):
    from gdl import metrics
    samples, centers = _mode_inputs(samples, centers, std)
    return metrics.kl_to_uniform(metrics.mode_counts(samples.numpy(), centers.numpy(), std))
''',
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
        "no validation": '''
def mode_kl(samples, centers, std):
    samples = torch.as_tensor(samples, dtype=torch.float64).reshape(-1, 2)
    centers = torch.as_tensor(centers, dtype=torch.float64)
    distance, nearest = torch.cdist(samples, centers).min(dim=1) if len(samples) else (torch.zeros(0), torch.zeros(0, dtype=torch.long))
    high = nearest[distance <= 3 * abs(std)]
    if high.numel() == 0:
        return math.inf
    p = torch.bincount(high, minlength=len(centers)).double() / high.numel()
    used = p > 0
    return float(torch.sum(p[used] * torch.log(p[used] * len(centers))))
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
        "penalty derivative without sign(psi)": _FIELD + '''
    if method == "gan": return s * psi, -s * theta
    if method == "ns_gan": return torch.sigmoid(-psi * theta) * psi, -s * theta
    if method == "wgan_gp": return psi.clone(), -theta - 2 * reg * (psi.abs() - 1)
    if method == "r1": return s * psi, -s * theta - reg * psi
''' + _FIELD_TAIL,
        "NS-GAN generator with sigmoid(psi theta)": _FIELD + '''
    if method == "gan": return s * psi, -s * theta
    if method == "ns_gan": return s * psi, -torch.sigmoid(-psi * theta) * theta
    if method == "wgan_gp": return psi.clone(), -theta - 2 * reg * (psi.abs() - 1) * torch.sign(psi)
    if method == "r1": return s * psi, -s * theta - reg * psi
''' + _FIELD_TAIL,
        "float32 tensors returned": '''
def dirac_gan_field(theta, psi, method, reg=1.0):
    theta, psi = torch.broadcast_tensors(torch.as_tensor(theta, dtype=torch.float32), torch.as_tensor(psi, dtype=torch.float32))
    s = torch.sigmoid(psi * theta)
    if method == "gan": return s * psi, -s * theta
    if method == "ns_gan": return torch.sigmoid(-psi * theta) * psi, -s * theta
    if method == "wgan_gp": return psi.clone(), -theta - 2 * reg * (psi.abs() - 1) * torch.sign(psi)
    if method == "r1": return s * psi, -s * theta - reg * psi
    raise ValueError(method)
''',
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
        "float32 trajectory": '''
def simulate_dirac_gan(method, theta0, psi0, lr, n_steps, update="simultaneous", reg=1.0):
    if update not in ("simultaneous", "alternating"):
        raise ValueError(update)
    theta, psi = torch.tensor(float(theta0)), torch.tensor(float(psi0))
    path = [torch.stack([theta, psi])]
    for _ in range(n_steps):
        if update == "simultaneous":
            d_theta, d_psi = dirac_gan_field(theta, psi, method, reg)
            theta, psi = (theta + lr * d_theta).float(), (psi + lr * d_psi).float()
        else:
            psi = (psi + lr * dirac_gan_field(theta, psi, method, reg)[1]).float()
            theta = (theta + lr * dirac_gan_field(theta, psi, method, reg)[0]).float()
        path.append(torch.stack([theta, psi]))
    return torch.stack(path)
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
    "test_field_jacobian": {
        "transposed (J[j, i])": """
def field_jacobian(field, theta, psi):
    point = torch.tensor([float(theta), float(psi)], dtype=torch.float64)
    return torch.autograd.functional.jacobian(lambda x: torch.stack(field(x[0], x[1])), point).T
""",
        "Jacobian of minus the field": """
def field_jacobian(field, theta, psi):
    point = torch.tensor([float(theta), float(psi)], dtype=torch.float64)
    return -torch.autograd.functional.jacobian(lambda x: torch.stack(field(x[0], x[1])), point)
""",
        "coordinates swapped (psi, theta)": """
def field_jacobian(field, theta, psi):
    point = torch.tensor([float(psi), float(theta)], dtype=torch.float64)
    return torch.autograd.functional.jacobian(lambda x: torch.stack(field(x[1], x[0])), point)
""",
        "evaluated at (0, 0), not at the point": """
def field_jacobian(field, theta, psi):
    point = torch.zeros(2, dtype=torch.float64)
    return torch.autograd.functional.jacobian(lambda x: torch.stack(field(x[0], x[1])), point)
""",
        "only the diagonal": """
def field_jacobian(field, theta, psi):
    point = torch.tensor([float(theta), float(psi)], dtype=torch.float64)
    J = torch.autograd.functional.jacobian(lambda x: torch.stack(field(x[0], x[1])), point)
    return torch.diag(torch.diagonal(J))
""",
        "one-sided finite difference with a large step": """
def field_jacobian(field, theta, psi):
    h = 1e-2
    def v(t, p):
        return torch.stack([torch.as_tensor(c, dtype=torch.float64) for c in field(
            torch.tensor(t, dtype=torch.float64), torch.tensor(p, dtype=torch.float64))])
    base = v(float(theta), float(psi))
    return torch.stack([(v(float(theta) + h, float(psi)) - base) / h, (v(float(theta), float(psi) + h) - base) / h], dim=1)
""",
    },
}


_MODE_CHECKS = """
def _checked(samples, centers, std):
    samples, centers = np.asarray(samples, dtype=float), np.asarray(centers, dtype=float)
    if std <= 0 or samples.ndim != 2 or centers.ndim != 2 or samples.shape[1] != centers.shape[1] or not len(samples):
        raise ValueError("bad inputs")
    return samples, centers
"""

CORRECT = {
    "test_mode_coverage": {
        "float32 tensors (torch's default dtype)": """
def mode_coverage(samples, centers, std):
    samples, centers = torch.as_tensor(samples).float(), torch.as_tensor(centers).float()
    if std <= 0 or samples.dim() != 2 or centers.dim() != 2 or samples.shape[1] != centers.shape[1] or samples.shape[0] == 0:
        raise ValueError("bad inputs")
    distance, nearest = torch.cdist(samples, centers).min(dim=1)
    good = distance <= 3 * std
    return len(torch.unique(nearest[good])), good.float().mean()
""",
        "NumPy, squared distances, NumPy scalars": _MODE_CHECKS + """
def mode_coverage(samples, centers, std):
    samples, centers = _checked(samples, centers, std)
    squared = ((samples[:, None, :] - centers[None, :, :]) ** 2).sum(-1)
    nearest = squared.argmin(1)
    good = squared.min(1) <= (3 * std) ** 2
    return np.unique(nearest[good]).size, np.mean(good)
""",
        "a loop over the modes": _MODE_CHECKS + """
def mode_coverage(samples, centers, std):
    samples, centers = _checked(samples, centers, std)
    distances = np.stack([np.linalg.norm(samples - c, axis=1) for c in centers], axis=1)
    nearest, closest = distances.argmin(1), distances.min(1)
    covered = sum(1 for k in range(len(centers)) if np.any((nearest == k) & (closest <= 3 * std)))
    return covered, float(np.count_nonzero(closest <= 3 * std)) / len(samples)
""",
    },
    "test_mode_kl": {
        "scipy.stats.entropy against the uniform": _MODE_CHECKS + """
def mode_kl(samples, centers, std):
    from scipy.stats import entropy
    samples, centers = _checked(samples, centers, std)
    distances = np.linalg.norm(samples[:, None] - centers[None], axis=2)
    good = distances.min(1) <= 3 * std
    if not good.any():
        return math.inf
    counts = np.bincount(distances.argmin(1)[good], minlength=len(centers))
    return entropy(counts, np.ones(len(centers)))
""",
        "log K minus the entropy, with xlogy": _MODE_CHECKS + """
def mode_kl(samples, centers, std):
    from scipy.special import xlogy
    samples, centers = _checked(samples, centers, std)
    distances = np.linalg.norm(samples[:, None] - centers[None], axis=2)
    good = distances.min(1) <= 3 * std
    if good.sum() == 0:
        return float("inf")
    p = np.bincount(distances.argmin(1)[good], minlength=len(centers)) / good.sum()
    return np.log(len(centers)) + xlogy(p, p).sum()
""",
        "float32 tensors": """
def mode_kl(samples, centers, std):
    samples, centers = torch.as_tensor(samples).float(), torch.as_tensor(centers).float()
    if std <= 0 or samples.dim() != 2 or centers.dim() != 2 or samples.shape[1] != centers.shape[1] or samples.shape[0] == 0:
        raise ValueError("bad inputs")
    distance, nearest = torch.cdist(samples, centers).min(dim=1)
    chosen = nearest[distance <= 3 * std]
    if len(chosen) == 0:
        return math.inf
    p = torch.bincount(chosen, minlength=len(centers)).float() / len(chosen)
    return torch.xlogy(p, p * len(centers)).sum()
""",
    },
    "test_dirac_gan_field": {
        "autograd on the players' objectives": """
def dirac_gan_field(theta, psi, method, reg=1.0):
    theta, psi = torch.broadcast_tensors(torch.as_tensor(theta, dtype=torch.float64), torch.as_tensor(psi, dtype=torch.float64))
    theta, psi = theta.clone().requires_grad_(True), psi.clone().requires_grad_(True)
    value = F.logsigmoid(torch.zeros_like(theta)) + F.logsigmoid(-psi * theta)   # V = log D(0) + log(1 - D(theta))
    if method == "gan":
        generator_loss, critic_gain = value, value
    elif method == "ns_gan":
        generator_loss, critic_gain = -F.logsigmoid(psi * theta), value
    elif method == "wgan_gp":
        generator_loss, critic_gain = -psi * theta, -psi * theta - reg * (psi.abs() - 1) ** 2
    elif method == "r1":
        generator_loss, critic_gain = value, value - reg / 2 * psi ** 2
    else:
        raise ValueError(method)
    (d_theta,) = torch.autograd.grad(generator_loss.sum(), theta, retain_graph=True)
    (d_psi,) = torch.autograd.grad(critic_gain.sum(), psi)
    return -d_theta, d_psi
""",
        "(|psi| - 1) sign(psi) written as psi - sign(psi)": """
def dirac_gan_field(theta, psi, method, reg=1.0):
    theta = torch.as_tensor(theta).double()
    psi = torch.as_tensor(psi).double()
    theta, psi = torch.broadcast_tensors(theta, psi)
    d = torch.sigmoid(theta * psi)
    fields = {
        "gan": lambda: (psi * d, -theta * d),
        "ns_gan": lambda: (psi * (1 - d), -theta * d),
        "wgan_gp": lambda: (psi * 1.0, -theta - 2 * reg * (psi - torch.sign(psi))),
        "r1": lambda: (psi * d, -theta * d - reg * psi),
    }
    if method not in fields:
        raise ValueError(method)
    return fields[method]()
""",
    },
    "test_simulate_dirac_gan": {
        "Python floats in a list, one tensor at the end": """
def simulate_dirac_gan(method, theta0, psi0, lr, n_steps, update="simultaneous", reg=1.0):
    if update not in ("simultaneous", "alternating"):
        raise ValueError(update)
    theta, psi = float(theta0), float(psi0)
    path = [(theta, psi)]
    for _ in range(n_steps):
        if update == "simultaneous":
            d_theta, d_psi = dirac_gan_field(theta, psi, method, reg)
            theta, psi = theta + lr * float(d_theta), psi + lr * float(d_psi)
        else:
            psi = psi + lr * float(dirac_gan_field(theta, psi, method, reg)[1])
            theta = theta + lr * float(dirac_gan_field(theta, psi, method, reg)[0])
        path.append((theta, psi))
    return torch.tensor(path, dtype=torch.float64)
""",
        "preallocated trajectory": """
def simulate_dirac_gan(method, theta0, psi0, lr, n_steps, update="simultaneous", reg=1.0):
    if update != "simultaneous" and update != "alternating":
        raise ValueError(update)
    path = torch.zeros(n_steps + 1, 2, dtype=torch.float64)
    path[0] = torch.tensor([theta0, psi0], dtype=torch.float64)
    for t in range(n_steps):
        theta, psi = path[t]
        if update == "alternating":
            psi = psi + lr * dirac_gan_field(theta, psi, method, reg)[1]
            theta = theta + lr * dirac_gan_field(theta, psi, method, reg)[0]
        else:
            step = dirac_gan_field(theta, psi, method, reg)
            theta, psi = theta + lr * step[0], psi + lr * step[1]
        path[t + 1, 0], path[t + 1, 1] = theta, psi
    return path
""",
    },
    "test_field_jacobian": {
        "torch.autograd.grad, row by row": """
def field_jacobian(field, theta, psi):
    t = torch.tensor(float(theta), dtype=torch.float64, requires_grad=True)
    p = torch.tensor(float(psi), dtype=torch.float64, requires_grad=True)
    rows = []
    for component in field(t, p):
        gt, gp = torch.autograd.grad(component, (t, p), allow_unused=True, retain_graph=True)
        rows.append([0.0 if gt is None else float(gt), 0.0 if gp is None else float(gp)])
    return torch.tensor(rows, dtype=torch.float64)
""",
        "central differences, float64": """
def field_jacobian(field, theta, psi):
    h = 1e-6
    def v(t, p):
        out = field(torch.tensor(t, dtype=torch.float64), torch.tensor(p, dtype=torch.float64))
        return torch.tensor([float(out[0]), float(out[1])], dtype=torch.float64)
    t, p = float(theta), float(psi)
    return torch.stack([(v(t + h, p) - v(t - h, p)) / (2 * h), (v(t, p + h) - v(t, p - h)) / (2 * h)], dim=1)
""",
        "jacobian of a tuple-valued function": """
def field_jacobian(field, theta, psi):
    from torch.autograd.functional import jacobian as jac
    rows = jac(lambda t, p: tuple(field(t, p)),
               (torch.tensor(float(theta), dtype=torch.float64), torch.tensor(float(psi), dtype=torch.float64)))
    return torch.tensor([[float(rows[i][j]) for j in range(2)] for i in range(2)], dtype=torch.float64)
""",
    },
}
