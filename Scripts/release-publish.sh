#!/bin/bash
# Publishes a release: the artifacts of DIR (release binaries, dockadvise-init, SHA256SUMS) as the
# GitHub release TAG, with `gh`. Refuses unless every expected artifact is there and SHA256SUMS checks.
#
#   Scripts/release-publish.sh TAG DIR [--dry-run]
set -euo pipefail
tag=${1:?usage: $0 TAG DIR [--dry-run]}
dir=${2:?usage: $0 TAG DIR [--dry-run]}
dry=0; [[ "${3:-}" == --dry-run ]] && dry=1
expected=(dockadvise-linux-x86_64 dockadvise-linux-aarch64 dockadvise-macos-arm64 dockadvise-macos-x86_64
  dockadvise-init-x86_64 dockadvise-init-aarch64 SHA256SUMS)
missing=()
for name in "${expected[@]}"; do [[ -f "$dir/$name" ]] || missing+=("$name"); done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "release-publish: $dir lacks ${missing[*]}" >&2
  ((dry)) || exit 1
fi
if command -v sha256sum >/dev/null 2>&1; then (cd "$dir" && sha256sum -c SHA256SUMS >/dev/null); else (cd "$dir" && shasum -a 256 -c SHA256SUMS >/dev/null); fi
files=()
for name in "${expected[@]}"; do [[ -f "$dir/$name" ]] && files+=("$dir/$name"); done
if ((dry)); then
  echo "release-publish: would run: gh release create $tag --title $tag --generate-notes ${files[*]}"
  exit 0
fi
gh release create "$tag" --title "$tag" --generate-notes "${files[@]}"
