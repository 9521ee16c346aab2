# `make run` and `make test` set up everything they need, then run.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXTRAS := dev,train,bench,home

.PHONY: run test test-fast lint train bench doctor setup system-packages clean

run: setup
	$(BIN)/earpiece run

test: setup
	$(BIN)/ruff check device tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest

# The inner loop: lint, import contracts, and every test not marked slow (unit tests and the
# quick integration ones, real models included). CI runs the full `make test`.
test-fast: setup
	$(BIN)/ruff check device tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/pytest -q -m "not slow"

lint: setup
	$(BIN)/ruff check device tests benchmarks
	$(BIN)/ruff format --check device tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

train: setup
	$(BIN)/earpiece train

bench: setup
	$(BIN)/earpiece bench

doctor: setup
	$(BIN)/earpiece doctor

setup: system-packages $(STAMP)

system-packages:
	@sh deploy/install-system-packages.sh

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "earpiece needs Python 3.11 or newer (found $$($(PYTHON) --version))" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[$(EXTRAS)]'
	@touch $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
