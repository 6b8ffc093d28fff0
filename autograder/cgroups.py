"""Memory and process limits from the Linux kernel's own accounting: one cgroup per sandbox.

The watchdog in execute.py sums the resident memory of the sandbox's processes, which misses
memory that belongs to no process's RSS: anonymous memory files (``memfd_create``), unlinked
temporary files (``O_TMPFILE``) and tmpfs pages (``/tmp``, ``/dev/shm``). A cgroup charges all
of them. Where the grader may create cgroups (root with cgroup v1 memory and pids hierarchies,
or a delegated cgroup v2 subtree), every kernel runs in a group of its own with
``memory`` and ``pids`` limits; elsewhere ``create`` returns None and the watchdog remains the
only guard (autograder/README.md says so).
"""

from __future__ import annotations

import os
import secrets
import signal
import time
from pathlib import Path

MOUNT = Path(os.environ.get("GDL_CGROUP_ROOT", "/sys/fs/cgroup"))


def _own_paths() -> dict[str, str]:
    """{controller: path of this process's cgroup} from /proc/self/cgroup ('' key for v2)."""
    paths = {}
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            for controller in controllers.split(",") if controllers else [""]:
                paths[controller] = path
    except (OSError, ValueError):
        pass
    return paths


class Group:
    """One cgroup (v1: a memory and a pids group; v2: one group) holding one sandbox."""

    def __init__(self, version: int, folders: dict[str, Path]):
        self.version, self.folders = version, folders

    @property
    def procs_files(self) -> list[Path]:
        return [folder / "cgroup.procs" for folder in dict.fromkeys(self.folders.values())]

    def wrap(self, argv: list[str]) -> list[str]:
        """``argv`` started inside this group: a shell joins it, then execs the command."""
        joins = " && ".join(f"echo $$ > '{path}'" for path in self.procs_files)
        return ["/bin/sh", "-c", f'{joins} || exit 97; exec "$@"', "gdl-cgroup", *argv]

    def _read(self, controller: str, name: str) -> str | None:
        try:
            return (self.folders[controller] / name).read_text()
        except (OSError, KeyError):
            return None

    def memory_used(self) -> int | None:
        text = self._read("memory", "memory.usage_in_bytes" if self.version == 1 else "memory.current")
        return int(text) if text and text.strip().isdigit() else None

    def out_of_memory(self) -> bool:
        """Did the kernel's memory limit fire (an allocation failed or a process was OOM-killed)?"""
        if self.version == 1:
            failed = self._read("memory", "memory.failcnt") or "0"
            control = self._read("memory", "memory.oom_control") or ""
            counts = dict(line.split() for line in control.splitlines() if len(line.split()) == 2)
            return (failed.strip().isdigit() and int(failed) > 0) or int(counts.get("oom_kill", "0") or 0) > 0
        text = self._read("memory", "memory.events") or ""
        counts = dict(line.split() for line in text.splitlines() if len(line.split()) == 2)
        return int(counts.get("oom_kill", 0)) > 0 or int(counts.get("max", 0)) > 0

    def pids(self) -> list[int]:
        found = set()
        for path in self.procs_files:
            try:
                found |= {int(p) for p in path.read_text().split()}
            except (OSError, ValueError):
                pass
        return sorted(found)

    def remove(self) -> None:
        """Kill whatever is left in the group and delete it."""
        for _ in range(50):
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.02)
        for folder in dict.fromkeys(self.folders.values()):
            try:
                folder.rmdir()
            except OSError:
                pass


def _write(path: Path, value) -> None:
    path.write_text(f"{value}\n")


def _create_v1(name: str, memory: int, processes: int) -> Group | None:
    own = _own_paths()
    folders = {}
    try:
        for controller in ("memory", "pids"):
            base = MOUNT / controller
            if controller not in own or not (base / "cgroup.procs").exists():
                raise OSError(f"no cgroup v1 {controller} hierarchy")
            folder = base / own[controller].lstrip("/") / name
            folder.mkdir()
            folders[controller] = folder
        _write(folders["memory"] / "memory.limit_in_bytes", memory)
        try:   # no swap beyond the limit, where the kernel accounts swap
            _write(folders["memory"] / "memory.memsw.limit_in_bytes", memory)
        except OSError:
            pass
        _write(folders["pids"] / "pids.max", processes)
        return Group(1, folders)
    except OSError:
        Group(1, folders).remove()
        return None


def _create_v2(name: str, memory: int, processes: int) -> Group | None:
    own = _own_paths().get("")
    if own is None or not (MOUNT / "cgroup.controllers").exists():
        return None
    parent = MOUNT / own.lstrip("/")
    folder = None
    try:
        if not {"memory", "pids"} <= set((parent / "cgroup.subtree_control").read_text().split()):
            return None   # not delegated to us: enabling controllers here would break our own group
        folder = parent / name
        folder.mkdir()
        _write(folder / "memory.max", memory)
        _write(folder / "memory.swap.max", 0)
        _write(folder / "pids.max", processes)
        return Group(2, {"memory": folder, "pids": folder})
    except OSError:
        if folder is not None:
            Group(2, {"memory": folder}).remove()
        return None


def create(memory: int, processes: int, prefix: str = "gdl-sandbox") -> Group | None:
    """A new cgroup limited to ``memory`` bytes and ``processes`` tasks, or None if not allowed."""
    if os.environ.get("GDL_NO_CGROUPS"):
        return None
    name = f"{prefix}-{os.getpid()}-{secrets.token_hex(4)}"
    return _create_v2(name, memory, processes) or _create_v1(name, memory, processes)


def available() -> bool:
    group = create(64 * 2**20, 8, "gdl-probe")
    if group is None:
        return False
    group.remove()
    return True
