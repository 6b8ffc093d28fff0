"""Batch grading plumbing: intake layouts, sharding and merging, checks coverage.

Sharding is tested for real on a small batch (one honest and one untouched student) split in
two shards, one chosen with --shard and one from Slurm's variables, then merged.
"""

import csv
import json
import sys
import zipfile
from pathlib import Path

import pytest

from notebooks import COURSE, ROOT, SOLUTIONS, grade_cells, lectures, read

sys.path.insert(0, str(ROOT / "autograder"))
import intake  # noqa: E402
import shards  # noqa: E402
import verify  # noqa: E402

LECTURE = "01-divergences"
EXPECTED = {LECTURE: [LECTURE], "02-gan": ["02-gan"]}


def test_nbgrader_layout_and_wrong_names(tmp_path):
    (tmp_path / "alice" / LECTURE).mkdir(parents=True)
    (tmp_path / "alice" / LECTURE / f"{LECTURE}.ipynb").write_text("{}")
    (tmp_path / "bob" / LECTURE).mkdir(parents=True)
    (tmp_path / "bob" / LECTURE / "Untitled.ipynb").write_text("{}")
    (tmp_path / "carol" / "99-unknown").mkdir(parents=True)
    jobs, unmatched, _ = intake.discover(tmp_path, EXPECTED)
    by_student = {job.student: job for job in jobs}
    assert set(by_student) == {"alice", "bob"}
    assert "Untitled.ipynb" in by_student["bob"].problems[0]
    assert any("99-unknown" in u for u in unmatched)


def test_flat_folder_zip_and_mapping(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"dave__{LECTURE}.ipynb", "{}")
        z.writestr("submissions/erin_02-gan.ipynb", "{}")
        z.writestr("../../evil_01-divergences.ipynb", "{}")
        z.writestr("random.ipynb", "{}")
    jobs, unmatched, temporary = intake.discover(archive, EXPECTED)
    assert {(j.student, j.lecture) for j in jobs} == {("dave", LECTURE), ("erin", "02-gan")}
    assert all(Path(p).parent == temporary for j in jobs for p in j.notebooks.values()), "zip paths are flattened"
    assert any("random.ipynb" in u for u in unmatched)
    assert any("evil" in u and "outside the archive" in u for u in unmatched), "a climbing path is refused"
    flat = tmp_path / "flat"
    flat.mkdir()
    (flat / "12345-attempt.ipynb").write_text("{}")
    (flat / "unknown.ipynb").write_text("{}")
    mapping = tmp_path / "map.csv"
    mapping.write_text(f"file,student,lecture\n12345-attempt.ipynb,Frank Smith,{LECTURE}\n")
    jobs, unmatched, _ = intake.discover(flat, EXPECTED, mapping=mapping)
    assert [(j.student, j.lecture) for j in jobs] == [("Frank_Smith", LECTURE)]
    assert any("unknown.ipynb" in u for u in unmatched)


def test_shards_partition_students():
    jobs = [intake.Job(f"s{i:02d}", lec, {}) for i in range(7) for lec in ("a", "b")]
    parts = [shards.select(jobs, k, 3) for k in range(3)]
    students = [{j.student for j in part} for part in parts]
    assert set().union(*students) == {f"s{i:02d}" for i in range(7)}
    assert sum(len(s) for s in students) == 7, "each student lands in exactly one shard"
    assert shards.from_environment({"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "3",
                                    "SLURM_ARRAY_TASK_MIN": "3"}) == (1, 3)
    assert shards.from_environment({"JOB_COMPLETION_INDEX": "2", "GDL_SHARD_COUNT": "5"}) == (2, 5)
    assert shards.from_environment({}) is None
    with pytest.raises(SystemExit):
        shards.parse("3/3")


