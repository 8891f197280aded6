# The two commands of the quick start (make run, make test), plus checks.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Local runs use DEBUG with a throwaway key; production sets its own (see .env.example).
# Tests run with production's DEBUG off, DEVTOOLS installs the demo loader they use, and each
# background job runs at once inside the request that queues it.
LOCAL_ENV := DEBUG=true
TEST_ENV := SECRET_KEY=test-only-secret-key DEBUG=false DEVTOOLS=true ALLOWED_HOSTS=testserver,localhost,127.0.0.1 TASK_BACKEND=immediate

.PHONY: run test check install install-dev messages gettext system-deps clean bench prod-check

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

messages: gettext $(VENV)/.installed
	$(LOCAL_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv -v 0

# What the suite needs from Debian: gettext for translations, Chromium for the browser suite,
# Java for the HTML checker, redis-server for the cache tests that stop and start a Redis of
# their own. Installed when missing (as root; otherwise it says what is missing).
define apt_need
@missing=""; for pair in $(1); do command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair#*:}"; done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
  else echo "Install these Debian packages first:$$missing"; exit 1; fi; \
fi
endef

gettext:
	$(call apt_need,msgfmt:gettext)

system-deps:
	$(call apt_need,msgfmt:gettext chromium:chromium java:default-jre-headless npm:npm redis-server:redis-server)

# The Nu Html Checker (npm package vnu-jar, pinned by package-lock.json) for the HTML-validity test.
# --ignore-scripts: its install script would download a Java runtime; the machine's Java runs it.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

run: install messages
	$(LOCAL_ENV) $(BIN)/python manage.py migrate --no-input
	$(LOCAL_ENV) $(BIN)/python manage.py load_demo
	$(LOCAL_ENV) $(BIN)/python manage.py ensure_demo_admin
	$(LOCAL_ENV) $(BIN)/python manage.py prepare_pictures
	$(LOCAL_ENV) $(BIN)/honcho start --env /dev/null --procfile Procfile.dev

# The hashed static files and their manifest, which production settings serve: the tests that
# start gunicorn (tests/production) render pages with them. Rebuilt when a static file changes.
staticfiles/staticfiles.json: $(shell find static -type f) | $(VENV)/.installed
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --no-input -v 0

test: system-deps install-dev messages node_modules/.installed staticfiles/staticfiles.json
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

check: install-dev messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/djlint jinja2 --lint --profile=jinja
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# The benchmark (bench/run.py): needs this machine's PostgreSQL; runs a Redis of its own; installs wrk,
# Redis and Lighthouse itself. Writes bench/results/latest.{md,png,json}; BENCH_ARGS=--quick to try.
$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[bench]"
	@touch $@

bench: install $(VENV)/.installed-bench messages
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles node_modules

# The Docker image's steps without Docker: fresh venv, install, compilemessages, collectstatic,
# migrate a fresh PostgreSQL database, gunicorn with production settings on 127.0.0.1:8103 and
# :8104 (Redis as the cache), probes, and the two-instance check. hadolint checks the Dockerfile.
prod-check: install-dev
	$(call apt_need,msgfmt:gettext psql:postgresql-client)
	PYTHON=$(PYTHON) $(BIN)/python scripts/prod_check.py
