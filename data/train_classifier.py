"""Train the evaluation classifier on the shipped digits and write data/digit_classifier.pt.

    python data/train_classifier.py [--out PATH]

Deterministic on a CPU: one thread, deterministic algorithms, a fixed seed and fixed
augmentations, so the same torch version gives the same bytes. It trains on the 4,000
training digits only, prints the accuracy on the 1,000 held-out ones and the sha256 to put
in ``src/gdl/classifier.py`` and ``data/README.md``. About a minute on a laptop CPU.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gdl.classifier import DigitClassifier  # noqa: E402
from gdl.data import digits  # noqa: E402

SEED = 0
EPOCHS = 20
BATCH_SIZE = 64
LEARNING_RATE = 2e-3
MAX_SHIFT = 2  # pixels; small translations make the judge robust to off-centre GAN digits


def shifted(images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Translate each image by up to MAX_SHIFT pixels in x and y (zero padding)."""
    padded = F.pad(images, (MAX_SHIFT,) * 4)
    offsets = torch.randint(0, 2 * MAX_SHIFT + 1, (len(images), 2), generator=generator)
    return torch.stack([
        padded[i, :, dy:dy + 28, dx:dx + 28] for i, (dy, dx) in enumerate(offsets.tolist())
    ])


@torch.no_grad()
def accuracy(model, images, labels) -> float:
    model.eval()
    predictions = torch.cat([model(batch).argmax(1) for batch in images.split(500)])
    return float((predictions == labels).float().mean())


def train() -> tuple[DigitClassifier, float]:
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    data = digits()
    model = DigitClassifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    steps_per_epoch = -(-len(data.x_train) // BATCH_SIZE)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=LEARNING_RATE, epochs=EPOCHS, steps_per_epoch=steps_per_epoch
    )
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(len(data.x_train), generator=generator)
        for batch in order.split(BATCH_SIZE):
            images = shifted(data.x_train[batch], generator)
            loss = F.cross_entropy(model(images), data.y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
        print(f"epoch {epoch + 1:2d}  loss {loss.item():.3f}  "
              f"held-out accuracy {accuracy(model, data.x_test, data.y_test):.4f}")
    return model.eval(), accuracy(model, data.x_test, data.y_test)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("digit_classifier.pt"))
    args = parser.parse_args()
    model, test_accuracy = train()
    torch.save(model.state_dict(), args.out)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"held-out accuracy {test_accuracy:.4f}")
    print(f"{args.out}  {args.out.stat().st_size} bytes  sha256 {digest}")


if __name__ == "__main__":
    main()
