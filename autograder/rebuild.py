"""Rebuild a submission from the released notebook: only the student's answers are kept.

The grading template of a notebook is the released notebook (``course/``) whose graded and
locked cells are replaced by the gradebook's source cells (so the hidden tests are back),
with the points, cell types and kernelspec of the instructor's side. A submission is graded
as that template with the source of each *answer* cell (nbgrader ``solution: true``) copied
in from the student's notebook, matched by ``grade_id`` and only when the cell type matches.
Everything else the student changed (test cells edited, deleted, converted to markdown or
stripped of metadata, points, kernelspec, extra cells) has no effect; what was ignored is
reported as a note.
"""

from __future__ import annotations

import errno
import json
import secrets
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

import safefiles

HIDDEN_BEGIN = "BEGIN HIDDEN TESTS"
HIDDEN_END = "END HIDDEN TESTS"


def _meta(cell) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


@dataclass
class Template:
    """What the grader needs to know about one notebook of a lecture."""

    lecture: str
    name: str                      # notebook name without .ipynb
    notebook: str                  # the grading template (nbformat JSON text)
    points: dict[str, float]       # grade_id -> max score, for graded cells
    answers: list[str]             # grade_ids of answer (solution) cells
    extra_files: dict[str, bytes] = field(default_factory=dict)  # other released files


def build_template(lecture: str, release_notebook: Path, gradebook_url: str) -> Template:
    """The grading template of one released notebook, hidden tests restored from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    notebook = nbformat.read(release_notebook, as_version=4)
    name = release_notebook.stem
    points: dict[str, float] = {}
    answers: list[str] = []
    with Gradebook(gradebook_url) as gradebook:
        try:
            stored = gradebook.find_notebook(name, lecture)
        except MissingEntry:
            raise SystemExit(f"{lecture}/{name} is not in the gradebook: run `grade.py release` first")
        sources = {cell.name: cell for cell in stored.source_cells}
        graded = {cell.name: cell.max_score for cell in stored.grade_cells}
        kernelspec = json.loads(stored.kernelspec) if stored.kernelspec else None
        for cell in notebook.cells:
            meta = _meta(cell)
            grade_id = meta.get("grade_id")
            if not grade_id:
                continue
            source = sources.get(grade_id)
            if source is None:
                raise SystemExit(f"{lecture}/{name}: cell {grade_id} is not in the gradebook: release again")
            if source.locked:
                cell["source"] = source.source          # the hidden tests come back here
            if grade_id in graded:
                meta["points"] = float(graded[grade_id])
                points[grade_id] = float(graded[grade_id])
            if meta.get("solution"):
                answers.append(grade_id)
            meta["checksum"] = source.checksum
    if kernelspec:
        notebook.metadata["kernelspec"] = kernelspec
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    extra = {
        str(p.relative_to(release_notebook.parent)): p.read_bytes()
        for p in sorted(release_notebook.parent.rglob("*"))
        if p.is_file() and p.suffix != ".ipynb" and ".ipynb_checkpoints" not in p.parts
    }
    return Template(lecture, name, nbformat.writes(notebook), points, answers, extra)


def read_submission(path: Path) -> tuple[dict | None, str | None]:
    """(notebook JSON in nbformat 4, None) or (None, why it cannot be read). Never raises.

    Only a regular file is read (no symbolic link, FIFO or device); nbformat 3 notebooks are
    upgraded to version 4, as JupyterLab does when it opens them.
    """
    try:
        data = json.loads(safefiles.read_regular_file(Path(path), 64 * 2**20).decode("utf-8"))
        if isinstance(data, dict) and data.get("nbformat") == 3 and isinstance(data.get("worksheets"), list):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                data = json.loads(nbformat.writes(nbformat.v4.upgrade(nbformat.from_dict(data))))
        if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
            return None, "malformed notebook: no list of cells"
        return data, None
    except ValueError as error:
        if isinstance(error, UnicodeDecodeError):
            return None, "malformed notebook: not UTF-8 text"
        if isinstance(error, json.JSONDecodeError):
            return None, f"malformed notebook: invalid JSON ({error.msg} at line {error.lineno})"
        return None, f"malformed notebook: {error}"
    except OSError as error:
        why = "a symbolic link" if error.errno == errno.ELOOP else (error.strerror or str(error))
        return None, f"unreadable notebook: {why}"
    except Exception as error:  # anything else malformed (e.g. a broken nbformat 3 file)
        return None, f"malformed notebook: {type(error).__name__}"


def _source(cell) -> str | None:
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        return "".join(source)
    return source if isinstance(source, str) else None


def rebuild(template: Template, submitted: dict) -> tuple[NotebookNode, list[str]]:
    """The notebook to grade, and notes on what was ignored from the submission."""
    notes: list[str] = []
    found: dict[str, dict] = {}
    copies: dict[str, int] = {}
    for cell in submitted.get("cells", []):
        if not isinstance(cell, dict):
            continue
        metadata = cell.get("metadata")
        meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if isinstance(grade_id, str) and grade_id in template.answers:
            copies[grade_id] = copies.get(grade_id, 0) + 1
            found[grade_id] = cell              # the last copy is the student's final answer
    notes += [f"answer cell {grade_id} appears {count} times: the last copy was graded"
              for grade_id, count in copies.items() if count > 1]
    notebook = nbformat.reads(template.notebook, as_version=4)
    for cell in notebook.cells:
        grade_id = _meta(cell).get("grade_id")
        if grade_id not in template.answers:
            continue
        student = found.get(grade_id)
        if student is None:
            notes.append(f"answer cell {grade_id} is missing (deleted or stripped of its metadata)")
            continue
        if student.get("cell_type") != cell.cell_type:
            notes.append(f"answer cell {grade_id} was converted to {student.get('cell_type')}: ignored")
            continue
        source = _source(student)
        if source is None:
            notes.append(f"answer cell {grade_id} has no readable source: ignored")
            continue
        cell.source = source
    return notebook, notes


def hidden_marker() -> str:
    return "gdl-hidden-" + secrets.token_hex(8)


def mark_hidden_regions(notebook: NotebookNode, marker: str) -> None:
    """Make each hidden-test region print ``marker`` as it starts (feedback cuts outputs there)."""
    for cell in notebook.cells:
        if cell.cell_type != "code" or not _meta(cell).get("grade") or HIDDEN_BEGIN not in cell.source:
            continue
        lines = cell.source.split("\n")
        for index, line in enumerate(lines):
            if HIDDEN_BEGIN in line:
                indent = line[: len(line) - len(line.lstrip())]
                lines.insert(index + 1, f"{indent}print({marker!r}, flush=True)")
                break
        cell.source = "\n".join(lines)


def strip_hidden(source: str) -> str:
    """The source without its hidden-test regions (as ClearHiddenTests does)."""
    kept, hidden = [], False
    for line in source.split("\n"):
        if HIDDEN_BEGIN in line:
            hidden = True
        elif HIDDEN_END in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)
