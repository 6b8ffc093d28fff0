# Thin wrappers. `make lab` and `make test` are the README's two commands; both create
# .venv and install the project on first use, and do nothing extra when nothing changed.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUBMITTED ?= grading/submitted
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab test release autograde feedback grades bench data clean

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

test: $(STAMP)
	GDL_FAST=1 $(BIN)/python -m pytest

release: $(STAMP)
	$(BIN)/python autograder/grade.py release

autograde: $(STAMP)
	$(BIN)/python autograder/grade.py autograde $(SUBMITTED)

feedback: $(STAMP)
	$(BIN)/python autograder/grade.py feedback

grades: $(STAMP)
	$(BIN)/python autograder/grade.py export

bench: $(STAMP)
	$(BIN)/python tests/benchmark.py

data: $(STAMP)
	$(BIN)/python data/build_mnist_subset.py

clean:
	rm -rf grading .pytest_cache
