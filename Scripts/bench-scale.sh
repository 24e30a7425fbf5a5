#!/usr/bin/env bash
# Scale benchmark (issue 8; a script, not a timed test). Two parts:
#
#   1. Linearity: a large real Dockerfile and its large entrypoint script (postgres 18 from the shared
#      corpus) made 1x, 10x and 100x as large (the Dockerfile repeated as further stages, the script's
#      body repeated; both stay valid), then `dockadvise lint` and `dockadvise parse` timed at each size.
#      Each size runs RUNS times (default 5); the fastest wall time is kept, with that run's peak RSS.
#      "per unit" is the cost above an empty input (a one-line Dockerfile, measured the same way) divided
#      by the multiple; "vs 1x" is that per-unit cost divided by the 1x one (1.00 = linear; target <= 1.2).
#   2. Many files: a tree of TREE_FILES (default 10000) Dockerfiles, copies of the corpus's Dockerfile
#      directories (build contexts included) in distinct directories, linted with the default jobs and
#      with --jobs 1 (wall, user+sys CPU, peak RSS), and its first 100 files for comparison: peak RSS must
#      not grow with the number of files.
#
# Usage: Scripts/bench-scale.sh [CORPUS_DIR]      (default ../shared/corpus)
# Environment: RUNS, TREE_FILES, SKIP_BUILD=1 to reuse .build/release, WORK (scratch directory, default
# a new temporary directory, removed at the end), NICE (default 0; the measurements are only meaningful
# on an otherwise idle machine, which the script reports with the load average).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
corpus="${1:-../shared/corpus}"
runs="${RUNS:-5}"
tree_files="${TREE_FILES:-10000}"
nice_level="${NICE:-0}"
[[ -d "$corpus/official/postgres__18__bookworm" ]] || { echo "bench-scale: $corpus has no official/postgres__18__bookworm" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "bench-scale: /usr/bin/time (GNU time) is needed for peak RSS" >&2; exit 2; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "bench-scale: swift build -c release --product dockadvise"
  nice -n "$nice_level" swift build -c release --product dockadvise >/dev/null
fi
dockadvise="$(swift build -c release --show-bin-path)/dockadvise"
[[ -x "$dockadvise" ]] || { echo "bench-scale: $dockadvise was not built" >&2; exit 2; }

work="${WORK:-$(mktemp -d)}"
[[ -n "${WORK:-}" ]] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
echo "bench-scale: $(nproc) processors, load $(cut -d' ' -f1-3 /proc/loadavg), scratch $work"

# measure CMD… → "SECONDS RSS_KB USER SYS" of the fastest of $runs runs (wall from a nanosecond clock).
measure() {
  local best="" line start end wall
  for ((run = 0; run < runs; run++)); do
    start=$(date +%s%N)
    nice -n "$nice_level" /usr/bin/time -f '%M %U %S' -o "$work/time.out" "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
    line="$wall $(tail -n 1 "$work/time.out")"
    if [[ -z $best ]] || awk -v a="$wall" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then best=$line; fi
  done
  echo "$best"
}

# ---------------------------------------------------------------- part 1: linearity
source_dir="$corpus/official/postgres__18__bookworm"
script_body() {  # the entrypoint without its shebang
  tail -n +2 "$source_dir/docker-entrypoint.sh"
}
make_case() {  # make_case DIR DOCKERFILE_TIMES SCRIPT_TIMES
  local dir=$1 dockerfile_times=$2 script_times=$3 i
  mkdir -p "$dir"
  : >"$dir/Dockerfile"
  for ((i = 0; i < dockerfile_times; i++)); do cat "$source_dir/Dockerfile" >>"$dir/Dockerfile"; done
  head -n 1 "$source_dir/docker-entrypoint.sh" >"$dir/docker-entrypoint.sh"
  for ((i = 0; i < script_times; i++)); do script_body >>"$dir/docker-entrypoint.sh"; done
  chmod +x "$dir/docker-entrypoint.sh"
  cp "$source_dir/docker-ensure-initdb.sh" "$dir/"
}
mkdir -p "$work/empty"
printf 'FROM scratch\n' >"$work/empty/Dockerfile"
cp "$source_dir/docker-ensure-initdb.sh" "$work/empty/"
: >"$work/empty/docker-entrypoint.sh"

printf '\n## Linearity (fastest of %s runs; "per unit" = cost above the empty input / multiple)\n\n' "$runs"
printf '| command | input | bytes | wall s | peak RSS MB | wall ms per unit | vs 1x | RSS MB per unit | vs 1x |\n'
printf '|---|---|---:|---:|---:|---:|---:|---:|---:|\n'
scenario() {  # scenario NAME KIND   KIND: both | dockerfile | script
  local name=$1 kind=$2 base base_wall base_rss size dir d s result wall rss bytes unit_wall unit_rss first_wall="" first_rss=""
  base=$(if [[ $name == parse ]]; then measure "$dockadvise" parse --format none "$work/empty/Dockerfile"; else
    measure "$dockadvise" lint --no-config --no-fail "$work/empty/Dockerfile"; fi)
  base_wall=${base%% *}
  base_rss=$(echo "$base" | cut -d' ' -f2)
  printf '| %s | empty (FROM scratch) | 13 | %.3f | %.1f | | | | |\n' "$name" "$base_wall" "$(awk -v r="$base_rss" 'BEGIN { print r / 1024 }')"
  for size in 1 10 100; do
    dir="$work/$name-$kind-$size"
    d=$size s=$size
    [[ $kind == dockerfile ]] && s=1
    [[ $kind == script ]] && d=1
    make_case "$dir" "$d" "$s"
    if [[ $name == parse ]]; then
      bytes=$(wc -c <"$dir/Dockerfile")
      result=$(measure "$dockadvise" parse --format none "$dir/Dockerfile")
    else
      bytes=$(cat "$dir/Dockerfile" "$dir/docker-entrypoint.sh" | wc -c)
      result=$(measure "$dockadvise" lint --no-config --no-fail "$dir/Dockerfile")
    fi
    wall=${result%% *}
    rss=$(echo "$result" | cut -d' ' -f2)
    unit_wall=$(awk -v w="$wall" -v b="$base_wall" -v n="$size" 'BEGIN { printf "%.4f", (w - b) * 1000 / n }')
    unit_rss=$(awk -v r="$rss" -v b="$base_rss" -v n="$size" 'BEGIN { printf "%.4f", (r - b) / 1024 / n }')
    [[ -z $first_wall ]] && first_wall=$unit_wall && first_rss=$unit_rss
    printf '| %s | Dockerfile x%s, entrypoint x%s | %s | %.3f | %.1f | %.3f | %.2f | %.3f | %.2f |\n' \
      "$name" "$d" "$([[ $name == parse ]] && echo - || echo "$s")" "$bytes" "$wall" "$(awk -v r="$rss" 'BEGIN { print r / 1024 }')" \
      "$unit_wall" "$(awk -v a="$unit_wall" -v b="$first_wall" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" \
      "$unit_rss" "$(awk -v a="$unit_rss" -v b="$first_rss" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
  done
}
scenario lint both
scenario lint script
scenario parse dockerfile

# ---------------------------------------------------------------- part 2: many files
tree="$work/tree"
mkdir -p "$tree"
mapfile -t sources < <(find "$corpus/official" "$corpus/realworld" -name Dockerfile -printf '%h\n' | LC_ALL=C sort)
count=0
copy=0
while ((count < tree_files)); do
  for dir in "${sources[@]}"; do
    ((count < tree_files)) || break
    target="$tree/$(printf '%03d' "$copy")/$(basename "$dir")"
    mkdir -p "$(dirname "$target")"
    cp -r "$dir" "$target"
    chmod -R u+w "$target"
    # Only this Dockerfile in the directory (nested Dockerfiles of a context would be linted as well).
    find "$target" -mindepth 2 \( -name Dockerfile -o -name 'Dockerfile.*' -o -name '*.Dockerfile' -o -name Containerfile \) -delete
    find "$target" -maxdepth 1 \( -name 'Dockerfile.*' -o -name '*.Dockerfile' -o -name Containerfile \) -delete
    count=$((count + 1))
  done
  copy=$((copy + 1))
done
small="$work/tree100"
mkdir -p "$small"
n=0
for dir in "$tree"/000/*; do
  ((n < 100)) || break
  cp -r "$dir" "$small/"
  n=$((n + 1))
done
found=$(find "$tree" -name Dockerfile -type f | wc -l)
files_total=$(find "$tree" -type f | wc -l)
bytes_total=$(du -sb "$tree" | cut -f1)
printf '\n## Many files: %s Dockerfiles in %s directories (%s files, %s bytes in all; %s files named Dockerfile)\n\n' \
  "$tree_files" "$tree_files" "$files_total" "$bytes_total" "$found"
printf '| run | files | wall s | user+sys s | CPU/wall | peak RSS MB | files/s |\n|---|---:|---:|---:|---:|---:|---:|\n'
row() {  # row NAME FILES ARGS…
  local name=$1 files=$2 result wall user sys rss
  shift 2
  result=$(runs=1 measure "$dockadvise" lint --no-config --no-fail "$@")
  read -r wall rss user sys <<<"$result"
  printf '| %s | %s | %.2f | %.2f | %.2f | %.1f | %.0f |\n' "$name" "$files" "$wall" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$(awk -v u="$user" -v s="$sys" -v w="$wall" 'BEGIN { print (u + s) / w }')" \
    "$(awk -v r="$rss" 'BEGIN { print r / 1024 }')" "$(awk -v f="$files" -v w="$wall" 'BEGIN { print f / w }')"
}
row "lint TREE (default jobs)" "$tree_files" "$tree"
row "lint --jobs 1 TREE" "$tree_files" --jobs 1 "$tree"
row "lint TREE100 (default jobs)" 100 "$small"
row "lint --jobs 1 TREE100" 100 --jobs 1 "$small"
