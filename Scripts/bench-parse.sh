#!/usr/bin/env bash
# Parse throughput of the Dockerfile parser on one core.
#
#   Scripts/bench-parse.sh            # corpus at ../shared/corpus, at least 20 MB
#   CORPUS=dir TARGET_MB=50 PASSES=7 Scripts/bench-parse.sh
#
# Builds a release binary, copies the corpus Dockerfiles into a temporary directory until they add up
# to TARGET_MB, then reports:
#   1. parse only: `dockadvise parse --bench` reads every file first and measures the CPU time of the
#      parsing thread (best of PASSES passes; the median is printed too);
#   2. end to end: `dockadvise parse --format none` over all files (process start, file reading and
#      parsing), CPU time of the processes.
# Everything runs pinned to one core when `taskset` is available.
set -euo pipefail
cd "$(dirname "$0")/.."

CORPUS=${CORPUS:-../shared/corpus}
TARGET_MB=${TARGET_MB:-20}
PASSES=${PASSES:-5}
if [ ! -d "$CORPUS" ]; then
  echo "bench-parse: corpus not found at $CORPUS (set CORPUS=dir)" >&2
  exit 2
fi

swift build -c release --product dockadvise >&2
BIN=$(swift build -c release --show-bin-path)/dockadvise

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
find "$CORPUS" -type f \( -name Dockerfile -o -iname '*dockerfile*' \) ! -name '*.json' ! -name '*.md' | sort > "$WORK/sources"
if [ ! -s "$WORK/sources" ]; then
  echo "bench-parse: no Dockerfiles under $CORPUS" >&2
  exit 2
fi
mkdir "$WORK/files"
target=$((TARGET_MB * 1024 * 1024))
total=0
count=0
while [ "$total" -lt "$target" ]; do
  while read -r source; do
    count=$((count + 1))
    cp "$source" "$WORK/files/$(printf '%06d' "$count").Dockerfile"
    total=$((total + $(wc -c < "$source")))
  done < "$WORK/sources"
done
echo "corpus: $(wc -l < "$WORK/sources") distinct Dockerfiles replicated to $count files, $total bytes" >&2

PIN=()
if command -v taskset > /dev/null; then PIN=(taskset -c 0); fi

cd "$WORK/files"
echo "parse only (CPU time of the parsing thread, best of $PASSES passes):"
ls | xargs "${PIN[@]}" "$BIN" parse --bench-passes="$PASSES"

echo "end to end (dockadvise parse --format none, CPU time of the processes):"
TIMEFORMAT='%U %S %R'
times=$( { time (ls | xargs "${PIN[@]}" "$BIN" parse --format none 2> /dev/null || true) ; } 2>&1 )
read -r user sys real <<< "$times"
awk -v user="$user" -v sys="$sys" -v real="$real" -v bytes="$total" -v files="$count" 'BEGIN {
  cpu = user + sys
  printf "files=%d bytes=%d cpu_seconds=%.3f wall_seconds=%.3f MB/s=%.1f files/s=%.0f\n",
    files, bytes, cpu, real, bytes / 1048576 / cpu, files / cpu
}'
