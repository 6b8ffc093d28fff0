"""Plausible wrong answers lose points; correct answers written differently keep them.

``tests/wrong_answers/<lecture>.py`` holds two dicts keyed by a test cell's grade_id:
``MUTANTS = {grade_id: {description: source}}`` (wrong answers) and
``CORRECT = {grade_id: {description: source}}`` (right answers written another way: a
library call, a loop, float32, a NumPy scalar ...). Each source redefines the student's
function(s) after the solution notebook has run, and then goes through both grading stages,
as the batch grader applies them:

1. in the kernel: the locked test cell, visible and hidden checks;
2. out of the kernel: the cell's probe from ``autograder/checks/<lecture>.py`` runs in the
   same namespace, and ``verify.verify`` compares what it wrote with the references.

A wrong answer must be caught by at least one stage. A correct variant must pass both, and
its test cell must write nothing to stderr (nbgrader zeroes such a cell; Python warnings are
exempt, as in ``autograder/nbgrader_config.py``). The stage that caught each wrong answer
is printed at the end of the run (conftest.py).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
import types
import warnings
from pathlib import Path

import pytest
from IPython.display import display

from notebooks import ANSWER_STAGES as STAGES, CORRECT_COUNTS, ROOT, SOLUTIONS, lectures, read

sys.path.insert(0, str(ROOT / "autograder"))
import verify  # noqa: E402  (the batch grader's own verification code)

ANSWERS = Path(__file__).with_name("wrong_answers")


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem.replace("-", "_"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, "MUTANTS", {}), getattr(module, "CORRECT", {})


def _cases(kind: str):
    for path in sorted(ANSWERS.glob("*.py")):
        if path.stem not in lectures():
            continue
        mutants, correct = _load(path)
        for grade_id, variants in (mutants if kind == "wrong" else correct).items():
            for name, source in variants.items():
                yield pytest.param(path.stem, grade_id, name, source, id=f"{path.stem}:{grade_id}:{name}")


@contextlib.contextmanager
def _as_main(module: types.ModuleType):
    """Make ``module`` the ``__main__`` that check set-ups import, as in a kernel."""
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = module
    try:
        yield
    finally:
        sys.modules["__main__"] = saved


_executed: dict = {}


def _run_solution(lecture: str):
    """Execute the solution notebook once: its namespace, test cells, checks and expectations."""
    if lecture not in _executed:
        notebook = read(SOLUTIONS / lecture / f"{lecture}.ipynb")
        module = types.ModuleType("__main__")
        # Notebooks may call IPython's display() without importing it, as in a kernel.
        module.__dict__["display"] = display
        test_cells = {}
        with _as_main(module), contextlib.redirect_stdout(io.StringIO()):
            for cell in notebook.cells:
                if cell.cell_type != "code":
                    continue
                exec(compile(cell.source, f"<{lecture}>", "exec"), module.__dict__)
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("grade"):
                    test_cells[meta["grade_id"]] = cell.source
        checks = verify.checks_for(lecture)
        expected = {grade_id: verify.expected_values(check) for grade_id, check in checks.items()}
        _executed[lecture] = (dict(module.__dict__), test_cells, checks, expected)
    return _executed[lecture]


def _grade(lecture: str, grade_id: str, source: str, tmp_path: Path):
    """Swap ``source`` in, then run both stages: (test cell error, stderr text, probe problem)."""
    namespace, test_cells, checks, expected = _run_solution(lecture)
    assert grade_id in test_cells, f"{lecture} has no test cell {grade_id}"
    module = types.ModuleType("__main__")
    module.__dict__.update(namespace)
    scope = module.__dict__
    stderr = io.StringIO()
    error = None
    with _as_main(module), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(stderr), warnings.catch_warnings(record=True):
        exec(compile(source, "<answer>", "exec"), scope)
        try:
            exec(compile(test_cells[grade_id], f"<{grade_id}>", "exec"), scope)
        except Exception as raised:  # the cell failed: nbgrader gives it zero
            error = raised
        problem = None
        if grade_id in checks:
            out = tmp_path / f"{grade_id}.json"
            exec(compile(verify.probe_code(verify.probe_spec(checks[grade_id]), str(out)), "<probe>", "exec"), scope)
            problem = verify.verify(checks[grade_id], expected[grade_id], verify.read_observation(out)) or None
    return error, stderr.getvalue(), problem, grade_id in checks


@pytest.mark.parametrize("lecture, grade_id, name, source", list(_cases("wrong")))
def test_wrong_answer_loses_points(lecture, grade_id, name, source, tmp_path):
    error, stderr, problem, has_check = _grade(lecture, grade_id, source, tmp_path)
    in_kernel = error is not None or bool(stderr)
    STAGES.setdefault(lecture, {})[(grade_id, name)] = (in_kernel, (problem is not None) if has_check else None)
    assert in_kernel or problem, f"{lecture}:{grade_id}: the wrong answer '{name}' passes both stages"


@pytest.mark.parametrize("lecture, grade_id, name, source", list(_cases("correct")))
def test_correct_variant_keeps_full_marks(lecture, grade_id, name, source, tmp_path):
    error, stderr, problem, has_check = _grade(lecture, grade_id, source, tmp_path)
    CORRECT_COUNTS[lecture] = CORRECT_COUNTS.get(lecture, 0) + 1
    assert error is None, f"{lecture}:{grade_id}: the correct variant '{name}' fails the test cell: {error!r}"
    assert not stderr, f"{lecture}:{grade_id}: the correct variant '{name}' writes to stderr: {stderr[:500]}"
    assert problem is None, f"{lecture}:{grade_id}: the correct variant '{name}' fails verification: {problem}"


def test_every_graded_cell_has_wrong_answers():
    """Each graded cell of each lecture has at least one wrong answer on file."""
    for lecture in lectures():
        path = ANSWERS / f"{lecture}.py"
        assert path.exists(), f"tests/wrong_answers/{lecture}.py is missing"
        mutants, _ = _load(path)
        notebook = read(SOLUTIONS / lecture / f"{lecture}.ipynb")
        graded = {c.metadata["nbgrader"]["grade_id"] for c in notebook.cells
                  if c.metadata.get("nbgrader", {}).get("grade")}
        assert graded <= set(mutants), f"{lecture}: no wrong answers for {sorted(graded - set(mutants))}"
