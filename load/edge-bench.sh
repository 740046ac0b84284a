#!/usr/bin/env bash
# The edge's cost (issue #20), in one bounded run on 127.0.0.1 (ports 18401-18403), every target with
# the same load tool and settings (wrk -t2 -c64, WARMUP then DURATION measured):
#
#   load/edge-bench.sh      about 5 minutes
#
#   nginx           a static JSON reply from nginx: the HTTP ceiling of this machine
#   hello-GET/POST  the bare JDK HttpServer (load/HelloServer.java), same JDK and JVM flags as Breakwater
#   durable-POST    POST /v1/payments, served and durable (group commit), a fresh Idempotency-Key per
#                   request (load/payments.lua), limits lifted as in load/write-bench.sh
#   read-by-id      GET /v1/payments/{id} on that server (one payment created first, then the
#                   durable run's payments around it), limits lifted
#   429-GET/POST    GET and POST /v1/payments over a quota of 1 per hour, as in load/ratelimit-bench.sh:
#                   every measured request is a 429, each checked for Retry-After and RateLimit
#   429-GET@storm   the same 429 GET offered STORM_RATE requests/s in total (250, the retry storm's
#                   rate in load/src/test/java/dev/breakwater/load/StormLoad.java): each connection
#                   waits CONNECTIONS / STORM_RATE seconds after each answer; for the p99 at that rate
#   hello-again-*   the hello-world again, to show how much the box drifted during the run
#
# Each line: requests/s, p50/p99, statuses, responses that carried Connection: close, socket errors
# and the server's CPU time per request (/proc/<pid>/stat, user + system, all threads). Then the
# table and the ratios the issue sets goals for. Every server is stopped at the end of its runs and
# the temporary directory removed on exit.
# PROFILE=1: JFR (settings=profile) records the durable write, the read and the two 429 runs (warm-up
# included) and the hottest methods of each are printed after it; a profiled run's figures are not
# comparable with an unprofiled one's.
# Settings: DURATION (15s), WARMUP (10s), WRITE_WARMUP (30s: the write path's JIT warm-up, see
# docs/performance.md), CONNECTIONS (64), THREADS (2). Needs wrk and nginx (apt-get install -y wrk nginx).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-10s}
WRITE_WARMUP=${WRITE_WARMUP:-30s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
STORM_RATE=${STORM_RATE:-250}
NGINX_PORT=18401
HELLO_PORT=18402
API_PORT=18403
SECRET=sk_test_edge_bench_0123456789abcdef
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
POST_BODY='{"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa"}'

command -v wrk >/dev/null || { echo "edge-bench: wrk not found (apt-get install -y wrk)" >&2; exit 1; }
[ -x "$NGINX" ] || { echo "edge-bench: nginx not found (apt-get install -y nginx)" >&2; exit 1; }
source load/lib.sh   # JDK, JAVA_FLAGS, build_jar, start_server, start_hello, wait_for, measure, stop_server
build_jar

WORK=$(mktemp -d /tmp/breakwater-edge-bench.XXXXXX)
RESULTS=$WORK/results
trap 'stop_server; rm -rf "$WORK"' EXIT

# nginx in the foreground as one process (no master), so SERVER_PID is the process that does the
# work and its /proc stat is its whole CPU time; everything it writes stays under $WORK.
start_nginx() {
  local dir=$WORK/nginx
  mkdir -p "$dir/tmp"
  cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      default_type application/json;
      return 200 '{"status":"ok"}';
    }
  }
}
EOF
  "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
  SERVER_PID=$!
  wait_for "http://127.0.0.1:$NGINX_PORT/" "$dir/error.log"
}

get() { BENCH_AUTH=$SECRET measure "$1" "$2" load/ratelimit-bench.lua; }
post() {
  BENCH_AUTH=$SECRET BENCH_METHOD=POST BENCH_IDEMPOTENCY_KEY=edge-bench-key-1 BENCH_BODY=$POST_BODY \
    measure "$1" "$2" load/ratelimit-bench.lua
}
# profiled LABEL CMD...: runs CMD; with PROFILE set, under a JFR recording of SERVER_PID.
profiled() {
  local label=$1
  shift
  if [ -z "${PROFILE:-}" ]; then "$@"; return; fi
  "$JDK/bin/jcmd" "$SERVER_PID" JFR.start name=edge settings=profile >/dev/null
  "$@"
  "$JDK/bin/jcmd" "$SERVER_PID" JFR.stop name=edge filename="$WORK/$label.jfr" >/dev/null
  echo "== hottest methods: $label"
  "$JDK/bin/jfr" view --width 180 hot-methods "$WORK/$label.jfr" | sed -n '1,30p'
}

hello() {
  start_hello "$HELLO_PORT"
  get "$1-GET" "http://127.0.0.1:$HELLO_PORT/v1/payments"
  post "$1-POST" "http://127.0.0.1:$HELLO_PORT/v1/payments"
  stop_server
}

echo "HTTP server provider ${BREAKWATER_HTTP_SERVER:-jdk}; wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after $WARMUP warm-up, $WRITE_WARMUP for writes) on $(nproc) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo '+changes')," \
  "$("$JDK/bin/java" -version 2>&1 | head -1), $("$NGINX" -v 2>&1), JVM flags: ${JAVA_FLAGS[*]}"

