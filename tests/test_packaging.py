"""pyproject.toml, environment.yml and the Dockerfile install the same packages; the
README's quick start, the Makefile and .ci/run agree; JupyterLab serves course/."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10: pytest itself depends on tomli there
    import tomli as tomllib

import pytest
from packaging.requirements import Requirement

from notebooks import COURSE, ROOT

CONDA_TO_PIP = {"pytorch": "torch"}


def _pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    return {r.name.lower(): r.specifier for r in requirements}


def _conda():
    found, in_pip = {}, False
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("\ndependencies:", 1)[1].splitlines():
        item = re.match(r"^\s*-\s+(\S.*)$", line)
        if line.strip().startswith("- pip:"):
            in_pip = True
            continue
        if not item or in_pip:
            continue
        match = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", item.group(1).split("#")[0].strip())
        name = CONDA_TO_PIP.get(match.group(1).lower(), match.group(1).lower())
        if name not in ("python", "pip"):
            found[name] = Requirement(f"{name}{match.group(2)}").specifier
    return found


def test_conda_environment_matches_pyproject():
    assert _conda() == _pyproject()
    assert "- -e ." in (ROOT / "environment.yml").read_text(), "environment.yml must install the gdl package"


def test_dockerfile_installs_the_locked_set():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^COPY [^\n]*requirements\.lock", dockerfile, flags=re.M), "the image copies the lock"
    assert re.search(r'^RUN python tools/install\.py --torch-index-url "\$\{TORCH_INDEX_URL\}"', dockerfile, flags=re.M), \
        "the image installs with tools/install.py, like make lab"
    assert "pip install -e" not in dockerfile, "an unlocked install in the image would drift from the lock"


def _locked():
    """{name: [(version, marker or None)]} from requirements.lock."""
    found = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        requirement = Requirement(line)
        (spec,) = list(requirement.specifier)
        assert spec.operator == "==", f"the lock must pin exact versions: {line}"
        found.setdefault(requirement.name.lower().replace("_", "-"), []).append((spec.version, requirement.marker))
    return found


def test_lock_satisfies_pyproject():
    locked = _locked()
    for name, specifier in _pyproject().items():
        key = name.replace("_", "-")
        assert key in locked, f"{name} is in pyproject.toml but not in requirements.lock: run `make lock`"
        for version, marker in locked[key]:
            assert specifier.contains(version, prereleases=True), (
                f"requirements.lock pins {name}=={version}{f' ; {marker}' if marker else ''}, outside "
                f"pyproject.toml's {name}{specifier}: run `make lock`")


def test_lock_covers_linux_and_macos_and_supported_pythons():
    header = (ROOT / "requirements.lock").read_text().splitlines()[:3]
    assert any("make lock" in line for line in header), "the lock says how to refresh it"
    makefile = (ROOT / "Makefile").read_text()
    command = re.search(r"^LOCK_COMMAND = (.*?)\n\S", makefile, flags=re.M | re.S).group(1)
    assert "--universal" in command and "--python-version 3.10" in command and "--extra test" in command
    environments = {
        "linux": {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64"},
        "macos": {"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "arm64"},
    }
    locked = _locked()
    for system, markers in environments.items():
        for python in ("3.10", "3.11", "3.12"):
            env = dict(markers, python_version=python, python_full_version=f"{python}.0", implementation_name="cpython",
                       platform_python_implementation="CPython", os_name="posix")
            for name in _pyproject():
                versions = [v for v, marker in locked[name.replace("_", "-")] if marker is None or marker.evaluate(env)]
                assert len(versions) == 1, f"{system}, Python {python}: the lock gives {name} {versions or 'no version'}"


def test_every_install_goes_through_the_lock():
    makefile = (ROOT / "Makefile").read_text()
    stamp_rule = re.search(r"^\$\(STAMP\): (.*?)\n\n", makefile, flags=re.M | re.S).group(0)
    assert "$(LOCK)" in stamp_rule.splitlines()[0], "a changed lock must reinstall"
    assert "tools/install.py" in stamp_rule and "pip install -e" not in stamp_rule
    assert "TORCH_INDEX_URL" in stamp_rule, "the CPU-only path goes through the same installer"


def test_installer_prefers_uv_and_falls_back_to_pip(monkeypatch):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import install
    finally:
        sys.path.pop(0)
    monkeypatch.setenv("GDL_INSTALLER", "pip")
    assert install.installer()[:3] == [sys.executable, "-m", "pip"]
    monkeypatch.setenv("GDL_INSTALLER", "")
    monkeypatch.setattr(install.shutil, "which", lambda name: None)
    monkeypatch.setattr(install.sys, "executable", "/nonexistent/bin/python")
    assert install.installer()[1:3] == ["-m", "pip"], "without uv, pip installs"
    monkeypatch.setattr(install.shutil, "which", lambda name: "/opt/uv/bin/uv")
    assert install.installer()[:3] == ["/opt/uv/bin/uv", "pip", "install"]
    monkeypatch.setenv("GDL_INSTALLER", "conda")
    with pytest.raises(SystemExit, match="GDL_INSTALLER"):
        install.installer()


def test_cpu_only_install_leaves_out_the_cuda_libraries(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import install
    finally:
        sys.path.pop(0)
    calls, installed = [], {}

    def fake_pip(*args):
        calls.append(args)
        if args[0] == "-r":
            installed[args[1]] = Path(args[1]).read_text()

    monkeypatch.setattr(install, "install_packages", fake_pip)
    install.main(["--torch-index-url", "https://example.invalid/cpu"])
    torch_call, requirements_call, project_call = calls
    assert torch_call[:2] == ("--index-url", "https://example.invalid/cpu")
    assert {arg.split("==")[0] for arg in torch_call[2:]} == {"torch", "torchvision"}
    without_cuda = installed[requirements_call[1]].splitlines()
    assert not any(line.startswith(("nvidia-", "triton")) for line in without_cuda)
    assert any(line.startswith("torch==") for line in without_cuda) and any(line.startswith("numpy==") for line in without_cuda)
    assert project_call[:2] == ("--no-deps", "-e")
    calls.clear()
    install.main([])
    assert calls[0] == ("-r", str(ROOT / "requirements.lock"))
    lines = install.locked_requirements((ROOT / "requirements.lock").read_text())
    assert any(install.CUDA_ONLY.match(line) for line in lines), "the CUDA filter matches nothing in the lock"


def test_dockerfile_serves_course_as_non_root_on_8888():
    lines = [l.strip() for l in (ROOT / "Dockerfile").read_text().splitlines() if l.strip() and not l.startswith("#")]
    base = next(l for l in lines if l.startswith("FROM"))
    version = tuple(int(v) for v in re.search(r"python:(\d+)\.(\d+)", base).groups())
    assert version >= (3, 10)
    users = [l.split()[1] for l in lines if l.startswith("USER")]
    assert users and users[-1] not in ("root", "0")
    assert lines.index(next(l for l in lines if l.startswith("USER"))) < lines.index(next(l for l in lines if l.startswith("CMD")))
    assert "EXPOSE 8888" in lines
    command = json.loads(next(l for l in lines if l.startswith("CMD"))[3:])
    assert command[:2] == ["jupyter", "lab"] and "--port=8888" in command and "--ip=0.0.0.0" in command
    assert any(arg.startswith("--notebook-dir=") and arg.endswith("/course") for arg in command)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and "grading" in ignored


def test_readme_quick_start_is_the_two_make_commands():
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(make \w+)", quick, flags=re.M)
    assert commands == ["make lab", "make test"]
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab", "test", "release", "autograde", "feedback", "grades"):
        assert re.search(rf"^{target}:", makefile, flags=re.M), f"make {target} is documented but missing"
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert [l for l in ci if l and not l.startswith("#") and not l.startswith("set ") and not l.startswith("cd ")] == ["make test"]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_jupyterlab_serves_the_course(tmp_path):
    port, token = _free_port(), "gdl-test-token"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path), JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--notebook-dir={COURSE}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline, listing = time.time() + 60, None
        while time.time() < deadline and listing is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents?token={token}", timeout=5) as reply:
                    listing = json.load(reply)
            except OSError:
                time.sleep(0.5)
        assert listing is not None, "JupyterLab did not answer within 60 s"
        served = {item["name"] for item in listing["content"]}
        assert {p.name for p in COURSE.iterdir() if p.is_dir()} <= served
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=10) as reply:
            assert reply.status == 200 and b"JupyterLab" in reply.read()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_binder_builds_the_course_and_opens_it():
    import yaml

    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists(), \
        "a binder/ folder would make repo2docker ignore environment.yml and postBuild at the top level"
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    dependencies = environment["dependencies"]
    assert "jupyterlab" in {str(d).split(">")[0].split("=")[0] for d in dependencies if isinstance(d, str)}
    pip_section = next(d["pip"] for d in dependencies if isinstance(d, dict) and "pip" in d)
    assert "-e ." in pip_section, "repo2docker stages the repository and installs gdl from it"
    post_build = ROOT / "postBuild"
    assert os.access(post_build, os.X_OK), "repo2docker runs postBuild only when it is executable"
    mode = subprocess.run(["git", "ls-files", "-s", "postBuild"], cwd=ROOT, capture_output=True, text=True).stdout
    assert not mode or mode.startswith("100755"), "postBuild must be committed as executable"
    assert 'default_url = "/lab/tree/course"' in post_build.read_text()
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"https://mybinder\.org/v2/gh/[^)\s]+\?urlpath=lab/tree/course", readme), \
        "the README's Binder link opens JupyterLab on course/"
