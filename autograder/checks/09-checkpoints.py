"""Out-of-kernel checks for lecture 09 (checkpoints): one entry per graded cell.

The inputs below and the ``_SETUP`` helpers are sent to the kernel; the references and the
expected values are not (see autograder/verify.py). Keep this file as private as solutions/.
Tolerances follow the notebook's hidden tests, never stricter.

Every probe goes through a helper of ``_SETUP`` (called as ``"setup.NAME"``) that calls the
student's functions in the kernel and returns plain values:
- buffer_names: the sorted names for models the notebook never shows (nested BatchNorm and
  InstanceNorm with running statistics, persistent and non-persistent buffers, tied weights);
- save_checkpoint: what a seeded network and Adam optimizer saved (read back with
  weights_only=True): keys, epoch, extra values, every model and optimizer tensor, whether the
  random states equal those at save time, the files left in the folder; and, with a patched
  torch.save that writes half of the bytes and then raises (a kill during the save), the
  epoch of the checkpoint still at the path and whether the temporary file was in its folder;
- load_checkpoint: a checkpoint written in the documented format, loaded into another network
  and optimizer: epoch, extra, every restored tensor, the random draws that follow; and for a
  missing, truncated, non-checkpoint, keyless and crafted (code-running) file: whether the
  right exception was raised, whether its message names the path, and whether code ran;
- train_resumable: the final weights of an uninterrupted run (the docstring fixes the
  computation), and after interruptions by an exception and by SIGKILL in a forked child
  (during an epoch and half-way through a save): the epoch left on disk, the number of steps
  the restart ran, and the final weights, which must equal the uninterrupted ones;
- checkpoints_to_keep: direct calls on lists of (path, score) pairs, and keep_last < 0.

The grader computes the expected values by running the same helpers on reference
implementations (``_student`` swapped); for the interrupted runs it expects the uninterrupted
reference weights and the step counts a correct restart runs.
"""

from verify import Call, Check

