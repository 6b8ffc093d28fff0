"""Where the code runs and how long it trains.

``GDL_FAST=1`` (set by CI and by autograding) shrinks every training loop to a smoke test:
notebooks pick their epochs/iterations with :func:`budget`, never with a bare number.
"""

from __future__ import annotations

import os
import random

import numpy as np
import torch

FAST_VARIABLE = "GDL_FAST"
_FALSE_WORDS = {"", "0", "false", "no", "off"}


def is_fast() -> bool:
    """True when ``GDL_FAST`` is set to anything but 0/false/no/off (case-insensitive)."""
    return os.environ.get(FAST_VARIABLE, "").strip().lower() not in _FALSE_WORDS


def budget(full, fast):
    """Return ``fast`` in fast mode (``GDL_FAST=1``), else ``full``.

    Use it for every epoch count, iteration count or sample size that drives run time::

        n_steps = budget(full=3000, fast=200)
    """
    return fast if is_fast() else full


def device() -> torch.device:
    """The best available device: CUDA, then Apple's MPS, then the CPU.

    ``GDL_DEVICE=cpu`` (or any torch device string) overrides the choice.
    """
    forced = os.environ.get("GDL_DEVICE")
    if forced:
        return torch.device(forced)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def seed_everything(seed: int) -> torch.Generator:
    """Seed Python, NumPy and PyTorch (all devices); return a seeded ``torch.Generator``.

    Runs are then repeatable on one machine; different hardware may still differ in the
    last bits of floating point.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if not 0 <= int(seed) < 2**32:
        raise ValueError(f"seed must lie in [0, 2**32), got {seed}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device
    return torch.Generator().manual_seed(seed)
