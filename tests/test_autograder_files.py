"""What a hostile submission can plant, met at the root (no notebook runs here: fast).

Each test builds the planted thing itself (a FIFO, a link, a deep tree, a forged probe file,
a colliding upload) and checks that the grader's own function refuses it, reports it, or
survives it, instead of blocking, crashing or reading outside the submitted tree.
"""

import json
import os
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest

from notebooks import ROOT

sys.path.insert(0, str(ROOT / "autograder"))
import execute  # noqa: E402
import intake  # noqa: E402
import rebuild  # noqa: E402
import report  # noqa: E402
import safefiles  # noqa: E402
import schema  # noqa: E402
import verify  # noqa: E402


# -- files the parent or a worker reads ----------------------------------------------------------
def test_regular_files_only_never_blocking(tmp_path):
    (tmp_path / "ok.json").write_text("{}")
    assert safefiles.read_regular_file(tmp_path / "ok.json", 100) == b"{}"
    os.mkfifo(tmp_path / "fifo")
    started = time.monotonic()
    with pytest.raises(OSError):
        safefiles.read_regular_file(tmp_path / "fifo", 100)
    assert time.monotonic() - started < 1, "opening a FIFO must not wait for a writer"
    (tmp_path / "link").symlink_to(tmp_path / "ok.json")
    with pytest.raises(OSError):
        safefiles.read_regular_file(tmp_path / "link", 100)
    (tmp_path / "big").write_bytes(b"x" * 101)
    with pytest.raises(ValueError):
        safefiles.read_regular_file(tmp_path / "big", 100)


def _probe_file(folder: Path, value: dict) -> Path:
    path = folder / "cell.json"
    path.write_text(json.dumps({"results": [{"value": value}]}))
    return path


def test_probe_array_replaced_by_a_fifo_fails_verification_at_once(tmp_path):
    os.mkfifo(tmp_path / "cell.json.1.npy")
    started = time.monotonic()
    observation = verify.read_observation(_probe_file(tmp_path, {"t": "numpy.ndarray", "array": "cell.json.1.npy"}))
    assert "error" in observation and time.monotonic() - started < 1


def test_one_large_array_named_many_times_is_read_within_one_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(verify, "MAX_PROBE_BYTES", 1 << 20)
    np.save(tmp_path / "cell.json.1.npy", np.zeros(100_000))   # 800 kB
    items = [{"t": "numpy.ndarray", "array": "cell.json.1.npy"}] * 50
    observation = verify.read_observation(_probe_file(tmp_path, {"t": "builtins.list", "items": items}))
    assert "too large" in observation.get("error", "") or "malformed" in observation.get("error", "")
    single = verify.read_observation(_probe_file(tmp_path, items[0]))
    assert single["results"][0]["value"]["array"].shape == (100_000,)
    notebook_allowance = [900_000]   # shared by a notebook's cells: the second read is refused
    assert "results" in verify.read_observation(_probe_file(tmp_path, items[0]), notebook_allowance)
    assert "error" in verify.read_observation(_probe_file(tmp_path, items[0]), notebook_allowance)
    assert notebook_allowance[0] < 100_000


def test_a_dict_whose_values_are_missing_verifies_nothing():
    check = verify.Check(calls=[verify.Call("f")], reference={"f": lambda: {"kl": 1.0, "jsd": 0.5}})
    expected = verify.expected_values(check)
    forged = {"results": [{"value": {"t": "x.EvilDict", "keys": ["jsd", "kl"], "values": []}}]}
    assert verify.verify(check, expected, forged)
    doubled = {"results": [{"value": {"t": "builtins.dict", "keys": ["kl", "kl"],
                                      "values": [{"t": "builtins.float", "num": 1.0}] * 2}}]}
    assert verify.verify(check, expected, doubled)
    honest = {"results": [{"value": {"t": "builtins.dict", "keys": ["jsd", "kl"],
                                     "values": [{"t": "numpy.float64", "num": 0.5}, {"t": "builtins.float", "num": 1.0}]}}]}
    assert verify.verify(check, expected, honest) is None


def test_numbers_are_compared_by_value_whatever_their_type():
    check = verify.Check(calls=[verify.Call("f")], reference={"f": lambda: 0.25})
    expected = verify.expected_values(check)
    for kind in ("builtins.float", "numpy.float64", "numpy.float32", "numpy.ndarray"):
        assert verify.verify(check, expected, {"results": [{"value": {"t": kind, "num": 0.25}}]}) is None
    assert verify.verify(check, expected, {"results": [{"value": {"t": "builtins.str", "str": "0.25"}}]})


# -- the scratch folder ---------------------------------------------------------------------------
def _deep_tree(root: Path, levels: int) -> None:
    root.mkdir()
    fd = os.open(root, os.O_RDONLY)
    for _ in range(levels):
        os.mkdir("d", dir_fd=fd)
        child = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = child
    os.close(fd)


