# The two commands: `make run` (set up and serve the portal) and `make test` (set up and test).
# Everything else here is a step they share.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed
NODE_TOOLS := tests/browser

export DJANGO_SETTINGS_MODULE := wps_portal.settings

.PHONY: run test setup install db corpus verify lint format browser-tools bench bench-scale clean help

help:
	@echo "make run     set everything up and serve the portal at http://127.0.0.1:$(PORT)/"
	@echo "make test    set everything up and run the whole test suite"
	@echo "make lint    ruff (lint + format check)"
	@echo "make verify  check every citation against ../shared/sources"
	@echo "make bench   measure queries and timings of the main pages and API calls"
	@echo "make bench-scale  the portal beside Datasette and the raw query at 20,000 partners / 200,000 activities"

# The virtualenv is rebuilt only when a requirements file changes.
$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

db: install
	DEBUG=1 $(PY) manage.py migrate --noinput

corpus: db
	DEBUG=1 $(PY) manage.py load_corpus

setup: corpus

run: setup
	@echo "Serving the WPS Portal at http://127.0.0.1:$(PORT)/ (admin: make superuser, then /admin/)"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

superuser: db
	DEBUG=1 $(PY) manage.py createsuperuser

# Browser tests need Debian's Chromium (Playwright's own download does not work here) and
# axe-core from the npm registry. Installed when possible; the tests skip with a reason otherwise.
browser-tools:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium and chromium-driver for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	      || echo "WARNING: could not install chromium; browser tests will be skipped"; \
	  else echo "NOTE: chromium not found and not root: browser tests will be skipped"; fi; \
	fi
	@if command -v npm >/dev/null 2>&1; then \
	  test -f $(NODE_TOOLS)/node_modules/axe-core/axe.min.js || npm ci --prefix $(NODE_TOOLS) --no-audit --no-fund --loglevel=error; \
	else echo "NOTE: npm not found: accessibility checks will be skipped"; fi

test: setup browser-tools
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

verify: corpus
	DEBUG=1 $(PY) manage.py verify_citations --sources ../shared/sources

bench: corpus
	DEBUG=1 $(PY) scripts/benchmark.py

# Side by side with Datasette at scale (issue 15); BENCH_ARGS="--partners 2000 --activities 20000" for a
# smaller run, DATABASE_URL=postgres://… for PostgreSQL. The database is built once under /tmp.
BENCH_ARGS ?= --partners 20000 --activities 200000
bench-scale: install
	$(PY) scripts/bench_scale.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles $(NODE_TOOLS)/node_modules .pytest_cache .ruff_cache
