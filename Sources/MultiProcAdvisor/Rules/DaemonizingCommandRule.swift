/// DA205: a command that PID 1 runs forks into the background.
public struct DaemonizingCommandRule: Rule {
  public static let description = RuleDescription(
    id: "DA205", name: "daemonizing-command", severity: .error,
    summary: "run the daemon in the foreground (`nginx -g 'daemon off;'`, `php-fpm -F`, `sshd -D`, …)",
    rationale: """
      `service nginx start`, `/etc/init.d/x start`, `apachectl start`, `nginx` without `daemon off`, \
      `php-fpm` without `-F`, `sshd` without `-D`, `cron` without `-f`, `redis-server --daemonize yes`, \
      `memcached -d`, `postfix start` and their kin fork and detach: the command returns at once and the \
      daemon lives on as an orphan that nothing watches. If nothing else holds the foreground the \
      container exits immediately; otherwise the daemon can die unnoticed and is SIGKILLed at stop. \
      `systemctl start` needs systemd as PID 1, which containers do not run: it fails and starts \
      nothing, so it is reported as failing rather than as a running daemon (the other rules do not \
      count it as a started service). The catalogue of daemons and \
      their foreground forms is in DOMAIN.md; configuration that changes the answer is read when it \
      is in the image (`daemon off;` in nginx.conf, `daemonize = no` for php-fpm — the official php \
      images set it). Only run time counts: `service mysql start` inside a RUN is build time; a start in an `if` or \
      `while` condition or an `&&`/`||` list (`if ! service cron start; then exit 1; fi`) runs too. When the image brings its \
      own `service` (a script copied to /usr/sbin/service or /usr/local/bin/service, often one that \
      drives s6), `service x start` is that script, not SysV's, and is not judged. The fix \
      substitutes the foreground form when it is a drop-in (a flag added or removed); replacing \
      `service x start` changes the process tree and is left to a strategy.
      """,
    fixDescription: "the foreground form, when it is a drop-in replacement",
    nonTriggering: [
      Example("FROM debian\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
      Example("FROM debian\nRUN service mysql start && mysql < /schema.sql\nCMD [\"mysqld\"]\n"),
      Example("FROM debian\nCOPY nginx.conf /etc/nginx/nginx.conf\nCMD [\"nginx\"]\n", files: ["nginx.conf": "daemon off;\nevents {}\n"]),
      Example("FROM php:8.3-fpm\nCMD [\"php-fpm\"]\n"),
      Example("FROM debian\nCMD [\"/usr/sbin/sshd\", \"-D\", \"-e\"]\n"),
      Example("FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\nif nginx -t && ! service nginx status; then\n  echo 'config ok'\nfi\nwhile ! pgrep -x redis-server; do sleep 1; done\nexec nginx -g 'daemon off;'\n"]),
      Example("FROM debian\nCOPY service /usr/local/bin/service\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["service": "#!/bin/sh\nexec s6-svc -u \"/run/service/$1\"\n", "start.sh": "#!/bin/sh\nservice cron start\nexec nginx -g 'daemon off;'\n"]),
      // A server started for setup and stopped before the real one runs (the official postgres entrypoint).
      Example(
        "FROM postgres:16\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n",
        files: ["entrypoint.sh": "#!/bin/sh\nset -e\npg_ctl -D \"$PGDATA\" -w start\npsql -f /init.sql\npg_ctl -D \"$PGDATA\" -m fast -w stop\nexec postgres\n"]),
      Example(
        "FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n",
        files: ["start.sh": "#!/bin/sh\nservice nginx start\nnginx -t\nservice nginx stop\nexec nginx -g 'daemon off;'\n"]),
    ],
    triggering: [
      Example("FROM debian\nCMD ↓service apache2 start && tail -f /dev/null\n"),
      Example("FROM debian\nCMD [\"sh\", \"-c\", \"↓cron && exec nginx -g 'daemon off;'\"]\n"),
      Example("FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\n↓/etc/init.d/ssh start\n↓php-fpm8.2\nexec nginx -g 'daemon off;'\n"]),
      Example("FROM alpine\nCMD [↓\"nginx\"]\n"),
      Example("FROM debian\nCMD ↓redis-server --daemonize yes && sleep infinity\n"),
      Example("FROM centos:7\nRUN yum install -y httpd\nCMD ↓systemctl start httpd && tail -f /dev/null\n"),
      Example("FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\nif ! ↓service cron start; then\n  echo 'cron failed' >&2\n  exit 1\nfi\n↓service ssh start || exit 1\nexec nginx -g 'daemon off;'\n"]),
      // Stopped before it was started: the start is the one left running.
      Example(
        "FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n",
        files: ["start.sh": "#!/bin/sh\nservice nginx stop\n↓service nginx start\nexec php-fpm8.2 -F\n"]),
    ],
    corrections: [
      Correction(
        Example("FROM alpine\nCMD [\"nginx\"]\n"),
        Example("FROM alpine\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n")),
      Correction(
        Example("FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\nexec /usr/sbin/sshd -e\n"]),
        Example("FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\nexec /usr/sbin/sshd -D -e\n"])),
      Correction(
        Example("FROM alpine\nCMD [\"php-fpm83\", \"-D\"]\n"),
        Example("FROM alpine\nCMD [\"php-fpm83\", \"-F\"]\n")),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    var findings: [Finding] = []
    for program in context.pid1Programs where program.issues.isEmpty {
      for (command, verdict) in program.facts.intendedDaemons {
        // Only the command that runs last can be switched to the foreground without blocking the rest.
        let isLast = program.facts.terminals.contains { $0.command.location == command.location }
        findings.append(finding(
          at: command.location, "'\(command.text)' \(Self.outcome(verdict)): \(verdict.reason)\(Self.instead(verdict))",
          notes: program.provenance + Self.failureNotes(verdict), fix: (isLast ? Self.fix(command, verdict) : nil) ?? context.strategyFix,
          instruction: program.instruction))
      }
    }
    if let main = context.launch.mainProgram, main.isPID1, context.launch.shellPrograms.isEmpty, let verdict = context.daemonVerdict(main.command) {
      findings.append(finding(
        at: main.command.programLocation, "'\(main.command.text)' \(Self.outcome(verdict)): \(verdict.reason); the container exits at once\(Self.instead(verdict))",
        notes: Self.failureNotes(verdict), fix: Self.fix(main.command, verdict)))
    }
    return findings
  }

  static func outcome(_ verdict: DaemonCatalog.Verdict) -> String { verdict.failsInContainer ? "fails" : "daemonizes" }

  /// What a start that fails means for the rest of the program.
  static func failureNotes(_ verdict: DaemonCatalog.Verdict) -> [Finding.Note] {
    guard verdict.failsInContainer else { return [] }
    return [Finding.Note("\(verdict.service) is not started at all: nothing runs in the background, and commands joined to it with && never run (with set -e the script stops here)")]
  }

  static func instead(_ verdict: DaemonCatalog.Verdict) -> String {
    verdict.foreground.map { "; run '\(ShellQuoting.join($0))' in the foreground instead" } ?? ""
  }

  /// The foreground form, when it is a drop-in replacement for the same command.
  static func fix(_ command: CommandReference, _ verdict: DaemonCatalog.Verdict) -> Fix? {
    guard verdict.isDropIn, let foreground = verdict.foreground, let changes = FixEdit.transform(command, to: foreground), !changes.isEmpty else { return nil }
    return Fix(title: "run \(verdict.service) in the foreground", safety: .safe, changes: changes)
  }
}
