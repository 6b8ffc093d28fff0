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
from sandbox import PYTHON, Limits, Sandbox


@dataclass
class Settings:
    """How a batch runs (picklable: it is sent to every worker)."""

    cell_timeout: int = 600
    notebook_timeout: int = 1800
    probe_timeout: int = 120
    limits: Limits = field(default_factory=Limits)
    disk_quota: int = 512 * 2**20          # bytes the scratch folder may hold
    max_processes: int = 32                # processes in the sandbox before it counts as a bomb
    output_limit: int = 16 * 2**20         # bytes of output per notebook before the kernel is stopped
    cell_output_limit: int = 2 * 2**20     # bytes of output kept per cell
    unsafe_no_sandbox: bool = False
    scratch_root: str | None = None
    kernel_env: dict = field(default_factory=dict)


@dataclass
class Job:
    student: str
    lecture: str
    notebooks: dict[str, str]              # notebook name -> submitted file path
    problems: list[str] = field(default_factory=list)
    timestamp: str | None = None           # ISO time from nbgrader's timestamp.txt


# -- the kernel in its sandbox ------------------------------------------------------------------
class SandboxedKernelManager(AsyncKernelManager):
    """Starts ipykernel inside the sandbox, talking over IPC sockets in the scratch folder."""

    sandbox: Sandbox | None = None
    scratch: Path | None = None
    slot: int = 0

    def format_kernel_cmd(self, extra_arguments=None):
        argv = [PYTHON, "-m", "ipykernel_launcher", "-f", self.connection_file,
                "--HistoryManager.hist_file=:memory:"]
        if self.sandbox is None:
            return argv
        return self.sandbox.command(argv, self.scratch, self.slot)

    def write_connection_file(self, **kwargs):
        super().write_connection_file(**kwargs)
        if self.sandbox is not None and self.sandbox.as_root:
            uid = self.sandbox.sandbox_uid(self.slot)
            os.chown(self.connection_file, uid, uid)


def _size(content: dict) -> int:
    try:
        return len(json.dumps(content.get("data") or content.get("text") or content.get("traceback") or ""))
    except Exception:
        return 1 << 20


class GuardedClient(NotebookClient):
    """nbclient with an output cap: a flooding kernel is stopped, not buffered."""

    output_limit: int = 16 * 2**20
    cell_output_limit: int = 2 * 2**20
    on_flood = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.output_bytes = 0
        self.cell_bytes: dict[int, int] = {}

    def process_message(self, msg, cell, cell_index):
        if msg.get("msg_type") in ("stream", "display_data", "execute_result", "error", "update_display_data"):
            size = _size(msg.get("content", {}))
            self.output_bytes += size
            used = self.cell_bytes.get(id(cell), 0) + size
            self.cell_bytes[id(cell)] = used
            if self.output_bytes > self.output_limit:
                if self.on_flood:
                    self.on_flood()
                return None
            if used > self.cell_output_limit and msg["msg_type"] != "error":
                return None
        return super().process_message(msg, cell, cell_index)


