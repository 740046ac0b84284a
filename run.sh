#!/usr/bin/env bash
# Breakwater launcher.
#   ./run.sh                 build if needed, then run the server on the embedded H2 default
#   ./run.sh --jfr           the same, recording a JFR profile (settings in jfr/breakwater.jfc)
#   ./run.sh storm [storm|mixed|all] [before|after|both]
#                            the retry-storm load evidence (Gatling, bounded; see load/storm.sh)
# Environment: PORT (8080), BREAKWATER_DATA_DIR (./data), BREAKWATER_API_KEYS (account:secret,...),
# and the rest listed in README.md.
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = storm ]; then shift; exec load/storm.sh "$@"; fi

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

JAR=target/breakwater.jar
if [ ! -f "$JAR" ] || [ -n "$(find src openapi pom.xml -newer "$JAR" -print -quit 2>/dev/null)" ]; then
  echo "run.sh: building $JAR ..." >&2
  ./mvnw -B -q -Dmaven.test.skip=true package >&2
fi

JAVA_OPTS=(-Dsun.net.httpserver.nodelay=true -XX:+UseZGC)
case "${1:-}" in
  --jfr)
    mkdir -p "${BREAKWATER_DATA_DIR:-./data}"
    JAVA_OPTS+=("-XX:StartFlightRecording=settings=jfr/breakwater.jfc,filename=${BREAKWATER_JFR_FILE:-breakwater.jfr},dumponexit=true")
    shift ;;
esac
exec "$JDK/bin/java" "${JAVA_OPTS[@]}" -jar "$JAR" "$@"
