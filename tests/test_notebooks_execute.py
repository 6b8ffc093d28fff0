"""Every solution notebook executes without error under nbval, with GDL_FAST=1."""

import os
import subprocess
import sys
import time

import pytest

from notebooks import ROOT, RUN_TIMES, solution_notebooks


@pytest.mark.parametrize("notebook", solution_notebooks(), ids=lambda p: p.name)
def test_solution_notebook_executes(notebook):
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "--nbval-lax", "--nbval-current-env", "--nbval-cell-timeout=600",
        str(notebook.relative_to(ROOT)),
    ]
    env = dict(os.environ, GDL_FAST="1")
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    RUN_TIMES[f"{notebook.parent.name}/{notebook.name}"] = time.perf_counter() - start
    assert result.returncode == 0, f"nbval failed on {notebook}:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
