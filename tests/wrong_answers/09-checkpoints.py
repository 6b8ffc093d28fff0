"""Plausible wrong answers for lecture 09 (each must lose the cell's points) and correct answers
written another way (each must keep them)."""

MUTANTS = {
    "test_buffer_names": {
        "tied weights counted as buffers (named_parameters deduplicates)": '''
def buffer_names(model):
    parameters = {name for name, _ in model.named_parameters()}
    return [name for name in model.state_dict() if name not in parameters]
''',
        "named_buffers (includes non-persistent buffers)": '''
def buffer_names(model):
    return [name for name, _ in model.named_buffers()]
''',
        "floating-point entries only (misses num_batches_tracked)": '''
def buffer_names(model):
    parameters = {name for name, _ in model.named_parameters(remove_duplicate=False)}
    return [name for name, value in model.state_dict().items() if name not in parameters and value.is_floating_point()]
''',
        "the parameter names": '''
def buffer_names(model):
    return [name for name, _ in model.named_parameters()]
''',
        "top-level buffers only": '''
def buffer_names(model):
    return list(model._buffers)
''',
    },
    "test_save_checkpoint": {
        "model without optimizer": '''
def save_checkpoint(path, model, optimizer, epoch, **extra):
    folder = os.path.dirname(os.path.abspath(os.fspath(path)))
    temporary = os.path.join(folder, "checkpoint.tmp")
    torch.save({"epoch": int(epoch), "model": model.state_dict(), "optimizer": None,
                "extra": dict(extra), "rng": rng_states()}, temporary)
    os.replace(temporary, path)
''',
        "RNG states not saved": '''
def save_checkpoint(path, model, optimizer, epoch, **extra):
    folder = os.path.dirname(os.path.abspath(os.fspath(path)))
    temporary = os.path.join(folder, "checkpoint.tmp")
    torch.save({"epoch": int(epoch), "model": model.state_dict(),
                "optimizer": optimizer.state_dict() if optimizer is not None else None,
                "extra": dict(extra), "rng": {}}, temporary)
    os.replace(temporary, path)
''',
        "non-atomic: torch.save straight onto the path": '''
def save_checkpoint(path, model, optimizer, epoch, **extra):
    torch.save({"epoch": int(epoch), "model": model.state_dict(),
                "optimizer": optimizer.state_dict() if optimizer is not None else None,
                "extra": dict(extra), "rng": rng_states()}, path)
''',
        "temporary file in /tmp, not in the checkpoint's folder": '''
def save_checkpoint(path, model, optimizer, epoch, **extra):
    handle, temporary = tempfile.mkstemp()
    with os.fdopen(handle, "wb") as file:
        torch.save({"epoch": int(epoch), "model": model.state_dict(),
                    "optimizer": optimizer.state_dict() if optimizer is not None else None,
                    "extra": dict(extra), "rng": rng_states()}, file)
    os.replace(temporary, path)
''',
        "buffers missed (named_parameters only)": '''
def save_checkpoint(path, model, optimizer, epoch, **extra):
    folder = os.path.dirname(os.path.abspath(os.fspath(path)))
    temporary = os.path.join(folder, "checkpoint.tmp")
    torch.save({"epoch": int(epoch), "model": {n: p.detach() for n, p in model.named_parameters()},
                "optimizer": optimizer.state_dict() if optimizer is not None else None,
                "extra": dict(extra), "rng": rng_states()}, temporary)
    os.replace(temporary, path)
''',
        "extra values merged into the top level": '''
def save_checkpoint(path, model, optimizer, epoch, **extra):
    folder = os.path.dirname(os.path.abspath(os.fspath(path)))
    temporary = os.path.join(folder, "checkpoint.tmp")
    torch.save(dict(extra, epoch=int(epoch), model=model.state_dict(),
                    optimizer=optimizer.state_dict() if optimizer is not None else None, rng=rng_states()), temporary)
    os.replace(temporary, path)
''',
        "temporary file left behind (copy, not replace)": '''
def save_checkpoint(path, model, optimizer, epoch, **extra):
    import shutil
    folder = os.path.dirname(os.path.abspath(os.fspath(path)))
    temporary = os.path.join(folder, "checkpoint.tmp")
    torch.save({"epoch": int(epoch), "model": model.state_dict(),
                "optimizer": optimizer.state_dict() if optimizer is not None else None,
                "extra": dict(extra), "rng": rng_states()}, temporary)
    shutil.copyfile(temporary, path)
''',
    },
    "test_load_checkpoint": {
        "weights_only=False": '''
def load_checkpoint(path, model, optimizer=None, map_location="cpu"):
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        checkpoint = torch.load(path, map_location=map_location, weights_only=False)
        model.load_state_dict(checkpoint["model"])
        if optimizer is not None:
            optimizer.load_state_dict(checkpoint["optimizer"])
        set_rng_states(checkpoint["rng"])
        return int(checkpoint["epoch"]), dict(checkpoint["extra"])
    except Exception as error:
        raise ValueError(f"cannot read {path}") from error
''',
        "model without optimizer": '''
def load_checkpoint(path, model, optimizer=None, map_location="cpu"):
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        checkpoint = torch.load(path, map_location=map_location, weights_only=True)
        model.load_state_dict(checkpoint["model"])
        set_rng_states(checkpoint["rng"])
        return int(checkpoint["epoch"]), dict(checkpoint["extra"])
    except Exception as error:
        raise ValueError(f"cannot read {path}") from error
''',
        "RNG states not restored": '''
def load_checkpoint(path, model, optimizer=None, map_location="cpu"):
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        checkpoint = torch.load(path, map_location=map_location, weights_only=True)
        model.load_state_dict(checkpoint["model"])
        if optimizer is not None:
            optimizer.load_state_dict(checkpoint["optimizer"])
        return int(checkpoint["epoch"]), dict(checkpoint["extra"])
    except Exception as error:
        raise ValueError(f"cannot read {path}") from error
''',
        "a missing file starts from scratch (returns epoch 0)": '''
def load_checkpoint(path, model, optimizer=None, map_location="cpu"):
    path = os.fspath(path)
    if not os.path.exists(path):
        return 0, {}
    try:
        checkpoint = torch.load(path, map_location=map_location, weights_only=True)
        model.load_state_dict(checkpoint["model"])
        if optimizer is not None:
            optimizer.load_state_dict(checkpoint["optimizer"])
        set_rng_states(checkpoint["rng"])
        return int(checkpoint["epoch"]), dict(checkpoint["extra"])
    except Exception as error:
        raise ValueError(f"cannot read {path}") from error
''',
        "torch's own errors for corrupt files (no ValueError)": '''
def load_checkpoint(path, model, optimizer=None, map_location="cpu"):
    checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    if optimizer is not None:
        optimizer.load_state_dict(checkpoint["optimizer"])
    set_rng_states(checkpoint["rng"])
    return int(checkpoint["epoch"]), dict(checkpoint["extra"])
''',
        "map_location not passed on": '''
def load_checkpoint(path, model, optimizer=None, map_location="cpu"):
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        checkpoint = torch.load(path, weights_only=True)
    except Exception as error:
        raise ValueError(f"cannot read {path}") from error
    if not isinstance(checkpoint, dict) or not {"epoch", "model", "optimizer", "extra", "rng"} <= set(checkpoint):
        raise ValueError(f"{path} is not a checkpoint")
    model.load_state_dict(checkpoint["model"])
    if optimizer is not None:
        optimizer.load_state_dict(checkpoint["optimizer"])
    set_rng_states(checkpoint["rng"])
    return int(checkpoint["epoch"]), dict(checkpoint["extra"])
''',
        "buffers skipped (parameters copied one by one)": '''
def load_checkpoint(path, model, optimizer=None, map_location="cpu"):
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        checkpoint = torch.load(path, map_location=map_location, weights_only=True)
        with torch.no_grad():
            for name, parameter in model.named_parameters():
                parameter.copy_(checkpoint["model"][name])
        if optimizer is not None:
            optimizer.load_state_dict(checkpoint["optimizer"])
        set_rng_states(checkpoint["rng"])
        return int(checkpoint["epoch"]), dict(checkpoint["extra"])
    except Exception as error:
        raise ValueError(f"cannot read {path}") from error
''',
    },
    "test_train_resumable": {
        "never loads the checkpoint (restarts from scratch)": '''
def train_resumable(checkpoint_path, n_epochs, data, make_model, seed=0, batch_size=16, lr=0.01, on_step=None):
    seed_everything(seed)
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    inputs, targets = data
    for epoch in range(n_epochs):
        model.train()
        for step, batch in enumerate(torch.randperm(len(inputs)).split(batch_size)):
            loss = F.mse_loss(model(inputs[batch]), targets[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if on_step is not None:
                on_step(epoch, step, loss.item())
        save_checkpoint(checkpoint_path, model, optimizer, epoch + 1)
    return model
''',
        "epoch saved before the epoch's work": '''
def train_resumable(checkpoint_path, n_epochs, data, make_model, seed=0, batch_size=16, lr=0.01, on_step=None):
    seed_everything(seed)
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    first_epoch = 0
    if os.path.exists(checkpoint_path):
        first_epoch, _ = load_checkpoint(checkpoint_path, model, optimizer)
    inputs, targets = data
    for epoch in range(first_epoch, n_epochs):
        save_checkpoint(checkpoint_path, model, optimizer, epoch + 1)
        model.train()
        for step, batch in enumerate(torch.randperm(len(inputs)).split(batch_size)):
            loss = F.mse_loss(model(inputs[batch]), targets[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if on_step is not None:
                on_step(epoch, step, loss.item())
    if n_epochs > first_epoch:
        save_checkpoint(checkpoint_path, model, optimizer, n_epochs)
    return model
''',
        "seeds after loading (RNG states overwritten)": '''
def train_resumable(checkpoint_path, n_epochs, data, make_model, seed=0, batch_size=16, lr=0.01, on_step=None):
    torch.manual_seed(seed)
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    first_epoch = 0
    if os.path.exists(checkpoint_path):
        first_epoch, _ = load_checkpoint(checkpoint_path, model, optimizer)
    seed_everything(seed + first_epoch)
    inputs, targets = data
    for epoch in range(first_epoch, n_epochs):
        model.train()
        for step, batch in enumerate(torch.randperm(len(inputs)).split(batch_size)):
            loss = F.mse_loss(model(inputs[batch]), targets[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if on_step is not None:
                on_step(epoch, step, loss.item())
        save_checkpoint(checkpoint_path, model, optimizer, epoch + 1)
    return model
''',
        "model without optimizer (fresh Adam after a restart)": '''
def train_resumable(checkpoint_path, n_epochs, data, make_model, seed=0, batch_size=16, lr=0.01, on_step=None):
    seed_everything(seed)
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    first_epoch = 0
    if os.path.exists(checkpoint_path):
        first_epoch, _ = load_checkpoint(checkpoint_path, model)
    inputs, targets = data
    for epoch in range(first_epoch, n_epochs):
        model.train()
        for step, batch in enumerate(torch.randperm(len(inputs)).split(batch_size)):
            loss = F.mse_loss(model(inputs[batch]), targets[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if on_step is not None:
                on_step(epoch, step, loss.item())
        save_checkpoint(checkpoint_path, model, optimizer, epoch + 1)
    return model
''',
        "non-atomic writes (torch.save onto the path)": '''
def train_resumable(checkpoint_path, n_epochs, data, make_model, seed=0, batch_size=16, lr=0.01, on_step=None):
    seed_everything(seed)
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    first_epoch = 0
    if os.path.exists(checkpoint_path):
        first_epoch, _ = load_checkpoint(checkpoint_path, model, optimizer)
    inputs, targets = data
    for epoch in range(first_epoch, n_epochs):
        model.train()
        for step, batch in enumerate(torch.randperm(len(inputs)).split(batch_size)):
            loss = F.mse_loss(model(inputs[batch]), targets[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if on_step is not None:
                on_step(epoch, step, loss.item())
        torch.save({"epoch": epoch + 1, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "extra": {}, "rng": rng_states()}, checkpoint_path)
    return model
''',
        "saves only at the end": '''
def train_resumable(checkpoint_path, n_epochs, data, make_model, seed=0, batch_size=16, lr=0.01, on_step=None):
    seed_everything(seed)
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    first_epoch = 0
    if os.path.exists(checkpoint_path):
        first_epoch, _ = load_checkpoint(checkpoint_path, model, optimizer)
    inputs, targets = data
    for epoch in range(first_epoch, n_epochs):
        model.train()
        for step, batch in enumerate(torch.randperm(len(inputs)).split(batch_size)):
            loss = F.mse_loss(model(inputs[batch]), targets[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if on_step is not None:
                on_step(epoch, step, loss.item())
    save_checkpoint(checkpoint_path, model, optimizer, n_epochs)
    return model
''',
        "one permutation for the whole run": '''
def train_resumable(checkpoint_path, n_epochs, data, make_model, seed=0, batch_size=16, lr=0.01, on_step=None):
    seed_everything(seed)
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    first_epoch = 0
    if os.path.exists(checkpoint_path):
        first_epoch, _ = load_checkpoint(checkpoint_path, model, optimizer)
    inputs, targets = data
    order = torch.arange(len(inputs))
    for epoch in range(first_epoch, n_epochs):
        model.train()
        for step, batch in enumerate(order.split(batch_size)):
            loss = F.mse_loss(model(inputs[batch]), targets[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if on_step is not None:
                on_step(epoch, step, loss.item())
        save_checkpoint(checkpoint_path, model, optimizer, epoch + 1)
    return model
''',
    },
    "test_checkpoints_to_keep": {
        "the first of tied best scores": '''
def checkpoints_to_keep(paths_with_scores, keep_last, higher_is_better=True):
    if keep_last < 0:
        raise ValueError("keep_last")
    if not paths_with_scores:
        return []
    scores = [s for _, s in paths_with_scores]
    best = scores.index(max(scores) if higher_is_better else min(scores))
    kept = set(range(max(0, len(scores) - keep_last), len(scores))) | {best}
    return [paths_with_scores[i][0] for i in sorted(kept)]
''',
        "higher_is_better ignored": '''
def checkpoints_to_keep(paths_with_scores, keep_last, higher_is_better=True):
    if keep_last < 0:
        raise ValueError("keep_last")
    if not paths_with_scores:
        return []
    scores = [s for _, s in paths_with_scores]
    best = max(i for i, s in enumerate(scores) if s == max(scores))
    kept = set(range(max(0, len(scores) - keep_last), len(scores))) | {best}
    return [paths_with_scores[i][0] for i in sorted(kept)]
''',
        "the best listed twice when among the last": '''
def checkpoints_to_keep(paths_with_scores, keep_last, higher_is_better=True):
    if keep_last < 0:
        raise ValueError("keep_last")
    if not paths_with_scores:
        return []
    scores = [s for _, s in paths_with_scores]
    target = max(scores) if higher_is_better else min(scores)
    best = max(i for i, s in enumerate(scores) if s == target)
    indices = sorted([best] + list(range(max(0, len(scores) - keep_last), len(scores))))
    return [paths_with_scores[i][0] for i in indices]
''',
        "keep_last=0 keeps everything (slice [-0:])": '''
def checkpoints_to_keep(paths_with_scores, keep_last, higher_is_better=True):
    if keep_last < 0:
        raise ValueError("keep_last")
    if not paths_with_scores:
        return []
    scores = [s for _, s in paths_with_scores]
    target = max(scores) if higher_is_better else min(scores)
    best = max(i for i, s in enumerate(scores) if s == target)
    last = [p for p, _ in paths_with_scores[-keep_last:]]
    best_path = paths_with_scores[best][0]
    return [p for p, _ in paths_with_scores if p == best_path or p in last]
''',
        "no check of keep_last < 0": '''
def checkpoints_to_keep(paths_with_scores, keep_last, higher_is_better=True):
    if not paths_with_scores:
        return []
    scores = [s for _, s in paths_with_scores]
    target = max(scores) if higher_is_better else min(scores)
    best = max(i for i, s in enumerate(scores) if s == target)
    kept = set(range(max(0, len(scores) - keep_last), len(scores))) | {best}
    return [paths_with_scores[i][0] for i in sorted(kept)]
''',
        "ordered by score, not by save order": '''
def checkpoints_to_keep(paths_with_scores, keep_last, higher_is_better=True):
    if keep_last < 0:
        raise ValueError("keep_last")
    if not paths_with_scores:
        return []
    scores = [s for _, s in paths_with_scores]
    target = max(scores) if higher_is_better else min(scores)
    best = max(i for i, s in enumerate(scores) if s == target)
    kept = set(range(max(0, len(scores) - keep_last), len(scores))) | {best}
    ordered = sorted(kept, key=lambda i: scores[i], reverse=higher_is_better)
    return [paths_with_scores[i][0] for i in ordered]
''',
    },
}

