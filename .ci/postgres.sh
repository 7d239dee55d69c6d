# shellcheck shell=bash
# Sourced by .ci/run: start a throwaway PostgreSQL cluster on 127.0.0.1 and export
# MATCHER_TEST_POSTGRES_URL. An EXIT trap stops and deletes the cluster (ci_postgres_stop) and
# then runs whatever EXIT trap the caller had set before sourcing this file.

_ci_pg_fail() { # step [log file to show]
  echo ".ci/postgres.sh: $1 failed" >&2
  if [ -n "${2:-}" ] && [ -f "$2" ]; then tail -n 20 "$2" >&2; fi
  return 1
}

# Highest /usr/lib/postgresql/<version>/bin; deliberately not PATH (/usr/local/bin/pg_ctl etc.).
_ci_pg_bindir() {
  local p
  p=$(printf '%s\n' /usr/lib/postgresql/*/bin/postgres | sort -V | tail -n 1)
  [ -x "$p" ] && dirname "$p"
}

# The server refuses to run as root. The cd is because postgres may not be able to read the
# caller's working directory (e.g. a checkout under /root), which initdb/pg_ctl complain about.
_ci_pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd "$CI_PG_DIR" && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

ci_postgres_stop() {
  if [ -n "${CI_PG_DIR:-}" ]; then
    if [ -f "$CI_PG_DIR/data/postmaster.pid" ]; then
      _ci_pg_as_owner "$CI_PG_BIN/pg_ctl" -D "$CI_PG_DIR/data" -m immediate -s stop || true
    fi
    rm -rf "$CI_PG_DIR"
    unset CI_PG_DIR
  fi
}

# EXIT trap: stop the cluster, then run the EXIT trap that was set before ours with $? still
# holding the exit status; `(exit "$rc") ||` restores $? without tripping the caller's set -e.
_ci_pg_on_exit() {
  local rc=$?
  ci_postgres_stop
  if [ "$rc" -eq 0 ]; then
    eval "${_CI_PG_PREV_TRAP:-}"
  else
    (exit "$rc") || eval "${_CI_PG_PREV_TRAP:-}"
  fi
}

_ci_postgres_start() {
  local bin port out prev=()
  bin=$(_ci_pg_bindir) || true

  if [ -n "${MATCHER_TEST_POSTGRES_URL:-}" ]; then
    local psql=${bin:+$bin/psql}
    psql=${psql:-$(command -v psql || true)}
    if [ -n "$psql" ] && PGCONNECT_TIMEOUT=5 "$psql" "$MATCHER_TEST_POSTGRES_URL" -Atqc 'select 1' \
      >/dev/null 2>&1; then
      return 0
    fi
    echo ".ci/postgres.sh: MATCHER_TEST_POSTGRES_URL is not reachable; starting a new cluster" >&2
  fi

  if [ -z "$bin" ]; then
    out=$({ apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } 2>&1) ||
      { echo "$out" >&2; _ci_pg_fail "apt-get install postgresql"; return 1; }
    bin=$(_ci_pg_bindir) || { _ci_pg_fail "finding /usr/lib/postgresql/*/bin"; return 1; }
  fi

  ci_postgres_stop # a previous cluster from this shell that is no longer reachable
  CI_PG_BIN=$bin
  CI_PG_DIR=$(mktemp -d -t matcher-pg.XXXXXX) || { _ci_pg_fail "mktemp -d"; return 1; }
  if [[ "$(trap -p EXIT)" != *_ci_pg_on_exit* ]]; then
    eval "prev=($(trap -p EXIT))" # "trap -- 'cmd' EXIT" -> prev[2]=cmd
    _CI_PG_PREV_TRAP=${prev[2]:-}
    trap _ci_pg_on_exit EXIT
  fi
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$CI_PG_DIR" || { _ci_pg_fail "chown $CI_PG_DIR to postgres"; return 1; }
  fi

  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])') || { _ci_pg_fail "picking a free port"; return 1; }

  _ci_pg_as_owner "$bin/initdb" -D "$CI_PG_DIR/data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$CI_PG_DIR/initdb.log" 2>&1 ||
    { _ci_pg_fail "initdb" "$CI_PG_DIR/initdb.log"; return 1; }
  cat >>"$CI_PG_DIR/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$CI_PG_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 16MB
EOF
  _ci_pg_as_owner "$bin/pg_ctl" -D "$CI_PG_DIR/data" -l "$CI_PG_DIR/server.log" -w -s start ||
    { _ci_pg_fail "pg_ctl start" "$CI_PG_DIR/server.log"; return 1; }
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres matcher_test ||
    { _ci_pg_fail "createdb matcher_test" "$CI_PG_DIR/server.log"; return 1; }

  export MATCHER_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/matcher_test"
}

_ci_postgres_start
