"""Thin ipywidgets wrappers around plain, headless-testable drawing functions.

The logic lives in a function ``draw(**values) -> Figure``; the widget only wires sliders to
it, so tests call ``draw`` directly (or drive the sliders) without a browser.
"""

from __future__ import annotations

import ipywidgets as widgets

from gdl.plots import figure_png


def interactive_figure(draw, **sliders):
    """Sliders that redraw ``draw(**values)`` whenever one moves.

    ``sliders`` maps each keyword of ``draw`` to an ipywidgets control (``FloatSlider``...).
    Returns a ``VBox`` (controls above the picture); its ``.image`` attribute holds the
    ``ipywidgets.Image`` that is updated, and ``.error`` an ``HTML`` line that shows the
    message of an exception raised by ``draw`` instead of losing it.
    """
    if not sliders:
        raise ValueError("interactive_figure needs at least one slider")
    image = widgets.Image(format="png")
    error = widgets.HTML()

    def redraw(_change=None):
        values = {name: control.value for name, control in sliders.items()}
        try:
            image.value = figure_png(draw(**values))
            error.value = ""
        except Exception as exc:  # shown to the student, not swallowed
            error.value = f"<b style='color:#b00'>{type(exc).__name__}: {exc}</b>"

    for control in sliders.values():
        control.continuous_update = False
        control.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([widgets.HBox(list(sliders.values())), error, image])
    box.image = image
    box.error = error
    return box
