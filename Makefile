# The verbs a newcomer needs: make run, make test, make i18n.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
CATALOG := casework/translations
STAMP := $(VENV)/.installed

.PHONY: run test test-deep test-clock browser-tools i18n translations lint format clean lock lock-revisions

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Compile the catalogues (.mo files are built, never committed), each when its .po changed:
# a .mo rewritten while the tests run (`make run` in tests/test_make_run.py) could be read
# half-written by another test worker.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(CATALOG)/*/LC_MESSAGES/messages.po))

translations: $(STAMP) $(MO_FILES)

$(CATALOG)/%/LC_MESSAGES/messages.mo: $(CATALOG)/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel compile -d $(CATALOG) -D messages -l $*

run: translations
	$(BIN)/casework db upgrade
	$(BIN)/casework geo seed
	$(BIN)/casework vocab seed
	$(BIN)/casework fractions seed
	$(BIN)/casework demo admin
	$(BIN)/casework demo seed
	@echo "Casework is served on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	$(BIN)/casework run --host $(HOST) --port $(PORT)

# The browser tests' own tools (axe-core, from the npm registry), installed again only when
# package-lock.json changes. Without npm the accessibility audit is skipped, loudly.
BROWSER_TOOLS := tests/browser/node_modules/.casework-installed

$(BROWSER_TOOLS): tests/browser/package-lock.json
	@echo "npm ci in tests/browser (axe-core for the browser tests)"
	cd tests/browser && npm ci --silent --no-audit --no-fund
	touch $@

browser-tools:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) -s --no-print-directory $(BROWSER_TOOLS); \
	else echo "!!! npm is missing: the browser tests' accessibility audit will be skipped !!!" >&2; fi

# Parallel workers (pytest-xdist): TEST_WORKERS=0 runs in one process. The browser tests stay
# together on one worker (--dist loadgroup); each worker has databases of its own.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

test: translations browser-tools
	$(PYTEST) $(PYTEST_ARGS)
	@# The form flows once more with JavaScript switched off: the pages work without the
	@# offline layer (issue 17). Skipped with the other browser tests when Chromium is absent.
	CASEWORK_BROWSER_NO_JS=1 $(BIN)/python -m pytest -n 0 -q tests/browser/test_flows.py

# The property-based tests (marked `deep`) with many more examples (hypothesis profile
# "deep", tests/conftest.py); `make test` runs a handful of examples each.
test-deep: translations
	CASEWORK_HYPOTHESIS_PROFILE=deep $(PYTEST) -m deep $(PYTEST_ARGS)

# The suite (without the browser tests) at a year's, a month's and a day's end, on a leap day
# and just after a year starts: CASEWORK_TEST_NOW starts every test at the moment (time-machine,
# tests/conftest.py). Not part of `make test`.
CLOCK_MOMENTS ?= 2026-12-31T23:59:58+00:00 2027-02-28T23:59:59+00:00 2028-02-29T12:00:00+00:00 \
	2026-12-05T16:51:00+00:00 2026-01-01T00:00:01+00:00
test-clock: translations
	@for moment in $(CLOCK_MOMENTS); do echo "CASEWORK_TEST_NOW=$$moment"; \
	CASEWORK_TEST_NOW=$$moment $(PYTEST) --ignore=tests/browser $(PYTEST_ARGS) || exit 1; done

# Benchmarks at 10 000 and 100 000 cases (BENCH_SCALE=1m adds 1 000 000; DATABASE_URL set to
# a PostgreSQL database adds the same on PostgreSQL). Throughput rows need wrk (apt-get
# install -y wrk). Results: bench/results.json and docs/performance.md.
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: translations $(BENCH_STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)
	$(BIN)/python -m bench.exports
	$(BIN)/python -m bench.imports

# requirements.lock: what a production server installs, pinned with hashes, from the ranges of
# pyproject.toml (README, "Production"). Run it after changing a dependency and commit both.
LOCK_STAMP := $(VENV)/.installed-lock
$(LOCK_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,lock]'
	touch $(LOCK_STAMP)

lock: $(LOCK_STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra deploy --universal --python-version 3.11 \
		--generate-hashes --custom-compile-command "make lock" --quiet -o requirements.lock

# Record new Alembic revisions in migrations/revisions.lock (docs/contributing.md).
lock-revisions: $(STAMP)
	$(BIN)/casework db lock-revisions

# Extract the strings, update the French catalogue, compile.
i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project=Casework --copyright-holder="Casework" --msgid-bugs-address="" \
		-w 100 -o $(CATALOG)/messages.pot .
	$(BIN)/pybabel update -i $(CATALOG)/messages.pot -d $(CATALOG) -D messages -w 100 --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d $(CATALOG) -D messages --statistics

# ruff, then the layers (import-linter's contracts in pyproject.toml, docs/contributing.md).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find $(CATALOG) -name '*.mo' -delete
