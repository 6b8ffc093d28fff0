"""One command for the instructor's side of the course, on top of nbgrader.

    python autograder/grade.py release [LECTURE ...]        # regenerate course/ from solutions/
    python autograder/grade.py autograde SUBMITTED [LECTURE ...] [--workers N] [--shard K/N] ...
    python autograder/grade.py merge SHARD_DIR ...           # shard results -> gradebook + CSV
    python autograder/grade.py feedback                      # rewrite the feedback HTML
    python autograder/grade.py export [grades.csv]           # nbgrader's CSV of the gradebook
    python autograder/grade.py report [--out grading/]       # HTML page + plots + wide grades CSV
    python autograder/grade.py check-sandbox                 # does the sandbox work here?

SUBMITTED is nbgrader's <student>/<lecture>/<notebook>.ipynb layout, or a flat folder or .zip
of notebooks (see intake.py). Each submission is rebuilt from the released notebook, run in a
sandbox by N parallel workers, and verified outside the kernel; see autograder/README.md.
Grading state lives in grading/ (GDL_GRADING_DIR moves it, GDL_GRADEBOOK_URL picks another
database).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

AUTOGRADER_DIR = Path(__file__).resolve().parent
ROOT = AUTOGRADER_DIR.parent
sys.path.insert(0, str(AUTOGRADER_DIR))


def nbgrader(*args: str, env: dict | None = None) -> None:
    """Run the nbgrader CLI with this course's configuration; stop on failure."""
    bin_dir = Path(sys.executable).parent
    environment = dict(os.environ, **(env or {}))
    # nbgrader shells out to alembic and jupyter: the interpreter's bin/ must be on PATH.
    environment["PATH"] = f"{bin_dir}{os.pathsep}{environment.get('PATH', '')}"
    command = [str(bin_dir / "nbgrader"), *args]
    # nbgrader reads nbgrader_config.py from its working directory.
    result = subprocess.run(command, cwd=AUTOGRADER_DIR, env=environment)
    if result.returncode != 0:
        raise SystemExit(f"nbgrader {' '.join(args)} failed (exit {result.returncode})")


def release(selected: list[str]) -> None:
    import course

    for lecture in selected or course.load().lectures():
        nbgrader("generate_assignment", lecture, "--force")


