"""The course's nbgrader settings, read from nbgrader_config.py (the single source of truth)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

AUTOGRADER_DIR = Path(__file__).resolve().parent
ROOT = AUTOGRADER_DIR.parent


@dataclass(frozen=True)
class Course:
    root: Path
    release: Path          # course/: the released student notebooks (the templates)
    source: Path           # solutions/
    work: Path             # grading/
    db_url: str
    course_id: str
    cell_timeout: int
    ignore_pattern: str | None

    def lectures(self) -> list[str]:
        """Lecture folders under solutions/ (nbgrader assignments) that hold notebooks."""
        if not self.source.is_dir():
            return []
        return sorted(p.name for p in self.source.iterdir()
                      if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.ipynb")))


def load() -> Course:
    """Load nbgrader_config.py as nbgrader would (environment variables included)."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(AUTOGRADER_DIR)).load_config()
    directory = config.CourseDirectory
    root = Path(directory.root)
    pattern = config.IgnorePattern.pattern if config.IgnorePattern.get("enabled", False) else None
    return Course(
        root=root,
        release=root / directory.release_directory,
        source=root / directory.source_directory,
        work=Path(os.environ.get("GDL_GRADING_DIR", root / "grading")),
        db_url=directory.db_url,
        course_id=directory.course_id,
        cell_timeout=int(config.Execute.timeout),
        ignore_pattern=pattern,
    )
