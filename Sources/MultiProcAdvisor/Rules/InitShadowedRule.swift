/// DA503: an init from a base stage is dropped by a later ENTRYPOINT, or runs behind a shell.
public struct InitShadowedRule: Rule {
  public static let description = RuleDescription(
    id: "DA503", name: "init-shadowed", severity: .warning,
    summary: "keep the init as PID 1: include it in the new ENTRYPOINT, or `exec` it from the script",
    rationale: """
      An init only helps as PID 1. A stage that builds `FROM` a stage whose ENTRYPOINT is \
      `[\"tini\", \"--\"]` and sets its own ENTRYPOINT drops tini without a word. A script or shell \
      form that runs `tini -- app` without `exec` makes the shell PID 1 and the init its child: \
      signals stop at the shell and orphans are not reaped by the init. Base images outside this \
      Dockerfile are unknown to dockadvise, so only stages of the same file are compared. The fix puts \
      the init back in front of the new ENTRYPOINT, or inserts `exec` before the init.
      """,
    fixDescription: "restore it as PID 1",
    nonTriggering: [
      Example("FROM debian AS base\nENTRYPOINT [\"tini\", \"--\"]\nFROM base\nCMD [\"app\"]\n"),
      Example("FROM debian AS base\nENTRYPOINT [\"tini\", \"--\"]\nFROM base\nENTRYPOINT [\"tini\", \"--\", \"/entry.sh\"]\n"),
      Example("FROM debian\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\n", files: ["entry.sh": "#!/bin/sh\nexport A=1\nexec tini -- app\n"]),
    ],
    triggering: [
      Example("FROM debian AS base\nENTRYPOINT [\"tini\", \"--\"]\nFROM base\n↓ENTRYPOINT [\"/entry.sh\"]\n"),
      Example("FROM debian\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\n", files: ["entry.sh": "#!/bin/sh\nexport A=1\n↓tini -- app\n"]),
      Example("FROM debian\nCMD echo start && ↓dumb-init app\n"),
    ],
    corrections: [
      Correction(
        Example("FROM debian AS base\nENTRYPOINT [\"tini\", \"--\"]\nFROM base\nENTRYPOINT [\"/entry.sh\"]\n"),
        Example("FROM debian AS base\nENTRYPOINT [\"tini\", \"--\"]\nFROM base\nENTRYPOINT [\"tini\", \"--\", \"/entry.sh\"]\n")),
      Correction(
        Example("FROM debian\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\n", files: ["entry.sh": "#!/bin/sh\nexport A=1\ntini -- app\n"]),
        Example("FROM debian\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\n", files: ["entry.sh": "#!/bin/sh\nexport A=1\nexec tini -- app\n"])),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    var findings: [Finding] = []
    // A stage of the chain drops the init its base stage had as ENTRYPOINT.
    let image = context.image
    var inherited: (words: [Launch.Word], stage: Int)? = nil
    for index in image.chain {
      guard let entrypoint = image.stages[index].entrypoint, let words = entrypoint.words ?? Optional([]) else { continue }
      let startsWithInit = words.first.map { Knowledge.initKind(of: $0.value, trusted: context.configuration.trustedInits) != nil } ?? false
      if startsWithInit {
        inherited = (Array(words.prefix { $0.value != "--" }) + (words.contains { $0.value == "--" } ? [Launch.Word("--")] : []), index)
      } else if let base = inherited, entrypoint.stage == index {
        let name = base.words.first?.value ?? "init"
        let fix = entrypoint.words?.first?.location.map { first in
          Fix(title: "keep \(name) as PID 1", safety: .safe, changes: [.insertWords(base.words.map(\.value), before: first, json: true)])
        }
        findings.append(finding(
          at: entrypoint.keyword, "this ENTRYPOINT drops \(name), which the base stage ran as PID 1",
          notes: [Finding.Note("\(name) is set here", at: image.stages[base.stage].entrypoint?.keyword)], fix: fix))
        inherited = nil
      }
    }
    // A well-known base image's init, dropped by this file's ENTRYPOINT.
    if let initWords = image.base?.initEntrypoint, image.chain.first.map({ image.stages[$0].baseStage == nil }) == true,
      let entrypoint = image.entrypoint, let words = entrypoint.words,
      !(words.first.map { Knowledge.initKind(of: $0.value, trusted: context.configuration.trustedInits) != nil } ?? false)
    {
      let prefix = Array(initWords.prefix { $0 != "--" }) + ["--"]
      let fix = words.first?.location.map { first in
        Fix(title: "keep \(DaemonCatalog.basename(prefix[0])) as PID 1", safety: .safe, changes: [.insertWords(prefix, before: first, json: true)])
      }
      findings.append(finding(
        at: entrypoint.keyword,
        "this ENTRYPOINT replaces \(image.base!.reference)'s, which runs \(DaemonCatalog.basename(initWords[0])) as PID 1: the init is dropped",
        fix: fix))
    }
    // A shell that is PID 1 runs an init as its child.
    for program in context.pid1Programs where program.isPID1 {
      for command in program.facts.commands where !command.isExec {
        let candidates = command.wrappers.prefix(1) + [command.programName].compactMap { $0 }
        guard let name = candidates.first(where: { Knowledge.initKind(of: $0, trusted: context.configuration.trustedInits) != nil }) else { continue }
        let fix = command.execInsertionPoint.map { point in
          Fix(title: "exec \(name)", safety: .safe, changes: [.execPrefix(at: point)])
        }
        findings.append(finding(
          at: command.location, "\(name) runs as a child of the shell, which stays PID 1: signals stop at the shell and \(name) reaps nothing",
          notes: program.provenance, fix: fix, instruction: program.instruction))
      }
    }
    return findings
  }
}
