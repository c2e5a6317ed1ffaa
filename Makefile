# `make run` and `make test` set up .venv from pyproject.toml when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint schema bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/cartgate serve

lint: $(STAMP)
	$(BIN)/ruff check adapters gateway tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q

schema: $(STAMP)
	$(BIN)/cartgate schema > schema.graphql

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV)
