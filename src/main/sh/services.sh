# PostgreSQL and Redis for the scale-out tests and the local cluster (docs/scale-out.md), from
# Debian's packages, bound to 127.0.0.1. Sourced by .ci/run and by ./run.sh cluster.
# shellcheck shell=bash

BREAKWATER_PG_USER=${BREAKWATER_PG_USER:-breakwater}
BREAKWATER_PG_PASSWORD=${BREAKWATER_PG_PASSWORD:-breakwater}
BREAKWATER_REDIS_PORT=${BREAKWATER_REDIS_PORT:-6379}

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi

# apt_install PKG...: installs the packages whose commands are missing.
apt_install() {
  [ $# -gt 0 ] || return 0
  echo "installing $*" >&2
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# detached CMD...: runs a command that leaves a daemon behind with the caller's descriptors 3-9
# closed. A daemon keeps every descriptor it inherits: started under `flock /work/bench.lock ...`
# (whose lock is on fd 3) PostgreSQL held that lock for as long as it ran, and every later
# benchmark and test run waited on it.
detached() {
  "$@" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
}

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# ensure_postgres DB...: PostgreSQL running on 127.0.0.1:5432 with the role and each database.
ensure_postgres() {
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql
  local version
  version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
  [ -n "$version" ] || { echo "no PostgreSQL cluster found (pg_lsclusters)" >&2; return 1; }
  if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
    detached $SUDO pg_ctlcluster "$version" main start
  fi
  for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL does not answer on 127.0.0.1:5432" >&2; return 1; }
  as_postgres psql -q -v ON_ERROR_STOP=1 -d postgres <<SQL >/dev/null
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$BREAKWATER_PG_USER') THEN
    CREATE ROLE $BREAKWATER_PG_USER LOGIN PASSWORD '$BREAKWATER_PG_PASSWORD';
  END IF;
END \$\$;
SQL
  local db
  for db in "$@"; do
    if [ -z "$(as_postgres psql -tAq -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
      as_postgres psql -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db OWNER $BREAKWATER_PG_USER" >/dev/null
    fi
  done
}

# ensure_redis: a Redis server on 127.0.0.1:$BREAKWATER_REDIS_PORT (started here if none answers).
ensure_redis() {
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  if ! redis-cli -h 127.0.0.1 -p "$BREAKWATER_REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    detached redis-server --bind 127.0.0.1 --port "$BREAKWATER_REDIS_PORT" --daemonize yes --save '' --appendonly no \
      --pidfile "/tmp/breakwater-redis-$BREAKWATER_REDIS_PORT.pid" --logfile "/tmp/breakwater-redis-$BREAKWATER_REDIS_PORT.log"
    for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$BREAKWATER_REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  fi
  redis-cli -h 127.0.0.1 -p "$BREAKWATER_REDIS_PORT" ping 2>/dev/null | grep -q PONG \
    || { echo "Redis does not answer on 127.0.0.1:$BREAKWATER_REDIS_PORT" >&2; return 1; }
}
