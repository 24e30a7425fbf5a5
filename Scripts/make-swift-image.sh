#!/bin/bash
# Makes a local stand-in of the official `swift` image (docker.io/library/swift:6.3-bookworm) from the
# Swift toolchain installed on this machine, for hosts whose buildah cannot pull from Docker Hub.
#
#   Scripts/make-swift-image.sh [--force]
#
# The official image is Debian/Ubuntu + the toolchain in /usr + the packages the toolchain needs
# (libc6-dev, libstdc++-12-dev, libcurl, libxml2, ...). This script builds the same from the local
# debian:bookworm base (/work/shared/tools/e2e/make-base.sh): it installs those packages from the Debian
# mirror and copies the toolchain `which swift` belongs to into /usr, leaving out what no build needs
# (lldb, sourcekit-lsp, clangd, docc, swift-format, wasmkit). Tagged docker.io/library/swift:VERSION,
# :MAJOR.MINOR, :MAJOR.MINOR-bookworm and :bookworm, so an unmodified `FROM swift:6.3` resolves locally.
# Needs root, buildah and the base image. Idempotent: returns at once when the image exists.
set -euo pipefail

force=0
[[ "${1:-}" == --force ]] && force=1
[[ $(id -u) == 0 ]] || { echo "make-swift-image: must run as root (buildah mount)" >&2; exit 1; }
command -v buildah >/dev/null || { echo "make-swift-image: buildah is not installed" >&2; exit 1; }
swift=$(command -v swift) || { echo "make-swift-image: swift is not on PATH" >&2; exit 1; }
toolchain=$(cd "$(dirname "$(readlink -f "$swift")")/.." && pwd)   # .../usr
version=$(swift --version 2>/dev/null | sed -n 's/.*Swift version \([0-9][0-9.]*\).*/\1/p' | head -n 1)
[[ -n "$version" ]] || { echo "make-swift-image: cannot read the Swift version" >&2; exit 1; }
minor=${version%.*}; [[ "$minor" == *.* ]] || minor=$version
image=docker.io/library/swift:$version-bookworm
tags=("docker.io/library/swift:$version" "docker.io/library/swift:$minor" "docker.io/library/swift:$minor-bookworm" "localhost/swift:$minor-bookworm")
base=${BASE_IMAGE:-docker.io/library/debian:bookworm}

if ((!force)) && buildah inspect --type image "$image" >/dev/null 2>&1; then
  echo "make-swift-image: $image already exists" >&2
  exit 0
fi
buildah inspect --type image "$base" >/dev/null 2>&1 ||
  { echo "make-swift-image: no $base image; run /work/shared/tools/e2e/make-base.sh first" >&2; exit 1; }

start=$(date +%s)
container=$(buildah from --pull=never "$base")
mounted=""
cleanup() {
  [[ -n "$mounted" ]] && buildah unmount "$container" >/dev/null 2>&1
  buildah rm "$container" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# The packages of the official swift:*-bookworm image that a `swift build` needs.
buildah run --isolation chroot --network host "$container" -- sh -c '
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null &&
  apt-get install -y -q --no-install-recommends binutils ca-certificates git libc6-dev libcurl4 libedit2 \
    libgcc-12-dev libncurses6 libsqlite3-0 libstdc++-12-dev libxml2 libz3-4 pkg-config tzdata zlib1g-dev >/dev/null &&
  rm -rf /var/lib/apt/lists/*'

mounted=$(buildah mount "$container")
tar -C "$toolchain" -c \
  --exclude='./bin/lldb*' --exclude=./bin/sourcekit-lsp --exclude=./bin/clangd --exclude=./bin/docc \
  --exclude=./bin/swift-format --exclude=./bin/wasmkit --exclude=./bin/repl_swift \
  --exclude='./lib/liblldb*' --exclude=./lib/libsourcekitdInProc.so --exclude='./lib/libSwiftSourceKit*' \
  . | tar -C "$mounted/usr" -x --no-same-owner
buildah unmount "$container" >/dev/null
mounted=""

buildah config --cmd '["/bin/bash"]' --label "org.opencontainers.image.description=local stand-in of swift:$version-bookworm made from $toolchain" "$container"
buildah commit -q --format docker --rm "$container" "$image" >/dev/null
container=""
for tag in "${tags[@]}"; do buildah tag "$image" "$tag"; done
# sed reads all of buildah's output: with head, buildah got SIGPIPE and pipefail made the script fail (rc 141).
size=$(buildah images --format '{{.Size}}' "$image" | sed -n 1p)
echo "make-swift-image: $image (+ ${tags[*]}) from $toolchain, $size, $(( $(date +%s) - start )) s"
