"""Execute one rebuilt submission in a sandboxed kernel (this runs in a worker process).

The worker drives the kernel with nbclient over IPC sockets in the submission's scratch
folder; only the kernel runs in the sandbox. Cells run one by one; right after each graded
cell that has a check, the probe for that cell runs (verify.py) and its output files are read
back at once. A watchdog enforces the wall-clock limit, a disk quota on the scratch folder
and a process count; nbclient enforces the per-cell timeout; the output of the kernel is
capped. Whatever happens (timeout, kernel death, exit, memory, output flood), the failure is
recorded with its reason, the cells that did not run count as not passed, and the worker
carries on with the next submission.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil
import zmq
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

import rebuild
import verify
import cgroups
from schema import CellRun, Failure, NotebookRun, Reason, SubmissionRun
from sandbox import PYTHON, UID_BASE, Limits, Sandbox


@dataclass
class Settings:
    """How a batch runs (picklable: it is sent to every worker)."""

    cell_timeout: int = 600
    notebook_timeout: int = 1800
    probe_timeout: int = 120
    probe_bytes: int = 64 * 2**20          # probe results a worker reads per notebook (all cells)
    limits: Limits = field(default_factory=Limits)
    disk_quota: int = 512 * 2**20          # bytes the scratch folder may hold
    max_processes: int = 32                # processes in the sandbox before it counts as a bomb
    output_limit: int = 16 * 2**20         # bytes of output per notebook before the kernel is stopped
    cell_output_limit: int = 2 * 2**20     # bytes of output kept per cell
    unsafe_no_sandbox: bool = False
    uid_base: int = UID_BASE               # this grader instance's block of sandbox uids
    use_cgroups: bool = True               # kernel-accounted memory and pids limits where allowed
    scratch_root: str | None = None
    kernel_env: dict = field(default_factory=dict)


@dataclass
class Job:
    student: str
    lecture: str
    notebooks: dict[str, str]              # notebook name -> submitted file path
    problems: list[str] = field(default_factory=list)
    timestamp: str | None = None           # ISO time from nbgrader's timestamp.txt
    refused: dict[str, Failure] = field(default_factory=dict)   # notebook name ("*": all) -> why not graded


# -- the kernel in its sandbox ------------------------------------------------------------------
class SandboxedKernelManager(AsyncKernelManager):
    """Starts ipykernel inside the sandbox, talking over IPC sockets in the scratch folder."""

    sandbox: Sandbox | None = None
    scratch: Path | None = None
    slot: int = 0
    cgroup: cgroups.Group | None = None

    def format_kernel_cmd(self, extra_arguments=None):
        argv = [PYTHON, "-m", "ipykernel_launcher", "-f", self.connection_file,
                "--HistoryManager.hist_file=:memory:"]
        if self.sandbox is None:
            return argv
        return self.sandbox.command(argv, self.scratch, self.slot, self.cgroup)

    def write_connection_file(self, **kwargs):
        super().write_connection_file(**kwargs)
        if self.sandbox is not None and self.sandbox.as_root:
            uid = self.sandbox.sandbox_uid(self.slot)
            os.chown(self.connection_file, uid, uid)


def _size(msg: dict) -> int:
    """Bytes a kernel message costs us: its whole content and any binary buffers."""
    try:
        buffers = sum(len(b) for b in msg.get("buffers") or [])
        return len(json.dumps(msg.get("content", {}), default=str)) + buffers
    except Exception:
        return 1 << 20


_OUTPUTS = ("stream", "display_data", "execute_result", "error", "update_display_data")


class GuardedClient(NotebookClient):
    """nbclient with an output cap: a flooding kernel is stopped, not buffered. Every message
    counts (widget comm messages too); only outputs are subject to the per-cell cap."""

    output_limit: int = 16 * 2**20
    cell_output_limit: int = 2 * 2**20
    on_flood = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.output_bytes = 0
        self.cell_bytes: dict[int, int] = {}

    def process_message(self, msg, cell, cell_index):
        kind = msg.get("msg_type")
        if kind not in ("status", "execute_input"):
            size = _size(msg)
            self.output_bytes += size
            if self.output_bytes > self.output_limit:
                if self.on_flood:
                    self.on_flood()
                return None
            if kind in _OUTPUTS:
                used = self.cell_bytes.get(id(cell), 0) + size
                self.cell_bytes[id(cell)] = used
                if used > self.cell_output_limit and kind != "error":
                    return None
        return super().process_message(msg, cell, cell_index)


class Stop(Exception):
    """Raised inside a run to end it with a failure reason (schema.Reason)."""

    def __init__(self, reason: Reason, detail: str = ""):
        super().__init__(str(reason))
        self.reason, self.detail = reason, detail


MAX_TREE_DEPTH = 64          # no notebook nests folders deeper; deeper trees are an attack
MAX_TREE_ENTRIES = 200_000   # files and folders the scratch folder may hold


def tree_usage(path: Path) -> tuple[int, int, int]:
    """(bytes allocated, entries, depth reached) under ``path``, without following links.

    Iterative and relative to open directory descriptors, so neither a tree thousands of
    levels deep (recursion, PATH_MAX) nor a link or FIFO planted by the kernel can stop it;
    the walk stops descending at MAX_TREE_DEPTH + 1 and counting at MAX_TREE_ENTRIES + 1.
    """
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    total = entries = deepest = 0
    stack = []
    try:
        root = os.open(path, flags)
        stack.append((root, os.scandir(root)))
        while stack and entries <= MAX_TREE_ENTRIES:
            fd, iterator = stack[-1]
            entry = next(iterator, None)
            if entry is None:
                iterator.close()
                os.close(fd)
                stack.pop()
                continue
            entries += 1
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            total += info.st_blocks * 512
            if stat.S_ISDIR(info.st_mode):
                deepest = max(deepest, len(stack))
                if len(stack) > MAX_TREE_DEPTH:
                    continue
                try:
                    child = os.open(entry.name, flags, dir_fd=fd)
                except OSError:
                    continue
                stack.append((child, os.scandir(child)))
    except OSError:
        pass
    finally:
        for fd, iterator in stack:
            iterator.close()
            os.close(fd)
    return total, entries, deepest


def mount_quota(scratch: Path, quota: int) -> bool:
    """As root, make ``scratch`` a tmpfs a little larger than ``quota``: the kernel then bounds
    what the submission can store, files no walk can see (O_TMPFILE, unlinked) included, and
    the watchdog still names the reason when use passes the quota. False where not allowed."""
    if os.geteuid() != 0 or os.environ.get("GDL_NO_SCRATCH_TMPFS") or not shutil.which("mount"):
        return False
    size = quota + 16 * 2**20
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700,nosuid,nodev",
                             "gdl-scratch", str(scratch)], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return result.returncode == 0


def unmount(scratch: Path) -> None:
    subprocess.run(["umount", "-l", str(scratch)], stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def clear_scratch_root(root: Path) -> None:
    """Remove a batch's scratch root, whatever crashed workers left in it (tmpfs mounts too)."""
    root = Path(root).resolve()
    try:
        mounts = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        mounts = []
    for mount in sorted(mounts, key=len, reverse=True):
        decoded = mount.encode().decode("unicode_escape")   # /proc/mounts escapes spaces as \040
        if decoded.startswith(str(root) + "/"):
            unmount(Path(decoded))
    remove_tree(root)


