#!/usr/bin/env bash
# Reproduces the dockadvise-init table of initbench: tini, dumb-init, dockadvise-init (one command) and
# dockadvise-init --procfile (multi-service checks), measured in the same run. Needs root (PID namespaces
# through unshare) and python3; tini and dumb-init from apt (apt-get install tini dumb-init).
#
#   sudo Scripts/bench-init.sh [OUT.jsonl]
#
# The init is built the way users get it: `dockadvise emit-init DIR` then `DIR/build.sh OUTPUT`.
# Environment: INITBENCH (initbench.py; default /work/shared/tools/initbench/initbench.py),
# TINI (/usr/bin/tini), DUMB_INIT (/usr/bin/dumb-init), REPS (startup repetitions, 20).
# A glibc build (cc -static) is measured too (size, PSS, startup) when it links.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bench=${INITBENCH:-/work/shared/tools/initbench/initbench.py}
tini=${TINI:-/usr/bin/tini}
dumb_init=${DUMB_INIT:-/usr/bin/dumb-init}
reps=${REPS:-20}
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-init.XXXXXX")
out=${1:-$work/init-bench.jsonl}

if [ "$(id -u)" -ne 0 ]; then echo "bench-init.sh: needs root (unshare --pid --mount-proc)" >&2; exit 2; fi
for tool in "$bench" "$tini" "$dumb_init"; do
  [ -e "$tool" ] || { echo "bench-init.sh: $tool not found" >&2; exit 2; }
done

echo "### building dockadvise, emitting and building dockadvise-init in $work" >&2
(cd "$root" && swift build --product dockadvise >&2)
"$(cd "$root" && swift build --show-bin-path)/dockadvise" emit-init "$work/init-src" >&2
"$work/init-src/build.sh" "$work/dockadvise-init" >&2
glibc=
if DOCKADVISE_INIT_LIBC=glibc "$work/init-src/build.sh" "$work/dockadvise-init-glibc" >&2; then glibc=$work/dockadvise-init-glibc; fi

run() {
  echo "### initbench $*" >&2
  python3 "$bench" --reps "$reps" --out "$out" "$@" >/dev/null
}
run --name "tini" --init "$tini --"
run --name "dumb-init" --init "$dumb_init"
run --name "dockadvise-init" --init "$work/dockadvise-init --"
run --name "dockadvise-init --procfile" --init "$work/dockadvise-init" \
  --adapter "exec:$root/Scripts/initbench-procfile-adapter.py" --checks multi,multi_sigterm
if [ -n "$glibc" ]; then
  run --name "dockadvise-init (glibc)" --init "$glibc --" --checks size_rss,startup
fi

echo "### results: $out" >&2
python3 "$bench" --summary "$out"
