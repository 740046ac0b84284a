# Shared by the load scripts: find a JDK >= 21, build the jar, start and stop one server.
# shellcheck shell=bash

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1; }
find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ]; then
    echo "$JAVA_HOME"; return
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -x "$d/bin/java" ] || continue
    v=$(java_major "$d" 2>/dev/null || echo 0)
    if [ "${v:-0}" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  [ -n "$best" ] || { echo "no JDK >= 21 found (set JAVA_HOME)" >&2; exit 1; }
  echo "$best"
}
JDK=$(find_jdk)

build_jar() {
  if [ ! -f target/breakwater.jar ] || [ -n "$(find src pom.xml -newer target/breakwater.jar -print -quit)" ]; then
    echo "building target/breakwater.jar ..." >&2
    ./mvnw -B -q -DskipTests package >&2
  fi
}

SERVER_PID=""
# start_server DATA_DIR PORT WRITE_MODE SECRET: runs a private copy of the jar, waits for /health.
start_server() {
  local dir=$1 port=$2 mode=$3 secret=$4
  cp target/breakwater.jar "$dir/server.jar"
  PORT=$port BREAKWATER_BIND=127.0.0.1 BREAKWATER_DATA_DIR=$dir BREAKWATER_API_KEYS="acct_bench:$secret" \
    BREAKWATER_WRITE_MODE=$mode "$JDK/bin/java" -Dsun.net.httpserver.nodelay=true -XX:+UseZGC ${BENCH_JAVA_OPTS:-} \
    -jar "$dir/server.jar" >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  trap 'stop_server' EXIT
  for _ in $(seq 1 300); do
    if curl -sf -o /dev/null "http://127.0.0.1:$port/health"; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$dir/server.log" >&2; echo "server died" >&2; exit 1; }
    sleep 0.2
  done
  echo "server did not start in 60 s" >&2; exit 1
}

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
