#!/bin/bash
# Installs what Scripts/release-build.sh needs on a Linux runner besides Swift: musl-gcc (musl-tools, for
# the static dockadvise-init), strip and file; and the Static Linux SDK when a URL and checksum are given
# (from swift.org's install page for the toolchain's version) and no static-linux SDK is installed yet.
#
#   Scripts/release-setup-linux.sh [SDK_URL SDK_CHECKSUM]
set -euo pipefail
missing=()
command -v musl-gcc >/dev/null 2>&1 || missing+=(musl-tools)
command -v strip >/dev/null 2>&1 || missing+=(binutils)
command -v file >/dev/null 2>&1 || missing+=(file)
if [[ ${#missing[@]} -gt 0 ]]; then
  sudo=""; [[ $(id -u) == 0 ]] || sudo=sudo
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "release-setup-linux: musl-gcc $(command -v musl-gcc), strip $(command -v strip)"
if [[ $# -ge 1 && -n "$1" ]]; then
  [[ $# -ge 2 && -n "$2" ]] || { echo "release-setup-linux: the Static Linux SDK needs its checksum too" >&2; exit 2; }
  if swift sdk list 2>/dev/null | grep -q static-linux; then
    echo "release-setup-linux: a Static Linux SDK is installed: $(swift sdk list | grep static-linux)"
  else
    swift sdk install "$1" --checksum "$2"
  fi
else
  echo "release-setup-linux: no Static Linux SDK asked for; installed: $(swift sdk list 2>&1 | tr '\n' ' ')"
fi
