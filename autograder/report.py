"""Everything the grader writes (parent process only): gradebook, CSV, summary, feedback.

Writes to the gradebook happen here, one submission at a time in the parent, so SQLite
stays consistent however many workers execute notebooks; any database URL that nbgrader
supports works the same way.
"""

from __future__ import annotations

import csv
import html
import json
import re
import warnings
from datetime import datetime, timezone
from pathlib import Path

import nbformat

import rebuild
from schema import CellScore, Record, Status

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text) -> str:
    """``text`` without terminal colour codes (tracebacks carry them)."""
    return _ANSI.sub("", str(text))


# -- gradebook --------------------------------------------------------------------------------
def write_gradebook(db_url: str, record: Record) -> None:
    """Store one graded submission in the nbgrader gradebook."""
    from nbgrader.api import Gradebook

    with warnings.catch_warnings(), Gradebook(db_url) as gradebook:
        warnings.simplefilter("ignore")  # nbgrader's own SQLAlchemy autoflush warnings
        gradebook.update_or_create_student(record.student)
        kwargs = {}
        if record.timestamp:
            kwargs["timestamp"] = datetime.fromisoformat(record.timestamp)
        gradebook.update_or_create_submission(record.lecture, record.student, **kwargs)
        for name, notebook in record.notebooks.items():
            for cell in notebook.scores:
                grade = gradebook.find_grade(cell.grade_id, name, record.lecture, record.student)
                grade.auto_score = cell.score
                grade.needs_manual_grade = cell.score is None or grade.manual_score is not None
            for grade_id, answered in notebook.answered.items():
                comment = gradebook.find_comment(grade_id, name, record.lecture, record.student)
                comment.auto_comment = None if answered else "No response."
        gradebook.db.commit()


def export_csv(db_url: str, path: Path) -> None:
    """nbgrader's own CSV export (the format of `grade.py export`)."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins.export import CsvExportPlugin

    path.parent.mkdir(parents=True, exist_ok=True)
    with Gradebook(db_url) as gradebook:
        CsvExportPlugin(to=str(path)).export(gradebook)


# -- what a student wrote, made harmless for whoever reads it --------------------------------------
SAFE_MIMETYPES = ("text/plain", "image/png", "image/jpeg")


def printable(text) -> str:
    """``text`` with control characters and lone surrogates escaped (terminal, CSV, HTML)."""
    return "".join(c if c.isprintable() or c in "\n\t" else repr(c)[1:-1] for c in str(text))


def inert_outputs(notebook) -> None:
    """Keep only outputs that cannot run in a browser: text, PNG and JPEG. HTML, SVG,
    JavaScript, markdown and widget views from the student's kernel become a short note."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data")
            if output.get("output_type") in ("display_data", "execute_result") and isinstance(data, dict):
                dropped = sorted(k for k in data if k not in SAFE_MIMETYPES)
                if dropped:
                    for key in dropped:
                        del data[key]
                    if not data:
                        data["text/plain"] = f"[output removed by the grader: {', '.join(dropped)}]"
                output["metadata"] = {}


# -- feedback that does not reveal hidden tests -------------------------------------------------
def _hidden_lines(source: str) -> set[str]:
    lines, hidden = set(), False
    for line in source.split("\n"):
        if rebuild.HIDDEN_BEGIN in line:
            hidden = True
        elif rebuild.HIDDEN_END in line:
            hidden = False
        elif hidden and len(line.strip()) >= 6:
            lines.add(line.strip())
    return lines


def _redacted_error(output) -> dict:
    return nbformat.v4.new_output("error", ename=str(output.get("ename", "Error")), evalue="",
                                  traceback=[f"{output.get('ename', 'Error')}: a hidden check failed"])


