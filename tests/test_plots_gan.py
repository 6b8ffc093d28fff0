"""The figures added for lectures 02-03: image grids, point clouds, vector fields."""

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from gdl.plots import figure_png, plot_image_grid, plot_point_clouds, plot_vector_fields


def test_image_grid_lays_out_images_with_captions():
    images = torch.rand(10, 1, 28, 28)
    fig = plot_image_grid(images, ncols=4, captions=[str(k) for k in range(10)], title="t")
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 12  # 3 rows of 4; the last two panels stay empty
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 10 and shown[3].get_title() == "3"
    assert shown[0].images[0].get_clim() == (0.0, 1.0)  # a fixed scale, not per image
    assert figure_png(fig).startswith(b"\x89PNG")


def test_image_grid_accepts_arrays_without_channel_axis():
    fig = plot_image_grid(np.zeros((3, 8, 8)), ncols=8)
    assert len(fig.axes) == 3


@pytest.mark.parametrize("images", [np.zeros((2, 3, 8, 8)), np.zeros((8, 8)), np.zeros((0, 8, 8))])
def test_image_grid_rejects_other_shapes(images):
    with pytest.raises(ValueError, match="shape"):
        plot_image_grid(images)


def test_image_grid_needs_one_caption_per_image():
    with pytest.raises(ValueError, match="captions"):
        plot_image_grid(np.zeros((3, 8, 8)), captions=["a"])


def test_point_clouds_share_a_square_view():
    clouds = {"a": torch.randn(50, 2), "b": np.random.default_rng(0).normal(size=(40, 2)), "c": torch.zeros(5, 2)}
    fig = plot_point_clouds(clouds, reference=torch.randn(30, 2) * 2, centers=torch.zeros(3, 2), extent=3, ncols=2)
    axes = [ax for ax in fig.axes if ax.axison]
    assert [ax.get_title() for ax in axes] == ["a", "b", "c"]
    assert all(ax.get_xlim() == (-3, 3) and ax.get_ylim() == (-3, 3) for ax in axes)
    assert len(axes[0].collections) == 3  # reference, samples, centres
    assert figure_png(fig).startswith(b"\x89PNG")


def test_point_clouds_fit_the_reference_by_default():
    fig = plot_point_clouds({"a": np.zeros((3, 2))}, reference=np.array([[2.0, 0.0], [0.0, -1.0]]))
    assert fig.axes[0].get_xlim() == pytest.approx((-2.3, 2.3))


def test_point_clouds_colour_the_panels_given_values_on_one_scale():
    clouds = {"coloured": np.zeros((4, 2)), "plain": np.ones((3, 2)), "also coloured": np.ones((2, 2))}
    fig = plot_point_clouds(clouds, values={"coloured": [0.0, 1.0, 2.0, 3.0], "also coloured": torch.tensor([5.0, 6.0])},
                            value_label="log10 |J|")
    panels = [ax for ax in fig.axes if ax.get_title()]
    coloured, plain, also = (panel.collections[0] for panel in panels)
    assert coloured.get_array() is not None and plain.get_array() is None
    assert coloured.get_clim() == also.get_clim() == (0.0, 6.0)  # one scale for every coloured panel
    colour_bars = [ax for ax in fig.axes if ax.get_ylabel() == "log10 |J|"]
    assert len(colour_bars) == 1
    fixed = plot_point_clouds({"a": np.ones((2, 2))}, values={"a": [1.0, 2.0]}, value_range=(-1, 4))
    assert fixed.axes[0].collections[0].get_clim() == (-1, 4)


def test_point_clouds_check_their_values():
    with pytest.raises(ValueError, match="not a panel"):
        plot_point_clouds({"a": np.zeros((2, 2))}, values={"b": [1.0, 2.0]})
    with pytest.raises(ValueError, match="2 points but 3 values"):
        plot_point_clouds({"a": np.zeros((2, 2))}, values={"a": [1.0, 2.0, 3.0]})


def test_point_clouds_validate():
    with pytest.raises(ValueError):
        plot_point_clouds({})
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        plot_point_clouds({"a": np.zeros((4, 3))})


def test_vector_fields_draw_fields_paths_and_target():
    axis = np.linspace(-1, 1, 5)
    X, Y = np.meshgrid(axis, axis)
    panels = {"rotation": (X, Y, Y, -X), "sink": (torch.tensor(X), torch.tensor(Y), -torch.tensor(X), -torch.tensor(Y))}
    path = np.stack([np.cos(np.linspace(0, 3, 20)), np.sin(np.linspace(0, 3, 20))], axis=1)
    fig = plot_vector_fields(panels, {"rotation": {"orbit": path}}, target=(0, 0), xlabel="θ", ylabel="ψ", title="t")
    assert [ax.get_title() for ax in fig.axes] == ["rotation", "sink"]
    rotation = fig.axes[0]
    assert rotation.get_legend() is not None and fig.axes[1].get_legend() is None
    assert len(rotation.lines) == 3  # the path, its start, the target
    assert rotation.get_xlabel() == "θ" and rotation.get_xlim() == (-1, 1)
    assert figure_png(fig).startswith(b"\x89PNG")


def test_vector_fields_validate():
    X, Y = np.meshgrid(np.arange(3.0), np.arange(3.0))
    with pytest.raises(ValueError, match="one shape"):
        plot_vector_fields({"a": (X, Y, X[:2], Y)})
    with pytest.raises(ValueError, match="unknown panels"):
        plot_vector_fields({"a": (X, Y, X, Y)}, {"b": {"p": np.zeros((2, 2))}})
    with pytest.raises(ValueError):
        plot_vector_fields({})
