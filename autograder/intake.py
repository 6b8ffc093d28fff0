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
name the lecture does not have. Nothing outside the submitted tree is read: symbolic links
are reported and never followed, and only regular files are taken. Two files for one
student's notebook (a flat upload named after another student, two zip folders holding the
same file name) are a reported conflict: neither is graded until the instructor decides.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import safefiles
from execute import Job
from schema import Failure, Reason

_SAFE = re.compile(r"[^A-Za-z0-9._@+-]")


def safe_id(name: str) -> str:
    """A student id usable as a folder name (what nbgrader requires)."""
    cleaned = _SAFE.sub("_", name.strip()).strip("._") or "unknown"
    return cleaned[:100]


def _timestamp(folder: Path) -> str | None:
    """nbgrader's timestamp.txt as an ISO time, or None when absent, unreadable or absurd."""
    path = folder / "timestamp.txt"
    try:
        text = safefiles.read_regular_file(path, 4096).decode("utf-8").strip()
        stamp = datetime.fromisoformat(text.replace(" ", "T").replace("Z", "+00:00"))
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=timezone.utc)
        stamp = stamp.astimezone(timezone.utc)
        if not 1970 <= stamp.year <= 2200:
            return None
        return stamp.isoformat()
    except (OSError, ValueError, OverflowError):
        return None


def _entries(folder: Path, problems: list[str], where: str,
             refuse: set[str] = frozenset()) -> tuple[list[Path], list[Path], dict[str, Failure]]:
    """(folders, regular files, refusals) directly in ``folder``. A symbolic link is never
    followed: when its name (or stem) is in ``refuse`` it becomes a refusal that gives the
    student a row, otherwise it is reported in ``problems``, like special files."""
    folders, files, refused = [], [], {}
    for path in sorted(folder.iterdir()):
        if path.is_symlink():
            key = path.name if path.name in refuse else path.stem if path.stem in refuse else None
            if key is not None:
                refused[key] = Failure(str(Reason.REFUSED), f"{where}{path.name} is a symbolic link: "
                                                            "nothing outside the submitted tree is read")
            else:
                problems.append(f"{where}{path.name} is a symbolic link: ignored")
        elif path.is_dir():
            folders.append(path)
        elif path.is_file():
            files.append(path)
        elif path.name != "timestamp.txt":
            problems.append(f"{where}{path.name} is not a regular file: ignored")
    return folders, files, refused


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
    student_dirs, _, _ = _entries(folder, unmatched, "")
    for student_dir in student_dirs:
        student = safe_id(student_dir.name)
        lecture_dirs, _, linked = _entries(student_dir, unmatched, f"{student_dir.name}/", set(expected))
        jobs += [Job(student, lecture, {}, [], refused={"*": why}) for lecture, why in linked.items()]
        for lecture_dir in lecture_dirs:
            if lecture_dir.name not in expected:
                unmatched.append(f"{student_dir.name}/{lecture_dir.name}: not a lecture being graded")
                continue
            problems: list[str] = []
            _, files, refused = _entries(lecture_dir, problems, "", set(expected[lecture_dir.name]))
            notebooks = _notebooks_for(lecture_dir.name, [p for p in files if p.suffix == ".ipynb"], expected, problems)
            jobs.append(Job(student, lecture_dir.name, notebooks, problems, _timestamp(lecture_dir), refused))
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
        claims: dict[str, list[Path]] = {}
        for path in paths:
            match = names if len(names) == 1 else [n for n in names if path.stem.endswith(n) or path.stem == n]
            if match:
                claims.setdefault(match[0], []).append(path)
            else:
                problems.append(f"{path.name}: which notebook of {lec}? ignored")
        notebooks, refused = {}, {}
        for name, claimed in claims.items():
            if len(claimed) == 1:
                notebooks[name] = str(claimed[0])
            else:   # never a silent choice: one of them may be someone else's upload
                refused[name] = Failure(str(Reason.CONFLICT), f"{len(claimed)} files claim {student}'s {name}.ipynb "
                                        f"({', '.join(sorted(p.name for p in claimed))}): none graded; "
                                        "keep one (or use --mapping) and grade again")
        jobs.append(Job(student, lec, notebooks, problems, refused=refused))
    return jobs, unmatched


