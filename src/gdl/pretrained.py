"""The course's pretrained backbone: a small CNN trained on the digits 0-4 only.

Lecture 08 (fine-tuning) needs a pretrained network that works offline. ImageNet models are
far too large to ship or to fine-tune on a laptop CPU in minutes, so the course ships its own
"pretrained model": :class:`DigitBackbone`, trained by ``data/train_backbone.py`` on the
2,000 training digits of classes 0-4 of the shipped MNIST subset and stored in
``data/digit_backbone.pt``. The digits 5-9 are then a genuinely new task for it (it has never
seen one of them), and scikit-learn's 8 x 8 digits (``gdl.data.small_digits()``) a new domain.

The network has the layout of the famous ones, in miniature: named convolutional blocks with
batch normalisation (``block1`` ... ``block3``, the *backbone*) and a last linear layer
``head`` (5 outputs, one per digit 0-4), like ``fc`` in a torchvision ResNet.

The checkpoint is a plain ``state_dict`` loaded with ``torch.load(..., weights_only=True)``
after its sha256 is checked, so a changed or corrupt file is refused instead of unpickled.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from gdl.data import checked_state_dict, data_dir

BACKBONE_FILE = "digit_backbone.pt"
BACKBONE_SHA256 = "4ea82264f2b7d94b96d1d2ff15d2c41fad29dd2bdc944cd6e7fa839bd053fec3"
PRETRAINING_CLASSES = (0, 1, 2, 3, 4)
N_FEATURES = 64


class DigitBackbone(nn.Module):
    """A small CNN for 1 x 28 x 28 digits in [0, 1]: three conv/BatchNorm/ReLU blocks and a head.

    ``block1``: conv 5x5 (16 channels) -> BatchNorm -> ReLU -> max-pool, 16 x 14 x 14
    ``block2``: conv 3x3 (32) -> BatchNorm -> ReLU -> max-pool, 32 x 7 x 7
    ``block3``: conv 3x3 (64) -> BatchNorm -> ReLU -> global average pool, 64 features
    ``head``: linear 64 -> ``n_classes`` logits (5 for the pretrained digits 0-4)
    """

    def __init__(self, n_classes: int = len(PRETRAINING_CLASSES)):
        super().__init__()
        self.block1 = nn.Sequential(nn.Conv2d(1, 16, 5, padding=2), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2))
        self.block2 = nn.Sequential(nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2))
        self.block3 = nn.Sequential(nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
                                    nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(N_FEATURES, n_classes)

    def features(self, images: torch.Tensor) -> torch.Tensor:
        """The 64 features the head reads, shape (N, 64)."""
        return self.block3(self.block2(self.block1(images)))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Class logits, shape (N, n_classes)."""
        return self.head(self.features(images))


def load_backbone(device=None, path=None) -> DigitBackbone:
    """A fresh copy of the pretrained backbone (5-class head), in eval mode, on ``device`` (default: CPU).

    Every call returns a new model, so fine-tuning one copy never changes the next. Raises
    ``FileNotFoundError`` when the checkpoint is missing and ``ValueError`` when its sha256
    differs from the one recorded here (checked before the file is read by ``torch.load``).
    """
    path = Path(path) if path is not None else data_dir() / BACKBONE_FILE
    state = checked_state_dict(path, BACKBONE_SHA256, "backbone checkpoint", "train_backbone.py")
    model = DigitBackbone()
    model.load_state_dict(state)
    return model.to(device or "cpu").eval()
