#!/bin/bash
# Builds and runs the Fixtures/e2e cases for real (buildah + podman, /work/shared/tools/e2e) before and
# after `dockadvise fix`, and prints the before/after table (Markdown) that Fixtures/e2e/RESULTS.md holds.
#
#   Scripts/e2e-fix.sh [--variants "before wrapper swift-init"] [--cases "NAME..."] [--out FILE.jsonl]
#   Scripts/e2e-fix.sh --table FILE.jsonl        # only print the table of earlier results
#
# For every case and variant it runs three scenarios, each on a fresh build (build-and-run.sh builds,
# runs, measures and removes the image): `stop`, `kill-service NAME` and `zombies`.
#   before      the fixture as it is
#   wrapper     after `dockadvise fix --write --strategy wrapper`
#   swift-init  after `dockadvise fix --write --strategy swift-init --init-binary dockadvise-init`, with a
#               dockadvise-init built on this host by `dockadvise emit-init DIR && DIR/build.sh OUT`
#               (the `FROM swift` build stage the fix writes by default needs a swift image, which this
#               machine's buildah cannot pull)
# It takes minutes (each build installs Debian packages). Without buildah, podman or the e2e tools it
# says so and exits 0, so CI may call it.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
E2E=${E2E:-/work/shared/tools/e2e/build-and-run.sh}
VARIANTS="before wrapper swift-init"
CASES=""
OUT=""
TABLE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --variants) VARIANTS=$2; shift 2 ;;
    --cases) CASES=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --table) TABLE=$2; shift 2 ;;
    *) echo "usage: $0 [--variants LIST] [--cases LIST] [--out FILE] | --table FILE" >&2; exit 2 ;;
  esac
done

# The process each case's kill-service scenario kills (build-and-run.sh matches comm, then argv0).
service_of() {
  case "$1" in
    apache-mariadb-service-start) echo apache2 ;;
    bash-wrapper-plain-wait) echo python3 ;;
    nginx-phpfpm-background) echo php-fpm ;;
    shell-form-single) echo nginx ;;
    supervisord-no-listener) echo nginx ;;
    loop-services) echo nginx ;;
    keepalive-sleep-wait) echo nginx ;;
    wait-for-database) echo redis-server ;;
    *) echo "" ;;
  esac
}

