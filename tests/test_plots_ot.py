"""The figures added for lectures 04 (optimal transport) and 05 (Wasserstein GANs), headless."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from gdl.plots import (
    figure_png,
    plot_color_images,
    plot_coupling,
    plot_gradient_norms,
    plot_transport,
)


def _renders(fig):
    assert isinstance(fig, Figure)
    assert figure_png(fig).startswith(b"\x89PNG")


@pytest.mark.parametrize("size", [3, 60])  # bars for a few entries, profiles for many
def test_plot_coupling_draws_a_plan_with_its_marginals(size):
    a = np.full(size, 1 / size)
    b = np.linspace(1, 2, size + 1)
    b /= b.sum()
    fig = plot_coupling(np.outer(a, b), a, b, title="independent")
    _renders(fig)
    assert len(fig.axes) == 3  # the plan and its two marginals


def test_plot_coupling_defaults_to_the_plans_own_marginals():
    _renders(plot_coupling([[0.5, 0.0], [0.0, 0.5]]))


def test_plot_coupling_rejects_inconsistent_shapes():
    with pytest.raises(ValueError):
        plot_coupling(np.ones((2, 3)) / 6, a=np.ones(3) / 3)
    with pytest.raises(ValueError):
        plot_coupling(np.ones(4))


def test_plot_transport_draws_1d_and_2d_plans():
    plans = {"identity": np.eye(3) / 3, "reversed": np.eye(3)[::-1] / 3}
    fig = plot_transport(np.arange(3.0), np.arange(3.0) + 1, plans)
    _renders(fig)
    assert len(fig.axes) == 2
    points = np.random.default_rng(0).normal(size=(4, 2))
    _renders(plot_transport(points, points + 3, {"shift": np.eye(4) / 4}, title="2-D"))


def test_plot_transport_rejects_bad_inputs():
    with pytest.raises(ValueError):
        plot_transport(np.arange(3.0), np.arange(2.0), {"wrong shape": np.eye(3) / 3})
    with pytest.raises(ValueError):
        plot_transport(np.arange(3.0), np.zeros((3, 2)), {"mixed": np.eye(3) / 3})
    with pytest.raises(ValueError):
        plot_transport(np.arange(3.0), np.arange(3.0), {})


def test_plot_color_images_shows_rgb_and_grey():
    rgb = np.random.default_rng(0).uniform(size=(8, 10, 3))
    fig = plot_color_images({"rgb": rgb, "grey": rgb.mean(axis=2)}, title="two")
    _renders(fig)
    with pytest.raises(ValueError):
        plot_color_images({"bad": np.zeros((4, 4, 2))})
    with pytest.raises(ValueError):
        plot_color_images({})


def test_plot_gradient_norms_uses_a_log_scale():
    fig = plot_gradient_norms({"clip 0.01": [1e-9, 1e-8, 1e-7], "penalty": [0.1, 0.2, 0.3]})
    _renders(fig)
    assert fig.axes[0].get_yscale() == "log"
    with pytest.raises(ValueError):
        plot_gradient_norms({"a": [1, 2], "b": [1, 2, 3]})
    with pytest.raises(ValueError):
        plot_gradient_norms({})