def discover(source: Path, expected: dict[str, list[str]], mapping: Path | None = None,
             lecture: str | None = None) -> tuple[list[Job], list[str], Path | None]:
    """(jobs, unmatched descriptions, temporary folder to delete or None)."""
    source = Path(source)
    temporary = None
    if source.is_file() and source.suffix == ".zip":
        temporary = Path(tempfile.mkdtemp(prefix="gdl-intake-"))
        unmatched_zip = _unpack_zip(source, temporary)
        source = temporary
    else:
        unmatched_zip = []
    if not source.is_dir():
        raise SystemExit(f"{source}: not a folder or .zip of submissions")
    subfolders = [p for p in source.iterdir() if p.is_dir()]
    if subfolders and mapping is None:
        jobs, unmatched = from_nbgrader_layout(source, expected)
        loose = sorted(p.name for p in source.glob("*.ipynb"))
        unmatched += [f"{name}: a notebook outside <student>/<lecture>/" for name in loose]
    else:
        loose: list[str] = []
        _, files, _ = _entries(source, loose, "")
        jobs, unmatched = from_flat([p for p in files if p.suffix == ".ipynb"], expected, mapping, lecture)
        unmatched = loose + unmatched
    return _refuse_collisions(jobs), unmatched_zip + unmatched, temporary


def _refuse_collisions(jobs: list[Job]) -> list[Job]:
    """Two submissions that map to one (student, lecture), e.g. folders `bob` and `Bob `, are a
    conflict: one job that grades neither, so no one's work silently replaces another's."""
    grouped: dict[tuple[str, str], list[Job]] = {}
    for job in jobs:
        grouped.setdefault((job.student, job.lecture), []).append(job)
    out = []
    for (student, lecture), group in grouped.items():
        if len(group) == 1:
            out.append(group[0])
            continue
        names = sorted({name for job in group for name in job.notebooks} | {name for job in group for name in job.refused})
        why = Failure(str(Reason.CONFLICT), f"{len(group)} submissions map to the student id {student}: "
                                            "none graded; rename one and grade again")
        out.append(Job(student, lecture, {}, [p for job in group for p in job.problems],
                       refused={name: why for name in names} or {"*": why}))
    return out


def _unpack_zip(archive_path: Path, target_dir: Path) -> list[str]:
    """Copy the notebooks of a zip into ``target_dir`` by file name; return what was refused.

    Paths inside the archive are never used as paths (no traversal); two entries with the
    same file name are a conflict and neither is kept; links and huge entries are skipped.
    """
    refused, by_name = [], {}
    with zipfile.ZipFile(archive_path) as archive:
        for member in archive.infolist():
            name = member.filename.replace("\\", "/")
            parts = [part for part in name.split("/") if part]
            if member.is_dir() or not parts or not parts[-1].endswith(".ipynb") or "__MACOSX" in parts:
                continue
            if name.startswith("/") or ".." in parts or ":" in parts[0]:
                refused.append(f"{safe_id(name)}: a path outside the archive: ignored")
                continue
            if (member.external_attr >> 16) & 0o170000 == 0o120000:
                refused.append(f"{safe_id(name)}: a symbolic link in the archive: ignored")
                continue
            if member.file_size > 64 * 2**20:
                refused.append(f"{safe_id(name)}: larger than 64 MiB: ignored")
                continue
            by_name.setdefault(safe_id(parts[-1]), []).append(member)
        for file_name, members in sorted(by_name.items()):
            if len(members) > 1:
                refused.append(f"{file_name}: {len(members)} entries of the archive have this name "
                               f"({', '.join(safe_id(m.filename) for m in members)}): conflict, none graded")
                continue
            with archive.open(members[0]) as reader, open(target_dir / file_name, "wb") as writer:
                shutil.copyfileobj(reader, writer, 1 << 20)
    return refused
