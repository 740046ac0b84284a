#!/usr/bin/env bash
# What kill -9 costs the access log (issue #20): the log is written off the request thread, so a
# crash loses the lines still queued or in the batch being written. Each run starts a fresh server
# on 127.0.0.1:18404 (access log on, to a file, as under a supervisor), storms GET /v1/payments at
# full speed with wrk (a quota of 1 per hour, so every answer but the first is a 429, as in
# load/edge-bench.sh), kill -9s the server KILL_AFTER into the run and compares the responses wrk
# received with the access lines the server wrote. The loss in lines, and as time twice: the lost
# lines at the rate of the last second logged (lost / rate), and the gap between the last line
# written (its request's finish time) and the kill.
#
#   load/access-log-kill.sh      about 1 minute (RUNS x LOAD); run under flock -x /work/bench.lock
#
# Settings: RUNS (3), LOAD (12s of wrk; the server dies within it), KILL_AFTER (8 seconds),
# CONNECTIONS (64), THREADS (2). Needs wrk (apt-get install -y wrk). Each run's directory is
# removed on exit; nothing but 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
LOAD=${LOAD:-12s}
KILL_AFTER=${KILL_AFTER:-8}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=18404
SECRET=sk_test_access_log_kill_0123456789

command -v wrk >/dev/null || { echo "access-log-kill: wrk not found (apt-get install -y wrk)" >&2; exit 1; }
source load/lib.sh   # JDK, JAVA_FLAGS, build_jar, start_server, stop_server
build_jar

WORK=$(mktemp -d /tmp/breakwater-access-log-kill.XXXXXX)
trap 'stop_server; rm -rf "$WORK"' EXIT

echo "wrk -t$THREADS -c$CONNECTIONS -d$LOAD, kill -9 after ${KILL_AFTER}s, on $(nproc) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo '+changes')," \
  "$("$JDK/bin/java" -version 2>&1 | head -1), JVM flags: ${JAVA_FLAGS[*]}"
echo "| run | responses received | access lines written | lost lines | rate in the last logged second /s | lost / rate ms | last line to kill ms |"
echo "|---|---|---|---|---|---|---|"
for run in $(seq 1 "$RUNS"); do
  dir=$WORK/run$run
  mkdir "$dir"
  BENCH_READS_QUOTA=1 BREAKWATER_RATELIMIT_READS_WINDOW_SECONDS=3600 start_server "$dir" "$PORT" group "$SECRET"
  BENCH_AUTH=$SECRET wrk -t"$THREADS" -c"$CONNECTIONS" -d"$LOAD" -s load/ratelimit-bench.lua \
    "http://127.0.0.1:$PORT/v1/payments" >"$dir/wrk.out" 2>&1 &
  wrk_pid=$!
  sleep "$KILL_AFTER"
  kill -9 "$SERVER_PID"
  killed_at=$(date -u +%H:%M:%S.%N)
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  wait "$wrk_pid" || true
  # Every complete response wrk read, whatever its status (the first is a 200, the rest 429s).
  received=$(grep -o 'statuses=[^ ]*' "$dir/wrk.out" | cut -d= -f2- | tr ',' '\n' | awk -F= '{n += $2} END {print n + 0}')
  written=$(grep -c '"log":"access".*"route":"/v1/payments".*}$' "$dir/server.log" || true)
  # Seconds of the day from an ISO instant's or date's HH:MM:SS.fraction (a run does not span midnight).
  grep -o '"timestamp":"[^"]*","log":"access".*"route":"/v1/payments".*}$' "$dir/server.log" | cut -d'"' -f4 \
    | awk -v run="$run" -v r="$received" -v w="$written" -v k="$killed_at" '
      function sec(t,   p) { sub(/.*T/, "", t); sub(/Z$/, "", t); split(t, p, ":"); return p[1] * 3600 + p[2] * 60 + p[3] }
      { t[NR] = sec($0); if (t[NR] > last) last = t[NR] }
      END {
        for (i = 1; i <= NR; i++) if (t[i] > last - 1) recent++
        lost = r - w
        printf "| %d | %d | %d | %d | %d | %.1f | %.1f |\n", run, r, w, lost, recent, lost / recent * 1000, (sec(k) - last) * 1000
      }'
done
