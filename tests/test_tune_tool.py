"""tools/tune.py reruns lecture 02's and 05's training from the solution notebooks' code."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def tune_module():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import tune as tool
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return tool


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
        assert set(row["jbt"]) == {"0.05", "0.1"}
        assert all(0 <= jbt["modes"] <= 8 and 0.0 <= jbt["high_quality"] <= 1.0 for jbt in row["jbt"].values())
    again = json.loads(second.stdout)
    scores = ("modes", "high_quality", "jbt")
    assert [again[name] for name in scores] == [rows[1][name] for name in scores], \
        "the same settings and seed must give the same result"


def test_the_tools_defaults_are_the_notebooks_wgan_gp_setting(monkeypatch):
    import inspect

    monkeypatch.setenv("GDL_FAST", "0")  # the full-mode budgets
    tool = tune_module()
    nb = tool.solution_namespace("ring")
    gp, shared, defaults = nb["RING_METHODS"]["wgan_gp"], nb["RING_SHARED"], tool.RING_DEFAULTS
    mlp = inspect.signature(nb["mlp"]).parameters
    assert defaults["steps"] == shared["generator_steps"] and defaults["batch"] == defaults["final_batch"] == shared["batch"]
    assert defaults["generator_lr"] == defaults["critic_lr"] == gp["lr"] and tuple(defaults["betas"]) == gp["betas"]
    assert defaults["critic_steps"] == defaults["final_critic_steps"] == gp["critic_steps"] and defaults["lam"] == gp["lam"]
    assert (defaults["burst_critic_steps"], defaults["burst_first"], defaults["burst_every"]) == \
        (gp["burst"]["steps"], gp["burst"]["first"], gp["burst"]["every"])
    assert defaults["latent"] == nb["LATENT_DIM"]
    assert defaults["generator_width"] == defaults["critic_width"] == mlp["width"].default
    assert defaults["generator_depth"] == defaults["critic_depth"] == mlp["hidden_layers"].default
    # what the notebook does not do: no hold, warm-up, weight average or leaky units
    assert not any(defaults[name] for name in ("hold_fraction", "warmup_fraction", "ema", "generator_leak"))
    assert [nb["second_player_steps"](gp, step) for step in (1, 25, 26, 499, 500, 501)] == [100, 100, 5, 5, 100, 5]


def test_one_forward_changes_only_the_rounding_of_the_critic_step():
    import torch

    tool = tune_module()
    nb = tool.solution_namespace("ring")
    gradients = {}
    for one_forward in (False, True):
        torch.manual_seed(3)
        critic = nb["mlp"](2, 1)
        real, fake = torch.randn(64, 2), torch.randn(64, 2) + 1
        torch.manual_seed(4)  # the same interpolates in the penalty
        config = {**tool.RING_DEFAULTS, "one_forward": one_forward}
        tool.ring_critic_loss(nb, config, critic, real, fake)[0].backward()
        gradients[one_forward] = torch.cat([p.grad.flatten() for p in critic.parameters()])
    assert torch.allclose(gradients[False], gradients[True], rtol=1e-4, atol=1e-6), \
        "scoring both batches in one call must give the same gradients, up to rounding"
    assert gradients[False].abs().sum() > 0


def test_the_ring_schedule_warms_up_holds_and_decays_to_zero():
    tool = tune_module()
    factor = tool.ring_schedule({**tool.RING_DEFAULTS, "steps": 100, "hold_fraction": 0.5, "warmup_fraction": 0.1})
    assert [round(factor(step), 6) for step in (0, 4, 9, 30, 50, 75, 100)] == [0.1, 0.5, 1.0, 1.0, 1.0, 0.5, 0.0]
    plain = tool.ring_schedule(tool.RING_DEFAULTS)  # the notebook's: linear decay from the first step
    assert [plain(step) for step in (0, 1500, 3000)] == [1.0, 0.5, 0.0]


def test_recorded_runs_are_logged_and_tabled_one_row_per_setting(tmp_path):
    logs = tmp_path / "tuning"
    for seeds in (["0", "1"], ["1"], ["2"]):  # seed 1 rerun: its newer result replaces the older one
        result = tune("ring", '{"steps": 6}', "--seeds", *seeds, "--record", str(logs))
        assert result.returncode == 0, result.stderr
    other = tune("ring", '{"steps": 7, "final_batch": 300}', "--record", str(logs))
    assert other.returncode == 0, other.stderr
    logged = [json.loads(line) for line in (logs / "ring.jsonl").read_text().splitlines()]
    assert [row["seed"] for row in logged] == [0, 1, 1, 2, 0]
    assert logged[0]["config"]["steps"] == 6 and logged[0]["config"]["batch"] == 256 and logged[0]["torch"]
    rendered = (tmp_path / "tuning.md").read_text()
    (tmp_path / "tuning.md").unlink()
    assert tune("table", "--record", str(logs)).returncode == 0
    assert (tmp_path / "tuning.md").read_text() == rendered, "`table` renders the same table from the logs"
    rows = [line for line in rendered.splitlines() if "steps " in line]
    assert len(rows) == 2, rows
    assert rows[0].startswith("| steps 6 | 0 1 2 |") and rows[0].endswith("|") and "| no |" in rows[0], rows[0]
    assert rows[1].startswith('| final_batch 300, steps 7 | 0 |'), rows[1]


def test_a_rerun_seed_replaces_its_older_result_in_the_table():
    tool = tune_module()
    runs = [{"study": "ring", "seed": seed, "modes": 8, "high_quality": quality, "cpu_seconds": 1.0,
             "config": {**tool.RING_DEFAULTS, "steps": 9}} for seed, quality in ((0, 0.97), (1, 0.5), (1, 0.96))]
    table = tool.render_tuning_table_from({"ring": runs})
    row = next(line for line in table.splitlines() if line.startswith("| steps 9 |"))
    assert row == "| steps 9 | 0 1 | 97.0 / 96.0 | 96.0 | yes | – | – | – | – | – | – | 1–1 |", row


def test_the_table_shows_the_scores_with_jacobian_based_truncation_beside_the_raw_ones():
    tool = tune_module()
    assert tool.JBT_DROPS == (0.05, 0.1)
    runs = [{"study": "ring", "seed": seed, "modes": 8, "high_quality": raw, "cpu_seconds": 2.0,
             "jbt": {"0.05": {"modes": modes, "high_quality": five}, "0.1": {"modes": 8, "high_quality": ten}},
             "config": {**tool.RING_DEFAULTS, "steps": 9}}
            for seed, raw, modes, five, ten in ((0, 0.9, 8, 0.99, 0.995), (1, 0.92, 7, 0.96, 0.94))]
    row = next(line for line in tool.render_tuning_table_from({"ring": runs}).splitlines()
               if line.startswith("| steps 9 |"))
    assert row == ("| steps 9 | 0 1 | 90.0 / 92.0 | 90.0 | no | 99.0 / 96.0 (7 modes) | 96.0 | no "
                   "| 99.5 / 94.0 | 94.0 | no | 2–2 |"), row
    runs[1]["jbt"]["0.05"]["modes"] = 8
    row = next(line for line in tool.render_tuning_table_from({"ring": runs}).splitlines()
               if line.startswith("| steps 9 |"))
    assert "| 99.0 / 96.0 | 96.0 | yes | 99.5 / 94.0 |" in row, row


def test_the_notebooks_truncation_is_one_the_tool_scores():
    tool = tune_module()
    assert tool.solution_namespace("ring")["JBT_DROP"] in tool.JBT_DROPS


def test_a_run_logged_before_a_knob_existed_is_shown_without_it():
    tool = tune_module()
    before = {name: value for name, value in tool.RING_DEFAULTS.items() if name != "burst_critic_steps"}
    runs = [{"study": "ring", "seed": 0, "modes": 8, "high_quality": 0.9, "cpu_seconds": 1.0, "config": config}
            for config in (before, tool.RING_DEFAULTS)]
    rows = [line for line in tool.render_tuning_table_from({"ring": runs}).splitlines() if "| 90.0 |" in line]
    assert [row.split(" | ")[0] for row in rows] == ["| burst_critic_steps 0", "| the notebook's setting"], rows


def test_dcgan_reports_both_generators_at_each_checkpoint(tmp_path):
    result = tune("dcgan", '{"steps": 4, "checkpoints": [2], "topk_gamma": 0.5}', "--record", str(tmp_path / "logs"))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["step"] for row in rows] == [2, 4]
    for row in rows:
        for generator in ("ema", "raw"):
            assert 1.0 <= row[generator]["inception_score"] <= 10.0 and row[generator]["frechet"] > 0
    tabled = [line for line in (tmp_path / "tuning.md").read_text().splitlines() if line.startswith("| steps 4, topk")]
    assert [line.split(" | ")[1] for line in tabled] == ["2", "4"], tabled
    assert f"| {rows[-1]['ema']['inception_score']:g} |" in tabled[-1], tabled[-1]
    plain = tune("dcgan", '{"steps": 4, "checkpoints": [2]}')
    assert plain.returncode == 0, plain.stderr
    assert [json.loads(line)["raw"] for line in plain.stdout.splitlines()][-1] != rows[-1]["raw"], \
        "top-k training must change the generator's updates"
    mixture = tune("dcgan", '{"steps": 4, "checkpoints": [2], "latent_components": 5}')
    assert mixture.returncode == 0, mixture.stderr
    last_raw = lambda run: [json.loads(line)["raw"] for line in run.stdout.splitlines()][-1]
    assert last_raw(mixture) != last_raw(plain), "a mixture latent must change what the generator makes"
    learned = tune("dcgan", '{"steps": 4, "checkpoints": [2], "latent_components": 5, "learn_centres": true}')
    assert learned.returncode == 0, learned.stderr
    assert last_raw(learned) != last_raw(mixture), "learned centres must move away from the fixed ones"
    penalised = tune("dcgan", '{"steps": 4, "checkpoints": [2], "r1": 10.0, "r1_every": 2}')
    assert penalised.returncode == 0, penalised.stderr
    assert last_raw(penalised) != last_raw(plain), "the R1 steps must change the discriminator, hence the generator"


@pytest.mark.parametrize("settings, message", [('{"stepz": 3}', "unknown settings ['stepz']"),
                                               ("[1, 2]", "must be a JSON object"),
                                               ("{steps: 3}", "must be a JSON object")])
def test_bad_settings_are_refused_with_a_clear_message(settings, message):
    result = tune("ring", settings)
    assert result.returncode != 0 and message in result.stderr, result.stderr


def test_the_committed_tuning_table_is_rendered_from_the_committed_logs():
    tool = tune_module()
    committed = ROOT / "docs/tuning.md"
    assert committed.exists(), "docs/tuning.md is missing: run tools/tune.py with --record"
    assert committed.read_text() == tool.render_tuning_table(tool.TUNING_LOGS), \
        "docs/tuning.md differs from what docs/tuning/*.jsonl renders: never edit it by hand; run tools/tune.py table"
