"""Plausible wrong answers must lose points.

For each lecture with a file in tests/wrong_answers/, the solution notebook runs in-process
(GDL_FAST=1); then each wrong answer replaces the student's function and the matching locked
test cell (visible and hidden checks) must raise. The unmodified solution must pass them all.
"""

import importlib.util
import io
import contextlib
from pathlib import Path

import pytest
from IPython.display import display

from notebooks import SOLUTIONS, read

WRONG_ANSWERS = Path(__file__).with_name("wrong_answers")


def _load_mutants(path: Path) -> dict:
    spec = importlib.util.spec_from_file_location(path.stem.replace("-", "_"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MUTANTS


def _cases():
    for path in sorted(WRONG_ANSWERS.glob("*.py")):
        for grade_id, mutants in _load_mutants(path).items():
            for name, source in mutants.items():
                yield pytest.param(path.stem, grade_id, source, id=f"{path.stem}:{grade_id}:{name}")


_executed: dict = {}


def _run_solution(lecture: str):
    """Execute the solution notebook once; return its namespace and test cells by grade_id."""
    if lecture not in _executed:
        notebook = read(SOLUTIONS / lecture / f"{lecture}.ipynb")
        # Notebooks may call IPython's display() without importing it, as in a kernel.
        namespace = {"__name__": "__main__", "display": display}
        test_cells = {}
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in notebook.cells:
                if cell.cell_type != "code":
                    continue
                exec(compile(cell.source, f"<{lecture}>", "exec"), namespace)
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("grade"):
                    test_cells[meta["grade_id"]] = cell.source
        _executed[lecture] = (namespace, test_cells)
    return _executed[lecture]


@pytest.mark.parametrize("lecture, grade_id, source", list(_cases()))
def test_wrong_answer_fails_its_checks(lecture, grade_id, source):
    namespace, test_cells = _run_solution(lecture)
    assert grade_id in test_cells, f"{lecture} has no test cell {grade_id}"
    scope = dict(namespace)
    exec(compile(source, "<wrong answer>", "exec"), scope)
    with contextlib.redirect_stdout(io.StringIO()), pytest.raises(Exception):
        exec(compile(test_cells[grade_id], f"<{grade_id}>", "exec"), scope)
