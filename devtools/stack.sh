#!/usr/bin/env bash
# Start, stop or report the project-local PostgreSQL cluster and Azurite, idempotently.
#   devtools/stack.sh start|stop|status [dev|test]
# Each instance has its own folder under .local/ and its own loopback ports.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/scripts/lib/common.sh"

ACTION="${1:-status}"
INSTANCE="${2:-dev}"
case "$INSTANCE" in
  dev)  PG_PORT=54320; BLOB_PORT=10000; QUEUE_PORT=10001; TABLE_PORT=10002 ;;
  test) PG_PORT=54321; BLOB_PORT=10100; QUEUE_PORT=10101; TABLE_PORT=10102 ;;
  *) log "unknown instance $INSTANCE (dev or test)"; exit 2 ;;
esac
STACK_DIR="$LOCAL_DIR/stack-$INSTANCE"
PG_HOME="$STACK_DIR"
# As root, the server runs as the postgres user, which must be able to reach its folder: when the
# checkout lies somewhere it cannot (a private home folder), the cluster lives under /var/tmp instead.
if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
  mkdir -p "$STACK_DIR"
  if ! runuser -u postgres -- test -x "$STACK_DIR"; then
    PG_HOME="/var/tmp/personicle-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)-$INSTANCE"
  fi
fi
PG_DATA="$PG_HOME/pgdata"
PG_SOCKET="$PG_HOME/pgsocket"
PG_LOG="$PG_HOME/postgres.log"
AZURITE_DIR="$STACK_DIR/azurite"
AZURITE_PID="$STACK_DIR/azurite.pid"
AZURITE_LOG="$STACK_DIR/azurite.log"
NODE_DIR="$LOCAL_DIR/node"
DB_NAME="personicle"
DB_USER="personicle"

pg_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ] && { pg_config --bindir; return 0; }
  return 1
}

ensure_postgres_installed() {
  if ! pg_bindir >/dev/null; then
    log "installing PostgreSQL from apt"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
  fi
}

# initdb and postgres refuse to run as root: run them as the postgres user then.
as_db_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() {
  [ -f "$PG_DATA/postmaster.pid" ] && as_db_owner "$(pg_bindir)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

start_postgres() {
  ensure_postgres_installed
  local bin; bin="$(pg_bindir)"
  mkdir -p "$STACK_DIR" "$PG_HOME" "$PG_SOCKET"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$PG_SOCKET"; chmod 755 "$STACK_DIR" "$PG_HOME"; fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DATA"
    chmod 700 "$PG_DATA"
    as_db_owner "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 ||
      as_db_owner "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  if ! pg_running; then
    [ "$(id -u)" -eq 0 ] && { touch "$PG_LOG"; chown postgres: "$PG_LOG"; }
    as_db_owner "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
      -o "-h 127.0.0.1 -p $PG_PORT -k $PG_SOCKET -c fsync=off -c max_connections=200" start >/dev/null
  fi
  local psql=("$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt)
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" != "1" ]; then
    "${psql[@]}" -c "CREATE ROLE $DB_USER LOGIN"
  fi
  # The tests create throwaway databases (migrations on an empty database).
  "${psql[@]}" -c "ALTER ROLE $DB_USER CREATEDB"
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != "1" ]; then
    "${psql[@]}" -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
  fi
}

stop_postgres() {
  if pg_running; then
    as_db_owner "$(pg_bindir)/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
  fi
}

ensure_azurite_installed() {
  if [ ! -x "$NODE_DIR/node_modules/.bin/azurite" ] ||
     ! grep -q "\"version\": \"$AZURITE_VERSION\"" "$NODE_DIR/node_modules/azurite/package.json" 2>/dev/null; then
    command -v npm >/dev/null || { log "Node.js 20+ with npm is required for Azurite"; exit 1; }
    log "installing Azurite $AZURITE_VERSION from npm"
    mkdir -p "$NODE_DIR"
    npm install --prefix "$NODE_DIR" --no-save --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >/dev/null
  fi
}

azurite_running() {
  [ -f "$AZURITE_PID" ] && kill -0 "$(cat "$AZURITE_PID")" 2>/dev/null
}

start_azurite() {
  ensure_azurite_installed
  mkdir -p "$AZURITE_DIR"
  if ! azurite_running; then
    nohup "$NODE_DIR/node_modules/.bin/azurite" --location "$AZURITE_DIR" --silent \
      --blobHost 127.0.0.1 --blobPort "$BLOB_PORT" --queueHost 127.0.0.1 --queuePort "$QUEUE_PORT" \
      --tableHost 127.0.0.1 --tablePort "$TABLE_PORT" --skipApiVersionCheck --disableTelemetry \
      >"$AZURITE_LOG" 2>&1 < /dev/null &
    echo $! > "$AZURITE_PID"
  fi
  local _
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$QUEUE_PORT") 2>/dev/null && return 0
    sleep 0.1
  done
  log "Azurite did not start; see $AZURITE_LOG"; exit 1
}

stop_azurite() {
  if azurite_running; then
    kill "$(cat "$AZURITE_PID")" 2>/dev/null || true
    local _
    for _ in $(seq 1 50); do azurite_running || break; sleep 0.1; done
  fi
  rm -f "$AZURITE_PID"
}

print_env() {
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  echo "export POSTGRES_DSN='host=127.0.0.1 port=$PG_PORT dbname=$DB_NAME user=$DB_USER'"
  echo "export AzureWebJobsStorage='DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$BLOB_PORT/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$QUEUE_PORT/devstoreaccount1;TableEndpoint=http://127.0.0.1:$TABLE_PORT/devstoreaccount1;'"
}

case "$ACTION" in
  start) start_postgres; start_azurite; log "$INSTANCE stack up: PostgreSQL 127.0.0.1:$PG_PORT, Azurite queues 127.0.0.1:$QUEUE_PORT" ;;
  stop) stop_azurite; stop_postgres; log "$INSTANCE stack stopped" ;;
  status)
    pg_running && echo "postgres: running on $PG_PORT" || echo "postgres: stopped"
    azurite_running && echo "azurite: running on $QUEUE_PORT" || echo "azurite: stopped" ;;
  env) print_env ;;
  *) log "usage: devtools/stack.sh start|stop|status|env [dev|test]"; exit 2 ;;
esac
