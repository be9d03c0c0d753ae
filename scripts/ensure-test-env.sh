#!/usr/bin/env bash
# Makes sure what the test suite needs outside node_modules is present: Debian's Chromium (Playwright
# drives it) and a local PostgreSQL that role "root" reaches on 127.0.0.1 in databases "test" and
# "postgres", and on which root may create databases (each server test file makes a throwaway one).
# Idempotent: on a ready machine it only checks and prints status lines.
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=5432
PG_WAIT_SECONDS=30

log() { printf 'ensure-test-env: %s\n' "$*"; }
fail() {
  printf 'ensure-test-env: error: %s\n' "$*" >&2
  exit 1
}
is_root() { [ "$(id -u)" -eq 0 ]; }

apt_updated=no
apt_install() {
  is_root || fail "need to install $* but not running as root; run: sudo apt-get install -y $*"
  if [ "$apt_updated" = no ]; then
    apt-get update
    apt_updated=yes
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

# --- Chromium -------------------------------------------------------------------------------------
if [ -x /usr/bin/chromium ]; then
  log "chromium: present"
else
  log "chromium: installing"
  apt_install chromium fonts-dejavu-core
  [ -x /usr/bin/chromium ] || fail "chromium was installed but /usr/bin/chromium is missing"
fi

# --- PostgreSQL -----------------------------------------------------------------------------------
installed_postgres=no
if ! command -v psql >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  log "postgresql: installing"
  apt_install postgresql
  installed_postgres=yes
fi
pg_version="$(ls /etc/postgresql | head -1)"
[ -n "$pg_version" ] || fail "postgresql is installed but has no cluster under /etc/postgresql"

if pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
  log "postgresql: $pg_version accepting connections on $PG_HOST:$PG_PORT"
else
  is_root || fail "postgresql is not running on $PG_HOST:$PG_PORT and starting it needs root"
  log "postgresql: starting cluster $pg_version/main"
  pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start || log "postgresql: pg_ctlcluster failed; waiting anyway"
  waited=0
  until pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; do
    if [ "$waited" -ge "$PG_WAIT_SECONDS" ]; then
      fail "postgresql did not accept connections on $PG_HOST:$PG_PORT within ${PG_WAIT_SECONDS}s"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  log "postgresql: accepting connections after ${waited}s"
fi

root_can_connect() {
  psql -X -w -h "$PG_HOST" -p "$PG_PORT" -U root -d test -Atqc 'select 1' </dev/null >/dev/null 2>&1
}

# Runs SQL from stdin as the postgres superuser: over TCP if that is allowed, else by peer
# authentication on the local socket (root only).
admin_sql() {
  if psql -X -w -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -Atqc 'select 1' </dev/null >/dev/null 2>&1; then
    psql -X -w -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -Atq
  elif is_root; then
    (cd / && su postgres -c "psql -X -v ON_ERROR_STOP=1 -p $PG_PORT -d postgres -Atq")
  else
    fail "cannot reach postgresql as postgres over $PG_HOST or as root; set it up by hand (see above)"
  fi
}

# The server tests' default TEST_DATABASE_URL: postgres://root@127.0.0.1:5432/postgres.
root_can_create_databases() {
  [ "$(psql -X -w -h "$PG_HOST" -p "$PG_PORT" -U root -d postgres -Atqc \
    'select rolcreatedb or rolsuper from pg_roles where rolname = current_user' </dev/null 2>/dev/null)" = t ]
}

if root_can_connect && root_can_create_databases; then
  log "postgresql: role root reaches database test on $PG_HOST and may create databases"
  exit 0
fi

# A cluster with nothing but the default databases counts as freshly installed: only then is its
# authentication for 127.0.0.1 relaxed to trust. A cluster someone uses is never reconfigured.
user_databases="$(echo "select count(*) from pg_database where datname not in ('postgres', 'template0', 'template1', 'test');" | admin_sql)"
fresh_cluster=no
if [ "$installed_postgres" = yes ] || [ "$user_databases" = 0 ]; then
  fresh_cluster=yes
fi

root_roles="$(echo "select count(*) from pg_roles where rolname = 'root';" | admin_sql)"
if [ "$root_roles" = 0 ]; then
  log "postgresql: creating role root"
  echo 'create role root superuser login;' | admin_sql
fi
test_databases="$(echo "select count(*) from pg_database where datname = 'test';" | admin_sql)"
if [ "$test_databases" = 0 ]; then
  log "postgresql: creating database test"
  echo 'create database test owner root;' | admin_sql
fi

if ! root_can_connect; then
  [ "$fresh_cluster" = yes ] || fail "role root cannot connect to database test on $PG_HOST; this cluster holds other databases, so its pg_hba.conf is left alone: allow root on $PG_HOST by hand"
  is_root || fail "role root cannot connect to database test on $PG_HOST and editing pg_hba.conf needs root"
  hba_file="$(echo 'show hba_file;' | admin_sql)"
  marker='# ensure-test-env.sh: local test runs connect over 127.0.0.1 without a password'
  if ! grep -qF "$marker" "$hba_file"; then
    log "postgresql: trusting connections from 127.0.0.1 in $hba_file (fresh cluster)"
    # pg_hba.conf is read top-down and the first match wins, so the rule goes first.
    { printf '%s\n%s\n' "$marker" 'host all all 127.0.0.1/32 trust'; cat "$hba_file"; } >"$hba_file.new"
    chown --reference="$hba_file" "$hba_file.new"
    chmod --reference="$hba_file" "$hba_file.new"
    mv "$hba_file.new" "$hba_file"
  fi
  echo 'select pg_reload_conf();' | admin_sql >/dev/null
  sleep 1
  root_can_connect || fail "role root still cannot connect to database test on $PG_HOST"
fi
if ! root_can_create_databases; then
  log "postgresql: letting role root create databases"
  echo 'alter role root createdb;' | admin_sql
  root_can_create_databases || fail "role root cannot reach database postgres on $PG_HOST, or still may not create databases"
fi
log "postgresql: role root reaches database test on $PG_HOST and may create databases"
