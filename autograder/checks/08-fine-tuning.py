"""Out-of-kernel checks for lecture 08 (fine-tuning): one entry per graded cell.

The inputs below and the ``_SETUP`` helpers are sent to the kernel; the references and the
expected values are not (see autograder/verify.py). Keep this file as private as solutions/.
Tolerances follow the notebook's hidden tests, never stricter.

- count_parameters: called directly on models built by the setup (tied weights, nested
  modules, BatchNorm buffers, a partly frozen backbone, a torchvision ResNet-18 with 7 classes).
- replace_head / set_trainable / param_groups work on modules: a ``_SETUP`` helper builds a
  fresh, seeded model, calls the student's function, and returns plain facts about the result
  (sizes, modes, requires_grad flags, the learning rate each parameter gets, what one SGD
  step does); the grader runs the same helpers on the reference implementations.
- augment is random: the helper returns the invariants the docstring promises (shape, dtype,
  range, input and global random state untouched, reproducible, one draw per image, the
  evaluation classifier still at least 85% right), and the expected values are the ideal ones.
"""

from verify import Call, Check, Name

_SETUP = r'''
import torch as _torch
import torch.nn as _nn


def _student(name):
    import __main__
    return getattr(__main__, name)


def _backbone():
    from gdl.pretrained import DigitBackbone
    return DigitBackbone()


with _torch.random.fork_rng(devices=[]):   # leave the kernel's random state alone
    _torch.manual_seed(808)
    _shared = _nn.Linear(6, 6)
    tied = _nn.Sequential(_shared, _nn.Tanh(), _shared, _nn.Tanh(), _shared)
    nested = _nn.Sequential(_nn.Sequential(_nn.Conv2d(2, 4, 3), _nn.Sequential(_nn.BatchNorm2d(4))),
                            _nn.Flatten(), _nn.Linear(4, 3, bias=False))
    bn_mlp = _nn.Sequential(_nn.Linear(5, 7), _nn.BatchNorm1d(7), _nn.ReLU(), _nn.Linear(7, 3))
    partly_frozen = _backbone()
    partly_frozen.block2.requires_grad_(False)
    partly_frozen.head.weight.requires_grad_(False)
    import torchvision as _tv
    resnet = _tv.models.resnet18(num_classes=7)
    resnet.layer1.requires_grad_(False)
unknown = _nn.Sequential(_nn.Linear(3, 3), _nn.ReLU())


class _WithFc(_nn.Module):
    def __init__(self):
        super().__init__()
        self.body = _nn.Linear(5, 300)
        self.fc = _nn.Linear(300, 40)

    def forward(self, x):
        return self.fc(self.body(x))


class _WithClassifier(_nn.Module):
    def __init__(self):
        super().__init__()
        self.body = _nn.Linear(5, 12)
        self.classifier = _nn.Sequential(_nn.Dropout(0.0), _nn.Linear(12, 11), _nn.ReLU(), _nn.Linear(11, 6))

    def forward(self, x):
        return self.classifier(self.body(x))


class _WithHead(_nn.Module):
    def __init__(self):
        super().__init__()
        self.body = _nn.Linear(5, 200)
        self.head = _nn.Linear(200, 3)

    def forward(self, x):
        return self.head(self.body(x))


def _last(model):
    if isinstance(getattr(model, "fc", None), _nn.Linear):
        return model.fc
    if isinstance(getattr(model, "classifier", None), _nn.Sequential):
        return model.classifier[-1]
    return model.head


def replace_head(kind, n_classes, dtype="float32"):
    with _torch.random.fork_rng(devices=[]):
        _torch.manual_seed(809)
        model = {"fc": _WithFc, "classifier": _WithClassifier, "head": _WithHead}[kind]().to(getattr(_torch, dtype))
        old = _last(model)
        old_weight = old.weight.detach().clone()
        body = [(n, p) for n, p in model.named_parameters() if not p is old.weight and not p is old.bias]
        returned = _student("replace_head")(model, n_classes)
    new = _last(model)
    weight = new.weight.detach().double()
    bound = 1 / new.in_features ** 0.5
    out = {
        "same_object": returned is model,
        "is_linear": isinstance(new, _nn.Linear),
        "in_features": new.in_features, "out_features": new.out_features,
        "new_layer": new is not old,
        "fresh": tuple(weight.shape) != tuple(old_weight.shape) or not _torch.equal(new.weight.detach(), old_weight),
        "within_default_bound": bool(weight.abs().max() <= bound + 1e-6) and bool(weight.abs().max() > 0),
        "has_bias": new.bias is not None,
        "rest_untouched": all(dict(model.named_parameters()).get(n) is p for n, p in body),
        "dtype": str(new.weight.dtype),
        "output_shape": [int(s) for s in model(_torch.zeros(4, 5, dtype=getattr(_torch, dtype))).shape],
    }
    if weight.numel() >= 5000:   # the spread of PyTorch's default uniform(-b, b): b / sqrt(3)
        out["std_ok"] = bool(0.7 * bound / 3 ** 0.5 < weight.std() < 1.3 * bound / 3 ** 0.5)
    if kind == "classifier":
        out["classifier_length"] = len(model.classifier)
    return out


def _batchnorms(model):
    return [m for m in model.modules() if isinstance(m, _nn.modules.batchnorm._BatchNorm)]


def set_trainable(case):
    with _torch.random.fork_rng(devices=[]):
        _torch.manual_seed(810)
        if case == "mlp":
            model = _nn.Sequential(_nn.Linear(4, 6), _nn.BatchNorm1d(6), _nn.ReLU(), _nn.Linear(6, 6),
                                   _nn.BatchNorm1d(6), _nn.Linear(6, 2)).train()
            calls = [["3", "4", "5"]]
            inputs = _torch.randn(8, 4)
        else:
            model = _backbone().train()
            inputs = _torch.rand(8, 1, 28, 28)
            calls = {"blocks": [("block2", "block3", "head")], "twice": [["head"], ["block1.0", "head"]],
                     "none": [[]], "partial": [["block1.1.bias", "block3"]], "retrain": [["block3"], "train", ["block3"]],
                     "eval": ["eval", ["block2", "head"]]}[case]
        returned = None
        for call in calls:
            if call == "train":
                model.train()
            elif call == "eval":
                model.eval()
            else:
                returned = _student("set_trainable")(model, call)
        stats = [m.running_mean.clone() for m in _batchnorms(model)]
        with _torch.no_grad():
            model(inputs)
        moved = [not _torch.equal(s, m.running_mean) for s, m in zip(stats, _batchnorms(model))]
    return {
        "frozen": returned,
        "requires_grad": [bool(p.requires_grad) for p in model.parameters()],
        "batchnorm_training": [bool(m.training) for m in _batchnorms(model)],
        "statistics_moved": moved,
        "other_modes": [bool(m.training) for m in model.modules()
                        if not isinstance(m, _nn.modules.batchnorm._BatchNorm)],
    }


class _Named(_nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = _nn.Linear(3, 4)
        self.fc_like = _nn.Linear(4, 4)      # starts with "fc" but is not the head "fc."
        self.head_fc = _nn.Linear(4, 4)      # contains "fc"
        self.fc = _nn.Sequential(_nn.Linear(4, 4), _nn.Linear(4, 2))


def param_groups(case, backbone_lr, head_lr, head_prefix):
    with _torch.random.fork_rng(devices=[]):
        _torch.manual_seed(811)
        model = _Named() if case != "backbone" else _backbone()
    if case == "frozen":
        model.stem.requires_grad_(False)
        model.fc[0].weight.requires_grad_(False)
    if case == "backbone":
        model.block1.requires_grad_(False)
    groups = _student("param_groups")(model, backbone_lr, head_lr, head_prefix)
    groups = list(groups)
    rates, appearances = {}, {}
    for group in groups:
        for p in group["params"]:
            appearances[id(p)] = appearances.get(id(p), 0) + 1
            rates[id(p)] = float(group["lr"])
    params = list(model.parameters())
    for p in params:
        p.grad = _torch.ones_like(p)
    before = [p.detach().clone() for p in params]
    _torch.optim.SGD(groups).step()
    return {
        "lr": [rates.get(id(p), -1.0) for p in params],
        "appearances": [appearances.get(id(p), 0) for p in params],
        "sgd_moves": [float((b - p.detach()).mean()) for p, b in zip(params, before)],
    }


def augment(seed, shape, dtype="float32"):
    from gdl.classifier import classify
    from gdl.data import digits
    dtype = getattr(_torch, dtype)
    function = _student("augment")
    if shape == "digits":
        data = digits()
        images, labels = data.x_test.to(dtype), data.y_test
    else:
        images = _torch.rand(*shape, generator=_torch.Generator().manual_seed(seed)).to(dtype)
        labels = None
    copy = images.clone()
    state = _torch.get_rng_state()
    out = function(images, _torch.Generator().manual_seed(seed))
    result = {
        "is_tensor": isinstance(out, _torch.Tensor),
        "shape": [int(s) for s in out.shape],
        "dtype": str(out.dtype),
        "in_range": bool(out.min() >= 0) and bool(out.max() <= 1),
        "input_unchanged": _torch.equal(images, copy),
        "global_state_unchanged": _torch.equal(_torch.get_rng_state(), state),
    }
    with _torch.random.fork_rng(devices=[]):
        _torch.manual_seed(seed + 1)
        result["reproducible"] = _torch.equal(out, function(images, _torch.Generator().manual_seed(seed)))
    result["other_seed_differs"] = not _torch.equal(out, function(images, _torch.Generator().manual_seed(seed + 7)))
    copies = function(images[:1].repeat(100, *([1] * (images.dim() - 1))), _torch.Generator().manual_seed(seed + 3))
    result["distinct_copies"] = len({tuple(c.flatten().tolist()) for c in copies}) >= 10
    if labels is not None:
        accuracy = float((classify(out.float()).probs.argmax(1) == labels).float().mean())
        result["label_preserved"] = accuracy >= 0.85
    return result
'''


