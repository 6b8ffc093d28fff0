"""Figures the notebooks share. One function per kind of figure; each returns the figure.

Figures are plain ``matplotlib.figure.Figure`` objects, not pyplot-managed: they never pile
up in memory (no "too many figures" warning on stderr, which would zero a graded cell), and a
notebook shows one by making it the last expression of a cell or by ``display(fig)``.
"""

from __future__ import annotations

import math

import io

import numpy as np
from matplotlib.figure import Figure

def figure_png(fig, dpi=90) -> bytes:
    """Render a figure to PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _show_figures_in_ipython():
    """Let a kernel display a returned Figure as a picture, whatever matplotlib's backend."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["image/png"].for_type(Figure, figure_png)


_show_figures_in_ipython()

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
    fig, axes = new_figure(width=5.5)
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


def _as_images(images):
    array = np.asarray(images.detach().cpu() if hasattr(images, "detach") else images, dtype=float)
    if array.ndim == 4 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 3 or array.shape[0] == 0:
        raise ValueError(f"images must have shape (N, 1, H, W) or (N, H, W), got {array.shape}")
    return array


def plot_image_grid(images, ncols=8, captions=None, title=None, size=1.0):
    """Grey-scale images in [0, 1] on a grid, ``ncols`` per row, each with an optional caption.

    ``images`` is an (N, 1, H, W) or (N, H, W) tensor or array; values are shown on a fixed
    [0, 1] scale (map a tanh output with ``(x + 1) / 2`` first). ``size`` is inches per image.
    """
    array = _as_images(images)
    if captions is not None and len(captions) != len(array):
        raise ValueError(f"{len(captions)} captions for {len(array)} images")
    ncols = max(1, min(int(ncols), len(array)))
    nrows = math.ceil(len(array) / ncols)
    caption_room = 0.25 if captions is not None else 0.0
    fig, axes = new_figure(ncols, nrows, width=size, height=size + caption_room)
    for k, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if k < len(array):
            ax.imshow(array[k], cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
            if captions is not None:
                ax.set_title(str(captions[k]), fontsize="small")
    if title:
        fig.suptitle(title)
    return fig


def _as_points(values, name):
    array = np.asarray(values.detach().cpu() if hasattr(values, "detach") else values, dtype=float)
    if array.ndim != 2 or array.shape[1] != 2:
        raise ValueError(f"{name} must have shape (N, 2), got {array.shape}")
    return array


def plot_point_clouds(panels: dict, reference=None, centers=None, extent=None, ncols=None, title=None,
                      values=None, value_label=None, value_range=None):
    """One scatter panel per entry of ``panels`` (label -> (N, 2) points), sharing the axes.

    ``reference`` (real samples) is drawn in light grey under each cloud and ``centers`` (mode
    centres) as black crosses; ``extent`` is the half-width of the square view (default: fit
    the reference, or the points). ``values`` (label -> (N,) numbers, for some or all panels)
    colours those panels' points on one shared scale, ``value_range`` (low, high) or else the
    values' own range, explained by a colour bar labelled ``value_label``.
    """
    if not panels:
        raise ValueError("plot_point_clouds needs at least one panel")
    clouds = {label: _as_points(points, f"panel {label!r}") for label, points in panels.items()}
    shades = {}
    for label, numbers in (values or {}).items():
        if label not in clouds:
            raise ValueError(f"values given for {label!r}, which is not a panel")
        shades[label] = _as_1d(numbers, f"values of {label!r}")
        if len(shades[label]) != len(clouds[label]):
            raise ValueError(f"panel {label!r} has {len(clouds[label])} points but {len(shades[label])} values")
    if shades:
        low, high = value_range if value_range is not None else (
            min(float(v.min()) for v in shades.values()), max(float(v.max()) for v in shades.values()))
    reference = _as_points(reference, "reference") if reference is not None else None
    centers = _as_points(centers, "centers") if centers is not None else None
    if extent is None:
        fitted = reference if reference is not None else np.concatenate(list(clouds.values()))
        extent = 1.15 * float(np.abs(fitted).max())
    ncols = min(len(clouds), ncols or 4)
    nrows = math.ceil(len(clouds) / ncols)
    fig, axes = new_figure(ncols, nrows, width=2.6, height=2.7)
    colored = None
    for ax, (label, points) in zip(axes.flat, clouds.items()):
        if reference is not None:
            ax.scatter(reference[:, 0], reference[:, 1], s=2, color="0.8", rasterized=True)
        if label in shades:
            colored = ax.scatter(points[:, 0], points[:, 1], s=2, c=shades[label], cmap="viridis",
                                 vmin=low, vmax=high, rasterized=True)
        else:
            ax.scatter(points[:, 0], points[:, 1], s=2, color=COLORS[0], alpha=0.5, rasterized=True)
        if centers is not None:
            ax.scatter(centers[:, 0], centers[:, 1], s=25, marker="x", color="black", lw=1)
        ax.set_xlim(-extent, extent)
        ax.set_ylim(-extent, extent)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(label, fontsize="small")
    for ax in list(axes.flat)[len(clouds):]:
        ax.set_axis_off()
    if colored is not None:
        fig.colorbar(colored, ax=list(axes.flat), shrink=0.8, label=value_label)
    if title:
        fig.suptitle(title)
    return fig


def plot_vector_fields(panels: dict, paths: dict | None = None, target=None, xlabel="x", ylabel="y",
                       title=None):
    """Vector fields with optional trajectories drawn over them, one panel per entry.

    ``panels`` maps a panel title to ``(X, Y, U, V)``: grid coordinates and the field's two
    components, all of the same 2-D shape (as from ``np.meshgrid``). ``paths`` maps a panel
    title to ``{label: (T, 2) array}`` of trajectories; each starts with a dot. ``target``, a
    point ``(x, y)``, is marked with a star (an equilibrium, say).
    """
    if not panels:
        raise ValueError("plot_vector_fields needs at least one panel")
    paths = paths or {}
    unknown = set(paths) - set(panels)
    if unknown:
        raise ValueError(f"paths for unknown panels {sorted(unknown)}")
    fig, axes = new_figure(len(panels), 1, width=3.4, height=3.4)
    for ax, (label, field) in zip(axes.flat, panels.items()):
        X, Y, U, V = (np.asarray(a.detach().cpu() if hasattr(a, "detach") else a, dtype=float) for a in field)
        if not X.shape == Y.shape == U.shape == V.shape or X.ndim != 2:
            raise ValueError(f"panel {label!r}: X, Y, U, V must be 2-D arrays of one shape")
        ax.quiver(X, Y, U, V, color="0.55", angles="xy")
        for color, (name, path) in zip(COLORS[1:] * 4, paths.get(label, {}).items()):
            path = _as_points(path, f"path {name!r}")
            ax.plot(path[:, 0], path[:, 1], color=color, lw=1.4, label=name)
            ax.plot(path[0, 0], path[0, 1], "o", color=color, ms=4)
        if target is not None:
            ax.plot([target[0]], [target[1]], "*", color="black", ms=9)
        ax.set_xlim(X.min(), X.max())
        ax.set_ylim(Y.min(), Y.max())
        ax.set_aspect("equal")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(label, fontsize="small")
        if paths.get(label):
            ax.legend(fontsize="x-small", loc="lower left")
    if title:
        fig.suptitle(title)
    return fig


# --- Optimal transport and Wasserstein GANs (lectures 04 and 05) ---------------------------


def _as_plan(plan):
    plan = np.asarray(plan, dtype=float)
    if plan.ndim != 2 or plan.size == 0:
        raise ValueError(f"a coupling must be a non-empty (n, m) matrix, got shape {plan.shape}")
    return plan


def _draw_marginal(ax, prescribed, actual, color, vertical):
    """Prescribed masses as bars (a filled profile when there are many) and actual sums as ticks."""
    index = np.arange(prescribed.size)
    if prescribed.size <= 25:
        bar = ax.barh if vertical else ax.bar
        bar(index, prescribed, 0.9, color=color)
        marker = "|" if vertical else "_"
        ax.scatter(*((actual, index) if vertical else (index, actual)), marker=marker, color="black", s=40, zorder=3)
    elif vertical:
        ax.fill_betweenx(index, prescribed, color=color, alpha=0.6, step="mid")
        ax.plot(actual, index, color="black", lw=1, ls="--", drawstyle="steps-mid")
    else:
        ax.fill_between(index, prescribed, color=color, alpha=0.6, step="mid")
        ax.plot(index, actual, color="black", lw=1, ls="--", drawstyle="steps-mid")


def plot_coupling(plan, a=None, b=None, title=None):
    """Heat map of a coupling ``plan`` (n, m) with its prescribed marginals beside it.

    ``a`` (n,) is drawn on the left (one bar per row) and ``b`` (m,) on top (one per column);
    both default to the plan's own row and column sums. Black ticks (a dashed line for more
    than 25 entries) mark the plan's actual sums, so a plan that misses its marginals shows it
    at a glance.
    """
    plan = _as_plan(plan)
    rows, cols = plan.sum(axis=1), plan.sum(axis=0)
    a = rows if a is None else _as_1d(a, "a")
    b = cols if b is None else _as_1d(b, "b")
    if a.shape != rows.shape or b.shape != cols.shape:
        raise ValueError(f"marginals of sizes {a.size} and {b.size} for a plan of shape {plan.shape}")
    fig = Figure(figsize=(4.8, 4.4), layout="constrained")
    grid = fig.add_gridspec(2, 2, width_ratios=(1, 4), height_ratios=(1, 4))
    main = fig.add_subplot(grid[1, 1])
    top = fig.add_subplot(grid[0, 1], sharex=main)
    left = fig.add_subplot(grid[1, 0], sharey=main)
    main.imshow(plan, cmap="Blues", aspect="auto", interpolation="nearest")
    main.set_xlabel("target j")
    main.tick_params(labelleft=False)
    _draw_marginal(top, b, cols, COLORS[1], vertical=False)
    top.tick_params(labelbottom=False)
    top.set_ylabel("b")
    _draw_marginal(left, a, rows, COLORS[0], vertical=True)
    left.invert_xaxis()
    left.set_ylabel("source i")
    left.set_xlabel("a")
    if title:
        top.set_title(title)
    return fig


def _as_positions(points, name):
    """1-D positions become points on a line; 2-D points stay as they are."""
    points = np.asarray(points, dtype=float)
    if points.ndim == 1:
        return points, "1d"
    if points.ndim == 2 and points.shape[1] == 2:
        return points, "2d"
    raise ValueError(f"{name} must be (n,) positions or (n, 2) points, got shape {points.shape}")


def plot_transport(source, target, plans: dict, title=None):
    """One panel per plan: the source and target points joined by segments carrying mass.

    ``source`` (n,) or (n, 2) and ``target`` (m,) or (m, 2) are point positions; 1-D positions
    are drawn on two parallel lines (source above, target below). ``plans`` maps a panel
    title to an (n, m) coupling; a segment's opacity and width grow with its mass, and a
    point's size with its total mass in that plan.
    """
    if not plans:
        raise ValueError("plot_transport needs at least one plan")
    source, kind = _as_positions(source, "source")
    target, target_kind = _as_positions(target, "target")
    if kind != target_kind:
        raise ValueError("source and target must both be 1-D positions or both 2-D points")
    if kind == "1d":  # source on the line y = 1, target on y = 0
        source = np.stack([source, np.ones_like(source)], axis=1)
        target = np.stack([target, np.zeros_like(target)], axis=1)
    fig, axes = new_figure(ncols=len(plans), width=3.6, height=3.0 if kind == "2d" else 2.2)
    for ax, (label, plan) in zip(axes[0], plans.items()):
        plan = _as_plan(plan)
        if plan.shape != (len(source), len(target)):
            raise ValueError(f"plan {label!r} has shape {plan.shape}, expected {(len(source), len(target))}")
        heaviest = plan.max() if plan.max() > 0 else 1.0
        for i, j in zip(*np.nonzero(plan > 1e-3 * heaviest)):
            strength = plan[i, j] / heaviest
            ax.plot([source[i, 0], target[j, 0]], [source[i, 1], target[j, 1]], color="0.3",
                    alpha=0.15 + 0.75 * strength, lw=0.5 + 2.5 * strength, zorder=1)
        ax.scatter(source[:, 0], source[:, 1], s=20 + 400 * plan.sum(axis=1), color=COLORS[0],
                   edgecolor="white", label="source", zorder=2)
        ax.scatter(target[:, 0], target[:, 1], s=20 + 400 * plan.sum(axis=0), color=COLORS[1],
                   edgecolor="white", label="target", zorder=2)
        ax.set_title(label, fontsize="medium")
        if kind == "1d":
            ax.set_yticks([0, 1], ["target", "source"])
            ax.set_ylim(-0.4, 1.4)
        else:
            ax.set_aspect("equal", adjustable="datalim")
    if title:
        fig.suptitle(title)
    return fig


def plot_color_images(images: dict, title=None):
    """A row of RGB (H, W, 3) or grey (H, W) images in [0, 1], each titled by its key."""
    if not images:
        raise ValueError("plot_color_images needs at least one image")
    fig, axes = new_figure(ncols=len(images), width=3.2, height=2.5)
    for ax, (label, image) in zip(axes[0], images.items()):
        image = np.asarray(image, dtype=float)
        if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] != 3):
            raise ValueError(f"image {label!r} must be (H, W) or (H, W, 3), got shape {image.shape}")
        ax.imshow(np.clip(image, 0, 1), cmap="gray" if image.ndim == 2 else None, vmin=0, vmax=1)
        ax.set_title(label, fontsize="medium")
        ax.set_axis_off()
    if title:
        fig.suptitle(title)
    return fig


def plot_gradient_norms(norms: dict, title=None):
    """Per-layer gradient norms on a log scale, one line per setting (e.g. clipping values).

    ``norms`` maps a legend label to one positive norm per layer, from the input layer to the
    output layer; all settings must have the same number of layers.
    """
    if not norms:
        raise ValueError("plot_gradient_norms needs at least one setting")
    arrays = {label: _as_1d(values, f"norms {label!r}") for label, values in norms.items()}
    depths = {a.size for a in arrays.values()}
    if len(depths) != 1:
        raise ValueError(f"settings must have the same number of layers, got {sorted(depths)}")
    fig, axes = new_figure(width=5.0)
    ax = axes[0, 0]
    for color, (label, values) in zip(COLORS * 4, arrays.items()):
        ax.plot(np.arange(1, values.size + 1), values, marker="o", color=color, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("critic layer (input → output)")
    ax.set_ylabel("gradient norm")
    ax.set_xticks(np.arange(1, depths.pop() + 1))
    ax.legend(fontsize="small")
    if title:
        ax.set_title(title)
    return fig
