#!/usr/bin/env bash
# The scale-out benchmark at parallelism 1, 2, 4, 8 and 12 on a larger machine (12+ cores), the
# same measurement as `rampart bench scaleout` on a laptop: simulated events through the Flink
# job's detection and correlation steps on a local Flink cluster in one JVM, Kafka left out.
# Prints one JSON object (events_per_s_pN, efficiency_pN) and keeps it in bench-scaleout-HOST.json.
#
#   scripts/bench-scaleout.sh                 # 6,000,000 events, 1,2,4,8,12
#   EVENTS=12000000 PARALLELISM=1,2,4,8,16 scripts/bench-scaleout.sh
#   HEAP=8g scripts/bench-scaleout.sh       # a heap size (the JVM's default otherwise)
#
# Disk and memory: the encoded events go to a temporary file (about 780 bytes each, 4.7 GB for
# 6 M events) read through memory maps, outside the heap. Run it on an otherwise idle machine;
# each parallelism runs five times and the best counts.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${EVENTS:-6000000}"
HEAP="${HEAP:-}"
PARALLELISM="${PARALLELISM:-1,2,4,8,12}"
cores=$(nproc)
max=${PARALLELISM##*,}
if (( cores < max )); then
  echo "bench-scaleout: $cores cores here, parallelism up to $max asked: the larger ones would share cores" >&2
fi
out="bench-scaleout-$(hostname).json"
RAMPART_JAVA_OPTS="${HEAP:+-Xmx$HEAP} ${RAMPART_JAVA_OPTS:-}" ./rampart bench scaleout \
  --events "$EVENTS" --parallelism "$PARALLELISM" --json | tee "$out"
echo "bench-scaleout: kept in $out" >&2
