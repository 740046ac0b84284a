#!/usr/bin/env bash
# The retry-storm evidence: runs the Gatling simulations against the app wired WITHOUT its guards
# ("before", built only in test code) and against the real server ("after"), verifies each run
# against the database and the sandbox processor's ledger, and renders the Gatling reports to PNG.
#
#   load/storm.sh                 all four runs: storm and mixed, before and after (~4-5 min)
#   load/storm.sh mixed after     one scenario (storm|mixed|all), one wiring (before|after|both)
#
# Each run is bounded: STORM_SECONDS of load (default 40), cut off 15 s later whatever happens.
# Everything binds 127.0.0.1, port STORM_PORT (default 18610). Knobs (environment):
#   STORM_SECONDS, STORM_USERS (20), STORM_RPS (250), STORM_POLITE_USERS (3), STORM_PORT
#   BREAKWATER_SANDBOX_ERROR_RATE (0.2), BREAKWATER_SANDBOX_TIMEOUT_RATE (0.05),
#   BREAKWATER_SANDBOX_LATENCY_MS (40), BREAKWATER_PROCESSOR_TIMEOUT_MS (1000), and any other
#   BREAKWATER_* setting of the real server (e.g. its rate limits).
# Output: target/storm/{storm,mixed}-{before,after}.{md,json,log}, target/storm/retry-storm-table.md,
# the Gatling HTML reports under target/gatling/, and PNGs of them in STORM_IMG_DIR (default
# target/storm; docs/img/retry-storm for the evidence page). Exits non-zero if an "after" run
# breaks an invariant.
set -euo pipefail
cd "$(dirname "$0")/.."

scenarios=${1:-all}
wirings=${2:-both}
[ "$scenarios" = all ] && scenarios="storm mixed"
[ "$wirings" = both ] && wirings="before after"
out=target/storm
img=${STORM_IMG_DIR:-$out}
mkdir -p "$out" "$img"
rm -rf "$out"/data-*   # the previous runs' databases (each run keeps its own until the next ./run.sh storm)

class_of() { case "$1" in storm) echo RetryStormSimulation ;; mixed) echo MixedTrafficSimulation ;;
  *) echo "storm.sh: unknown scenario '$1' (storm|mixed|all)" >&2; exit 2 ;; esac; }

screenshot() { # $1 = Gatling report index.html, $2 = PNG
  # $3 = window height
  local browser
  browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
  if [ -z "$browser" ]; then
    echo "storm.sh: no Chromium found (apt-get install chromium); skipping $2" >&2
    return
  fi
  local profile
  profile=$(mktemp -d)
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$profile" --window-size=1400,"$3" --virtual-time-budget=5000 \
    --screenshot="$2" "file://$PWD/$1" >/dev/null 2>&1 || echo "storm.sh: screenshot of $1 failed" >&2
  rm -rf "$profile"
  if command -v pngquant >/dev/null 2>&1 && [ -f "$2" ]; then pngquant --force --skip-if-larger --quality=60-90 --output "$2" "$2" || true; fi
}

broken=0
for scenario in $scenarios; do
  class=$(class_of "$scenario")
  for wiring in $wirings; do
    name="$scenario-$wiring"
    echo "storm.sh: $name ($class, wiring $wiring) ..." >&2
    ./mvnw -B -Pload test-compile gatling:test \
      -Dgatling.simulationClass="dev.breakwater.load.$class" \
      -Dstorm.wiring="$wiring" -Dstorm.port="${STORM_PORT:-18610}" -Dstorm.seconds="${STORM_SECONDS:-40}" \
      -Dstorm.users="${STORM_USERS:-20}" -Dstorm.rps="${STORM_RPS:-250}" \
      -Dstorm.politeUsers="${STORM_POLITE_USERS:-3}" > "$out/$name.log" 2>&1 \
      || { echo "storm.sh: $name failed, see $out/$name.log" >&2; exit 1; }
    report=$(ls -td target/gatling/"${class,,}"-* | head -1)
    echo "$report" > "$out/$name.report"
    screenshot "$report/index.html" "$img/$name.png" 3300
    polite=$(grep -l '<title>Gatling Stats - POST /v1/payments polite' "$report"/req_*.html 2>/dev/null | head -1 || true)
    if [ -n "$polite" ]; then screenshot "$polite" "$img/$name-polite.png" 2900; fi
    cat "$out/$name.md"
    if [ "$wiring" = after ] && ! grep -q '^- invariants: all hold' "$out/$name.md"; then broken=1; fi
  done
done
echo "storm.sh: side by side in $out/retry-storm-table.md" >&2
exit $broken
