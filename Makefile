# The two commands a new user runs: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
JS_DIR := tests/clients/js
JS_STAMP := $(JS_DIR)/node_modules/.installed

.PHONY: serve test clean js-deps bench torture fuzz

# make serve needs only the runtime dependencies; make test adds the test extras.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

.venv: $(STAMP)

# The JavaScript SDK test's packages, exactly as locked; skipped (with a note) without node/npm.
$(JS_STAMP): $(JS_DIR)/package.json $(JS_DIR)/package-lock.json
	cd $(JS_DIR) && npm ci --no-audit --no-fund
	touch $(JS_STAMP)

js-deps:
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory $(JS_STAMP); \
	else \
		echo "node/npm not found: the JavaScript SDK test will be skipped"; \
	fi

serve: $(STAMP)
	$(BIN)/ec2emu serve

# On every core: each worker has its own databases and PostgreSQL cluster; worksteal
# evens out modules of very different lengths.
test: $(TEST_STAMP) js-deps
	$(BIN)/python -m pytest -n auto --dist worksteal

# The torture suite's long runs (its quick runs are part of `make test`), figures printed:
# 20 kill -9 cycles on each database, the hostile clients for a minute, and FUZZ_REQUESTS
# generated requests over every served operation (a share of them to a real server).
FUZZ_REQUESTS ?= 100000
torture: $(TEST_STAMP)
	EC2EMU_TORTURE=1 EC2EMU_FUZZ_REQUESTS=$(FUZZ_REQUESTS) $(BIN)/python -m pytest tests/torture -q -s

# The protocol fuzzer alone, its figures printed (FUZZ_REQUESTS, as above).
fuzz: $(TEST_STAMP)
	EC2EMU_FUZZ_REQUESTS=$(FUZZ_REQUESTS) $(BIN)/python -m pytest tests/torture/test_protocol_fuzz.py -q -s

# The benchmark against moto server: moto (pinned) and py-spy live in a venv of their own,
# never in .venv. BENCH_ARGS passes options (e.g. BENCH_ARGS="--scales 1000,10000").
BENCH_VENV := bench/.venv-moto
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP):
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet 'moto[server]==5.2.5' 'py-spy==0.4.3'
	touch $(BENCH_STAMP)

bench: $(TEST_STAMP) $(BENCH_STAMP)
	$(BIN)/python bench/bench.py --moto-server $(BENCH_VENV)/bin/moto_server $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(BENCH_VENV) .ec2emu .pytest_cache $(JS_DIR)/node_modules
