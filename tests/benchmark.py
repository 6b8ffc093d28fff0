"""`make bench`: run each lecture in full mode, print wall time and quality figures, and
rewrite the multi-seed results table docs/results.md.

    python tests/benchmark.py [--fast] [--lectures 01-divergences,02-gan] [--json out.json]

Each solution notebook runs top to bottom in a fresh kernel with GDL_FAST unset (``--fast``
sets it, for a quick check of the table itself). Figures come from ``gdl.bench.record`` calls
in the notebooks, seed studies from ``gdl.bench.record_table``. A notebook whose studies ran
fewer than 5 seeds in its timed run is run once more with ``GDL_SEEDS=5``; its tables then go
to docs/results.json and docs/results.md (full mode only; other lectures' tables are kept).
Afterwards autograder/benchmark.py, when present, adds the grading throughput figures.
Timings are wall-clock on this machine: compare them within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
FULL_BUDGET_S = 300  # lecture budget without GDL_FAST (issues 3 and 4; lecture 01: 180)
FAST_BUDGET_S = 90
STUDY_SEEDS = 5  # CONTRIBUTING.md, "Claims that hold"
RESULTS_JSON = ROOT / "docs" / "results.json"
RESULTS_MD = ROOT / "docs" / "results.md"


def run_notebook(path: Path, fast: bool, seeds: int | None = None) -> tuple[float, list[dict], str | None]:
    """Execute one notebook; return (seconds, recorded figures and tables, error or None)."""
    with tempfile.TemporaryDirectory() as scratch:
        figures_file = Path(scratch) / "figures.jsonl"
        overrides = {"GDL_BENCH_FILE": str(figures_file), "GDL_FAST": "1" if fast else "0",
                     "GDL_SEEDS": str(seeds) if seeds else ""}
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


def fewest_seeds(table: dict) -> int:
    """The smallest number of seeds behind any setting of a recorded study table."""
    counts: dict[tuple, int] = {}
    for row in table["rows"]:
        key = tuple(row[column] for column in table["by"])
        counts[key] = counts.get(key, 0) + 1
    return min(counts.values())


def render_results(results: dict) -> str:
    """docs/results.md from docs/results.json: per study, the summary and every seed's row."""
    from gdl.bench import markdown_cell, summary_markdown

    lines = ["# Results across seeds", "",
             "Written by `make bench` (tests/benchmark.py) from docs/results.json; do not edit by hand.",
             "Each study runs every setting on the same seeds; a cell reads mean ± sd (min to max).",
             "Notebooks cite these tables for claims that need more seeds than their own budget.", ""]
    for notebook in sorted(results):
        for name, table in sorted(results[notebook].items()):
            first = table["rows"][0]
            rest = [key for key in first if key not in table["by"] and key != "seed"]
            columns = [*table["by"], "seed", *rest]
            metrics = [key for key in rest if not isinstance(first[key], str)]
            lines += [f"## {notebook}: {name}", ""]
            if table.get("caption"):
                lines += [table["caption"], ""]
            lines += [f"Run on {table['date']} with torch {table['torch']}, {table['machine']}.", "",
                      summary_markdown(table["rows"], table["by"], metrics, digits=table.get("digits", 3)), "",
                      "<details><summary>Every seed</summary>", "",
                      "| " + " | ".join(map(markdown_cell, columns)) + " |", "|" + "---|" * len(columns)]
            for row in table["rows"]:
                lines.append("| " + " | ".join(markdown_cell(row[key]) if isinstance(row[key], str) else f"{row[key]:.4g}"
                                               for key in columns) + " |")
            lines += ["", "</details>", ""]
    return "\n".join(lines)


def file_tables(notebook: str, tables: list[dict]) -> None:
    """Replace one notebook's studies in docs/results.json and re-render docs/results.md."""
    import platform

    import torch

    results = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    stamp = {"date": date.today().isoformat(), "torch": torch.__version__,
             "machine": f"{os.cpu_count()} CPU cores, {platform.machine()}"}
    results[notebook] = {table["table"]: {**stamp, "caption": table["caption"], "by": table["by"],
                                          "rows": table["rows"]} for table in tables}
    RESULTS_JSON.parent.mkdir(exist_ok=True)
    results = {name: results[name] for name in sorted(results)}  # row keys keep their column order
    RESULTS_JSON.write_text(json.dumps(results, indent=1) + "\n")
    RESULTS_MD.write_text(render_results(json.loads(RESULTS_JSON.read_text())) + "\n")


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
        seconds, recorded, error = run_notebook(path, args.fast)
        failed |= error is not None
        figures = [item for item in recorded if "name" in item]
        tables = [item for item in recorded if "table" in item]
        results.append({"notebook": path.stem, "seconds": round(seconds, 1), "figures": figures, "error": error})
        verdict = "FAILED: " + error if error else ("over budget" if seconds > budget else "ok")
        print(f"{path.stem:<24} {seconds:7.1f} s   {verdict}", flush=True)
        for figure in figures:
            print(f"    {figure['name']:<44} {figure['value']:.4g}")
        if tables and not error and not args.fast:
            if min(fewest_seeds(table) for table in tables) < STUDY_SEEDS:
                study_seconds, recorded, error = run_notebook(path, fast=False, seeds=STUDY_SEEDS)
                failed |= error is not None
                tables = [item for item in recorded if "table" in item]
                print(f"{'  with ' + str(STUDY_SEEDS) + ' seeds':<24} {study_seconds:7.1f} s   "
                      f"{'FAILED: ' + error if error else 'ok'}", flush=True)
            if not error:
                file_tables(path.stem, tables)
                print(f"    studies {', '.join(table['table'] for table in tables)} -> {RESULTS_MD.relative_to(ROOT)}")

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
