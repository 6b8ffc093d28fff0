"""Figures the notebooks share. One function per kind of figure; each returns the figure.

Figures are plain ``matplotlib.figure.Figure`` objects, not pyplot-managed: they never pile
up in memory (no "too many figures" warning on stderr, which would zero a graded cell), and a
notebook shows one by making it the last expression of a cell or by ``display(fig)``.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as _pyplot  # noqa: F401  (in a kernel, registers figure display)
import numpy as np
from matplotlib.figure import Figure

COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown")


def new_figure(ncols=1, nrows=1, width=4.5, height=3.2):
    """A figure with a grid of axes, ``width`` x ``height`` inches per panel."""
    fig = Figure(figsize=(width * ncols, height * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes


def _as_1d(values, name):
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    return array


def _draw_densities(ax, x, densities):
    x = _as_1d(x, "x")
    for color, (label, density) in zip(COLORS * 4, densities.items()):
        density = _as_1d(density, f"density {label!r}")
        if density.shape != x.shape:
            raise ValueError(f"density {label!r} has {density.size} values for {x.size} grid points")
        ax.plot(x, density, color=color, label=label, lw=1.8)
        ax.fill_between(x, density, color=color, alpha=0.2)
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    ax.legend(loc="upper right", fontsize="small")


def plot_densities(x, densities: dict, title=None):
    """Curves of several densities sampled on the same 1-D grid ``x``.

    ``densities`` maps a legend label to an array with one value per grid point.
    """
    if not densities:
        raise ValueError("plot_densities needs at least one density")
    fig, axes = new_figure()
    _draw_densities(axes[0, 0], x, densities)
    if title:
        axes[0, 0].set_title(title)
    return fig


def plot_histograms(histograms: dict, bin_labels=None, title=None):
    """Grouped bar chart of histograms sharing the same bins.

    ``histograms`` maps a legend label to the bin masses; ``bin_labels`` names the bins
    (default 0, 1, 2, ...).
    """
    if not histograms:
        raise ValueError("plot_histograms needs at least one histogram")
    arrays = {label: _as_1d(h, f"histogram {label!r}") for label, h in histograms.items()}
    n_bins = {a.size for a in arrays.values()}
    if len(n_bins) != 1:
        raise ValueError(f"histograms must share their bins, got sizes {sorted(n_bins)}")
    n_bins = n_bins.pop()
    if bin_labels is None:
        bin_labels = [str(i) for i in range(n_bins)]
    if len(bin_labels) != n_bins:
        raise ValueError(f"{len(bin_labels)} bin labels for {n_bins} bins")
    fig, axes = new_figure(width=max(4.5, 0.45 * n_bins))
    ax = axes[0, 0]
    width = 0.8 / len(arrays)
    positions = np.arange(n_bins)
    for k, (color, (label, heights)) in enumerate(zip(COLORS * 4, arrays.items())):
        ax.bar(positions + (k - (len(arrays) - 1) / 2) * width, heights, width, label=label, color=color)
    ax.set_xticks(positions, bin_labels)
    ax.set_ylabel("mass")
    ax.legend(fontsize="small")
    if title:
        ax.set_title(title)
    return fig


def _draw_values(ax, values):
    names = list(values)
    numbers = [float(values[name]) for name in names]
    finite = [v for v in numbers if math.isfinite(v)]
    top = max(finite + [1e-12]) * 1.25
    for k, (color, value) in enumerate(zip(COLORS * 4, numbers)):
        if math.isfinite(value):
            ax.bar(k, value, color=color)
            ax.text(k, value, f"{value:.3g}", ha="center", va="bottom", fontsize="small")
        else:  # an infinite divergence: a hatched bar to the top, labelled
            ax.bar(k, top, color="white", edgecolor=color, hatch="//")
            ax.text(k, top, "∞", ha="center", va="bottom", fontsize="large")
    ax.set_xticks(range(len(names)), names, rotation=20)
    ax.set_ylim(0, top * 1.15)


def plot_values(values: dict, title=None):
    """Bar chart of named scalars (divergences, scores); infinite values get a hatched bar."""
    if not values:
        raise ValueError("plot_values needs at least one value")
    fig, axes = new_figure()
    _draw_values(axes[0, 0], values)
    if title:
        axes[0, 0].set_title(title)
    return fig


def plot_density_comparison(x, densities: dict, values: dict, title=None):
    """Two panels: the densities on grid ``x`` (left) and named divergence values (right)."""
    fig, axes = new_figure(ncols=2)
    _draw_densities(axes[0, 0], x, densities)
    _draw_values(axes[0, 1], values)
    if title:
        fig.suptitle(title)
    return fig


def plot_curves(x, curves: dict, xlabel="x", ylabel="value", title=None, logy=False):
    """Several named curves over the same abscissa (losses, divergences against a parameter)."""
    if not curves:
        raise ValueError("plot_curves needs at least one curve")
    x = _as_1d(x, "x")
    fig, axes = new_figure()
    ax = axes[0, 0]
    for color, (label, y) in zip(COLORS * 4, curves.items()):
        y = _as_1d(y, f"curve {label!r}")
        if y.shape != x.shape:
            raise ValueError(f"curve {label!r} has {y.size} values for {x.size} abscissae")
        ax.plot(x, y, color=color, label=label, lw=1.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    ax.legend(fontsize="small")
    if title:
        ax.set_title(title)
    return fig