_SETUP = r'''
import io as _io
import os as _os
import random as _random
import select as _select
import signal as _signal
import sys as _sys
import tempfile as _tempfile
import time as _time
import warnings as _warnings
from pathlib import Path as _Path

import numpy as _np
import torch as _torch
import torch.nn as _nn


def _student(name):
    import __main__
    return getattr(__main__, name)


class _WithState(_nn.Module):
    def __init__(self):
        super().__init__()
        self.gain = _nn.Parameter(_torch.ones(2))
        self.register_buffer("steps", _torch.zeros((), dtype=_torch.long))
        self.register_buffer("cache", _torch.zeros(2), persistent=False)
        self.encoder = _nn.Sequential(_nn.Conv2d(1, 2, 3), _nn.InstanceNorm2d(2, track_running_stats=True),
                                      _nn.BatchNorm2d(2, affine=False))
        self.head = _nn.Linear(2, 2)
        self.tail = _nn.Linear(2, 2)
        self.tail.weight = self.head.weight


def _models(kind):
    if kind == "plain":
        return _nn.Sequential(_nn.Linear(2, 3), _nn.ReLU(), _nn.Linear(3, 1))
    if kind == "conv":
        return _nn.Sequential(_nn.Conv2d(1, 2, 3), _nn.BatchNorm2d(2), _nn.ReLU(), _nn.Flatten(),
                              _nn.Linear(8, 4), _nn.BatchNorm1d(4, momentum=None))
    return _WithState()


def buffer_names(kind):
    with _torch.random.fork_rng(devices=[]):
        model = _models(kind)
    return sorted(str(name) for name in _student("buffer_names")(model))


def _pair(seed):
    with _torch.random.fork_rng(devices=[]):
        _torch.manual_seed(seed)
        model = _nn.Sequential(_nn.Linear(3, 4, bias=False), _nn.BatchNorm1d(4), _nn.Tanh(), _nn.Linear(4, 2))
        optimizer = _torch.optim.Adam(model.parameters(), lr=0.03)
        for _ in range(3):
            optimizer.zero_grad()
            model(_torch.randn(6, 3)).pow(2).mean().backward()
            optimizer.step()
    return model, optimizer


def _flat(tensors):
    return _torch.cat([_torch.as_tensor(t).detach().double().reshape(-1) for t in tensors]) if tensors else _torch.zeros(0, dtype=_torch.float64)


def _optimizer_values(state):
    if state is None:
        return "none"
    return _flat([state["state"][k][name] for k in sorted(state["state"]) for name in ("step", "exp_avg", "exp_avg_sq")])


class _Killed(BaseException):
    pass


def save_checkpoint(seed, with_optimizer=True):
    model, optimizer = _pair(seed)
    with _tempfile.TemporaryDirectory() as folder:
        path = _os.path.join(folder, "state.pt")
        _random.seed(seed)
        _np.random.seed(seed + 1)
        _torch.manual_seed(seed + 2)
        torch_state, python_state, numpy_keys = _torch.get_rng_state(), _random.getstate(), _np.random.get_state()[1]
        _student("save_checkpoint")(_Path(path) if seed % 2 else path, model, optimizer if with_optimizer else None,
                                    seed + 5, tag="run", values=[1.5, 2.5], noise=_torch.arange(3.0))
        files = sorted(_os.listdir(folder))
        saved = _torch.load(path, weights_only=True)
        extra = saved["extra"]
        return {
            "keys": sorted(saved), "epoch": saved["epoch"], "files": files,
            "model_keys": sorted(saved["model"]),
            "model": _flat([saved["model"][k] for k in sorted(saved["model"])]),
            "optimizer": _optimizer_values(saved["optimizer"]),
            "extra_keys": sorted(extra), "tag": extra["tag"], "values": list(extra["values"]), "noise": extra["noise"],
            "rng_torch": bool(_torch.equal(saved["rng"]["torch"], torch_state)),
            "rng_python": tuple(saved["rng"]["python"][1]) == python_state[1],
            "rng_numpy": bool(_np.array_equal(_np.asarray(saved["rng"]["numpy"]["keys"]), numpy_keys.astype(_np.int64))),
        }


def save_killed(seed):
    model, optimizer = _pair(seed)
    real_save, targets = _torch.save, []

    def dying_save(obj, f, *args, **kwargs):
        buffer = _io.BytesIO()
        real_save(obj, buffer, *args, **kwargs)
        data = buffer.getvalue()
        targets.append(getattr(f, "name", f))
        if hasattr(f, "write"):
            f.write(data[: len(data) // 2])
            f.flush()
        else:
            with open(f, "wb") as handle:
                handle.write(data[: len(data) // 2])
        raise _Killed()

    with _tempfile.TemporaryDirectory() as folder:
        sub = _os.path.join(folder, "runs")
        _os.mkdir(sub)
        path = _os.path.join(sub, "c.pt")
        real_replace, real_rename, moves = _os.replace, _os.rename, []

        def replace(src, dst, *args, **kwargs):
            moves.append(src)
            return real_replace(src, dst, *args, **kwargs)

        def rename(src, dst, *args, **kwargs):
            moves.append(src)
            return real_rename(src, dst, *args, **kwargs)

        _os.replace, _os.rename = replace, rename
        try:
            _student("save_checkpoint")(path, model, optimizer, 1)
        finally:
            _os.replace, _os.rename = real_replace, real_rename
        moved_here = all(_os.path.dirname(_os.path.abspath(_os.fspath(m))) == sub for m in moves)
        _torch.save = dying_save
        try:
            _student("save_checkpoint")(path, model, optimizer, 2)
        except _Killed:
            pass
        finally:
            _torch.save = real_save
        try:
            survived = int(_torch.load(path, weights_only=True)["epoch"])
        except Exception:
            survived = -1
        same_folder = all(_os.path.dirname(_os.path.abspath(_os.fspath(t))) == sub
                          for t in targets if isinstance(t, (str, _os.PathLike)))
        return {"survived_epoch": survived, "same_folder": same_folder and moved_here, "used_torch_save": bool(targets)}


def _write_checkpoint(path, model, optimizer, epoch, extra):
    rng = _student("rng_states")()
    _torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                 "extra": extra, "rng": rng}, path)


def load_checkpoint(seed, with_optimizer=True, where="cpu"):
    source, source_optimizer = _pair(seed)
    target, target_optimizer = _pair(seed + 50)
    with _tempfile.TemporaryDirectory() as folder:
        path = _os.path.join(folder, "c.pt")
        _random.seed(seed)
        _np.random.seed(seed + 1)
        _torch.manual_seed(seed + 2)
        _write_checkpoint(path, source, source_optimizer, seed + 3, {"best": 0.5 + seed, "name": "x"})
        _random.seed(999)
        _np.random.seed(998)
        _torch.manual_seed(997)
        mapped = []
        location = (lambda storage, loc: mapped.append(loc) or storage) if where == "function" else where
        epoch, extra = _student("load_checkpoint")(path, target, target_optimizer if with_optimizer else None,
                                                   map_location=location)
        draws = [_random.random(), float(_np.random.rand())] + _torch.rand(2).tolist()
    return {"epoch": epoch, "extra": dict(extra), "draws": draws, "mapped": bool(mapped) or where != "function",
            "model": _flat([target.state_dict()[k] for k in sorted(target.state_dict())]),
            "optimizer": _optimizer_values(target_optimizer.state_dict())}


class _Plant:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return _Path.touch, (_Path(self.marker),)


def load_error(kind):
    target, _ = _pair(3)
    with _tempfile.TemporaryDirectory() as folder:
        path = _os.path.join(folder, f"{kind}.pt")
        marker = _os.path.join(folder, "marker")
        good, good_optimizer = _pair(4)
        if kind == "truncated":
            buffer = _io.BytesIO()
            _torch.save({"epoch": 1, "model": good.state_dict(), "optimizer": None, "extra": {},
                         "rng": _student("rng_states")()}, buffer)
            _Path(path).write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 3])
        elif kind == "not_checkpoint":
            _torch.save({"weights": _torch.ones(2)}, path)
        elif kind == "no_rng":
            _torch.save({"epoch": 1, "model": good.state_dict(), "optimizer": None, "extra": {}}, path)
        elif kind == "crafted":
            _torch.save({"epoch": 1, "model": {}, "optimizer": None, "extra": _Plant(marker), "rng": {}}, path)
        elif kind == "garbage":
            _Path(path).write_bytes(b"not a zip archive at all" * 10)
        expected = FileNotFoundError if kind == "missing" else ValueError
        raised = None
        try:
            _student("load_checkpoint")(path, target)
        except Exception as error:
            raised = error
        return {"right_error": isinstance(raised, expected), "names_path": raised is not None and path in str(raised),
                "code_ran": _os.path.exists(marker)}


def _make_net():
    return _nn.Sequential(_nn.Linear(3, 12, bias=False), _nn.BatchNorm1d(12), _nn.ReLU(), _nn.Dropout(0.3), _nn.Linear(12, 2))


_g = _torch.Generator().manual_seed(909)
_inputs = _torch.randn(30, 3, generator=_g)
train_data = (_inputs, _torch.stack([_inputs[:, 0] * _inputs[:, 1], _torch.cos(_inputs[:, 2])], dim=1))


def _final(model):
    state = model.state_dict()
    return _flat([state[k] for k in sorted(state)])


def _fork_and_kill(path, kill_at, save_to_die, options):
    read_end, write_end = _os.pipe()
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore", DeprecationWarning)
        pid = _os.fork()
    if pid == 0:
        try:
            _os.close(read_end)
            _sys.stdout = _sys.stderr = open(_os.devnull, "w")
            _torch.set_num_threads(1)
            _torch.cuda.is_available = lambda: False
            real_save, saves = _torch.save, []

            def on_step(e, s, loss):
                if (e, s) == kill_at:
                    _os.write(write_end, b"k")
                    _time.sleep(120)

            def save_then_hang(obj, f, *args, **kw):
                saves.append(1)
                if len(saves) != save_to_die:
                    return real_save(obj, f, *args, **kw)
                buffer = _io.BytesIO()
                real_save(obj, buffer, *args, **kw)
                data = buffer.getvalue()
                handle = f if hasattr(f, "write") else open(f, "wb")
                handle.write(data[: len(data) // 2])
                handle.flush()
                _os.write(write_end, b"s")
                _time.sleep(120)

            _torch.save = save_then_hang
            _student("train_resumable")(path, options["n_epochs"], train_data, _make_net, seed=options["seed"],
                                        batch_size=options["batch_size"], lr=options["lr"], on_step=on_step)
            _os.write(write_end, b"d")
        except BaseException:
            _os.write(write_end, b"e")
        finally:
            _os._exit(0)
    _os.close(write_end)
    try:
        ready, _, _ = _select.select([read_end], [], [], 30)
        report = _os.read(read_end, 1) if ready else b"t"
    finally:
        _os.kill(pid, _signal.SIGKILL)
        _os.waitpid(pid, 0)
        _os.close(read_end)
    return report.decode()


class _Stop(Exception):
    pass


def resumable(mode, seed, batch_size, lr, n_epochs, kill_at=None, save_to_die=None):
    train = _student("train_resumable")
    options = dict(seed=seed, batch_size=batch_size, lr=lr)
    out = {}
    with _tempfile.TemporaryDirectory() as folder:
        path = _os.path.join(folder, "c.pt")
        if mode == "straight":
            steps = []
            model = train(path, n_epochs, train_data, _make_net, on_step=lambda e, s, loss: steps.append((e, s)), **options)
            again = []
            finished = train(path, n_epochs, train_data, _make_net, on_step=lambda e, s, loss: again.append(s), **options)
            return {"state": _final(model), "steps": len(steps), "saved_epoch": int(_torch.load(path, weights_only=True)["epoch"]),
                    "steps_again": len(again), "state_again": _final(finished)}
        kill_at = tuple(kill_at) if kill_at is not None else None
        if mode == "exception":
            def stop(e, s, loss):
                if (e, s) == kill_at:
                    raise _Stop()
            try:
                train(path, n_epochs, train_data, _make_net, on_step=stop, **options)
                out["report"] = "d"
            except _Stop:
                out["report"] = "k"
        else:
            out["report"] = _fork_and_kill(path, kill_at, save_to_die, dict(options, n_epochs=n_epochs))
        try:
            out["epoch_left"] = int(_torch.load(path, weights_only=True)["epoch"]) if _os.path.exists(path) else 0
        except Exception:
            out["epoch_left"] = -1   # a truncated file
        steps = []
        model = train(path, n_epochs, train_data, _make_net, on_step=lambda e, s, loss: steps.append((e, s)), **options)
        out["resumed_steps"] = len(steps)
        out["state"] = _final(model)
    return out
'''


