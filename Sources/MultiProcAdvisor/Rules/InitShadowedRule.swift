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

  public func check(_ context: LintContext) -> [Finding] { [] }
}