table() {
  python3 - "$1" <<'EOF'
import json, sys
rows = {}
order = []
for line in open(sys.argv[1]):
    line = line.strip()
    if not line.startswith("{"):
        continue
    r = json.loads(line)
    key = (r["case"], r["variant"])
    if key not in rows:
        rows[key] = {}
        order.append(key)
    words = r["scenario"].split()
    rows[key]["term-service" if words[0] == "kill-service" and "TERM" in words else words[0]] = r
def stop(r):
    s = r.get("result", {}).get("scenario", {})
    if not r.get("result", {}).get("build_ok", False): return "build failed"
    if "skipped" in s: return "not running"
    if "stop_s" not in s: return "?"
    return f'{s["stop_s"]} s, exit {s["exit_code"]}' + (", SIGKILL" if s.get("needed_sigkill") else "")
def kill(r):
    s = r.get("result", {}).get("scenario", {})
    if not r.get("result", {}).get("build_ok", False): return "build failed"
    if "skipped" in s: return "not running"
    if "error" in s: return s["error"]
    name = s.get("service")
    if s.get("container_exited"):
        return f'`{name}` killed: exits {s["exit_code"]} after {s["exit_after_s"]} s'
    left = len(s.get("procs_after", []))
    return f'`{name}` killed: keeps running ({left} processes left' + (f', {s["zombies_after"]} zombies' if s.get("zombies_after") else "") + ")"
def zombies(r):
    s = r.get("result", {}).get("scenario", {})
    if not r.get("result", {}).get("build_ok", False): return "build failed"
    if "skipped" in s: return "not running"
    return str(s.get("zombies", "?"))
def pid1(r):
    procs = r.get("result", {}).get("procs") or []
    p = [x for x in procs if x["pid"] == 1]
    return ("`" + p[0]["cmd"][:60].replace("|", "\\|") + "`") if p else ""
print("| case | variant | PID 1 | stop (grace 10 s) | kill-service (SIGKILL) | kill-service (SIGTERM) | zombies |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for key in order:
    v = rows[key]
    any_r = v.get("stop") or v.get("kill-service") or v.get("zombies")
    print(f'| {key[0]} | {key[1]} | {pid1(any_r)} | {stop(v["stop"]) if "stop" in v else ""} | '
          f'{kill(v["kill-service"]) if "kill-service" in v else ""} | {kill(v["term-service"]) if "term-service" in v else ""} | '
          f'{zombies(v["zombies"]) if "zombies" in v else ""} |')
EOF
}

if [ -n "$TABLE" ]; then
  table "$TABLE"
  exit 0
fi

for tool in buildah podman python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "e2e-fix: skipped: $tool is not installed (see /work/shared/tools/e2e/README.md)"
    exit 0
  fi
done
if [ ! -x "$E2E" ]; then
  echo "e2e-fix: skipped: $E2E is missing"
  exit 0
fi
if ! podman image exists docker.io/library/debian:bookworm-slim 2>/dev/null; then
  echo "e2e-fix: skipped: no local debian:bookworm-slim (run /work/shared/tools/e2e/make-base.sh)"
  exit 0
fi

WORK=$(mktemp -d /var/tmp/e2e-fix.XXXXXX)
OUT=${OUT:-$WORK/results.jsonl}
: > "$OUT"
echo "e2e-fix: working in $WORK, results in $OUT" >&2

(cd "$ROOT" && swift build --product dockadvise >&2) || { echo "e2e-fix: swift build failed" >&2; exit 1; }
DOCKADVISE=$ROOT/.build/debug/dockadvise

case " $VARIANTS " in
  *" swift-init "*)
    "$DOCKADVISE" emit-init "$WORK/init-src" >&2 && "$WORK/init-src/build.sh" "$WORK/dockadvise-init" >&2 \
      || { echo "e2e-fix: building dockadvise-init on the host failed" >&2; exit 1; }
    ;;
esac

[ -n "$CASES" ] || CASES=$(cd "$ROOT/Fixtures/e2e" && for d in */; do [ -f "$d/Dockerfile" ] && echo "${d%/}"; done)

for variant in $VARIANTS; do
  for name in $CASES; do
    dir=$WORK/$variant/$name
    mkdir -p "$WORK/$variant"
    cp -a "$ROOT/Fixtures/e2e/$name" "$dir"
    case "$variant" in
      before) ;;
      wrapper)
        "$DOCKADVISE" fix --write --strategy wrapper "$dir" >&2 || { echo "e2e-fix: fix failed for $name" >&2; continue; }
        ;;
      swift-init)
        cp "$WORK/dockadvise-init" "$dir/dockadvise-init"
        "$DOCKADVISE" fix --write --strategy swift-init --init-binary "$dir/dockadvise-init" "$dir" >&2 \
          || { echo "e2e-fix: fix failed for $name" >&2; continue; }
        ;;
      *) echo "e2e-fix: unknown variant $variant" >&2; exit 2 ;;
    esac
    service=$(service_of "$name")
    for scenario in stop "kill-service $service" "kill-service $service --signal TERM" zombies; do
      echo "e2e-fix: $variant $name $scenario" >&2
      # shellcheck disable=SC2086
      result=$("$E2E" "$dir" $scenario 2>>"$WORK/e2e.log" | tail -n 1)
      [ -n "$result" ] || result='{}'
      printf '{"case":"%s","variant":"%s","scenario":"%s","result":%s}\n' "$name" "$variant" "$scenario" "$result" >> "$OUT"
    done
  done
done

table "$OUT"
