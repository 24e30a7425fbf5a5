#!/bin/bash
# Builds the dockadvise container image from the Dockerfile at the top of the repository.
#
#   Scripts/build-image.sh [--engine buildah|docker] [--tag IMAGE]... [--platform LIST] [--push]
#                          [--build-arg NAME=VALUE]...
#
# buildah (the default when there is no docker): builds for this machine's architecture, without a
#   registry: `FROM swift:6.3-bookworm` must resolve locally (Scripts/make-swift-image.sh makes a
#   stand-in from the installed toolchain), chroot isolation, host network. Prints the image's size.
# docker: `docker buildx build` (the release workflow: --platform linux/amd64,linux/arm64 --push with
#   the Static Linux SDK build args).
# Default tag: dockadvise:VERSION and dockadvise:latest (localhost/ with buildah).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(sed -n 's/.*static let version = "\(.*\)".*/\1/p' "$root/Sources/dockadvise/CLI.swift" | head -n 1)
engine=""
tags=()
platform=""
push=0
build_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --engine) engine=$2; shift 2 ;;
    --tag) tags+=("$2"); shift 2 ;;
    --platform) platform=$2; shift 2 ;;
    --push) push=1; shift ;;
    --build-arg) build_args+=(--build-arg "$2"); shift 2 ;;
    *) echo "usage: $0 [--engine buildah|docker] [--tag IMAGE]... [--platform LIST] [--push] [--build-arg A=B]..." >&2; exit 2 ;;
  esac
done
if [[ -z "$engine" ]]; then
  if command -v docker >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1; then engine=docker; else engine=buildah; fi
fi
[[ ${#tags[@]} -gt 0 ]] || tags=("dockadvise:$version" "dockadvise:latest")
tag_flags=()
for tag in "${tags[@]}"; do tag_flags+=(-t "$tag"); done

start=$(date +%s)
case "$engine" in
  buildah)
    [[ -z "$platform" ]] || { echo "build-image: buildah builds this machine's architecture only (no --platform)" >&2; exit 2; }
    ((!push)) || { echo "build-image: --push needs --engine docker" >&2; exit 2; }
    buildah build --isolation chroot --network host --format docker --pull=never --layers=false --force-rm \
      "${build_args[@]}" "${tag_flags[@]}" -f "$root/Dockerfile" "$root"
    echo "build-image: ${tags[*]}: $(buildah images --format '{{.Size}}' "${tags[0]}" | sed -n 1p), $(( $(date +%s) - start )) s"
    ;;
  docker)
    flags=()
    [[ -z "$platform" ]] || flags+=(--platform "$platform")
    if ((push)); then flags+=(--push); else flags+=(--load); fi
    docker buildx build "${flags[@]}" "${build_args[@]}" "${tag_flags[@]}" -f "$root/Dockerfile" "$root"
    echo "build-image: ${tags[*]} ($engine${platform:+, $platform}), $(( $(date +%s) - start )) s"
    ;;
  *) echo "build-image: unknown engine '$engine' (buildah, docker)" >&2; exit 2 ;;
esac
