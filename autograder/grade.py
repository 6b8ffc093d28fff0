"""One command for the instructor's side of the course, on top of nbgrader.

    python autograder/grade.py release                 # regenerate course/ from solutions/
    python autograder/grade.py autograde SUBMITTED     # SUBMITTED/<student>/<lecture>/*.ipynb
    python autograder/grade.py feedback                # HTML per student under grading/feedback
    python autograder/grade.py export [grades.csv]     # one CSV row per student and lecture

The Makefile wraps each of these (make release / autograde / feedback / grades). Grading
state lives in grading/ (set GDL_GRADING_DIR to move it, GDL_GRADEBOOK_URL for another
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
SOLUTIONS = ROOT / "solutions"


def lectures() -> list[str]:
    """The lecture folders under solutions/ (each one nbgrader assignment), in order."""
    return sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir() and not p.name.startswith("."))


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
    for lecture in selected or lectures():
        nbgrader("generate_assignment", lecture, "--force")


def autograde(submitted: Path, selected: list[str]) -> None:
    submitted = submitted.resolve()
    if not submitted.is_dir():
        raise SystemExit(
            f"{submitted} is not a folder: expected SUBMITTED/<student>/<lecture>/<notebook>.ipynb"
        )
    env = {"GDL_SUBMITTED_DIR": str(submitted)}
    present = {p.name for student in submitted.iterdir() if student.is_dir() for p in student.iterdir()}
    for lecture in selected or lectures():
        if lecture in present:
            nbgrader("autograde", lecture, "--force", "--create", env=env)


def feedback(selected: list[str]) -> None:
    for lecture in selected or lectures():
        nbgrader("generate_feedback", lecture, "--force")


def export(path: Path) -> None:
    nbgrader("export", "--to", str(path.resolve()))
    print(f"grades written to {path}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p_release = commands.add_parser("release", help="regenerate course/ from solutions/")
    p_release.add_argument("lectures", nargs="*", help="default: every lecture")
    p_grade = commands.add_parser("autograde", help="grade a folder of submissions")
    p_grade.add_argument("submitted", type=Path, help="folder laid out as <student>/<lecture>/")
    p_grade.add_argument("lectures", nargs="*", help="default: every lecture found")
    p_feedback = commands.add_parser("feedback", help="write HTML feedback for graded work")
    p_feedback.add_argument("lectures", nargs="*")
    p_export = commands.add_parser("export", help="export the gradebook as CSV")
    p_export.add_argument("csv", nargs="?", type=Path, default=ROOT / "grading" / "grades.csv")
    args = parser.parse_args(argv)
    if args.command == "release":
        release(args.lectures)
    elif args.command == "autograde":
        autograde(args.submitted, args.lectures)
    elif args.command == "feedback":
        feedback(args.lectures)
    else:
        export(args.csv)


if __name__ == "__main__":
    main()
