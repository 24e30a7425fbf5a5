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
      Example("FROM debian\nCOPY run.sh /run.sh\nENTRYPOINT [\"↓tini\", \"--\", \"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nexit $?\n"]),
      Example("FROM debian\nENTRYPOINT [\"↓/usr/bin/tini\", \"--\"]\nCMD ./prepare && ./serve\n"),
      Example("FROM debian\nENTRYPOINT [\"dumb-init\", \"--\", \"↓tini\", \"--\"]\nCMD [\"app\"]\n"),
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

  public func check(_ context: LintContext) -> [Finding] { [] }
}
