"""What a batch says, for the instructor: one HTML page, its PNG plots, and a grades export.

    python autograder/grade.py report [--out grading/]     (or `make report`)

Reads the gradebook (scores, manual grades included) and ``results.jsonl`` (what happened in
each graded cell), plus the autograded notebooks for the error messages of failed cells.
Writes into ``<out>/report/``: ``index.html``, ``scores.png`` (score distribution per
lecture), ``cells.png`` (pass rate per graded cell), ``failures.png`` (grading failures by
reason), ``seconds.png`` (time per submission), and ``<out>/grades-wide.csv``: one row per
student, one column per lecture, and the total (the layout learning platforms import).
Everything a student wrote is escaped: the page runs no student text.
"""

from __future__ import annotations

import csv
import html
import json
from collections import Counter, defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402

import report  # noqa: E402
import shards  # noqa: E402
from schema import Record, Status  # noqa: E402



def gradebook_scores(db_url: str) -> tuple[list[str], dict[str, dict[str, float]], dict[str, float]]:
    """(lectures, {student: {lecture: score}}, {lecture: max score}) from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:
        lectures = sorted(a.name for a in gradebook.assignments)
        maxima = {a.name: float(a.max_score) for a in gradebook.assignments}
        scores: dict[str, dict[str, float]] = {}
        for student in sorted(s.id for s in gradebook.students):
            scores[student] = {}
            for lecture in lectures:
                try:
                    scores[student][lecture] = float(gradebook.find_submission(lecture, student).score)
                except MissingEntry:
                    pass
    return lectures, scores, maxima


def write_wide_csv(path: Path, lectures: list[str], scores: dict[str, dict[str, float]]) -> None:
    """student, one column per lecture (empty when not submitted), total."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", *lectures, "total"])
        for student, by_lecture in sorted(scores.items()):
            row = [report.printable(student)]
            row += [f"{by_lecture[lec]:g}" if lec in by_lecture else "" for lec in lectures]
            writer.writerow(row + [f"{sum(by_lecture.values()):g}"])


def _error_message(out: Path, record: Record, notebook: str, grade_id: str) -> str | None:
    """The first line of the error a graded cell raised, from the autograded notebook."""
    path = out / "autograded" / record.student / record.lecture / f"{notebook}.ipynb"
    try:
        executed = nbformat.read(path, as_version=4)
    except Exception:
        return None
    for cell in executed.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    message = f"{output.get('ename', 'Error')}: {report.strip_ansi(output.get('evalue', ''))}"
                    return message.strip().split("\n")[0][:200]
    return None


def summarise(out: Path, records: list[Record]) -> dict:
    """Per graded cell: attempts, passes, the most common failure message; failures by reason;
    seconds per submission."""
    cells: dict[tuple[str, str], dict] = {}
    reasons: Counter = Counter()
    seconds: dict[str, list[float]] = defaultdict(list)
    for record in records:
        seconds[record.lecture].append(record.seconds)
        for name, notebook in record.notebooks.items():
            if notebook.failure:
                reasons[notebook.failure.reason] += 1
            for cell in notebook.scores:
                entry = cells.setdefault((record.lecture, cell.grade_id),
                                         {"attempts": 0, "passed": 0, "messages": Counter()})
                entry["attempts"] += 1
                if cell.score and cell.score >= cell.max_score:
                    entry["passed"] += 1
                    continue
                if cell.status == Status.VERIFICATION_FAILED:
                    message = f"out-of-kernel check: {cell.why}"
                elif cell.status == Status.FAILED:
                    message = _error_message(out, record, name, cell.grade_id) or cell.why
                else:
                    message = f"{cell.status}: {cell.why}"
                entry["messages"][message] += 1
    return {"cells": cells, "reasons": reasons, "seconds": seconds}


def _save(figure, path: Path) -> str:
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return path.name