start_nginx
BENCH_AUTH="" measure nginx "http://127.0.0.1:$NGINX_PORT/" load/ratelimit-bench.lua
stop_server

hello hello

mkdir "$WORK/served"
start_server "$WORK/served" "$API_PORT" group "$SECRET"
payment=$(curl -sf -H "Authorization: Bearer $SECRET" -H 'Content-Type: application/json' -H 'Idempotency-Key: edge-bench-read' \
  -d "$POST_BODY" "http://127.0.0.1:$API_PORT/v1/payments" | grep -o '"id" *: *"[^"]*"' | head -1 | sed -E 's/.*"([^"]+)"$/\1/')
case $payment in *[!A-Za-z0-9_]*|"") echo "edge-bench: could not create the payment to read: $payment" >&2; exit 1 ;; esac
BENCH_SECRET=$SECRET BENCH_RUN="edge-$RANDOM" WARMUP_EXTRA=$WRITE_WARMUP \
  profiled durable-POST measure durable-POST "http://127.0.0.1:$API_PORT" load/payments.lua
profiled read-by-id get read-by-id "http://127.0.0.1:$API_PORT/v1/payments/$payment"
stop_server

mkdir "$WORK/limited"
BENCH_READS_QUOTA=1 BENCH_WRITES_QUOTA=1 \
  BREAKWATER_RATELIMIT_READS_WINDOW_SECONDS=3600 BREAKWATER_RATELIMIT_WRITES_WINDOW_SECONDS=3600 \
  start_server "$WORK/limited" "$API_PORT" group "$SECRET"
profiled 429-GET get 429-GET "http://127.0.0.1:$API_PORT/v1/payments"
profiled 429-POST post 429-POST "http://127.0.0.1:$API_PORT/v1/payments"
BENCH_DELAY_MS=$((CONNECTIONS * 1000 / STORM_RATE)) WARMUP_EXTRA=2s get 429-GET@storm "http://127.0.0.1:$API_PORT/v1/payments"
stop_server

hello hello-again

echo
echo "== The edge's cost (load average now $(cut -d' ' -f1-3 /proc/loadavg))"
awk '
  function field(name,   i) { for (i = 3; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
  {
    l = $2; label[++n] = l
    rps[l] = field("rps") != "" ? field("rps") : field("rate")
    p50[l] = field("p50_ms"); p99[l] = field("p99_ms"); cpu[l] = field("server_cpu_us_per_request")
    st[l] = field("statuses"); cc[l] = field("connection_close") == "" ? "-" : field("connection_close")
    err[l] = field("socket_errors") != "" ? field("socket_errors") : field("errors_connect") + field("errors_read") + field("errors_write") + field("errors_timeout")
  }
  END {
    printf "| run | req/s | p50 ms | p99 ms | server CPU µs/req | statuses | Connection: close | socket errors |\n|---|---|---|---|---|---|---|---|\n"
    for (i = 1; i <= n; i++) { l = label[i]; printf "| %s | %.0f | %.2f | %.2f | %.1f | %s | %s | %d |\n", l, rps[l], p50[l], p99[l], cpu[l], st[l], cc[l], err[l] }
    for (m = 0; m < 2; m++) {
      s = m ? "POST" : "GET"; h = "hello-" s; a = "hello-again-" s
      hr[s] = (rps[h] + rps[a]) / 2; hc[s] = (cpu[h] + cpu[a]) / 2
    }
    print ""
    printf "429 GET vs bare server:   rate %.2fx (goal >= 0.85), CPU/req %.2fx  (hello-world: mean of both runs, %.0f/s, %.1f µs)\n", rps["429-GET"] / hr["GET"], cpu["429-GET"] / hc["GET"], hr["GET"], hc["GET"]
    printf "429 POST vs bare server:  rate %.2fx (goal >= 0.85), CPU/req %.2fx  (hello-world: mean of both runs, %.0f/s, %.1f µs)\n", rps["429-POST"] / hr["POST"], cpu["429-POST"] / hc["POST"], hr["POST"], hc["POST"]
    printf "429 GET vs durable write:  rate %.1fx, durable CPU/req / 429 CPU/req %.1fx (goal >= 10)\n", rps["429-GET"] / rps["durable-POST"], cpu["durable-POST"] / cpu["429-GET"]
    printf "429 POST vs durable write: rate %.1fx, durable CPU/req / 429 CPU/req %.1fx (goal >= 10)\n", rps["429-POST"] / rps["durable-POST"], cpu["durable-POST"] / cpu["429-POST"]
    printf "GET by id vs nginx:       rate %.2fx (goal >= 0.4), CPU/req %.1fx\n", rps["read-by-id"] / rps["nginx"], cpu["read-by-id"] / cpu["nginx"]
    printf "p99 of the 429 path:      at the storm rate (%.0f/s) %.2f ms (goal <= 5 ms); at the maximum rate GET %.2f ms, POST %.2f ms\n", rps["429-GET@storm"], p99["429-GET@storm"], p99["429-GET"], p99["429-POST"]
    printf "drift: hello-world again / first GET %.2fx, POST %.2fx\n", rps["hello-again-GET"] / rps["hello-GET"], rps["hello-again-POST"] / rps["hello-POST"]
  }
' "$RESULTS"
