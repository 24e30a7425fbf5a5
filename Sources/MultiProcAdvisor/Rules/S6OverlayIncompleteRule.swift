import DockerfileParser

/// DA406: s6-overlay v3 is installed from only one of its two tarballs, or unpacked where there is no `xz`.
public struct S6OverlayIncompleteRule: Rule {
  public static let description = RuleDescription(
    id: "DA406", name: "s6-overlay-incomplete", severity: .error,
    summary: "install both s6-overlay tarballs: `s6-overlay-noarch` and `s6-overlay-<arch>`",
    rationale: """
      s6-overlay v3 ships in two parts that must both be unpacked into `/`: `s6-overlay-noarch.tar.xz` \
      (the scripts, `/init` among them) and `s6-overlay-<arch>.tar.xz` (`x86_64`, `aarch64`, …: the \
      s6 binaries those scripts run). With only one of them `/init` cannot start, and the container \
      exits at once. Reported when every s6-overlay archive the file installs can be named and only \
      one of the two parts is among them, and nothing in the file hints at the other (an arch \
      variable, `uname -m`, `TARGETARCH`) or at a base image that already carries s6-overlay. The fix \
      adds the missing part after the one that is there, with the architecture as a build argument \
      (default `x86_64`; pass `--build-arg S6_OVERLAY_ARCH=aarch64` for arm64). The tarballs are xz \
      archives: on the official debian and ubuntu images, which have no `xz`, `tar -Jxpf` fails the \
      build unless `xz-utils` is installed first (reported at the RUN that unpacks; the fix installs \
      it just before). Alpine's busybox tar unpacks xz by itself.
      """,
    fixDescription: "add the missing ADD + tar",
    nonTriggering: [
      Example(
        "FROM alpine\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-noarch.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-x86_64.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-x86_64.tar.xz\nENTRYPOINT [\"/init\"]\n"
      ),
      Example(
        "FROM alpine\nARG S6_OVERLAY_ARCH\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-noarch.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz && wget -O- https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-$S6_OVERLAY_ARCH.tar.xz | tar -C / -Jxp\nENTRYPOINT [\"/init\"]\n"
      ),
      Example("FROM ghcr.io/linuxserver/baseimage-alpine:3.20\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-noarch.tar.xz /tmp\n"),
      Example(
        "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y nginx xz-utils\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-noarch.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-x86_64.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-x86_64.tar.xz\nENTRYPOINT [\"/init\"]\n"
      ),
      Example(
        "FROM python:3.12\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-noarch.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-x86_64.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-x86_64.tar.xz\nENTRYPOINT [\"/init\"]\n"
      ),
    ],
    triggering: [
      Example(
        "FROM alpine\n↓ADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-noarch.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz\nENTRYPOINT [\"/init\"]\n"
      ),
      Example(
        "FROM alpine\n↓ADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-x86_64.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-x86_64.tar.xz\nENTRYPOINT [\"/init\"]\n"
      ),
      Example("FROM alpine:3.20\nCOPY s6-overlay-noarch.tar.xz /tmp/\n↓RUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz\nENTRYPOINT [\"/init\"]\n"),
      Example(
        "FROM debian:bookworm-slim\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-noarch.tar.xz /tmp\n↓RUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-x86_64.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-x86_64.tar.xz\nENTRYPOINT [\"/init\"]\n"
      ),
    ],
    corrections: [
      Correction(
        Example(
          "FROM alpine\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-noarch.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz\nENTRYPOINT [\"/init\"]\n"
        ),
        Example(
          "FROM alpine\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-noarch.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz\nARG S6_OVERLAY_ARCH=x86_64\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-${S6_OVERLAY_ARCH}.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-${S6_OVERLAY_ARCH}.tar.xz\nENTRYPOINT [\"/init\"]\n"
        ),
        options: ["--unsafe"]),
      Correction(
        Example(
          "FROM debian:bookworm-slim\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-noarch.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-x86_64.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-x86_64.tar.xz\nENTRYPOINT [\"/init\"]\n"
        ),
        Example(
          "FROM debian:bookworm-slim\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-noarch.tar.xz /tmp\nRUN apt-get update && apt-get install -y --no-install-recommends xz-utils && rm -rf /var/lib/apt/lists/*\nRUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-x86_64.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-x86_64.tar.xz\nENTRYPOINT [\"/init\"]\n"
        )),
    ])

  public init() {}

  enum Part { case noarch, arch }

  /// Which part an archive name is (nil for the optional symlinks tarballs).
  static func part(_ archive: String) -> Part? {
    let lower = archive.lowercased()
    guard let range = lower.ranges(of: "s6-overlay-").last else { return nil }
    let rest = lower[range.upperBound...]
    if rest.hasPrefix("symlinks") { return nil }
    return rest.hasPrefix("noarch") ? .noarch : .arch
  }

