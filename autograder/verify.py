"""Out-of-kernel verification of graded cells.

Student code runs in the kernel and can fake anything that is checked there (patched
``numpy.testing``, objects whose ``__eq__`` is always true, AST transformers, hooks ...). So a
graded cell earns its points only if nbgrader's test cell passed AND this verification passed:

1. Right after a graded test cell has run, the grader sends the kernel a *probe* (code the
   student never saw): it calls the student's functions on fixed inputs and writes the plain
   results into the scratch folder (JSON numbers, strings and exact type names; float64
   arrays through ``np.save(allow_pickle=False)``).
2. The grader process (which never executes student code) reads those files as data and
   compares them with expected values that it computes itself, once per batch, from the
   reference implementations in ``autograder/checks/<lecture>.py``. The references never
   enter the kernel, and neither do the expected values.

A checks file defines ``CHECKS = {grade_id: Check(...)}``; see checks/01-divergences.py and
autograder/README.md. A graded cell without a check is *unverified*: it keeps nbgrader's
score (unless ``--require-verification``) and is flagged in the summary.
"""

from __future__ import annotations

import importlib.util
import io
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

import probe
import safefiles

CHECKS_DIR = Path(__file__).resolve().parent / "checks"
MAX_PROBE_BYTES = 32 * 2**20


# -- what a checks file uses -----------------------------------------------------------------
@dataclass(frozen=True)
class Array:
    """An argument passed to the student's function as ``np.asarray(values, dtype)``."""

    values: Any
    dtype: str = "float64"

    def __init__(self, values, dtype: str = "float64"):
        object.__setattr__(self, "values", np.asarray(values, dtype=dtype).tolist())
        object.__setattr__(self, "dtype", dtype)


@dataclass(frozen=True)
class Name:
    """An argument taken from the check's ``setup`` namespace (instructor code)."""

    name: str


@dataclass
class Call:
    """One probe call: ``function(*args, **kwargs)``; ``raises`` names the expected exception.

    ``function`` names a function of the student's namespace, or ``"setup.NAME"`` for a
    function defined by the check's ``setup`` (instructor code that may call the student's
    functions, e.g. through ``import __main__``, and return plain values); the reference of
    ``"setup.NAME"`` is looked up under that same key.
    """

    function: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    raises: str | None = None

    def __init__(self, function: str, *args, raises: str | None = None, **kwargs):
        self.function, self.args, self.kwargs, self.raises = function, args, kwargs, raises


@dataclass
class Check:
    """Probe calls for one graded cell, the reference implementations and the tolerances.

    ``reference`` maps a function name to its reference implementation (run only by the
    grader). ``tolerance`` is the absolute tolerance for numbers, or a dict from a returned
    dict's key to its tolerance (``"*"`` for the rest); ``rtol`` a relative tolerance.
    ``exact_types``: off by default, so a number is any real scalar that ``float()`` accepts
    (Python float or int, NumPy scalar, 0-d array), as CONTRIBUTING.md's scalar rule says.
    Turn it on only where the type is the lesson; then a number must have the reference's
    exact type (float, int, bool), and the docstring and visible check must say so.
    ``setup``: instructor code run before the calls, both in the kernel (to build
    arguments referenced with ``Name``) and in the grader (for the references).
    """

    calls: list[Call]
    reference: dict[str, Callable]
    tolerance: float | dict = 1e-9
    rtol: float = 0.0
    exact_types: bool = False
    setup: str = ""


# -- loading checks ----------------------------------------------------------------------------
def checks_for(lecture: str, directory: Path = CHECKS_DIR) -> dict[str, Check]:
    """The CHECKS of ``checks/<lecture>.py`` ({} when the lecture has none yet)."""
    path = directory / f"{lecture}.py"
    if not path.exists():
        return {}
    spec = importlib.util.spec_from_file_location(f"gdl_checks_{lecture.replace('-', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.CHECKS)


# -- encoding arguments (same decoder in the kernel and here) --------------------------------
def _encode(value):
    if isinstance(value, Array):
        return {"__array__": value.values, "dtype": value.dtype}
    if isinstance(value, Name):
        return {"__name__": value.name}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[k, _encode(v)] for k, v in value.items()]}
    if isinstance(value, float) and not math.isfinite(value):
        return {"__float__": repr(value)}
    return value


