"""Shared test set-up: fast budgets everywhere, run-time and grading-stage tables."""

import os

from notebooks import ANSWER_STAGES, CORRECT_COUNTS, RUN_TIMES

# Every kernel the tests start inherits this: notebooks train with their short budgets.
os.environ["GDL_FAST"] = "1"


def pytest_terminal_summary(terminalreporter):
    if RUN_TIMES:
        terminalreporter.section("notebook run times (GDL_FAST=1, this machine)")
        for name, seconds in sorted(RUN_TIMES.items()):
            terminalreporter.write_line(f"{seconds:8.1f} s  {name}")
    if ANSWER_STAGES or CORRECT_COUNTS:
        terminalreporter.section("which grading stage catches each wrong answer")
        terminalreporter.write_line(f"{'lecture':22} {'wrong':>5} {'kernel only':>11} {'probe only':>10} "
                                    f"{'both':>5} {'none':>5} {'correct variants':>16}")
        for lecture in sorted(set(ANSWER_STAGES) | set(CORRECT_COUNTS)):
            stages = list(ANSWER_STAGES.get(lecture, {}).values())
            kernel_only = sum(k and not p for k, p in stages)
            probe_only = sum(p is True and not k for k, p in stages)
            both = sum(k and p is True for k, p in stages)
            missed = sum(not k and not p for k, p in stages)
            terminalreporter.write_line(f"{lecture:22} {len(stages):5} {kernel_only:11} {probe_only:10} "
                                        f"{both:5} {missed:5} {CORRECT_COUNTS.get(lecture, 0):16}")
        if os.environ.get("GDL_STAGE_DETAILS"):
            for lecture, stages in sorted(ANSWER_STAGES.items()):
                for (grade_id, name), (kernel, probe) in sorted(stages.items()):
                    where = "+".join(s for s, hit in (("kernel", kernel), ("probe", probe)) if hit) or "NONE"
                    terminalreporter.write_line(f"  {lecture}:{grade_id}:{name}: {where}")
