"""Find the submissions to grade: which student, which lecture, which notebook files.

Accepted layouts:

1. nbgrader's ``SUBMITTED/<student>/<lecture>/<notebook>.ipynb`` (an optional
   ``timestamp.txt`` next to the notebooks is read as nbgrader does).
2. A flat folder, or a .zip, of notebooks as learning platforms export them. A file's student
   and lecture come from ``--mapping file.csv`` (columns ``file,student[,lecture]``), or else
   from its name: ``<student>__<lecture>.ipynb`` or ``<student>_<lecture>.ipynb`` where
   ``<lecture>`` is a lecture folder name (``alice_01-divergences.ipynb``), or
   ``<student>.ipynb`` when only one lecture is graded (``--lecture``).

Files that match nothing are reported (``unmatched``), never fatal; so are notebooks under a
name the lecture does not have.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from execute import Job

_SAFE = re.compile(r"[^A-Za-z0-9._@+-]")


def safe_id(name: str) -> str:
    """A student id usable as a folder name (what nbgrader requires)."""
    cleaned = _SAFE.sub("_", name.strip()).strip("._") or "unknown"
    return cleaned[:100]


def _timestamp(folder: Path) -> str | None:
    path = folder / "timestamp.txt"
    if path.is_file():
        try:
            text = path.read_text().strip()
            stamp = datetime.fromisoformat(text.replace(" ", "T").replace("Z", "+00:00"))
            if stamp.tzinfo is None:
                stamp = stamp.replace(tzinfo=timezone.utc)
            return stamp.isoformat()
        except (OSError, ValueError):
            return None
    return None


def _notebooks_for(lecture: str, files: list[Path], expected: dict[str, list[str]], problems: list[str]) -> dict:
    names = expected.get(lecture, [])
    found = {}
    for path in files:
        if path.stem in names:
            found[path.stem] = str(path)
        elif len(names) == 1 and len(files) == 1:
            problems.append(f"{path.name} should be named {names[0]}.ipynb: graded as {names[0]}")
            found[names[0]] = str(path)
        else:
            problems.append(f"{path.name} is not a notebook of {lecture} (expected {', '.join(n + '.ipynb' for n in names)}): ignored")
    return found


def from_nbgrader_layout(folder: Path, expected: dict[str, list[str]]) -> tuple[list[Job], list[str]]:
    jobs, unmatched = [], []
    for student_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        for lecture_dir in sorted(p for p in student_dir.iterdir() if p.is_dir()):
            if lecture_dir.name not in expected:
                unmatched.append(f"{student_dir.name}/{lecture_dir.name}: not a lecture being graded")
                continue
            problems: list[str] = []
            files = sorted(p for p in lecture_dir.glob("*.ipynb") if p.is_file())
            notebooks = _notebooks_for(lecture_dir.name, files, expected, problems)
            jobs.append(Job(safe_id(student_dir.name), lecture_dir.name, notebooks, problems,
                            _timestamp(lecture_dir)))
    return jobs, unmatched


def _read_mapping(path: Path) -> dict[str, tuple[str, str | None]]:
    mapping = {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            if row.get("file") and row.get("student"):
                mapping[Path(row["file"]).name] = (row["student"], row.get("lecture") or None)
    return mapping


def from_flat(files: list[Path], expected: dict[str, list[str]], mapping: Path | None,
              lecture: str | None) -> tuple[list[Job], list[str]]:
    table = _read_mapping(mapping) if mapping else {}
    lectures = sorted(expected, key=len, reverse=True)
    grouped: dict[tuple[str, str], list[Path]] = {}
    unmatched = []
    for path in files:
        student = lec = None
        if path.name in table:
            student, lec = table[path.name]
            lec = lec or lecture or (lectures[0] if len(lectures) == 1 else None)
        else:
            stem = path.stem
            for name in lectures:
                for separator in ("__", "_", "-"):
                    if stem.endswith(separator + name):
                        student, lec = stem[: -len(separator + name)], name
                        break
                if student:
                    break
            if student is None and (lecture or len(lectures) == 1):
                student, lec = stem, lecture or lectures[0]
        if not student or lec not in expected:
            unmatched.append(f"{path.name}: no student/lecture found (use --mapping or name it <student>__<lecture>.ipynb)")
            continue
        grouped.setdefault((safe_id(student), lec), []).append(path)
    jobs = []
    for (student, lec), paths in sorted(grouped.items()):
        problems: list[str] = []
        names = expected[lec]
        notebooks = {}
        if len(names) == 1:
            notebooks[names[0]] = str(paths[0])
            if len(paths) > 1:
                problems.append(f"{len(paths)} files for one notebook: graded {paths[0].name}")
        else:
            for path in paths:
                match = [n for n in names if path.stem.endswith(n) or path.stem == n]
                if match:
                    notebooks[match[0]] = str(path)
                else:
                    problems.append(f"{path.name}: which notebook of {lec}? ignored")
        jobs.append(Job(student, lec, notebooks, problems))
    return jobs, unmatched


def discover(source: Path, expected: dict[str, list[str]], mapping: Path | None = None,
             lecture: str | None = None) -> tuple[list[Job], list[str], Path | None]:
    """(jobs, unmatched descriptions, temporary folder to delete or None)."""
    source = Path(source)
    temporary = None
    if source.is_file() and source.suffix == ".zip":
        temporary = Path(tempfile.mkdtemp(prefix="gdl-intake-"))
        with zipfile.ZipFile(source) as archive:
            for member in archive.infolist():
                name = Path(member.filename)
                if member.is_dir() or name.suffix != ".ipynb" or "__MACOSX" in name.parts or member.file_size > 64 * 2**20:
                    continue
                # flatten: keep only the file name, never a path from the archive
                target = temporary / safe_id(name.name)
                with archive.open(member) as reader, open(target, "wb") as writer:
                    shutil.copyfileobj(reader, writer)
        source = temporary
    if not source.is_dir():
        raise SystemExit(f"{source}: not a folder or .zip of submissions")
    subfolders = [p for p in source.iterdir() if p.is_dir()]
    if subfolders and mapping is None:
        jobs, unmatched = from_nbgrader_layout(source, expected)
        loose = sorted(p.name for p in source.glob("*.ipynb"))
        unmatched += [f"{name}: a notebook outside <student>/<lecture>/" for name in loose]
    else:
        jobs, unmatched = from_flat(sorted(source.glob("*.ipynb")), expected, mapping, lecture)
    return jobs, unmatched, temporary
