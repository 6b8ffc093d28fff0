"""Where the notebooks are, for the tests."""

import os
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
COURSE = ROOT / "course"
# Filled by the execution tests, printed by conftest.py at the end of the run.
RUN_TIMES: dict[str, float] = {}
# Filled by test_wrong_answers.py: {lecture: {(grade_id, description): (caught in the kernel,
# caught by the out-of-kernel probe, or None without a check)}} and correct variants run.
ANSWER_STAGES: dict[str, dict[tuple[str, str], tuple[bool, bool | None]]] = {}
CORRECT_COUNTS: dict[str, int] = {}


def lectures() -> list[str]:
    """Lecture folders under solutions/; GDL_LECTURES=01-divergences,02-gan narrows the run."""
    found = sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))
    wanted = [name for name in os.environ.get("GDL_LECTURES", "").split(",") if name]
    return [name for name in found if name in wanted] if wanted else found


def solution_notebooks() -> list[Path]:
    return sorted(path for lecture in lectures() for path in (SOLUTIONS / lecture).glob("*.ipynb"))


def read(path: Path):
    return nbformat.read(path, as_version=4)


def grade_cells(notebook):
    return [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
