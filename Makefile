# SmartHost Help Centre — every command a developer or CI needs.
#   make serve   set up (idempotent) and preview with live reload at http://127.0.0.1:8000
#   make test    set up, then the whole suite
#   make build   strict build into site/
#   make bench   benchmarks (print figures)
SHELL := /bin/bash
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(CURDIR)/node_modules/.bin:$(PATH)
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
export PYTHONDONTWRITEBYTECODE := 1
PYTEST_ARGS ?=

.PHONY: setup serve build test bench deploy preview-versions clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml constraints.txt scripts/find-python
	@test -x $(BIN)/python || { py=$$(scripts/find-python) && echo "creating $(VENV) with $$py" && $$py -m venv $(VENV); }
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[site,test]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build: setup
	$(BIN)/mkdocs build --strict

serve: setup
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000 --livereload

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Versioned publishing with mike into the local gh-pages branch (docs/staff/deploying.md):
#   make deploy VERSION=1.2 ALIAS=latest [PUSH=1]    make preview-versions  (all versions, :8000)
deploy: setup
	@test -n "$(VERSION)" || { echo "usage: make deploy VERSION=x.y [ALIAS=latest] [PUSH=1]" >&2; exit 2; }
	HELP_VERSION=$(VERSION) $(BIN)/mike deploy --update-aliases $(if $(PUSH),--push) \
	  -m "Deploy help centre $(VERSION)$(if $(ALIAS), as $(ALIAS))" $(VERSION) $(ALIAS)
	@if [ "$(ALIAS)" = latest ]; then $(BIN)/mike set-default $(if $(PUSH),--push) latest; fi
	@$(BIN)/mike list

preview-versions: setup
	$(BIN)/mike serve -a 127.0.0.1:8000

clean:
	rm -rf site .pytest_cache build dist