class Failure(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason, self.detail = reason, detail


def _tree_size(path: Path) -> int:
    total = 0
    for root, dirs, files in os.walk(path, onerror=lambda e: None):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total


async def _run_notebook(notebook, template: rebuild.Template, probes: dict, scratch: Path,
                        settings: Settings, sandbox: Sandbox | None, slot: int) -> dict:
    """Execute ``notebook`` (rebuilt) in a fresh sandboxed kernel; return what happened."""
    kernel_dir = scratch / ".kernel"
    kernel_dir.mkdir(exist_ok=True)
    probe_dir = Path(tempfile.mkdtemp(prefix="probe-", dir=scratch))
    if sandbox:
        sandbox.prepare_scratch(scratch, slot)
    km = SandboxedKernelManager(
        transport="ipc", ip=str(kernel_dir / "k"),
        connection_file=str(kernel_dir / "connection.json"),
    )
    km.sandbox, km.scratch, km.slot = sandbox, scratch, slot
    km.context.setsockopt(zmq.MAXMSGSIZE, 4 * settings.output_limit)  # larger: refused, not buffered
    state = {"reason": None, "detail": ""}

    def kill(reason: str, detail: str = "") -> None:
        if state["reason"] is None:
            state["reason"], state["detail"] = reason, detail
        process = getattr(km.provisioner, "process", None) if km.provisioner else None
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                try:
                    process.kill()
                except OSError:
                    pass

    client = GuardedClient(
        notebook, km=km, timeout=settings.cell_timeout, interrupt_on_timeout=False,
        allow_errors=True, record_timing=False, iopub_timeout=10, raise_on_iopub_timeout=True,
        shutdown_kernel="immediate", startup_timeout=120,
    )
    client.output_limit, client.cell_output_limit = settings.output_limit, settings.cell_output_limit
    client.on_flood = lambda: kill("output limit", f"the notebook printed more than {settings.output_limit >> 20} MiB")
    replies: dict[int, str] = {}
    client.on_cell_executed = lambda cell, cell_index, execute_reply: None if "gdl_probe" in cell.metadata \
        else replies.__setitem__(cell_index, execute_reply["content"].get("status"))
    observations: dict[str, dict] = {}
    ran: set[int] = set()
    deadline = time.monotonic() + settings.notebook_timeout

    async def watchdog():
        while True:
            await asyncio.sleep(0.25)
            if time.monotonic() > deadline:
                kill("wall-clock limit", f"the notebook ran longer than {settings.notebook_timeout} s")
            if _tree_size(scratch) > settings.disk_quota:
                kill("disk quota", f"the scratch folder grew beyond {settings.disk_quota >> 20} MiB")
            process = getattr(km.provisioner, "process", None) if km.provisioner else None
            if process is not None and process.poll() is None:
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
                    kill("process limit", f"more than {settings.max_processes} processes (fork bomb?)")
                if resident > settings.limits.memory:
                    kill("memory limit", f"the kernel used more than {settings.limits.memory >> 20} MiB of memory")

    env = {
        "PATH": f"{Path(PYTHON).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(scratch), "LANG": "C.UTF-8", "TMPDIR": "/tmp",
        "IPYTHONDIR": str(scratch / ".ipython"), "MPLCONFIGDIR": str(scratch / ".matplotlib"),
        "JUPYTER_RUNTIME_DIR": str(kernel_dir), "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "GDL_FAST": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1", "NBGRADER_EXECUTION": "autograde",
        **settings.kernel_env,
    }
    failure = None
    started = time.monotonic()
    guard = asyncio.ensure_future(watchdog())
    try:
        async with client.async_setup_kernel(env=env, cwd=str(scratch), stdin=subprocess.DEVNULL,
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            for index, cell in enumerate(client.nb.cells):
                if cell.cell_type != "code":
                    continue
                try:
                    await client.async_execute_cell(cell, index, store_history=True)
                except CellTimeoutError as error:
                    raise Failure("cell timeout", f"cell {index + 1} ran longer than {settings.cell_timeout} s"
                                  if "IOPub" not in str(error) else f"cell {index + 1}: the kernel stopped sending output")
                ran.add(index)
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                if grade_id in probes and cell.metadata.get("nbgrader", {}).get("grade"):
                    out = probe_dir / f"{grade_id}.json"
                    probe = nbformat.v4.new_code_cell(verify.probe_code(probes[grade_id], str(out)),
                                                      metadata={"gdl_probe": True})
                    client.timeout = min(settings.probe_timeout, settings.cell_timeout)
                    try:
                        await client.async_execute_cell(probe, index, store_history=False)
                    except CellTimeoutError:
                        raise Failure("cell timeout", f"the hidden checks after cell {index + 1} timed out")
                    finally:
                        client.timeout = settings.cell_timeout
                        client.nb.cells[index] = cell
                    observations[grade_id] = verify.read_observation(out)
    except Failure as error:
        failure = {"reason": state["reason"] or error.reason, "detail": state["detail"] or error.detail}
    except DeadKernelError:
        failure = {"reason": state["reason"] or "kernel died",
                   "detail": state["detail"] or _death_detail(km)}
    except Exception as error:  # the kernel could not start, a protocol error ...
        text = f"{type(error).__name__}: {str(error)[:200]}"
        if "Signature" in text or "MAXMSGSIZE" in text:   # a message over the size cap was cut
            failure = {"reason": state["reason"] or "output limit",
                       "detail": state["detail"] or f"a message from the kernel exceeded {4 * settings.output_limit >> 20} MiB"}
        else:
            failure = {"reason": state["reason"] or "execution error", "detail": state["detail"] or text}
    finally:
        guard.cancel()
        kill("finished")
        try:
            await km.shutdown_kernel(now=True)
        except Exception:
            pass
        atexit.unregister(client._cleanup_kernel)
    if failure and failure["reason"] == "finished":
        failure = None
    for index, cell in enumerate(client.nb.cells):
        if any(o.get("ename") == "MemoryError" for o in cell.get("outputs", [])):
            memory = {"reason": "memory limit", "detail": f"MemoryError in cell {index + 1} "
                      f"(address space limit {settings.limits.address_space >> 20} MiB per process)"}
            failure = memory if failure is None else {
                "reason": f"{failure['reason']}, memory limit", "detail": f"{failure['detail']}; {memory['detail']}"}
            break
    # A kernel that exits (exit(), os._exit) between cells shows up as a dead kernel on the
    # next cell, or not at all when it was the last one: check the replies we did get.
    cells = {}
    for index, cell in enumerate(client.nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            cells[meta["grade_id"]] = {"ran": index in ran, "reply": replies.get(index)}
    return {
        "notebook": nbformat.writes(client.nb),
        "cells": cells,
        "observations": observations,
        "failure": failure,
        "seconds": round(time.monotonic() - started, 2),
    }


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
                     settings: Settings, slot: int | None = None) -> dict:
    """Rebuild, execute and probe every notebook of one submission; plain data out."""
    slot = _SLOT if slot is None else slot
    sandbox = None if settings.unsafe_no_sandbox else Sandbox(limits=settings.limits)
    started = time.monotonic()
    result = {"student": job.student, "lecture": job.lecture, "notebooks": {}, "problems": list(job.problems)}
    scratch = Path(tempfile.mkdtemp(prefix=f"gdl-{job.lecture}-", dir=settings.scratch_root))
    try:
        for name, template in templates.items():
            entry = {"notes": [], "failure": None, "cells": {}, "observations": {}, "notebook": None}
            path = job.notebooks.get(name)
            if path is None:
                entry["failure"] = {"reason": "missing notebook", "detail": f"no {name}.ipynb was submitted"}
                result["notebooks"][name] = entry
                continue
            submitted, why = rebuild.read_submission(Path(path))
            if submitted is None:
                entry["failure"] = {"reason": "malformed notebook", "detail": why}
                result["notebooks"][name] = entry
                continue
            notebook, notes = rebuild.rebuild(template, submitted)
            marker = rebuild.hidden_marker()
            rebuild.mark_hidden_regions(notebook, marker)
            for relative, data in template.extra_files.items():
                target = scratch / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            try:
                run = asyncio.run(_run_notebook(notebook, template, probes, scratch, settings, sandbox, slot))
            except Exception as error:
                run = {"notebook": None, "cells": {}, "observations": {}, "seconds": 0,
                       "failure": {"reason": "grader error", "detail": f"{type(error).__name__}: {error}"[:500]
                                   + "\n" + traceback.format_exc()[-1500:]}}
            entry.update(run)
            entry["notes"] = notes
            entry["marker"] = marker
            result["notebooks"][name] = entry
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result["seconds"] = round(time.monotonic() - started, 2)
    return result
