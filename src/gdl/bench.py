"""Record named quality figures for ``make bench``.

A notebook calls ``record("dcgan_fid", 12.3)``. When ``GDL_BENCH_FILE`` names a file (the
benchmark runner sets it), one JSON line is appended to it; otherwise nothing happens, so
notebooks may record freely.
"""

from __future__ import annotations

import json
import math
import os

BENCH_VARIABLE = "GDL_BENCH_FILE"


def record(name: str, value) -> None:
    """Append ``{"name": name, "value": float(value)}`` to the benchmark file, if any."""
    if not isinstance(name, str) or not name:
        raise ValueError("record() needs a non-empty figure name")
    value = float(value)
    if math.isnan(value):
        raise ValueError(f"figure {name!r} is NaN")
    path = os.environ.get(BENCH_VARIABLE)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"name": name, "value": value}) + "\n")
