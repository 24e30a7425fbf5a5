/// DA102: the script run as PID 1 starts its final long-running command without `exec`.
public struct ScriptWithoutExecRule: Rule {
  public static let description = RuleDescription(
    id: "DA102", name: "script-without-exec", severity: .warning,
    summary: "`exec` the script's final long-running command so it replaces the shell",
    rationale: """
      An entrypoint script that ends with `gunicorn app:app` instead of `exec gunicorn app:app` leaves \
      the shell as PID 1 (or as the init's only child) with the application as its child. The shell \
      neither handles nor forwards SIGTERM, so `docker stop` waits out the grace period and SIGKILLs \
      everything (exit 137), and the application's own exit code is reported by the shell at best. \
      `exec` makes the application take over the shell's process. The fix inserts `exec`; it is \
      offered only where that cannot change behaviour: the command is a plain foreground command that \
      runs last, and the script has no EXIT trap (which `exec` would skip) — nor any trap when it also \
      starts background jobs. Background services do not excuse the final one: in `gunicorn app & celery \
      worker` celery still runs as the shell's child (DA201 reports gunicorn). Scripts that end in a \
      keep-alive (DA105), a `wait` (DA202, DA204) or an `exec` are left to those rules.
      """,
    fixDescription: "insert `exec` before the final command",
    nonTriggering: [
      // The command after the wait for the service is a clean-up: the shell has to stay to run it.
      Example(
        "FROM debian\nCOPY run.sh /run.sh\nENTRYPOINT [\"/run.sh\"]\n",
        files: ["run.sh": "#!/bin/bash\nserver --port 80 &\nPID=$!\ntrap \"kill $PID\" TERM INT\nwait $PID\nserver-cleanup --unregister\n"]),
      Example("FROM alpine\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\nset -e\n./migrate\nexec gunicorn app:app\n"]),
      Example("FROM alpine\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"nginx\"]\n", files: ["entry.sh": "#!/bin/sh\nif [ \"$1\" = nginx ]; then\n  echo config\nfi\nexec \"$@\"\n"]),
      Example("FROM alpine\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\necho done\n"]),
      Example("FROM alpine\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/bash\nmain() {\n  exec node server.js\n}\nmain \"$@\"\n"]),
      Example("FROM debian\nCMD [\"bash\", \"-c\", \"nginx -g 'daemon off;'\"]\n"),
      Example("FROM python:3.12\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\ngunicorn app:app &\nexec celery -A proj worker\n"]),
      Example("FROM python:3.12\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/bash\ngunicorn app:app &\ncelery -A proj worker &\nwait -n\n"]),
      Example("FROM python:3.12\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\ngunicorn app:app &\ntail -f /dev/null\n"]),
      Example("FROM alpine\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"app:start\"]\n", files: ["entry.sh": "#!/bin/sh\ncase \"$1\" in\n  app:start) exec server --port 80 ;;\n  app:init) migrate ;;\n  *) exec \"$@\" ;;\nesac\n"]),
    ],
    triggering: [
      Example("FROM alpine\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\nset -e\n./migrate\n↓gunicorn app:app\n"]),
      Example("FROM alpine\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"nginx\"]\n", files: ["entry.sh": "#!/bin/sh\necho config\n↓\"$@\"\n"]),
      Example("FROM alpine\nCOPY start.sh /start.sh\nENTRYPOINT [\"tini\", \"--\", \"/start.sh\"]\n", files: ["start.sh": "#!/bin/bash\nif [ -f /first-run ]; then\n  setup\nfi\n↓java -jar /app.jar\n"]),
      Example("FROM alpine\nRUN <<EOF\ncat > /run.sh <<'SH'\n#!/bin/sh\n↓node server.js\nSH\nchmod +x /run.sh\nEOF\nCMD [\"/run.sh\"]\n"),
      Example("FROM python:3.12\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\nexec gunicorn app:app &\n↓celery -A proj worker\n"]),
    ],
    corrections: [
      Correction(
        Example("FROM alpine\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\nset -e\n./migrate\ngunicorn app:app\n"]),
        Example("FROM alpine\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\nset -e\n./migrate\nexec gunicorn app:app\n"])),
      Correction(
        Example("FROM alpine\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"nginx\"]\n", files: ["entry.sh": "#!/bin/sh\necho config\n\"$@\"\n"]),
        Example("FROM alpine\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"nginx\"]\n", files: ["entry.sh": "#!/bin/sh\necho config\nexec \"$@\"\n"])),
      Correction(
        Example("FROM python:3.12\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\ngunicorn app:app &\ncelery -A proj worker\n"]),
        Example("FROM python:3.12\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\ngunicorn app:app &\nexec celery -A proj worker\n"])),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    context.pid1Programs.flatMap { program -> [Finding] in
      let facts = program.facts
      guard program.issues.isEmpty else { return [] }
      // Shell-form instructions are DA101's; this rule is about scripts and `sh -c` strings.
      guard !program.isShellForm else { return [] }
      // dash and bash exec a `-c` string that is one simple command themselves (DOMAIN.md).
      if program.file == nil, facts.isSingleSimpleCommand, program.interpreter == .dash || program.interpreter == .bash { return [] }
      // Decided by the final foreground command, also when services run in the background beside it.
      let offenders = facts.foregroundServicesWithoutExec
      guard !offenders.isEmpty else { return [] }
      let fixable = facts.execKeepsBehaviour && offenders.allSatisfy { $0.command.execInsertionPoint != nil }
      let fix = fixable
        ? Fix(
          title: "exec the final command", safety: .safe,
          changes: offenders.map { .execPrefix(at: $0.command.execInsertionPoint!) })
        : nil
      let who = program.isPID1 ? "the shell stays PID 1" : "the shell stays between the init and the application"
      return offenders.map { terminal in
        finding(
          at: terminal.command.location,
          "\(program.displayName) runs '\(terminal.command.text)' without exec: \(who) and the application never gets SIGTERM",
          notes: program.provenance, fix: fix, instruction: program.instruction)
      }
    }
  }
}
