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
from dataclasses import asdict, dataclass

import nbformat
from nbgrader import utils

import verify


@dataclass
class CellScore:
    grade_id: str
    score: float | None
    max_score: float
    status: str          # passed | failed | verification failed | not run | unverified | manual
    why: str = ""
    stderr: str = ""     # what the test cell wrote to stderr (not counted), for the feedback


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


def score_notebook(template, entry: dict, checks: dict, expected: dict, ignore_pattern: str | None,
                   require_verification: bool = False) -> list[CellScore]:
    """CellScores for every graded cell of ``template``, from a worker's ``entry``."""
    failure = entry.get("failure")
    failure_text = f"{failure['reason']}: {failure['detail']}" if failure else ""
    executed = {}
    if entry.get("notebook"):
        notebook = nbformat.reads(entry["notebook"], as_version=4)
        for cell in notebook.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in template.points:
                executed[grade_id] = cell
    scores = []
    for grade_id, points in template.points.items():
        info = entry.get("cells", {}).get(grade_id)
        cell = executed.get(grade_id)
        if cell is None or info is None:
            scores.append(CellScore(grade_id, 0.0, points, "not run", failure_text or "not graded"))
            continue
        if cell.metadata.nbgrader.get("solution"):          # a manually graded answer
            auto, _ = utils.determine_grade(cell)
            scores.append(CellScore(grade_id, auto, points, "manual" if auto is None else "failed",
                                    "" if auto is None else "no response"))
            continue
        if not info.get("ran"):
            scores.append(CellScore(grade_id, 0.0, points, "not run", failure_text or "not run"))
            continue
        if info.get("reply") != "ok":
            scores.append(CellScore(grade_id, 0.0, points, "failed", "the test cell raised an error"))
            continue
        stderr = _take_stderr(cell, ignore_pattern)
        auto, _ = utils.determine_grade(cell)
        auto = min(float(auto or 0.0), points)
        if auto <= 0:
            scores.append(CellScore(grade_id, 0.0, points, "failed", "error output in the test cell", stderr))
            continue
        check = checks.get(grade_id)
        if check is None:
            kept = 0.0 if require_verification else auto
            scores.append(CellScore(grade_id, kept, points, "unverified", "no out-of-kernel check for this cell", stderr))
            continue
        observation = entry.get("observations", {}).get(grade_id)
        problem = verify.verify(check, expected[grade_id], observation) if observation else \
            (failure_text or "the hidden checks did not run")
        if problem:
            scores.append(CellScore(grade_id, 0.0, points, "verification failed", problem, stderr))
        else:
            scores.append(CellScore(grade_id, auto, points, "passed", "", stderr))
    return scores


def as_dicts(scores: list[CellScore]) -> list[dict]:
    return [asdict(s) for s in scores]
