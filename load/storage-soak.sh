#!/usr/bin/env bash
# Storage health under sustained durable writes: drives POST /v1/payments at concurrency 64 in
# group-commit mode and samples the database file size every 10 s, then stops the server and
# compares the file with the live data (the same database after SHUTDOWN COMPACT, see DbSize.java).
#
#   load/storage-soak.sh payments 200000    stop after that many payments
#   load/storage-soak.sh minutes 5          stop after that many minutes
#
# Env: BENCH_PORT (18311), BENCH_MODE (group), BENCH_CONNECTIONS (64), BENCH_THREADS (2).
# Prints one "sample" line per 10 s (elapsed s, file bytes) and a DBSIZE line at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

KIND=${1:?usage: storage-soak.sh payments N | minutes N}
AMOUNT=${2:?usage: storage-soak.sh payments N | minutes N}
PORT=${BENCH_PORT:-18311}
MODE=${BENCH_MODE:-group}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
SECRET=sk_test_bench_0123456789abcdef

command -v wrk >/dev/null || { echo "storage-soak: wrk not found (apt-get install -y wrk)" >&2; exit 1; }
source load/lib.sh
build_jar

case "$KIND" in
  payments) DURATION=60m; LIMIT=$(( (AMOUNT + THREADS - 1) / THREADS )) ;;
  minutes)  DURATION=${AMOUNT}m; LIMIT=0 ;;
  *) echo "usage: storage-soak.sh payments N | minutes N" >&2; exit 2 ;;
esac

dir=$(mktemp -d "${TMPDIR:-/tmp}/breakwater-soak.XXXXXX")
start_server "$dir" "$PORT" "$MODE" "$SECRET"
echo "== $MODE mode, $KIND $AMOUNT, -c$CONNECTIONS, data in $dir (load before: $(cut -d' ' -f1-3 /proc/loadavg))"

( start=$(date +%s)
  while kill -0 "$SERVER_PID" 2>/dev/null; do
    sleep 10
    [ -f "$dir/breakwater.mv.db" ] && echo "sample t=$(( $(date +%s) - start ))s file_bytes=$(stat -c %s "$dir/breakwater.mv.db")"
  done ) &
SAMPLER=$!

mkdir -p "$dir/done"
BENCH_RUN="soak-$RANDOM" BENCH_SECRET=$SECRET BENCH_LIMIT=$LIMIT BENCH_DONE_DIR="$dir/done" wrk -t"$THREADS" \
    -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s load/payments.lua "http://127.0.0.1:$PORT" >"$dir/wrk.out" &
WRK=$!
if [ "$LIMIT" -gt 0 ]; then
  # wrk runs until -d; once every thread has its N responses, SIGINT makes it stop and report.
  while kill -0 "$WRK" 2>/dev/null && [ "$(ls "$dir/done" | wc -l)" -lt "$THREADS" ]; do sleep 1; done
  kill -INT "$WRK" 2>/dev/null || true
fi
wait "$WRK" || true
grep -A4 "Latency Distribution" "$dir/wrk.out"; grep RESULT "$dir/wrk.out"
echo "final file_bytes=$(stat -c %s "$dir/breakwater.mv.db") (server still running)"
kill "$SAMPLER" 2>/dev/null || true
stop_server
"$JDK/bin/java" -cp target/breakwater.jar load/DbSize.java "$dir"
rm -rf "$dir"
