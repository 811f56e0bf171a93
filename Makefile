# Dimos — the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench install messages makemessages lint typecheck check-migrations e2e clean

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements.lock
	touch $@

install: $(VENV)/.installed

# Compiled with Babel, so no GNU gettext is needed on the machine.
messages: install
	$(VENV)/bin/pybabel compile --domain django --directory locale --statistics

# For developers (needs GNU gettext): refresh the .po files from the code.
makemessages: install
	$(PY) manage.py makemessages --locale el --locale en --no-obsolete --ignore ".venv/*" --ignore "var/*"
	$(PY) scripts/drop_fuzzy.py locale/el/LC_MESSAGES/django.po

run: install messages
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo_data
	@echo "Dimos: http://$(HOST):$(PORT)/ (the task worker runs beside it)"
	$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: install messages
	$(PY) -m pytest $(PYTEST_ARGS)

# Load on SQLite and PostgreSQL (when reachable) with the production settings; writes
# var/bench/report.md and report.json. Options: make bench BENCH_ARGS="--residents 650000".
bench: install messages
	$(PY) -m bench $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy dimos bench

check-migrations: install
	$(PY) manage.py makemigrations --check --dry-run

lock:
	$(PYTHON) -m pip install --quiet uv && $(PYTHON) -m uv pip compile pyproject.toml --extra dev \
	  --universal --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) var
