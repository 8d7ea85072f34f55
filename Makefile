# The course's commands. Each one creates .venv (pinned packages + rnnlab) the first time.
#   make lab                                 JupyterLab in notebooks/ (start here)
#   make run [PROFILE=quick|standard|full]   execute every notebook into build/, write build/report.md
#   make test                                unit tests + every notebook under nbval, quick profile
#   make doctor                              versions, device, profile, data folder, datasets
#   make slides                              offline decks (English and 中文) of every notebook in build/slides/
# Without make (Windows, conda): see the README; every command is also `python -m rnnlab …`.
PROFILE ?= standard
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_PATHS ?= tests notebooks

# TensorFlow 2.21 has wheels for CPython 3.11-3.13. Use python3 when it is one of those, else the
# newest python3.13 / python3.12 / python3.11 on the PATH (a pyenv shim that refuses to run is skipped).
SUPPORTED := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))
PYTHON ?= $(firstword $(foreach p,python3 python3.13 python3.12 python3.11,$(shell $(p) -c '$(SUPPORTED)' >/dev/null 2>&1 && echo $(p))))

.PHONY: run test lab slides doctor clean

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "No supported Python found: python3 is $$(python3 --version 2>&1 || echo missing)."; \
	  echo "TensorFlow 2.21 supports Python 3.11, 3.12 and 3.13. Get one with pyenv (pyenv install 3.12),"; \
	  echo "uv (uv python install 3.12) or conda (conda env create -f environment.yml), then run"; \
	  echo "make again, or name it: make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)"; \
	  exit 1; fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m rnnlab run --profile $(PROFILE)

# --durations=15 lists the slowest tests, so a test that grows slow is seen before the budget is.
test: $(STAMP)
	RNNLAB_PROFILE=quick RNNLAB_BUILD_DIR="$(CURDIR)/build/test" $(BIN)/python -m pytest -p no:cacheprovider \
		--durations=15 $(TEST_PATHS) --nbval-lax --nbval-current-env --nbval-cell-timeout=600 \
		--nbval-sanitize-with tests/nbval_sanitize.cfg

lab: $(STAMP)
	$(BIN)/python -m rnnlab lab

doctor: $(STAMP)
	$(BIN)/python -m rnnlab doctor

slides: $(STAMP)
	$(BIN)/python -m rnnlab slides

clean:
	rm -rf build