@pytest.mark.parametrize("lecture", lectures())
def test_checks_cover_every_graded_cell(lecture):
    checks = verify.checks_for(lecture)
    if not checks:
        pytest.skip(f"{lecture}: no autograder/checks/{lecture}.py yet: its graded cells are graded "
                    "'unverified' (in-kernel tests only)")
    graded = {c.metadata["nbgrader"]["grade_id"] for p in (SOLUTIONS / lecture).glob("*.ipynb")
              for c in grade_cells(read(p))}
    assert set(checks) == graded, f"checks for {sorted(set(checks) ^ graded)} are missing or stale"
    for grade_id, check in checks.items():
        expected = verify.expected_values(check)
        assert len(expected) == len(check.calls)
        assert any("value" in e for e in expected), f"{grade_id}: no value is checked"


from hostile.attacks import FULL  # noqa: E402
from test_autograder_hostile import FAST, make_workspace, needs_sandbox, run  # noqa: E402


@pytest.mark.skipif(LECTURE not in lectures(), reason=f"{LECTURE} not selected")
@needs_sandbox
def test_shards_then_merge(tmp_path):

    workspace = make_workspace(tmp_path)
    submitted = workspace / "submitted"
    for student, source in (("honest", SOLUTIONS), ("idle", COURSE)):
        (submitted / student / LECTURE).mkdir(parents=True)
        (submitted / student / LECTURE / f"{LECTURE}.ipynb").write_bytes(
            (source / LECTURE / f"{LECTURE}.ipynb").read_bytes())
    first = workspace / "shard-0"
    run(workspace, "autograde", str(submitted), "--shard", "0/2", "--out", str(first), *FAST)
    run(workspace, "autograde", str(submitted), *FAST,
        env={"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "2"})
    second = workspace / "grading" / "shards" / "shard-1-of-2"
    graded = [shards.read_results(folder) for folder in (first, second)]
    assert [len(g) for g in graded] == [1, 1]
    assert not (workspace / "grading" / "gradebook.db").stat().st_size == 0
    run(workspace, "merge", str(first), str(second))
    with open(workspace / "grading" / "grades.csv") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert float(rows["honest"]["score"]) == FULL and float(rows["idle"]["score"]) == 0
    summary = json.loads((workspace / "grading" / "summary.json").read_text())
    assert {r["student"] for r in summary["submissions"]} == {"honest", "idle"}
    assert (workspace / "grading" / "feedback" / "honest" / LECTURE / f"{LECTURE}.html").is_file()


@pytest.mark.skipif(LECTURE not in lectures(), reason=f"{LECTURE} not selected")
@needs_sandbox
def test_an_upload_under_another_students_name_is_a_conflict_not_a_grade(tmp_path):
    """Flat upload: mallory saves the untouched notebook as bob-01-divergences.ipynb next to
    Bob's honest bob_01-divergences.ipynb. Neither is graded (a reported conflict); Alice is."""
    workspace = make_workspace(tmp_path)
    flat = workspace / "flat"
    flat.mkdir()
    honest = (SOLUTIONS / LECTURE / f"{LECTURE}.ipynb").read_bytes()
    (flat / f"alice_{LECTURE}.ipynb").write_bytes(honest)
    (flat / f"bob_{LECTURE}.ipynb").write_bytes(honest)
    (flat / f"bob-{LECTURE}.ipynb").write_bytes((COURSE / LECTURE / f"{LECTURE}.ipynb").read_bytes())
    run(workspace, "autograde", str(flat), LECTURE, *FAST)
    rows = {row["student"]: row for row in json.loads((workspace / "grading" / "summary.json").read_text())["submissions"]}
    assert set(rows) == {"alice", "bob"}
    assert rows["alice"]["score"] == FULL
    assert rows["bob"]["score"] == 0 and "conflict" in rows["bob"]["failures"]
    assert f"bob-{LECTURE}.ipynb" in rows["bob"]["failures"] and f"bob_{LECTURE}.ipynb" in rows["bob"]["failures"]
