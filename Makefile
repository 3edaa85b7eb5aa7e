# The two commands a new user runs: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

.venv: $(STAMP)

serve: $(STAMP)
	$(BIN)/ec2emu serve

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .ec2emu .pytest_cache
