# The README's two commands:
#   make run   install into .venv, migrate, create the demo team/user, run web + worker
#   make test  install, make sure Chromium is there, run the whole test suite (slow + browser)
# Defaults need no services (SQLite, filesystem broker); set DATABASE_URL / CELERY_BROKER_URL
# to use PostgreSQL / Redis instead (see README "Configuration").

VENV ?= .venv
PYTHON := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.requirements-installed

.PHONY: install run test

install: $(STAMP) $(if $(wildcard package.json),node_modules/.package-installed)

$(STAMP): requirements.txt
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.package-installed: package.json $(wildcard package-lock.json)
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	touch $@

run: install
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py demo_setup --url http://127.0.0.1:$(PORT)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(VENV)/bin/celery -A workers.celery worker -Q gpu,default --concurrency 1 --loglevel INFO & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(PYTHON) manage.py runserver 0.0.0.0:$(PORT)

test: install
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	$(VENV)/bin/pytest
