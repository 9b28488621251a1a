#!/usr/bin/env bash
# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
#
# Make sure a PostgreSQL server answers on $PGHOST:$PGPORT (default
# 127.0.0.1:5432) and print a trytond database URI for it on stdout.
# Installs and starts the server when it is absent, as on a fresh machine.
# With trust authentication the URI has no password; otherwise a role
# "pontica" gets a fresh random password that lives only in the printed URI.
set -euo pipefail
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
need_sudo() {
    command -v sudo >/dev/null || {
        log "run as root or install sudo to set PostgreSQL up"; exit 1; }
}
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else need_sudo; sudo "$@"; fi
}
as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
    else need_sudo; sudo -u postgres "$@"; fi
}

if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null \
        && ! command -v pg_ctlcluster >/dev/null; then
    log "installing PostgreSQL"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq postgresql >/dev/null
fi
if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 30); do
        pg_isready -q -h "$PGHOST" -p "$PGPORT" && break
        sleep 1
    done
fi

for user in "${PGUSER:-}" "$(id -un)" postgres; do
    [ -n "$user" ] || continue
    if PGCONNECT_TIMEOUT=5 psql -w -h "$PGHOST" -p "$PGPORT" -U "$user" \
            -d postgres -tAc 'SELECT rolcreatedb OR rolsuper FROM pg_roles
                WHERE rolname = current_user' 2>/dev/null | grep -q t; then
        echo "postgresql://$user@$PGHOST:$PGPORT/"
        exit 0
    fi
done

password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
as_postgres psql -q -d postgres -v ON_ERROR_STOP=1 -v pw="$password" <<'SQL'
SELECT 'CREATE ROLE pontica LOGIN SUPERUSER'
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pontica')\gexec
ALTER ROLE pontica PASSWORD :'pw';
SQL
echo "postgresql://pontica:$password@$PGHOST:$PGPORT/"
