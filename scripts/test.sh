#!/usr/bin/env bash
# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
#
# Run the whole test suite (every module's tests, the scenarios, tests/)
# through pytest:  scripts/test.sh [sqlite|postgresql] [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
backend=${1:-sqlite}
shift || true
VENV=${VENV:-$ROOT/.venv}

# Activated databases are cached between runs, under a name that carries a
# hash of the modules' code: a change to a model, a view or a setup function
# builds a fresh cache instead of restoring an old schema.
code_hash=$( (find addons -type f \( -name '*.py' -o -name '*.xml' \
        -o -name '*.cfg' -o -name '*.po' \) -not -path '*/__pycache__/*' \
        | LC_ALL=C sort | xargs cat; cat pyproject.toml;
    ls "$VENV"/lib/python3*/site-packages | grep -i '^trytond.*dist-info$') \
    | sha256sum | cut -c1-16)
export DB_CACHE="$ROOT/var/cache/db-$backend-$code_hash"
mkdir -p "$DB_CACHE"
# Caches of older code are of no use any more.
find "$ROOT/var/cache" -mindepth 1 -maxdepth 1 -name "db-$backend-*" \
    ! -path "$DB_CACHE" -exec rm -rf {} +

case "$backend" in
    sqlite)
        export TRYTOND_DATABASE__URI=sqlite://
        unset DB_NAME
        ;;
    postgresql)
        TRYTOND_DATABASE__URI=$(scripts/postgres.sh)
        export TRYTOND_DATABASE__URI
        export DB_NAME=${DB_NAME:-test_pontica_$$}
        ;;
    *)
        echo "usage: $0 [sqlite|postgresql] [pytest arguments]" >&2
        exit 2
        ;;
esac
export TEST_OUTPUT=${TEST_OUTPUT:-$ROOT/var/test-output}
mkdir -p "$TEST_OUTPUT"
# pytest-xdist: one worker per core, at most 4 (PYTEST_WORKERS=0 runs the
# tests in pytest's own process, e.g. for --pdb). conftest.py gives each
# worker its own database, shares the cache between them safely, and groups
# the tests by the modules they activate (--dist loadgroup).
if [ -z "${PYTEST_WORKERS:-}" ]; then
    PYTEST_WORKERS=$(nproc 2>/dev/null || echo 1)
    [ "$PYTEST_WORKERS" -le 4 ] || PYTEST_WORKERS=4
fi
echo "==> tests on $backend (cache $DB_CACHE, $PYTEST_WORKERS workers)" >&2
if [ "$backend" = postgresql ]; then
    # The cluster outlives the run: leave no test database behind (one per
    # xdist worker, named after DB_NAME).
    drop_test_databases() {
        local postgres="${TRYTOND_DATABASE__URI}postgres"
        psql -qtA -d "$postgres" -v name="$DB_NAME" <<'SQL' \
            | psql -q -d "$postgres" || true
SELECT format('DROP DATABASE IF EXISTS %I;', datname) FROM pg_database
    WHERE datname = :'name' OR datname LIKE :'name' || '\_gw%';
SQL
    }
    trap drop_test_databases EXIT
fi
"$VENV/bin/python" -m pytest -n "$PYTEST_WORKERS" --dist loadgroup "$@"
