# The two commands of the README. Both create ./.venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check install install-test build serve bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

## make run: install, build the graph from data/corpus/, and serve it on http://$(HOST):$(PORT)/
run: install
	$(BIN)/allygraph build
	$(BIN)/allygraph serve --host $(HOST) --port $(PORT)

## make test: install with test extras, lint, type-check, run the test suite
test: install-test
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/pytest

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