def plots(folder: Path, lectures: list[str], scores: dict, maxima: dict, summary: dict) -> list[str]:
    made = []
    figure, axes = plt.subplots(1, max(1, len(lectures)), figsize=(3.2 * max(1, len(lectures)), 2.8), squeeze=False)
    for axis, lecture in zip(axes[0], lectures or ["(none)"]):
        values = [s[lecture] for s in scores.values() if lecture in s]
        axis.hist(values, bins=10, range=(0, maxima.get(lecture, 1) or 1), color="tab:blue")
        axis.set_title(f"{lecture}\n{len(values)} submissions", fontsize=9)
        axis.set_xlabel("score")
    axes[0][0].set_ylabel("students")
    made.append(_save(figure, folder / "scores.png"))

    keys = sorted(summary["cells"])
    figure, axis = plt.subplots(figsize=(9, 0.28 * max(4, len(keys)) + 1))
    rates = [summary["cells"][k]["passed"] / max(1, summary["cells"][k]["attempts"]) for k in keys]
    axis.barh([f"{lec}: {gid}" for lec, gid in keys], rates, color="tab:green")
    axis.set_xlim(0, 1)
    axis.invert_yaxis()
    axis.set_xlabel("fraction of submissions with full marks")
    axis.tick_params(axis="y", labelsize=7)
    made.append(_save(figure, folder / "cells.png"))

    figure, axis = plt.subplots(figsize=(6, 2.8))
    reasons = summary["reasons"].most_common()
    axis.bar([r for r, _ in reasons] or ["none"], [n for _, n in reasons] or [0], color="tab:red")
    axis.set_ylabel("notebooks")
    axis.set_title("grading failures by reason", fontsize=9)
    axis.tick_params(axis="x", labelrotation=30, labelsize=7)
    made.append(_save(figure, folder / "failures.png"))

    figure, axis = plt.subplots(figsize=(6, 2.8))
    names = sorted(summary["seconds"])
    if names:
        axis.boxplot([summary["seconds"][n] for n in names])
        axis.set_xticks(range(1, len(names) + 1), names)
    axis.set_ylabel("seconds per submission")
    axis.tick_params(axis="x", labelrotation=30, labelsize=7)
    made.append(_save(figure, folder / "seconds.png"))
    return made


def _table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(report.printable(v))}</td>" for v in row) + "</tr>"
                   for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def write(out: Path, db_url: str) -> Path:
    """Write the report folder and the wide grades CSV; return the page's path."""
    out = Path(out)
    folder = out / "report"
    folder.mkdir(parents=True, exist_ok=True)
    records = shards.read_results(out) if (out / "results.jsonl").exists() else []
    lectures, scores, maxima = gradebook_scores(db_url)
    write_wide_csv(out / "grades-wide.csv", lectures, scores)
    summary = summarise(out, records)
    images = plots(folder, lectures, scores, maxima, summary)
    hardest = sorted(summary["cells"].items(), key=lambda kv: kv[1]["passed"] / max(1, kv[1]["attempts"]))
    cell_rows = []
    for (lecture, grade_id), entry in hardest:
        common = entry["messages"].most_common(1)
        cell_rows.append([lecture, grade_id, entry["attempts"], f"{entry['passed'] / max(1, entry['attempts']):.0%}",
                          f"{common[0][0]} ({common[0][1]}x)" if common else ""])
    lecture_rows = []
    for lecture in lectures:
        values = sorted(s[lecture] for s in scores.values() if lecture in s)
        median = values[len(values) // 2] if values else float("nan")
        lecture_rows.append([lecture, len(values), f"{maxima.get(lecture, 0):g}", f"{median:g}",
                             sum(v >= maxima.get(lecture, 0) for v in values)])
    page = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>Grading report</title>",
            "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:3px 8px;font-size:90%}</style></head><body>",
            "<h1>Grading report</h1>",
            f"<p>{len(scores)} students, {len(records)} graded submissions in results.jsonl.</p>",
            "<h2>Scores per lecture</h2>",
            _table(["lecture", "submissions", "max", "median", "full marks"], lecture_rows),
            "<h2>Graded cells, hardest first, with the most common failure</h2>",
            _table(["lecture", "cell", "attempts", "full marks", "most common failure"], cell_rows),
            "<h2>Grading failures by reason</h2>",
            _table(["reason", "notebooks"], [[r, n] for r, n in summary["reasons"].most_common()]),
            "<h2>Plots</h2>", *[f"<p><img src='{name}' alt='{name}'></p>" for name in images],
            "<p>Grades for a learning platform: <code>grades-wide.csv</code> (student, one column per lecture, total).</p>",
            "</body></html>"]
    (folder / "index.html").write_text("\n".join(page), encoding="utf-8")
    (folder / "summary.json").write_text(json.dumps({
        "cells": {f"{lec}:{gid}": {"attempts": e["attempts"], "passed": e["passed"],
                                   "messages": e["messages"].most_common(3)} for (lec, gid), e in summary["cells"].items()},
        "reasons": dict(summary["reasons"])}, indent=1), encoding="utf-8")
    return folder / "index.html"
