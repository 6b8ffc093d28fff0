import json

import numpy as np
import pytest
import torch

from gdl import bench, metrics


def test_mode_coverage_counts_only_high_quality_samples():
    centers = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    samples = np.array([[0.0, 0.05], [10.0, 0.0], [5.0, 5.0], [0.0, 0.31]])
    covered, quality = metrics.mode_coverage(samples, centers, std=0.1)
    assert covered == 2  # the third mode only has a low-quality neighbour
    assert quality == pytest.approx(0.5)  # 0.31 > 3 * 0.1 is not high quality
    covered, _ = metrics.mode_coverage(torch.tensor(samples), torch.tensor(centers), std=0.1)
    assert covered == 2


def test_mode_counts_and_their_kl_to_uniform():
    centers = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    samples = np.array([[0.01, 0.0], [0.0, 0.02], [1.0, 0.01], [0.5, 0.5]])
    assert metrics.mode_counts(samples, centers, std=0.01).tolist() == [2, 1, 0]
    nearest, distance = metrics.nearest_mode(torch.tensor(samples), centers)
    assert nearest.tolist()[:3] == [0, 0, 1] and np.allclose(distance, [0.01, 0.02, 0.01, np.sqrt(0.5)])
    assert abs(metrics.kl_to_uniform([2, 1, 0]) - (2 / 3 * np.log(2) + 1 / 3 * np.log(1))) < 1e-12
    assert metrics.kl_to_uniform([5, 5, 5]) == 0.0 and metrics.kl_to_uniform([0, 0]) == float("inf")


def test_mode_coverage_rejects_bad_input():
    with pytest.raises(ValueError):
        metrics.mode_coverage(np.zeros((0, 2)), np.zeros((1, 2)), 0.1)
    with pytest.raises(ValueError):
        metrics.mode_coverage(np.zeros((3, 2)), np.zeros((1, 3)), 0.1)
    with pytest.raises(ValueError):
        metrics.mode_coverage(np.zeros((3, 2)), np.zeros((1, 2)), 0.0)


def test_exact_w1_of_a_translation_is_its_length():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 2))
    assert metrics.exact_w1(x, x + np.array([3.0, 4.0])) == pytest.approx(5.0, abs=1e-9)
    assert metrics.exact_w1(x, x) == pytest.approx(0.0, abs=1e-12)


def test_record_writes_only_during_a_benchmark(tmp_path, monkeypatch):
    monkeypatch.delenv(bench.BENCH_VARIABLE, raising=False)
    bench.record("ignored", 1.0)  # no file: nothing happens
    target = tmp_path / "figures.jsonl"
    monkeypatch.setenv(bench.BENCH_VARIABLE, str(target))
    bench.record("fid", np.float32(12.5))
    bench.record("modes", 8)
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert lines == [{"name": "fid", "value": 12.5}, {"name": "modes", "value": 8.0}]
    with pytest.raises(ValueError):
        bench.record("", 1.0)
    with pytest.raises(ValueError):
        bench.record("nan", float("nan"))


def test_seed_studies_pick_seeds_and_record_tables(tmp_path, monkeypatch):
    monkeypatch.delenv(bench.SEEDS_VARIABLE, raising=False)
    assert bench.seeds(default=range(3)) == [0, 1, 2]
    monkeypatch.setenv(bench.SEEDS_VARIABLE, "5")
    assert bench.seeds(default=[0]) == [0, 1, 2, 3, 4]
    monkeypatch.setenv(bench.SEEDS_VARIABLE, "3,7")
    assert bench.seeds(default=[0]) == [3, 7]
    rows = [{"loss": "minimax", "seed": s, "modes": m} for s, m in enumerate([8, 6, 7])]
    rows += [{"loss": "ns", "seed": s, "modes": 8} for s in range(3)]
    with pytest.raises(ValueError, match="lacks"):
        bench.record_table("t", [{"modes": 8}], by=["loss"])
    target = tmp_path / "figures.jsonl"
    monkeypatch.setenv(bench.BENCH_VARIABLE, str(target))
    bench.record_table("ring", rows, by=["loss"], caption="c")
    (line,) = [json.loads(text) for text in target.read_text().splitlines()]
    assert line["table"] == "ring" and line["by"] == ["loss"] and len(line["rows"]) == 6
    minimax, ns = bench.summarise(rows, ["loss"], ["modes"])
    assert minimax["seeds"] == 3 and minimax["modes"]["mean"] == 7.0 and minimax["modes"]["min"] == 6
    assert abs(minimax["modes"]["sd"] - 1.0) < 1e-12 and ns["modes"]["sd"] == 0.0
    text = bench.summary_markdown(rows, ["loss"], ["modes"], digits=1)
    assert "| minimax | 3 | 7.0 ± 1.0 (6.0 to 8.0) |" in text
