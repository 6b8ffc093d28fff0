"""Grade a batch: intake -> workers (sandboxed execution) -> scores -> gradebook and reports.

Workers only execute notebooks and read the probes' files; everything that writes (results,
gradebook, feedback, summary) happens here in the parent, one submission at a time.
"""

from __future__ import annotations

import dataclasses
import html
import json
import multiprocessing
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import nbformat
from nbgrader import utils
from tqdm.auto import tqdm

import course as course_module
import execute
import intake
import rebuild
import report
import sandbox
import score
import shards
import verify
from schema import Failure, NotebookRecord, NotebookRun, Reason, Record, SubmissionRun


def load_templates(course, lectures: list[str]) -> dict[str, dict[str, rebuild.Template]]:
    templates = {}
    for lecture in lectures:
        folder = course.release / lecture
        notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
        if not notebooks:
            raise SystemExit(f"{lecture}: no released notebook in {folder}: run `grade.py release` first")
        templates[lecture] = {p.stem: rebuild.build_template(lecture, p, course.db_url) for p in notebooks}
    return templates


def _answered(run: NotebookRun, template: rebuild.Template) -> dict[str, bool]:
    if not run.notebook:
        return {gid: False for gid in template.answers}
    notebook = nbformat.reads(run.notebook, as_version=4)
    answered = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") in template.answers:
            answered[meta["grade_id"]] = meta.get("checksum") != utils.compute_checksum(cell)
    return answered


def make_record(result: SubmissionRun, templates: dict, checks: dict, expected: dict, course,
                require_verification: bool, timestamp: str | None) -> Record:
    record = Record(result.student, result.lecture, timestamp, list(result.problems), result.seconds)
    for name, template in templates.items():
        run = result.notebooks.get(name) or NotebookRun(failure=Failure(str(Reason.GRADER_ERROR), "no result"))
        scores = score.score_notebook(template, run, checks, expected, course.ignore_pattern, require_verification)
        record.notebooks[name] = NotebookRecord(scores, run.failure, list(run.notes), _answered(run, template),
                                                run.seconds, run.marker)
    return record


def _save_outputs(out: Path, record: Record, result: SubmissionRun | None) -> None:
    """The autograded notebook (instructor's copy) and the student's feedback HTML."""
    student, lecture = record.student, record.lecture
    safe = lambda value: html.escape(report.printable(value))   # noqa: E731  (student text)
    for name, notebook in record.notebooks.items():
        graded = out / "autograded" / student / lecture / f"{name}.ipynb"
        if result is not None:
            run = result.notebooks.get(name)
            text = run.notebook if run else None
            if text:
                executed = nbformat.reads(text, as_version=4)
                report.inert_outputs(executed)   # formgrader renders this copy in a browser
                text = nbformat.writes(executed)
                graded.parent.mkdir(parents=True, exist_ok=True)
                graded.write_text(text, encoding="utf-8", errors="backslashreplace")
        else:
            text = graded.read_text(encoding="utf-8") if graded.is_file() else None
        lines = [f"# Feedback: {safe(lecture)} / {safe(name)}", f"Student: `{safe(student)}`", "",
                 f"**Score: {notebook.earned:g} / {notebook.maximum:g}**"]
        if notebook.failure:
            lines += ["", f"Grading stopped early: **{safe(notebook.failure.reason)}** - {safe(notebook.failure.detail)}"]
        lines += [f"- {safe(note)}" for note in notebook.notes + record.problems]
        report.write_feedback(out / "feedback" / student / lecture / f"{name}.html", text, notebook.marker,
                              notebook.scores, "\n".join(lines))


def _finish(job, result: SubmissionRun, templates: dict, checks: dict, expected: dict, course, out: Path,
            results_file: Path, require_verification: bool, write_gradebook: bool) -> Record:
    """Record, outputs, feedback and gradebook row of one submission. Whatever fails here
    becomes this student's "grader error", and the batch goes on with the others."""
    try:
        record = make_record(result, templates, checks, expected, course, require_verification, job.timestamp)
    except Exception as error:
        result = SubmissionRun.grader_error(job.student, job.lecture, templates, job.problems,
                                            f"could not score the submission ({type(error).__name__}: {error})")
        record = make_record(result, templates, checks, expected, course, require_verification, None)
    steps = [("outputs and feedback", lambda: _save_outputs(out, record, result))]
    if write_gradebook:
        steps.append(("gradebook", lambda: report.write_gradebook(course.db_url, record)))
    for what, step in steps:
        try:
            step()
        except Exception as error:
            detail = f"could not write the {what} ({type(error).__name__}: {str(error)[:200]})"
            for notebook in record.notebooks.values():
                notebook.failure = notebook.failure or Failure(str(Reason.GRADER_ERROR), detail)
            record.problems.append(detail)
    with open(results_file, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record.to_json()) + "\n")
    return record


