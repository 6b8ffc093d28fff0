"""Evaluation that is not an exercise (any more): mode coverage on 2-D mixtures, exact W1.

Mode coverage follows VEEGAN/PacGAN: a sample is *high quality* when it lies within
``3 * std`` of its nearest mode centre; a mode is *covered* when it is the nearest mode of at
least one high-quality sample. Lecture 03 asks students to write it; later lectures use this.
"""

from __future__ import annotations

import numpy as np


def _points(values, name):
    array = np.asarray(values.detach().cpu() if hasattr(values, "detach") else values, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty (n, d) array, got shape {array.shape}")
    return array


def nearest_mode(samples, centers):
    """For each sample, the index of its nearest centre and the distance to it: two (n,) arrays."""
    samples, centers = _points(samples, "samples"), _points(centers, "centers")
    if samples.shape[1] != centers.shape[1]:
        raise ValueError("samples and centers must have the same dimension")
    distances = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=2)
    nearest = distances.argmin(axis=1)
    return nearest, distances[np.arange(len(samples)), nearest]


def mode_counts(samples, centers, std):
    """Per mode, how many samples are high quality with it as their nearest centre: (K,) ints."""
    if not std > 0:
        raise ValueError(f"std must be positive, got {std}")
    nearest, distance = nearest_mode(samples, centers)
    return np.bincount(nearest[distance <= 3 * std], minlength=len(_points(centers, "centers")))


def mode_coverage(samples, centers, std):
    """Return ``(modes_covered, high_quality_fraction)`` of ``samples`` around ``centers``."""
    counts = mode_counts(samples, centers, std)
    return int((counts > 0).sum()), float(counts.sum() / len(_points(samples, "samples")))


def kl_to_uniform(counts):
    """Lecture 03's ``mode_kl`` from per-mode counts: KL(p || uniform), 0 log 0 = 0; inf for no counts."""
    counts = np.asarray(counts, dtype=np.float64)
    if counts.sum() == 0:
        return float("inf")
    p = counts / counts.sum()
    used = p > 0
    return float(np.sum(p[used] * np.log(p[used] * len(p))))


def exact_w1(x, y):
    """Exact W1 between two uniform point clouds (Euclidean ground cost), through POT."""
    import ot

    x, y = _points(x, "x"), _points(y, "y")
    cost = ot.dist(x, y, metric="euclidean")
    return float(ot.emd2(np.full(len(x), 1 / len(x)), np.full(len(y), 1 / len(y)), cost))
