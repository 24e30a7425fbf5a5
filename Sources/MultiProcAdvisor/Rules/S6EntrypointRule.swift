/// DA401: s6-overlay is installed but PID 1 is not its `/init`.
public struct S6EntrypointRule: Rule {
  public static let description = RuleDescription(
    id: "DA401", name: "s6-entrypoint", severity: .error,
    summary: "make s6-overlay's `/init` the ENTRYPOINT",
    rationale: """
      s6-overlay does nothing unless its `/init` is PID 1: that is what starts s6-svscan, runs the \
      `s6-rc.d` services and cont-init scripts, reaps zombies and stops everything on SIGTERM. An \
      image that installs s6-overlay (the tarballs, the installer, or a COPY from an s6-overlay image) \
      and then sets another ENTRYPOINT — or a later stage that resets it — runs none of its services. \
      Not reported: a wrapper script that ends with `exec /init`, an image that renames `/init` and \
      runs the new name, `/init` given as CMD with no ENTRYPOINT, and images whose base provides \
      s6-overlay when this file sets no ENTRYPOINT. The fix sets `ENTRYPOINT [\"/init\"]` and moves a \
      command that was the ENTRYPOINT to CMD, where s6-overlay runs it as the supervised main program.
      """,
    fixDescription: "`ENTRYPOINT [\"/init\"]`",
    nonTriggering: [
      Example("FROM alpine\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-noarch.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz\nENTRYPOINT [\"/init\"]\n"),
      Example("FROM alpine\nADD s6-overlay-noarch.tar.xz /\nCOPY wrapper.sh /wrapper.sh\nENTRYPOINT [\"/wrapper.sh\"]\n", files: ["s6-overlay-noarch.tar.xz": "", "wrapper.sh": "#!/bin/sh\nexport TZ=UTC\nexec /init \"$@\"\n"]),
      Example("FROM alpine\nADD s6-overlay-noarch.tar.xz /\nCOPY wrapper.sh /wrapper.sh\nENTRYPOINT [\"/wrapper.sh\"]\n", files: ["s6-overlay-noarch.tar.xz": "", "wrapper.sh": "#!/bin/sh\n(while true; do sleep 60; cp /data/state /backup/state; done) &\nexec /init \"$@\"\n"]),
      Example("FROM alpine\nADD s6-overlay-noarch.tar.xz /\nRUN mv /init /s6-init\nENTRYPOINT [\"/s6-init\"]\n", files: ["s6-overlay-noarch.tar.xz": ""]),
      Example("FROM ghcr.io/linuxserver/baseimage-alpine:3.20\nCOPY root/ /\n", files: ["root/etc/s6-overlay/s6-rc.d/svc-app/type": "longrun\n"]),
    ],
    triggering: [
      Example("FROM alpine\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-noarch.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz\n↓ENTRYPOINT [\"/usr/local/bin/app\"]\n"),
      Example("FROM alpine AS base\nADD s6-overlay-noarch.tar.xz /\nENTRYPOINT [\"/init\"]\nFROM base\n↓ENTRYPOINT [\"/docker-entrypoint.sh\"]\n", files: ["s6-overlay-noarch.tar.xz": ""]),
      Example("FROM alpine\nRUN apk add --no-cache s6-overlay\n↓CMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
    ],
    corrections: [
      Correction(
        Example("FROM alpine\nRUN apk add --no-cache s6-overlay\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
        Example("FROM alpine\nRUN apk add --no-cache s6-overlay\nENTRYPOINT [\"/init\"]\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n")),
      Correction(
        Example("FROM alpine\nADD s6-overlay-noarch.tar.xz /\nENTRYPOINT [\"/usr/local/bin/app\", \"--serve\"]\n", files: ["s6-overlay-noarch.tar.xz": ""]),
        Example("FROM alpine\nADD s6-overlay-noarch.tar.xz /\nENTRYPOINT [\"/init\"]\nCMD [\"/usr/local/bin/app\", \"--serve\"]\n", files: ["s6-overlay-noarch.tar.xz": ""]),
        options: ["--unsafe"]),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    let installs = context.image.components.filter { ($0.kind == .s6Overlay || $0.kind == .s6OverlayLegacy) && $0.inFinalImage }
    guard let installed = installs.first, !context.launch.runsS6Overlay, !context.launch.steps.isEmpty else { return [] }
    if case .unknown = context.launch.steps.first { return [] }
    guard let instruction = context.image.entrypoint?.keyword ?? context.image.cmd?.keyword else { return [] }
    let what = context.image.entrypoint == nil ? "CMD" : "ENTRYPOINT"
    return [finding(
      at: instruction, "s6-overlay is installed but \(what) does not run /init: none of its services start",
      notes: [Finding.Note("s6-overlay is installed here", at: installed.evidence)], fix: fix(context))]
  }

  /// `ENTRYPOINT ["/init"]`, with what was the ENTRYPOINT moved in front of CMD.
  func fix(_ context: LintContext) -> Fix? {
    guard let entrypoint = context.image.entrypoint else {
      guard let cmd = context.image.cmd else { return nil }
      return Fix(title: "make /init PID 1", safety: .safe, changes: [.insertLine("ENTRYPOINT [\"/init\"]", before: cmd.keyword)])
    }
    guard let words = entrypoint.words else { return nil }
    var command = words.map(\.value)
    if let cmd = context.image.cmd {
      guard let cmdWords = cmd.words, cmd.stage == entrypoint.stage else { return nil }
      command += cmdWords.map(\.value)
      return Fix(
        title: "make /init PID 1 and run the old entrypoint as its main program", safety: .unsafe,
        changes: [.replaceArguments(entrypoint.arguments, with: ["/init"]), .replaceArguments(cmd.arguments, with: command)])
    }
    return Fix(
      title: "make /init PID 1 and run the old entrypoint as its main program", safety: .unsafe,
      changes: [.replaceArguments(entrypoint.arguments, with: ["/init"]), .insertLine("CMD " + Edits.jsonArray(command), after: entrypoint.instruction)])
  }
}
