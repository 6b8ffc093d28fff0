"""The sandbox that student code runs in: bubblewrap for isolation, prlimit for limits.

Only the Jupyter kernel runs inside it; the grader that drives the kernel, reads its outputs
and computes scores stays outside. What the kernel sees:

- read-only: the system (/usr, /etc, /lib*), the Python environment (the venv and the
  interpreter it was created from), and the course's ``src/`` and ``data/``;
- writable: its own scratch folder (the submission's working directory, bound at the same
  path as outside so that the kernel's IPC sockets line up) and a size-limited tmpfs /tmp;
- nothing else: no network (its own empty network namespace), its own PID, IPC and UTS
  namespaces, a fresh /proc and a minimal /dev; no ``solutions/``, ``grading/``, gradebook,
  ``autograder/`` (the checks), other submissions or the instructor's home.

Limits (prlimit, inherited by every process in the sandbox): address space (a backstop),
number of processes (per sandbox uid), file size and CPU time. The grader adds a resident
memory limit, a wall-clock limit, a per-cell timeout, an output cap, a disk quota on the
scratch folder and a process count (a watchdog, see execute.py).

As root (CI machines, containers) bwrap keeps the real root only to set the sandbox up, and
the kernel then drops to an unprivileged uid of its own (one per worker, so process limits do
not interfere); as a normal user bwrap uses an unprivileged user namespace.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PYTHON = os.path.abspath(sys.executable)  # keep the venv symlink, drop any ".."

# Sandbox uids (root mode) are UID_BASE + BLOCK * instance + worker slot: high, unnamed,
# unlikely to be in use. Each running grader instance on a machine holds a lock on its own
# block, so two shards never share a uid (and so never share RLIMIT_NPROC).
UID_BASE = int(os.environ.get("GDL_SANDBOX_UID_BASE", "1990000000"))
UID_BLOCK = 1024
_held_locks: list = []


def claim_uid_base(lock_dir: Path | None = None, blocks: int = 1000) -> int:
    """The first uid of a block no other running grader on this machine holds (kept until exit)."""
    import fcntl

    lock_dir = Path(lock_dir or os.environ.get("GDL_SANDBOX_LOCK_DIR", "/tmp/gdl-sandbox-uids"))
    lock_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    for index in range(blocks):
        handle = open(lock_dir / f"block-{index}.lock", "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        _held_locks.append(handle)
        return UID_BASE + index * UID_BLOCK
    raise SandboxUnavailable(f"all {blocks} sandbox uid blocks are in use")

INSTALL_HINT = (
    "install bubblewrap (Debian/Ubuntu: `apt-get install bubblewrap`, or `make sandbox` as "
    "root) on Linux with user namespaces enabled"
)


@dataclass
class Limits:
    """Resource limits for one sandboxed kernel (sizes in bytes, times in seconds)."""

    memory: int = 4 * 2**30          # resident memory of the whole sandbox (watchdog, execute.py)
    address_space: int = 16 * 2**30  # RLIMIT_AS per process: a hard backstop (PyTorch reserves a lot)
    processes: int = 64              # RLIMIT_NPROC, processes + threads of the sandbox uid
    file_size: int = 256 * 2**20     # RLIMIT_FSIZE, largest file the kernel may write
    cpu: int = 3600                  # RLIMIT_CPU, per process
    tmp_size: int = 256 * 2**20      # size of the tmpfs mounted on /tmp
    shm_size: int = 64 * 2**20       # size of the private tmpfs on /dev/shm (multiprocessing, DataLoader)
    open_files: int = 1024           # RLIMIT_NOFILE

    def prlimit_args(self) -> list[str]:
        return [
            f"--as={self.address_space}",
            f"--nproc={self.processes}",
            f"--fsize={self.file_size}",
            f"--cpu={self.cpu}",
            f"--nofile={self.open_files}",
            "--core=0",
        ]


def _python_roots() -> list[Path]:
    """Folders the kernel's interpreter needs: the venv and the base installation."""
    roots = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    roots.add(Path(os.path.realpath(sys.executable)).parent.parent)
    return sorted(roots)


def _course_package() -> list[Path]:
    """The folder that holds the importable ``gdl`` package, and the data next to it."""
    spec = importlib.util.find_spec("gdl")
    if spec is None or not spec.submodule_search_locations:
        return []
    source = Path(list(spec.submodule_search_locations)[0]).resolve().parent
    return [source, source.parent / "data"]


def _minimal(paths: list[Path]) -> list[Path]:
    """Drop paths that lie under another path of the list."""
    kept: list[Path] = []
    for path in sorted(set(paths)):
        if not any(path != other and path.is_relative_to(other) for other in kept):
            kept.append(path)
    return kept


