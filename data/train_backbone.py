"""Pretrain the course's backbone on the digits 0-4 and write data/digit_backbone.pt.

    python data/train_backbone.py [--out PATH]

Deterministic on a CPU: one thread, deterministic algorithms, a fixed seed and fixed
augmentations, so the same torch version gives the same bytes. It trains on the 2,000
training digits of classes 0-4 only (the digits 5-9 stay a new task for lecture 08), prints
the accuracy on the 500 held-out digits 0-4 and the sha256 to put in
``src/gdl/pretrained.py`` and ``data/README.md``. About 20 seconds on a laptop CPU.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gdl.data import digits  # noqa: E402
from gdl.pretrained import PRETRAINING_CLASSES, DigitBackbone  # noqa: E402

SEED = 0
EPOCHS = 8
BATCH_SIZE = 64
LEARNING_RATE = 3e-3
MAX_SHIFT = 2  # pixels


def shifted(images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Translate each image by up to MAX_SHIFT pixels in x and y (zero padding)."""
    padded = F.pad(images, (MAX_SHIFT,) * 4)
    offsets = torch.randint(0, 2 * MAX_SHIFT + 1, (len(images), 2), generator=generator)
    return torch.stack([
        padded[i, :, dy:dy + 28, dx:dx + 28] for i, (dy, dx) in enumerate(offsets.tolist())
    ])


def pretraining_split():
    """Images and labels of the digits 0-4 (train, test); the labels are the digits themselves."""
    data = digits()
    keep_train = data.y_train < len(PRETRAINING_CLASSES)
    keep_test = data.y_test < len(PRETRAINING_CLASSES)
    return (data.x_train[keep_train], data.y_train[keep_train],
            data.x_test[keep_test], data.y_test[keep_test])


@torch.no_grad()
def accuracy(model, images, labels) -> float:
    model.eval()
    predictions = torch.cat([model(batch).argmax(1) for batch in images.split(500)])
    return float((predictions == labels).float().mean())


def train() -> tuple[DigitBackbone, float]:
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    x_train, y_train, x_test, y_test = pretraining_split()
    model = DigitBackbone()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    steps_per_epoch = -(-len(x_train) // BATCH_SIZE)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=LEARNING_RATE, epochs=EPOCHS, steps_per_epoch=steps_per_epoch
    )
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(len(x_train), generator=generator)
        for batch in order.split(BATCH_SIZE):
            images = shifted(x_train[batch], generator)
            loss = F.cross_entropy(model(images), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
        print(f"epoch {epoch + 1:2d}  loss {loss.item():.3f}  "
              f"held-out accuracy {accuracy(model, x_test, y_test):.4f}")
    return model.eval(), accuracy(model, x_test, y_test)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("digit_backbone.pt"))
    args = parser.parse_args()
    model, test_accuracy = train()
    torch.save(model.state_dict(), args.out)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"held-out accuracy on the digits 0-4 {test_accuracy:.4f}")
    print(f"{args.out}  {args.out.stat().st_size} bytes  sha256 {digest}")


if __name__ == "__main__":
    main()
