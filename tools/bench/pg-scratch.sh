#!/usr/bin/env bash
# pg-scratch.sh - start/stop a throw-away PostgreSQL 15 cluster in DIR, reachable only via a unix socket.
#
# Usage: pg-scratch.sh start|stop|conninfo DIR
#   start     initdb DIR/data if needed, start the server (no-op when already
#             running), print the libpq conninfo on stdout
#   stop      stop the server (pg_ctl stop -m fast) and wait until it is gone;
#             no-op when it is not running or DIR does not exist
#   conninfo  print the libpq conninfo on stdout
# Environment: PG_BIN (default /usr/lib/postgresql/15/bin), PG_PORT (default 5432;
# only names the socket file, no TCP port is opened).
#
# Layout: DIR/data is PGDATA, DIR/.s.PGSQL.PORT the socket, DIR/postgres.log the log.
#
# Users: the postgres server refuses to run as root. Run as root, this script
# hands DIR to the `postgres` system user the Debian package created and runs
# initdb/pg_ctl through `runuser -u postgres`; run as any other user, it runs
# them as that user. Clients connect as database user `postgres` with trust
# auth: DIR is mode 0700 and so is the socket, so only its owner and root reach it.
#
# Durability: fsync=on and synchronous_commit=on are set explicitly (both are
# the defaults); full_page_writes and wal_sync_method keep their defaults.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-5432}

die() {
    echo "pg-scratch.sh: $*" >&2
    exit 1
}

usage() {
    echo "usage: pg-scratch.sh start|stop|conninfo DIR" >&2
    exit 2
}

[[ $# -eq 2 ]] || usage
cmd=$1
dir=$2
[[ -n $dir ]] || usage
[[ $PG_PORT =~ ^[0-9]+$ ]] || die "PG_PORT must be a number"

if [[ $(id -u) -eq 0 ]]; then
    run_user=postgres
    id -u "$run_user" >/dev/null 2>&1 || die "no '$run_user' system user (install postgresql-15)"
else
    run_user=$(id -un)
fi

# Run a command as the server's user.
as_pg() {
    if [[ $(id -un) == "$run_user" ]]; then
        "$@"
    else
        runuser -u "$run_user" -- "$@"
    fi
}

# Absolute path, as unix_socket_directories and the conninfo need one.
abs_dir() {
    mkdir -p -- "$dir"
    (cd -- "$dir" && pwd -P)
}

conninfo() {
    local d=$1
    echo "host=$d port=$PG_PORT dbname=postgres user=postgres"
}

is_running() {
    local d=$1
    [[ -f $d/data/PG_VERSION ]] || return 1
    as_pg "$PG_BIN/pg_ctl" status -D "$d/data" >/dev/null 2>&1
}

do_start() {
    local d
    d=$(abs_dir)
    # sun_path holds 107 bytes; a longer socket path fails with an obscure error.
    local sock="$d/.s.PGSQL.$PG_PORT"
    ((${#sock} <= 107)) || die "socket path too long (${#sock} > 107 bytes): $sock"
    [[ $d != *[[:space:]\'\\]* ]] || die "DIR must not contain spaces, quotes or backslashes: $d"

    if [[ $(id -u) -eq 0 ]]; then
        chown "$run_user": "$d"
    fi
    chmod 0700 "$d"
    as_pg test -w "$d" -a -x "$d" ||
        die "user $run_user cannot reach $d (a parent directory not searchable?)"

    if is_running "$d"; then
        conninfo "$d"
        return 0
    fi

    if [[ ! -f $d/data/PG_VERSION ]]; then
        # Never delete what we did not make: a leftover (say, from an interrupted
        # initdb) must be removed by hand.
        if [[ -d $d/data ]] && [[ -n $(ls -A -- "$d/data") ]]; then
            die "$d/data exists but holds no cluster; remove it and retry"
        fi
        as_pg "$PG_BIN/initdb" -D "$d/data" -U postgres --auth=trust --no-locale -E UTF8 \
            >"$d/initdb.log" 2>&1 || die "initdb failed, see $d/initdb.log"
        echo "include_if_exists = 'scratch.conf'" | as_pg tee -a "$d/data/postgresql.conf" \
            >/dev/null
    fi

    # Rewritten on every start so that a moved DIR or another PG_PORT takes effect.
    as_pg tee "$d/data/scratch.conf" >/dev/null <<EOF
# Written by pg-scratch.sh on every start; edits are lost.
listen_addresses = ''
port = $PG_PORT
unix_socket_directories = '$d'
unix_socket_permissions = 0700
fsync = on
synchronous_commit = on
EOF

    as_pg "$PG_BIN/pg_ctl" start -w -t 60 -D "$d/data" -l "$d/postgres.log" >/dev/null ||
        die "server did not start, see $d/postgres.log"
    conninfo "$d"
}

do_stop() {
    [[ -d $dir ]] || return 0
    local d
    d=$(cd -- "$dir" && pwd -P)
    if is_running "$d"; then
        # -w: return only after the postmaster and all its children have exited.
        as_pg "$PG_BIN/pg_ctl" stop -w -t 60 -m fast -D "$d/data" >/dev/null ||
            die "server did not stop, see $d/postgres.log"
    fi
}

case $cmd in
start) do_start ;;
stop) do_stop ;;
conninfo)
    [[ -d $dir ]] || die "no such directory: $dir"
    conninfo "$(cd -- "$dir" && pwd -P)"
    ;;
*) usage ;;
esac
