"""tools/tune.py reruns lecture 02's and 05's training from the solution notebooks' code."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def tune(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "tools/tune.py"), *args], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


def test_ring_runs_are_reported_per_seed_and_repeat_exactly():
    first = tune("ring", '{"steps": 25, "final_batch": 512}', "--seeds", "0", "3")
    second = tune("ring", '{"steps": 25, "final_batch": 512}', "--seeds", "3")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    rows = [json.loads(line) for line in first.stdout.splitlines()]
    assert [row["seed"] for row in rows] == [0, 3]
    for row in rows:
        assert row["study"] == "ring" and row["settings"] == {"steps": 25, "final_batch": 512}
        assert 0 <= row["modes"] <= 8 and 0.0 <= row["high_quality"] <= 1.0 and row["cpu_seconds"] >= 0
    again = json.loads(second.stdout)
    assert (again["modes"], again["high_quality"]) == (rows[1]["modes"], rows[1]["high_quality"]), \
        "the same settings and seed must give the same result"


def test_dcgan_reports_both_generators_at_each_checkpoint():
    result = tune("dcgan", '{"steps": 4, "checkpoints": [2], "topk_gamma": 0.5}')
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["step"] for row in rows] == [2, 4]
    for row in rows:
        for generator in ("ema", "raw"):
            assert 1.0 <= row[generator]["inception_score"] <= 10.0 and row[generator]["frechet"] > 0
    plain = tune("dcgan", '{"steps": 4, "checkpoints": [2]}')
    assert plain.returncode == 0, plain.stderr
    assert [json.loads(line)["raw"] for line in plain.stdout.splitlines()][-1] != rows[-1]["raw"], \
        "top-k training must change the generator's updates"


@pytest.mark.parametrize("settings, message", [('{"stepz": 3}', "unknown settings ['stepz']"),
                                               ("[1, 2]", "must be a JSON object"),
                                               ("{steps: 3}", "must be a JSON object")])
def test_bad_settings_are_refused_with_a_clear_message(settings, message):
    result = tune("ring", settings)
    assert result.returncode != 0 and message in result.stderr, result.stderr