# -- references (never sent to the kernel) ---------------------------------------------------
def _reference_functions():
    import torch
    import torch.nn as nn

    def count_parameters(model, trainable_only=False):
        return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)

    def replace_head(model, n_classes):
        if isinstance(getattr(model, "fc", None), nn.Linear):
            parent, key = model, "fc"
        elif isinstance(getattr(model, "classifier", None), nn.Sequential) and isinstance(model.classifier[-1], nn.Linear):
            parent, key = model.classifier, str(len(model.classifier) - 1)
        elif isinstance(getattr(model, "head", None), nn.Linear):
            parent, key = model, "head"
        else:
            raise ValueError("unknown model")
        old = getattr(parent, key)
        setattr(parent, key, nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype))
        return model

    def set_trainable(model, trainable_prefixes):
        frozen = 0
        for name, p in model.named_parameters():
            trains = name.startswith(tuple(trainable_prefixes))
            p.requires_grad_(trains)
            frozen += 0 if trains else p.numel()
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                ps = list(m.parameters())
                if ps and not any(p.requires_grad for p in ps):
                    m.eval()
        return frozen

    def param_groups(model, backbone_lr, head_lr, head_prefix):
        backbone, head = [], []
        for name, p in model.named_parameters():
            if p.requires_grad:
                (head if name.startswith(head_prefix) else backbone).append(p)
        return [{"params": backbone, "lr": backbone_lr}, {"params": head, "lr": head_lr}]

    del torch
    return {f.__name__: f for f in (count_parameters, replace_head, set_trainable, param_groups)}