def test_a_tree_thousands_of_levels_deep_is_measured_and_removed(tmp_path):
    _deep_tree(tmp_path / "scratch", 3000)
    used, entries, depth = execute.tree_usage(tmp_path / "scratch")
    assert depth > execute.MAX_TREE_DEPTH and used > 0
    execute.remove_tree(tmp_path / "scratch")
    assert not (tmp_path / "scratch").exists()


def test_tree_usage_does_not_follow_links(tmp_path):
    (tmp_path / "scratch").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "big").write_bytes(b"x" * 1_000_000)
    (tmp_path / "scratch" / "link").symlink_to(tmp_path / "outside")
    used, entries, depth = execute.tree_usage(tmp_path / "scratch")
    assert used < 100_000 and entries == 1


# -- rebuilding what the student submitted ----------------------------------------------------------
def _template():
    cells = [nbformat.v4.new_code_cell("def f(): raise NotImplementedError()",
                                       metadata={"nbgrader": {"solution": True, "grade_id": "f", "grade": False}}),
             nbformat.v4.new_code_cell("assert f() == 1", metadata={"nbgrader": {"grade": True, "grade_id": "t",
                                                                                   "points": 1, "locked": True}})]
    return rebuild.Template("x", "x", nbformat.writes(nbformat.v4.new_notebook(cells=cells)), {"t": 1.0}, ["f"])


def test_the_last_copy_of_a_duplicated_answer_cell_is_graded_and_reported():
    meta = {"nbgrader": {"solution": True, "grade_id": "f"}}
    submitted = {"cells": [{"cell_type": "code", "source": "def f(): return 0", "metadata": meta},
                           {"cell_type": "code", "source": "def f(): return 1", "metadata": meta}]}
    notebook, notes = rebuild.rebuild(_template(), submitted)
    assert notebook.cells[0].source == "def f(): return 1"
    assert any("appears 2 times" in note for note in notes)


def test_nbformat_3_notebooks_are_upgraded(tmp_path):
    old = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": ""}, "worksheets": [{"cells": [
        {"cell_type": "code", "input": "def f(): return 1", "language": "python", "outputs": [],
         "metadata": {"nbgrader": {"solution": True, "grade_id": "f"}}}]}]}
    (tmp_path / "old.ipynb").write_text(json.dumps(old))
    data, why = rebuild.read_submission(tmp_path / "old.ipynb")
    assert why is None and data["nbformat"] == 4
    notebook, notes = rebuild.rebuild(_template(), data)
    assert notebook.cells[0].source == "def f(): return 1" and not notes


def test_a_linked_or_special_submission_file_is_not_read(tmp_path):
    (tmp_path / "real.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
    (tmp_path / "link.ipynb").symlink_to(tmp_path / "real.ipynb")
    os.mkfifo(tmp_path / "fifo.ipynb")
    assert rebuild.read_submission(tmp_path / "link.ipynb")[0] is None
    assert rebuild.read_submission(tmp_path / "fifo.ipynb")[0] is None


# -- intake: a grade is its student's alone ----------------------------------------------------------
EXPECTED = {"01-divergences": ["01-divergences"]}


def _notebook_file(path: Path, text: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(text)])))


def test_links_in_the_submitted_tree_are_reported_and_never_followed(tmp_path):
    secret = tmp_path / "solutions" / "01-divergences"
    _notebook_file(secret / "01-divergences.ipynb", "secret")
    submitted = tmp_path / "submitted"
    _notebook_file(submitted / "bob" / "01-divergences" / "01-divergences.ipynb", "bob")
    (submitted / "mallory").mkdir()
    (submitted / "mallory" / "01-divergences").symlink_to(secret)
    (submitted / "eve" / "01-divergences").mkdir(parents=True)
    (submitted / "eve" / "01-divergences" / "01-divergences.ipynb").symlink_to(
        submitted / "bob" / "01-divergences" / "01-divergences.ipynb")
    (submitted / "trudy").symlink_to(submitted / "bob")
    jobs, unmatched, _ = intake.discover(submitted, EXPECTED)
    by_student = {job.student: job for job in jobs}
    assert set(by_student) == {"bob", "eve", "mallory"}, "a linked student folder is not a student"
    assert by_student["bob"].notebooks and not by_student["bob"].refused
    for student in ("eve", "mallory"):   # a row that says why, never the linked notebook
        job = by_student[student]
        assert job.notebooks == {}
        failure = job.refused.get("01-divergences") or job.refused.get("*")
        assert failure.reason == "refused" and "symbolic link" in failure.detail
    assert any("trudy is a symbolic link" in u for u in unmatched)


def test_a_flat_upload_named_after_another_student_is_a_conflict(tmp_path):
    _notebook_file(tmp_path / "bob_01-divergences.ipynb", "bob")
    _notebook_file(tmp_path / "bob-01-divergences.ipynb", "mallory")
    jobs, _, _ = intake.discover(tmp_path, EXPECTED)
    assert len(jobs) == 1 and jobs[0].notebooks == {}
    failure = jobs[0].refused["01-divergences"]
    assert failure.reason == "conflict" and "none graded" in failure.detail


