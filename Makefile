# One command per chore. `make demo` and `make test` are the README's two set-up commands.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
KB_DIR ?= kb-index
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup browser postgres demo index serve test test-fast lint format bench clean

setup: $(VENV)/.installed ## create the virtual environment and install everything

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

browser: ## Debian's Chromium for the browser tests (Playwright drives it; nothing is downloaded)
	@if [ ! -x /usr/bin/chromium ]; then \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

postgres: ## Debian's PostgreSQL for the state-database tests (they start their own server)
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	fi

index: setup ## index the bundled example corpus
	$(BIN)/kb index examples/corpus --kb $(KB_DIR)

serve: setup ## serve the web page on http://127.0.0.1:8000
	$(BIN)/kb db upgrade --kb $(KB_DIR)
	$(BIN)/kb serve --kb $(KB_DIR)

demo: index serve ## set up, index the example corpus and serve it

test: setup browser postgres ## the whole test suite (what CI runs)
	$(BIN)/pytest

test-fast: setup ## unit tests only: no real models, no browser, no PostgreSQL
	$(BIN)/pytest -m "not slow and not browser and not postgres"

lint: setup ## ruff, and the layer rules (import-linter contracts in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Each benchmark appends its figures to BENCH_RESULTS as JSON lines (benchmarks/figures.py);
# report.py files them under benchmarks/results/ for this machine and rewrites the tables of
# docs/benchmarks.md.
BENCH_FIGURES := $(CURDIR)/.bench/figures.jsonl
bench: export BENCH_RESULTS := $(BENCH_FIGURES)
bench: setup ## benchmarks on ../shared/data; their figures go to docs/benchmarks.md
	mkdir -p .bench && rm -f $(BENCH_FIGURES)
	$(BIN)/python benchmarks/bench_index_nasa.py
	$(BIN)/python benchmarks/bench_search_http.py
	$(BIN)/python benchmarks/bench_backends.py --skip-quality
	$(BIN)/python benchmarks/bench_reindex.py
	$(BIN)/python benchmarks/bench_search_scale.py
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_docx_reader.py
	$(BIN)/python benchmarks/report.py --add $(BENCH_FIGURES)

clean:
	rm -rf $(KB_DIR) .pytest_cache .ruff_cache
