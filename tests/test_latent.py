"""The latent-space explorers of gdl.latent, driven headless."""

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from gdl import latent


def _decoder(side=4):
    """A toy decoder: the image is lit at a place that moves with the first code value."""
    def decode(z):
        assert z.shape[0] == 1 and z.dtype == torch.float32
        image = torch.zeros(1, 1, side, side)
        position = int(torch.clamp((z[0, 0] + 3) / 6 * side, 0, side - 1))
        image[0, 0, position, :] = torch.sigmoid(z[0, -1])
        return image
    return decode


def test_decode_image_returns_a_square_picture_in_the_unit_range():
    image = latent.decode_image(_decoder(), [0.0, 2.0])
    assert image.shape == (4, 4) and image.min() >= 0 and image.max() <= 1
    assert np.isclose(image.max(), 1 / (1 + np.exp(-2.0)))
    with pytest.raises(ValueError, match="square"):
        latent.decode_image(lambda z: torch.zeros(1, 5), [0.0])


def test_draw_latent_point_shows_the_plane_only_for_two_dimensions():
    codes, labels = np.random.default_rng(0).normal(size=(30, 2)), np.arange(30) % 10
    fig = latent.draw_latent_point(_decoder(), [1.0, -1.0], codes=codes, labels=labels)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    marker = fig.axes[1].get_lines()[0]
    assert list(marker.get_xdata()) == [1.0] and list(marker.get_ydata()) == [-1.0]
    shown = fig.axes[0].get_images()[0].get_array()
    assert np.allclose(shown, latent.decode_image(_decoder(), [1.0, -1.0]))
    assert len(latent.draw_latent_point(_decoder(), [0.0] * 5).axes) == 1
    with pytest.raises(ValueError):
        latent.draw_latent_point(_decoder(), [0.0, 0.0], codes=np.zeros(4))


def test_draw_latent_offsets_decodes_the_moved_code():
    decode = _decoder()
    base, offsets = np.array([-2.5, 0.0, 1.0]), np.array([4.0, 0.0, -1.0])
    fig = latent.draw_latent_offsets(decode, base, offsets, original=torch.rand(1, 4, 4))
    assert len(fig.axes) == 4
    moved = fig.axes[2].get_images()[0].get_array()
    assert np.allclose(moved, latent.decode_image(decode, base + offsets))
    assert not np.allclose(moved, fig.axes[1].get_images()[0].get_array())
    assert len(latent.draw_latent_offsets(decode, base, offsets).axes) == 3
    with pytest.raises(ValueError, match="dimensions"):
        latent.draw_latent_offsets(decode, base, [1.0])
