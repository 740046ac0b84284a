#!/usr/bin/env bash
# What one GET /v1/payments/{id} costs (issue #20), this build against another, in one bounded run
# on 127.0.0.1:18406: a fresh server per line, 5 s of payments written first (so the read is a
# lookup among many), then wrk reads one of them by id with the account's limits lifted.
# ROUNDS rounds, alternating this build and BASELINE_JAR, so drift of the box shows as a
# difference between rounds.
#
#   BASELINE_JAR=/tmp/old/breakwater.jar load/read-bench.sh     about 1 minute per round
#
# Each line: rate, p50/p99, statuses and the server's CPU per request (load/lib.sh's measure).
# Settings: ROUNDS (2), DURATION (10s), WARMUP (10s), CONNECTIONS (64), THREADS (2). Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=18406
SECRET=sk_test_read_bench_0123456789abcdef
POST_BODY='{"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa"}'

command -v wrk >/dev/null || { echo "read-bench: wrk not found (apt-get install -y wrk)" >&2; exit 1; }
source load/lib.sh   # JDK, JAVA_FLAGS, build_jar, start_server, measure, stop_server
build_jar
THIS_JAR=$(realpath target/breakwater.jar)

WORK=$(mktemp -d /tmp/breakwater-read-bench.XXXXXX)
trap 'stop_server; rm -rf "$WORK"' EXIT

# read LABEL JAR: a fresh server from JAR, payments written, then one measured read-by-id run.
read_run() {
  local dir=$WORK/$1 payment
  mkdir "$dir"
  SERVER_JAR=$2 start_server "$dir" "$PORT" group "$SECRET"
  payment=$(curl -sf -H "Authorization: Bearer $SECRET" -H 'Content-Type: application/json' -H "Idempotency-Key: read-bench-$1" \
    -d "$POST_BODY" "http://127.0.0.1:$PORT/v1/payments" | grep -o '"id" *: *"[^"]*"' | head -1 | sed -E 's/.*"([^"]+)"$/\1/')
  case $payment in *[!A-Za-z0-9_]*|"") echo "read-bench: could not create the payment to read: $payment" >&2; exit 1 ;; esac
  BENCH_SECRET=$SECRET BENCH_RUN="read-$1-$RANDOM" wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s load/payments.lua \
    "http://127.0.0.1:$PORT" >/dev/null
  BENCH_AUTH=$SECRET measure "$1" "http://127.0.0.1:$PORT/v1/payments/$payment" load/ratelimit-bench.lua
  stop_server
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after $WARMUP warm-up) on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo '+changes'), $("$JDK/bin/java" -version 2>&1 | head -1)," \
  "JVM flags: ${JAVA_FLAGS[*]}${BASELINE_JAR:+, baseline $BASELINE_JAR}"
for round in $(seq 1 "$ROUNDS"); do
  read_run "this-$round" "$THIS_JAR"
  if [ -n "${BASELINE_JAR:-}" ]; then
    read_run "baseline-$round" "$BASELINE_JAR"
  fi
done