# The probe's source (probe.py), sent to the kernel as it is.
PROBE_SOURCE = (Path(__file__).resolve().parent / "probe.py").read_text(encoding="utf-8")


def probe_spec(check: Check) -> str:
    """What the kernel may know of a check: setup code and call inputs (JSON, no references)."""
    return json.dumps({
        "setup": check.setup,
        "calls": [{"function": c.function, "args": _encode(list(c.args)),
                   "kwargs": _encode(dict(c.kwargs))} for c in check.calls],
    })


def probe_code(spec: str, out_path: str) -> str:
    """The code the grader sends to the kernel for one check (``spec`` from probe_spec):
    probe.py executed in a namespace of its own, then ``run`` on the kernel's globals. One
    expression: it leaves no name behind in the student's namespace."""
    return (f"(lambda __gdl: (exec({PROBE_SOURCE!r}, __gdl), "
            f"__gdl['run'](__import__('json').loads({spec!r}), {out_path!r}, globals())))({{}})\n")


# -- reading what the kernel wrote (data only) ------------------------------------------------
def read_observation(path: Path, budget: list[int] | None = None) -> dict:
    """Load a probe's output as plain data: {'results': [...]} or {'error': why}.

    ``budget`` is a one-item list of the bytes the caller may still read (a notebook's
    allowance, shared by its graded cells); it is decreased by what is read. Each
    observation reads at most MAX_PROBE_BYTES in any case."""
    path = Path(path)
    budget = budget if budget is not None else [MAX_PROBE_BYTES]
    try:
        if not os.path.lexists(path):
            return {"error": "the probe wrote no results (the kernel failed or the function hung)"}
        if budget[0] <= 0:
            return {"error": "the probes' output for this notebook is too large"}
        budget[0] = min(budget[0], MAX_PROBE_BYTES)   # JSON and arrays together
        text = safefiles.read_regular_file(path, budget[0])
        budget[0] -= len(text)
        data = json.loads(text.decode("utf-8"))
        results = data["results"]
        if not isinstance(results, list):
            raise ValueError("results is not a list")
        for result in results:
            if isinstance(result, dict) and "value" in result:
                result["value"] = _load_arrays(result["value"], path.parent, budget)
        return {"results": results}
    except Exception as error:  # anything malformed is a failed verification, never a crash
        return {"error": f"malformed probe output ({type(error).__name__})"}


def _load_arrays(value, folder: Path, budget: list[int], depth: int = 0):
    """Replace array file names by arrays; every file read counts against ``budget`` (bytes),
    so a forged result that names one large file many times cannot make us load it again and again."""
    if not isinstance(value, dict) or depth > 6:
        raise ValueError("malformed value")
    if "array" in value:
        name = value["array"]
        if not isinstance(name, str) or "/" in name or name.startswith("."):
            raise ValueError("bad array file name")
        if budget[0] <= 0:
            raise ValueError("the probe's output is too large")
        raw = safefiles.read_regular_file(folder / name, budget[0])
        budget[0] -= len(raw)
        value["array"] = np.load(io.BytesIO(raw), allow_pickle=False)
        if value["array"].dtype != np.float64:
            raise ValueError("array is not float64")
    for key in ("items", "values"):
        if key in value:
            value[key] = [_load_arrays(v, folder, budget, depth + 1) for v in value[key]]
    return value


# -- expected values and comparison -----------------------------------------------------------
def expected_values(check: Check) -> list[dict]:
    """Run the references on the probe inputs: [{'value': v} | {'raises': name}] per call."""
    namespace: dict = {}
    exec(check.setup, namespace)
    out = []
    for call in check.calls:
        if call.raises:
            out.append({"raises": call.raises})
            continue
        reference = check.reference[call.function]
        args = probe.decode(_encode(list(call.args)), namespace)
        kwargs = probe.decode(_encode(dict(call.kwargs)), namespace)
        out.append({"value": reference(*args, **kwargs)})
    return out


_TYPE_NAMES = {float: "builtins.float", int: "builtins.int", bool: "builtins.bool", str: "builtins.str"}


def _close(observed: float, expected: float, atol: float, rtol: float) -> bool:
    if math.isnan(expected):
        return math.isnan(observed)
    if math.isinf(expected) or math.isinf(observed):
        return observed == expected
    return abs(observed - expected) <= atol + rtol * abs(expected)