def feedback_notebook(notebook_text: str, marker: str, scores: list[CellScore], header: str):
    """The executed notebook as a student may see it: hidden tests and their traces removed."""
    notebook = nbformat.reads(notebook_text, as_version=4)
    by_id = {s.grade_id: s for s in scores}
    cells = [nbformat.v4.new_markdown_cell(header)]
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code":
            hidden = _hidden_lines(cell.source) if meta.get("grade") else set()
            if meta.get("grade"):
                cell.source = rebuild.strip_hidden(cell.source)
            outputs, in_hidden = [], False
            for output in cell.get("outputs", []):
                if in_hidden and output.get("output_type") != "error":
                    continue
                if output.get("output_type") == "stream" and marker in output.get("text", ""):
                    output["text"] = output["text"].split(marker)[0]
                    in_hidden = True
                if output.get("output_type") == "error" and meta.get("grade"):
                    text = strip_ansi(output.get("evalue", ""))
                    if in_hidden or any(line in text for line in hidden) or marker in text:
                        output = _redacted_error(output)
                    else:  # a visible check failed: keep its trace, minus any line of hidden code
                        secret = hidden | {"HIDDEN TESTS", marker}
                        output["traceback"] = ["\n".join(
                            line for line in str(frame).split("\n")
                            if not any(s in strip_ansi(line) for s in secret)) for frame in output.get("traceback", [])]
                outputs.append(output)
            cell.outputs = outputs
        cells.append(cell)
        if meta.get("grade") and meta.get("grade_id") in by_id:
            s = by_id[meta["grade_id"]]
            shown = "ungraded" if s.score is None else f"{s.score:g} / {s.max_score:g}"
            why = f" ({html.escape(s.why)})" if s.why and s.status != Status.PASSED else ""
            if s.stderr:
                why += (" - your code wrote to stderr (not counted against you): "
                        f"`{html.escape(printable(s.stderr[:200])).replace('`', '&#96;')}`")
            cells.append(nbformat.v4.new_markdown_cell(
                f"**{html.escape(meta['grade_id'])}: {shown}** - {html.escape(str(s.status))}{why}"))
    notebook.cells = cells
    inert_outputs(notebook)
    return notebook


def write_feedback(path: Path, notebook_text: str | None, marker: str, scores: list[CellScore], header: str) -> None:
    from nbconvert import HTMLExporter

    path.parent.mkdir(parents=True, exist_ok=True)
    if notebook_text is None:
        body = f"<html><body><h1>Feedback</h1><pre>{html.escape(header)}</pre></body></html>"
    else:   # sanitize_html: no script or event handler from any markdown or output survives
        body, _ = HTMLExporter(template_name="lab", sanitize_html=True).from_notebook_node(
            feedback_notebook(notebook_text, marker, scores, header))
    path.write_text(body, encoding="utf-8", errors="backslashreplace")


# -- summary ----------------------------------------------------------------------------------
SUMMARY_FIELDS = ["student", "lecture", "score", "max_score", "failures", "unverified", "notes", "seconds"]


def summary_row(record: Record) -> dict:
    score = max_score = 0.0
    failures, unverified, notes = [], [], list(record.problems)
    for name, notebook in record.notebooks.items():
        for cell in notebook.scores:
            score += cell.score or 0.0
            max_score += cell.max_score
            if cell.status == Status.UNVERIFIED:
                unverified.append(cell.grade_id)
            elif cell.status == Status.VERIFICATION_FAILED:
                failures.append(f"{cell.grade_id}: verification failed ({cell.why})")
        if notebook.failure:
            failures.append(f"{name}: {notebook.failure.reason} ({notebook.failure.detail})")
        notes += [f"{name}: {note}" for note in notebook.notes]
    return {"student": record.student, "lecture": record.lecture, "score": round(score, 4),
            "max_score": max_score, "failures": "; ".join(failures), "unverified": " ".join(unverified),
            "notes": "; ".join(notes), "seconds": record.seconds}


def write_summary(folder: Path, records: list[Record], unmatched: list[str]) -> list[dict]:
    rows = sorted((summary_row(r) for r in records), key=lambda r: (r["student"], r["lecture"]))
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "summary.csv", "w", newline="", encoding="utf-8", errors="backslashreplace") as handle:
        writer = csv.DictWriter(handle, SUMMARY_FIELDS)
        writer.writeheader()
        writer.writerows({k: printable(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows)
    (folder / "summary.json").write_text(json.dumps(
        {"generated": datetime.now(timezone.utc).isoformat(timespec="seconds"), "submissions": rows,
         "unmatched_files": unmatched}, indent=1), encoding="utf-8")
    return rows


def print_table(rows: list[dict], unmatched: list[str]) -> None:
    if not rows:
        print("no submissions graded")
    width = max([len(r["student"]) for r in rows] + [7])
    print(f"{'student':<{width}}  {'lecture':<22} {'score':>11}  failures / unverified")
    for r in rows:
        extra = r["failures"] or ""
        if r["unverified"]:
            extra += (" | " if extra else "") + f"unverified: {r['unverified']}"
        print(f"{printable(r['student']):<{width}}  {r['lecture']:<22} {r['score']:>5g} / {r['max_score']:<3g}  "
              f"{printable(extra)[:160]}")
    for name in unmatched:
        print(f"not graded: {printable(name)}")
