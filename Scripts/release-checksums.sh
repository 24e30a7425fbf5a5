#!/bin/bash
# Writes SHA256SUMS for the release artifacts in a folder and checks it (sha256sum format, one line per
# file, sorted by name), the file `dockadvise fix --init-source release --init-checksums SHA256SUMS`
# reads the init's checksums from.
#
#   Scripts/release-checksums.sh [DIR]      (default: .build/release-artifacts)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:-$root/.build/release-artifacts}
[[ -d "$dir" ]] || { echo "release-checksums: no folder $dir (run Scripts/release-build.sh first)" >&2; exit 1; }
cd "$dir"
if command -v sha256sum >/dev/null 2>&1; then sum=(sha256sum); else sum=(shasum -a 256); fi
files=()
while IFS= read -r name; do files+=("$name"); done < <(find . -maxdepth 1 -type f ! -name SHA256SUMS ! -name '*.tmp' -printf '%f\n' 2>/dev/null | LC_ALL=C sort ||
  ls -1 | grep -v -e '^SHA256SUMS$' -e '\.tmp$' | LC_ALL=C sort)
[[ ${#files[@]} -gt 0 ]] || { echo "release-checksums: $dir holds no artifacts" >&2; exit 1; }
"${sum[@]}" "${files[@]}" >SHA256SUMS.tmp
mv -f SHA256SUMS.tmp SHA256SUMS
"${sum[@]}" -c SHA256SUMS >/dev/null
echo "release-checksums: $dir/SHA256SUMS, ${#files[@]} file(s), verified"
cat SHA256SUMS
