#!/bin/bash
# Builds the release binaries of dockadvise for the machine it runs on (the release workflow runs it on
# one runner per platform, .github/workflows/release.yml):
#
#   Scripts/release-build.sh [--out DIR] [--arch ARCH] [--no-init] [--sdk auto|none|NAME] [--static-only]
#
#   DIR/dockadvise-linux-ARCH    Linux: with the Static Linux SDK (`swift sdk list` shows a
#                                static-linux SDK, or --sdk NAME) fully static (musl); without it
#                                --static-swift-stdlib (Swift's libraries linked in; glibc, libstdc++
#                                and libgcc_s still loaded from the system), and the script says so
#   DIR/dockadvise-macos-ARCH    macOS: `swift build --arch ARCH` (arm64 or x86_64; default the host's)
#   DIR/dockadvise-init-ARCH     Linux: the Embedded Swift init, static with musl (musl-gcc from
#                                musl-tools is required; Sources/MultiProcAdvisor/Init/build.sh)
#
# --static-only (the release workflow) refuses to fall back to --static-swift-stdlib.
# ARCH is x86_64 or aarch64 on Linux (what `uname -m` says), arm64 or x86_64 on macOS. With --sdk and
# --arch, Linux builds cross-compile (`--swift-sdk ARCH-swift-linux-musl`). Default DIR: .build/release-artifacts.
# (Scripts/release-check-version.sh checks the tag; Scripts/release-setup-linux.sh installs musl-tools and the SDK.)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$root/.build/release-artifacts
arch=""
init=1
sdk=auto
static_only=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --arch) arch=$2; shift 2 ;;
    --no-init) init=0; shift ;;
    --sdk) sdk=$2; shift 2 ;;
    --static-only) static_only=1; shift ;;
    *) echo "usage: $0 [--out DIR] [--arch ARCH] [--no-init] [--sdk auto|none|NAME] [--static-only]" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$root"

size() { wc -c <"$1" | tr -d ' '; }
linkage() {
  if command -v file >/dev/null 2>&1; then file -b "$1" | cut -d, -f1-2,5-6; fi
}

case "$(uname -s)" in
  Linux)
    host=$(uname -m)
    arch=${arch:-$host}
    case "$arch" in x86_64 | aarch64) ;; *) echo "release-build: unsupported Linux arch '$arch' (x86_64, aarch64)" >&2; exit 2 ;; esac
    flags=(-c release --product dockadvise)
    if [[ "$sdk" == auto ]]; then
      sdk=none
      if swift sdk list 2>/dev/null | grep -q static-linux; then sdk=$arch-swift-linux-musl; fi
    fi
    if [[ "$sdk" != none ]]; then
      flags+=(--swift-sdk "$sdk")
      kind="fully static (Static Linux SDK, $sdk)"
    else
      ((!static_only)) || { echo "release-build: --static-only, but no Static Linux SDK is installed (swift sdk list; Scripts/release-setup-linux.sh URL CHECKSUM)" >&2; exit 1; }
      [[ "$arch" == "$host" ]] || { echo "release-build: building for $arch on $host needs the Static Linux SDK (--sdk NAME)" >&2; exit 1; }
      flags+=(--static-swift-stdlib)
      kind="--static-swift-stdlib (no Static Linux SDK installed: glibc, libstdc++ and libgcc_s stay dynamic)"
    fi
    echo "release-build: swift build ${flags[*]}" >&2
    swift build "${flags[@]}"
    bin=$(swift build "${flags[@]}" --show-bin-path)
    target=$out/dockadvise-linux-$arch
    cp "$bin/dockadvise" "$target.tmp"
    strip "$target.tmp" 2>/dev/null || true
    mv -f "$target.tmp" "$target"
    echo "release-build: $target, $(size "$target") bytes, $kind; $(linkage "$target")"
    if ((init)); then
      if [[ "$arch" == aarch64 && "$host" == x86_64 ]] && command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 \
        && [[ -e /usr/lib/aarch64-linux-musl/libc.a ]]; then
        # Cross-built (gcc-aarch64-linux-gnu, musl-dev:arm64): see Scripts/build-init-aarch64.sh.
        Scripts/build-init-aarch64.sh "$out/dockadvise-init-$arch" >&2
        echo "release-build: $out/dockadvise-init-$arch, $(size "$out/dockadvise-init-$arch") bytes; $(linkage "$out/dockadvise-init-$arch")"
      elif [[ "$arch" != "$host" ]]; then
        echo "release-build: dockadvise-init-$arch is built on a $arch runner (musl-gcc links for the host only), or cross-built on x86_64 with gcc-aarch64-linux-gnu and musl-dev:arm64" >&2
      else
        command -v musl-gcc >/dev/null 2>&1 || { echo "release-build: dockadvise-init needs musl-gcc (apt-get install musl-tools)" >&2; exit 1; }
        DOCKADVISE_INIT_LIBC=musl Sources/MultiProcAdvisor/Init/build.sh "$out/dockadvise-init-$arch" >&2
        echo "release-build: $out/dockadvise-init-$arch, $(size "$out/dockadvise-init-$arch") bytes; $(linkage "$out/dockadvise-init-$arch")"
      fi
    fi
    ;;
  Darwin)
    arch=${arch:-$(uname -m)}
    case "$arch" in arm64 | x86_64) ;; *) echo "release-build: unsupported macOS arch '$arch' (arm64, x86_64)" >&2; exit 2 ;; esac
    flags=(-c release --product dockadvise --arch "$arch")
    swift build "${flags[@]}"
    bin=$(swift build "${flags[@]}" --show-bin-path)
    target=$out/dockadvise-macos-$arch
    cp "$bin/dockadvise" "$target.tmp"
    strip -x "$target.tmp" 2>/dev/null || true
    mv -f "$target.tmp" "$target"
    echo "release-build: $target, $(size "$target") bytes; $(linkage "$target")"
    ;;
  *) echo "release-build: unsupported system $(uname -s)" >&2; exit 2 ;;
esac
