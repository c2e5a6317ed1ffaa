# `make run` and `make test` set up .venv from pyproject.toml when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The GraphQL over HTTP audit (tests/http_audit) runs on Node: apt installs it where missing.
AUDIT := tests/http_audit
AUDIT_STAMP := $(AUDIT)/node_modules/.installed
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run test lint schema bench clean redis-server

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(AUDIT_STAMP): $(AUDIT)/package.json $(AUDIT)/package-lock.json
	command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm; }
	npm ci --prefix $(AUDIT) --no-audit --no-fund --silent
	touch $@

# The scale-out tests (tests/scaling) start their own redis-server: apt installs it where missing.
redis-server:
	command -v redis-server >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }

run: $(STAMP)
	$(BIN)/cartgate serve

lint: $(STAMP)
	$(BIN)/ruff check adapters gateway tests benchmarks
	$(BIN)/mypy

test: lint $(AUDIT_STAMP) redis-server
	$(BIN)/python -m pytest -q

schema: $(STAMP)
	$(BIN)/cartgate schema > schema.graphql

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) $(AUDIT)/node_modules
