#!/bin/sh
# Builds dockadvise-init, a static PID 1, from the Embedded Swift sources next to this script.
#
#   build.sh OUTPUT
#
# Needs swiftc (Swift 6, with Embedded Swift) and a C linker with a static libc: musl-gcc (Debian's
# musl-tools; about 60 KiB) or else cc/clang/gcc with glibc's libc.a (about 700 KiB).
# Environment: SWIFTC (default swiftc), DOCKADVISE_INIT_LIBC=musl|glibc (default: musl when musl-gcc
# exists), CC (the glibc linker), MUSL_INCLUDE (musl's headers, default /usr/include/ARCH-linux-musl).
set -eu

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 OUTPUT" >&2
  exit 2
fi
out=$1
src=$(cd "$(dirname "$0")" && pwd)
swiftc=${SWIFTC:-swiftc}
libc=${DOCKADVISE_INIT_LIBC:-}
if [ -z "$libc" ]; then
  if command -v musl-gcc >/dev/null 2>&1; then libc=musl; else libc=glibc; fi
fi

case $libc in
  musl)
    linker=musl-gcc
    include=${MUSL_INCLUDE:-/usr/include/$(uname -m)-linux-musl}
    [ -d "$include" ] || include=/usr/lib/musl/include
    if [ ! -d "$include" ]; then
      echo "build.sh: musl headers not found (set MUSL_INCLUDE)" >&2
      exit 1
    fi
    # musl's headers instead of glibc's, so that the object links against musl's libc.a.
    set -- -Xcc -nostdinc -Xcc -isystem -Xcc "$include"
    ;;
  glibc)
    linker=
    for candidate in ${CC:-} cc clang gcc; do
      if command -v "$candidate" >/dev/null 2>&1; then
        linker=$candidate
        break
      fi
    done
    if [ -z "$linker" ]; then
      echo "build.sh: no C linker found (musl-gcc, cc, clang or gcc)" >&2
      exit 1
    fi
    set --
    ;;
  *)
    echo "build.sh: DOCKADVISE_INIT_LIBC must be musl or glibc, not '$libc'" >&2
    exit 2
    ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dockadvise-init.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# Embedded Swift: no runtime, no Foundation; libc comes through the CSys module (module.modulemap, shim.h).
# Compiled inside $tmp to a relative init.o: the object's module hash (.swift_modhash) covers the output
# path, and a random one would make every build's bytes (and a release's SHA-256) differ.
if ! (cd "$tmp" && "$swiftc" -enable-experimental-feature Embedded -wmo -Osize -parse-as-library -module-name DockadviseInit \
  -I "$src" "$@" "$src"/*.swift -c -o init.o) 2>"$tmp/swiftc.log"; then
  cat "$tmp/swiftc.log" >&2
  exit 1
fi
grep -v "libc not found for" "$tmp/swiftc.log" >&2 || true

# -z noseparate-code: no page padding between segments (about 8 KiB less); --gc-sections: no unused libc
# sections (4 KiB).
if ! "$linker" -static -Wl,-z,noseparate-code -Wl,--gc-sections "$tmp/init.o" -o "$tmp/dockadvise-init" 2>"$tmp/link.log"; then
  "$linker" -static "$tmp/init.o" -o "$tmp/dockadvise-init"
fi
if command -v strip >/dev/null 2>&1; then strip "$tmp/dockadvise-init"; fi

mkdir -p "$(dirname "$out")"
cp "$tmp/dockadvise-init" "$out.tmp.$$"
chmod 755 "$out.tmp.$$"
mv -f "$out.tmp.$$" "$out"
echo "dockadvise-init: $out, $(wc -c <"$out" | tr -d ' ') bytes, static ($libc, $linker)"
