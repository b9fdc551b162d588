# SmartHost Help Centre — every command a developer or CI needs. Each one does its own set-up first
# (idempotent: a second run installs nothing and calls no apt when nothing changed).
#   make serve      set up, then preview with live reload at http://127.0.0.1:$(PORT) (PORT=8000)
#   make build      set up, then the strict build into site/ (ENGINE=properdocs: built by ProperDocs,
#                   the drop-in fork of MkDocs 1.x; docs/staff/toolchain.md)
#   make test       set up (test packages too), lint, then the whole suite
#   make test-fast  the same set-up, then everything not marked slow (no Chromium, nginx, Pyodide
#                   under Node, or strict site builds): the edit loop
#   make lint       ruff check + ruff format --check (Python); biome ci (JavaScript: lint + format, biome.json)
#   make bench      benchmarks (print figures)
#   make lock       regenerate requirements/*.lock + constraints.txt (hashes) from requirements/*.txt
#   make upgrade    the same with every package at its newest allowed version; prints the changes,
#                   then runs the suite
#   make review     the facts of data/*.yml checked over 12 months ago or unverified (macros/facts.py)
# Dependencies (README "Adding a dependency"): Debian packages in deps/debian-serve.txt (serve/build)
# and deps/debian-test.txt (tests); Python in requirements/site.txt and requirements/test.txt, all
# locked with hashes in requirements/*.lock (generated: make lock / make upgrade); npm in package.json + package-lock.json; the engine in engine/, the diagnosis in diagnose/.
SHELL := /bin/bash
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(CURDIR)/node_modules/.bin:$(PATH)
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
export PYTHONDONTWRITEBYTECODE := 1
PYTEST_ARGS ?=
PORT ?= 8000
# The builder of `make build` / `make serve`: mkdocs (default) or properdocs (both pinned; the suite
# builds with both, tests/conftest.py `engine_site`).
ENGINE ?= mkdocs
ENGINES := mkdocs properdocs
PIP := $(BIN)/python -m pip install -q --disable-pip-version-check
# Every package from a lock with its sha256 (scripts/lock.py writes them), then the two local packages:
# editable, so not hashable; --no-deps (they depend on nothing outside the lock) and no build
# isolation (built with the locked setuptools, nothing fetched unchecked).
PIP_LOCKED := $(PIP) --require-hashes -r
PIP_LOCAL := $(PIP) --no-deps --no-build-isolation -e ./engine -e ./diagnose
STAMPS := .cache/setup

.PHONY: setup setup-test check-engine serve build test test-fast lint lock upgrade review train-similar bench client-behaviour observe-thunderbird deploy preview-versions clean

# --- set-up -------------------------------------------------------------------------------------
setup: $(STAMPS)/debian-serve $(VENV)/.site-installed node_modules/.installed
setup-test: $(STAMPS)/debian-test setup $(VENV)/.test-installed

# Debian packages: scripts/system-deps installs what a list names and is missing (as root, with apt),
# or stops with one line naming them and the command. Re-checked whenever a list changes.
$(STAMPS)/debian-serve: deps/debian-serve.txt scripts/system-deps
	@scripts/system-deps deps/debian-serve.txt
	@mkdir -p $(@D) && touch $@

$(STAMPS)/debian-test: deps/debian-serve.txt deps/debian-test.txt scripts/system-deps
	@scripts/system-deps deps/debian-serve.txt deps/debian-test.txt
	@mkdir -p $(@D) && touch $@

$(VENV)/.site-installed: requirements/site.lock engine/pyproject.toml diagnose/pyproject.toml scripts/find-python
	@test -x $(BIN)/python || { py=$$(scripts/find-python) && echo "creating $(VENV) with $$py" && $$py -m venv $(VENV); }
	$(PIP_LOCKED) requirements/site.lock
	$(PIP_LOCAL)
	@touch $@

$(VENV)/.test-installed: $(VENV)/.site-installed requirements/test.lock
	$(PIP_LOCKED) requirements/test.lock
	@touch $@

node_modules/.installed: package.json package-lock.json | $(STAMPS)/debian-serve
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# --- the site -----------------------------------------------------------------------------------
check-engine:
	@case " $(ENGINES) " in *" $(ENGINE) "*) ;; *) echo "make: ENGINE=$(ENGINE) is not one of: $(ENGINES)" >&2; exit 2;; esac

build: check-engine setup
	$(BIN)/$(ENGINE) build --strict

