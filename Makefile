# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
.PHONY: all install install-test demo demo-setup test test-optimized test-pg bench translations clean

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

## make test-optimized: the modules' tests with assertions off, as the
## workers run; the pytest-style files whose checks are assert statements
## (which -O removes) run in make test only
test-optimized: install-test
	PYTHONOPTIMIZE=1 scripts/test.sh sqlite \
		--ignore=tests/test_browser_sao.py \
		--ignore=tests/test_translations.py $(PYTEST_ARGS)

## make test-pg: the same suite on PostgreSQL (started or installed if needed)
test-pg: install-test
	scripts/test.sh postgresql $(PYTEST_ARGS)

## make bench: the benchmarks on PostgreSQL, one JSON line each
## (BENCH_SCALE=0.1 for a quick run, BENCH_ONLY=name to pick)
bench: install-test
	scripts/bench.sh

## make translations: export every module's bg and ro catalogues
translations: install
	.venv/bin/python scripts/translations.py $(MODULES)

clean:
	rm -rf var/cache var/test-output
