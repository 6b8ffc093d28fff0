# Thin wrappers. `make lab` and `make test` are the README's two commands; both create
# .venv and install the project on first use, and do nothing extra when nothing changed.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
SUBMITTED ?= grading/submitted
# extra flags for grade.py autograde, e.g. GRADE_FLAGS="--workers 8 --shard 0/4"
GRADE_FLAGS ?=
# PyTorch from another index, e.g. the CPU-only wheels (README, troubleshooting):
#   make lab TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
TORCH_INDEX_URL ?=
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab test release autograde merge sandbox browser feedback grades report bench data lock lock-upgrade clean

# Exactly the versions in the lock (tools/install.py), whatever the index serves today.
$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || \
	  { echo "Python 3.10 or newer is needed (PYTHON=$(PYTHON)); run e.g. 'make PYTHON=python3.11 ...'"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet uv || echo "note: uv is unavailable; installing with pip (slower)"
	$(BIN)/python tools/install.py $(if $(TORCH_INDEX_URL),--torch-index-url $(TORCH_INDEX_URL))
	@touch $@

# Jupyter refuses to run as root unless told (containers, CI machines).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=course $(ALLOW_ROOT)

test: $(STAMP) sandbox browser
	GDL_FAST=1 $(BIN)/python -m pytest

release: $(STAMP)
	$(BIN)/python autograder/grade.py release

autograde: $(STAMP) sandbox
	$(BIN)/python autograder/grade.py autograde $(SUBMITTED) $(GRADE_FLAGS)

merge: $(STAMP)
	$(BIN)/python autograder/grade.py merge $(SHARDS)

# The autograder runs student code under bubblewrap. Install it when missing and we may
# (root on Debian/Ubuntu: CI machines, containers); otherwise say what to do.
sandbox:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing bubblewrap (the autograder's sandbox)"; \
	    apt-get install -y -qq bubblewrap >/dev/null 2>&1 || \
	      { apt-get update -qq >/dev/null && apt-get install -y -qq bubblewrap >/dev/null; } || \
	      echo "warning: could not install bubblewrap; sandboxed grading tests will be skipped"; \
	  else \
	    echo "note: bubblewrap (bwrap) is missing: install it (apt-get install bubblewrap) to grade; the sandbox tests are skipped"; \
	  fi; }

# The browser tests drive Chromium. Install it like bubblewrap; without it they skip.
browser:
	@command -v chromium >/dev/null 2>&1 || test -x "$${GDL_CHROMIUM:-/usr/bin/chromium}" || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium (the browser tests' browser)"; \
	    apt-get install -y -qq chromium >/dev/null 2>&1 || \
	      { apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null; } || \
	      echo "warning: could not install chromium; the browser tests will be skipped"; \
	  else \
	    echo "note: Chromium is missing: install it (apt-get install chromium) or set GDL_CHROMIUM; the browser tests are skipped"; \
	  fi; }

# Rewrite requirements.lock from pyproject.toml for Linux and macOS, Python 3.10 and newer,
# keeping the locked versions where they still fit; lock-upgrade moves everything to the newest.
LOCK_COMMAND = $(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.10 \
	--custom-compile-command "make lock" --quiet -o $(LOCK)
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(LOCK_COMMAND)

lock-upgrade:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(LOCK_COMMAND) --upgrade

feedback: $(STAMP)
	$(BIN)/python autograder/grade.py feedback

grades: $(STAMP)
	$(BIN)/python autograder/grade.py export

report: $(STAMP)
	$(BIN)/python autograder/grade.py report

bench: $(STAMP)
	$(BIN)/python tests/benchmark.py

data: $(STAMP)
	$(BIN)/python data/build_mnist_subset.py

clean:
	rm -rf grading .pytest_cache
