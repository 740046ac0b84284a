# Shared by the load scripts: find a JDK >= 21, build the jar, start and stop one server.
# shellcheck shell=bash

JDK=$(./run.sh jdk)

build_jar() {
  if [ ! -f target/breakwater.jar ] || [ -n "$(find src openapi pom.xml -newer target/breakwater.jar -print -quit)" ]; then
    echo "building target/breakwater.jar ..." >&2
    ./mvnw -B -q -Dmaven.test.skip=true package >&2
  fi
}

SERVER_PID=""
# start_server DATA_DIR PORT WRITE_MODE SECRET: runs a private copy of the jar, waits for /health.
# These benchmarks measure the write path, not throttling, so the account's rate and concurrency
# limits and the node's shedding capacity are lifted (BENCH_WRITES_QUOTA, BENCH_MAX_IN_FLIGHT,
# BENCH_SHED_CAPACITY to change); the access log stays on, as in production. GC flags as run.sh
# (BENCH_GC to compare another collector), extra JVM flags in BENCH_JAVA_OPTS.
start_server() {
  local dir=$1 port=$2 mode=$3 secret=$4
  cp target/breakwater.jar "$dir/server.jar"
  PORT=$port BREAKWATER_BIND=127.0.0.1 BREAKWATER_DATA_DIR=$dir BREAKWATER_API_KEYS="acct_bench:$secret" \
    BREAKWATER_WRITE_MODE=$mode \
    BREAKWATER_RATELIMIT_WRITES_QUOTA=${BENCH_WRITES_QUOTA:-1000000} BREAKWATER_RATELIMIT_MAX_IN_FLIGHT=${BENCH_MAX_IN_FLIGHT:-1024} \
    BREAKWATER_SHED_CAPACITY=${BENCH_SHED_CAPACITY:-4096} \
    "$JDK/bin/java" -Dsun.net.httpserver.nodelay=true ${BENCH_GC:--XX:+UseG1GC} ${BENCH_JAVA_OPTS:-} \
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

# stop_server: SIGTERM, as a deploy sends it. The server drains for up to 20 s (App.DRAIN); one that
# has not exited 40 s later is a bug, so it is killed and the script fails instead of hanging.
stop_server() {
  local pid=$SERVER_PID
  SERVER_PID=""
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 400); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "server $pid did not exit within 40 s of SIGTERM; killing it" >&2
      kill -9 "$pid"
      wait "$pid" 2>/dev/null || true
      return 1
    fi
    wait "$pid" 2>/dev/null || true
  fi
}
