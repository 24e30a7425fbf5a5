/// DA501: an init is installed but the final ENTRYPOINT does not run it.
public struct InitInstalledUnusedRule: Rule {
  public static let description = RuleDescription(
    id: "DA501", name: "init-installed-unused", severity: .warning,
    summary: "put the installed init in ENTRYPOINT (`[\"tini\", \"--\", …]`)",
    rationale: """
      Installing tini, dumb-init or catatonit does nothing by itself: the init has to be PID 1, which \
      means the first word of the ENTRYPOINT (or of CMD when there is no ENTRYPOINT, or `exec`'d by \
      the entrypoint script). Without it the image carries an unused binary and none of the \
      protection it was installed for: zombies are not reaped and signals are not forwarded. Relying \
      on `docker run --init` or a compose `init: true`/`command:` is possible but invisible to the \
      image's other users. The fix prepends the init to the ENTRYPOINT (with `--`), keeping what ran \
      before as the init's child. The chain is followed through `eval` with known words (also the \
      output of the script's own function that echoes the init's name); when it stops at something \
      known only at run time, the init may run there and nothing is reported.
      """,
    fixDescription: "put it in ENTRYPOINT",
    nonTriggering: [
      Example("FROM debian\nRUN apt-get update && apt-get install -y tini\nENTRYPOINT [\"/usr/bin/tini\", \"--\"]\nCMD [\"app\"]\n"),
      Example("FROM alpine\nRUN apk add --no-cache dumb-init\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\n", files: ["entry.sh": "#!/bin/sh\nexec dumb-init -- app\n"]),
      Example("FROM node:20\nCMD [\"node\", \"server.js\"]\n"),
      // Whether tini runs is decided at run time (the function prints tini only when it is PID 1).
      Example(
        "FROM debian\nRUN apt-get update && apt-get install -y tini\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"bash\"]\n",
        files: ["entry.sh": "#!/bin/bash\npick() {\n  if [ $$ -eq 1 ]; then echo tini; else echo \"\"; fi\n}\nif [ \"$(id -u)\" = 0 ]; then\n  eval exec $(pick) -- \"$@\"\nfi\neval exec $(pick) -- \"$@\"\n"]),
      Example("FROM alpine\nRUN apk add --no-cache tini\nCMD [\"/sbin/tini\", \"--\", \"app\"]\n"),
      // `eval` of the script's own function that echoes the init: tini is PID 1.
      Example(
        "FROM debian\nRUN apt-get update && apt-get install -y tini\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"app\"]\n",
        files: ["entry.sh": "#!/bin/sh\nselect_init() {\n  echo tini\n}\neval exec $(select_init) -- \"$@\"\n"]),
      // Known only at run time: the init may run there, so nothing is said.
      Example(
        "FROM debian\nRUN apt-get update && apt-get install -y tini\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"app\"]\n",
        files: ["entry.sh": "#!/bin/sh\neval exec $(command -v tini) -- \"$@\"\n"]),
    ],
    triggering: [
      Example("FROM debian\nRUN apt-get update && apt-get install -y tini\n↓CMD [\"node\", \"server.js\"]\n"),
      Example("FROM alpine\nADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini\nRUN chmod +x /tini\n↓ENTRYPOINT [\"/docker-entrypoint.sh\"]\n"),
      Example("FROM alpine\nRUN apk add --no-cache dumb-init catatonit\n↓ENTRYPOINT [\"app\"]\nCMD [\"--serve\"]\n"),
    ],
    corrections: [
      Correction(
        Example("FROM debian\nRUN apt-get update && apt-get install -y tini\nCMD [\"node\", \"server.js\"]\n"),
        Example("FROM debian\nRUN apt-get update && apt-get install -y tini\nENTRYPOINT [\"/usr/bin/tini\", \"--\"]\nCMD [\"node\", \"server.js\"]\n")),
      Correction(
        Example("FROM alpine\nADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini\nRUN chmod +x /tini\nENTRYPOINT [\"/docker-entrypoint.sh\"]\n"),
        Example("FROM alpine\nADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini\nRUN chmod +x /tini\nENTRYPOINT [\"/tini\", \"--\", \"/docker-entrypoint.sh\"]\n")),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    let kinds: [ImageModel.Component.Kind] = [.tini, .dumbInit, .catatonit]
    let used = Set(context.launch.inits.map(\.kind.rawValue)).union(context.pid1Programs.flatMap { $0.facts.execs.compactMap(\.programName) })
    guard !context.launch.steps.isEmpty, !context.launch.hasInitAsPID1 else { return [] }
    // The chain stops at something known only at run time (`eval exec $(select_init) -- "$@"`, a
    // script not in the context): the init may well run there.
    if case .unknown = context.launch.steps.last, context.launch.steps.count > 1 { return [] }
    if context.pid1Programs.contains(where: \.facts.evalsRunTimeText) { return [] }
    // With ENTRYPOINT/CMD inherited from the base image, an init this file installs cannot be in them.
    if case .unknown = context.launch.steps.first, context.image.entrypoint != nil || context.image.cmd != nil { return [] }
    // An init that an earlier stage's ENTRYPOINT ran and a later one dropped is DA503's.
    let droppedByLaterStage = Set(context.image.chain.compactMap { context.image.stages[$0].entrypoint?.words?.first?.value }.map(DaemonCatalog.basename))
    var unused: [ImageModel.Component] = []
    for kind in kinds {
      if let path = context.image.components(kind).first?.path, droppedByLaterStage.contains(DaemonCatalog.basename(path)) { continue }
      guard let component = context.image.components(kind).first else { continue }
      let names: Set<String> = kind == .tini ? ["tini", "tini-static", "docker-init"] : [kind.rawValue]
      if !used.isDisjoint(with: names) || used.contains(where: { component.path.map(DaemonCatalog.basename) == $0 }) { continue }
      unused.append(component)
    }
    guard let first = unused.first else { return [] }
    let anchor = context.image.entrypoint?.keyword ?? context.image.cmd?.keyword ?? first.evidence
    let names = unused.map(\.kind.rawValue).joined(separator: " and ")
    return [finding(
      at: anchor, "\(names) \(unused.count == 1 ? "is" : "are") installed but never \(unused.count == 1 ? "runs" : "run") as PID 1: zombies are not reaped and signals not forwarded",
      notes: unused.map { Finding.Note("\($0.kind.rawValue) is installed here", at: $0.evidence) }, fix: fix(first, context))]
  }

  /// Prepends the init to an exec-form ENTRYPOINT, or adds `ENTRYPOINT [init, "--"]` before an exec-form CMD.
  func fix(_ component: ImageModel.Component, _ context: LintContext) -> Fix? {
    let path = component.path ?? component.kind.rawValue
    let prefix = [path, "--"]
    if let entrypoint = context.image.entrypoint {
      guard let first = entrypoint.words?.first?.location else { return nil }
      return Fix(title: "run \(component.kind.rawValue) as PID 1", safety: .safe, changes: [.insertWords(prefix, before: first, json: true)])
    }
    guard let cmd = context.image.cmd, cmd.words != nil else { return nil }
    return Fix(title: "run \(component.kind.rawValue) as PID 1", safety: .safe, changes: [.insertLine("ENTRYPOINT " + Edits.jsonArray(prefix), before: cmd.keyword)])
  }
}
