"""The sliders, in a real browser: JupyterLab from the venv, driven by Playwright in Chromium.

For every solution notebook with an explorer (a cell calling ``interactive_figure``), run all
cells in fast mode, then move each slider of each explorer through its readout box and wait
for the explorer's picture to change, with no error or stderr output in the notebook. Every
untouched ``course/`` notebook must open and run the cells before its first exercise.
Screenshots go to ``tests/browser-screenshots/`` (ignored by git).

Needs Chromium (``/usr/bin/chromium``, or ``GDL_CHROMIUM``) and the ``playwright`` package;
``make test`` installs Chromium as root on Debian/Ubuntu. Without them the tests skip and say so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from notebooks import COURSE, ROOT, lectures, read, solution_notebooks

CHROMIUM = Path(os.environ.get("GDL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")
SCREENSHOTS = ROOT / "tests" / "browser-screenshots"
TOKEN = "gdl-browser-test"
RUN_ALL_TIMEOUT_MS = 600_000  # generous: a loaded machine runs the fast mode several times slower
REDRAW_TIMEOUT_MS = 60_000
# Without these, Chromium keeps trying to reach Google's servers on a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ENABLE = ("install Chromium (as root on Debian/Ubuntu, `make test` does it: apt-get install chromium) "
          "or point GDL_CHROMIUM at a Chromium binary")

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the test extra installs it
    sync_playwright = None


def _skip_reason() -> str | None:
    if sync_playwright is None:
        return "browser tests need the playwright package (pip install -e '.[test]')"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"browser tests need Chromium at {CHROMIUM}: {ENABLE}"
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")


# A call that builds an explorer: gdl.widgets.interactive_figure or a gdl helper around it
# (gdl.latent.plane_explorer, ...), not its definition or import.
EXPLORER_CALL = re.compile(r"^(?!\s*(def|from|import)\b).*\b(interactive_figure|\w+_explorer)\(", re.M)


def explorer_cells(path: Path) -> list[int]:
    """Indices (among code cells) of the cells that build an explorer."""
    code = [cell for cell in read(path).cells if cell.cell_type == "code"]
    return [i for i, cell in enumerate(code) if EXPLORER_CALL.search(cell.source)]


def first_exercise_cell(path: Path) -> int:
    """Index (among all cells) of the first answer cell: everything above it must run clean."""
    cells = read(path).cells
    return next(i for i, cell in enumerate(cells) if cell.metadata.get("nbgrader", {}).get("solution"))


EXPLORER_NOTEBOOKS = [path for path in solution_notebooks() if explorer_cells(path)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a free loopback port, serving copies of the notebooks in fast mode."""
    root = tmp_path_factory.mktemp("lab")
    for path in EXPLORER_NOTEBOOKS:
        shutil.copy(path, root / f"solution-{path.name}")
    for lecture in lectures():
        for path in (COURSE / lecture).glob("*.ipynb"):
            shutil.copy(path, root / f"course-{path.name}")
    settings = root / ".settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell (no virtual scrolling), so the test finds each explorer in the page.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    # No news or update pop-ups over the pictures.
    notices = root / ".settings" / "@jupyterlab" / "apputils-extension"
    notices.mkdir(parents=True)
    (notices / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    env = dict(os.environ, GDL_FAST="1", JUPYTER_RUNTIME_DIR=str(root / ".runtime"),
               JUPYTER_CONFIG_DIR=str(root / ".config"), JUPYTERLAB_SETTINGS_DIR=str(root / ".settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(root / ".workspaces"))
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=5):
                    break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    pytest.fail("JupyterLab did not start within 90 s")
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _open(browser, base: str, name: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/lab/tree/{name}?token={TOKEN}&reset")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    # a kernel is attached and idle before we ask it to run anything
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=60_000)
    return page


def _run_command(page, menu: str, item: str, focus_cell: int = 0):
    """Activate the notebook (click a cell), then choose ``menu`` > ``item``; retry until some
    cell starts running (a menu item is disabled while the notebook is not the current widget)."""
    for _attempt in range(3):
        page.locator(".jp-Notebook .jp-Cell").nth(focus_cell).locator(".jp-InputPrompt").first.click()
        page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
        page.locator(".lm-Menu-itemLabel", has_text=item).first.click()
        try:
            page.wait_for_function(
                """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                        .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))""",
                timeout=30_000,
            )
            return
        except Exception:
            page.keyboard.press("Escape")
    pytest.fail(f"{menu} > {item} did not start any cell (three tries)")


def _wait_until_done(page, n_cells: int, timeout_ms: int):
    """Wait until the first ``n_cells`` code cells show an execution count and the kernel is
    idle (right after "Run All" the kernel may still look idle, with nothing started yet)."""
    try:
        _wait_for_counts(page, n_cells, timeout_ms)
    except Exception:
        cells = page.locator(".jp-Notebook .jp-CodeCell")
        prompts = [cells.nth(i).locator(".jp-InputPrompt").first.inner_text().strip() for i in range(min(n_cells, cells.count()))]
        pending = [f"code cell {i} {p}" for i, p in enumerate(prompts) if not any(ch.isdigit() for ch in p)]
        shown = _problems(page, [cells.nth(i) for i in range(cells.count())])
        pytest.fail(f"the cells did not all run within {timeout_ms / 1000:.0f} s: not run: {pending[:5]}; "
                    f"errors or stderr: {shown[:3]}")


def _wait_for_counts(page, n_cells: int, timeout_ms: int):
    page.wait_for_function(
        """(n) => {
            const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')].slice(0, n);
            const done = prompts.length === n && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            const idle = document.querySelector(".jp-Notebook-ExecutionIndicator[data-status='idle']");
            return done && idle !== null;
        }""",
        arg=n_cells,
        timeout=timeout_ms,
    )


def _problems(page, cells) -> list[str]:
    """Error tracebacks and stderr text shown in the given cell locators' outputs."""
    found = []
    for cell in cells:
        for kind in ("application/vnd.jupyter.error", "application/vnd.jupyter.stderr"):
            for output in cell.locator(f".jp-OutputArea-output[data-mime-type='{kind}']").all():
                found.append(f"{kind.rsplit('.', 1)[-1]}: {output.inner_text()[:400]}")
    return found


def _move_slider(slider) -> str:
    """Move the slider one notch with the keyboard (back one notch at its maximum); returns
    the readout it shows afterwards."""
    readout = slider.locator(".widget-readout")
    old = readout.inner_text().strip()
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    handle.press("ArrowRight")
    if readout.inner_text().strip() == old:
        handle.press("ArrowLeft")
    return readout.inner_text().strip()


def _image_source(explorer) -> str:
    return explorer.locator("img").first.get_attribute("src") or ""


@pytest.mark.parametrize("path", EXPLORER_NOTEBOOKS, ids=lambda p: p.stem)
def test_every_slider_redraws_its_explorer(lab, browser, path):
    page = _open(browser, lab, f"solution-{path.name}")
    try:
        _run_command(page, "Run", "Run All Cells")
        _wait_until_done(page, len([c for c in read(path).cells if c.cell_type == "code"]), RUN_ALL_TIMEOUT_MS)
        cells = page.locator(".jp-Notebook .jp-CodeCell")
        everything = [cells.nth(i) for i in range(cells.count())]
        assert not _problems(page, everything), f"{path.name} shows errors or stderr: {_problems(page, everything)}"
        SCREENSHOTS.mkdir(exist_ok=True)
        for index in explorer_cells(path):
            cell = cells.nth(index)
            cell.scroll_into_view_if_needed()
            explorer = cell.locator(".jp-OutputArea-output .widget-vbox").first
            try:
                explorer.locator("img").first.wait_for(timeout=REDRAW_TIMEOUT_MS)
            except Exception:
                cell.screenshot(path=str(SCREENSHOTS / f"{path.stem}-cell{index}-FAILED.png"))
                pytest.fail(f"{path.name}: the explorer of code cell {index} shows no picture "
                            f"(screenshot in {SCREENSHOTS.relative_to(ROOT)})")
            sliders = explorer.locator(".widget-slider").all()
            assert sliders, f"{path.name}: code cell {index} builds an explorer but shows no slider"
            for number, slider in enumerate(sliders):
                before = _image_source(explorer)
                value = _move_slider(slider)
                try:
                    page.wait_for_function(
                        "([img, before]) => img && img.getAttribute('src') !== before",
                        arg=[explorer.locator("img").first.element_handle(), before],
                        timeout=REDRAW_TIMEOUT_MS,
                    )
                except Exception:
                    pytest.fail(f"{path.name}: slider {number} of the explorer in code cell {index} moved to "
                                f"{value}, but the picture did not change within {REDRAW_TIMEOUT_MS / 1000:.0f} s")
                message = explorer.locator(".widget-html").first.inner_text().strip()
                assert not message, f"{path.name}: the explorer in code cell {index} reports: {message}"
                assert not _problems(page, [cell]), f"{path.name}: code cell {index}: {_problems(page, [cell])}"
            explorer.screenshot(path=str(SCREENSHOTS / f"{path.stem}-cell{index}.png"))
    except BaseException:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{path.stem}-FAILED-page.png"))
        raise
    finally:
        page.close()


COURSE_NOTEBOOKS = [path for lecture in lectures() for path in sorted((COURSE / lecture).glob("*.ipynb"))]


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=lambda p: p.stem)
def test_untouched_course_notebook_opens_and_its_first_cells_run(lab, browser, path):
    page = _open(browser, lab, f"course-{path.name}")
    try:
        stop = first_exercise_cell(path)
        cells = page.locator(".jp-Notebook .jp-Cell")
        _run_command(page, "Run", "Run All Above Selected Cell", focus_cell=stop)
        n_code = len([c for c in read(path).cells[:stop] if c.cell_type == "code"])
        assert n_code, f"{path.name}: no code runs before the first exercise (imports, data)"
        _wait_until_done(page, n_code, RUN_ALL_TIMEOUT_MS)
        above = [cells.nth(i) for i in range(stop)]
        assert not _problems(page, above), f"{path.name}: {_problems(page, above)}"
    finally:
        page.close()
