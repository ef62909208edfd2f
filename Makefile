# Two commands for a new machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PORTAL_URL := http://$(HOST):$(PORT)

AXE_VERSION := 4.11.0
AXE := .cache/axe/node_modules/axe-core/axe.min.js

.PHONY: run test install install-dev system-deps lint format worker bench messages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## run: migrate, load demo data on first run, start the worker and the web server
# Links in emails and QR codes point where this listens, unless set otherwise.
run: export PUBLIC_BASE_URL ?= $(PORTAL_URL)
run: install
	$(BIN)/portal db upgrade
	$(BIN)/portal demo
	@echo ""
	@echo "  Ambassador Portal is starting on $(PORTAL_URL)"
	@echo "    staff sign-in:  $(PORTAL_URL)/login  as admin@maplegrove.example"
	@echo "    member sign-in: $(PORTAL_URL)/login  as ana.alvarez.1@example.com"
	@echo "    sign-in links are written to instance/outbox/ (MAIL_BACKEND=file)"
	@echo "    referral page:  $(PORTAL_URL)/join"
	@echo "    health:         $(PORTAL_URL)/healthz"
	@echo "  Press Ctrl+C to stop."
	@echo ""
	@$(BIN)/huey_consumer portal.tasks.huey -w 2 -k thread -q & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c python:portal.gunicorn_conf

## worker: run the background worker on its own
worker: install
	$(BIN)/huey_consumer portal.tasks.huey -w 2 -k thread

## system-deps: Debian packages the browser and QR tests use (root only)
system-deps:
	@if [ -x /usr/bin/chromium ] && command -v zbarimg >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium zbar-tools fonts-dejavu-core >/dev/null; \
	else echo "chromium or zbar-tools missing: browser tests will be skipped"; fi

## axe: the axe-core accessibility engine, loaded only by the browser tests
$(AXE):
	@if command -v npm >/dev/null; then \
	  npm install --no-audit --no-fund --silent --prefix .cache/axe axe-core@$(AXE_VERSION); \
	else echo "npm missing: accessibility checks will be skipped"; fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## test: install what the tests need and run the whole suite
test: install-dev system-deps $(AXE) lint
	$(BIN)/pytest

## bench: run the benchmarks (installs wrk if missing) and print one table
bench: install-dev
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run.py

## messages: extract every message to portal/translations/messages.pot and update each language's .po
messages: install
	$(BIN)/python -m portal.i18n_extract

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
