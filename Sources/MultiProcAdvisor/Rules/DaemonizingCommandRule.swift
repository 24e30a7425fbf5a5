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
      `systemctl start` needs systemd, which containers do not run. The catalogue of daemons and \
      their foreground forms is in DOMAIN.md; configuration that changes the answer is read when it \
      is in the image (`daemon off;` in nginx.conf, `daemonize = no` for php-fpm — the official php \
      images set it). Only run time counts: `service mysql start` inside a RUN is build time. The fix \
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
      Example("FROM node:20\nCMD [↓\"forever\", \"start\", \"app.js\"]\n"),
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
      // The main program is an init script: the container would exit at once; the server runs instead.
      Correction(
        Example("FROM ubuntu\nRUN apt-get update -y && apt-get install -y apache2\nCMD [\"/etc/init.d/apache2\", \"-DFOREGROUND\", \"start\"]\n"),
        Example("FROM ubuntu\nRUN apt-get update -y && apt-get install -y apache2\nCMD [\"apache2ctl\", \"-D\", \"FOREGROUND\"]\n"),
        options: ["--unsafe"]),
      // Wrappers become the server they start: apachectl does not exec httpd outside Debian.
      Correction(
        Example("FROM alpine:3.20\nRUN apk add --no-cache apache2\nCMD [\"apachectl\", \"-k\", \"start\"]\n"),
        Example("FROM alpine:3.20\nRUN apk add --no-cache apache2\nCMD [\"httpd\", \"-DFOREGROUND\"]\n")),
      Correction(
        Example("FROM debian:bookworm\nRUN apt-get update && apt-get install -y apache2\nCMD [\"apachectl\", \"start\"]\n"),
        Example("FROM debian:bookworm\nRUN apt-get update && apt-get install -y apache2\nCMD [\"apache2ctl\", \"-D\", \"FOREGROUND\"]\n")),
      // forever restarts the script when it dies: the script itself runs.
      Correction(
        Example("FROM node:20\nCMD [\"forever\", \"start\", \"-l\", \"/var/log/app.log\", \"app.js\", \"--port\", \"80\"]\n"),
        Example("FROM node:20\nCMD [\"node\", \"app.js\", \"--port\", \"80\"]\n")),
      Correction(
        Example("FROM node:20\nCMD [\"pm2\", \"start\", \"app.js\"]\n"),
        Example("FROM node:20\nCMD [\"pm2-runtime\", \"app.js\"]\n")),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    var findings: [Finding] = []
    for program in context.pid1Programs where program.issues.isEmpty {
      for (command, verdict) in program.facts.daemonizing {
        // Only the command that runs last can be switched to the foreground without blocking the rest.
        let isLast = program.facts.terminals.contains { $0.command.location == command.location }
        findings.append(finding(
          at: command.location, "'\(command.text)' daemonizes: \(verdict.reason)\(Self.instead(verdict))",
          notes: program.provenance, fix: (isLast ? Self.fix(command, verdict) : nil) ?? context.strategyFix, instruction: program.instruction))
      }
    }
    if let main = context.launch.mainProgram, main.isPID1, context.launch.shellPrograms.isEmpty, let verdict = context.daemonVerdict(main.command) {
      findings.append(finding(
        at: main.command.programLocation, "'\(main.command.text)' daemonizes: \(verdict.reason); the container exits at once\(Self.instead(verdict))",
        fix: Self.fix(main.command, verdict) ?? Self.replacement(main.command, verdict)))
    }
    return findings
  }

  static func instead(_ verdict: DaemonCatalog.Verdict) -> String {
    verdict.foreground.map { "; run '\(ShellQuoting.join($0))' in the foreground instead" } ?? ""
  }

  /// The main program itself daemonizes through an init script (`CMD ["/etc/init.d/apache2", "start"]`):
  /// the container exits at once, so its foreground form replaces it (unsafe: another program runs).
  static func replacement(_ command: CommandReference, _ verdict: DaemonCatalog.Verdict) -> Fix? {
    guard !verdict.isDropIn, let foreground = verdict.foreground, let changes = FixEdit.transform(command, to: foreground), !changes.isEmpty else { return nil }
    return Fix(title: "run \(verdict.service) in the foreground", safety: .unsafe, changes: changes)
  }

  /// The foreground form, when it is a drop-in replacement for the same command.
  static func fix(_ command: CommandReference, _ verdict: DaemonCatalog.Verdict) -> Fix? {
    guard verdict.isDropIn, let foreground = verdict.foreground, let changes = FixEdit.transform(command, to: foreground), !changes.isEmpty else { return nil }
    return Fix(title: "run \(verdict.service) in the foreground", safety: .safe, changes: changes)
  }
}
