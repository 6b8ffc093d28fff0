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


# ---- multi-seed studies (CONTRIBUTING.md, "Claims that hold") -------------------------
SEEDS_VARIABLE = "GDL_SEEDS"


def seeds(default) -> list[int]:
    """The seeds a multi-seed study runs: ``default`` unless ``GDL_SEEDS`` overrides it.

    ``make bench`` sets ``GDL_SEEDS=5`` (seeds 0 to 4); ``GDL_SEEDS=3,7`` names seeds.
    A notebook writes ``for seed in bench.seeds(default=budget(full=range(5), fast=[0]))``.
    """
    text = os.environ.get(SEEDS_VARIABLE, "").strip()
    if not text:
        chosen = [int(seed) for seed in default]
    elif "," in text:
        chosen = [int(part) for part in text.split(",") if part.strip()]
    else:
        chosen = list(range(int(text)))
    if not chosen:
        raise ValueError(f"no seeds to run (GDL_SEEDS={text!r}, default={default!r})")
    return chosen


def record_table(name: str, rows: list[dict], by: list[str], caption: str = "") -> None:
    """Record one row per (setting, seed) of a study; ``make bench`` files it in docs/results.md.

    ``by`` names the columns that identify a setting (the rest are measurements). Each row
    must carry a ``seed``. Nothing happens outside a benchmark run.
    """
    if not isinstance(name, str) or not name:
        raise ValueError("record_table() needs a non-empty table name")
    if not rows:
        raise ValueError(f"table {name!r} has no rows")
    for row in rows:
        missing = [key for key in [*by, "seed"] if key not in row]
        if missing:
            raise ValueError(f"table {name!r}: a row lacks {missing}")
    clean = [{key: (value if isinstance(value, str) else float(value)) for key, value in row.items()}
             for row in rows]
    path = os.environ.get(BENCH_VARIABLE)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"table": name, "by": list(by), "caption": caption, "rows": clean}) + "\n")


def summarise(rows: list[dict], by: list[str], metrics: list[str]) -> list[dict]:
    """Group ``rows`` by the ``by`` columns (first-seen order); per metric: mean, sd, min, max, n."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(row[key] for key in by), []).append(row)
    summary = []
    for key, members in groups.items():
        entry = dict(zip(by, key))
        entry["seeds"] = len(members)
        for metric in metrics:
            values = [float(member[metric]) for member in members]
            mean = sum(values) / len(values)
            spread = (sum((v - mean) ** 2 for v in values) / (len(values) - 1)) ** 0.5 if len(values) > 1 else 0.0
            entry[metric] = {"mean": mean, "sd": spread, "min": min(values), "max": max(values)}
        summary.append(entry)
    return summary


def _format(value: float, digits: int) -> str:
    """Fixed point, or scientific notation for values too small for ``digits`` decimals."""
    if value != 0 and abs(value) < 0.5 * 10 ** -digits:
        return f"{value:.{max(digits - 1, 1)}e}"
    return f"{value:.{digits}f}"


def markdown_cell(text) -> str:
    """Text that cannot break a Markdown table row."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def summary_markdown(rows: list[dict], by: list[str], metrics: list[str], digits: int = 2) -> str:
    """A Markdown table: one line per setting, each metric as ``mean ± sd (min to max)``."""
    summary = summarise(rows, by, metrics)
    header = [*by, "seeds", *metrics]
    lines = ["| " + " | ".join(map(markdown_cell, header)) + " |", "|" + "---|" * len(header)]
    for entry in summary:
        cells = [markdown_cell(entry[key]) for key in by] + [str(entry["seeds"])]
        for metric in metrics:
            stats = entry[metric]
            cells.append(f"{_format(stats['mean'], digits)} ± {_format(stats['sd'], digits)} "
                         f"({_format(stats['min'], digits)} to {_format(stats['max'], digits)})")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def show_summary(rows: list[dict], by: list[str], metrics: list[str], digits: int = 2) -> None:
    """Display :func:`summary_markdown`: rendered in Jupyter, printed elsewhere."""
    text = summary_markdown(rows, by, metrics, digits)
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(Markdown(text))
    else:
        print(text)
