# The two set-up commands of the README. Both work on a fresh clone.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
# Chroma and Gradio phone home unless told not to; keep everything on this machine.
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1

.PHONY: run test index bench eval clean-venv browser

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# torch is installed first and pinned: 2.13.0 is the CPU wheel on this machine's disk.
$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet "torch==2.13.0"
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(STAMP_RUN)

index: $(STAMP_RUN)
	$(BIN)/secretarisbot index

run: $(STAMP_RUN)
	$(BIN)/secretarisbot index --if-missing
	$(BIN)/python app.py

# Browser tests need Debian's chromium (Playwright's own browser download fails here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "chromium ontbreekt: installeer het Debian-pakket 'chromium' (browser-tests)"; fi; }

# The browser tests run in a process of their own: in one process with the ~1,300 others (a dozen
# Gradio apps launched and closed before them) their pages sometimes waited past their timeouts.
BROWSER_TESTS := tests/ui/test_browser.py tests/ui/test_browser_safety.py tests/ui/test_browser_dutch.py tests/ui/test_browser_layout.py

test: $(STAMP_DEV) browser
	$(BIN)/python -m pytest $(foreach t,$(BROWSER_TESTS),--ignore=$(t))
	$(BIN)/python -m pytest $(BROWSER_TESTS)

bench: $(STAMP_DEV)
	$(BIN)/python -m bench.run

eval: $(STAMP_RUN)
	$(BIN)/secretarisbot eval --out evals/out

clean-venv:
	rm -rf $(VENV)
