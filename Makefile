# The course's commands. Each one creates .venv (pinned packages + rnnlab) the first time.
#   make run [PROFILE=quick|standard|full]   execute every notebook into build/, write build/report.md
#   make test                                unit tests + every notebook under nbval, quick profile
#   make lab                                 JupyterLab in notebooks/
#   make doctor                              versions, device, profile, data folder, datasets
#   make slides                              offline reveal.js decks of the notebooks in build/slides/
PROFILE ?= standard
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lab slides doctor clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/rnnlab run --profile $(PROFILE)

test: $(STAMP)
	RNNLAB_PROFILE=quick RNNLAB_BUILD_DIR="$(CURDIR)/build/test" $(BIN)/python -m pytest -p no:cacheprovider \
		tests notebooks --nbval-lax --nbval-current-env --nbval-cell-timeout=600 \
		--nbval-sanitize-with tests/nbval_sanitize.cfg

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

doctor: $(STAMP)
	$(BIN)/rnnlab doctor

slides: $(STAMP)
	$(BIN)/rnnlab slides

clean:
	rm -rf build