# -- references (never sent to the kernel) ---------------------------------------------------
def _reference_functions():
    import os
    import random
    import tempfile

    import numpy as np
    import torch
    import torch.nn.functional as F

    from gdl.env import seed_everything

    def rng_states():
        name, keys, position, has_gauss, cached = np.random.get_state()
        return {"python": random.getstate(),
                "numpy": {"name": name, "keys": torch.from_numpy(keys.astype(np.int64)), "pos": int(position),
                          "has_gauss": int(has_gauss), "cached_gaussian": float(cached)},
                "torch": torch.get_rng_state(), "cuda": []}

    def set_rng_states(states):
        version, internal, gauss = states["python"]
        random.setstate((version, tuple(internal), gauss))
        n = states["numpy"]
        np.random.set_state((n["name"], n["keys"].numpy().astype(np.uint32), n["pos"], n["has_gauss"], n["cached_gaussian"]))
        torch.set_rng_state(states["torch"].cpu())

    def buffer_names(model):
        parameters = {name for name, _ in model.named_parameters(remove_duplicate=False)}
        return [name for name in model.state_dict() if name not in parameters]

    def save_checkpoint(path, model, optimizer, epoch, **extra):
        path = os.fspath(path)
        checkpoint = {"epoch": int(epoch), "model": model.state_dict(),
                      "optimizer": optimizer.state_dict() if optimizer is not None else None,
                      "extra": dict(extra), "rng": rng_states()}
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)))
        try:
            with os.fdopen(handle, "wb") as file:
                torch.save(checkpoint, file)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.remove(temporary)
            raise

    def load_checkpoint(path, model, optimizer=None, map_location="cpu"):
        checkpoint = torch.load(os.fspath(path), map_location=map_location, weights_only=True)
        model.load_state_dict(checkpoint["model"])
        if optimizer is not None:
            optimizer.load_state_dict(checkpoint["optimizer"])
        set_rng_states(checkpoint["rng"])
        return int(checkpoint["epoch"]), dict(checkpoint["extra"])

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
            save_checkpoint(checkpoint_path, model, optimizer, epoch + 1)
        return model

    return {f.__name__: f for f in (rng_states, set_rng_states, buffer_names, save_checkpoint, load_checkpoint,
                                    train_resumable)}


