#!/usr/bin/env bash
# Durable write benchmark: POST /v1/payments at concurrency 64 against the real server, first with
# one commit (and fsync) per write (BREAKWATER_WRITE_MODE=naive), then with group commit (group),
# each on a fresh database, same settings, each as fast as it goes; then group commit once more,
# offered a fixed rate of 4x the naive rate just measured ("group@RATE"), for the latency at that
# rate. Every request has a fresh Idempotency-Key, so every request is a new payment; all
# responses must be 201.
#
#   load/write-bench.sh [SECONDS]        measured seconds per run (default 20), after a 30 s warm-up
#
# The warm-up is long because the JIT compiler kept about half a core busy for the first ~15 s of
# load; a 5 s warm-up measured the compiler as much as the server (docs/performance.md).
#
# Env: BENCH_PORT (18310), BENCH_MODES ("naive group"), BENCH_CONNECTIONS (64), BENCH_THREADS (2),
#      BENCH_WARMUP (30), BENCH_PACED_RATE (the paced run's rate; default 4x this run's naive rate,
#      no paced run if naive was not measured and no rate is given), BENCH_DELAY_MS (0: each
#      connection waits this long between requests in the maximum-rate runs), BENCH_STORE (h2;
#      postgres: each run on a freshly created PostgreSQL database breakwater_bench on 127.0.0.1,
#      started and created by src/main/sh/services.sh; the write mode then has no effect, as
#      PostgreSQL commits durably by itself, docs/scale-out.md). Needs wrk
#      (apt-get install -y wrk) and a JDK >= 21. The server binds 127.0.0.1 only and is stopped at
#      the end of each mode.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_MODE=${1:-20}
PORT=${BENCH_PORT:-18310}
MODES=${BENCH_MODES:-naive group}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-30}
SECRET=sk_test_bench_0123456789abcdef

command -v wrk >/dev/null || { echo "write-bench: wrk not found (apt-get install -y wrk)" >&2; exit 1; }
source load/lib.sh
build_jar
STORE=${BENCH_STORE:-h2}
if [ "$STORE" = postgres ]; then
  # shellcheck source=../src/main/sh/services.sh
  source src/main/sh/services.sh
  ensure_postgres
  export BREAKWATER_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/breakwater_bench
  export BREAKWATER_DATABASE_USER=$BREAKWATER_PG_USER BREAKWATER_DATABASE_PASSWORD=$BREAKWATER_PG_PASSWORD
fi
# fresh_store: a new, empty PostgreSQL database per run (H2 gets a new data directory anyway).
fresh_store() {
  [ "$STORE" = postgres ] || return 0
  as_postgres psql -q -d postgres -c "DROP DATABASE IF EXISTS breakwater_bench" >/dev/null
  as_postgres psql -q -d postgres -c "CREATE DATABASE breakwater_bench OWNER $BREAKWATER_PG_USER" >/dev/null
}
# store_bytes DIR: the store's size on disk after the run.
store_bytes() {
  if [ "$STORE" = postgres ]; then
    as_postgres psql -tAq -d postgres -c "SELECT pg_database_size('breakwater_bench')"
  else
    stat -c %s "$1/breakwater.mv.db"
  fi
}

RESULTS=()
NAIVE_RATE=""
# run MODE RATE: fresh database, warm-up at the maximum rate, then the measured run (at RATE/s if
# RATE is not 0, else as fast as it goes); appends one summary line to RESULTS.
run() {
  local mode=$1 rate=$2 label=$1
  [ "$rate" != 0 ] && label="$mode@$rate"
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/breakwater-bench.XXXXXX")
  fresh_store
  start_server "$dir" "$PORT" "$mode" "$SECRET"
  echo "== $label ($STORE): warm-up ${WARMUP}s, then ${SECONDS_PER_MODE}s at -c$CONNECTIONS, rate $([ "$rate" = 0 ] && echo max || echo "$rate/s"), delay ${BENCH_DELAY_MS:-0} ms (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
  BENCH_RUN="warm-$mode-$RANDOM" BENCH_SECRET=$SECRET BENCH_RATE=0 wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" \
      --timeout 10s -s load/payments.lua "http://127.0.0.1:$PORT" | grep RESULT | sed 's/^RESULT/warm-up/'
  out=$(BENCH_RUN="run-$mode-$RANDOM" BENCH_SECRET=$SECRET BENCH_RATE=$rate BENCH_THREADS=$THREADS \
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_MODE}s" \
      --timeout 10s --latency -s load/payments.lua "http://127.0.0.1:$PORT")
  echo "$out"
  size=$(store_bytes "$dir")
  stop_server
  RESULTS+=("$label $(echo "$out" | grep RESULT | sed 's/^RESULT //') db_file_bytes=$size")
  [ "$mode" = naive ] && [ "$rate" = 0 ] && NAIVE_RATE=$(echo "$out" | grep RESULT | sed -E 's/.* rate=([0-9]+).*/\1/')
  rm -rf "$dir"
}

for mode in $MODES; do
  run "$mode" 0
done
PACED_RATE=${BENCH_PACED_RATE:-}
[ -z "$PACED_RATE" ] && [ -n "$NAIVE_RATE" ] && PACED_RATE=$(( 4 * NAIVE_RATE ))
[ -n "$PACED_RATE" ] && run group "$PACED_RATE"

echo
echo "== summary (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
for r in "${RESULTS[@]}"; do echo "$r"; done
