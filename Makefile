# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

HOST ?= 127.0.0.1
PORT ?= 8000
# The links in the mails lead to the address served here, unless SITE_URL (the public
# address) is set in the environment.
SITE_URL ?= http://$(HOST):$(PORT)
DEV_ENV := DEBUG=1 SITE_URL='$(SITE_URL)'
WORKERS ?= 2
GUNICORN_FLAGS ?= --access-logfile -
# Seconds before gunicorn kills a worker stuck in one request. Longer than every wait inside a
# request, so those end in a friendly refusal or a 503 rather than a killed worker: SQLite's
# lock wait (SQLITE_LOCK_TIMEOUT, 20 s), the database connect timeout (DATABASE_CONNECT_TIMEOUT,
# 3 s) plus the sign-up lock (REGISTRATION_LOCK_TIMEOUT_MS, 5 s), Redis (0.5 s) and SMTP
# (EMAIL_TIMEOUT, 10 s, in the mail worker only). tests/participatielab/test_settings.py checks it.
GUNICORN_TIMEOUT ?= 30

.PHONY: run serve test lint install clean bench mutate pango

# (Re)install whenever pyproject.toml changes; the stamp records the last install.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check ".[test]"
	touch $(STAMP)

install: $(STAMP) pango

# WeasyPrint (the name badges) draws text with the system's Pango: the Debian packages are
# installed when the libraries are missing.
LDCONFIG := $(shell command -v ldconfig || echo /sbin/ldconfig)
pango:
	@$(LDCONFIG) -p | grep -q 'libpango-1.0.so.0' && $(LDCONFIG) -p | grep -q 'libpangoft2-1.0.so.0' || { \
		echo "Installing Pango for WeasyPrint (Debian packages)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; }

# The task worker that sends the mail (see README, "Mail"). It runs in its own process group
# (setsid, where there is one), so stopping it also stops the child its autoreloader starts.
TASK_WORKER := $(shell command -v setsid) $(BIN)/python manage.py db_worker --queue-name '*'
# Run a worker in the background next to a server in the foreground; Ctrl+C, or the server
# stopping, stops the worker too.
define with_worker
	trap 'kill -TERM -$$worker $$worker 2>/dev/null; exit' INT TERM EXIT; \
	$(1) $(TASK_WORKER) & worker=$$!; \
	$(2)
endef

# The site at http://127.0.0.1:8000/ (or HOST:PORT) and a worker that sends its mail (to the
# console).
run: $(STAMP) pango
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py createcachetable
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	@$(call with_worker,$(DEV_ENV),$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT))

# Production serving: DEBUG off, so SECRET_KEY and ALLOWED_HOSTS must be set (see README).
# One worker sends the mail; on more machines run more (README, "Growing beyond one machine").
# With DEBUG off a system check warns when SITE_URL points at this machine: set it to the
# public address.
serve: $(STAMP) pango
	SITE_URL='$(SITE_URL)' $(BIN)/python manage.py migrate --noinput
	SITE_URL='$(SITE_URL)' $(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py collectstatic --noinput -v 0
	@$(call with_worker,SITE_URL='$(SITE_URL)' CONN_MAX_AGE=$${CONN_MAX_AGE:-600},\
		SITE_URL='$(SITE_URL)' CONN_MAX_AGE=$${CONN_MAX_AGE:-60} \
		$(BIN)/gunicorn participatielab.wsgi \
		--workers $(WORKERS) --worker-class sync --timeout $(GUNICORN_TIMEOUT) \
		--bind $(HOST):$(PORT) $(GUNICORN_FLAGS))

# Load and size benchmark: see bench/README.md. Uses PostgreSQL when DATABASE_URL points at
# one (in its own database participatielab_bench), else a SQLite file in bench/. wrk and
# Chromium are Debian packages, Lighthouse an npm package in bench/node_modules.
bench: $(STAMP)
	@command -v wrk >/dev/null && command -v chromium >/dev/null || { \
		echo "Installing wrk and chromium (Debian packages)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk chromium >/dev/null; }
	@test -x bench/node_modules/.bin/lighthouse || npm install --prefix bench --no-save \
		--no-package-lock --no-audit --no-fund --loglevel=error lighthouse@12
	CHROME_PATH=$$(command -v chromium) $(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The Nu Html Checker for tests/test_html.py: the npm package vnu-jar (a Java program), put in
# the venv when npm and Java are here; without them that test is skipped (CI requires it).
VNU_VERSION := 26.9.27
VNU_STAMP := $(VENV)/vnu/.installed-$(VNU_VERSION)
$(VNU_STAMP): | $(STAMP)
	@if command -v npm >/dev/null && command -v java >/dev/null; then \
		npm install --prefix $(VENV)/vnu --no-save --no-package-lock --no-audit --no-fund \
			--ignore-scripts --loglevel=error vnu-jar@$(VNU_VERSION) && touch $@; \
	else echo "npm or Java not found: the HTML validity test (tests/test_html.py) is skipped"; fi

# Two processes (one per core on these machines): each gets its own test database.
test: lint $(VNU_STAMP) pango
	$(BIN)/pytest -n $${PYTEST_WORKERS:-2}

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
