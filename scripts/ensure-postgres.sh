#!/usr/bin/env bash
# Make sure a PostgreSQL server answers at 127.0.0.1:5432 with trust authentication for local TCP and a
# database `test`, as `make test-pg` (DATABASE_URL=postgres://postgres@127.0.0.1:5432/test) expects.
#
#   1. already accepting connections: nothing is changed;
#   2. installed (Debian's postgresql) but stopped: the cluster is started;
#   3. not installed: apt-get installs it, then the cluster is created if need be and started.
# After 2 and 3 the script also makes sure of the trust rule for 127.0.0.1 in pg_hba.conf and of the database
# `test`. Every step is idempotent, so running the script again is harmless. Meant for CI and development
# machines (Debian, as root or with sudo); it says what it did.
set -euo pipefail

HOST=127.0.0.1
# Overridable only to try the script on a throwaway cluster beside the real one.
PORT=${ENSURE_PG_PORT:-5432}
CLUSTER=${ENSURE_PG_CLUSTER:-main}
DATABASE="test"

say() { echo "ensure-postgres: $*"; }

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        say "need root to run: $*" >&2
        exit 1
    fi
}

ready() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$HOST" -p "$PORT"
    else
        # No client tools: accept any server that takes a TCP connection on the port.
        (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
    fi
}

wait_ready() {
    for _ in $(seq 1 60); do
        if ready; then
            return 0
        fi
        sleep 0.5
    done
    say "PostgreSQL did not accept connections at $HOST:$PORT within 30 s" >&2
    if [ -n "${VERSION:-}" ] && [ -f "/var/log/postgresql/postgresql-$VERSION-$CLUSTER.log" ]; then
        tail -n 20 "/var/log/postgresql/postgresql-$VERSION-$CLUSTER.log" >&2 || true
    fi
    exit 1
}

installed_version() {
    # The newest major version with a configuration directory, e.g. 15; empty when none is installed.
    if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null 2>&1; then
        find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -n 1
    fi
}

start_cluster() {
    if [ ! -d "/etc/postgresql/$VERSION/$CLUSTER" ]; then
        say "creating cluster $VERSION/$CLUSTER"
        as_root pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT"
    fi
    say "starting cluster $VERSION/$CLUSTER"
    as_root pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" start
    wait_ready
}

configure() {
    local hba="/etc/postgresql/$VERSION/$CLUSTER/pg_hba.conf"
    if as_root grep -qE "^host[[:space:]]+all[[:space:]]+all[[:space:]]+$HOST/32[[:space:]]+trust" "$hba"; then
        say "pg_hba.conf already trusts $HOST"
    else
        say "adding trust authentication for $HOST (and ::1) at the top of $hba"
        # The first matching line wins, so the rule goes before Debian's scram-sha-256 defaults.
        as_root sed -i "1i host all all $HOST/32 trust\nhost all all ::1/128 trust" "$hba"
        as_root pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" reload
        sleep 1
    fi
    local exists
    exists=$(psql -h "$HOST" -p "$PORT" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")
    if [ "$exists" = 1 ]; then
        say "database $DATABASE already exists"
    else
        say "creating database $DATABASE"
        psql -h "$HOST" -p "$PORT" -U postgres -d postgres -qc "CREATE DATABASE $DATABASE"
    fi
}

if ready; then
    say "PostgreSQL already accepts connections at $HOST:$PORT; nothing to do"
    exit 0
fi

VERSION=$(installed_version)
if [ -n "$VERSION" ]; then
    say "PostgreSQL $VERSION is installed but not running at $HOST:$PORT"
else
    say "PostgreSQL is not installed; installing Debian's postgresql"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
    VERSION=$(installed_version)
    if [ -z "$VERSION" ]; then
        say "apt-get installed postgresql but /etc/postgresql has no version directory" >&2
        exit 1
    fi
    say "installed PostgreSQL $VERSION"
fi

# Installing may already have started the cluster (where the package's scripts can start services).
if ready; then
    say "cluster $VERSION/$CLUSTER is running"
else
    start_cluster
fi
configure
say "PostgreSQL $VERSION ready at $HOST:$PORT, database $DATABASE"
