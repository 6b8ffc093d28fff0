"""nbgrader configuration for the course (loaded by autograder/grade.py and the tests).

The course root is the repository: instructor sources in solutions/, the student release in
course/, and everything grading produces under grading/ (ignored by git).
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(os.environ.get("GDL_GRADING_DIR", ROOT / "grading"))
WORK.mkdir(parents=True, exist_ok=True)

c.CourseDirectory.course_id = "generative-deep-learning"
c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "course"
# Absolute paths survive nbgrader's os.path.join(root, ...).
c.CourseDirectory.submitted_directory = os.environ.get("GDL_SUBMITTED_DIR", str(WORK / "submitted"))
c.CourseDirectory.autograded_directory = str(WORK / "autograded")
c.CourseDirectory.feedback_directory = str(WORK / "feedback")
# SQLite by default; any SQLAlchemy URL nbgrader supports (postgresql://...) works too.
c.CourseDirectory.db_url = os.environ.get("GDL_GRADEBOOK_URL", f"sqlite:///{WORK / 'gradebook.db'}")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "*.db"]

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Training cells run on a CPU: give each cell minutes, not nbgrader's 30 s default.
c.Execute.timeout = int(os.environ.get("GDL_CELL_TIMEOUT", "600"))
# Grading always runs the short budgets (gdl.env.budget); the kernel inherits this.
os.environ.setdefault("GDL_FAST", "1")

# A Python warning on stderr would zero a test cell whose answer is right; drop those
# outputs before grading (errors are 'error' outputs, never touched by this).
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(?m)^\S.*:\d+: \w*Warning: |^\s*warnings\.warn\("
