"""Lecture 05's Jacobian-based truncation and the off-mode bound, run from the solution notebook's
own definitions (as tools/tune.py runs them)."""

import math
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def lecture():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import tune
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return tune.solution_namespace("ring")


class Curved(torch.nn.Module):
    """G(z) = (z0^2, z0 z1): Jacobian [[2 z0, 0], [z1, z0]], a different one at every code."""

    def forward(self, z):
        return torch.stack([z[:, 0] ** 2, z[:, 0] * z[:, 1]], dim=1)


def test_the_jacobian_norm_of_a_linear_map_is_its_frobenius_norm_at_every_code(lecture):
    torch.manual_seed(0)
    linear = torch.nn.Linear(3, 2)
    norms = lecture["jacobian_norms"](linear, torch.randn(5, 3))
    assert norms.shape == (5,)
    assert torch.allclose(norms, linear.weight.norm().expand(5), atol=1e-6)


def test_the_jacobian_norm_is_each_codes_own_even_under_no_grad(lecture):
    codes = torch.tensor([[1.0, 2.0], [0.0, 3.0], [-2.0, 0.5]])
    expected = (5 * codes[:, 0] ** 2 + codes[:, 1] ** 2).sqrt()
    with torch.no_grad():
        norms = lecture["jacobian_norms"](Curved(), codes)
    assert torch.allclose(norms, expected)
    assert not norms.requires_grad


def test_truncation_keeps_the_codes_where_the_generator_is_least_steep(lecture):
    codes = torch.tensor([[3.0, 0.0], [0.25, 0.5], [-1.0, 1.0], [0.0, -0.5], [2.0, 2.0]])
    kept = lecture["jacobian_truncation"](Curved(), codes, 3)  # norms 6.7, 0.75, 2.4, 0.5, 4.9
    assert kept.tolist() == [[0.0, -0.5], [0.25, 0.5], [-1.0, 1.0]]


def test_the_off_mode_bound_falls_with_the_lipschitz_constant(lecture):
    bound = lecture["off_mode_bound"]
    # p = 1/2: the bound is Phi(D / L) - 1/2
    assert bound(0.5, 1.0, 2.0) == pytest.approx(0.5 * math.erf(0.5 / math.sqrt(2)))
    values = [bound(1 / 8, 1.41, lipschitz) for lipschitz in (1, 2, 5, 10, 100, 1e6)]
    assert all(a > b > 0 for a, b in zip(values, values[1:]))
    assert values[-1] < 1e-5
