# Shared by the load scripts: find a JDK >= 21, build the jar, start and stop one server, and one
# measured wrk run (warm-up, then the measured window with the server's CPU time per request).
# shellcheck shell=bash

JDK=$(./run.sh jdk)
# run.sh's JVM flags, for every Java server a benchmark starts (Breakwater and the hello-world
# yardstick alike), so the two differ only in what they do per request.
# shellcheck disable=SC2206
JAVA_FLAGS=(-Dsun.net.httpserver.nodelay=true ${BENCH_GC:--XX:+UseG1GC} ${BENCH_JAVA_OPTS:-})

build_jar() {
  if [ ! -f target/breakwater.jar ] || [ -n "$(find src openapi pom.xml -newer target/breakwater.jar -print -quit)" ]; then
    echo "building target/breakwater.jar ..." >&2
    ./mvnw -B -q -Dmaven.test.skip=true package >&2
  fi
}

SERVER_PID=""
# start_server DATA_DIR PORT WRITE_MODE SECRET: runs a private copy of the jar (SERVER_JAR, else
# target/breakwater.jar), waits for /health.
# These benchmarks measure the write path, not throttling, so the account's rate and concurrency
# limits and the node's shedding capacity are lifted (BENCH_WRITES_QUOTA, BENCH_READS_QUOTA,
# BENCH_MAX_IN_FLIGHT, BENCH_SHED_CAPACITY to change; other BREAKWATER_* settings pass through the
# environment); the access log stays on, as in production. JVM flags: JAVA_FLAGS. Installs
# stop_server as the EXIT trap unless the caller has its own (which must then call stop_server).
start_server() {
  local dir=$1 port=$2 mode=$3 secret=$4
  cp "${SERVER_JAR:-target/breakwater.jar}" "$dir/server.jar"
  PORT=$port BREAKWATER_BIND=127.0.0.1 BREAKWATER_DATA_DIR=$dir BREAKWATER_API_KEYS="acct_bench:$secret" \
    BREAKWATER_WRITE_MODE=$mode \
    BREAKWATER_RATELIMIT_WRITES_QUOTA=${BENCH_WRITES_QUOTA:-1000000} BREAKWATER_RATELIMIT_READS_QUOTA=${BENCH_READS_QUOTA:-1000000} \
    BREAKWATER_RATELIMIT_MAX_IN_FLIGHT=${BENCH_MAX_IN_FLIGHT:-1024} BREAKWATER_SHED_CAPACITY=${BENCH_SHED_CAPACITY:-4096} \
    "$JDK/bin/java" "${JAVA_FLAGS[@]}" -jar "$dir/server.jar" >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  [ -n "$(trap -p EXIT)" ] || trap 'stop_server' EXIT
  wait_for "http://127.0.0.1:$port/health" "$dir/server.log"
}

# start_hello PORT: the bare hello-world (load/HelloServer.java) with the same JVM flags.
# BREAKWATER_HTTP_SERVER (jdk, robaho) picks its com.sun.net.httpserver provider, as it does Breakwater's.
start_hello() {
  local provider=sun.net.httpserver.DefaultHttpServerProvider
  [ "${BREAKWATER_HTTP_SERVER:-jdk}" = robaho ] && provider=robaho.net.httpserver.DefaultHttpServerProvider
  "$JDK/bin/java" "${JAVA_FLAGS[@]}" -Drobaho.net.httpserver.nodelay=true -Dcom.sun.net.httpserver.HttpServerProvider=$provider \
    -cp target/breakwater.jar load/HelloServer.java "$1" >/dev/null &
  SERVER_PID=$!
  [ -n "$(trap -p EXIT)" ] || trap 'stop_server' EXIT
  wait_for "http://127.0.0.1:$1/"
}

# wait_for URL [LOG]: up to 60 s for SERVER_PID to answer 2xx at URL; fails the script if
# it dies first (printing LOG, if given) or does not answer in time.
wait_for() {
  for _ in $(seq 1 300); do
    if curl -sf -o /dev/null "$1"; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { [ -n "${2:-}" ] && cat "$2" >&2; echo "server died before answering at $1" >&2; exit 1; }
    sleep 0.2
  done
  echo "nothing answered at $1 in 60 s" >&2; exit 1
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# measure LABEL URL SCRIPT: with wrk -t$THREADS -c$CONNECTIONS and the wrk Lua SCRIPT, a warm-up of
# $WARMUP (WARMUP_EXTRA, if set, for this run only), then $DURATION measured; the server is
# SERVER_PID. Prints "RESULT LABEL <the script's summary line> server_cpu_us_per_request=N" and
# appends it to $RESULTS if that names a file.
measure() {
  local label=$1 url=$2 script=$3 before after out line requests
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_EXTRA:-$WARMUP}" -s "$script" "$url" >/dev/null
  before=$(cpu_ticks "$SERVER_PID")
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$script" "$url")
  after=$(cpu_ticks "$SERVER_PID")
  line=$(grep -E '^(BENCH|RESULT) ' <<<"$out")
  line=${line#* }
  requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
  printf 'RESULT %-24s %s server_cpu_us_per_request=%.1f\n' "$label" "$line" \
    "$(awk -v t=$((after - before)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {print t / hz * 1e6 / n}')" \
    | tee -a "${RESULTS:-/dev/null}"
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