serve: check-engine setup
	$(BIN)/$(ENGINE) serve --strict -a 127.0.0.1:$(PORT) --livereload

# --- checks -------------------------------------------------------------------------------------
# The whole suite on TEST_WORKERS processes (pytest-xdist), a test file per worker at a time
# (--dist loadfile: a file's module fixtures, e.g. one mike deploy or one nginx, are built once); each
# worker builds the session's sites for itself. On this 2-core machine (2026-12-07): 1981 tests in 9:44
# on 2 workers at load 2-6; in one process 1904 tests had taken 15:03 at load 5-8 and 12:28 idle the
# day before (not side by side). TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= 2
test: setup-test lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# -n auto: pytest-xdist, one worker per core (nothing slow shares a session fixture here)
test-fast: setup-test
	$(BIN)/python -m pytest -n auto -m "not slow" $(PYTEST_ARGS)

lint: $(VENV)/.test-installed node_modules/.installed
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .
	node_modules/.bin/biome ci --no-errors-on-unmatched .

# Python pins: `make lock` regenerates requirements/*.lock (sha256 hashes) and constraints.txt from
# the ranges in requirements/*.txt, keeping current versions; `make upgrade` moves every package to
# the newest its range allows, prints what changed, then installs and runs the whole suite.
lock: $(VENV)/.test-installed
	$(BIN)/python scripts/lock.py

upgrade: $(VENV)/.test-installed
	$(BIN)/python scripts/lock.py --upgrade
	$(MAKE) test

# The diagnosis's "similar texts" model (data/diagnose-similar.json), trained on the written-from texts
# and the wordings' examples only (tools/train_similar.py); run after a change to them (test_similar.py
# says when); `python -m macros.diagnoses_schema` then compiles it into the rules.
train-similar: setup-test
	@PYTHONPATH=$(TEST_PYTHONPATH) $(BIN)/python tools/train_similar.py
	@$(BIN)/python -m macros.diagnoses_schema

# Facts to re-check, grouped by provider / program / wording, with file:line and source (the same
# list as docs/staff/review.md).
review: setup
	@$(BIN)/python -m macros.facts

# Benchmarks, client-behaviour and observe-thunderbird import the test helpers (tests/support/): the
# same import path as pytest, read from pyproject's `pythonpath` when a recipe uses it.
TEST_PYTHONPATH = $(shell $(BIN)/python -c 'import tomllib; c = tomllib.load(open("pyproject.toml", "rb")); print(":".join(c["tool"]["pytest"]["ini_options"]["pythonpath"]))')
bench: setup-test
	@for b in bench/bench_*.py; do echo "== $$b"; PYTHONPATH=$(TEST_PYTHONPATH) $(BIN)/python $$b || exit 1; done

# The table of what real mail programs show against `smtpsim serve` (tests/interop/test_interop.py
# checks it): run after a change to serve, a scenario or a program version, and review the diff.
client-behaviour: setup-test
	@PYTHONPATH=$(TEST_PYTHONPATH) $(BIN)/python tests/interop/generate.py

# What Thunderbird shows its user against `smtpsim serve` (data/clients.yml, "what_you_see"): the real
# program under Xvfb; run by hand (needs thunderbird xvfb xdotool imagemagick, not in CI's lists).
observe-thunderbird: setup-test
	@PYTHONPATH=$(TEST_PYTHONPATH) $(BIN)/python tools/observe_thunderbird.py $(ARGS)

# --- publishing ---------------------------------------------------------------------------------
# Versioned publishing with mike into the local gh-pages branch (docs/staff/deploying.md):
#   make deploy VERSION=1.2 ALIAS=latest [PUSH=1]    make preview-versions  (all versions, :$(PORT))
deploy: setup
	@test -n "$(VERSION)" || { echo "usage: make deploy VERSION=x.y [ALIAS=latest] [PUSH=1]" >&2; exit 2; }
	HELP_VERSION=$(VERSION) $(BIN)/mike deploy --update-aliases $(if $(PUSH),--push) \
	  -m "Deploy help centre $(VERSION)$(if $(ALIAS), as $(ALIAS))" $(VERSION) $(ALIAS)
	@if [ "$(ALIAS)" = latest ]; then $(BIN)/mike set-default $(if $(PUSH),--push) latest; fi
	@$(BIN)/mike list

preview-versions: setup
	$(BIN)/mike serve -a 127.0.0.1:$(PORT)

clean:
	rm -rf site .pytest_cache build dist $(STAMPS)
