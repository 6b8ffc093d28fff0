"""How test cells read what a student's function returned: one rule for every lecture.

A function documented to return "a float" earns its points with any real scalar that
``float()`` accepts: a Python float or int, a NumPy scalar (float64, float32 ...), a 0-d
array or a 0-d tensor. "An int" is any integral real scalar. The visible checks, the hidden
checks and the out-of-kernel checks (``autograder/verify.py``) apply this same rule; exact
types are checked only where the type is the lesson, and then the docstring says so.

These helpers raise ``AssertionError`` with a message that says what was returned, so a
failing self-check tells the student what to change.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["as_float", "as_int", "as_array"]


def _describe(value) -> str:
    kind = type(value)
    shape = getattr(value, "shape", None)
    return f"{kind.__module__}.{kind.__qualname__}" + (f" of shape {tuple(shape)}" if shape is not None else "")


def as_float(value, what: str = "the result") -> float:
    """``value`` as a Python float, if it is a real scalar; otherwise an AssertionError."""
    if isinstance(value, (bool, np.bool_)) or isinstance(value, (str, bytes)):
        raise AssertionError(f"{what} must be a real number, got {_describe(value)}")
    if isinstance(value, numbers.Real):
        return float(value)
    if hasattr(value, "detach"):  # a tensor: read its value without touching the graph
        value = value.detach().cpu()
    if isinstance(value, np.generic) or hasattr(value, "shape"):
        shape = tuple(getattr(value, "shape", ()))
        dtype = getattr(value, "dtype", None)
        if shape != ():
            raise AssertionError(f"{what} must be a single number, got {_describe(value)}"
                                 " (use float(...) or .item())")
        if dtype is not None and ("complex" in str(dtype) or "bool" in str(dtype)):
            raise AssertionError(f"{what} must be a real number, got {_describe(value)} of dtype {dtype}")
        try:
            return float(value)
        except (TypeError, ValueError) as error:
            raise AssertionError(f"{what} must be a real number, got {_describe(value)}") from error
    raise AssertionError(f"{what} must be a real number (a float), got {_describe(value)}")


def as_int(value, what: str = "the result") -> int:
    """``value`` as a Python int, if it is an integral real scalar; otherwise an AssertionError."""
    number = as_float(value, what)
    if not math.isfinite(number) or number != int(number):
        raise AssertionError(f"{what} must be a whole number (an int), got {number!r}")
    return int(number)


def as_array(value, what: str = "the result", shape: tuple | None = None) -> np.ndarray:
    """``value`` (list, array or tensor, detached) as a float64 NumPy array of ``shape``."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise AssertionError(f"{what} must be an array of numbers, got {_describe(value)}") from error
    if shape is not None and array.shape != tuple(shape):
        raise AssertionError(f"{what} must have shape {tuple(shape)}, got {array.shape}")
    return array
