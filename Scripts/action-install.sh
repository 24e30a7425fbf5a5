#!/bin/bash
# Installs dockadvise for the GitHub Action (action.yml) and puts it on PATH ($GITHUB_PATH).
#
#   Scripts/action-install.sh release VERSION [DIR]   the release binary for this runner (Linux
#                                                     x86_64/aarch64, macOS arm64/x86_64), checked
#                                                     against the release's SHA256SUMS
#   Scripts/action-install.sh source [DIR]            `swift build -c release` of this checkout
#
# DIR defaults to $RUNNER_TEMP/dockadvise (or a temporary folder). DOCKADVISE_DOWNLOAD_BASE replaces
# https://github.com/dockadvise/dockadvise/releases/download (a mirror, or a local server in tests).
# Prints the path of the installed binary on its last line.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${1:-}
case "$mode" in
  release) version=${2:?usage: $0 release VERSION [DIR]}; dir=${3:-} ;;
  source) dir=${2:-} ;;
  *) echo "usage: $0 release VERSION [DIR] | source [DIR]" >&2; exit 2 ;;
esac
dir=${dir:-${RUNNER_TEMP:-$(mktemp -d)}/dockadvise}
mkdir -p "$dir"

case "$mode" in
  release)
    version=${version#v}
    case "$(uname -s)" in
      Linux) os=linux; arch=$(uname -m) ;;
      Darwin) os=macos; arch=$(uname -m) ;;
      *) echo "action-install: no release binary for $(uname -s); use install: source" >&2; exit 1 ;;
    esac
    [[ "$os/$arch" == linux/arm64 ]] && arch=aarch64
    asset=dockadvise-$os-$arch
    base=${DOCKADVISE_DOWNLOAD_BASE:-https://github.com/dockadvise/dockadvise/releases/download}
    url=$base/v$version
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    curl -fsSL --retry 3 -o "$tmp/$asset" "$url/$asset"
    curl -fsSL --retry 3 -o "$tmp/SHA256SUMS" "$url/SHA256SUMS"
    expected=$(awk -v name="$asset" '$2 == name || $2 == "*" name { print $1 }' "$tmp/SHA256SUMS")
    [[ -n "$expected" ]] || { echo "action-install: SHA256SUMS of v$version lists no $asset" >&2; exit 1; }
    if command -v sha256sum >/dev/null 2>&1; then actual=$(sha256sum "$tmp/$asset" | cut -d' ' -f1); else actual=$(shasum -a 256 "$tmp/$asset" | cut -d' ' -f1); fi
    [[ "$actual" == "$expected" ]] || { echo "action-install: $asset: SHA-256 $actual, but SHA256SUMS says $expected" >&2; exit 1; }
    install -m 755 "$tmp/$asset" "$dir/dockadvise"
    echo "action-install: $asset v$version (sha256 $actual) -> $dir/dockadvise" >&2
    ;;
  source)
    (cd "$root" && swift build -c release --product dockadvise >&2)
    install -m 755 "$(cd "$root" && swift build -c release --show-bin-path)/dockadvise" "$dir/dockadvise"
    echo "action-install: built from $root -> $dir/dockadvise" >&2
    ;;
esac
"$dir/dockadvise" --version >&2
if [[ -n "${GITHUB_PATH:-}" ]]; then echo "$dir" >>"$GITHUB_PATH"; fi
echo "$dir/dockadvise"
