"""Install the course into the running Python environment from the lock, exactly.

    python tools/install.py                      # the locked versions (PyTorch's default wheels)
    python tools/install.py --torch-index-url https://download.pytorch.org/whl/cpu

`make lab`, `make test` and the Dockerfile call this, so every install gets the versions in
`requirements.lock` (written by `make lock` from pyproject.toml). With ``--torch-index-url``
PyTorch and torchvision come, at their locked versions, from that index (for example the
CPU-only wheels, a few hundred MB instead of about 5 GB of CUDA libraries), and the lock's
NVIDIA/Triton packages, which only CUDA builds need, are left out.

uv installs when it is there (in the environment's ``bin/`` or on ``PATH``; the Makefile puts
it in the venv): measured on our 2-core CI machine, a fresh venv took 78 s with uv's cache
cold and 10 s warm, against 251 s and 152 s with pip. ``GDL_INSTALLER=pip`` forces pip.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
# Packages that exist only to serve PyTorch's CUDA builds.
CUDA_ONLY = re.compile(r"^(nvidia-[a-z0-9-]+|triton|cuda-[a-z0-9-]+)==", re.IGNORECASE)


def locked_requirements(text: str) -> list[str]:
    """The requirement lines of a lock (``name==version ; marker``), comments dropped."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def applies_here(line: str) -> bool:
    try:
        from packaging.requirements import Requirement
    except ImportError:  # a fresh venv has only pip, which carries its own copy
        from pip._vendor.packaging.requirements import Requirement

    requirement = Requirement(line)
    return requirement.marker is None or requirement.marker.evaluate()


def pinned(lines: list[str], name: str) -> str:
    """The locked ``name==version`` for this platform and Python."""
    for line in lines:
        if re.match(rf"^{re.escape(name)}==", line, re.IGNORECASE) and applies_here(line):
            return line.split(";")[0].strip()
    raise SystemExit(f"{LOCK.name} has no entry for {name} on this platform: run `make lock`")


def installer() -> list[str]:
    """The install command: uv's pip interface when available, else pip."""
    choice = os.environ.get("GDL_INSTALLER", "")
    if choice not in ("", "uv", "pip"):
        raise SystemExit(f"GDL_INSTALLER must be 'uv' or 'pip', not {choice!r}")
    uv = Path(sys.executable).parent / "uv"
    uv = str(uv) if uv.is_file() else shutil.which("uv")
    if choice == "uv" and not uv:
        raise SystemExit("GDL_INSTALLER=uv, but uv is not installed (pip install uv)")
    if uv and choice != "pip":
        return [uv, "pip", "install", "--quiet", "--python", sys.executable]
    return [sys.executable, "-m", "pip", "install", "--quiet"]


def install_packages(*args: str) -> None:
    command = installer() + list(args)
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--torch-index-url", default="", help="index for torch/torchvision, e.g. PyTorch's CPU wheels")
    parser.add_argument("--no-project", action="store_true", help="install the dependencies only, not the gdl package")
    args = parser.parse_args(argv)
    if not LOCK.is_file():
        raise SystemExit(f"{LOCK} is missing: restore it from the repository or run `make lock`")
    lines = locked_requirements(LOCK.read_text())
    requirements = LOCK
    with tempfile.TemporaryDirectory() as scratch:
        if args.torch_index_url:
            install_packages("--index-url", args.torch_index_url, pinned(lines, "torch"), pinned(lines, "torchvision"))
            requirements = Path(scratch) / "requirements-without-cuda.txt"
            requirements.write_text("\n".join(line for line in lines if not CUDA_ONLY.match(line)) + "\n")
        install_packages("-r", str(requirements))
    if not args.no_project:
        install_packages("--no-deps", "-e", str(ROOT))


if __name__ == "__main__":
    main()
