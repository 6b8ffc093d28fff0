"""Test-cell infrastructure: run a student's function with a library switched off.

Some exercises ask for an algorithm that a library already implements (lecture 04 asks for
optimal transport solvers that POT provides). An instruction such as "do not call POT" is
graded as written, so the test cells run the student's function inside
``switched_off("ot", namespace)``: while the block runs, the module, its submodules and every
object the namespace took from them (``import ot as pot``, ``from ot import emd``) are
replaced by stubs that raise an ``AssertionError`` naming the instruction. Everything is put
back when the block ends, also when it raises.

This is not a security boundary (code in the kernel can undo it); the out-of-kernel checks
run the same guard around their own calls, so a faked guard gains nothing.
"""

from __future__ import annotations

import contextlib
import sys
import types

__all__ = ["switched_off"]


def _message(module: str, what: str, why: str | None) -> str:
    return why or f"do not call {module} here ({what} was used): write the algorithm yourself"


class _SwitchedOffModule(types.ModuleType):
    """A module whose every attribute access fails with a clear message."""

    def __init__(self, name: str, module: str, why: str | None):
        super().__init__(name)
        object.__setattr__(self, "_gdl_module", module)
        object.__setattr__(self, "_gdl_why", why)

    def __getattr__(self, attribute):
        if attribute.startswith("__") and attribute.endswith("__"):
            raise AttributeError(attribute)
        raise AssertionError(_message(object.__getattribute__(self, "_gdl_module"),
                                      f"{self.__name__}.{attribute}", object.__getattribute__(self, "_gdl_why")))


def _switched_off_function(module: str, name: str, why: str | None):
    def switched_off_function(*args, **kwargs):
        raise AssertionError(_message(module, name, why))

    switched_off_function.__name__ = name.rsplit(".", 1)[-1]
    return switched_off_function


def _belongs_to(value, module: str) -> bool:
    """Whether ``value`` is ``module``, one of its submodules, or a function/class defined there."""
    try:
        if isinstance(value, types.ModuleType):
            name = value.__name__
        elif callable(value) and isinstance(getattr(value, "__module__", None), str):
            name = value.__module__
        else:
            return False
        return name == module or name.startswith(module + ".")
    except Exception:  # an object with a hostile __getattr__ is not the library
        return False


@contextlib.contextmanager
def switched_off(module: str, namespace: dict | None = None, why: str | None = None):
    """Within the block, ``module`` (e.g. ``"ot"``) cannot be used from ``namespace``.

    ``namespace`` is the dict the student's functions look their globals up in (a notebook
    cell passes ``globals()``). ``why`` replaces the default message of the AssertionError.
    """
    saved_modules = {name: value for name, value in sys.modules.items()
                     if name == module or name.startswith(module + ".")}
    saved_names = {}
    if namespace is not None:
        for name, value in list(namespace.items()):
            if not name.startswith("__") and _belongs_to(value, module):
                saved_names[name] = value
    # a submodule ("gdl.metrics") is also an attribute of its package: `from gdl import metrics`
    # and `gdl.metrics.f` read that attribute, not sys.modules
    parent_name, _, child = module.rpartition(".")
    parent = sys.modules.get(parent_name) if parent_name else None
    saved_attribute = parent.__dict__.get(child) if parent is not None else None
    try:
        for name in saved_modules:
            sys.modules[name] = _SwitchedOffModule(name, module, why)
        if module not in saved_modules:
            sys.modules[module] = _SwitchedOffModule(module, module, why)
        if saved_attribute is not None:
            setattr(parent, child, sys.modules[module])
        for name, value in saved_names.items():
            if isinstance(value, types.ModuleType):
                namespace[name] = _SwitchedOffModule(value.__name__, module, why)
            else:
                qualified = f"{value.__module__}.{getattr(value, '__name__', name)}"
                namespace[name] = _switched_off_function(module, qualified, why)
        yield
    finally:
        for name in [n for n in sys.modules if n == module or n.startswith(module + ".")]:
            if name not in saved_modules:
                del sys.modules[name]
        sys.modules.update(saved_modules)
        if saved_attribute is not None:
            setattr(parent, child, saved_attribute)
        if namespace is not None:
            namespace.update(saved_names)
