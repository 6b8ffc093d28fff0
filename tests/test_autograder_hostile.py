"""Hostile submissions for lecture 01, graded as ONE batch with 2 workers under the sandbox.

None may gain a point it did not earn, none may stop the batch; the solution still earns
full marks and the untouched notebook zero. The attacks are in tests/hostile/attacks.py.
"""

import csv
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

import grading_workspace
from hostile.attacks import FULL, GRADED_CELLS, LECTURE, attacks, selected, write_suite
from notebooks import ROOT, lectures

sys.path.insert(0, str(ROOT / "autograder"))
import sandbox  # noqa: E402

SANDBOX_WORKS, SANDBOX_WHY = sandbox.check()
# Where `make sandbox` can install bubblewrap (root on Debian/Ubuntu: CI) the tests must run,
# and fail loudly when the sandbox does not work; elsewhere they skip and say why.
SANDBOX_REQUIRED = bool(os.environ.get("GDL_REQUIRE_SANDBOX")) or (
    sys.platform == "linux" and os.geteuid() == 0 and shutil.which("apt-get") is not None)
needs_sandbox = pytest.mark.skipif(not SANDBOX_WORKS and not SANDBOX_REQUIRED,
                                   reason=f"no sandbox on this machine: {SANDBOX_WHY}")

pytestmark = [
    pytest.mark.skipif(LECTURE not in lectures(), reason=f"{LECTURE} is not selected (GDL_LECTURES)"),
    needs_sandbox,
]


def make_workspace(tmp: Path) -> Path:
    """A scratch course with lecture 01 released (the grader's gradebook lives in it)."""
    return grading_workspace.release(tmp, [LECTURE])


run = grading_workspace.grade


FAST = ["--workers", "2", "--cell-timeout", "30", "--notebook-timeout", "150", "--memory-limit", "4G",
        "--disk-quota", "200M", "--file-size-limit", "64M", "--no-progress"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    workspace = make_workspace(tmp_path_factory.mktemp("hostile"))
    suite = write_suite(workspace)
    submitted = workspace / "submitted"
    result = run(workspace, "autograde", str(submitted), LECTURE, *FAST)
    return workspace, suite, grading_workspace.results(workspace / "grading"), result.stdout


def _cells(record):
    return [cell for notebook in record["notebooks"].values() for cell in notebook["scores"]]


def _reasons(record):
    return [nb["failure"]["reason"] for nb in record["notebooks"].values() if nb.get("failure")]


@pytest.mark.parametrize("name", [a.name for a in selected(attacks("/"))])
def test_attack_earns_nothing_it_did_not_earn(hostile, name):
    workspace, suite, records, _ = hostile
    attack = next(a for a in suite if a.name == name)
    assert name in records, f"{name} was not graded: the batch lost it"
    record = records[name]
    cells = _cells(record)
    assert len(cells) == GRADED_CELLS and sum(c["max_score"] for c in cells) == FULL, "points come from the gradebook"
    earned = sum(c["score"] or 0 for c in cells)
    assert earned == attack.score, f"{name}: earned {earned}, expected {attack.score}: {cells}"
    if attack.reason:
        assert any(attack.reason in r for r in _reasons(record)), f"{name}: reasons {_reasons(record)}"
    if attack.status:
        assert any(c["status"] == attack.status for c in cells), f"{name}: statuses {[c['status'] for c in cells]}"
    for page in (workspace / "grading" / "feedback" / name).rglob("*.html"):   # the student's code is
        text = page.read_text(encoding="utf-8", errors="replace")                # shown escaped: no "<"
        leaked = [p for p in attack.not_in_outputs if p in text]
        assert not leaked, f"{name}: {page.relative_to(workspace)} holds live markup {leaked}"
    for copy in (workspace / "grading" / "autograded" / name).rglob("*.ipynb"):
        outputs = json.dumps([c.get("outputs", []) for c in json.loads(copy.read_text())["cells"]])
        leaked = [p for p in attack.not_in_outputs if json.dumps(p)[1:-1] in outputs]
        assert not leaked, f"{name}: the outputs of {copy.relative_to(workspace)} hold {leaked}"
    for sentinel in attack.sentinels:
        path = Path(sentinel) if sentinel.startswith("/") else workspace / sentinel
        assert not path.exists(), f"{name} wrote {path} outside its scratch folder"


def test_batch_reports_every_problem(hostile):
    workspace, suite, records, stdout = hostile
    assert set(records) == {a.name for a in suite}
    summary = json.loads((workspace / "grading" / "summary.json").read_text())
    rows = {row["student"]: row for row in summary["submissions"]}
    assert "malformed notebook" in rows["malformed_json"]["failures"]
    assert "homework.ipynb" in rows["wrong_name"]["notes"]
    assert "solution" in stdout and f"{FULL:g} / {FULL:g}" in stdout
    assert "appears 2 times" in rows["duplicate_answers"]["notes"]
    grades = (workspace / "grading" / "grades.csv").read_text()
    assert "solution" in grades and "infinite_loop" in grades


def test_feedback_hides_hidden_tests(hostile):
    workspace, suite, records, _ = hostile
    for name in ("untouched", "solution", "always_equal"):
        page = (workspace / "grading" / "feedback" / name / LECTURE / f"{LECTURE}.html").read_text()
        assert "HIDDEN TESTS" not in page and "_reference_kl" not in page and "gdl-hidden" not in page
        assert "Score:" in page


def test_attack_table(hostile, capsys):
    """Print the table of attacks and outcomes (also what `make bench` reports)."""
    _, suite, records, _ = hostile
    with capsys.disabled():
        print(f"\n{'attack':<24} {'score':>7}  outcome")
        for attack in suite:
            record = records[attack.name]
            cells = _cells(record)
            reasons = ", ".join(sorted(set(_reasons(record)))) or ", ".join(sorted({c["status"] for c in cells}))
            print(f"{attack.name:<24} {sum(c['score'] or 0 for c in cells):>3g} / {FULL:g}  {reasons}")


def test_report_page_plots_and_wide_export(hostile):
    """`grade.py report` on the hostile batch: a page, four plots, one column per lecture."""
    workspace, suite, records, _ = hostile
    run(workspace, "report")
    folder = workspace / "grading" / "report"
    page = (folder / "index.html").read_text(encoding="utf-8")
    for image in ("scores.png", "cells.png", "failures.png", "seconds.png"):
        assert (folder / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", image
        assert image in page
    assert "cell timeout" in page and "test_kl_divergence" in page
    assert "<script>" not in page and "alert('gdl-xss" not in page
    with open(workspace / "grading" / "grades-wide.csv", encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {a.name for a in suite}
    assert float(rows["solution"][LECTURE]) == FULL == float(rows["solution"]["total"])
    assert float(rows["untouched"][LECTURE]) == 0
    cells = json.loads((folder / "summary.json").read_text())["cells"]
    kl = cells[f"{LECTURE}:test_kl_divergence"]
    assert kl["attempts"] == len(suite) and 0 < kl["passed"] < len(suite) and kl["messages"]
