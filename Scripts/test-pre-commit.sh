#!/usr/bin/env bash
# Tests the pre-commit hooks of .pre-commit-hooks.yaml for real: in throwaway git repositories,
# `pre-commit try-repo <this repository> HOOK --all-files` must fail on a smelly Dockerfile and pass on
# a clean one, for each hook variant:
#   dockadvise          language: swift; pre-commit builds dockadvise from this repository (a release
#                       build in a fresh store each time: as long as `swift build -c release`)
#   dockadvise-system   language: system; the `dockadvise` on PATH. The script puts one in front of PATH:
#                       $DOCKADVISE_BIN, else a binary of Scripts/release-build.sh, else .build/release
#                       or .build/debug
#   dockadvise-docker   language: docker_image; `docker run` of the image the hook names, which must
#                       exist locally (Scripts/build-image.sh --tag IMAGE). With --podman a `docker`
#                       that runs podman goes in front of PATH, for machines without a Docker engine
#
# Usage: Scripts/test-pre-commit.sh [--hooks "dockadvise dockadvise-system dockadvise-docker"] [--podman]
# Exit 0: every hook tried was verified (a hook whose tools are missing is "skipped" with the reason);
# 1: a hook misbehaved.
set -euo pipefail

repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
hooks="dockadvise dockadvise-system dockadvise-docker"
use_podman=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --hooks) hooks=$2; shift 2 ;;
    --podman) use_podman=1; shift ;;
    *) echo "usage: $0 [--hooks LIST] [--podman]" >&2; exit 2 ;;
  esac
done

if ! command -v pre-commit >/dev/null 2>&1; then
  echo "test-pre-commit: skipped: pre-commit is not installed (python3 -m pip install pre-commit)"
  exit 0
fi
echo "test-pre-commit: $(pre-commit --version)"

work="$(mktemp -d "${TMPDIR:-/tmp}/dockadvise-pre-commit.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# A throwaway repository holding one Dockerfile (and the script it runs).
make_repository() {
  local directory="$1"
  mkdir -p "$directory"
  git -C "$directory" init -q
  git -C "$directory" config user.email test@example.invalid
  git -C "$directory" config user.name test
  git -C "$directory" config commit.gpgsign false
}

failures=0

check() {
  local hook="$1" name="$2" expected="$3" directory="$4"
  echo "test-pre-commit: $hook/$name: pre-commit try-repo $repository $hook --all-files"
  local status=0 log="$work/$hook-$name.log" start=$SECONDS
  (cd "$directory" && pre-commit try-repo "$repository" "$hook" --all-files) >"$log" 2>&1 || status=$?
  sed 's/^/    /' "$log" | tail -n 40
  if [[ "$expected" == fail && "$status" -ne 0 ]] && grep -q "DA101 shell-form-pid1" "$log"; then
    echo "test-pre-commit: $hook/$name: ok (the hook failed with status $status and reported DA101, $((SECONDS - start)) s)"
  elif [[ "$expected" == pass && "$status" -eq 0 ]] && grep -Eq "\.+Passed" "$log"; then
    echo "test-pre-commit: $hook/$name: ok (the hook passed, $((SECONDS - start)) s)"
  else
    echo "test-pre-commit: $hook/$name: FAILED (expected the hook to $expected, pre-commit exited $status)"
    failures=$((failures + 1))
  fi
}

smelly="$work/smelly"
make_repository "$smelly"
mkdir -p "$smelly/app"
cat >"$smelly/app/Dockerfile" <<'EOF'
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*
CMD echo "starting nginx" && nginx -g 'daemon off;'
EOF
echo "not a Dockerfile" >"$smelly/README.md"
git -C "$smelly" add -A && git -C "$smelly" commit -q -m smelly