def run(source: Path, *, lectures: list[str] | None = None, workers: int | None = None,
        settings: execute.Settings | None = None, out: Path | None = None, shard: tuple[int, int] | None = None,
        mapping: Path | None = None, write_gradebook: bool = True, require_verification: bool = False,
        progress: bool = True, quiet: bool = False) -> list[dict]:
    """Grade every submission under ``source``; return the summary rows."""
    course = course_module.load()
    settings = settings or execute.Settings(cell_timeout=course.cell_timeout)
    available = course.lectures()
    released = [lec for lec in available if (course.release / lec).is_dir()]
    wanted = [lec for lec in (lectures or released)]
    for lecture in wanted:
        if lecture not in available:
            raise SystemExit(f"unknown lecture {lecture!r} (known: {', '.join(available)})")
    expected_names = {lec: sorted(p.stem for p in (course.release / lec).glob("*.ipynb")) for lec in wanted}
    jobs, unmatched, temporary = intake.discover(source, expected_names, mapping,
                                                 lectures[0] if lectures and len(lectures) == 1 else None)
    # Every scratch folder of this batch lives under one root that the parent removes at the
    # end, so a worker that crashed (or was killed) leaves nothing behind on the host.
    scratch_root = Path(tempfile.mkdtemp(prefix="gdl-batch-", dir=settings.scratch_root))
    os.chmod(scratch_root, 0o711)   # sandbox uids may reach their own folder, not list the others
    uid_base = sandbox.claim_uid_base() if not settings.unsafe_no_sandbox and os.geteuid() == 0 \
        else settings.uid_base   # a uid block no other grader on this machine holds
    settings = dataclasses.replace(settings, scratch_root=str(scratch_root), uid_base=uid_base)
    try:
        if shard:
            jobs = shards.select(jobs, *shard)
        present = sorted({job.lecture for job in jobs})
        templates = load_templates(course, present)
        checks = {lec: verify.checks_for(lec) for lec in present}
        expected = {lec: {gid: verify.expected_values(check) for gid, check in checks[lec].items()}
                    for lec in present}
        # Workers get only what the kernel may see: probe inputs, never references or expectations.
        probes = {lec: {gid: verify.probe_spec(check) for gid, check in checks[lec].items()} for lec in present}
        out = Path(out or course.work)
        out.mkdir(parents=True, exist_ok=True)
        results_file = out / "results.jsonl"
        results_file.write_text("")
        records = []
        workers = max(1, workers or os.cpu_count() or 1)
        pending = list(jobs)
        bar = tqdm(total=len(jobs), unit="submission", disable=not progress, desc="grading")
        restarts = 0
        while pending:
            context = multiprocessing.get_context("spawn")
            slots = context.Queue()
            for slot in range(workers):
                slots.put(slot)
            crashed: list = []
            with ProcessPoolExecutor(max_workers=min(workers, len(pending)), mp_context=context,
                                     initializer=execute.init_worker, initargs=(slots,)) as pool:
                futures = {pool.submit(execute.grade_submission, job, templates[job.lecture],
                                       probes[job.lecture], settings): job for job in pending}
                for future in as_completed(futures):
                    job = futures[future]
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        crashed.append(job)
                        continue
                    except Exception as error:  # a bug in the grader: report it, keep going
                        result = SubmissionRun.grader_error(job.student, job.lecture, templates[job.lecture],
                                                            job.problems, f"{type(error).__name__}: {error}")
                    records.append(_finish(job, result, templates[job.lecture], checks[job.lecture],
                                           expected[job.lecture], course, out, results_file,
                                           require_verification, write_gradebook))
                    bar.update(1)
            pending = crashed
            restarts += 1
            if pending and restarts > 2:
                for job in pending:   # the same steps as any other submission: row, feedback, gradebook
                    result = SubmissionRun.grader_error(job.student, job.lecture, templates[job.lecture],
                                                        job.problems, "the worker crashed three times")
                    records.append(_finish(job, result, templates[job.lecture], checks[job.lecture],
                                           expected[job.lecture], course, out, results_file,
                                           require_verification, write_gradebook))
                    bar.update(1)
                pending = []
        bar.close()
        rows = report.write_summary(out, records, unmatched)
        if write_gradebook:
            report.export_csv(course.db_url, out / "grades.csv")
        if not quiet:
            report.print_table(rows, unmatched)
        return rows
    finally:
        execute.clear_scratch_root(scratch_root)
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


def merge(shard_dirs: list[Path], out: Path | None = None, quiet: bool = False) -> list[dict]:
    """Replay shard results into the gradebook; one grades CSV and one summary."""
    course = course_module.load()
    out = Path(out or course.work)
    out.mkdir(parents=True, exist_ok=True)
    records, unmatched = shards.merge_files([Path(d) for d in shard_dirs], out)
    for record in sorted(records, key=lambda r: (r.student, r.lecture)):
        report.write_gradebook(course.db_url, record)
    (out / "results.jsonl").write_text("".join(json.dumps(r.to_json()) + "\n" for r in records), encoding="utf-8")
    rows = report.write_summary(out, records, unmatched)
    report.export_csv(course.db_url, out / "grades.csv")
    if not quiet:
        report.print_table(rows, unmatched)
    return rows


def feedback(out: Path | None = None) -> int:
    """Rewrite every feedback HTML from results.jsonl and the autograded notebooks."""
    course = course_module.load()
    out = Path(out or course.work)
    records = shards.read_results(out)
    for record in records:
        _save_outputs(out, record, None)
    return len(records)
