#!/usr/bin/env bash
# What the access log costs a 429 storm (issue #20), in one bounded run on 127.0.0.1:18405: the
# same GET /v1/payments over a quota of 1 per hour (every answer but the first a 429), with the
# access log on (stdout to a file), with BREAKWATER_ACCESS_LOG=off, and, if BASELINE_JAR names
# another build (e.g. the synchronous println log of an older commit), with that jar's log on.
# ROUNDS rounds, alternating, so drift of the box shows as a difference between rounds.
#
#   load/access-log-bench.sh                            about 1 minute per round
#   BASELINE_JAR=/tmp/old/breakwater.jar load/access-log-bench.sh
#
# Each line: rate, p50/p99, statuses and the server's CPU per request (load/lib.sh's measure).
# Settings: ROUNDS (2), DURATION (10s), WARMUP (5s), CONNECTIONS (64), THREADS (2). Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=18405
SECRET=sk_test_access_log_bench_0123456789

command -v wrk >/dev/null || { echo "access-log-bench: wrk not found (apt-get install -y wrk)" >&2; exit 1; }
source load/lib.sh   # JDK, JAVA_FLAGS, build_jar, start_server, measure, stop_server
build_jar
THIS_JAR=$(realpath target/breakwater.jar)

WORK=$(mktemp -d /tmp/breakwater-access-log-bench.XXXXXX)
trap 'stop_server; rm -rf "$WORK"' EXIT

# storm LABEL JAR ACCESS_LOG: a fresh server from JAR, then one measured 429 GET run.
storm() {
  local dir=$WORK/$1
  mkdir "$dir"
  SERVER_JAR=$2 BENCH_READS_QUOTA=1 BREAKWATER_RATELIMIT_READS_WINDOW_SECONDS=3600 BREAKWATER_ACCESS_LOG=$3 \
    start_server "$dir" "$PORT" group "$SECRET"
  BENCH_AUTH=$SECRET measure "$1" "http://127.0.0.1:$PORT/v1/payments" load/ratelimit-bench.lua
  stop_server
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after $WARMUP warm-up) on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo '+changes'), $("$JDK/bin/java" -version 2>&1 | head -1)," \
  "JVM flags: ${JAVA_FLAGS[*]}${BASELINE_JAR:+, baseline $BASELINE_JAR}"
for round in $(seq 1 "$ROUNDS"); do
  storm "queued-$round" "$THIS_JAR" stdout
  storm "off-$round" "$THIS_JAR" off
  if [ -n "${BASELINE_JAR:-}" ]; then
    storm "baseline-$round" "$BASELINE_JAR" stdout
  fi
done
