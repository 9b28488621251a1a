#!/usr/bin/env bash
# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
#
# make bench: every benchmark of bench/ on PostgreSQL, one JSON line each.
# Batch processes run with assertions off (python -O), as the workers do.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-$PWD/.venv}
TRYTOND_DATABASE__URI=$(scripts/postgres.sh)
export TRYTOND_DATABASE__URI
export BENCH_SCALE=${BENCH_SCALE:-1}
exec "$VENV/bin/python" -O bench/run.py
