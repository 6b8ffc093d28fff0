"""Plausible wrong answers for lecture 08 (each must lose the cell's points) and correct answers
written another way (each must keep them)."""

MUTANTS = {
    "test_count_parameters": {
        "counts buffers too (state_dict)": '''
def count_parameters(model, trainable_only=False):
    if trainable_only:
        return sum(p.numel() for p in model.parameters() if p.requires_grad)
    return sum(t.numel() for t in model.state_dict().values())
''',
        "counts tensors, not entries": '''
def count_parameters(model, trainable_only=False):
    return len([p for p in model.parameters() if p.requires_grad or not trainable_only])
''',
        "ignores trainable_only": '''
def count_parameters(model, trainable_only=False):
    return sum(p.numel() for p in model.parameters())
''',
        "trainable_only counts the frozen ones": '''
def count_parameters(model, trainable_only=False):
    return sum(p.numel() for p in model.parameters() if not (trainable_only and p.requires_grad))
''',
        "nested modules counted several times": '''
def count_parameters(model, trainable_only=False):
    return sum(p.numel() for m in model.modules() for p in m.parameters()
               if p.requires_grad or not trainable_only)
''',
        "shared layers counted twice": '''
def count_parameters(model, trainable_only=False):
    return sum(p.numel() for _, p in model.named_parameters(remove_duplicate=False)
               if p.requires_grad or not trainable_only)
''',
    },
    "test_replace_head": {
        "keeps the old output size": '''
def replace_head(model, n_classes):
    for attr in ("fc", "head"):
        layer = getattr(model, attr, None)
        if isinstance(layer, nn.Linear):
            setattr(model, attr, nn.Linear(layer.in_features, layer.out_features))
            return model
    if isinstance(getattr(model, "classifier", None), nn.Sequential):
        layer = model.classifier[-1]
        model.classifier[-1] = nn.Linear(layer.in_features, layer.out_features)
        return model
    raise ValueError("unknown model")
''',
        "reuses the old weights (copies the rows that fit)": '''
def replace_head(model, n_classes):
    def fresh(layer):
        new = nn.Linear(layer.in_features, n_classes, device=layer.weight.device, dtype=layer.weight.dtype)
        k = min(n_classes, layer.out_features)
        with torch.no_grad():
            new.weight[:k] = layer.weight[:k]
            new.bias[:k] = layer.bias[:k]
        return new
    if isinstance(getattr(model, "fc", None), nn.Linear):
        model.fc = fresh(model.fc)
    elif isinstance(getattr(model, "classifier", None), nn.Sequential) and isinstance(model.classifier[-1], nn.Linear):
        model.classifier[-1] = fresh(model.classifier[-1])
    elif isinstance(getattr(model, "head", None), nn.Linear):
        model.head = fresh(model.head)
    else:
        raise ValueError("unknown model")
    return model
''',
        "zero-initialised head": '''
def replace_head(model, n_classes):
    def fresh(layer):
        new = nn.Linear(layer.in_features, n_classes, device=layer.weight.device, dtype=layer.weight.dtype)
        nn.init.zeros_(new.weight)
        nn.init.zeros_(new.bias)
        return new
    if isinstance(getattr(model, "fc", None), nn.Linear):
        model.fc = fresh(model.fc)
    elif isinstance(getattr(model, "classifier", None), nn.Sequential) and isinstance(model.classifier[-1], nn.Linear):
        model.classifier[-1] = fresh(model.classifier[-1])
    elif isinstance(getattr(model, "head", None), nn.Linear):
        model.head = fresh(model.head)
    else:
        raise ValueError("unknown model")
    return model
''',
        "N(0, 1) initialisation": '''
def replace_head(model, n_classes):
    def fresh(layer):
        new = nn.Linear(layer.in_features, n_classes, device=layer.weight.device, dtype=layer.weight.dtype)
        nn.init.normal_(new.weight)
        return new
    if isinstance(getattr(model, "fc", None), nn.Linear):
        model.fc = fresh(model.fc)
    elif isinstance(getattr(model, "classifier", None), nn.Sequential) and isinstance(model.classifier[-1], nn.Linear):
        model.classifier[-1] = fresh(model.classifier[-1])
    elif isinstance(getattr(model, "head", None), nn.Linear):
        model.head = fresh(model.head)
    else:
        raise ValueError("unknown model")
    return model
''',
        "replaces the whole classifier": '''
def replace_head(model, n_classes):
    if isinstance(getattr(model, "fc", None), nn.Linear):
        model.fc = nn.Linear(model.fc.in_features, n_classes)
    elif isinstance(getattr(model, "classifier", None), nn.Sequential) and isinstance(model.classifier[-1], nn.Linear):
        model.classifier = nn.Sequential(nn.Linear(model.classifier[-1].in_features, n_classes))
    elif isinstance(getattr(model, "head", None), nn.Linear):
        model.head = nn.Linear(model.head.in_features, n_classes)
    else:
        raise ValueError("unknown model")
    return model
''',
        "returns a copy": '''
def replace_head(model, n_classes):
    import copy
    model = copy.deepcopy(model)
    if isinstance(getattr(model, "fc", None), nn.Linear):
        model.fc = nn.Linear(model.fc.in_features, n_classes)
    elif isinstance(getattr(model, "classifier", None), nn.Sequential) and isinstance(model.classifier[-1], nn.Linear):
        model.classifier[-1] = nn.Linear(model.classifier[-1].in_features, n_classes)
    elif isinstance(getattr(model, "head", None), nn.Linear):
        model.head = nn.Linear(model.head.in_features, n_classes)
    else:
        raise ValueError("unknown model")
    return model
''',
        "new head in float32 whatever the model": '''
def replace_head(model, n_classes):
    if isinstance(getattr(model, "fc", None), nn.Linear):
        model.fc = nn.Linear(model.fc.in_features, n_classes)
    elif isinstance(getattr(model, "classifier", None), nn.Sequential) and isinstance(model.classifier[-1], nn.Linear):
        model.classifier[-1] = nn.Linear(model.classifier[-1].in_features, n_classes)
    elif isinstance(getattr(model, "head", None), nn.Linear):
        model.head = nn.Linear(model.head.in_features, n_classes)
    else:
        raise ValueError("unknown model")
    return model
''',
        "no ValueError: replaces the last Linear anywhere": '''
def replace_head(model, n_classes):
    if isinstance(getattr(model, "fc", None), nn.Linear):
        parent, key = model, "fc"
    elif isinstance(getattr(model, "classifier", None), nn.Sequential) and isinstance(model.classifier[-1], nn.Linear):
        parent, key = model.classifier, str(len(model.classifier) - 1)
    elif isinstance(getattr(model, "head", None), nn.Linear):
        parent, key = model, "head"
    else:
        return model
    old = getattr(parent, key)
    setattr(parent, key, nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype))
    return model
''',
    },
    "test_set_trainable": {
        "frozen BatchNorm left in train mode": '''
def set_trainable(model, trainable_prefixes):
    frozen = 0
    for name, p in model.named_parameters():
        trains = name.startswith(tuple(trainable_prefixes))
        p.requires_grad_(trains)
        frozen += 0 if trains else p.numel()
    return frozen
''',
        "counts frozen tensors, not entries": '''
def set_trainable(model, trainable_prefixes):
    frozen = 0
    for name, p in model.named_parameters():
        trains = name.startswith(tuple(trainable_prefixes))
        p.requires_grad_(trains)
        frozen += 0 if trains else 1
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm) and not any(p.requires_grad for p in m.parameters()):
            m.eval()
    return frozen
''',
        "never unfreezes (only sets requires_grad=False)": '''
def set_trainable(model, trainable_prefixes):
    frozen = 0
    for name, p in model.named_parameters():
        if not name.startswith(tuple(trainable_prefixes)):
            p.requires_grad_(False)
            frozen += p.numel()
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm) and not any(p.requires_grad for p in m.parameters()):
            m.eval()
    return frozen
''',
        "returns the trainable count": '''
def set_trainable(model, trainable_prefixes):
    count = 0
    for name, p in model.named_parameters():
        trains = name.startswith(tuple(trainable_prefixes))
        p.requires_grad_(trains)
        count += p.numel() if trains else 0
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm) and not any(p.requires_grad for p in m.parameters()):
            m.eval()
    return count
''',
        "every BatchNorm to eval mode": '''
def set_trainable(model, trainable_prefixes):
    frozen = 0
    for name, p in model.named_parameters():
        trains = name.startswith(tuple(trainable_prefixes))
        p.requires_grad_(trains)
        frozen += 0 if trains else p.numel()
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.eval()
    return frozen
''',
        "BatchNorm to eval when any parameter is frozen": '''
def set_trainable(model, trainable_prefixes):
    frozen = 0
    for name, p in model.named_parameters():
        trains = name.startswith(tuple(trainable_prefixes))
        p.requires_grad_(trains)
        frozen += 0 if trains else p.numel()
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm) and not all(p.requires_grad for p in m.parameters()):
            m.eval()
    return frozen
''',
        "exact names instead of prefixes": '''
def set_trainable(model, trainable_prefixes):
    frozen = 0
    for name, p in model.named_parameters():
        trains = name in trainable_prefixes or name.split(".")[0] in trainable_prefixes
        p.requires_grad_(trains)
        frozen += 0 if trains else p.numel()
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm) and not any(p.requires_grad for p in m.parameters()):
            m.eval()
    return frozen
''',
        "calls model.train() first": '''
def set_trainable(model, trainable_prefixes):
    model.train()
    frozen = 0
    for name, p in model.named_parameters():
        trains = name.startswith(tuple(trainable_prefixes))
        p.requires_grad_(trains)
        frozen += 0 if trains else p.numel()
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm) and not any(p.requires_grad for p in m.parameters()):
            m.eval()
    return frozen
''',
        "only BatchNorm2d": '''
def set_trainable(model, trainable_prefixes):
    frozen = 0
    for name, p in model.named_parameters():
        trains = name.startswith(tuple(trainable_prefixes))
        p.requires_grad_(trains)
        frozen += 0 if trains else p.numel()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d) and not any(p.requires_grad for p in m.parameters()):
            m.eval()
    return frozen
''',
    },
    "test_param_groups": {
        "frozen parameters handed to the optimizer": '''
def param_groups(model, backbone_lr, head_lr, head_prefix):
    backbone, head = [], []
    for name, p in model.named_parameters():
        (head if name.startswith(head_prefix) else backbone).append(p)
    return [{"params": backbone, "lr": backbone_lr}, {"params": head, "lr": head_lr}]
''',
        "one learning rate for both groups": '''
def param_groups(model, backbone_lr, head_lr, head_prefix):
    backbone, head = [], []
    for name, p in model.named_parameters():
        if p.requires_grad:
            (head if name.startswith(head_prefix) else backbone).append(p)
    return [{"params": backbone, "lr": head_lr}, {"params": head, "lr": head_lr}]
''',
        "learning rates swapped": '''
def param_groups(model, backbone_lr, head_lr, head_prefix):
    backbone, head = [], []
    for name, p in model.named_parameters():
        if p.requires_grad:
            (head if name.startswith(head_prefix) else backbone).append(p)
    return [{"params": backbone, "lr": head_lr}, {"params": head, "lr": backbone_lr}]
''',
        "substring instead of prefix": '''
def param_groups(model, backbone_lr, head_lr, head_prefix):
    backbone, head = [], []
    for name, p in model.named_parameters():
        if p.requires_grad:
            (head if head_prefix in name else backbone).append(p)
    return [{"params": backbone, "lr": backbone_lr}, {"params": head, "lr": head_lr}]
''',
        "backbone group holds every parameter": '''
def param_groups(model, backbone_lr, head_lr, head_prefix):
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    return [{"params": [p for _, p in trainable], "lr": backbone_lr},
            {"params": [p for n, p in trainable if n.startswith(head_prefix)], "lr": head_lr}]
''',
        "detached copies instead of the parameters": '''
def param_groups(model, backbone_lr, head_lr, head_prefix):
    backbone, head = [], []
    for name, p in model.named_parameters():
        if p.requires_grad:
            (head if name.startswith(head_prefix) else backbone).append(nn.Parameter(p.detach().clone()))
    return [{"params": backbone, "lr": backbone_lr}, {"params": head, "lr": head_lr}]
''',
    },
    "test_augment": {
        "uses the global random state": '''
def augment(images, generator):
    n = images.shape[0]
    shifts = torch.randint(-2, 3, (n, 2))
    return torch.stack([torch.roll(img, (int(dy), int(dx)), dims=(1, 2)) for img, (dy, dx) in zip(images, shifts)])
''',
        "horizontal flips": '''
def augment(images, generator):
    flip = torch.rand(images.shape[0], generator=generator) < 0.5
    out = images.clone()
    out[flip] = images[flip].flip(-1)
    return out
''',
        "rotations up to 180 degrees": '''
def augment(images, generator):
    n = images.shape[0]
    angle = (2 * torch.rand(n, generator=generator) - 1) * np.pi
    angle = angle.to(images.device, images.dtype)
    theta = torch.stack([torch.stack([angle.cos(), -angle.sin(), torch.zeros_like(angle)], 1),
                         torch.stack([angle.sin(), angle.cos(), torch.zeros_like(angle)], 1)], 1)
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    return F.grid_sample(images, grid, align_corners=False).clamp(0, 1)
''',
        "one transformation for the whole batch": '''
def augment(images, generator):
    dy, dx = torch.randint(-2, 3, (2,), generator=generator).tolist()
    return torch.roll(images, (dy, dx), dims=(2, 3))
''',
        "returns float32 whatever the input": '''
def augment(images, generator):
    n = images.shape[0]
    shifts = torch.randint(-2, 3, (n, 2), generator=generator)
    return torch.stack([torch.roll(img, (int(dy), int(dx)), dims=(1, 2)) for img, (dy, dx) in zip(images, shifts)]).float()
''',
        "erases in place": '''
def augment(images, generator):
    n, _, h, w = images.shape
    tops = torch.randint(0, h - 6, (n,), generator=generator)
    lefts = torch.randint(0, w - 6, (n,), generator=generator)
    for k in range(n):
        images[k, :, tops[k]:tops[k] + 6, lefts[k]:lefts[k] + 6] = 0
    return images
''',
        "noise without clamping": '''
def augment(images, generator):
    noise = torch.randn(images.shape, generator=generator).to(images.device, images.dtype)
    return images + 0.1 * noise
''',
        "the identity": '''
def augment(images, generator):
    return images.clone()
''',
        "hard-coded 28 x 28": '''
def augment(images, generator):
    n = images.shape[0]
    padded = F.pad(images, (2, 2, 2, 2))
    offsets = torch.randint(0, 5, (n, 2), generator=generator).tolist()
    return torch.stack([padded[k, :, dy:dy + 28, dx:dx + 28] for k, (dy, dx) in enumerate(offsets)])
''',
        "erases half of the image": '''
def augment(images, generator):
    n, _, h, w = images.shape
    out = images.clone()
    tops = torch.randint(0, h // 2 + 1, (n,), generator=generator).tolist()
    for k in range(n):
        out[k, :, tops[k]:tops[k] + h // 2, :] = 0
    return out
''',
    },
}

