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


def test_dockerfile_installs_the_same_set():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'pip install -e ".[test]"' in dockerfile, "the image installs the project with its test extra"
    pinned = {Requirement(r).name: Requirement(r).specifier for r in re.findall(r'"((?:torch|torchvision)[^"]*)"', dockerfile)}
    expected = _pyproject()
    assert pinned == {name: expected[name] for name in ("torch", "torchvision")}


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
