"""Reading files that a submission could have planted (the scratch folder, submitted trees).

The parent and the workers open only regular files they expect: never through a symbolic
link, never a FIFO or a device (that would block for ever), never more than a set size.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes, read without
    following a symbolic link and without blocking (a FIFO or device is refused, not waited on).
    Raises OSError (or ValueError when too large)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if info.st_size > limit:
            raise ValueError(f"larger than {limit // 2**20} MiB")
        chunks, size = [], 0
        while True:
            chunk = os.read(descriptor, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise ValueError(f"larger than {limit // 2**20} MiB")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)
