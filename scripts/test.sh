#!/usr/bin/env bash
# The whole check: lint, format, types, then the tests on SQLite and on PostgreSQL.
#
#   scripts/test.sh              # everything
#   scripts/test.sh -k audit     # arguments go to both pytest runs
#
# Works on a fresh Debian 12 machine as root: installs what is missing (Debian packages,
# uv, the locked dependencies), starts a throwaway PostgreSQL cluster in a temporary
# directory on 127.0.0.1, and stops it on exit whatever happens. Every step runs even when
# an earlier one failed; the summary at the end names the failures, and the exit status is
# non-zero if there was any.
#
# Environment: WARDEN_TEST_PG_PORT (first port to try, default 54329),
# WARDEN_TEST_SKIP_POSTGRES=1 (SQLite run only, for a quick local loop),
# WARDEN_TEST_TIMEOUT (seconds one pytest run may take, default 1800: a hung test then fails
# the run instead of using up CI's time).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
DEBIAN_PACKAGES=(postgresql chromium gettext)
# The SQLite run is the default configuration; the PostgreSQL run sets its own URL.
unset DATABASE_URL

say() { printf '\n==> %s\n' "$*" >&2; }

# --- Machine ----------------------------------------------------------------------------

missing_packages() {
    local package
    for package in "${DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
            echo "$package"
    done
}

install_debian_packages() {
    command -v dpkg-query >/dev/null || return 0 # not Debian: the developer provides them
    local missing
    mapfile -t missing < <(missing_packages)
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if [[ $EUID -ne 0 ]]; then
        say "missing Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})"
        exit 1
    fi
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# --- Steps ------------------------------------------------------------------------------

FAILED=()
PYTEST_TIMEOUT=${WARDEN_TEST_TIMEOUT:-1800}

# step NAME COMMAND...: run it, remember a failure, carry on.
step() {
    local name=$1 status=0
    shift
    say "$name"
    "$@" || status=$?
    if [[ $status -eq 5 && $name == pytest* ]]; then
        FAILED+=("$name: no tests ran (pytest exit 5)")
    elif [[ $status -eq 124 && $name == pytest* ]]; then
        FAILED+=("$name: timed out after ${PYTEST_TIMEOUT}s (WARDEN_TEST_TIMEOUT)")
    elif [[ $status -ne 0 ]]; then
        FAILED+=("$name: exit $status")
    fi
    return 0
}

# pytest under a time limit. `timeout` runs it in a process group of its own and signals
# the whole group, so processes that a hung test started go too. It runs in the background
# so that this script's traps run at once on Ctrl-C or SIGTERM and pass the signal on.
CHILD_PID=""

run_pytest() {
    local status=0
    # One test process per core (pytest-xdist); WARDEN_TEST_WORKERS=0 runs them in this one.
    timeout --kill-after=30 "$PYTEST_TIMEOUT" .venv/bin/pytest -n "${WARDEN_TEST_WORKERS:-auto}" "$@" &
    CHILD_PID=$!
    wait "$CHILD_PID" || status=$?
    CHILD_PID=""
    return "$status"
}

stop_child() {
    [[ -n $CHILD_PID ]] || return 0
    kill -TERM -- "-$CHILD_PID" 2>/dev/null || kill -TERM "$CHILD_PID" 2>/dev/null || true
    wait "$CHILD_PID" 2>/dev/null || true
    CHILD_PID=""
}

# --- PostgreSQL -------------------------------------------------------------------------

PG_DIR=""
PG_BIN=""
PG_PORT=""

as_postgres() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    .venv/bin/python - "$1" <<'EOF'
import socket, sys

for port in range(int(sys.argv[1]), int(sys.argv[1]) + 100):
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
else:
    sys.exit("no free port")
EOF
}

pg_start() {
    PG_BIN=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
    if [[ -z $PG_BIN ]]; then
        say "PostgreSQL server binaries not found under /usr/lib/postgresql"
        return 1
    fi
    PG_PORT=$(free_port "${WARDEN_TEST_PG_PORT:-54329}") || return 1
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/warden-pg.XXXXXX") || return 1
    if [[ $EUID -eq 0 ]]; then
        chown postgres: "$PG_DIR"
    fi
    as_postgres "$PG_BIN/initdb" --pgdata="$PG_DIR/data" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || {
        cat "$PG_DIR/initdb.log" >&2
        return 1
    }
    # Loopback only, socket in the temporary directory; durability off: the data is thrown away.
    local options="-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR"
    options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    as_postgres "$PG_BIN/pg_ctl" --pgdata="$PG_DIR/data" --log="$PG_DIR/server.log" --wait \
        --options="$options" start >/dev/null || {
        cat "$PG_DIR/server.log" >&2
        return 1
    }
    "$PG_BIN/psql" --quiet --host=127.0.0.1 --port="$PG_PORT" --username=postgres \
        --dbname=postgres --set=ON_ERROR_STOP=1 \
        --command="CREATE ROLE warden LOGIN CREATEDB" \
        --command="CREATE DATABASE warden OWNER warden" || return 1
    say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

pg_stop() {
    [[ -n $PG_DIR ]] || return 0
    if [[ -f $PG_DIR/data/postmaster.pid ]]; then
        as_postgres "$PG_BIN/pg_ctl" --pgdata="$PG_DIR/data" --mode=fast --wait stop \
            >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"
    PG_DIR=""
}

on_signal() {
    stop_child
    exit "$1"
}

trap pg_stop EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
trap 'on_signal 129' HUP

pytest_postgres() {
    if ! pg_start; then
        return 1
    fi
    DATABASE_URL="postgres://warden@127.0.0.1:$PG_PORT/warden" run_pytest "$@"
}

# --- Run --------------------------------------------------------------------------------

START=$SECONDS
install_debian_packages
bash scripts/bootstrap.sh

step "ruff check" .venv/bin/ruff check .
step "ruff format --check" .venv/bin/ruff format --check .
step "mypy warden" .venv/bin/mypy warden
step "pytest (SQLite)" run_pytest "$@"
if [[ ${WARDEN_TEST_SKIP_POSTGRES:-} == 1 ]]; then
    say "PostgreSQL run skipped (WARDEN_TEST_SKIP_POSTGRES=1)"
else
    step "pytest (PostgreSQL)" pytest_postgres "$@"
    pg_stop
fi

say "done in $((SECONDS - START)) s ($ROOT)"
if [[ ${#FAILED[@]} -gt 0 ]]; then
    printf 'FAILED: %s\n' "${FAILED[@]}" >&2
    exit 1
fi
echo "All checks passed." >&2
