# Union Portal — the two commands of the README, and a few helpers.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and door QR codes name the address `make run` serves (set SITE_URL to override).
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run setup install install-dev browser-deps node-deps test test-clock-ahead lint format bench worker beat messages clean

## make run: fresh clone -> running portal on SQLite with eager tasks and demo data.
run: setup
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0 || true
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py load_demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt

## Debian Chromium + CJK fonts for the browser tests, faketime for the clock-ahead run (Playwright cannot download a browser here),
## gettext for the translation catalogue, and nginx, openssl and the PostgreSQL client for the
## deployment checks (the real nginx in front of gunicorn; backup and restore).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || ! command -v msgfmt >/dev/null \
		|| [ ! -x /usr/sbin/nginx ] || ! command -v openssl >/dev/null || ! command -v pg_dump >/dev/null \
		|| ! command -v faketime >/dev/null; then \
		echo "Installing chromium, fonts-noto-cjk, gettext, nginx, openssl, postgresql-client, faketime ..."; \
		(apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			chromium fonts-noto-cjk gettext nginx openssl postgresql-client faketime >/dev/null) \
		|| echo "WARNING: could not install the test dependencies; browser and deployment tests will fail in CI"; \
	fi

## make test: install test needs, lint, run the whole suite (DATABASE_URL / REDIS_URL from env).
test: install-dev browser-deps node-deps lint
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0
	$(BIN)/python -m pytest -q -p no:cacheprovider

## The Nu Html Checker (npm package vnu-jar, run with Java) for tests/integration/test_html_valid.py;
## the pinned front-end packages come along (their files are vendored into static/, never served from node_modules).
node-deps:
	@[ -f node_modules/vnu-jar/build/dist/vnu.jar ] || npm install --no-audit --no-fund --ignore-scripts --loglevel=error
	@command -v java >/dev/null || (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q default-jre-headless >/dev/null) \
		|| echo "WARNING: no Java: the HTML check will fail"

## make test-clock-ahead: the fast suite on SQLite with this process's clock 540 days ahead
## (Debian's faketime), proving no test depends on the day it runs.
test-clock-ahead: install-dev browser-deps
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL faketime -f '+540d' \
		$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow and not services"

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench:
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

worker:
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-union_portal.settings.local} $(BIN)/celery -A union_portal worker -l info

beat:
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-union_portal.settings.local} $(BIN)/celery -A union_portal beat -l info

messages:
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=staticfiles --ignore=node_modules
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
