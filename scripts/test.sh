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
echo "==> tests on $backend (cache $DB_CACHE)" >&2
if [ "$backend" = postgresql ]; then
    # The cluster outlives the run: leave no test database behind.
    trap 'psql -q -d "${TRYTOND_DATABASE__URI}postgres" \
        -c "DROP DATABASE IF EXISTS \"$DB_NAME\"" || true' EXIT
fi
"$VENV/bin/python" -m pytest "$@"
