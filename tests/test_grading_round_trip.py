"""The nbgrader round trip on a scratch copy of the course.

1. course/ is exactly what nbgrader generates from solutions/.
2. Every solution notebook, submitted as a student's, earns full marks.
3. Every untouched course/ notebook earns zero on every graded cell.
"""

import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

import grading_workspace
from notebooks import COURSE, SOLUTIONS, grade_cells, lectures, read, solution_notebooks

SOLVER = "solution-student"
BLANK = "untouched-student"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A scratch course: release from solutions/, then autograde two students."""
    workspace = grading_workspace.release(tmp_path_factory.mktemp("course"), lectures())
    submitted = workspace / "submitted"
    for lecture in lectures():
        shutil.copytree(SOLUTIONS / lecture, submitted / SOLVER / lecture)
        shutil.copytree(COURSE / lecture, submitted / BLANK / lecture)
    grading_workspace.grade(workspace, "autograde", str(submitted))
    return workspace


def _comparable(path: Path):
    notebook = read(path)
    return nbformat.writes(notebook)


def test_course_is_what_nbgrader_generates(graded):
    generated = sorted(p.relative_to(graded / "course") for p in (graded / "course").rglob("*") if p.is_file())
    committed = sorted(p.relative_to(COURSE) for lecture in lectures() for p in (COURSE / lecture).rglob("*")
                       if p.is_file() and ".ipynb_checkpoints" not in p.parts)
    if not os.environ.get("GDL_LECTURES"):
        released = sorted(p.name for p in COURSE.iterdir() if p.is_dir())
        assert released == lectures(), "course/ and solutions/ hold different lectures: run `make release`"
    assert committed == generated, "course/ holds other files than nbgrader generates: run `make release`"
    for relative in generated:
        if relative.suffix == ".ipynb":
            assert _comparable(COURSE / relative) == _comparable(graded / "course" / relative), (
                f"course/{relative} differs from what nbgrader generates: run `make release`"
            )
        else:
            assert (COURSE / relative).read_bytes() == (graded / "course" / relative).read_bytes()


def _scores(workspace: Path, student: str):
    """{(lecture, notebook): [(grade_id, score, max_score), ...]} from the gradebook."""
    url = f"sqlite:///{workspace / 'grading' / 'gradebook.db'}"
    found = {}
    with Gradebook(url) as gradebook:
        for lecture in lectures():
            submission = gradebook.find_submission(lecture, student)
            for notebook in submission.notebooks:
                found[(lecture, notebook.name)] = [
                    (grade.name, grade.score, grade.max_score) for grade in notebook.grades
                ]
    return found


def _expected_notebooks():
    return {(p.parent.name, p.stem) for p in solution_notebooks()}


def test_solutions_earn_full_marks(graded):
    scores = _scores(graded, SOLVER)
    assert set(scores) == _expected_notebooks()
    for (lecture, notebook), grades in scores.items():
        expected = {c.metadata["nbgrader"]["grade_id"] for c in grade_cells(read(SOLUTIONS / lecture / f"{notebook}.ipynb"))}
        assert {name for name, _, _ in grades} == expected
        lost = [(name, score, top) for name, score, top in grades if score != top]
        assert not lost, f"{lecture}/{notebook}: the solution loses points on {lost}"


def test_untouched_notebooks_earn_zero(graded):
    scores = _scores(graded, BLANK)
    assert set(scores) == _expected_notebooks()
    for (lecture, notebook), grades in scores.items():
        assert grades, f"{lecture}/{notebook} has no graded cells"
        earned = [(name, score) for name, score, _ in grades if score != 0]
        assert not earned, f"{lecture}/{notebook}: an untouched notebook earns points on {earned}"
