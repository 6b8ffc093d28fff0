"""Latent-space explorers: the plain drawing functions behind the sliders.

A *decoder* here is any callable that maps a (1, d) float32 CPU tensor of latent codes to
images in [0, 1] (a (1, 1, H, W), (1, H, W) or (1, H * W) tensor or array; square images).
The drawing functions only decode and draw, so they are tested headless
(tests/test_latent.py); a notebook wires sliders to them with
:func:`gdl.widgets.interactive_figure`.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from gdl.plots import new_figure


def decode_image(decode, z) -> np.ndarray:
    """``decode`` applied to one code ``z`` (length d): a square (H, H) float array in [0, 1]."""
    code = torch.as_tensor(np.asarray(z, dtype=np.float32)).reshape(1, -1)
    with torch.no_grad():
        out = decode(code)
    if hasattr(out, "detach"):
        out = out.detach().cpu().numpy()
    array = np.asarray(out, dtype=float).reshape(-1)
    side = math.isqrt(array.size)
    if side * side != array.size:
        raise ValueError(f"the decoder returned {array.size} values, not a square image")
    return np.clip(array.reshape(side, side), 0.0, 1.0)


def _codes(values, name):
    array = np.asarray(values.detach().cpu() if hasattr(values, "detach") else values, dtype=float)
    if array.ndim != 2:
        raise ValueError(f"{name} must have shape (N, d), got {array.shape}")
    return array


def draw_latent_point(decode, z, codes=None, labels=None, extent=3.0):
    """The image decoded from ``z``; for a 2-D code also the latent plane with ``z`` marked.

    ``codes`` (N, 2) and ``labels`` (N,) draw encoded data behind the marker (optional).
    Returns a Figure with one panel (d != 2) or two (d == 2: image, plane).
    """
    z = np.asarray(z, dtype=float).reshape(-1)
    image = decode_image(decode, z)
    planar = z.size == 2
    fig, axes = new_figure(ncols=2 if planar else 1, width=3.2, height=3.2)
    ax = axes[0, 0]
    ax.imshow(image, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_axis_off()
    ax.set_title("decoded: z = (" + ", ".join(f"{v:+.1f}" for v in z) + ")", fontsize="small")
    if planar:
        ax = axes[0, 1]
        if codes is not None:
            points = _codes(codes, "codes")
            colors = None if labels is None else np.asarray(labels)
            ax.scatter(points[:, 0], points[:, 1], c=colors, cmap="tab10", s=4, alpha=0.5)
        ax.plot([z[0]], [z[1]], "x", color="red", markersize=12, markeredgewidth=3)
        ax.set(xlim=(-extent, extent), ylim=(-extent, extent), xlabel="z0", ylabel="z1", title="latent plane")
    return fig


def draw_latent_offsets(decode, base, offsets, original=None):
    """Decode ``base`` and ``base + offsets`` side by side, with both codes as bars.

    ``base`` and ``offsets``: codes of the same length d; ``original``: the image that was
    encoded to ``base`` (optional, drawn first). Returns a Figure (3 or 4 panels).
    """
    base = np.asarray(base, dtype=float).reshape(-1)
    offsets = np.asarray(offsets, dtype=float).reshape(-1)
    if base.shape != offsets.shape:
        raise ValueError(f"base has {base.size} dimensions and offsets {offsets.size}")
    images = {}
    if original is not None:
        original = np.asarray(original.detach().cpu() if hasattr(original, "detach") else original, dtype=float)
        images["encoded digit"] = original.reshape(decode_image(decode, base).shape)
    images["decoded code"] = decode_image(decode, base)
    images["decoded code + offsets"] = decode_image(decode, base + offsets)
    fig, axes = new_figure(ncols=len(images) + 1, width=2.6, height=2.8)
    for ax, (title, image) in zip(axes[0], images.items()):
        ax.imshow(image, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
        ax.set_axis_off()
        ax.set_title(title, fontsize="small")
    ax = axes[0, -1]
    index = np.arange(base.size)
    ax.bar(index - 0.2, base, width=0.4, label="code")
    ax.bar(index + 0.2, base + offsets, width=0.4, label="+ offsets")
    ax.set(xticks=index, xlabel="latent dimension", title="codes")
    ax.legend(fontsize="x-small")
    return fig
