# make run   – the server with a demo event (sets itself up on first use)
# make test  – every test (installs Chromium and Redis from Debian where it can)
# make test-fast – pure, store and in-process socket tests: no server process, no browser (< 1 min)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast bench lint translations system-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,semantic]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python run.py $(ARGS)

system-deps:
	@bash scripts/system-deps.sh

# Test processes (pytest-xdist): most tests wait on sockets, servers and Chromium, so
# more workers than the 2 cores of the development machine pay (README, "Tests").
TEST_WORKERS ?= 4

test: $(STAMP) system-deps
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not server and not browser and not slow" $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

lint: $(STAMP)
	$(BIN)/python -m ruff check .

# Re-extract the strings and merge them into the catalogues (then translate the new ones).
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k plural_forms:1,2 -k _n:1,2 -o facilitation/translations/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i facilitation/translations/messages.pot -d facilitation/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
