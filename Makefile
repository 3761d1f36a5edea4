# aoapp — `make run` starts the app on a fresh clone, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# pytest workers for `make test` (pytest-xdist): one per core; PYTEST_WORKERS=0 runs in one process
PYTEST_WORKERS ?= auto
# schemathesis examples per API operation and phase for `make fuzz` (the suite's run takes 2)
FUZZ_EXAMPLES ?= 15

.PHONY: install translations extract-messages run migrate demo test e2e docs-screenshots fuzz browser office docs-reports lint format clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed ## Create .venv and install the pinned dependencies

translations: install ## Compile the message catalogues (aoapp/translations/{id,en}/LC_MESSAGES/messages.mo)
	$(BIN)/pybabel compile -d aoapp/translations

extract-messages: install ## After changing user-visible text: refresh messages.pot and the id/en catalogues
	$(BIN)/python -m tools.i18n_build --check

migrate: translations ## Apply the database migrations
	$(BIN)/flask db upgrade

demo: migrate ## Load the demo data (idempotent)
	$(BIN)/flask seed-demo

run: demo ## Migrate, load demo data and serve on http://127.0.0.1:5000
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# Bytecode is written even where the shell says not to (PYTHONDONTWRITEBYTECODE): without it every
# worker, and every process a test starts, compiles the app and rewrites each test module's
# asserts again (~10 s of each worker's start).
test: translations ## Run the whole test suite in parallel (DATABASE_URL selects PostgreSQL, AOAPP_TEST_TODAY moves the clock; browser tests need chromium: make browser; PYTEST_ARGS adds pytest options)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

browser: ## Install Debian's chromium for the browser tests (never a downloaded browser)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install chromium first: sudo apt-get install chromium" >&2; exit 1; fi; }

office: ## Install Debian's LibreOffice Calc and poppler-utils for the workbook print tests
	@{ command -v soffice && command -v pdftotext && command -v pdftoppm; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-calc poppler-utils >/dev/null; \
	  else echo "Install LibreOffice Calc and poppler-utils first: sudo apt-get install libreoffice-calc poppler-utils" >&2; exit 1; fi; }

docs-reports: office ## Render page 1 of every kind of workbook to docs/img/reports/*.png (LibreOffice, pdftoppm)
	mkdir -p docs/img/reports
	AOAPP_REPORT_PNGS=docs/img/reports $(BIN)/python -m pytest -q -n 0 tests/reports/test_printing.py

e2e: translations browser ## Real-browser tests (Playwright driving /usr/bin/chromium)
	$(BIN)/python -m pytest -q tests/e2e

docs-screenshots: translations browser ## The pictures of the README (docs/img/*.png) and of the user guide (docs/img/guide/*.png), taken by the browser tests on the demo bank
	AOAPP_SCREENSHOTS_DIR=docs/img $(BIN)/python -m pytest -q -n 0 tests/e2e/test_screenshots.py tests/e2e/test_guide_screenshots.py

fuzz: translations ## The night's API fuzzing: schemathesis, every phase, FUZZ_EXAMPLES per operation (default 15; the suite runs 2 and no coverage phase)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_COVERAGE=1 $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal tests/fuzz $(PYTEST_ARGS)

lint: install ## ruff lint and format check; vulture for dead code (below 70 % confidence it flags the framework's entry points: views, schema fields, hooks)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/vulture aoapp --min-confidence 70

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
