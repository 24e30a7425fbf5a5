#!/bin/bash
# Checks that every place naming the release agrees with `dockadvise --version` (Sources/dockadvise/CLI.swift):
# the container image the dockadvise-docker pre-commit hook runs, the Action's default version, and, on
# a tag (GITHUB_REF_TYPE=tag), the tag itself (vX.Y.Z). The release workflow runs it first.
#
#   Scripts/release-check-version.sh [TAG]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(sed -n 's/.*static let version = "\(.*\)".*/\1/p' "$root/Sources/dockadvise/CLI.swift" | head -n 1)
[[ -n "$version" ]] || { echo "release-check-version: no version in Sources/dockadvise/CLI.swift" >&2; exit 1; }
tag=${1:-}
[[ -n "$tag" || "${GITHUB_REF_TYPE:-}" != tag ]] || tag=${GITHUB_REF_NAME:-}
problems=0
if [[ -n "$tag" && "$tag" != "v$version" ]]; then
  echo "release-check-version: the tag is $tag, but dockadvise --version says $version" >&2; problems=1
fi
image=$(awk '/^- id: dockadvise-docker$/ { found = 1 } found && /^  entry:/ { print $2; exit }' "$root/.pre-commit-hooks.yaml")
if [[ "$image" != "ghcr.io/dockadvise/dockadvise:v$version" ]]; then
  echo "release-check-version: .pre-commit-hooks.yaml's dockadvise-docker runs $image, not ghcr.io/dockadvise/dockadvise:v$version" >&2; problems=1
fi
action=$(awk '/^  version:$/ { found = 1 } found && /^    default:/ { print $2; exit }' "$root/action.yml")
if [[ "$action" != "$version" ]]; then
  echo "release-check-version: action.yml's version input defaults to $action, not $version" >&2; problems=1
fi
((problems == 0)) || exit 1
echo "release-check-version: $version${tag:+ (tag $tag)}: CLI, pre-commit image and action agree"