  /// Words that show the file installs the arch part some way dockadvise does not follow.
  static let archHints = ["x86_64", "aarch64", "armhf", "s6_overlay_arch", "s6_arch", "targetarch", "uname -m", "print-arch", "print-architecture", "${arch", "$arch"]

  public func check(_ context: LintContext) -> [Finding] {
    missingPart(context) + missingXZ(context)
  }

  /// A RUN that unpacks an s6-overlay `.tar.xz` where the image has no `xz`.
  func missingXZ(_ context: LintContext) -> [Finding] {
    let s6Runs = Set(context.image.components(.s6Overlay).filter { $0.archive?.hasSuffix(".tar.xz") ?? false }.map(\.evidence))
    guard let run = context.image.xzUnpackedWithoutXZ.first(where: s6Runs.contains), let base = context.image.base else { return [] }
    let line = "RUN apt-get update && apt-get install -y --no-install-recommends xz-utils && rm -rf /var/lib/apt/lists/*"
    return [finding(
      at: run, "tar unpacks s6-overlay's .tar.xz here, but \(base.reference) has no xz (package xz-utils): the build fails with 'xz: Cannot exec'",
      fix: Fix(title: "install xz-utils before unpacking s6-overlay", safety: .safe, edits: [Edits.insertLine(line, before: run)]))]
  }

  /// Only one of the two v3 tarballs.
  func missingPart(_ context: LintContext) -> [Finding] {
    let components = context.image.components(.s6Overlay)
    guard !components.isEmpty, components.allSatisfy({ $0.archive != nil }) else { return [] }
    if let base = context.image.base, ["linuxserver", "lsiobase", "hassio", "home-assistant", "s6", "just-containers"].contains(where: base.repository.contains) { return [] }
    let parts = components.compactMap { component in Self.part(component.archive!).map { (part: $0, component: component) } }
    let present = Set(parts.map { $0.part == .noarch ? "noarch" : "arch" })
    guard present.count == 1, let found = parts.first else { return [] }
    let text = String(decoding: context.dockerfile.source.bytes, as: UTF8.self).lowercased()
    let missing: Part = found.part == .noarch ? .arch : .noarch
    // The other part may come some way dockadvise does not follow: stay silent when the file hints at it.
    switch missing {
    case .arch: if Self.archHints.contains(where: text.contains) { return [] }
    case .noarch: if text.contains("noarch") { return [] }
    }
    let what = missing == .arch ? "s6-overlay-<arch>.tar.xz (the s6 binaries)" : "s6-overlay-noarch.tar.xz (the scripts, /init among them)"
    let has = found.part == .noarch ? "s6-overlay-noarch" : "s6-overlay-\(Self.archName(found.component.archive!) ?? "<arch>")"
    return [finding(
      at: found.component.evidence, "s6-overlay v3 is installed from \(has) only; without \(what) /init cannot start",
      notes: parts.dropFirst().map { Finding.Note("also \($0.component.archive!)", at: $0.component.evidence) }, fix: fix(missing, parts.map(\.component), context))]
  }

  /// The arch of an arch archive name (`x86_64`).
  static func archName(_ archive: String) -> String? {
    guard let range = archive.ranges(of: "s6-overlay-").last else { return nil }
    let rest = archive[range.upperBound...]
    guard let dot = rest.firstRange(of: ".tar") else { return nil }
    return String(rest[..<dot.lowerBound])
  }

  /// After the last instruction that handles the present part: an ADD of the missing one from the same
  /// release and a tar that unpacks it. Unsafe: the arch default is x86_64.
  func fix(_ missing: Part, _ components: [ImageModel.Component], _ context: LintContext) -> Fix? {
    guard let url = components.compactMap(\.archive).first(where: { $0.contains("://") }), let last = components.map(\.evidence).max(by: { $0.range.start < $1.range.start }),
      let range = url.ranges(of: "s6-overlay-").last, let tar = url[range.upperBound...].firstRange(of: ".tar")
    else { return nil }
    let replacement = missing == .arch ? "${S6_OVERLAY_ARCH}" : "noarch"
    let newURL = String(url[..<range.upperBound]) + replacement + String(url[tar.lowerBound...])
    let file = "s6-overlay-" + replacement + String(url[tar.lowerBound...])
    var lines: [String] = []
    if missing == .arch { lines.append("ARG S6_OVERLAY_ARCH=x86_64") }
    lines += ["ADD \(newURL) /tmp", "RUN tar -C / -Jxpf /tmp/\(file)"]
    return Fix(title: "add \(file)", safety: .unsafe, edits: [Edits.insertLine(lines.joined(separator: Edits.newline(of: last.file)), after: last)])
  }
}
