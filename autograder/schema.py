"""The grader's records, one typed schema for every step: worker, score, report, merge, bench.

A worker returns a ``SubmissionRun`` (what happened in the kernel, plain data only); the
parent scores it into a ``Record`` (points per graded cell), which is what ``results.jsonl``
holds, one JSON object per line (``Record.to_json`` / ``Record.from_json``), and what the
gradebook, the summary, the feedback, ``merge`` and the report read. Statuses and failure
reasons are enums whose values are the words the summary prints.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Status(str, Enum):
    """What became of one graded cell."""

    PASSED = "passed"
    FAILED = "failed"                            # error output, or the kernel's reply was an error
    VERIFICATION_FAILED = "verification failed"  # the out-of-kernel check disagreed
    NOT_RUN = "not run"                          # the notebook stopped before this cell
    UNVERIFIED = "unverified"                    # no out-of-kernel check exists for it
    MANUAL = "manual"                            # an answer an instructor grades by hand

    def __str__(self) -> str:
        return self.value


class Reason(str, Enum):
    """Why a notebook could not be graded to the end."""

    CELL_TIMEOUT = "cell timeout"
    WALL_CLOCK = "wall-clock limit"
    KERNEL_DIED = "kernel died"
    MEMORY = "memory limit"
    OUTPUT = "output limit"
    DISK = "disk quota"
    PROCESSES = "process limit"
    MALFORMED = "malformed notebook"
    MISSING = "missing notebook"
    CONFLICT = "conflict"                        # two files claim one student's notebook
    REFUSED = "refused"                          # a link or special file: never read
    EXECUTION_ERROR = "execution error"
    GRADER_ERROR = "grader error"

    def __str__(self) -> str:
        return self.value


@dataclass
class Failure:
    reason: str          # one Reason, or several joined by ", " (a timeout and a MemoryError)
    detail: str = ""

    @classmethod
    def from_json(cls, data: dict | None) -> Failure | None:
        return None if not data else cls(str(data.get("reason", "")), str(data.get("detail", "")))


# -- worker -> parent --------------------------------------------------------------------------
@dataclass
class CellRun:
    ran: bool
    reply: str | None    # the kernel's reply status: "ok", "error", or None without a reply


@dataclass
class NotebookRun:
    """One notebook of a submission, as the worker saw it run."""

    notebook: str | None = None                      # the executed notebook (nbformat JSON)
    cells: dict[str, CellRun] = field(default_factory=dict)   # graded cells by grade_id
    observations: dict[str, dict] = field(default_factory=dict)  # probe outputs, read as data
    failure: Failure | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    marker: str = ""                                 # printed where hidden tests start


@dataclass
class SubmissionRun:
    student: str
    lecture: str
    notebooks: dict[str, NotebookRun] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @classmethod
    def grader_error(cls, student: str, lecture: str, names, problems: list[str], detail: str) -> SubmissionRun:
        """Every notebook failed with a grader error (a crashed worker, a bug of ours)."""
        return cls(student, lecture, {name: NotebookRun(failure=Failure(Reason.GRADER_ERROR, detail[:500]))
                                      for name in names}, list(problems))


# -- parent: scores and records ----------------------------------------------------------------
@dataclass
class CellScore:
    grade_id: str
    score: float | None
    max_score: float
    status: Status
    why: str = ""
    stderr: str = ""     # what the test cell wrote to stderr (not counted), for the feedback


@dataclass
class NotebookRecord:
    scores: list[CellScore]
    failure: Failure | None = None
    notes: list[str] = field(default_factory=list)
    answered: dict[str, bool] = field(default_factory=dict)
    seconds: float = 0.0
    marker: str = ""

    @property
    def earned(self) -> float:
        return sum(cell.score or 0.0 for cell in self.scores)

    @property
    def maximum(self) -> float:
        return sum(cell.max_score for cell in self.scores)


@dataclass
class Record:
    """One graded submission: a line of results.jsonl."""

    student: str
    lecture: str
    timestamp: str | None = None
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    notebooks: dict[str, NotebookRecord] = field(default_factory=dict)

    def to_json(self) -> dict:
        data = asdict(self)
        for notebook in data["notebooks"].values():
            for cell in notebook["scores"]:
                cell["status"] = str(cell["status"])
        return data

    @classmethod
    def from_json(cls, data: dict) -> Record:
        notebooks = {}
        for name, notebook in data.get("notebooks", {}).items():
            scores = [CellScore(c["grade_id"], c["score"], c["max_score"], Status(c["status"]),
                                c.get("why", ""), c.get("stderr", "")) for c in notebook.get("scores", [])]
            notebooks[name] = NotebookRecord(scores, Failure.from_json(notebook.get("failure")),
                                             list(notebook.get("notes", [])), dict(notebook.get("answered", {})),
                                             float(notebook.get("seconds", 0) or 0), notebook.get("marker", ""))
        return cls(data["student"], data["lecture"], data.get("timestamp"), list(data.get("problems", [])),
                   float(data.get("seconds", 0) or 0), notebooks)
