#!/usr/bin/env bash
# Tests the `dockadvise` pre-commit hook for real: in a throwaway git repository,
# `pre-commit try-repo <this repository> dockadvise --all-files` must fail on a smelly Dockerfile
# and pass on a clean one. pre-commit builds dockadvise from this repository (language: swift, a
# release build in a fresh store each time), so each run takes as long as `swift build -c release`.
#
# Usage: Scripts/test-pre-commit.sh          (exit 0: verified; 1: the hook misbehaved; 0 with
#                                             "skipped" when pre-commit or swift is not installed)
set -euo pipefail

repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! command -v pre-commit >/dev/null 2>&1; then
  echo "test-pre-commit: skipped: pre-commit is not installed (python3 -m pip install pre-commit)"
  exit 0
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "test-pre-commit: skipped: swift is not on PATH (pre-commit builds the hook with it)"
  exit 0
fi
echo "test-pre-commit: $(pre-commit --version), $(swift --version 2>/dev/null | head -n 1)"

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
  local name="$1" expected="$2" directory="$3"
  git -C "$directory" add -A
  git -C "$directory" commit -q -m "$name"
  echo "test-pre-commit: $name: pre-commit try-repo $repository dockadvise --all-files"
  local status=0
  (cd "$directory" && pre-commit try-repo "$repository" dockadvise --all-files) >"$work/$name.log" 2>&1 || status=$?
  sed 's/^/    /' "$work/$name.log" | tail -n 40
  if [[ "$expected" == fail && "$status" -ne 0 ]] && grep -q "DA101 shell-form-pid1" "$work/$name.log"; then
    echo "test-pre-commit: $name: ok (the hook failed with status $status and reported DA101)"
  elif [[ "$expected" == pass && "$status" -eq 0 ]] && grep -Eq "dockadvise\.+Passed" "$work/$name.log"; then
    echo "test-pre-commit: $name: ok (the hook passed)"
  else
    echo "test-pre-commit: $name: FAILED (expected the hook to $expected, pre-commit exited $status)"
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
check smelly fail "$smelly"

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
check clean pass "$clean"

if [[ "$failures" -ne 0 ]]; then
  echo "test-pre-commit: $failures scenario(s) failed"
  exit 1
fi
echo "test-pre-commit: verified: the hook fails on a smelly Dockerfile and passes on a clean one"