def test_student_ids_that_collide_after_cleaning_are_a_conflict(tmp_path):
    _notebook_file(tmp_path / "bob" / "01-divergences" / "01-divergences.ipynb")
    _notebook_file(tmp_path / "bob " / "01-divergences" / "01-divergences.ipynb")
    jobs, _, _ = intake.discover(tmp_path, EXPECTED)
    assert len(jobs) == 1 and jobs[0].notebooks == {} and jobs[0].refused


def test_zip_entries_are_checked_for_traversal_and_duplicates(tmp_path):
    text = nbformat.writes(nbformat.v4.new_notebook())
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a/bob_01-divergences.ipynb", text)
        zf.writestr("b/bob_01-divergences.ipynb", text)
        zf.writestr("../../eve_01-divergences.ipynb", text)
        zf.writestr("alice_01-divergences.ipynb", text)
    jobs, unmatched, temporary = intake.discover(archive, EXPECTED)
    try:
        assert [job.student for job in jobs] == ["alice"]
        assert any("conflict" in u for u in unmatched) and any("outside the archive" in u for u in unmatched)
        assert not (tmp_path.parent / "eve_01-divergences.ipynb").exists()
    finally:
        intake.shutil.rmtree(temporary, ignore_errors=True)


@pytest.mark.parametrize("text", ["99999-01-01", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
                                  "not a time", "\udc80"])
def test_absurd_timestamps_are_ignored(tmp_path, text):
    (tmp_path / "timestamp.txt").write_bytes(text.encode("utf-8", "surrogateescape"))
    assert intake._timestamp(tmp_path) is None


# -- what the grader writes is inert ------------------------------------------------------------
def test_student_text_is_escaped_and_outputs_made_inert(tmp_path):
    cell = nbformat.v4.new_code_cell("x", metadata={"nbgrader": {"grade": True, "grade_id": "t", "points": 1}})
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/html": "<script>alert(1)</script>", "application/javascript": "alert(2)", "text/plain": "ok"}),
        nbformat.v4.new_output("execute_result", data={"text/html": "<img src=x onerror=alert(3)>"}, execution_count=1)]
    text = nbformat.writes(nbformat.v4.new_notebook(cells=[cell]))
    header = "- " + __import__("html").escape("<img src=x onerror=alert(4)> \ud800 \x1b[31m")
    page = tmp_path / "feedback.html"
    scores = [schema.CellScore("t", 0, 1, schema.Status.FAILED, "<b onmouseover=alert(5)>", "<i onclick=alert(6)>")]
    report.write_feedback(page, text, "marker", scores, header)
    body = page.read_text(encoding="utf-8")
    for payload in ("alert(1)", "alert(2)", "alert(3)", "<img src=x onerror", "<b onmouseover", "<i onclick",
                    "<script>alert"):
        assert payload not in body, payload
    assert report.printable("a\x1b[31mb\ud800") == "a\\x1b[31mb\\ud800"


# -- one schema for every step ----------------------------------------------------------------
def test_records_round_trip_through_json_with_their_enums():
    record = schema.Record("bob", "01-divergences", "2026-01-01T00:00:00+00:00", ["a note"], 3.5, {
        "nb": schema.NotebookRecord([schema.CellScore("t", 1.0, 2.0, schema.Status.VERIFICATION_FAILED, "why", "err")],
                                    schema.Failure(str(schema.Reason.CELL_TIMEOUT), "cell 3"), ["n"], {"a": True}, 1.5, "m")})
    data = json.loads(json.dumps(record.to_json()))
    assert data["notebooks"]["nb"]["scores"][0]["status"] == "verification failed"
    assert data["notebooks"]["nb"]["failure"] == {"reason": "cell timeout", "detail": "cell 3"}
    again = schema.Record.from_json(data)
    assert again == record and again.notebooks["nb"].scores[0].status is schema.Status.VERIFICATION_FAILED
    assert again.notebooks["nb"].earned == 1.0 and again.notebooks["nb"].maximum == 2.0
    with pytest.raises(ValueError):
        schema.Record.from_json({**data, "notebooks": {"nb": {"scores": [{**data["notebooks"]["nb"]["scores"][0],
                                                                          "status": "bribed"}]}}})


def test_a_batch_scratch_root_is_cleared_whatever_crashed_workers_left(tmp_path):
    root = tmp_path / "gdl-batch-x"
    _deep_tree(root, 500)
    mounted = execute.mount_quota(root / "d", 1 << 20)   # as root: a tmpfs left mounted by a killed worker
    (root / "d" / "file").write_bytes(b"x" * 100)
    execute.clear_scratch_root(root)
    assert not root.exists()
    if mounted:
        assert str(root) not in Path("/proc/mounts").read_text()
