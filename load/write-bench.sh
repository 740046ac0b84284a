#!/usr/bin/env bash
# Durable write benchmark: POST /v1/payments at concurrency 64 against the real server, first with
# one commit (and fsync) per write (BREAKWATER_WRITE_MODE=naive), then with group commit (group),
# each on a fresh database, same settings. Every request has a fresh Idempotency-Key, so every
# request is a new payment; all responses must be 201.
#
#   load/write-bench.sh [SECONDS]        measured seconds per mode (default 20), after a 30 s warm-up
#
# The warm-up is long because the JIT compiler kept about half a core busy for the first ~15 s of
# load; a 5 s warm-up measured the compiler as much as the server (docs/performance.md).
#
# Env: BENCH_PORT (18310), BENCH_MODES ("naive group"), BENCH_CONNECTIONS (64), BENCH_THREADS (2),
#      BENCH_WARMUP (30), BENCH_DELAY_MS (0: each connection waits this long between requests, to
#      measure latency at a given offered rate instead of at the maximum). Needs wrk
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

RESULTS=()
for mode in $MODES; do
  dir=$(mktemp -d "${TMPDIR:-/tmp}/breakwater-bench.XXXXXX")
  start_server "$dir" "$PORT" "$mode" "$SECRET"
  echo "== $mode: warm-up ${WARMUP}s, then ${SECONDS_PER_MODE}s at -c$CONNECTIONS, delay ${BENCH_DELAY_MS:-0} ms (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
  BENCH_RUN="warm-$mode-$RANDOM" BENCH_SECRET=$SECRET wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" \
      --timeout 10s -s load/payments.lua "http://127.0.0.1:$PORT" | grep RESULT | sed 's/^RESULT/warm-up/'
  out=$(BENCH_RUN="run-$mode-$RANDOM" BENCH_SECRET=$SECRET wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_MODE}s" \
      --timeout 10s --latency -s load/payments.lua "http://127.0.0.1:$PORT")
  echo "$out"
  size=$(stat -c %s "$dir/breakwater.mv.db")
  stop_server
  RESULTS+=("$mode $(echo "$out" | grep RESULT | sed 's/^RESULT //') db_file_bytes=$size")
  rm -rf "$dir"
done

echo
echo "== summary (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
for r in "${RESULTS[@]}"; do echo "$r"; done
