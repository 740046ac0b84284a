#!/usr/bin/env bash
# gRPC vs REST for the processor gateway (issue #17, results in docs/grpc.md), in one run:
#   1. the gateway's authorize over gRPC and over REST/JSON (load/GrpcBench.java): calls/s, p50/p99,
#      the gateway's CPU per call and bytes on the wire, at concurrency 1, 64 and 256, over one
#      connection and over a pool; then 100-authorization batches, a gRPC AuthorizeStream against
#      POST /authorizations/batch;
#   2. end to end, POST /v1/payments on the edge at -c64 (wrk, load/payments.lua, every request a
#      new payment) with the edge's processor being the gateway over gRPC, the gateway over REST,
#      and the in-process sandbox (the gateway stopped), with edge + gateway CPU per payment.
#
#   load/grpc-bench.sh [MEASURE_SECONDS]   seconds measured per step (default 10); ~9 min in all here
#
# Run it alone on the machine: flock -x /work/bench.lock load/grpc-bench.sh (see the brief).
# Env: BENCH_WARMUP (10: per wire before step 1, and per edge wiring before its measured run),
#      BENCH_E2E_SECONDS (15), BENCH_GATEWAY_GRPC_PORT (18390), BENCH_GATEWAY_HTTP_PORT (18391),
#      BENCH_PORT (18392, the edge). Everything binds and calls 127.0.0.1 only; the gateway and
#      each edge run on fresh data directories and are stopped at the end (also on failure).
# Output: the tables on stdout and in target/grpc-bench/results.md; the last lines of the gateway's
# and the edges' logs (one JSON line per call or request, as in production) in target/grpc-bench/.
set -euo pipefail
cd "$(dirname "$0")/.."

MEASURE=${1:-10}
WARMUP=${BENCH_WARMUP:-10}
E2E_SECONDS=${BENCH_E2E_SECONDS:-15}
GRPC_PORT=${BENCH_GATEWAY_GRPC_PORT:-18390}
HTTP_PORT=${BENCH_GATEWAY_HTTP_PORT:-18391}
PORT=${BENCH_PORT:-18392}
SECRET=sk_test_bench_0123456789abcdef
OUT=target/grpc-bench

command -v wrk >/dev/null || { echo "grpc-bench: wrk not found (apt-get install -y wrk)" >&2; exit 1; }
source load/lib.sh
build_jar
rm -rf "$OUT" && mkdir -p "$OUT"
RESULTS=$OUT/results.md
WORK=$(mktemp -d "${TMPDIR:-/tmp}/breakwater-grpc-bench.XXXXXX")

GATEWAY_PID=""
stop_gateway() {
  local pid=$GATEWAY_PID
  GATEWAY_PID=""
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
  fi
}
cleanup() { stop_server || true; stop_gateway; rm -rf "$WORK"; }
trap cleanup EXIT

# The gateway exactly as an operator starts it (./run.sh processor execs the JVM, so $! is its pid).
BREAKWATER_BIND=127.0.0.1 BREAKWATER_DATA_DIR=$WORK/gateway BREAKWATER_GATEWAY_GRPC_PORT=$GRPC_PORT \
  BREAKWATER_GATEWAY_HTTP_PORT=$HTTP_PORT ./run.sh processor >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
for _ in $(seq 1 150); do
  grep -q "Processor gateway listening" "$WORK/gateway.log" && break
  kill -0 "$GATEWAY_PID" 2>/dev/null || { cat "$WORK/gateway.log" >&2; echo "gateway died" >&2; exit 1; }
  sleep 0.2
done
grep -q "Processor gateway listening" "$WORK/gateway.log" || { echo "gateway did not start in 30 s" >&2; exit 1; }

{
  echo "# load/grpc-bench.sh $MEASURE"
  echo
  echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml load || echo ' (+ uncommitted changes)'), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, JDK $("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$RESULTS"

echo "== 1. gateway authorize, gRPC vs REST ($MEASURE s per step)" >&2
"$JDK/bin/java" -XX:+UseG1GC -cp target/breakwater.jar load/GrpcBench.java \
  "$GRPC_PORT" "$HTTP_PORT" "$GATEWAY_PID" "$WARMUP" "$MEASURE" | tee -a "$RESULTS"

# cpu_ticks PID: user + system CPU of a process so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)

E2E=()
# e2e LABEL PROCESSOR_URL: a fresh edge, warm-up, then the measured wrk run; one table row.
e2e() {
  local label=$1 url=$2 dir
  dir=$(mktemp -d "$WORK/edge.XXXXXX")
  BREAKWATER_PROCESSOR_URL=$url start_server "$dir" "$PORT" group "$SECRET"
  trap cleanup EXIT # start_server set its own
  echo "== 2. POST /v1/payments, edge processor: $label (warm-up ${WARMUP}s, then ${E2E_SECONDS}s at -c64)" >&2
  BENCH_RUN="warm-$label-$RANDOM" BENCH_SECRET=$SECRET wrk -t2 -c64 -d"${WARMUP}s" --timeout 10s \
    -s load/payments.lua "http://127.0.0.1:$PORT" >/dev/null
  local edge0 gw0=0 edge1 gw1=0 out
  edge0=$(cpu_ticks "$SERVER_PID")
  [ -n "$GATEWAY_PID" ] && gw0=$(cpu_ticks "$GATEWAY_PID")
  out=$(BENCH_RUN="run-$label-$RANDOM" BENCH_SECRET=$SECRET wrk -t2 -c64 -d"${E2E_SECONDS}s" --timeout 10s \
    --latency -s load/payments.lua "http://127.0.0.1:$PORT" | grep RESULT)
  edge1=$(cpu_ticks "$SERVER_PID")
  [ -n "$GATEWAY_PID" ] && gw1=$(cpu_ticks "$GATEWAY_PID")
  echo "$label $out" >&2
  tail -n 20 "$dir/server.log" >"$OUT/edge-$label.log"
  stop_server
  local requests rate p50 p99 statuses
  requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$out")
  rate=$(sed -E 's/.* rate=([0-9]+).*/\1/' <<<"$out")
  p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$out")
  p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$out")
  statuses=$(sed -E 's/.*statuses=([^ ]*).*/\1/' <<<"$out")
  E2E+=("| $label | $rate | $p50 | $p99 | $(awk -v e=$((edge1 - edge0)) -v g=$((gw1 - gw0)) -v n="$requests" -v t="$TICK" \
    'BEGIN {printf "%.0f | %.0f", e * 1e6 / t / n, g * 1e6 / t / n}') | $statuses |")
}

e2e grpc "grpc://127.0.0.1:$GRPC_PORT"
e2e rest "http://127.0.0.1:$HTTP_PORT"
tail -n 20 "$WORK/gateway.log" >"$OUT/gateway.log"
stop_gateway
e2e sandbox ""

{
  echo
  echo "### POST /v1/payments end to end (wrk -t2 -c64, ${E2E_SECONDS} s after ${WARMUP} s warm-up)"
  echo
  echo "| edge's processor | payments/s | p50 ms | p99 ms | edge CPU µs/payment | gateway CPU µs/payment | statuses |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  for r in "${E2E[@]}"; do echo "$r"; done
  echo
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$RESULTS"
