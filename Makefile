# funding: `make help` lists the targets. Everything runs in a local virtual environment,
# .venv, that the first target to need it creates (Python 3.11 or newer on PATH, or PYTHON=...).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.DEFAULT_GOAL := all
.PHONY: help all install data export reports check test a11y axe bench lab clean lock

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "funding needs Python 3.11 or newer: run make PYTHON=/path/to/python3.11")'
	@echo "Creating $(VENV) and installing funding with pinned dependencies (first run only; a few minutes)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,dask]'
	$(BIN)/python -m ipykernel install --sys-prefix --name funding --display-name "Python (funding)" > /dev/null
	@touch $@

install: $(STAMP) ## create .venv and install funding and its dependencies

all: data export reports ## the main job: tables in data/clean, the workbook and the HTML reports in reports/

data: $(STAMP) ## build the clean tables in data/clean from data/raw
	$(BIN)/funding build

export: data ## write the briefing workbook reports/funding.xlsx from data/clean
	$(BIN)/funding export

reports: data ## render every scheduled report to reports/ (index: reports/index.html); unchanged ones are skipped
	$(BIN)/funding report --all

check: $(STAMP) ## fail if the committed tables in data/clean are out of date
	$(BIN)/funding build --check

test: $(STAMP) ## run the tests
	$(BIN)/python -m pytest

AXE_VERSION := 4.14.1
AXE := .cache/axe/node_modules/axe-core/axe.min.js

$(AXE):
	npm install --no-audit --no-fund --silent --prefix .cache/axe axe-core@$(AXE_VERSION)

axe: $(AXE) ## install axe-core (npm) into .cache/axe for the browser check of the reports

a11y: $(STAMP) $(AXE) ## check every page in reports/ with axe-core in headless Chromium (WCAG 2.2 AA)
	FUNDING_REPORTS=reports $(BIN)/python -m pytest -q tests/test_browser.py

bench: $(STAMP) ## run the benchmarks; they print their figures (several minutes)
	$(BIN)/python benchmarks/bench_extract.py
	cd benchmarks && ../$(BIN)/python bench_build.py
	cd benchmarks && ../$(BIN)/python bench_export.py
	$(BIN)/python benchmarks/bench_pdf.py
	cd benchmarks && PATH="$(CURDIR)/$(BIN):$$PATH" ../$(BIN)/python bench_report.py

lab: $(STAMP) ## open JupyterLab on the notebooks, with the project's own kernel
	$(BIN)/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

clean: ## delete every output (data/clean, reports); data/raw is never touched
	find data/clean reports -mindepth 1 ! -name .gitkeep -delete

lock: $(STAMP) ## rewrite constraints.txt from what .venv holds now
	{ head -n 2 constraints.txt; $(BIN)/python -m pip freeze --exclude-editable | grep -v '^funding'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