CORRECT = {
    "test_count_parameters": {
        "a loop with math.prod": '''
def count_parameters(model, trainable_only=False):
    import math
    total = 0
    for p in model.parameters():
        if trainable_only and not p.requires_grad:
            continue
        total += math.prod(p.shape)
    return total
''',
        "a NumPy integer": '''
def count_parameters(model, trainable_only=False):
    return np.int64(sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only))
''',
        "a float and named_parameters": '''
def count_parameters(model, trainable_only=False):
    return float(sum(p.numel() for _, p in model.named_parameters() if p.requires_grad or not trainable_only))
''',
    },
    "test_replace_head": {
        "explicit branches, bias from the old layer's dtype": '''
def replace_head(model, n_classes):
    if hasattr(model, "fc") and isinstance(model.fc, nn.Linear):
        old = model.fc
        model.fc = nn.Linear(old.in_features, n_classes).to(old.weight.device, old.weight.dtype)
        return model
    classifier = getattr(model, "classifier", None)
    if isinstance(classifier, nn.Sequential) and len(classifier) and isinstance(classifier[-1], nn.Linear):
        old = classifier[-1]
        classifier[len(classifier) - 1] = nn.Linear(old.in_features, n_classes).to(old.weight.device, old.weight.dtype)
        return model
    if hasattr(model, "head") and isinstance(model.head, nn.Linear):
        old = model.head
        model.head = nn.Linear(old.in_features, n_classes).to(old.weight.device, old.weight.dtype)
        return model
    raise ValueError(f"no known head in {type(model).__name__}")
''',
        "deep copy of the old layer, then reset_parameters": '''
def replace_head(model, n_classes):
    import copy
    for owner, key in ((model, "fc"), (getattr(model, "classifier", None), -1), (model, "head")):
        if key == -1:
            if not isinstance(owner, nn.Sequential) or not len(owner) or not isinstance(owner[-1], nn.Linear):
                continue
            old = owner[-1]
        else:
            old = getattr(owner, key, None)
            if not isinstance(old, nn.Linear):
                continue
        new = copy.deepcopy(old)
        new.weight = nn.Parameter(old.weight.new_empty(n_classes, old.in_features))
        new.bias = nn.Parameter(old.weight.new_empty(n_classes))
        new.out_features = n_classes
        new.reset_parameters()
        if key == -1:
            owner[-1] = new
        else:
            setattr(owner, key, new)
        return model
    raise ValueError("unknown model")
''',
    },
    "test_set_trainable": {
        "any() over prefixes, BatchNorm by its parameters' names": '''
def set_trainable(model, trainable_prefixes):
    frozen = 0
    for name, p in model.named_parameters():
        p.requires_grad = any(name.startswith(prefix) for prefix in trainable_prefixes)
        if not p.requires_grad:
            frozen += p.numel()
    for module in model.modules():
        if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)):
            if all(not p.requires_grad for p in module.parameters()):
                module.train(False)
    return frozen
''',
        "numpy count": '''
def set_trainable(model, trainable_prefixes):
    sizes = []
    for name, p in model.named_parameters():
        p.requires_grad_(name.startswith(tuple(trainable_prefixes)))
        sizes.append(0 if p.requires_grad else p.numel())
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm) and not any(p.requires_grad for p in m.parameters()):
            m.eval()
    return np.sum(np.array(sizes, dtype=np.int64))
''',
    },
    "test_param_groups": {
        "head group first, empty groups left out": '''
def param_groups(model, backbone_lr, head_lr, head_prefix):
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    groups = [{"params": [p for n, p in named if n.startswith(head_prefix)], "lr": head_lr},
              {"params": [p for n, p in named if not n.startswith(head_prefix)], "lr": backbone_lr}]
    return [g for g in groups if g["params"]]
''',
        "a tuple of groups with extra options": '''
def param_groups(model, backbone_lr, head_lr, head_prefix):
    head = [p for n, p in model.named_parameters() if p.requires_grad and n.startswith(head_prefix)]
    body = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith(head_prefix)]
    return ({"params": body, "lr": np.float64(backbone_lr), "weight_decay": 0.0},
            {"params": head, "lr": head_lr, "weight_decay": 0.0})
''',
    },
    "test_augment": {
        "torchvision v2 inside a forked, seeded global state": '''
def augment(images, generator):
    from torchvision.transforms import v2
    seed = int(torch.randint(0, 2**31 - 1, (1,), generator=generator))
    transform = v2.RandomAffine(degrees=10, translate=(0.07, 0.07), scale=(0.9, 1.1))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return torch.stack([transform(image) for image in images]).clamp(0, 1)
''',
        "integer shifts by padding and cropping, per-image loop": '''
def augment(images, generator):
    n, _, h, w = images.shape
    padded = F.pad(images, (2, 2, 2, 2))
    offsets = torch.randint(0, 5, (n, 2), generator=generator).tolist()
    return torch.stack([padded[k, :, dy:dy + h, dx:dx + w] for k, (dy, dx) in enumerate(offsets)])
''',
        "solution's affine map with smaller erasing, float64 draws": '''
def augment(images, generator):
    n, _, h, w = images.shape
    u = torch.rand(n, 4, generator=generator, dtype=torch.float64).to(images.device, images.dtype)
    angle = (2 * u[:, 0] - 1) * 0.2
    theta = torch.zeros(n, 2, 3, dtype=images.dtype, device=images.device)
    theta[:, 0, 0], theta[:, 0, 1], theta[:, 0, 2] = angle.cos(), -angle.sin(), (2 * u[:, 1] - 1) * 0.1
    theta[:, 1, 0], theta[:, 1, 1], theta[:, 1, 2] = angle.sin(), angle.cos(), (2 * u[:, 2] - 1) * 0.1
    out = F.grid_sample(images, F.affine_grid(theta, list(images.shape), align_corners=False), align_corners=False)
    rows = torch.arange(h, device=images.device).view(1, h, 1)
    top = (u[:, 3] * (h - 4)).long().view(-1, 1, 1)
    mask = ((rows >= top) & (rows < top + 4)).unsqueeze(1).expand(n, 1, h, w).clone()
    mask[:, :, :, : w // 2] = False
    return out.masked_fill(mask, 0).clamp(0, 1)
''',
    },
}