def remove_tree(path: Path) -> None:
    """Delete a scratch folder whatever the kernel left in it (deep trees included)."""
    try:
        shutil.rmtree(path, ignore_errors=True)
    except RecursionError:      # shutil recurses per level; ignore_errors does not cover this
        pass
    if os.path.lexists(path):   # too deep for shutil (recursion, PATH_MAX): rm uses openat
        subprocess.run(["rm", "-rf", "--one-file-system", "--", str(path)],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Watchdog:
    """Limits that no single cell enforces: wall clock, disk, processes and memory of one
    sandbox. ``kill`` stops the kernel with the first reason given; ``check`` measures once
    and never raises (a limit that cannot be measured counts as broken)."""

    def __init__(self, km: SandboxedKernelManager, scratch: Path, settings: Settings,
                 group: cgroups.Group | None):
        self.km, self.scratch, self.settings, self.group = km, scratch, settings, group
        self.reason: Reason | None = None
        self.detail = ""
        self.deadline = time.monotonic() + settings.notebook_timeout

    def kill(self, reason: Reason | None, detail: str = "") -> None:
        """Stop the kernel now; the first reason given is the one recorded (None: just stop)."""
        if self.reason is None and reason is not None:
            self.reason, self.detail = reason, detail
        process = getattr(self.km.provisioner, "process", None) if self.km.provisioner else None
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                try:
                    process.kill()
                except OSError:
                    pass

    def check(self) -> None:
        try:
            self._measure()
        except Exception as error:
            self.kill(Reason.GRADER_ERROR, f"the watchdog could not check the limits ({type(error).__name__})")

    def _measure(self) -> None:
        settings, limit = self.settings, self.settings.limits.memory
        if time.monotonic() > self.deadline:
            self.kill(Reason.WALL_CLOCK, f"the notebook ran longer than {settings.notebook_timeout} s")
        used, entries, depth = tree_usage(self.scratch)
        if used > settings.disk_quota:
            self.kill(Reason.DISK, f"the scratch folder grew beyond {settings.disk_quota >> 20} MiB")
        elif entries > MAX_TREE_ENTRIES or depth > MAX_TREE_DEPTH:
            self.kill(Reason.DISK, f"the scratch folder holds more than {MAX_TREE_ENTRIES} entries "
                                   f"or folders deeper than {MAX_TREE_DEPTH} levels")
        if self.group is not None:   # the kernel's own accounting: memfd, O_TMPFILE and tmpfs included
            charged = self.group.memory_used()
            if self.group.out_of_memory() or (charged is not None and charged > limit):
                self.kill(Reason.MEMORY, f"the sandbox used more than {limit >> 20} MiB of memory")
        process = getattr(self.km.provisioner, "process", None) if self.km.provisioner else None
        if process is None or process.poll() is not None:
            return
        count = resident = 0
        try:
            children = psutil.Process(process.pid).children(recursive=True)
            count = len(children)
            for child in children:
                try:
                    resident += child.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        if count > settings.max_processes:
            self.kill(Reason.PROCESSES, f"more than {settings.max_processes} processes (fork bomb?)")
        # Without a cgroup, the resident sum is the measure (it counts pages that forked
        # processes share once per process, so it errs on the strict side).
        if self.group is None and resident > limit:
            self.kill(Reason.MEMORY, f"the kernel used more than {limit >> 20} MiB of memory")

    async def watch(self) -> None:
        while True:
            await asyncio.sleep(0.25)
            self.check()


def _kernel_env(scratch: Path, kernel_dir: Path, settings: Settings) -> dict:
    return {
        "PATH": f"{Path(PYTHON).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(scratch), "LANG": "C.UTF-8", "TMPDIR": "/tmp",
        "IPYTHONDIR": str(scratch / ".ipython"), "MPLCONFIGDIR": str(scratch / ".matplotlib"),
        "JUPYTER_RUNTIME_DIR": str(kernel_dir), "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "GDL_FAST": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1", "NBGRADER_EXECUTION": "autograde",
        **settings.kernel_env,
    }


async def _probe(client: GuardedClient, index: int, cell, spec: str, out: Path, settings: Settings,
                 budget: list[int]) -> dict:
    """Run the hidden probe of graded cell ``index`` and read what it wrote (data only)."""
    probe = nbformat.v4.new_code_cell(verify.probe_code(spec, str(out)), metadata={"gdl_probe": True})
    client.timeout = min(settings.probe_timeout, settings.cell_timeout)
    try:
        await client.async_execute_cell(probe, index, store_history=False)
    except CellTimeoutError:
        raise Stop(Reason.CELL_TIMEOUT, f"the hidden checks after cell {index + 1} timed out")
    finally:
        client.timeout = settings.cell_timeout
        client.nb.cells[index] = cell
    start = min(budget[0], verify.MAX_PROBE_BYTES)
    allowance = [start]
    observation = verify.read_observation(out, allowance)
    budget[0] -= start - allowance[0]     # what this cell's probe output cost
    return observation


def _classify(error: BaseException, watchdog: Watchdog, km, settings: Settings) -> Failure:
    """The failure a run ended with; the watchdog's reason, when it killed the kernel, wins."""
    if isinstance(error, Stop):
        reason, detail = error.reason, error.detail
    elif isinstance(error, DeadKernelError):
        reason, detail = Reason.KERNEL_DIED, _death_detail(km)
    else:   # the kernel could not start, a protocol error ...
        text = f"{type(error).__name__}: {str(error)[:200]}"
        if "Signature" in text or "MAXMSGSIZE" in text:   # a message over the size cap was cut
            reason = Reason.OUTPUT
            detail = f"a message from the kernel exceeded {4 * settings.output_limit >> 20} MiB"
        else:
            reason, detail = Reason.EXECUTION_ERROR, text
    if watchdog.reason is not None:
        reason, detail = watchdog.reason, watchdog.detail
    return Failure(str(reason), detail)


def _with_memory_errors(cells, failure: Failure | None, settings: Settings) -> Failure | None:
    """A MemoryError in any cell (the address-space backstop) is a memory-limit failure too."""
    for index, cell in enumerate(cells):
        if any(o.get("ename") == "MemoryError" for o in cell.get("outputs", [])):
            detail = (f"MemoryError in cell {index + 1} "
                      f"(address space limit {settings.limits.address_space >> 20} MiB per process)")
            if failure is None:
                return Failure(str(Reason.MEMORY), detail)
            return Failure(f"{failure.reason}, {Reason.MEMORY}", f"{failure.detail}; {detail}")
    return failure


async def _run_notebook(notebook, probes: dict, scratch: Path, settings: Settings,
                        sandbox: Sandbox | None, slot: int) -> NotebookRun:
    """Execute ``notebook`` (rebuilt) in a fresh sandboxed kernel; return what happened."""
    kernel_dir = scratch / ".kernel"
    kernel_dir.mkdir(exist_ok=True)
    probe_dir = Path(tempfile.mkdtemp(prefix="probe-", dir=scratch))
    if sandbox:
        sandbox.prepare_scratch(scratch, slot)
    km = SandboxedKernelManager(transport="ipc", ip=str(kernel_dir / "k"),
                                connection_file=str(kernel_dir / "connection.json"))
    group = cgroups.create(settings.limits.memory, settings.limits.processes) \
        if sandbox is not None and settings.use_cgroups else None
    km.sandbox, km.scratch, km.slot, km.cgroup = sandbox, scratch, slot, group
    km.context.setsockopt(zmq.MAXMSGSIZE, 4 * settings.output_limit)  # larger: refused, not buffered
    watchdog = Watchdog(km, scratch, settings, group)
    client = GuardedClient(
        notebook, km=km, timeout=settings.cell_timeout, interrupt_on_timeout=False,
        allow_errors=True, record_timing=False, iopub_timeout=10, raise_on_iopub_timeout=True,
        shutdown_kernel="immediate", startup_timeout=120,
    )
    client.output_limit, client.cell_output_limit = settings.output_limit, settings.cell_output_limit
    client.on_flood = lambda: watchdog.kill(Reason.OUTPUT, f"the notebook printed more than {settings.output_limit >> 20} MiB")
    replies: dict[int, str] = {}
    client.on_cell_executed = lambda cell, cell_index, execute_reply: None if "gdl_probe" in cell.metadata \
        else replies.__setitem__(cell_index, execute_reply["content"].get("status"))
    run = NotebookRun()
    probe_budget = [settings.probe_bytes]   # what the parent will receive stays bounded too
    ran: set[int] = set()
    started = time.monotonic()
    guard = asyncio.ensure_future(watchdog.watch())
    try:
        async with client.async_setup_kernel(env=_kernel_env(scratch, kernel_dir, settings), cwd=str(scratch),
                                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL):
            for index, cell in enumerate(client.nb.cells):
                if cell.cell_type != "code":
                    continue
                try:
                    await client.async_execute_cell(cell, index, store_history=True)
                except CellTimeoutError as error:
                    raise Stop(Reason.CELL_TIMEOUT, f"cell {index + 1} ran longer than {settings.cell_timeout} s"
                               if "IOPub" not in str(error) else f"cell {index + 1}: the kernel stopped sending output")
                ran.add(index)
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("grade") and meta.get("grade_id") in probes:
                    grade_id = meta["grade_id"]
                    run.observations[grade_id] = await _probe(client, index, cell, probes[grade_id],
                                                              probe_dir / f"{grade_id}.json", settings, probe_budget)
    except Exception as error:
        run.failure = _classify(error, watchdog, km, settings)
    finally:
        guard.cancel()
        if group is not None and group.out_of_memory():
            watchdog.kill(Reason.MEMORY, f"the sandbox used more than {settings.limits.memory >> 20} MiB of memory")
            if run.failure is None or run.failure.reason == str(Reason.KERNEL_DIED):
                run.failure = Failure(str(Reason.MEMORY), watchdog.detail)
        watchdog.kill(None)
        try:
            await km.shutdown_kernel(now=True)
        except Exception:
            pass
        atexit.unregister(client._cleanup_kernel)
        if group is not None:
            group.remove()
    run.failure = _with_memory_errors(client.nb.cells, run.failure, settings)
    # A kernel that exits (exit(), os._exit) between cells shows up as a dead kernel on the
    # next cell, or not at all when it was the last one: check the replies we did get.
    for index, cell in enumerate(client.nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            run.cells[meta["grade_id"]] = CellRun(index in ran, replies.get(index))
    run.notebook = nbformat.writes(client.nb)
    run.seconds = round(time.monotonic() - started, 2)
    return run


def _death_detail(km) -> str:
    process = getattr(km.provisioner, "process", None) if km.provisioner else None
    code = process.poll() if process is not None else None
    if code is None:
        return "the kernel stopped responding"
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        return f"the kernel was killed by {name}"
    return f"the kernel exited with status {code} (exit(), os._exit or a crash)"


# -- one submission (the worker's unit of work) -------------------------------------------------
_SLOT = 0


def init_worker(slots) -> None:
    """Pool initializer: take a sandbox slot (its own uid and limits) for this worker."""
    global _SLOT
    _SLOT = slots.get()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C


def grade_submission(job: Job, templates: dict[str, rebuild.Template], probes: dict,
                     settings: Settings, slot: int | None = None) -> SubmissionRun:
    """Rebuild, execute and probe every notebook of one submission; plain data out."""
    slot = _SLOT if slot is None else slot
    sandbox = None if settings.unsafe_no_sandbox else Sandbox(limits=settings.limits, uid_base=settings.uid_base)
    started = time.monotonic()
    result = SubmissionRun(job.student, job.lecture, problems=list(job.problems))
    scratch = Path(tempfile.mkdtemp(prefix=f"gdl-{job.lecture}-", dir=settings.scratch_root))
    mounted = False if settings.unsafe_no_sandbox else mount_quota(scratch, settings.disk_quota)
    try:
        for name, template in templates.items():
            result.notebooks[name] = _grade_notebook(job, name, template, probes, scratch, settings, sandbox, slot)
    finally:
        if mounted:
            unmount(scratch)
        remove_tree(scratch)
    result.seconds = round(time.monotonic() - started, 2)
    return result


def _grade_notebook(job: Job, name: str, template: rebuild.Template, probes: dict, scratch: Path,
                    settings: Settings, sandbox: Sandbox | None, slot: int) -> NotebookRun:
    refused = job.refused.get(name) or job.refused.get("*")
    if refused:
        return NotebookRun(failure=refused)
    path = job.notebooks.get(name)
    if path is None:
        return NotebookRun(failure=Failure(str(Reason.MISSING), f"no {name}.ipynb was submitted"))
    submitted, why = rebuild.read_submission(Path(path))
    if submitted is None:
        return NotebookRun(failure=Failure(str(Reason.MALFORMED), why))
    notebook, notes = rebuild.rebuild(template, submitted)
    marker = rebuild.hidden_marker()
    rebuild.mark_hidden_regions(notebook, marker)
    for relative, data in template.extra_files.items():
        target = scratch / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    try:
        run = asyncio.run(_run_notebook(notebook, probes, scratch, settings, sandbox, slot))
    except Exception as error:
        run = NotebookRun(failure=Failure(str(Reason.GRADER_ERROR), f"{type(error).__name__}: {error}"[:500]
                                          + "\n" + traceback.format_exc()[-1500:]))
    run.notes, run.marker = notes, marker
    return run
