"""Turn what happened in the kernel into points per graded cell (grader side, no student code).

A graded cell earns nbgrader's score only if
1. it ran, in a kernel that was alive, and the kernel's reply to it was "ok";
2. nbgrader's rule gives it points: no error output. Unlike plain nbgrader, text on stderr
   does not zero the cell (a `logging.warning` or a progress bar inside a correct function
   is not a wrong answer); it is kept in ``CellScore.stderr`` and shown in the feedback;
3. its out-of-kernel verification passed (verify.py), when the lecture has a check for it.
Cells without a check are "unverified": they keep nbgrader's score unless
``require_verification`` is set, and the summary lists them.
"""

from __future__ import annotations

import re
import nbformat
from nbgrader import utils

import verify
from schema import CellScore, NotebookRun, Status


def _take_stderr(cell, pattern: str | None) -> str:
    """Remove the cell's stderr outputs; return their text, less known harmless warnings."""
    kept, text = [], []
    for output in cell.outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            if not (pattern and re.search(pattern, output.get("text", ""))):
                text.append(str(output.get("text", "")))
        else:
            kept.append(output)
    cell.outputs = kept
    return "".join(text)[:500]


def score_notebook(template, run: NotebookRun, checks: dict, expected: dict, ignore_pattern: str | None,
                   require_verification: bool = False) -> list[CellScore]:
    """CellScores for every graded cell of ``template``, from a worker's ``run``."""
    failure_text = f"{run.failure.reason}: {run.failure.detail}" if run.failure else ""
    executed = {}
    if run.notebook:
        notebook = nbformat.reads(run.notebook, as_version=4)
        for cell in notebook.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in template.points:
                executed[grade_id] = cell
    scores = []
    for grade_id, points in template.points.items():
        info = run.cells.get(grade_id)
        cell = executed.get(grade_id)
        if cell is None or info is None:
            scores.append(CellScore(grade_id, 0.0, points, Status.NOT_RUN, failure_text or "not graded"))
            continue
        if cell.metadata.nbgrader.get("solution"):          # a manually graded answer
            auto, _ = utils.determine_grade(cell)
            scores.append(CellScore(grade_id, auto, points, Status.MANUAL if auto is None else Status.FAILED,
                                    "" if auto is None else "no response"))
            continue
        if not info.ran:
            scores.append(CellScore(grade_id, 0.0, points, Status.NOT_RUN, failure_text or "not run"))
            continue
        if info.reply != "ok":
            scores.append(CellScore(grade_id, 0.0, points, Status.FAILED, "the test cell raised an error"))
            continue
        stderr = _take_stderr(cell, ignore_pattern)
        auto, _ = utils.determine_grade(cell)
        auto = min(float(auto or 0.0), points)
        if auto <= 0:
            scores.append(CellScore(grade_id, 0.0, points, Status.FAILED, "error output in the test cell", stderr))
            continue
        check = checks.get(grade_id)
        if check is None:
            kept = 0.0 if require_verification else auto
            scores.append(CellScore(grade_id, kept, points, Status.UNVERIFIED,
                                    "no out-of-kernel check for this cell", stderr))
            continue
        observation = run.observations.get(grade_id)
        problem = verify.verify(check, expected[grade_id], observation) if observation else \
            (failure_text or "the hidden checks did not run")
        if problem:
            scores.append(CellScore(grade_id, 0.0, points, Status.VERIFICATION_FAILED, problem, stderr))
        else:
            scores.append(CellScore(grade_id, auto, points, Status.PASSED, "", stderr))
    return scores