clean="$work/clean"
make_repository "$clean"
cat >"$clean/Containerfile" <<'EOF'
FROM alpine:3.20
RUN apk add --no-cache tini nginx
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["nginx", "-g", "daemon off;"]
EOF
# BuildKit's per-Dockerfile ignore file must not be linted as a Dockerfile.
echo "node_modules" >"$clean/Containerfile.dockerignore"
git -C "$clean" add -A && git -C "$clean" commit -q -m clean

# The image the docker_image hook runs (its entry's first word).
hook_image=$(awk '/^- id: dockadvise-docker$/ { found = 1 } found && /^  entry:/ { print $2; exit }' "$repository/.pre-commit-hooks.yaml")

# Why a hook cannot run here (empty: it can).
unavailable() {
  case "$1" in
    dockadvise)
      command -v swift >/dev/null 2>&1 || echo "swift is not on PATH (pre-commit builds the hook with it)" ;;
    dockadvise-system)
      command -v dockadvise >/dev/null 2>&1 || echo "no dockadvise binary (build one: swift build, or Scripts/release-build.sh)" ;;
    dockadvise-docker)
      if ! command -v docker >/dev/null 2>&1; then
        echo "the docker CLI is not installed"
      elif ! docker info >/dev/null 2>&1; then
        echo "docker cannot reach an engine (no Docker daemon; --podman puts podman behind the docker CLI)"
      elif ! docker image inspect "$hook_image" >/dev/null 2>&1; then
        echo "the image $hook_image is not here (Scripts/build-image.sh --tag $hook_image)"
      fi ;;
  esac
}

# dockadvise-system: a binary in front of PATH.
bin=""
for candidate in "${DOCKADVISE_BIN:-}" "$repository/.build/release-artifacts/dockadvise-linux-$(uname -m)" \
  "$repository/.build/release/dockadvise" "$repository/.build/debug/dockadvise"; do
  if [[ -n "$candidate" && -x "$candidate" ]]; then bin=$candidate; break; fi
done
if [[ -n "$bin" ]]; then
  mkdir -p "$work/bin"
  ln -s "$bin" "$work/bin/dockadvise"
  export PATH="$work/bin:$PATH"
  echo "test-pre-commit: dockadvise-system runs $bin"
fi

# --podman: a `docker` on PATH that is podman (its CLI takes the `docker run` pre-commit runs as it is).
# Not the docker CLI through `podman system service`: with podman 4.3 that API loses the status of
# `docker run --rm` (always 0), so the hook would pass on every Dockerfile.
if ((use_podman)) && command -v podman >/dev/null 2>&1; then
  # runc and the ulimits this kind of machine allows (see /work/shared/tools/e2e/README.md).
  n=$(ulimit -Hn); [[ $n == unlimited || $n -gt 1048576 ]] && n=1048576
  p=$(ulimit -Hu); [[ $p == unlimited || $p -gt 32768 ]] && p=32768
  printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n[engine]\nruntime = "runc"\n' "$n" "$n" "$p" "$p" >"$work/containers.conf"
  mkdir -p "$work/podman-bin"
  printf '#!/bin/sh\nCONTAINERS_CONF=%s exec podman "$@"\n' "$work/containers.conf" >"$work/podman-bin/docker"
  chmod 755 "$work/podman-bin/docker"
  export PATH="$work/podman-bin:$PATH"
  echo "test-pre-commit: docker is podman here ($(podman --version))"
fi

tried=0
for hook in $hooks; do
  reason=$(unavailable "$hook")
  if [[ -n "$reason" ]]; then
    echo "test-pre-commit: $hook: skipped: $reason"
    continue
  fi
  tried=$((tried + 1))
  check "$hook" smelly fail "$smelly"
  check "$hook" clean pass "$clean"
done

if [[ "$failures" -ne 0 ]]; then
  echo "test-pre-commit: $failures scenario(s) failed"
  exit 1
fi
echo "test-pre-commit: verified $tried hook(s): each failed on a smelly Dockerfile and passed on a clean one"
