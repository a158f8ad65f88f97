# Two commands on a fresh machine: `make run` and `make test`. Python 3.11+, make and git suffice.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# The demo server listens on this machine only; `make run HOST=0.0.0.0` opens it to the network
# (DEBUG then off, ALLOWED_HOSTS this machine's names: see legalaid/settings/local.py).
HOST   ?= 127.0.0.1
export DJANGO_SETTINGS_MODULE ?= legalaid.settings.local

.PHONY: install run serve test test-faults bandit audit bench bench-recommend bench-sweep bench-statistics messages check lint clean

$(VENV)/.installed: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

install: $(VENV)/.installed

# Set up (virtualenv, packages, database, demo data, periodic schedule) and serve the web
# application with a Celery worker and beat beside it.
run: export HOST := $(HOST)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py statistics_refresh
	$(BIN)/python manage.py sync_schedule
	@echo ""
	@echo "  Legal aid defence — serving on http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs/)"
	@echo "  Demo logins are listed above (password for all: demo-pass-2026). Stop with Ctrl-C."
	@echo ""
	HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho start -f Procfile

# The whole suite. SQLite and an in-process broker by default; PostgreSQL and Redis when
# DATABASE_URL / REDIS_URL are set. Browser tests are skipped (and said so) without chromium.
test: install
	DJANGO_SETTINGS_MODULE=legalaid.settings.test $(BIN)/python -m pytest $(PYTEST_ARGS)

# Fault tests (tests/faults): a private PostgreSQL and Redis started in a temporary directory,
# the application served by gunicorn with the production settings, real Celery workers; Redis
# stopped, workers killed, PostgreSQL restarted under load. A few minutes; CI runs it after `make test`.
test-faults: install
	FAULT_TESTS=1 DJANGO_SETTINGS_MODULE=legalaid.settings.test $(BIN)/python -m pytest tests/faults -p no:randomly $(PYTEST_ARGS)

# Static security analysis of the application code. Each finding in docs/bandit-baseline.json is
# explained in docs/security.md; anything new fails.
bandit: install
	$(BIN)/bandit -r legalaid cases assignments quality notifications -x '*/tests/*,*/migrations/*' -q \
		-b docs/bandit-baseline.json

# Known vulnerabilities of the pinned packages. Needs a vulnerability database (PyPI's JSON API or
# OSV) that this machine's package mirror does not serve: run it where they are reachable.
audit: install
	$(BIN)/python -m pip install --quiet pip-audit==2.10.1
	$(BIN)/pip-audit -r requirements.txt --strict

# Every benchmark (bench/run.py), on PostgreSQL and Redis (DATABASE_URL, REDIS_URL): seeds 1,000,000
# notices and 50,000 lawyers in databases of its own, serves the application the production way
# (gunicorn + a Celery worker), and writes the table to docs/benchmarks.md. About half an hour.
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Recommendation among 50,000 lawyers and 1,000,000 past designations (in DATABASE_URL's database).
bench-recommend: install
	$(BIN)/python bench/recommend.py

check: install
	DJANGO_SETTINGS_MODULE=legalaid.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=legalaid.settings.test $(BIN)/python manage.py check

# The deadline sweep with 100,000 and 1,000,000 deadlines (1% due): time and queries per batch.
# Needs PostgreSQL: DATABASE_URL=postgres://... (works in a database of its own, <name>_bench_sweep).
bench-sweep: install
	$(BIN)/python bench/sweep.py

# The statistics page over 1,000,000 notices: summary-table rebuild, page time and queries.
# Needs PostgreSQL: DATABASE_URL=postgres://... (works in a database of its own, <name>_bench_statistics).
bench-statistics: install
	$(BIN)/python bench/statistics_page.py

# Regenerate and compile the translation catalogues (needs GNU gettext; the compiled .mo files
# are committed so that a fresh machine needs none).
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=staticfiles --no-obsolete --no-location
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf var staticfiles
