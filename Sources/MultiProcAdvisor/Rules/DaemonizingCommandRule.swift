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
      `service x start` changes the process tree and is left to a strategy. The program the PID 1 \
      chain ends in counts too, however it is reached: an init's child (`tini -- nginx`), the CMD an \
      entrypoint runs with `exec "$@"` (its `if [ "$1" = … ]` branches decided by the CMD), a \
      function's call words (`run nginx` with `run() { exec "$@"; }`), `eval` and `su -c` with known \
      words; and so do the scripts a shell of the chain runs and waits for or sources, at any depth.
      """,
    fixDescription: "the foreground form, when it is a drop-in replacement",
    nonTriggering: [
      Example("FROM wordpress:php8.2-fpm-alpine\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\nphp-fpm &\nexec nginx -g 'daemon off;'\n"]),
      Example("FROM debian\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
      Example("FROM debian\nRUN service mysql start && mysql < /schema.sql\nCMD [\"mysqld\"]\n"),
      Example("FROM debian\nCOPY nginx.conf /etc/nginx/nginx.conf\nCMD [\"nginx\"]\n", files: ["nginx.conf": "daemon off;\nevents {}\n"]),
      Example("FROM php:8.3-fpm\nCMD [\"php-fpm\"]\n"),
      Example("FROM debian\nCMD [\"/usr/sbin/sshd\", \"-D\", \"-e\"]\n"),
      Example("FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\nif nginx -t && ! service nginx status; then\n  echo 'config ok'\nfi\nwhile ! pgrep -x redis-server; do sleep 1; done\nexec nginx -g 'daemon off;'\n"]),
      Example("FROM debian\nCOPY service /usr/local/bin/service\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["service": "#!/bin/sh\nexec s6-svc -u \"/run/service/$1\"\n", "start.sh": "#!/bin/sh\nservice cron start\nexec nginx -g 'daemon off;'\n"]),
      Example("FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\necho \"daemon off;\" >> /etc/nginx/nginx.conf\nexec nginx\n"]),
      Example("FROM debian\nRUN apt-get update && apt-get install -y nginx && sed -i '1i daemon off;' /etc/nginx/nginx.conf\nCMD [\"nginx\"]\n"),
      // A server started for setup and stopped before the real one runs (the official postgres entrypoint).
      Example(
        "FROM postgres:16\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n",
        files: ["entrypoint.sh": "#!/bin/sh\nset -e\npg_ctl -D \"$PGDATA\" -w start\npsql -f /init.sql\npg_ctl -D \"$PGDATA\" -m fast -w stop\nexec postgres\n"]),
      Example(
        "FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n",
        files: ["start.sh": "#!/bin/sh\nservice nginx start\nnginx -t\nservice nginx stop\nexec nginx -g 'daemon off;'\n"]),
      // `start` of an unknown program with no keep-alive after it: it may well stay in the foreground.
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\n./app.bin start\n"]),
      Example(
        "FROM debian\nRUN { echo '[global]'; echo 'daemonize = no'; } | tee /usr/local/etc/php-fpm.d/zz-docker.conf\nCMD [\"php-fpm\"]\n"),
      Example(
        "FROM debian\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"redis-server\"]\n",
        files: ["entrypoint.sh": "#!/bin/sh\nif [ \"$1\" = 'redis-server' ]; then\n  exec gosu redis \"$@\"\nfi\nexec \"$@\"\n"]),
    ],
    triggering: [
      Example("FROM debian\nCMD ↓service apache2 start && tail -f /dev/null\n"),
      Example("FROM debian\nCMD [\"sh\", \"-c\", \"↓cron && exec nginx -g 'daemon off;'\"]\n"),
      Example("FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\n↓/etc/init.d/ssh start\n↓php-fpm8.2\nexec nginx -g 'daemon off;'\n"]),
      Example("FROM alpine\nCMD [↓\"nginx\"]\n"),
      Example("FROM debian\nCMD ↓redis-server --daemonize yes && sleep infinity\n"),
      Example("FROM node:20\nCMD [↓\"forever\", \"start\", \"app.js\"]\n"),
      Example("FROM centos:7\nRUN yum install -y httpd\nCMD ↓systemctl start httpd && tail -f /dev/null\n"),
      Example("FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\nif ! ↓service cron start; then\n  echo 'cron failed' >&2\n  exit 1\nfi\n↓service ssh start || exit 1\nexec nginx -g 'daemon off;'\n"]),
      Example("FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\nsed -i '/daemon off;/d' /etc/nginx/nginx.conf\n↓exec nginx\n"]),
      // A program dockadvise does not know, started with `start`, then a keep-alive: the start returned.
      Example(
        "FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n",
        files: ["run.sh": "#!/bin/bash\n↓./app.bin start all\ntail -F /dev/null\n"]),
      // Stopped before it was started: the start is the one left running.
      Example(
        "FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n",
        files: ["start.sh": "#!/bin/sh\nservice nginx stop\n↓service nginx start\nexec php-fpm8.2 -F\n"]),
      // The program the chain ends in: an init's child, the CMD run by `exec "$@"`, a function's call words.
      Example("FROM debian\nENTRYPOINT [\"tini\", \"--\"]\nCMD [↓\"nginx\"]\n"),
      Example(
        "FROM debian\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [↓\"redis-server\", \"--daemonize\", \"yes\"]\n",
        files: ["entrypoint.sh": "#!/bin/sh\nif [ \"$1\" = 'redis-server' ]; then\n  exec gosu redis \"$@\"\nfi\nexec \"$@\"\n"]),
      Example(
        "FROM debian\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n",
        files: ["entrypoint.sh": "#!/bin/sh\nrun() {\n  echo \"starting $1\"\n  exec \"$@\"\n}\nrun ↓nginx\n"]),
      // A script the PID 1 script runs and waits for (or sources): the daemon it starts is left behind.
      Example(
        "FROM debian\nCOPY start.sh setup.sh /opt/\nCMD [\"/opt/start.sh\"]\n",
        files: ["start.sh": "#!/bin/sh\n/opt/setup.sh\nexec nginx -g 'daemon off;'\n", "setup.sh": "#!/bin/sh\n↓service cron start\n"]),
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
    // The chain's shells, and the scripts they run and wait for or source: a daemon one of those
    // starts is left behind when it returns.
    let programs = context.pid1Programs.map { ($0, false) } + context.launch.helperPrograms.map { ($0, true) }
    for (program, isHelper) in programs where program.issues.isEmpty {
      for (command, verdict) in program.facts.intendedDaemons {
        // Only the command that runs last can be switched to the foreground without blocking the rest.
        let isLast = !isHelper && program.facts.terminals.contains { $0.command.location == command.location }
        findings.append(finding(
          at: command.location, "'\(command.text)' \(Self.outcome(verdict)): \(verdict.reason)\(Self.instead(verdict))",
          notes: program.provenance + Self.failureNotes(verdict),
          // The strategies plan the services of the chain itself, not a helper's: no fix there yet.
          fix: (isLast ? Self.fix(command, verdict) : nil) ?? (isHelper ? nil : context.strategyFix),
          instruction: program.instruction))
      }
    }
    // The program the chain ends in (`exec "$@"` with the CMD, a function's call words, an init's
    // child): its exit ends the container. A command a script writes itself is reported above.
    if let main = context.launch.mainProgram, let verdict = context.daemonVerdict(main.command),
      !context.pid1Programs.contains(where: { program in
        program.facts.intendedDaemons.contains {
          $0.command.location.file.path == main.command.programLocation.file.path && $0.command.location.range.contains(main.command.programLocation.range)
        }
      })
    {
      // An edit needs each word in its own place, in one file (words an `eval` builds share the eval's).
      let locations = main.command.wordLocations
      let values = [main.command.program] + main.command.arguments
      let sameFile = locations.allSatisfy { $0.file.path == main.command.programLocation.file.path } && Set(locations).count == locations.count
        && values.count == locations.count
        && zip(values, locations).allSatisfy { value, location in value.map { $0.isEmpty || location.file.text(of: location.range).contains($0) } ?? false }
      var notes = (context.pid1Programs.last?.provenance ?? []) + Self.failureNotes(verdict)
      if !sameFile, verdict.foreground != nil {
        let places = Set(locations.map(\.file.path)).sorted()
        notes.append(Finding.Note(
          places.count > 1
            ? "its words come from \(places.joined(separator: " and ")), so no edit is offered: change them where they are written"
            : "its words are put together at run time (a variable or eval), so no edit is offered: change them where they are written"))
      }
      findings.append(finding(
        at: main.command.programLocation, "'\(main.command.text)' \(Self.outcome(verdict)): \(verdict.reason); the container exits at once\(Self.instead(verdict))",
        notes: notes,
        fix: sameFile ? Self.fix(main.command, verdict) ?? Self.replacement(main.command, verdict) : nil,
        instruction: main.command.programLocation.file.path == context.dockerfile.source.path ? nil : context.launch.definingInstruction))
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
