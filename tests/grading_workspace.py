"""A scratch course to grade in: the one harness the tests and `make bench` share.

``release(where, lectures)`` copies ``autograder/`` and the lectures' ``solutions/`` into
``where`` and releases them there (course/ and a gradebook of its own, in ``where/grading``);
``grade(where, *args)`` runs ``autograder/grade.py`` in it; ``results(folder)`` reads the
records a batch wrote. Nothing touches the real ``course/`` or ``grading/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def grade(workspace: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``grade.py ARGS`` in ``workspace``; fails with its output when it exits non-zero."""
    result = subprocess.run(
        [sys.executable, str(workspace / "autograder" / "grade.py"), *args],
        cwd=workspace, capture_output=True, text=True,
        env=dict(os.environ, GDL_GRADING_DIR=str(workspace / "grading"), **(env or {})),
    )
    if result.returncode != 0:
        raise AssertionError(f"grade.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    return result


def release(workspace: Path, lectures: list[str]) -> Path:
    """A scratch course in ``workspace`` with ``lectures`` released; returns ``workspace``."""
    shutil.copytree(ROOT / "autograder", workspace / "autograder", ignore=shutil.ignore_patterns("__pycache__"))
    for lecture in lectures:
        shutil.copytree(ROOT / "solutions" / lecture, workspace / "solutions" / lecture)
    grade(workspace, "release", *lectures)
    return workspace


def results(folder: Path) -> dict[str, dict]:
    """{student: record} from a batch's results.jsonl (one lecture per student)."""
    records = {}
    for line in (Path(folder) / "results.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        records[record["student"]] = record
    return records
