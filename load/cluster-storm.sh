#!/usr/bin/env bash
# The retry storm through the balancer of a three-node cluster, with faults (docs/scale-out.md).
# Bounded: about 60 s of storm (CLUSTER_STORM_SECONDS), then a recovery pass and the verifier.
# Faults, at seconds from the storm's start: 12 kill -9 of node2 (restarted at 22), 30 Redis
# stopped (started again at 36), 45 PostgreSQL restarted. Own ports (18700-18703, Redis 6380)
# and own database (breakwater_storm, recreated), so it leaves other runs alone; stops everything at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../src/main/sh/services.sh
source src/main/sh/services.sh

SECONDS_TOTAL=${CLUSTER_STORM_SECONDS:-60}
OUT=target/cluster-storm
mkdir -p "$OUT"
export BREAKWATER_CLUSTER_PORT=18700 BREAKWATER_CLUSTER_DIR=data/cluster-storm BREAKWATER_CLUSTER_DATABASE=breakwater_storm
export BREAKWATER_REDIS_PORT=6380
STORM_SECRET=sk_test_cluster_storm_0123456789
POLITE_SECRET=sk_test_cluster_polite_0123456789
export BREAKWATER_API_KEYS="acct_storm:$STORM_SECRET,acct_polite:$POLITE_SECRET"
QUOTA=50
export BREAKWATER_RATELIMIT_WRITES_QUOTA=$QUOTA BREAKWATER_RATELIMIT_WRITES_WINDOW_SECONDS=1
# A faulty, slowish processor, as in RetryStormTest, and a short lock timeout so a dead node's keys come back soon.
export BREAKWATER_SANDBOX_ERROR_RATE=0.1 BREAKWATER_SANDBOX_TIMEOUT_RATE=0.02 BREAKWATER_SANDBOX_LATENCY_MS=50
export BREAKWATER_PROCESSOR_TIMEOUT_MS=1000 BREAKWATER_IDEMPOTENCY_LOCK_TIMEOUT_SECONDS=5
export BREAKWATER_ACCESS_LOG=off

ensure_postgres
as_postgres psql -q -d postgres -c "DROP DATABASE IF EXISTS breakwater_storm" >/dev/null
rm -rf "$BREAKWATER_CLUSTER_DIR"
trap './run.sh cluster stop >/dev/null 2>&1 || true' EXIT
./run.sh cluster start

CLASSPATH_FILE=target/contract-classpath.txt
if [ ! -f "$CLASSPATH_FILE" ] || [ -n "$(find src pom.xml -newer "$CLASSPATH_FILE" -print -quit 2>/dev/null)" ]; then
  ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE" >&2
fi
JDK=$(./run.sh jdk)
"$JDK/bin/java" -Dslf4j.internal.verbosity=ERROR -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" \
  -Dstorm.base=http://127.0.0.1:18700/ -Dstorm.seconds="$SECONDS_TOTAL" -Dstorm.quota=$QUOTA -Dstorm.rps="${CLUSTER_STORM_RPS:-300}" \
  -Dstorm.stormSecret=$STORM_SECRET -Dstorm.politeSecret=$POLITE_SECRET -Dstorm.lockTimeoutSeconds=5 \
  -Dstorm.jdbc=jdbc:postgresql://127.0.0.1:5432/breakwater_storm -Dstorm.out="$OUT" \
  dev.breakwater.storm.ClusterStorm >"$OUT/storm.out" 2>&1 &
STORM_PID=$!
t0=$(date +%s)
at() { local wait=$(( $1 - ($(date +%s) - t0) )); [ "$wait" -gt 0 ] && sleep "$wait"; echo "t=$(( $(date +%s) - t0 ))s $2" | tee -a "$OUT/faults.log"; }
: >"$OUT/faults.log"
if [ "${CLUSTER_STORM_FAULTS:-1}" = 1 ]; then
  at 12 "kill -9 node2"; kill -9 "$(cat "$BREAKWATER_CLUSTER_DIR/node2.pid")"
  at 22 "restart node2"; ./run.sh cluster node 2 >>"$OUT/faults.log" 2>&1
  at 30 "stop Redis"; redis-cli -p "$BREAKWATER_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  at 36 "start Redis"; ensure_redis
  at 45 "restart PostgreSQL"; $SUDO pg_ctlcluster "$(pg_lsclusters -h | awk 'NR==1 {print $1}')" main restart
  at 46 "PostgreSQL back"
fi
status=0
wait "$STORM_PID" || status=$?
cat "$OUT/storm.out"
echo "faults:"; cat "$OUT/faults.log"
exit $status