def _size(text: str) -> int:
    units = {"k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}
    text = text.strip().lower().rstrip("ib")
    return int(float(text[:-1]) * units[text[-1]]) if text and text[-1] in units else int(text)


def autograde(args) -> None:
    import batch
    import execute
    import sandbox
    import shards

    if args.unsafe_no_sandbox:
        print("WARNING: --unsafe-no-sandbox: student code runs with YOUR rights, files and network. "
              "Only do this for submissions you trust.", file=sys.stderr)
    else:
        works, why = sandbox.check()
        if not works:
            raise SystemExit(
                f"Refusing to grade: no working sandbox on this machine ({why}).\n"
                "Without one, student code would run with your rights, read solutions/ and the "
                "gradebook, and use the network. Fix the sandbox (`python autograder/grade.py "
                "check-sandbox`), or pass --unsafe-no-sandbox to grade anyway.")
    shard = shards.parse(args.shard) if args.shard else shards.from_environment()
    out = args.out
    if shard and out is None:
        out = Path(os.environ.get("GDL_GRADING_DIR", ROOT / "grading")) / "shards" / f"shard-{shard[0]}-of-{shard[1]}"
    limits = sandbox.Limits(memory=_size(args.memory_limit), address_space=_size(args.address_space_limit),
                            processes=args.max_processes,
                            file_size=_size(args.file_size_limit))
    settings = execute.Settings(
        cell_timeout=args.cell_timeout or int(os.environ.get("GDL_CELL_TIMEOUT", "600")),
        notebook_timeout=args.notebook_timeout, limits=limits, unsafe_no_sandbox=args.unsafe_no_sandbox,
        disk_quota=_size(args.disk_quota),
    )
    if shard:
        print(f"shard {shard[0]} of {shard[1]} (0-based): results in {out}; the gradebook is written by `merge`")
    batch.run(args.submitted, lectures=args.lectures or None, workers=args.workers, settings=settings,
              out=out, shard=shard, mapping=args.mapping, write_gradebook=shard is None,
              require_verification=args.require_verification, progress=not args.no_progress)


def export(path: Path) -> None:
    nbgrader("export", "--to", str(path.resolve()))
    print(f"grades written to {path}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p_release = commands.add_parser("release", help="regenerate course/ from solutions/")
    p_release.add_argument("lectures", nargs="*", help="default: every lecture")

    p_grade = commands.add_parser("autograde", help="grade a folder or .zip of submissions")
    p_grade.add_argument("submitted", type=Path, help="<student>/<lecture>/ folders, or a flat folder/.zip of notebooks")
    p_grade.add_argument("lectures", nargs="*", help="default: every released lecture found")
    p_grade.add_argument("--workers", "-j", type=int, default=None, help="parallel workers (default: number of cores)")
    p_grade.add_argument("--shard", help="grade only shard K/N of the students (K = 0 .. N-1); default from "
                         "SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX + GDL_SHARD_COUNT")
    p_grade.add_argument("--out", type=Path, default=None, help="results folder (default grading/, or "
                         "grading/shards/shard-K-of-N/ for a shard)")
    p_grade.add_argument("--mapping", type=Path, help="CSV with columns file,student[,lecture] for flat folders")
    p_grade.add_argument("--cell-timeout", type=int, default=None, help="seconds per cell (default GDL_CELL_TIMEOUT or 600)")
    p_grade.add_argument("--notebook-timeout", type=int, default=1800, help="wall-clock seconds per notebook (1800)")
    p_grade.add_argument("--memory-limit", default="4G", help="resident memory of one sandbox (4G)")
    p_grade.add_argument("--address-space-limit", default="16G",
                         help="address space per process, a hard backstop (16G; PyTorch reserves much)")
    p_grade.add_argument("--max-processes", type=int, default=64, help="processes+threads in a sandbox (64)")
    p_grade.add_argument("--file-size-limit", default="256M", help="largest file a kernel may write (256M)")
    p_grade.add_argument("--disk-quota", default="512M", help="what a submission's scratch folder may hold (512M)")
    p_grade.add_argument("--require-verification", action="store_true",
                         help="graded cells without an out-of-kernel check score zero")
    p_grade.add_argument("--unsafe-no-sandbox", action="store_true",
                         help="grade even where no sandbox works (student code runs with your rights)")
    p_grade.add_argument("--no-progress", action="store_true", help="no progress bar")

    p_merge = commands.add_parser("merge", help="merge shard results into the gradebook, one CSV and summary")
    p_merge.add_argument("shards", nargs="+", type=Path)
    p_merge.add_argument("--out", type=Path, default=None, help="default: grading/")
    p_feedback = commands.add_parser("feedback", help="rewrite the feedback HTML (hidden tests removed)")
    p_feedback.add_argument("--out", type=Path, default=None, help="results folder (default grading/)")
    p_export = commands.add_parser("export", help="export the gradebook as CSV")
    p_export.add_argument("csv", nargs="?", type=Path, default=ROOT / "grading" / "grades.csv")
    p_report = commands.add_parser("report", help="an HTML page and plots of the batch, and grades-wide.csv")
    p_report.add_argument("--out", type=Path, default=None, help="results folder (default grading/)")
    commands.add_parser("check-sandbox", help="say whether the sandbox works on this machine")
    args = parser.parse_args(argv)
    if args.command == "release":
        release(args.lectures)
    elif args.command == "autograde":
        autograde(args)
    elif args.command == "merge":
        import batch
        batch.merge(args.shards, args.out)
    elif args.command == "feedback":
        import batch
        count = batch.feedback(args.out)
        print(f"feedback written for {count} submissions")
    elif args.command == "report":
        import course
        import dashboard
        settings = course.load()
        page = dashboard.write(args.out or settings.work, settings.db_url)
        print(f"report written to {page}")
    elif args.command == "check-sandbox":
        import sandbox
        works, why = sandbox.check()
        print(why)
        raise SystemExit(0 if works else 1)
    else:
        export(args.csv)


if __name__ == "__main__":
    main()
