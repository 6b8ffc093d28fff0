"""The pretrained backbone of lecture 08: integrity of the checkpoint, accuracy, architecture."""

import os
import subprocess
import sys

import pytest
import torch

from gdl import pretrained
from gdl.data import data_dir, digits, sha256_of

CHECKPOINT = data_dir() / pretrained.BACKBONE_FILE


def test_checkpoint_is_small_and_matches_its_hash():
    assert CHECKPOINT.stat().st_size < 200_000
    assert sha256_of(CHECKPOINT) == pretrained.BACKBONE_SHA256


def test_checkpoint_is_a_plain_state_dict():
    state = torch.load(CHECKPOINT, map_location="cpu", weights_only=True)
    assert set(state) == set(pretrained.DigitBackbone().state_dict())


def test_architecture_has_named_blocks_batchnorm_and_a_five_class_head():
    model = pretrained.DigitBackbone()
    assert [name for name, _ in model.named_children()] == ["block1", "block2", "block3", "head"]
    assert all(any(isinstance(m, torch.nn.BatchNorm2d) for m in block) for block in (model.block1, model.block2, model.block3))
    assert isinstance(model.head, torch.nn.Linear) and model.head.out_features == len(pretrained.PRETRAINING_CLASSES)
    assert sum(p.numel() for p in model.parameters()) == 24101
    images = torch.rand(3, 1, 28, 28)
    assert model.features(images).shape == (3, pretrained.N_FEATURES)
    assert pretrained.DigitBackbone(n_classes=7)(images).shape == (3, 7)


def test_held_out_accuracy_on_its_own_task_is_at_least_97_percent():
    data = digits()
    keep = data.y_test < 5
    with torch.no_grad():
        predictions = pretrained.load_backbone()(data.x_test[keep]).argmax(1)
    accuracy = float((predictions == data.y_test[keep]).float().mean())
    assert accuracy >= 0.97, accuracy


def test_the_new_task_is_new():
    """The backbone never saw a 5-9: it can only answer 0-4 for them."""
    data = digits()
    with torch.no_grad():
        predictions = pretrained.load_backbone()(data.x_test[data.y_test >= 5]).argmax(1)
    assert predictions.max() <= 4


def test_each_load_is_a_fresh_copy_in_eval_mode():
    first, second = pretrained.load_backbone(), pretrained.load_backbone(device="cpu")
    assert not first.training and not second.training
    with torch.no_grad():
        first.head.weight.zero_()
    assert second.head.weight.abs().sum() > 0, "fine-tuning one copy must not change the next one"
    assert next(second.parameters()).device.type == "cpu"


def test_a_changed_checkpoint_is_refused_before_it_is_read(tmp_path, monkeypatch):
    changed = tmp_path / pretrained.BACKBONE_FILE
    data = bytearray(CHECKPOINT.read_bytes())
    data[-100] ^= 1
    changed.write_bytes(bytes(data))

    def no_load(*args, **kwargs):
        raise AssertionError("torch.load was called on a file whose hash does not match")

    monkeypatch.setattr(torch, "load", no_load)
    with pytest.raises(ValueError, match="corrupt or was changed"):
        pretrained.load_backbone(path=changed)


def test_a_missing_checkpoint_says_how_to_restore_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="train_backbone.py"):
        pretrained.load_backbone(path=tmp_path / "nothing.pt")


@pytest.mark.skipif(not os.environ.get("GDL_REBUILD_TESTS"), reason="set GDL_REBUILD_TESTS=1 (about 20 seconds)")
def test_training_script_rebuilds_the_same_bytes(tmp_path):
    script = data_dir() / "train_backbone.py"
    out = tmp_path / pretrained.BACKBONE_FILE
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, capture_output=True)
    assert sha256_of(out) == pretrained.BACKBONE_SHA256, (
        "the retrained checkpoint differs: another torch version or CPU kernel changes the last bits"
    )
