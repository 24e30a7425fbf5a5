/// DA002: a shell command or script that runs as PID 1 cannot be parsed.
public struct ShellSyntaxRule: Rule {
  public static let description = RuleDescription(
    id: "DA002", name: "shell-syntax", severity: .warning,
    summary: "fix the shell syntax of the command or script that runs as PID 1",
    rationale: """
      Shell-form ENTRYPOINT/CMD strings, `sh -c` strings and the scripts they run are parsed as POSIX sh \
      (or bash, when the shebang or the interpreter says so). When the parser cannot make sense of them, \
      the shell would very likely fail too — `/bin/sh: syntax error` at container start — and dockadvise \
      skips its deeper analysis of that script, so other problems in it may go unreported. The location \
      is where the parser stopped; `bash -n FILE` gives the shell's own opinion.
      """,
    nonTriggering: [
      Example("FROM alpine\nCMD echo \"a\" && exec sleep 1\n"),
      Example("FROM alpine\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\nif [ -n \"$A\" ]; then echo a; fi\nexec sleep 1\n"]),
      Example("FROM alpine\nCMD [\"sh\", \"-c\", \"echo 'it''s' && exec sleep 1\"]\n"),
    ],
    triggering: [
      Example("FROM alpine\nCMD echo ↓\"unterminated\n"),
      Example("FROM alpine\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\n↓if [ -n \"$A\" ]; then echo a\nexec sleep 1\n"]),
      Example("FROM alpine\nCMD [\"sh\", \"-c\", \"echo ↓$(oops\"]\n"),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    context.shellPrograms.flatMap { program in
      program.issues.map { issue in
        finding(at: issue.location, "\(program.displayName): \(issue.message)", notes: program.provenance, instruction: program.instruction)
      }
    }
  }
}
