"""Split a batch across machines (scheduler array tasks) and merge the pieces afterwards.

A shard is ``K/N`` (K = 0 .. N-1): the students are sorted and shard K takes every N-th one
from position K, so each student's submissions are graded in exactly one shard, whatever
machine runs it. Without ``--shard`` the index and count come from the scheduler:

- Slurm job arrays: ``SLURM_ARRAY_TASK_ID`` and ``SLURM_ARRAY_TASK_COUNT`` (offset by
  ``SLURM_ARRAY_TASK_MIN`` when the array does not start at 0);
- Kubernetes Indexed Jobs: ``JOB_COMPLETION_INDEX`` and ``GDL_SHARD_COUNT`` (set it to the
  Job's ``completions``).

Each shard writes its own results folder (results.jsonl, summary, autograded notebooks,
feedback) and does not touch the gradebook; ``grade.py merge`` replays the results into the
gradebook and writes one CSV and one summary.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from schema import Record


def parse(text: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise SystemExit(f"--shard {text!r}: expected K/N, e.g. 0/4")
    if count < 1 or not 0 <= index < count:
        raise SystemExit(f"--shard {text!r}: K must lie in 0 .. N-1")
    return index, count


def from_environment(environ=os.environ) -> tuple[int, int] | None:
    """(index, count) from a Slurm array or a Kubernetes Indexed Job, or None."""
    if "SLURM_ARRAY_TASK_ID" in environ:
        if "SLURM_ARRAY_TASK_COUNT" not in environ:
            raise SystemExit("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")
        index = int(environ["SLURM_ARRAY_TASK_ID"]) - int(environ.get("SLURM_ARRAY_TASK_MIN", "0"))
        return index, int(environ["SLURM_ARRAY_TASK_COUNT"])
    if "JOB_COMPLETION_INDEX" in environ:
        count = environ.get("GDL_SHARD_COUNT")
        if not count:
            raise SystemExit("JOB_COMPLETION_INDEX is set: set GDL_SHARD_COUNT to the Job's completions")
        return int(environ["JOB_COMPLETION_INDEX"]), int(count)
    return None


def select(jobs: list, index: int, count: int) -> list:
    students = sorted({job.student for job in jobs})
    mine = set(students[index::count])
    return [job for job in jobs if job.student in mine]


def read_results(folder: Path) -> list[Record]:
    path = Path(folder) / "results.jsonl"
    if not path.is_file():
        raise SystemExit(f"{folder}: no results.jsonl (not a shard's results folder)")
    return [Record.from_json(json.loads(line))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def merge_files(shard_dirs: list[Path], out: Path) -> tuple[list[Record], list[str]]:
    """All records (the last shard wins on duplicates) and unmatched files; copies outputs."""
    records: dict[tuple[str, str], Record] = {}
    unmatched: list[str] = []
    for folder in shard_dirs:
        for record in read_results(folder):
            key = (record.student, record.lecture)
            if key in records:
                print(f"warning: {key[0]} / {key[1]} is in more than one shard; keeping {folder}")
            records[key] = record
        summary = Path(folder) / "summary.json"
        if summary.is_file():
            unmatched += json.loads(summary.read_text()).get("unmatched_files", [])
        for sub in ("autograded", "feedback"):
            if (Path(folder) / sub).is_dir() and Path(folder).resolve() != out.resolve():
                shutil.copytree(Path(folder) / sub, out / sub, dirs_exist_ok=True)
    return list(records.values()), sorted(set(unmatched))
