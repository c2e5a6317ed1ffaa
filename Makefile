# `make run` and `make test` set up .venv from pyproject.toml when it is missing or stale:
# `make run` with the runtime dependencies only, `make test` with the test extras too.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed-test
# `make run PORT=8123 HOST=0.0.0.0`
HOST ?= 127.0.0.1
PORT ?= 8000
# The GraphQL over HTTP audit (tests/http_audit) runs on Node: apt installs it where missing.
AUDIT := tests/http_audit
AUDIT_STAMP := $(AUDIT)/node_modules/.installed
# The TypeScript storefront example (examples/typescript): codegen and tsc run in the tests.
EXAMPLE_TS := examples/typescript
EXAMPLE_TS_STAMP := $(EXAMPLE_TS)/node_modules/.installed
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run test lint schema bench clean redis-server chromium

$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(AUDIT_STAMP): $(AUDIT)/package.json $(AUDIT)/package-lock.json
	command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm; }
	npm ci --prefix $(AUDIT) --no-audit --no-fund --silent
	touch $@

$(EXAMPLE_TS_STAMP): $(EXAMPLE_TS)/package.json $(EXAMPLE_TS)/package-lock.json $(AUDIT_STAMP)
	npm ci --prefix $(EXAMPLE_TS) --no-audit --no-fund --silent
	touch $@

# The scale-out tests (tests/scaling) start their own redis-server: apt installs it where missing.
redis-server:
	command -v redis-server >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }

# Not echoed: on a busy port the one line cartgate prints is the first thing shown.
# The browser tests (tests/browser) drive Debian's chromium headless: apt installs it where
# missing (Playwright is only the driver; it downloads no browser of its own).
chromium:
	command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

run: $(RUN_STAMP)
	@$(BIN)/cartgate serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check adapters gateway sandboxes tests benchmarks examples
	$(BIN)/mypy

test: lint $(AUDIT_STAMP) $(EXAMPLE_TS_STAMP) redis-server chromium
	$(BIN)/python -m pytest -q

schema: $(RUN_STAMP)
	$(BIN)/cartgate schema > schema.graphql

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) $(AUDIT)/node_modules $(EXAMPLE_TS)/node_modules
