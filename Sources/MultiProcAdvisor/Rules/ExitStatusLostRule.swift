/// DA204: the status of the first service to exit is not passed on.
public struct ExitStatusLostRule: Rule {
  public static let description = RuleDescription(
    id: "DA204", name: "exit-status-lost", severity: .warning,
    summary: "`exit $?` right after `wait -n` so the container exits with the service's status",
    rationale: """
      After `wait -n` (or `wait $pid`), `$?` is the status of the service that ended. If the script \
      then runs `echo done`, ends with `|| true`, or calls `exit 0`, the container exits 0 whatever \
      happened, and `restart: on-failure`, Kubernetes and CI all believe the service stopped cleanly. \
      Not reported when the wait is the script's last command (its status is the script's), when \
      `exit $?` follows, or when `$?` is saved in a variable that a later `exit` uses. The fix saves the \
      status right after the wait (`status=$?`) and exits with it where the script ends (replacing a \
      final `exit 0`), so cleanup commands in between still run; `|| true` is left to the author, who \
      wrote it on purpose. The same holds for a final service followed by `exit 0` (`node server.js; \
      exit 0`): whatever the server's status, the container reports the literal one; DA102's `exec` \
      removes the problem.
      """,
    fixDescription: "save `$?` after the wait and `exit` with it at the end",
    nonTriggering: [
      Example("FROM node:20\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\ncd /app\nnode server.js\nexit\n"]),
      Example("FROM debian\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"mysqld\"]\n", files: ["entry.sh": "#!/bin/bash\nmysqld --skip-networking &\npid=$!\nmysql -e 'CREATE DATABASE IF NOT EXISTS app'\nkill $pid\nwait $pid\nexec \"$@\"\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nexit $?\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nstatus=$?\necho \"stopping\"\nkill %1 %2\nexit $status\n"]),
    ],
    triggering: [
      Example("FROM node:20\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\ncd /app\nnode server.js\n↓exit 0\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\n↓wait -n\necho done\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\n↓wait -n || true\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\n↓wait -n\nexit 0\n"]),
    ],
    corrections: [
      Correction(
        Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\necho done\n"]),
        Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nstatus=$?\necho done\nexit \"$status\"\n"]), options: ["--unsafe"]),
      Correction(
        Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nexit 0\n"]),
        Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nstatus=$?\nexit \"$status\"\n"]), options: ["--unsafe"]),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    replacedStatusFindings(context) + context.pid1Programs.flatMap { program -> [Finding] in
      guard program.issues.isEmpty, !program.facts.backgroundServices.isEmpty else { return [] }
      // Once a `wait -n` has passed its status on, later waits only collect the stopped services.
      let decisive = program.facts.waits.first { $0.waitsForNext && $0.isInMainPath && $0.statusPropagates }
      let waits = program.facts.waits.filter { wait in
        decisive.map { wait.command.location.range.start <= $0.command.location.range.start } ?? true
      }
      return waits.filter { ($0.waitsForNext || $0.operands.count == 1) && $0.isInMainPath && !$0.statusPropagates }.map { wait in
        let fix = wait.statusFixEdits.isEmpty || wait.isGuardedByTrue
          ? nil
          : Fix(
            title: "exit with the status of the service that ended", safety: .unsafe,
            edits: wait.statusFixEdits.map { TextEdit.replace($0.range, with: $0.replacement, in: wait.command.location.file.path) })
        return finding(
          at: wait.command.location,
          "the status of '\(wait.command.text)' is lost\(wait.statusLostBy.map { " (\($0))" } ?? ""): the container exits 0 whatever the service's status",
          notes: program.provenance, fix: fix, instruction: program.instruction)
      }
    }
  }

  /// `server; exit 0` at the end of the script: the server's status never reaches the container.
  func replacedStatusFindings(_ context: LintContext) -> [Finding] {
    context.pid1Programs.flatMap { program -> [Finding] in
      guard program.issues.isEmpty else { return [] }
      return program.facts.terminals.compactMap { terminal in
        guard terminal.kind == .service, terminal.failsAtOnce == nil, !terminal.command.isExec, !terminal.isRuledOutByArguments,
          let exit = terminal.statusReplacedBy, let code = exit.literalArguments.first
        else { return nil }
        return finding(
          at: exit.location,
          "'\(exit.text)' after '\(terminal.command.text)' replaces its status: the container exits \(code) whatever happened to it",
          notes: program.provenance, instruction: program.instruction)
      }
    }
  }
}
