#!/usr/bin/env bash
# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
#
# Install what Pontica needs, idempotently:
#   scripts/install.sh          the demo: .venv with the modules, sao
#   scripts/install.sh --test   also the test tools and Debian's chromium
# Used by the Makefile, .ci/run and docker/Dockerfile alike.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
SAO_SERIES=${SAO_SERIES:-8.0}
VENV=${VENV:-$ROOT/.venv}
WITH_TEST=0
[ "${1:-}" = "--test" ] && WITH_TEST=1

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else
        log "need root for: $*"; return 1
    fi
}

# Debian packages: only those missing, with one apt-get update.
apt_install() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null \
            | grep -q 'install ok installed' || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null; then
        log "not a Debian system: install ${missing[*]} yourself"
        return 1
    fi
    log "installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The Python environment: reinstalled only when pyproject.toml changes. The
# test installation includes the demo's, so either stamp serves the demo.
hash=$(sha256sum pyproject.toml | cut -c1-16)
if [ $WITH_TEST = 1 ]; then
    wanted=("$VENV/.pontica-$hash-test")
else
    wanted=("$VENV/.pontica-$hash" "$VENV/.pontica-$hash-test")
fi
installed=0
for stamp in "${wanted[@]}"; do
    [ -f "$stamp" ] && installed=1
done
if [ $installed = 0 ]; then
    if [ ! -x "$VENV/bin/python" ]; then
        log "creating $VENV"
        "$PYTHON" -m venv "$VENV" || {
            apt_install python3-venv && "$PYTHON" -m venv "$VENV"; }
    fi
    log "installing the Python packages"
    "$VENV/bin/pip" install -q --upgrade pip
    if [ $WITH_TEST = 1 ]; then
        "$VENV/bin/pip" install -q -e ".[test]"
    else
        "$VENV/bin/pip" install -q -e .
    fi
    rm -f "$VENV"/.pontica-*
    touch "${wanted[0]}"
fi

# WeasyPrint renders the reports (registration slips, journals) to PDF; it
# needs Pango and fonts with Cyrillic and Romanian letters.
apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    fonts-dejavu-core || log "no Pango: PDF reports will fail"

# sao, the web client, from the npm registry, served by trytond's [web] root.
# Its dependencies are installed inside the package: index.html loads them
# relative to its own folder.
SAO_DIR="$ROOT/var/sao"
if [ ! -f "$SAO_DIR/package/dist/tryton-sao.js" ] \
        || [ "$(cat "$SAO_DIR/series" 2>/dev/null)" != "$SAO_SERIES" ]; then
    command -v npm >/dev/null || apt_install npm
    log "installing sao $SAO_SERIES from npm"
    rm -rf "$SAO_DIR"
    mkdir -p "$SAO_DIR"
    (cd "$SAO_DIR" \
        && tarball=$(npm pack --silent "tryton-sao@$SAO_SERIES") \
        && tar xzf "$tarball" && rm "$tarball" \
        && cd package \
        && npm install --silent --omit=dev --legacy-peer-deps --no-audit \
            --no-fund >/dev/null \
        && touch custom.css)
    echo "$SAO_SERIES" > "$SAO_DIR/series"
fi
# Pontica's additions to sao, in custom.js, its hook for local changes (its
# npm files stay as they are): sao/custom.js (numbers typed in the user's
# language), then sao's own texts in Bulgarian and Romanian
# (sao/locale/*.po), which scripts/sao_locale.py writes after it.
"$VENV/bin/python" scripts/sao_locale.py "$SAO_DIR/package"

if [ $WITH_TEST = 1 ]; then
    # Browser tests drive Debian's chromium (never a downloaded browser);
    # the PostgreSQL test cache needs pg_dump and pg_restore.
    apt_install chromium || log "no chromium: the browser tests will fail"
    command -v pg_dump >/dev/null || apt_install postgresql-client \
        || log "no pg_dump: make test-pg needs it"
fi
log "installed"