def _compare(observed: dict, expected, check: Check, atol: float, where: str) -> str | None:
    """None when ``observed`` (plain data from the kernel) matches ``expected``; else why not."""
    if not isinstance(observed, dict):
        return f"{where}: malformed result"
    kind = observed.get("t")
    if isinstance(expected, (bool, np.bool_)):
        if observed.get("bool") is not bool(expected) or (check.exact_types and kind != "builtins.bool"):
            return f"{where}: expected {bool(expected)!r}"
        return None
    if isinstance(expected, str):
        return None if observed.get("str") == expected else f"{where}: expected {expected!r}"
    if isinstance(expected, (int, float, np.integer, np.floating)):
        value = observed.get("num")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return f"{where}: expected a number, got {kind}"
        if check.exact_types and type(expected) in _TYPE_NAMES and kind != _TYPE_NAMES[type(expected)]:
            return f"{where}: expected a {type(expected).__name__}, got {kind}"
        if not _close(float(value), float(expected), atol, check.rtol):
            return f"{where}: expected {float(expected):.6g}, got {float(value):.6g}"
        return None
    if isinstance(expected, (list, tuple)):
        items = observed.get("items")
        if not isinstance(items, list) or len(items) != len(expected):
            return f"{where}: expected a sequence of length {len(expected)}"
        for index, (o, e) in enumerate(zip(items, expected)):
            problem = _compare(o, e, check, atol, f"{where}[{index}]")
            if problem:
                return problem
        return None
    if isinstance(expected, dict):
        keys, values = observed.get("keys"), observed.get("values")
        wanted = sorted(map(str, expected))
        # One value per key, every key once: a dict whose values() disagrees with its keys
        # (a hostile subclass) must not verify by zipping fewer pairs than expected.
        if (not isinstance(keys, list) or not isinstance(values, list) or len(keys) != len(values)
                or len(set(map(str, keys))) != len(keys) or sorted(map(str, keys)) != wanted):
            return f"{where}: expected a dict with the keys {wanted}"
        got = dict(zip(map(str, keys), values))
        for key, want in expected.items():
            tolerance = check.tolerance.get(str(key), check.tolerance.get("*", 1e-9)) if isinstance(check.tolerance, dict) else atol
            problem = _compare(got[str(key)], want, check, tolerance, f"{where}[{key!r}]")
            if problem:
                return problem
        return None
    if isinstance(expected, np.ndarray) or hasattr(expected, "detach"):
        expected = np.asarray(expected.detach().cpu().numpy() if hasattr(expected, "detach") else expected, float)
        array = observed.get("array")
        if not isinstance(array, np.ndarray):
            return f"{where}: expected an array, got {kind}"
        if array.shape != expected.shape:
            return f"{where}: expected shape {expected.shape}, got {array.shape}"
        if not np.allclose(array, expected, atol=atol, rtol=check.rtol, equal_nan=True):
            return f"{where}: values differ (max |diff| {np.nanmax(np.abs(array - expected)):.3g})"
        return None
    if expected is None:
        return None if kind == "builtins.NoneType" else f"{where}: expected None"
    return f"{where}: cannot compare with {type(expected).__name__}"


def verify(check: Check, expected: list[dict], observation: dict) -> str | None:
    """None when every probe call matched; otherwise the first reason it did not."""
    if "error" in observation:
        return observation["error"]
    results = observation.get("results", [])
    if len(results) != len(check.calls):
        return f"the probe returned {len(results)} results for {len(check.calls)} calls"
    atol = check.tolerance if not isinstance(check.tolerance, dict) else check.tolerance.get("*", 1e-9)
    for index, (call, want, got) in enumerate(zip(check.calls, expected, results)):
        where = f"{call.function} (hidden call {index + 1})"
        if not isinstance(got, dict):
            return f"{where}: malformed result"
        if "raises" in want:
            raised = got.get("raised")
            if not isinstance(raised, list) or not any(str(n).endswith("." + want["raises"]) for n in raised):
                return f"{where}: expected {want['raises']}"
            continue
        if "value" not in got:
            raised = got.get("raised")
            return f"{where}: raised {raised[0] if isinstance(raised, list) and raised else 'an error'}"
        problem = _compare(got["value"], want["value"], check, atol, where)
        if problem:
            return problem
    return None