@dataclass
class Sandbox:
    """Builds the command line that runs a program (the kernel) in the sandbox."""

    limits: Limits = field(default_factory=Limits)
    readonly: list[Path] = field(default_factory=list)
    bwrap: str | None = field(default_factory=lambda: shutil.which("bwrap"))
    uid_base: int = UID_BASE         # claim_uid_base() in the parent of a batch

    def __post_init__(self):
        if not self.readonly:
            self.readonly = _minimal([*_python_roots(), *_course_package()])
        self.as_root = os.geteuid() == 0

    # -- the command ----------------------------------------------------------------------
    def command(self, argv: list[str], scratch: Path, slot: int = 0, cgroup=None) -> list[str]:
        """prlimit ... bwrap ... [setpriv ...] argv, with ``scratch`` as the writable folder;
        started inside ``cgroup`` (cgroups.Group) when one is given."""
        if not self.bwrap:
            raise SandboxUnavailable(f"bwrap not found: {INSTALL_HINT}")
        scratch = Path(scratch).resolve()
        system = []
        for name in ("usr", "etc", "bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            path = Path("/") / name
            if path.is_symlink():
                system += ["--symlink", os.readlink(path), str(path)]
            elif path.is_dir():
                system += ["--ro-bind", str(path), str(path)]
        namespaces = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                      "--unshare-cgroup-try"]
        if not self.as_root:
            namespaces = ["--unshare-user", *namespaces, "--disable-userns"]
        args = [
            "prlimit", *self.limits.prlimit_args(), "--",
            self.bwrap, *namespaces,
            "--die-with-parent", "--new-session",
            "--hostname", "sandbox",
            *system,
            "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", str(self.limits.shm_size), "--tmpfs", "/dev/shm",
            "--perms", "1777", "--size", str(self.limits.tmp_size), "--tmpfs", "/tmp",
        ]
        made: set[Path] = {Path("/"), Path("/tmp")}
        binds: list[tuple[str, Path]] = [("--ro-bind", p) for p in self.readonly if p.exists()]
        if any(scratch.is_relative_to(p) for _, p in binds):
            raise SandboxUnavailable(f"the scratch folder {scratch} lies inside a read-only path")
        binds.append(("--bind", scratch))
        for option, path in binds:
            for parent in reversed(path.parents):
                if parent not in made:
                    args += ["--perms", "0755", "--dir", str(parent)]
                    made.add(parent)
            args += [option, str(path), str(path)]
            made.add(path)
        # ipykernel polls for its parent; in the PID namespace that is bwrap (pid 1): skip it.
        env_home = ["--unsetenv", "JPY_PARENT_PID", "--setenv", "HOME", str(scratch), "--setenv", "TMPDIR", "/tmp",
                    "--chdir", str(scratch)]
        args += env_home
        if self.as_root:
            uid = self.sandbox_uid(slot)
            args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--",
                     "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                     "--no-new-privs", "--bounding-set=-all", "--inh-caps=-all", "--"]
        else:
            args += ["--"]
        command = args + list(argv)
        return cgroup.wrap(command) if cgroup is not None else command

    def prepare_scratch(self, scratch: Path, slot: int = 0) -> None:
        """Make the scratch folder writable for the sandbox uid (root mode)."""
        if self.as_root:
            uid = self.sandbox_uid(slot)
            for path in [scratch, *scratch.rglob("*")]:
                os.lchown(path, uid, uid)

    def sandbox_uid(self, slot: int = 0) -> int:
        return self.uid_base + slot if self.as_root else os.getuid()


class SandboxUnavailable(RuntimeError):
    pass


_PROBE = r"""
import os, socket, sys
problems = []
try:
    socket.create_connection(("1.1.1.1", 53), timeout=1)
    problems.append("network reachable")
except OSError:
    pass
for path in sys.argv[1:]:
    if os.path.exists(path):
        problems.append(f"{path} visible")
try:
    open("/usr/.gdl-sandbox-test", "w")
    problems.append("/usr writable")
except OSError:
    pass
print("OK" if not problems else "; ".join(problems))
"""


def check(sandbox: Sandbox | None = None) -> tuple[bool, str]:
    """Try the sandbox for real: (works, explanation)."""
    if sys.platform != "linux":
        return False, f"no sandbox on {sys.platform}: bubblewrap needs Linux namespaces"
    sandbox = sandbox or Sandbox()
    if not sandbox.bwrap:
        return False, f"bwrap (bubblewrap) is not installed: {INSTALL_HINT}"
    if not shutil.which("prlimit"):
        return False, "prlimit (util-linux) is not installed"
    if sandbox.as_root and not shutil.which("setpriv"):
        return False, "setpriv (util-linux) is not installed"
    hidden = [str(ROOT / name) for name in ("solutions", "autograder", "grading", "course", "tests")]
    with tempfile.TemporaryDirectory(prefix="gdl-sandbox-check-") as scratch:
        scratch = Path(scratch)
        sandbox.prepare_scratch(scratch)
        command = sandbox.command([PYTHON, "-c", _PROBE, *hidden], scratch)
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as error:
            return False, f"the sandbox does not start: {error}"
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0 or output.splitlines()[-1:] != ["OK"]:
        return False, f"the sandbox does not work here (bwrap needs user namespaces or root): {output[-500:]}"
    return True, f"bubblewrap sandbox works ({'root, dropping to an unprivileged uid' if sandbox.as_root else 'user namespaces'})"


if __name__ == "__main__":
    works, why = check()
    print(why)
    raise SystemExit(0 if works else 1)
