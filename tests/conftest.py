"""Shared test set-up: fast budgets everywhere, and a run-time table for notebooks."""

import os

from notebooks import RUN_TIMES

# Every kernel the tests start inherits this: notebooks train with their short budgets.
os.environ["GDL_FAST"] = "1"


def pytest_terminal_summary(terminalreporter):
    if not RUN_TIMES:
        return
    terminalreporter.section("notebook run times (GDL_FAST=1, this machine)")
    for name, seconds in sorted(RUN_TIMES.items()):
        terminalreporter.write_line(f"{seconds:8.1f} s  {name}")
