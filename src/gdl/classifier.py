"""The evaluation classifier: a small CNN that recognises the shipped digits.

GAN metrics need a fixed judge. The Inception score and the Fréchet Inception distance use an
ImageNet network; this course uses a LeNet-style CNN trained on the shipped digits by
``data/train_classifier.py`` and stored in ``data/digit_classifier.pt``. It gives

- class probabilities ``p(y | x)`` (for an Inception-score analogue, and to check that
  generated digits look like digits),
- penultimate features, the 64 activations that feed the last layer (for a Fréchet distance).

The checkpoint is a plain ``state_dict`` loaded with ``torch.load(..., weights_only=True)``
after its sha256 is checked, so a changed or corrupt file is refused instead of unpickled.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import torch
from torch import nn

from gdl.data import checked_state_dict, data_dir

CLASSIFIER_FILE = "digit_classifier.pt"
CLASSIFIER_SHA256 = "ec51c98f554dcdd645dc788a79f8605489325cab8437a7a29459aac3cdf7f838"
N_FEATURES = 64
N_CLASSES = 10


class DigitClassifier(nn.Module):
    """LeNet-style CNN for 1x28x28 digits in [0, 1]: two conv/pool stages, 64 features, 10 logits."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),   # 16 x 14 x 14
            nn.Conv2d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),  # 32 x 7 x 7
            nn.Flatten(),
            nn.Linear(32 * 7 * 7, N_FEATURES), nn.ReLU(),
        )
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(N_FEATURES, N_CLASSES)

    def features(self, images: torch.Tensor) -> torch.Tensor:
        """Penultimate activations, shape (N, 64)."""
        return self.body(images)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Class logits, shape (N, 10)."""
        return self.head(self.dropout(self.features(images)))


class ClassifierOutputs(NamedTuple):
    """What the classifier says about a batch of images (float32 tensors on the CPU)."""

    probs: torch.Tensor     # (N, 10), rows sum to 1
    features: torch.Tensor  # (N, 64)


def load_classifier(device=None, path=None) -> DigitClassifier:
    """The trained evaluation classifier, in eval mode, on ``device`` (default: the CPU).

    Raises ``FileNotFoundError`` when the checkpoint is missing and ``ValueError`` when its
    sha256 differs from the one recorded here.
    """
    path = Path(path) if path is not None else data_dir() / CLASSIFIER_FILE
    state = checked_state_dict(path, CLASSIFIER_SHA256, "classifier checkpoint", "train_classifier.py")
    model = DigitClassifier()
    model.load_state_dict(state)
    return model.to(device or "cpu").eval()


def _as_images(images) -> torch.Tensor:
    images = torch.as_tensor(images).detach().float()
    if images.ndim == 3:
        images = images.unsqueeze(1)
    if images.ndim != 4 or tuple(images.shape[1:]) != (1, 28, 28) or images.shape[0] == 0:
        raise ValueError(f"expected images of shape (N, 1, 28, 28) or (N, 28, 28), got {tuple(images.shape)}")
    low, high = float(images.min()), float(images.max())
    if low < -1e-3 or high > 1 + 1e-3:
        raise ValueError(
            f"images must lie in [0, 1], got values in [{low:.3g}, {high:.3g}]; "
            "map a tanh output x to [0, 1] with (x + 1) / 2"
        )
    return images


@torch.no_grad()
def classify(images, model: DigitClassifier | None = None, batch_size: int = 500) -> ClassifierOutputs:
    """Class probabilities and penultimate features of ``images`` (N, 1, 28, 28) in [0, 1].

    ``model`` defaults to :func:`load_classifier` on the CPU; the images are moved to the
    model's device batch by batch and the results come back on the CPU.
    """
    images = _as_images(images)
    model = model if model is not None else load_classifier()
    device = next(model.parameters()).device
    probs, features = [], []
    for batch in images.split(batch_size):
        batch_features = model.features(batch.to(device))
        probs.append(torch.softmax(model.head(batch_features), dim=1).cpu())
        features.append(batch_features.cpu())
    return ClassifierOutputs(torch.cat(probs), torch.cat(features))
