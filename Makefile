# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
.PHONY: all install install-test demo demo-setup test test-optimized test-pg \
	test-pg-optimized bench translations clean

all: test

install:
	scripts/install.sh

install-test:
	scripts/install.sh --test

## make demo: install everything, create (or upgrade) the SQLite database
## "demo" with Balchik and Năvodari, and serve sao on 127.0.0.1:8000
demo: install
	.venv/bin/python scripts/demo.py

demo-setup: install
	.venv/bin/python scripts/demo.py --no-serve

## make test: the whole suite on SQLite
test: install-test
	scripts/test.sh sqlite $(PYTEST_ARGS)

## make test-optimized: the suite with assertions off (python -O), as the
## workers run (pytest still checks the assert statements of test files)
test-optimized: install-test
	PYTHONOPTIMIZE=1 scripts/test.sh sqlite $(PYTEST_ARGS)

## make test-pg: the same suite on PostgreSQL (started or installed if needed)
test-pg: install-test
	scripts/test.sh postgresql $(PYTEST_ARGS)

## make test-pg-optimized: the suite on PostgreSQL with assertions off, as
## the levy's and the statement import's workers run in production (CI's
## second leg)
test-pg-optimized: install-test
	PYTHONOPTIMIZE=1 scripts/test.sh postgresql $(PYTEST_ARGS)

## make bench: the benchmarks on PostgreSQL, one JSON line each
## (BENCH_SCALE=0.1 for a quick run, BENCH_ONLY=name to pick)
bench: install-test
	scripts/bench.sh

## make translations: export every module's bg and ro catalogues
translations: install
	.venv/bin/python scripts/translations.py $(MODULES)

clean:
	rm -rf var/cache var/test-output
