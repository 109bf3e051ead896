# Shegong: `make demo` runs the demo, `make test` runs the linter and the test suite.
# Everything installs into ./.venv and ./node_modules; the demo's database and static files live in ./var.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export PORT

.PHONY: demo test test-pg browser-test lint static translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,browser]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static: node_modules/.installed
	npm run --silent build

translations: $(VENV)/.installed
	SHEGONG_DEMO=1 $(BIN)/shegong compile_translations

demo: export SHEGONG_DEMO = 1
demo: $(VENV)/.installed static translations
	mkdir -p var
	$(BIN)/shegong demo_load
	@echo "Shegong demo: http://127.0.0.1:$(PORT)  (accounts in README.md, password Shegong@2025)"
	$(BIN)/shegong rundemo --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check src scripts tests
	$(BIN)/ruff format --check src scripts tests
	PYTHONPATH=src $(BIN)/lint-imports

test: $(VENV)/.installed translations lint
	$(BIN)/pytest -n 2 -q

# The same suite on PostgreSQL (DATABASE_URL defaults to the CI machine's server).
test-pg: DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
test-pg: $(VENV)/.installed translations
	DATABASE_URL=$(DATABASE_URL) $(BIN)/pytest -n 2 -q

browser-test: $(VENV)/.installed static translations
	$(BIN)/pytest -q -p no:xdist tests/browser

clean:
	rm -rf var node_modules $(VENV) src/shegong/static/vendor
