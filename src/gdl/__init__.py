"""Helpers shared by the course notebooks: environment, data, plots, widgets, benchmarks.

Nothing here answers an exercise; exercises live in the notebooks and their hidden tests
carry their own reference computations.
"""

__version__ = "0.1.0"
