# Two commands on a fresh machine (Python ≥ 3.11, git, make):
#   make demo   creates .venv, installs qa and lists the funding that ends by 12/2020
#   make test   installs the development tools and runs pytest, ruff and mypy
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# compat: a plain path entry instead of an import hook, which cost every start of qa ~15 ms
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check --config-settings editable_mode=compat -e
# Byte-code as pip writes it for a regular install; without it (PYTHONDONTWRITEBYTECODE=1)
# every start of qa compiles its modules again (~35 ms). Quick when nothing changed.
BYTECODE := $(BIN)/python -m compileall -q qa_cli

.PHONY: demo test bench install install-dev clean

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "qa braucht Python >= 3.11, gefunden: " + sys.version.split()[0] + ". Aufruf z. B.: make demo PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	touch $@

$(VENV)/.installed: $(VENV)/.python-ok pyproject.toml
	$(PIP_INSTALL) .
	$(BYTECODE)
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP_INSTALL) '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/qa expiring --before 2020-12

test: install-dev
	$(BIN)/pytest
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

$(VENV)/.installed-bench: $(VENV)/.installed-dev
	$(PIP_INSTALL) '.[dev,bench]'
	touch $@

# Not part of `make test`: generates repositories of 1.000 to 100.000 records (several minutes).
bench: $(VENV)/.installed-bench
	@$(BYTECODE)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
