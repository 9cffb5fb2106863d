# Two commands: `make run` (install, index, serve) and `make test` (lint, types, tests).
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.install-stamp
PYTHON ?= python3

# No model is ever fetched from a hub at run time.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run index test lint eval clean

install: $(STAMP)

# torch first, pinned: the CPU build on this machine's disk. Installed later as a dependency
# it would be an unpinned torch, which pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

index: install
	$(BIN)/ldn-assistant index

run: index
	$(BIN)/ldn-assistant serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(PY) -m pytest

eval: install
	$(BIN)/ldn-assistant eval --baselines --out eval-out

clean:
	rm -rf $(VENV) index eval-out .mypy_cache .ruff_cache .pytest_cache