CORRECT = {
    "test_buffer_names": {
        "named_buffers filtered by the state_dict's keys": '''
def buffer_names(model):
    keys = set(model.state_dict())
    return [name for name, _ in model.named_buffers() if name in keys]
''',
        "a sorted tuple from a set difference": '''
def buffer_names(model):
    names = {name for name, _ in model.named_parameters(remove_duplicate=False)}
    return tuple(sorted(set(model.state_dict()) - names))
''',
    },
    "test_save_checkpoint": {
        "path + '.tmp', then os.replace": '''
def save_checkpoint(path, model, optimizer, epoch, **extra):
    temporary = os.fspath(path) + ".tmp"
    torch.save({"epoch": int(epoch), "model": model.state_dict(),
                "optimizer": None if optimizer is None else optimizer.state_dict(),
                "extra": extra, "rng": rng_states()}, temporary)
    os.replace(temporary, path)
''',
        "NamedTemporaryFile in the folder, then os.rename": '''
def save_checkpoint(path, model, optimizer, epoch, **extra):
    path = Path(path)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, prefix=".ckpt-") as handle:
        torch.save({"epoch": epoch, "model": model.state_dict(),
                    "optimizer": optimizer.state_dict() if optimizer else None,
                    "extra": dict(**extra), "rng": rng_states()}, handle)
    os.rename(handle.name, path)
''',
        "bytes serialised in memory, then written and replaced": '''
def save_checkpoint(path, model, optimizer, epoch, **extra):
    buffer = io.BytesIO()
    torch.save({"epoch": int(epoch), "model": model.state_dict(),
                "optimizer": optimizer.state_dict() if optimizer is not None else None,
                "extra": dict(extra), "rng": rng_states()}, buffer)
    temporary = Path(path).with_name(Path(path).name + ".partial")
    temporary.write_bytes(buffer.getvalue())
    os.replace(temporary, path)
''',
    },
    "test_load_checkpoint": {
        "EAFP with an errno-style FileNotFoundError and explicit error types": '''
import errno


def load_checkpoint(path, model, optimizer=None, map_location="cpu"):
    try:
        checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    except FileNotFoundError:
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path)) from None
    except (RuntimeError, pickle.UnpicklingError, EOFError, OSError, ValueError) as error:
        raise ValueError(f"{path}: unreadable checkpoint") from error
    if not isinstance(checkpoint, dict) or any(k not in checkpoint for k in ("epoch", "model", "optimizer", "extra", "rng")):
        raise ValueError(f"{path}: not a checkpoint")
    model.load_state_dict(checkpoint["model"])
    if optimizer is not None:
        optimizer.load_state_dict(checkpoint["optimizer"])
    set_rng_states(checkpoint["rng"])
    return checkpoint["epoch"], checkpoint["extra"]
''',
    },
    "test_train_resumable": {
        "EAFP load and a while loop over slices of the permutation": '''
def train_resumable(checkpoint_path, n_epochs, data, make_model, seed=0, batch_size=16, lr=0.01, on_step=None):
    seed_everything(seed)
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    try:
        done, _ = load_checkpoint(checkpoint_path, model, optimizer)
    except FileNotFoundError:
        done = 0
    inputs, targets = data
    epoch = done
    while epoch < n_epochs:
        model.train()
        permutation = torch.randperm(inputs.shape[0])
        start, step = 0, 0
        while start < len(permutation):
            batch = permutation[start:start + batch_size]
            loss = F.mse_loss(model(inputs[batch]), targets[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if on_step:
                on_step(epoch, step, float(loss))
            start, step = start + batch_size, step + 1
        epoch += 1
        save_checkpoint(checkpoint_path, model, optimizer, epoch, finished_at=time.time())
    return model
''',
    },
    "test_checkpoints_to_keep": {
        "max over (score, index) pairs": '''
def checkpoints_to_keep(paths_with_scores, keep_last, higher_is_better=True):
    if keep_last < 0:
        raise ValueError("keep_last must be non-negative")
    n = len(paths_with_scores)
    if n == 0:
        return []
    sign = 1 if higher_is_better else -1
    best = max(range(n), key=lambda i: (sign * paths_with_scores[i][1], i))
    return [p for i, (p, _) in enumerate(paths_with_scores) if i >= n - keep_last or i == best]
''',
        "NumPy argmax on the reversed scores": '''
def checkpoints_to_keep(paths_with_scores, keep_last, higher_is_better=True):
    if keep_last < 0:
        raise ValueError("keep_last must be non-negative")
    if len(paths_with_scores) == 0:
        return []
    scores = np.array([s for _, s in paths_with_scores], dtype=np.float64)
    if not higher_is_better:
        scores = -scores
    best = len(scores) - 1 - int(np.argmax(scores[::-1]))
    keep = sorted(set(range(len(scores))[len(scores) - keep_last:] if keep_last else []) | {best})
    return [paths_with_scores[i][0] for i in keep]
''',
    },
}
