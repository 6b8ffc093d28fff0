import math

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.figure import Figure

from gdl import plots
from gdl.widgets import interactive_figure


def _lines(fig):
    return [line for ax in fig.axes for line in ax.get_lines()]


def test_plot_densities_draws_one_curve_per_density():
    x = np.linspace(-1, 1, 50)
    fig = plots.plot_densities(x, {"a": np.ones(50), "b": x**2}, title="t")
    assert isinstance(fig, Figure)
    assert [line.get_label() for line in _lines(fig)] == ["a", "b"]
    assert plots.figure_png(fig).startswith(b"\x89PNG")


def test_plot_densities_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="grid points"):
        plots.plot_densities(np.arange(3), {"a": np.ones(4)})
    with pytest.raises(ValueError):
        plots.plot_densities(np.arange(3), {})


def test_plot_histograms_groups_bars():
    fig = plots.plot_histograms({"p": [0.2, 0.8], "q": [0.5, 0.5]}, bin_labels=["x", "y"])
    assert len(fig.axes[0].patches) == 4
    with pytest.raises(ValueError, match="share their bins"):
        plots.plot_histograms({"p": [1.0], "q": [0.5, 0.5]})


def test_plot_values_marks_infinite_values():
    fig = plots.plot_values({"KL": math.inf, "JSD": 0.69})
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "∞" in texts and "0.69" in texts


def test_plot_density_comparison_has_two_panels():
    x = np.linspace(0, 1, 10)
    fig = plots.plot_density_comparison(x, {"P": np.ones(10) / 10}, {"KL": 0.0, "EMD": 1.0})
    assert len(fig.axes) == 2
    assert [t.get_text() for t in fig.axes[1].get_xticklabels()] == ["KL", "EMD"]


def test_plot_curves_checks_lengths_and_log_scale():
    fig = plots.plot_curves([1, 2, 3], {"loss": [3, 2, 1]}, logy=True)
    assert fig.axes[0].get_yscale() == "log"
    with pytest.raises(ValueError):
        plots.plot_curves([1, 2, 3], {"loss": [3, 2]})


def test_interactive_figure_redraws_when_a_slider_moves():
    calls = []

    def draw(shift):
        calls.append(shift)
        return plots.plot_densities(np.arange(5), {"p": np.roll([1.0, 0, 0, 0, 0], int(shift))})

    slider = widgets.IntSlider(value=0, min=0, max=4)
    box = interactive_figure(draw, shift=slider)
    first = bytes(box.image.value)
    assert calls == [0] and first.startswith(b"\x89PNG")
    slider.value = 3
    assert calls == [0, 3] and bytes(box.image.value) != first


def test_interactive_figure_shows_errors_instead_of_losing_them():
    def draw(width):
        if width > 1:
            raise ValueError("too wide")
        return plots.plot_values({"w": width})

    slider = widgets.FloatSlider(value=0.5, min=0, max=2)
    box = interactive_figure(draw, width=slider)
    slider.value = 1.5
    assert "too wide" in box.error.value
    slider.value = 0.7
    assert box.error.value == ""
    with pytest.raises(ValueError):
        interactive_figure(draw)
