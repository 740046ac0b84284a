#!/usr/bin/env bash
# Bounded load run on 127.0.0.1 (ports 18101-18102): how cheap is a rejection?
#
#   load/ratelimit-bench.sh     hello-world, then Breakwater over quota, then hello-world again,
#                               each with GET and with POST /v1/payments; same wrk settings for all
#
# Breakwater runs with a quota of 1 request per hour per policy, so after the first request every
# request is a 429. Each run prints its rate, its status histogram (every response is counted, and
# every 429/503 is checked for Retry-After and RateLimit) and the server's CPU time per request.
# Settings: DURATION (15s), WARMUP (10s), CONNECTIONS (64), THREADS (2). Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
HELLO_PORT=18101
API_PORT=18102
SECRET=sk_test_ratelimit_bench_0123456789

command -v wrk >/dev/null || { echo "ratelimit-bench: wrk not found (apt-get install -y wrk)" >&2; exit 1; }
source load/lib.sh   # JDK, build_jar, start_hello, wait_for, measure, stop_server
# This benchmark's JVM flags since its first runs (docs/rate-limits.md); load/edge-bench.sh uses run.sh's.
JAVA_FLAGS=(-Dsun.net.httpserver.nodelay=true -Dsun.net.httpserver.maxReqTime=30 -Dsun.net.httpserver.maxRspTime=60 -XX:+UseZGC -Xmx512m)
build_jar
JAR=target/breakwater.jar

DATA_DIR=$(mktemp -d /tmp/breakwater-bench.XXXXXX)
RESULTS=$(mktemp /tmp/breakwater-bench-results.XXXXXX)
trap 'stop_server; rm -rf "$DATA_DIR" "$RESULTS"' EXIT
run() { measure "$1" "$2" load/ratelimit-bench.lua; }

# Both request shapes against one server: GET with a bearer key, and POST /v1/payments with its
# JSON body and Idempotency-Key (the hello-world server reads and ignores the same body).
run_both() {
  local prefix=$1 base=$2
  BENCH_AUTH=$SECRET run "$prefix-GET" "$base/v1/payments"
  BENCH_AUTH=$SECRET BENCH_METHOD=POST BENCH_IDEMPOTENCY_KEY=bench-key-1 \
    BENCH_BODY='{"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa"}' \
    run "$prefix-POST" "$base/v1/payments"
}

hello() {
  start_hello "$HELLO_PORT"
  run_both "$1" "http://127.0.0.1:$HELLO_PORT"
  stop_server
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after $WARMUP warm-up) on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $("$JDK/bin/java" -version 2>&1 | head -1)"
hello hello

PORT=$API_PORT BREAKWATER_BIND=127.0.0.1 BREAKWATER_DATA_DIR=$DATA_DIR BREAKWATER_API_KEYS="acct_bench:$SECRET" \
  BREAKWATER_RATELIMIT_READS_QUOTA=1 BREAKWATER_RATELIMIT_READS_WINDOW_SECONDS=3600 \
  BREAKWATER_RATELIMIT_WRITES_QUOTA=1 BREAKWATER_RATELIMIT_WRITES_WINDOW_SECONDS=3600 \
  "$JDK/bin/java" "${JAVA_FLAGS[@]}" -jar "$JAR" >/dev/null 2>&1 &
SERVER_PID=$!
wait_for "http://127.0.0.1:$API_PORT/health"
run_both breakwater-429 "http://127.0.0.1:$API_PORT"
stop_server

hello hello-again

# The 429 rate as a share of the mean of the two hello-world runs of the same request shape.
for method in GET POST; do
  awk -v m="$method" '
    $2 ~ "-" m "$" { split($0, f, " rps="); split(f[2], r, " "); if ($2 ~ /^hello/) { h += r[1]; n++ } else { b = r[1] } }
    END { printf "SUMMARY %-4s hello-world %.0f/s (mean of %d), 429 %.0f/s = %.0f%% of hello-world\n", m, h / n, n, b, 100 * b / (h / n) }
  ' "$RESULTS"
done
