#!/bin/sh
# Cross-builds dockadvise-init for aarch64 Linux (static, musl) on an x86_64 Debian machine.
#
#   Scripts/build-init-aarch64.sh OUTPUT [INIT_SOURCES]
#
# Needs: dpkg --add-architecture arm64 && apt-get update &&
#        apt-get install gcc-aarch64-linux-gnu musl-dev:arm64   (qemu-user-static to try it)
# The Swift 6.3 toolchain ships no Embedded stdlib for aarch64-unknown-linux-gnu, only for the bare-metal
# aarch64-none-none-elf; Embedded Swift code has no OS dependency of its own, so the object is compiled for
# that triple against musl's aarch64 headers (with __linux__ defined) and linked by the toolchain's ld.lld
# against musl's crt files and libc.a (GNU ld refuses the object's protected symbols with copy relocations).
set -eu
if [ "$#" -lt 1 ]; then echo "usage: $0 OUTPUT [INIT_SOURCES]" >&2; exit 2; fi
out=$1
src=${2:-$(cd "$(dirname "$0")/.." && pwd)/Sources/MultiProcAdvisor/Init}
swiftc=${SWIFTC:-swiftc}
musl=${MUSL_AARCH64:-/usr/lib/aarch64-linux-musl}
include=${MUSL_AARCH64_INCLUDE:-/usr/include/aarch64-linux-musl}
lld=${LLD:-$(dirname "$(command -v "$swiftc")")/ld.lld}
libgcc=$(aarch64-linux-gnu-gcc -print-libgcc-file-name)
for need in "$musl/libc.a" "$include/stdlib.h" "$lld" "$libgcc"; do
  [ -e "$need" ] || { echo "build-init-aarch64.sh: $need not found (see the header)" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dockadvise-init-aarch64.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && "$swiftc" -target aarch64-none-none-elf -enable-experimental-feature Embedded -wmo -Osize \
  -parse-as-library -module-name DockadviseInit -I "$src" -Xcc -nostdinc -Xcc -isystem -Xcc "$include" \
  -Xcc -D__linux__ -Xcc -D__unix__ "$src"/*.swift -c -o init.o) 2>&1 | grep -v "libc not found for" >&2 || true
"$lld" -static -z noseparate-code --gc-sections -o "$tmp/dockadvise-init" "$musl/crt1.o" "$musl/crti.o" \
  "$tmp/init.o" "$musl/libc.a" "$libgcc" "$musl/libc.a" "$musl/crtn.o"
aarch64-linux-gnu-strip "$tmp/dockadvise-init"
cp "$tmp/dockadvise-init" "$out"
chmod 755 "$out"
echo "dockadvise-init: $out, $(wc -c <"$out" | tr -d ' ') bytes, static (musl, aarch64, ld.lld)"
