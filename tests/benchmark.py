"""`make bench`: run each lecture in full mode and print wall time and quality figures.

    python tests/benchmark.py [--fast] [--lectures 01-divergences,02-gan] [--json out.json]

Each solution notebook runs top to bottom in a fresh kernel with GDL_FAST unset (``--fast``
sets it, for a quick check of the table itself). Figures come from ``gdl.bench.record`` calls
in the notebooks. Afterwards autograder/benchmark.py, when present, adds the grading
throughput figures. Timings are wall-clock on this machine: compare them within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
FULL_BUDGET_S = 300  # lecture budget without GDL_FAST (issues 3 and 4; lecture 01: 180)
FAST_BUDGET_S = 90


def run_notebook(path: Path, fast: bool) -> tuple[float, list[dict], str | None]:
    """Execute one notebook; return (seconds, recorded figures, error or None)."""
    with tempfile.TemporaryDirectory() as scratch:
        figures_file = Path(scratch) / "figures.jsonl"
        overrides = {"GDL_BENCH_FILE": str(figures_file), "GDL_FAST": "1" if fast else "0"}
        saved = {key: os.environ.get(key) for key in overrides}
        os.environ.update(overrides)  # the kernel inherits the parent's environment
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(notebook, timeout=1800, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        start, error = time.perf_counter(), None
        try:
            client.execute()
        except Exception as exc:  # report and go on with the next lecture
            error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}"
        finally:
            seconds = time.perf_counter() - start
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        figures = [json.loads(line) for line in figures_file.read_text().splitlines()] if figures_file.exists() else []
    return seconds, figures, error


def grading_figures() -> list[dict]:
    """Figures from autograder/benchmark.py (grading throughput, attack table), if it exists."""
    script = ROOT / "autograder" / "benchmark.py"
    if not script.exists():
        return []
    with tempfile.TemporaryDirectory() as scratch:
        figures_file = Path(scratch) / "figures.jsonl"
        env = dict(os.environ, GDL_BENCH_FILE=str(figures_file))
        subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, check=False)
        if not figures_file.exists():
            return []
        return [json.loads(line) for line in figures_file.read_text().splitlines()]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="run with GDL_FAST=1")
    parser.add_argument("--lectures", default="", help="comma-separated lecture folders (default: all)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--no-grading", action="store_true", help="skip the grading benchmark")
    args = parser.parse_args(argv)

    wanted = [name for name in args.lectures.split(",") if name]
    notebooks = sorted((ROOT / "solutions").glob("*/*.ipynb"))
    if wanted:
        notebooks = [nb for nb in notebooks if nb.parent.name in wanted]
    budget = FAST_BUDGET_S if args.fast else FULL_BUDGET_S
    mode = "GDL_FAST=1" if args.fast else "full"
    print(f"Running {len(notebooks)} notebook(s) in {mode} mode (budget {budget} s each)\n", flush=True)

    results, failed = [], False
    for path in notebooks:
        seconds, figures, error = run_notebook(path, args.fast)
        failed |= error is not None
        results.append({"notebook": path.stem, "seconds": round(seconds, 1), "figures": figures, "error": error})
        verdict = "FAILED: " + error if error else ("over budget" if seconds > budget else "ok")
        print(f"{path.stem:<24} {seconds:7.1f} s   {verdict}", flush=True)
        for figure in figures:
            print(f"    {figure['name']:<44} {figure['value']:.4g}")

    if not args.no_grading:
        extra = grading_figures()
        if extra:
            print("\nGrading")
            for figure in extra:
                print(f"    {figure['name']:<44} {figure['value']:.4g}")
        results.append({"notebook": "grading", "figures": extra})
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
