import random

import numpy as np
import pytest
import torch

from gdl import env


@pytest.mark.parametrize("value, fast", [("1", True), ("yes", True), ("0", False), ("false", False), ("", False), ("OFF", False)])
def test_fast_switch_reads_the_environment(monkeypatch, value, fast):
    monkeypatch.setenv("GDL_FAST", value)
    assert env.is_fast() is fast
    assert env.budget(full=100, fast=3) == (3 if fast else 100)


def test_budget_is_full_when_unset(monkeypatch):
    monkeypatch.delenv("GDL_FAST", raising=False)
    assert env.budget(full=[1, 2], fast=[1]) == [1, 2]


def test_seed_everything_makes_all_generators_repeat():
    def draw():
        return random.random(), np.random.rand(), torch.rand(1).item()

    generator = env.seed_everything(123)
    first, first_gen = draw(), torch.rand(1, generator=generator).item()
    generator = env.seed_everything(123)
    assert draw() == first
    assert torch.rand(1, generator=generator).item() == first_gen
    env.seed_everything(124)
    assert draw() != first


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, "3", True])
def test_seed_everything_rejects_bad_seeds(bad):
    with pytest.raises((ValueError, TypeError)):
        env.seed_everything(bad)


def test_device_honours_override(monkeypatch):
    monkeypatch.setenv("GDL_DEVICE", "cpu")
    assert env.device() == torch.device("cpu")
    monkeypatch.delenv("GDL_DEVICE")
    expected = "cuda" if torch.cuda.is_available() else None
    if expected:
        assert env.device().type == "cuda"
    else:
        assert env.device().type in ("cpu", "mps")
