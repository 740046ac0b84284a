#!/usr/bin/env bash
# ./run.sh cluster [start|stop|status]: PostgreSQL + Redis (Debian's packages, installed if missing),
# three Breakwater nodes on loopback ports and HAProxy in front, routing on GET /health/ready.
# Everything binds to 127.0.0.1. Data: PostgreSQL database "breakwater"; logs and pids in
# data/cluster/ (BREAKWATER_CLUSTER_DIR). See docs/scale-out.md.
#   BREAKWATER_CLUSTER_PORT      balancer port (8080); the nodes take the next three ports
#   BREAKWATER_CLUSTER_DATABASE  PostgreSQL database (breakwater)
#   BREAKWATER_API_KEYS          account:secret,... (else the first node creates a sandbox account and prints its key)
#   any other BREAKWATER_* variable is passed to every node
set -euo pipefail
cd "$(dirname "$0")/../../.."
# shellcheck source=services.sh
source src/main/sh/services.sh

PORT_LB=${BREAKWATER_CLUSTER_PORT:-8080}
DIR=${BREAKWATER_CLUSTER_DIR:-data/cluster}
DB=${BREAKWATER_CLUSTER_DATABASE:-breakwater}
NODES=(1 2 3)
node_port() { echo $((PORT_LB + $1)); }

start_node() {
  local n=$1 port
  port=$(node_port "$n")
  mkdir -p "$DIR/node$n"
  PORT=$port BREAKWATER_BIND=127.0.0.1 BREAKWATER_DATA_DIR="$DIR/node$n" \
    BREAKWATER_DATABASE_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
    BREAKWATER_DATABASE_USER="$BREAKWATER_PG_USER" BREAKWATER_DATABASE_PASSWORD="$BREAKWATER_PG_PASSWORD" \
    BREAKWATER_REDIS_URL="redis://127.0.0.1:$BREAKWATER_REDIS_PORT" BREAKWATER_CLUSTER_NODES=${#NODES[@]} \
    nohup "$JDK/bin/java" -Dsun.net.httpserver.nodelay=true -XX:+UseG1GC ${BREAKWATER_NODE_JAVA_OPTS:-} \
    -jar "$DIR/breakwater.jar" >>"$DIR/node$n.log" 2>&1 &
  echo $! >"$DIR/node$n.pid"
  for _ in $(seq 1 300); do
    if curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; then echo "node$n ready on 127.0.0.1:$port"; return 0; fi
    kill -0 "$(cat "$DIR/node$n.pid")" 2>/dev/null || { tail -20 "$DIR/node$n.log" >&2; echo "node$n died" >&2; return 1; }
    sleep 0.2
  done
  echo "node$n not ready after 60 s" >&2; return 1
}

write_haproxy_config() {
  mkdir -p "$DIR"
  # HAProxy's own 503 (no node ready) keeps the API's contract: a problem with Retry-After.
  printf '%s\r\n' "HTTP/1.1 503 Service Unavailable" "Content-Type: application/problem+json" "Retry-After: 1" \
    "Cache-Control: no-store" "Connection: close" "" \
    '{"type":"/problems/temporary-reduced-capacity","title":"Temporarily reduced capacity","status":503,"detail":"No node is ready; retry after Retry-After seconds.","request_id":"req_balancer"}' \
    >"$DIR/haproxy-503.http"
  {
    cat <<CFG
global
  maxconn 4096
  pidfile $PWD/$DIR/haproxy.pid
defaults
  mode http
  option http-keep-alive
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  timeout http-request 10s
  # A refused connection (a node that just died) is retried on another node: nothing was sent yet.
  retries 2
  option redispatch 1
  errorfile 503 $PWD/$DIR/haproxy-503.http
frontend api
  bind 127.0.0.1:$PORT_LB
  default_backend nodes
backend nodes
  balance roundrobin
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2 on-marked-down shutdown-sessions
CFG
    for n in "${NODES[@]}"; do echo "  server node$n 127.0.0.1:$(node_port "$n") check"; done
  } >"$DIR/haproxy.cfg"
}

stop_pidfile() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$file"
}

case "${1:-start}" in
  start)
    JDK=$(./run.sh jdk)
    command -v haproxy >/dev/null 2>&1 || apt_install haproxy
    ensure_postgres "$DB"
    ensure_redis
    if [ ! -f target/breakwater.jar ] || [ -n "$(find src openapi pom.xml -newer target/breakwater.jar -print -quit)" ]; then
      echo "building target/breakwater.jar ..." >&2
      ./mvnw -B -q -Dmaven.test.skip=true package >&2
    fi
    mkdir -p "$DIR"
    cp target/breakwater.jar "$DIR/breakwater.jar"
    # One after another: the first runs the migrations and creates the accounts the others then load.
    for n in "${NODES[@]}"; do
      if [ -f "$DIR/node$n.pid" ] && kill -0 "$(cat "$DIR/node$n.pid")" 2>/dev/null; then echo "node$n already running"; continue; fi
      start_node "$n"
    done
    write_haproxy_config
    stop_pidfile "$DIR/haproxy.pid"
    haproxy -D -f "$DIR/haproxy.cfg"
    for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT_LB/health/ready" && break; sleep 0.2; done
    echo "balancer on http://127.0.0.1:$PORT_LB (HAProxy, routing on /health/ready); stop with ./run.sh cluster stop"
    ;;
  node)  # ./run.sh cluster node N: (re)start one node, e.g. after a kill -9
    JDK=$(./run.sh jdk)
    start_node "$2"
    ;;
  stop)
    stop_pidfile "$DIR/haproxy.pid"
    for n in "${NODES[@]}"; do stop_pidfile "$DIR/node$n.pid"; done
    if [ -f "/tmp/breakwater-redis-$BREAKWATER_REDIS_PORT.pid" ]; then stop_pidfile "/tmp/breakwater-redis-$BREAKWATER_REDIS_PORT.pid"; fi
    echo "cluster stopped (PostgreSQL keeps running: pg_ctlcluster 15 main stop to stop it)"
    ;;
  status)
    for n in "${NODES[@]}"; do
      printf 'node%s 127.0.0.1:%s ' "$n" "$(node_port "$n")"
      curl -s "http://127.0.0.1:$(node_port "$n")/health/ready" || printf 'down'
      echo
    done
    ;;
  *) echo "usage: ./run.sh cluster [start|stop|status|node N]" >&2; exit 2 ;;
esac
