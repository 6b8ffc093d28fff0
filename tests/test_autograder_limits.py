"""Limits enforced by the kernel's own accounting (cgroups), a private /dev/shm, unique uids.

These run one tiny Python process in the real sandbox (no notebook): fast. They skip where
the sandbox or cgroups are not available, and say why.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from notebooks import ROOT

sys.path.insert(0, str(ROOT / "autograder"))
import cgroups  # noqa: E402
import sandbox  # noqa: E402

SANDBOX_WORKS, SANDBOX_WHY = sandbox.check()
needs_sandbox = pytest.mark.skipif(not SANDBOX_WORKS, reason=f"no sandbox: {SANDBOX_WHY}")
needs_cgroups = pytest.mark.skipif(not cgroups.available(), reason="this machine lets the grader create no cgroup "
                                   "(needs root with cgroup v1, or a delegated cgroup v2 subtree)")


def _run(code: str, group=None, slot: int = 0, memory: int = 200 * 2**20) -> subprocess.CompletedProcess:
    box = sandbox.Sandbox(limits=sandbox.Limits(memory=memory))
    with tempfile.TemporaryDirectory() as scratch:
        box.prepare_scratch(Path(scratch), slot)
        return subprocess.run(box.command([sandbox.PYTHON, "-c", code], Path(scratch), slot, group),
                              capture_output=True, text=True, timeout=60)


MEMFD_HOG = """
import os
fd = os.memfd_create("hog")
for _ in range(40):
    os.write(fd, b"x" * 10_000_000)
print("held 400 MB")
"""

TMPFILE_HOG = """
import os
fd = os.open("/tmp", os.O_TMPFILE | os.O_RDWR)   # tmpfs: memory no process owns
for _ in range(20):
    os.write(fd, b"x" * 10_000_000)
print("held 200 MB")
"""


@needs_sandbox
@needs_cgroups
@pytest.mark.parametrize("code", [MEMFD_HOG, TMPFILE_HOG], ids=["memfd", "O_TMPFILE"])
def test_memory_no_process_owns_is_still_counted(code):
    group = cgroups.create(120 * 2**20, 64)
    try:
        result = _run(code, group)
        assert "held" not in result.stdout, "more memory held than the 120 MB limit"
        assert group.out_of_memory()
    finally:
        group.remove()
    assert not any(folder.exists() for folder in group.folders.values()), "the cgroup was left behind"


@needs_sandbox
@needs_cgroups
def test_processes_are_limited_per_sandbox():
    group = cgroups.create(500 * 2**20, 16)
    try:
        result = _run("import threading, time\nstarted = 0\ntry:\n    for _ in range(100):\n"
                      "        threading.Thread(target=time.sleep, args=(5,), daemon=True).start(); started += 1\n"
                      "except RuntimeError:\n    pass\nprint('threads', started)", group, memory=500 * 2**20)
        started = int(result.stdout.split()[-1])
        assert started < 16, result.stdout
    finally:
        group.remove()


@needs_sandbox
def test_dev_shm_is_private_writable_and_limited():
    result = _run("import os\nopen('/dev/shm/x', 'wb').write(b'1' * 1000)\nprint(os.listdir('/dev/shm'))\n"
                  "try:\n    open('/dev/shm/big', 'wb').write(b'1' * (100 * 2**20))\n    print('BIG')\n"
                  "except OSError:\n    print('full')\n")
    assert result.stdout.split("\n")[:2] == ["['x']", "full"], result.stdout + result.stderr
    assert not os.path.exists("/dev/shm/x")


def test_two_grader_instances_get_different_uid_blocks(tmp_path):
    claim = ("import sys; sys.path.insert(0, %r); import sandbox, time; "
             "print(sandbox.claim_uid_base(%r), flush=True); time.sleep(3)") % (str(ROOT / "autograder"), str(tmp_path))
    first = subprocess.Popen([sys.executable, "-c", claim], stdout=subprocess.PIPE, text=True)
    second = subprocess.Popen([sys.executable, "-c", claim], stdout=subprocess.PIPE, text=True)
    bases = {int(first.stdout.readline()), int(second.stdout.readline())}
    first.wait(), second.wait()
    assert len(bases) == 2 and all(base >= sandbox.UID_BASE for base in bases)
    assert abs(bases.pop() - bases.pop()) >= sandbox.UID_BLOCK