def _checkpoints_to_keep(paths_with_scores, keep_last, higher_is_better=True):
    if not paths_with_scores:
        return []
    scores = [score for _, score in paths_with_scores]
    best_score = max(scores) if higher_is_better else min(scores)
    best = max(i for i, score in enumerate(scores) if score == best_score)
    kept = set(range(max(0, len(scores) - keep_last), len(scores))) | {best}
    return [paths_with_scores[i][0] for i in sorted(kept)]


_GRADER = {}


def _helper(name):
    """The kernel helper ``name``, run in the grader on the reference implementations."""
    def run(*args, **kwargs):
        if not _GRADER:
            exec(_SETUP, _GRADER)
            _GRADER["_student"] = _reference_functions().__getitem__
        import torch
        threads = torch.get_num_threads()
        torch.set_num_threads(1)   # as the notebook's kernel
        try:
            with torch.random.fork_rng(devices=[]):   # the grader's own random state is left alone
                return _helper_call(name, args, kwargs)
        finally:
            torch.set_num_threads(threads)
    return run


def _helper_call(name, args, kwargs):
    import random

    import numpy as np
    state = random.getstate(), np.random.get_state()
    try:
        return _GRADER[name](*args, **kwargs)
    finally:
        random.setstate(state[0])
        np.random.set_state(state[1])


