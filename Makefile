# The two commands: `make run` (set up and serve the portal) and `make test` (set up and test).
# Everything else here is a step they share.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed
NODE_TOOLS := tests/browser

export DJANGO_SETTINGS_MODULE := wps_portal.settings

.PHONY: run test serve setup install db corpus verify lint format browser-tools bench bench-search bench-scale loadtest messages clean help

help:
	@echo "make run     set everything up and serve the portal at http://127.0.0.1:$(PORT)/"
	@echo "make test    set everything up and run the whole test suite"
	@echo "make lint    ruff (lint + format check)"
	@echo "make verify  check every citation against ../shared/sources"
	@echo "make bench   measure queries and timings of the main pages and API calls"
	@echo "make serve   production: migrate, collectstatic, gunicorn on PORT (README, Deploy)"
	@echo "make loadtest  50 connections for 30 s against a running server (URL=...)"
	@echo "make bench-search  search quality (success@10, MRR) and timings on the corpus"
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

# Under the ownership rule (README, "Who owns the data"): creates what is new, never undoes a
# curator's edit, reports what differs; on a second run it writes nothing.
corpus: db
	DEBUG=1 $(PY) manage.py load_corpus

setup: corpus

run: setup
	@echo "Serving the WPS Portal at http://127.0.0.1:$(PORT)/ (admin: make superuser, then /admin/)"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production (README, "Deploy"): settings come from the environment (DEBUG off, SECRET_KEY,
# DATABASE_URL, REDIS_URL, ...); gunicorn's settings are in gunicorn.conf.py. The corpus is loaded
# once by hand (`manage.py load_corpus`), not at every start, so curators' edits are never undone.
# The deploy check prints what a public server should change (it does not stop a local start).
serve: install
	$(PY) manage.py check --deploy
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	PORT=$(PORT) exec $(VENV)/bin/gunicorn --config gunicorn.conf.py

loadtest: install
	scripts/loadtest $(URL)

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

# The suite in TEST_WORKERS processes (pytest-xdist), each file's tests kept together in one; each
# worker has its own test database holding the corpus. TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= 2
test: setup browser-tools
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

verify: corpus
	DEBUG=1 $(PY) manage.py verify_citations --sources ../shared/sources

bench-search: install
	DEBUG=1 $(PY) scripts/bench_search.py

bench: corpus
	DEBUG=1 $(PY) scripts/benchmark.py

# Side by side with Datasette at scale (issue 15); BENCH_ARGS="--partners 2000 --activities 20000" for a
# smaller run, DATABASE_URL=postgres://… for PostgreSQL. The database is built once under /tmp.
BENCH_ARGS ?= --partners 20000 --activities 200000
bench-scale: install
	$(PY) scripts/bench_scale.py $(BENCH_ARGS)

# Extract the portal's messages into the catalogues translators edit (needs GNU gettext's xgettext),
# then generate Serbian Latin from Cyrillic and compile the complete catalogues (README, Languages).
messages: install
	DEBUG=1 $(PY) manage.py makemessages $(foreach l,sq sr bs,-l $(l)) --ignore=.venv --ignore=tests --ignore=staticfiles --no-obsolete
	DEBUG=1 $(PY) manage.py makemessages -d djangojs $(foreach l,sq sr bs,-l $(l)) --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=static/vendor --ignore=node_modules --no-obsolete
	DEBUG=1 $(PY) manage.py build_catalogues

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles releases $(NODE_TOOLS)/node_modules .pytest_cache .ruff_cache
