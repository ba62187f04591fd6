#!/usr/bin/env bash
# Starts PostgreSQL and Redis on 127.0.0.1 with their own data directories under a temp folder, for
# the tests that need them (CI and local runs). Prints the export lines for DATABASE_URL / REDIS_URL.
# Usage: eval "$(scripts/services.sh start)"   |   scripts/services.sh stop
set -euo pipefail
BASE=${CARELINE_SERVICES_DIR:-/tmp/careline-services}
PGPORT=${PGPORT:-54329}
REDISPORT=${REDISPORT:-63799}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    mkdir -p "$BASE"
    if [ -n "$PGBIN" ]; then
      if [ ! -f "$BASE/pg/PG_VERSION" ]; then
        mkdir -p "$BASE/pg"; [ "$(id -u)" = 0 ] && chown postgres "$BASE/pg" "$BASE"
        as_pg "$PGBIN/initdb" -D "$BASE/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$BASE/initdb.log" 2>&1
      fi
      if ! as_pg "$PGBIN/pg_ctl" -D "$BASE/pg" status >/dev/null 2>&1; then
        as_pg "$PGBIN/pg_ctl" -D "$BASE/pg" -l "$BASE/pg.log" -w -o "-h 127.0.0.1 -p $PGPORT -k $BASE -c max_connections=300 -c shared_buffers=256MB -c fsync=on" start >/dev/null
      fi
      echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PGPORT/postgres"
    else
      echo "echo 'PostgreSQL is not installed: skipping it' >&2"
    fi
    if command -v redis-server >/dev/null; then
      if ! redis-cli -p "$REDISPORT" ping >/dev/null 2>&1; then
        redis-server --bind 127.0.0.1 --port "$REDISPORT" --dir "$BASE" --save '' --appendonly no --daemonize yes --logfile "$BASE/redis.log" >/dev/null
        for _ in $(seq 50); do redis-cli -p "$REDISPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
      fi
      echo "export REDIS_URL=redis://127.0.0.1:$REDISPORT"
    else
      echo "echo 'Redis is not installed: skipping it' >&2"
    fi
    ;;
  stop)
    [ -n "$PGBIN" ] && as_pg "$PGBIN/pg_ctl" -D "$BASE/pg" -m fast stop >/dev/null 2>&1 || true
    redis-cli -p "$REDISPORT" shutdown nosave >/dev/null 2>&1 || true
    ;;
esac