def _save_killed_expected(seed):
    return {"survived_epoch": 1, "same_folder": True, "used_torch_save": True}


def _load_error_expected(kind):
    return {"right_error": True, "names_path": True, "code_ran": False}


def _resumable_expected(mode, seed, batch_size, lr, n_epochs, kill_at=None, save_to_die=None):
    straight = _helper("resumable")("straight", seed, batch_size, lr, n_epochs)
    steps_per_epoch = -(-30 // batch_size)
    if kill_at is not None:
        epoch_left, report = kill_at[0], "k"
    else:
        epoch_left, report = save_to_die - 1, "s"
    return {"report": report, "epoch_left": epoch_left,
            "resumed_steps": steps_per_epoch * (n_epochs - epoch_left), "state": straight["state"]}


_TRAIN = dict(seed=5, batch_size=7, lr=0.02, n_epochs=3)   # 5 steps per epoch

CHECKS = {
    "test_buffer_names": Check(
        calls=[Call("setup.buffer_names", kind) for kind in ("plain", "conv", "custom")],
        reference={"setup.buffer_names": _helper("buffer_names")},
        setup=_SETUP,
    ),
    "test_save_checkpoint": Check(
        calls=[
            Call("setup.save_checkpoint", 11),
            Call("setup.save_checkpoint", 12, with_optimizer=False),
            Call("setup.save_killed", 13),
        ],
        reference={"setup.save_checkpoint": _helper("save_checkpoint"), "setup.save_killed": _save_killed_expected},
        tolerance=1e-6,
        setup=_SETUP,
    ),
    "test_load_checkpoint": Check(
        calls=[
            Call("setup.load_checkpoint", 21),
            Call("setup.load_checkpoint", 22, with_optimizer=False, where="function"),
        ] + [Call("setup.load_error", kind) for kind in ("missing", "truncated", "garbage", "not_checkpoint",
                                                        "no_rng", "crafted")],
        reference={"setup.load_checkpoint": _helper("load_checkpoint"), "setup.load_error": _load_error_expected},
        tolerance=1e-6,
        setup=_SETUP,
    ),
    "test_train_resumable": Check(
        calls=[
            Call("setup.resumable", "straight", **_TRAIN),
            Call("setup.resumable", "exception", kill_at=[1, 2], **_TRAIN),
            Call("setup.resumable", "sigkill", kill_at=[0, 4], **_TRAIN),
            Call("setup.resumable", "sigkill", kill_at=[2, 1], **_TRAIN),
            Call("setup.resumable", "sigkill", save_to_die=2, **_TRAIN),
        ],
        reference={"setup.resumable": lambda mode, **kw: (_helper("resumable")(mode, **kw) if mode == "straight"
                                                           else _resumable_expected(mode, **kw))},
        # hidden tests compare interrupted and uninterrupted runs with torch.equal, and the
        # uninterrupted run with literal values within 1e-4
        tolerance=1e-5,
        rtol=1e-5,
        setup=_SETUP,
    ),
    "test_checkpoints_to_keep": Check(
        calls=[
            Call("checkpoints_to_keep", [["a", 0.1], ["b", 0.9], ["c", 0.3], ["d", 0.2]], 1),
            Call("checkpoints_to_keep", [["a", 0.1], ["b", 0.9], ["c", 0.3], ["d", 0.2]], 0, higher_is_better=False),
            Call("checkpoints_to_keep", [["a", 2.0], ["b", 2.0], ["c", 1.0], ["d", 1.5]], 1),
            Call("checkpoints_to_keep", [["a", 2.0], ["b", 1.0], ["c", 1.0]], 2, higher_is_better=False),
            Call("checkpoints_to_keep", [["a", 5.0], ["b", 4.0], ["c", 3.0]], 7),
            Call("checkpoints_to_keep", [["a", 0.9], ["b", 0.1], ["c", 0.5]], 2),
            Call("checkpoints_to_keep", [], 3),
            Call("checkpoints_to_keep", [["a", 1.0]], -2, raises="ValueError"),
        ],
        reference={"checkpoints_to_keep": _checkpoints_to_keep},
        setup=_SETUP,
    ),
}