_GRADER = {}


def _grader_namespace():
    if not _GRADER:
        exec(_SETUP, _GRADER)
        _GRADER["_student"] = _reference_functions().__getitem__
    return _GRADER


def _helper(name):
    """The kernel helper ``name``, run in the grader on the reference implementations."""
    def run(*args, **kwargs):
        return _grader_namespace()[name](*args, **kwargs)
    return run


def _count_reference(model, trainable_only=False):
    return _reference_functions()["count_parameters"](model, trainable_only)


def _augment_expected(seed, shape, dtype="float32"):
    out = {"is_tensor": True, "dtype": f"torch.{dtype}", "in_range": True, "input_unchanged": True,
           "global_state_unchanged": True, "reproducible": True, "other_seed_differs": True,
           "distinct_copies": True}
    if shape == "digits":
        out["shape"] = [1000, 1, 28, 28]
        out["label_preserved"] = True
    else:
        out["shape"] = list(shape)
    return out


CHECKS = {
    "test_count_parameters": Check(
        calls=[
            Call("count_parameters", Name("tied")),
            Call("count_parameters", Name("nested")),
            Call("count_parameters", Name("bn_mlp")),
            Call("count_parameters", Name("partly_frozen")),
            Call("count_parameters", Name("partly_frozen"), trainable_only=True),
            Call("count_parameters", Name("partly_frozen"), True),
            Call("count_parameters", Name("resnet")),
            Call("count_parameters", Name("resnet"), trainable_only=True),
        ],
        reference={"count_parameters": _count_reference},
        tolerance=0.0,
        setup=_SETUP,
    ),
    "test_replace_head": Check(
        calls=[
            Call("setup.replace_head", "fc", 40),          # same size as before: still fresh
            Call("setup.replace_head", "fc", 9),
            Call("setup.replace_head", "classifier", 3),
            Call("setup.replace_head", "head", 8, "float64"),
            Call("replace_head", Name("unknown"), 2, raises="ValueError"),
        ],
        reference={"setup.replace_head": _helper("replace_head")},
        tolerance=0.0,
        setup=_SETUP,
    ),
    "test_set_trainable": Check(
        calls=[Call("setup.set_trainable", case)
               for case in ("blocks", "twice", "none", "partial", "retrain", "eval", "mlp")],
        reference={"setup.set_trainable": _helper("set_trainable")},
        tolerance=0.0,
        setup=_SETUP,
    ),
    "test_param_groups": Check(
        calls=[
            Call("setup.param_groups", "all", 0.01, 0.3, "fc."),
            Call("setup.param_groups", "all", 0.02, 0.2, "fc"),
            Call("setup.param_groups", "frozen", 0.05, 0.5, "fc."),
            Call("setup.param_groups", "backbone", 1e-4, 1e-3, "head"),
        ],
        reference={"setup.param_groups": _helper("param_groups")},
        tolerance=1e-9,
        rtol=1e-6,
        setup=_SETUP,
    ),
    "test_augment": Check(
        calls=[
            Call("setup.augment", 21, "digits"),
            Call("setup.augment", 22, [6, 1, 28, 28], "float64"),
            Call("setup.augment", 23, [2, 1, 18, 26]),
            Call("setup.augment", 24, [1, 1, 28, 28]),
        ],
        reference={"setup.augment": _augment_expected},
        tolerance=0.0,
        setup=_SETUP,
    ),
}
