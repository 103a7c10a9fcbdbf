# Two commands for a fresh machine (Debian, Python 3.11, root):
#   make run    set up .venv and build the graph of the bundled sample report into output/
#   make test   set up .venv (and Chromium for the browser tests) and run the whole test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup browser lint bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/govkg build --out output

# Chromium for the browser tests, and a CJK font: without fonts-noto-cjk every Chinese label
# in headless Chromium is an empty box (a browser test checks it)
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; } || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; }

test: $(STAMP) browser
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/pip install --quiet ruff mypy
	$(BIN)/ruff check graph tests
	$(BIN)/mypy graph

bench: $(STAMP) browser
	$(BIN)/python bench/throughput.py --reports 200 --jobs 1,2
	$(BIN)/python bench/sparql_bench.py
	$(BIN)/python bench/view_render.py

clean:
	rm -rf $(VENV) output/graph.* output/store output/stores output/cache output/manifest.json output/push build *.egg-info
