"""The evaluation classifier: integrity of the checkpoint, accuracy, and the API notebooks use."""

import os
import subprocess
import sys

import pytest
import torch

from gdl import classifier
from gdl.data import data_dir, digits, sha256_of

CHECKPOINT = data_dir() / classifier.CLASSIFIER_FILE


def test_checkpoint_is_small_and_matches_its_hash():
    assert CHECKPOINT.stat().st_size < 1_000_000
    assert sha256_of(CHECKPOINT) == classifier.CLASSIFIER_SHA256


def test_checkpoint_is_a_plain_state_dict():
    state = torch.load(CHECKPOINT, map_location="cpu", weights_only=True)
    assert set(state) == set(classifier.DigitClassifier().state_dict())


def test_held_out_accuracy_is_at_least_97_percent():
    data = digits()
    outputs = classifier.classify(data.x_test)
    accuracy = float((outputs.probs.argmax(1) == data.y_test).float().mean())
    assert accuracy >= 0.97, accuracy


def test_classify_gives_probabilities_and_features():
    images = digits().x_test[:37]
    outputs = classifier.classify(images, batch_size=10)
    assert outputs.probs.shape == (37, classifier.N_CLASSES)
    assert outputs.features.shape == (37, classifier.N_FEATURES)
    assert outputs.probs.dtype == outputs.features.dtype == torch.float32
    torch.testing.assert_close(outputs.probs.sum(1), torch.ones(37))
    assert (outputs.features >= 0).all()  # post-ReLU activations
    # (N, 28, 28) works too and gives the same answer; so does a model passed in.
    again = classifier.classify(images[:, 0], model=classifier.load_classifier())
    torch.testing.assert_close(again.probs, outputs.probs)


def test_features_are_what_the_head_reads():
    model = classifier.load_classifier()
    images = digits().x_test[:8]
    outputs = classifier.classify(images, model=model)
    with torch.no_grad():
        logits = model(images)
    torch.testing.assert_close(outputs.probs, torch.softmax(logits, 1))
    torch.testing.assert_close(model.head(outputs.features), logits)


@pytest.mark.parametrize("bad", [torch.zeros(4, 3, 28, 28), torch.zeros(4, 1, 32, 32), torch.zeros(0, 1, 28, 28)])
def test_classify_rejects_wrong_shapes(bad):
    with pytest.raises(ValueError, match="shape"):
        classifier.classify(bad)


def test_classify_rejects_tanh_range_images():
    with pytest.raises(ValueError, match=r"\(x \+ 1\) / 2"):
        classifier.classify(torch.full((2, 1, 28, 28), -1.0))


def test_a_changed_checkpoint_is_refused(tmp_path):
    changed = tmp_path / classifier.CLASSIFIER_FILE
    data = bytearray(CHECKPOINT.read_bytes())
    data[-100] ^= 1
    changed.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="corrupt or was changed"):
        classifier.load_classifier(path=changed)


def test_a_missing_checkpoint_says_how_to_restore_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="train_classifier.py"):
        classifier.load_classifier(path=tmp_path / "nothing.pt")


def test_load_moves_the_model_to_the_device():
    model = classifier.load_classifier(device="cpu")
    assert not model.training
    assert next(model.parameters()).device.type == "cpu"


@pytest.mark.skipif(not os.environ.get("GDL_REBUILD_TESTS"), reason="set GDL_REBUILD_TESTS=1 (about a minute)")
def test_training_script_rebuilds_the_same_bytes(tmp_path):
    script = data_dir() / "train_classifier.py"
    out = tmp_path / classifier.CLASSIFIER_FILE
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, capture_output=True)
    assert sha256_of(out) == classifier.CLASSIFIER_SHA256, (
        "the retrained checkpoint differs: another torch version or CPU kernel changes the last bits"
    )
