"""Figures for `make bench`: batch grading speed and the table of attacks.

    python autograder/benchmark.py [--students 4] [--skip-attacks]

On a scratch copy of the course (every lecture with a released notebook): grades
``--students`` full-course submissions (the solutions, submitted as students' work) with 1
worker and then with 2 workers, and prints seconds per submission and the speed-up; then
grades the hostile suite of tests/hostile/ as one batch and prints each attack's outcome.
When GDL_BENCH_FILE is set the figures are also appended there as JSON lines
(gdl.bench.record).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "autograder"))

import grading_workspace  # noqa: E402  (tests/: the shared harness)
from gdl.bench import record  # noqa: E402

FLAGS = ["--no-progress", "--cell-timeout", "120", "--notebook-timeout", "600"]


def grade(workspace: Path, *args: str) -> float:
    """Seconds ``grade.py ARGS`` took in ``workspace``."""
    started = time.monotonic()
    try:
        grading_workspace.grade(workspace, *args)
    except AssertionError as error:
        raise SystemExit(str(error))
    return time.monotonic() - started


def workspace_with(lectures: list[str], where: Path) -> Path:
    return grading_workspace.release(where, lectures)


def speed(lectures: list[str], students: int, scratch: Path) -> dict:
    workspace = workspace_with(lectures, scratch / "speed")
    submitted = workspace / "submitted"
    for index in range(students):
        for lecture in lectures:
            shutil.copytree(ROOT / "solutions" / lecture, submitted / f"student{index:02d}" / lecture)
    figures = {}
    for workers in (1, 2):
        seconds = grade(workspace, "autograde", str(submitted), "--workers", str(workers),
                        "--out", str(workspace / f"out-{workers}"), *FLAGS)
        rows = json.loads((workspace / f"out-{workers}" / "summary.json").read_text())["submissions"]
        full = sum(r["score"] == r["max_score"] for r in rows)
        figures[workers] = seconds / students
        print(f"{workers} worker(s): {seconds:6.1f} s for {students} full-course submissions "
              f"({figures[workers]:.1f} s each; {full}/{len(rows)} lecture submissions at full marks)")
    print(f"speed-up with 2 workers: {figures[1] / figures[2]:.2f}x")
    record("autograde_seconds_per_submission_serial", figures[1])
    record("autograde_seconds_per_submission_2_workers", figures[2])
    record("autograde_speedup_2_workers", figures[1] / figures[2])
    return figures


def attack_table(scratch: Path) -> None:
    from hostile.attacks import LECTURE, write_suite

    workspace = workspace_with([LECTURE], scratch / "attacks")
    suite = write_suite(workspace)
    seconds = grade(workspace, "autograde", str(workspace / "submitted"), LECTURE, "--workers", "2",
                    "--no-progress", "--cell-timeout", "30", "--notebook-timeout", "150",
                    "--disk-quota", "200M", "--file-size-limit", "64M")
    records = grading_workspace.results(workspace / "grading")
    print(f"\n{len(suite)} hostile submissions graded in {seconds:.0f} s (2 workers)")
    print(f"{'attack':<24} {'expected':>8} {'earned':>7}  outcome (how it is stopped)")
    held = 0
    for attack in suite:
        data = records.get(attack.name)
        if data is None:
            print(f"{attack.name:<24} {attack.score:>8g}  MISSING")
            continue
        cells = [c for nb in data["notebooks"].values() for c in nb["scores"]]
        earned = sum(c["score"] or 0 for c in cells)
        reasons = sorted({nb["failure"]["reason"] for nb in data["notebooks"].values() if nb.get("failure")})
        outcome = ", ".join(reasons) or ", ".join(sorted({c["status"] for c in cells}))
        held += earned == attack.score
        print(f"{attack.name:<24} {attack.score:>8g} {earned:>7g}  {outcome} ({attack.defend})")
    print(f"{held}/{len(suite)} attacks earned exactly what they should")
    record("autograde_attacks_held", held)
    record("autograde_attacks_total", len(suite))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=4)
    parser.add_argument("--skip-attacks", action="store_true")
    args = parser.parse_args(argv)
    import sandbox

    works, why = sandbox.check()
    if not works:
        raise SystemExit(f"benchmark needs the sandbox: {why}")
    lectures = sorted(p.name for p in (ROOT / "course").iterdir()
                      if p.is_dir() and (ROOT / "solutions" / p.name).is_dir() and any(p.glob("*.ipynb")))
    print(f"lectures: {', '.join(lectures)}")
    with tempfile.TemporaryDirectory(prefix="gdl-bench-") as scratch:
        speed(lectures, args.students, Path(scratch))
        if not args.skip_attacks:
            attack_table(Path(scratch))


if __name__ == "__main__":
    main()
