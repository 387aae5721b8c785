# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=1

HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
GUNICORN_FLAGS ?= --access-logfile -

.PHONY: run serve test lint install clean bench mutate

# (Re)install whenever pyproject.toml changes; the stamp records the last install.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Production serving: DEBUG off, so SECRET_KEY and ALLOWED_HOSTS must be set (see README).
serve: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v 0
	CONN_MAX_AGE=$${CONN_MAX_AGE:-60} $(BIN)/gunicorn participatielab.wsgi \
		--workers $(WORKERS) --worker-class sync --bind $(HOST):$(PORT) $(GUNICORN_FLAGS)

# Load and size benchmark: see bench/README.md. Uses PostgreSQL when DATABASE_URL points at
# one (in its own database participatielab_bench), else a SQLite file in bench/. The load
# generator wrk and Chromium (for Lighthouse) are Debian packages, installed when missing.
bench: $(STAMP)
	@command -v wrk >/dev/null && command -v chromium >/dev/null || { \
		echo "Installing wrk and chromium (Debian packages)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk chromium >/dev/null; }
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest

# Mutation testing of the domain modules, each against its own tests (see tests/mutate.py and
# the README); about ten minutes on two cores. Not part of `make test` or CI.
# `make mutate MODULES=registrations/signup.py` runs one module; the lock's module runs only
# when DATABASE_URL points at PostgreSQL.
MUTATE_STAMP := $(VENV)/.installed-mutate
$(MUTATE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check ".[test,mutate]"
	touch $(MUTATE_STAMP)

mutate: $(MUTATE_STAMP)
	$(BIN)/python tests/mutate.py $(MODULES)

clean:
	rm -rf $(VENV) staticfiles .mutmut
