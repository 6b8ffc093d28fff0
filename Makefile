# Thin wrappers. `make lab` and `make test` are the README's two commands; both create
# .venv and install the project on first use, and do nothing extra when nothing changed.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUBMITTED ?= grading/submitted
# extra flags for grade.py autograde, e.g. GRADE_FLAGS="--workers 8 --shard 0/4"
GRADE_FLAGS ?=
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab test release autograde merge sandbox feedback grades report bench data clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || \
	  { echo "Python 3.10 or newer is needed (PYTHON=$(PYTHON)); run e.g. 'make PYTHON=python3.11 ...'"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

# Jupyter refuses to run as root unless told (containers, CI machines).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=course $(ALLOW_ROOT)

test: $(STAMP) sandbox
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
