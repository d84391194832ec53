# make run: set up everything and serve the hotline with demo data. make test: the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run install test lint typecheck check messages bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found); set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving the hotline on http://$(HOST):$(PORT)/ (and the task worker beside it)"
	@# The worker (huey) runs beside Daphne; when Daphne stops (Ctrl-C, or it exits) the worker is stopped too.
	@$(BIN)/python manage.py run_huey & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/daphne -b $(HOST) -p $(PORT) hotline.asgi:application

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Style, then the import rules of the README's "Layout" (import-linter contracts in pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# mypy with django-stubs, strict on the services, selectors, statistics and consumers (pyproject.toml).
typecheck: install
	$(BIN)/mypy

check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# Re-extract strings (needs GNU gettext's xgettext on the developer's machine), then compile with polib:
# the compiled catalogue is committed so that running the app never needs gettext.
messages: install
	$(BIN)/python manage.py makemessages --locale vi --locale en --no-obsolete --ignore '.venv/*' --ignore 'var/*'
	$(BIN)/python manage.py compiletranslations

# Benchmarks against baselines on this machine (PostgreSQL + Redis on 127.0.0.1; see README, "Performance").
# Uses its own databases (hotline_bench, hotline_bench_1k) and Redis database 13; BENCH_CASES=100000 for a quick run.
BENCH_CASES ?= 1000000
bench: install
	BENCH_CASES=$(BENCH_CASES) $(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
