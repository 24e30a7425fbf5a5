/// DA203: `wait -n` under a /bin/sh that is dash, which rejects it.
public struct WaitNNeedsBashRule: Rule {
  public static let description = RuleDescription(
    id: "DA203", name: "wait-n-needs-bash", severity: .error,
    summary: "run the script with bash (`#!/bin/bash`) when it uses `wait -n`",
    rationale: """
      `wait -n` exists in bash and in busybox ash, not in dash, which is `/bin/sh` on Debian and Ubuntu \
      (and so in the official images built on them: node, python, php, ruby…). dash prints `wait: \
      Illegal option -n` and returns 2 at once, so the script goes on as if a service had died: \
      usually the container exits right after starting. Shell form always uses `/bin/sh` (or SHELL). \
      Reported when `/bin/sh` is known to be dash — a Debian or Ubuntu base, or a Dockerfile that uses \
      apt-get; on Alpine `/bin/sh` is busybox ash and `wait -n` works; on an unknown base nothing is \
      reported. The fix changes the shebang to bash (or the `sh -c` to `bash -c`) when bash is there.
      """,
    fixDescription: "run the script with bash",
    nonTriggering: [
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nexit $?\n"]),
      Example("FROM alpine:3.20\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\na &\nb &\nwait -n\nexit $?\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"bash\", \"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\na &\nb &\nwait -n\nexit $?\n"]),
      Example("FROM debian\nSHELL [\"/bin/bash\", \"-c\"]\nCMD a & b & wait -n; exit $?\n"),
    ],
    triggering: [
      Example("FROM debian:bookworm\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\na &\nb &\n↓wait -n\nexit $?\n"]),
      Example("FROM ubuntu:24.04\nCMD a & b & ↓wait -n; exit $?\n"),
      Example("FROM python:3.12\nCMD [\"sh\", \"-c\", \"a & b & ↓wait -n\"]\n"),
    ],
    corrections: [
      Correction(
        Example("FROM debian:bookworm\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\na &\nb &\nwait -n\nexit $?\n"]),
        Example("FROM debian:bookworm\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nexit $?\n"])),
      Correction(
        Example("FROM python:3.12\nCMD [\"sh\", \"-c\", \"a & b & wait -n\"]\n"),
        Example("FROM python:3.12\nCMD [\"bash\", \"-c\", \"a & b & wait -n\"]\n")),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    context.pid1Programs.flatMap { program -> [Finding] in
      guard program.interpreter == .dash else { return [] }
      return program.facts.waitNUses.map { use in
        finding(
          at: use.location, "\(program.displayName) runs under dash, which rejects 'wait -n' (Illegal option -n) and returns 2 at once",
          notes: program.provenance + [Finding.Note("/bin/sh is dash on \(context.image.base?.reference ?? "this Debian/Ubuntu base")")],
          fix: Self.bashFix(for: program, in: context), instruction: program.instruction)
      }
    }
  }
}

// MARK: The fix

extension WaitNNeedsBashRule {
  /// Makes a program run under bash: its shebang, its `sh` argv word, or a SHELL before a shell-form
  /// instruction. Only where bash is known to be installed (Debian and Ubuntu bases).
  static func bashFix(for program: ShellProgram, in context: LintContext) -> Fix? {
    guard context.image.family == .debian else { return nil }
    if let location = program.interpreterLocation {
      if program.interpreterIsShebang {
        return Fix(title: "run it with bash", safety: .safe, edits: [.replace(location.range, with: "#!/bin/bash", in: location.file.path)])
      }
      let replacement = program.interpreterIsJSONElement ? Edits.jsonString("bash") : "bash"
      return Fix(title: "run it with bash", safety: .safe, edits: [.replace(location.range, with: replacement, in: location.file.path)])
    }
    if program.isShellForm, let instruction = program.instruction {
      return Fix(title: "run shell form with bash", safety: .safe, edits: [Edits.insertLine("SHELL [\"/bin/bash\", \"-c\"]", before: instruction)])
    }
    return nil
  }
}
