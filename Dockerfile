# dockadvise as a container image:
#
#   docker run --rm -v "$PWD:/work" -w /work ghcr.io/dockadvise/dockadvise lint
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/work" -w /work ghcr.io/dockadvise/dockadvise fix --write Dockerfile
#
# Build it with `docker build -t dockadvise .` (here, without a Docker engine: Scripts/build-image.sh).
# The build stage compiles a release binary in the Swift image with Scripts/release-build.sh. Given the
# Static Linux SDK (--build-arg SWIFT_SDK_URL=... --build-arg SWIFT_SDK_CHECKSUM=..., as the release
# workflow does) the binary is fully static and cross-compiled on the build machine for TARGETARCH;
# without it, it is built with --static-swift-stdlib for the build machine's own architecture and the
# stage collects the few system libraries it still loads (glibc, libstdc++, libgcc_s). The final stage
# holds only that: no shell, no package manager.
ARG SWIFT_IMAGE=swift:6.3-bookworm

FROM --platform=$BUILDPLATFORM ${SWIFT_IMAGE} AS build
ARG TARGETARCH
ARG SWIFT_SDK_URL=""
ARG SWIFT_SDK_CHECKSUM=""
WORKDIR /src
COPY Package.swift ./
COPY Sources/ Sources/
# Package.swift lists the test targets too, whose folders must exist (nothing in them is built).
COPY Tests/ Tests/
COPY Scripts/release-build.sh Scripts/
RUN set -eu; \
    case "${TARGETARCH:-}" in \
      amd64) arch=x86_64 ;; arm64) arch=aarch64 ;; "") arch=$(uname -m) ;; \
      *) echo "unsupported TARGETARCH '$TARGETARCH' (amd64, arm64)" >&2; exit 1 ;; \
    esac; \
    sdk=none; \
    if [ -n "$SWIFT_SDK_URL" ]; then \
      swift sdk install "$SWIFT_SDK_URL" --checksum "$SWIFT_SDK_CHECKSUM"; \
      sdk=$arch-swift-linux-musl; \
    fi; \
    Scripts/release-build.sh --no-init --sdk "$sdk" --arch "$arch" --out /out; \
    mkdir -p /rootfs/usr/local/bin /rootfs/tmp /rootfs/work; \
    chmod 1777 /rootfs/tmp; \
    mv "/out/dockadvise-linux-$arch" /rootfs/usr/local/bin/dockadvise; \
    for lib in $(ldd /rootfs/usr/local/bin/dockadvise 2>/dev/null | grep -o '/[^ ]*' || true); do \
      cp --parents -L "$lib" /rootfs; \
    done; \
    if [ "$arch" = "$(uname -m)" ]; then /rootfs/usr/local/bin/dockadvise --version; fi

FROM scratch
COPY --from=build /rootfs/ /
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/dockadvise"]
CMD ["lint"]
