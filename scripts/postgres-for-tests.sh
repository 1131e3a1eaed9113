#!/usr/bin/env bash
# A private, throw-away PostgreSQL server for the test suite (CI runs as root).
#
#   eval "$(scripts/postgres-for-tests.sh start)"   # prints export CSTO_TEST_PG_URL=... and
#                                                    # CSTO_TEST_PG_DIR=...
#   scripts/postgres-for-tests.sh stop               # stops it and removes $CSTO_TEST_PG_DIR
#
# `start` installs Debian's postgresql when missing, makes a cluster in a temporary folder
# owned by the `postgres` OS user, listens on loopback only on a free port, and creates a
# password-protected superuser role and database for the tests (the fixtures create and drop
# one database per test from it). Everything it prints on stdout is shell to eval; progress
# goes to stderr.
set -euo pipefail

ROLE=csto_test
DATABASE=csto_test

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

bin_dir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

install_if_missing() {
    if bin_dir >/dev/null && id postgres >/dev/null 2>&1; then
        return
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "postgres-for-tests: PostgreSQL is not installed and cannot be installed here" >&2
        exit 1
    fi
    echo "postgres-for-tests: installing postgresql" >&2
    apt-get update -qq >&2
    # Any system-wide cluster the package makes is left alone: ours is private, on its own port.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    install_if_missing
    local bin dir port password
    bin=$(bin_dir)
    dir=$(mktemp -d /tmp/csto-pg.XXXXXX)
    chmod 700 "$dir"
    chown postgres:postgres "$dir"
    port=$(free_port)
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    # No password for the postgres OS user over the private socket; scram over TCP.
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=peer --auth-host=scram-sha-256 >/dev/null
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null
    as_postgres "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE ROLE $ROLE LOGIN SUPERUSER PASSWORD '$password'" \
        -c "CREATE DATABASE $DATABASE OWNER $ROLE" >/dev/null
    echo "postgres-for-tests: PostgreSQL $("$bin/postgres" -V | awk '{print $3}') on 127.0.0.1:$port, data in $dir" >&2
    echo "export CSTO_TEST_PG_DIR=$dir"
    echo "export CSTO_TEST_PG_URL=postgresql+psycopg://$ROLE:$password@127.0.0.1:$port/$DATABASE"
}

stop() {
    local dir=${1:-${CSTO_TEST_PG_DIR:-}}
    if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
        echo "postgres-for-tests: nothing to stop (no CSTO_TEST_PG_DIR)" >&2
        return 0
    fi
    local bin
    bin=$(bin_dir)
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    echo "postgres-for-tests: stopped and removed $dir" >&2
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *)
        echo "usage: $0 start | stop [DIR]" >&2
        exit 2
        ;;
esac
