#!/usr/bin/env bash
# Breakwater launcher.
#   ./run.sh                 build if needed, then run the server on the embedded H2 default
#   ./run.sh --jfr           the same, recording a JFR profile (settings in jfr/breakwater.jfc)
#   ./run.sh break-diff OLD.yaml NEW.yaml
#                            is NEW a backward-compatible successor of OLD? Prints the diff; exit 0
#                            compatible, 1 breaking, 2 usage error (docs/contract.md)
#   ./run.sh storm [storm|mixed|all] [before|after|both]
#                            the retry-storm load evidence (Gatling, bounded; see load/storm.sh)
#   ./run.sh processor       run the internal processor gateway (gRPC + HTTP/JSON, own ledger; docs/grpc.md)
#   ./run.sh cluster [stop]  three nodes over PostgreSQL + Redis behind HAProxy (src/main/sh/cluster.sh,
#                            docs/scale-out.md); stop stops the nodes, HAProxy and Redis
#   ./run.sh jdk             print the JDK (>= 21) this script runs with (the load scripts use it)
# Environment: PORT (8080), BREAKWATER_DATA_DIR (./data), BREAKWATER_API_KEYS (account:secret,...),
# and the rest listed in README.md.
set -euo pipefail
CALLER_DIR=$PWD
cd "$(dirname "$0")"
if [ "${1:-}" = storm ]; then shift; exec load/storm.sh "$@"; fi
if [ "${1:-}" = cluster ]; then shift; exec src/main/sh/cluster.sh "$@"; fi

# A JDK >= 21: JAVA_HOME if new enough, else the newest one in the usual JDK folders.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1; }
find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ]; then
    echo "$JAVA_HOME"; return
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$d/bin/java" ] || continue
    v=$(java_major "$d" 2>/dev/null || echo 0)
    if [ "${v:-0}" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  [ -n "$best" ] || { echo "run.sh: no JDK >= 21 found (set JAVA_HOME)" >&2; exit 1; }
  echo "$best"
}
JDK=$(find_jdk)
if [ "${1:-}" = jdk ]; then echo "$JDK"; exit 0; fi

if [ "${1:-}" = "break-diff" ]; then
  shift
  [ $# -eq 2 ] || { echo "usage: ./run.sh break-diff OLD.yaml NEW.yaml" >&2; exit 2; }
  specs=()
  for f in "$@"; do [[ "$f" = /* ]] && specs+=("$f") || specs+=("$CALLER_DIR/$f"); done
  # The break diff lives with the contract tests; compile them and resolve their classpath once.
  CLASSPATH_FILE=target/contract-classpath.txt
  if [ ! -f "$CLASSPATH_FILE" ] || [ -n "$(find src pom.xml -newer "$CLASSPATH_FILE" -print -quit 2>/dev/null)" ]; then
    echo "run.sh: compiling the break diff ..." >&2
    ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$CLASSPATH_FILE" >&2
  fi
  exec "$JDK/bin/java" -Dslf4j.internal.verbosity=ERROR \
    -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" \
    dev.breakwater.contract.BreakDiff "${specs[@]}"
fi

JAR=target/breakwater.jar
if [ ! -f "$JAR" ] || [ -n "$(find src openapi pom.xml -newer "$JAR" -print -quit 2>/dev/null)" ]; then
  echo "run.sh: building $JAR ..." >&2
  ./mvnw -B -q -Dmaven.test.skip=true package >&2
fi

# G1, not ZGC: on a 2-core node ZGC's concurrent threads took CPU from requests for ~0.5 s every
# few seconds (write-benchmark p99 76 ms vs 32 ms with G1; docs/performance.md).
JAVA_OPTS=(-Dsun.net.httpserver.nodelay=true -XX:+UseG1GC)
if [ "${1:-}" = processor ]; then
  shift
  exec "$JDK/bin/java" "${JAVA_OPTS[@]}" -cp "$JAR" dev.breakwater.gateway.GatewayMain "$@"
fi
case "${1:-}" in
  --jfr)
    mkdir -p "${BREAKWATER_DATA_DIR:-./data}"
    JAVA_OPTS+=("-XX:StartFlightRecording=settings=jfr/breakwater.jfc,filename=${BREAKWATER_JFR_FILE:-breakwater.jfr},dumponexit=true")
    shift ;;
esac
exec "$JDK/bin/java" "${JAVA_OPTS[@]}" -jar "$JAR" "$@"
