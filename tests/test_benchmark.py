"""The benchmark runner executes a lecture and collects what the notebook records."""

import json
import subprocess
import sys

from notebooks import ROOT


def test_benchmark_collects_recorded_figures(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "benchmark.py"), "--fast", "--no-grading",
         "--lectures", "01-divergences", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (lecture,) = json.loads(out.read_text())
    assert lecture["notebook"] == "01-divergences" and lecture["error"] is None
    names = {figure["name"]: figure["value"] for figure in lecture["figures"]}
    assert abs(names["emd_at_shift_8"] - 8.0) < 0.05
    assert abs(names["jsd_at_shift_8_over_log2"] - 1.0) < 1e-6
    assert "01-divergences" in result.stdout and "emd_at_shift_8" in result.stdout
