/// DA502: tini or catatonit runs without a flag that its position requires.
public struct InitNeedsFlagRule: Rule {
  public static let description = RuleDescription(
    id: "DA502", name: "init-needs-flag", severity: .info,
    summary: "add `-g` (signal the whole process group) or `-s` (subreaper when not PID 1)",
    rationale: """
      tini and catatonit send signals to their direct child only. When that child is a shell that \
      stays resident — a shell-form command, or a wrapper script whose services run as its children \
      without `exec` — the services never see SIGTERM; `-g` makes the init signal the child's whole \
      process group. dumb-init signals the group by default. tini that is not PID 1 (started by \
      another process, or behind a second init) cannot reap orphans unless it registers as a child \
      subreaper with `-s` (or `TINI_SUBREAPER`); it prints a warning saying so. The fix adds the flag.
      """,
    fixDescription: "add the flag",
    nonTriggering: [
      Example("FROM debian\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
      Example("FROM debian\nCOPY run.sh /run.sh\nENTRYPOINT [\"tini\", \"-g\", \"--\", \"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nexit $?\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nENTRYPOINT [\"dumb-init\", \"--\", \"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nexit $?\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nENTRYPOINT [\"tini\", \"--\", \"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\n./prepare\nexec app\n"]),
    ],
    triggering: [
      Example("FROM debian\nCOPY run.sh /run.sh\nENTRYPOINT [↓\"tini\", \"--\", \"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nexit $?\n"]),
      Example("FROM debian\nENTRYPOINT [↓\"/usr/bin/tini\", \"--\"]\nCMD ./prepare && ./serve\n"),
      Example("FROM debian\nENTRYPOINT [\"dumb-init\", \"--\", ↓\"tini\", \"--\"]\nCMD [\"app\"]\n"),
    ],
    corrections: [
      Correction(
        Example("FROM debian\nCOPY run.sh /run.sh\nENTRYPOINT [\"tini\", \"--\", \"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nexit $?\n"]),
        Example("FROM debian\nCOPY run.sh /run.sh\nENTRYPOINT [\"tini\", \"-g\", \"--\", \"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nexit $?\n"])),
      Correction(
        Example("FROM debian\nENTRYPOINT [\"dumb-init\", \"--\", \"tini\", \"--\"]\nCMD [\"app\"]\n"),
        Example("FROM debian\nENTRYPOINT [\"dumb-init\", \"--\", \"tini\", \"-s\", \"--\"]\nCMD [\"app\"]\n")),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    var findings: [Finding] = []
    let steps = context.launch.steps
    for (index, step) in steps.enumerated() {
      guard case .initProcess(let process) = step, let location = process.location else { continue }
      if process.kind == .tini, !process.isPID1, !process.isSubreaper {
        findings.append(finding(
          at: location, "tini is not PID 1 and not a subreaper (-s): orphans escape it and it warns at start",
          fix: flagFix("-s", process)))
        continue
      }
      guard process.kind == .tini || process.kind == .catatonit, !process.signalsGroup, index + 1 < steps.count,
        case .shell(let child) = steps[index + 1], !(child.facts.execsAtEnd && child.facts.backgroundJobs.isEmpty)
      else { continue }
      findings.append(finding(
        at: location,
        "\(process.kind.rawValue) signals only its child, \(child.displayName), which stays a shell: its children never get SIGTERM (use -g)",
        fix: flagFix("-g", process)))
    }
    return findings
  }

  func flagFix(_ flag: String, _ process: Launch.InitProcess) -> Fix? {
    process.optionInsertionPoint.map { point in
      Fix(title: "add \(flag)", safety: .safe, changes: [.insertWords([flag], after: point, json: process.isJSONElement)])
    }
  }
}
